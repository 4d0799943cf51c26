// typed_messages: a registered type's messages carry its interned type; a receive switches
// on ctx.typeId; an unregistered type still works by name.
import { Actor, Message, typeId } from 'akt';
import * as conf from 'akt/conformance';

// A conf.Order message: a class registered by its static aktType name.
class Order {
  static aktType = 'conf.Order';
}

let ORDER = 0; // set before the actor is spawned

class Shop extends Actor {
  preStart() {
    this.orders = this.notes = this.sum = 0;
  }

  receive(ctx, msg) {
    const tid = ctx.typeId;
    if (tid === ORDER) { // one integer compare
      this.orders += 1;
      this.sum += conf.num(msg);
    } else if (tid === 0 && conf.is(msg, 'conf.Note')) {
      this.notes += 1;
    } else if (tid === 0 && conf.is(msg, 'conf.Get')) {
      ctx.respond(conf.msg('conf.Totals', `orders=${this.orders} notes=${this.notes} sum=${this.sum}`));
    } else {
      ctx.unhandled();
    }
  }
}

const system = await conf.createSystem();

ORDER = system.registerType(Order);
conf.say('register', ORDER >= 1 && ORDER <= 4095 ? 'ok' : 'bad id');
conf.say('register.again', system.registerType('conf.Order') === ORDER ? 'same id' : 'different id');
conf.say('lookup.unregistered', String(typeId('conf.Note')));

const shop = system.spawn(Shop, { name: 'shop' });
for (const amount of ['2', '3', '5']) shop.tell(new Message(Order.aktType, amount));
for (let i = 0; i < 2; i++) shop.tell(conf.msg('conf.Note'));
conf.say('totals', await conf.askStr(shop, 'conf.Get'));

shop.tell(conf.msg('conf.Order', '7'));
conf.say('totals.by_name', await conf.askStr(shop, 'conf.Get'));

await conf.finish(system);
