// grain_options: a grain kind's bounded mailbox, dependencies and reentrancy.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Server extends Actor {
  preStart() {
    this.holding = false;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Hold')) {
      this.holding = true;
    } else if (conf.is(msg, 'conf.Release')) {
      this.holding = false;
      ctx.unstashAll();
    } else if (conf.is(msg, 'conf.Inc')) {
      if (this.holding) ctx.stash();
      else ctx.respond(conf.msg('conf.Done', `${msg.text}!`));
    } else if (conf.is(msg, 'conf.Ping')) {
      ctx.respond(conf.msg('conf.Pong'));
    } else {
      ctx.unhandled();
    }
  }
}

class Box extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Go')) {
      ctx.request(ctx.dependency('server'), conf.msg('conf.Inc', msg.text), {
        then: (c, reply, error) => conf.log('reply', error ? conf.rc(error) : reply.text),
      });
      conf.log('go', msg.text);
    } else if (conf.is(msg, 'conf.Item')) {
      conf.log('item', msg.text);
    } else if (conf.is(msg, 'conf.Greet')) {
      ctx.respond(conf.msg('conf.Greeting', ctx.dependency('greeting')));
    } else {
      ctx.unhandled();
    }
  }
}

const system = await conf.createSystem();
const server = system.spawn(Server, { name: 'server' });
const register = (kind, whenFull) => system.registerGrain(kind, Box, {
  deactivateAfter: 0,
  mailbox: { capacity: 2, whenFull },
  dependencies: { server, greeting: 'hello' },
  reentrancy: 'stash',
});
const box = system.grain('box', 'b');
const tellBox = (type, text = '') => conf.rcOf(() => box.tell(conf.msg(type, text)));

// 1. Kinds with options; a dropping mailbox is refused.
conf.say('register.box', await conf.rcOf(() => register('box', 'fail')));
conf.say('register.drop', await conf.rcOf(() => register('drop', 'drop')));

// 2. The server holds its requests.
server.tell(conf.msg('conf.Hold'));
conf.say('ping', await conf.askStr(server, 'conf.Ping'));

// 3. A request in flight: stash keeps what follows in the mailbox.
if ((await tellBox('conf.Go', 'a')) !== 'ok') conf.fatal('tell conf.Go failed');
await conf.waitLog(1);
conf.flush();

// 4. Two fit, the third is refused.
for (const t of ['x', 'y', 'z']) conf.say(`tell.${t}`, await tellBox('conf.Item', t));

// 5. The answer, then the kept items in order.
server.tell(conf.msg('conf.Release'));
await conf.waitLog(3);
conf.flush();

// 6. A dependency by name.
conf.say('ask.greet', await conf.askStr(box, 'conf.Greet'));

// 7. Options per activation: a bound and stash for plain/p only.
conf.say('register.plain', await conf.rcOf(() => system.registerGrain('plain', Box, {
  deactivateAfter: 0,
  dependencies: { server, greeting: 'hello' },
})));
server.tell(conf.msg('conf.Hold'));
conf.say('hold', await conf.askStr(server, 'conf.Ping'));
const p = system.grain('plain', 'p', { mailbox: { capacity: 1, whenFull: 'fail' }, reentrancy: 'stash' });
if ((await conf.rcOf(() => p.tell(conf.msg('conf.Go', 'c')))) !== 'ok') conf.fatal('tell conf.Go failed');
await conf.waitLog(1);
conf.flush();
for (const t of ['u', 'v']) conf.say(`tell.${t}`, await conf.rcOf(() => p.tell(conf.msg('conf.Item', t))));
system.grain('plain', 'q').tell(conf.msg('conf.Item', 'w'));
await conf.waitLog(1);
conf.flush();
server.tell(conf.msg('conf.Release'));
await conf.waitLog(2);
conf.flush();

// 8. Dependencies per activation: plain/d's own; a live activation keeps them.
const greetOpts = (greeting) => (greeting === undefined ? undefined : { dependencies: { server, greeting } });
conf.say('ask.own', await conf.askStr(system.grain('plain', 'd', greetOpts('hi')), 'conf.Greet'));
conf.say('ask.again', await conf.askStr(system.grain('plain', 'd', greetOpts('hey')), 'conf.Greet'));
conf.say('ask.kind', await conf.askStr(system.grain('plain', 'e', greetOpts()), 'conf.Greet'));

await conf.finish(system);
