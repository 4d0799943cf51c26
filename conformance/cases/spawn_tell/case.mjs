// spawn_tell: spawn a named and an anonymous actor, tell them increments, ask the count.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

// conf.Incr "<k>" adds k; conf.Get answers conf.Count "<n>".
class Counter extends Actor {
  preStart() {
    this.n = 0;
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Incr')) this.n += conf.num(msg);
    else if (conf.is(msg, 'conf.Get')) ctx.respond(conf.msg('conf.Count', String(this.n)));
    else ctx.unhandled();
  }
}

const system = await conf.createSystem();

// 1. A named actor lives at /user/<name>.
const named = system.spawn(Counter, { name: 'counter' });
conf.say('spawn.named', conf.path(named));

// 2. Without a name it gets "$<n>" (printed as $N).
const anonymous = system.spawn(Counter);
conf.say('spawn.anonymous', conf.path(anonymous));

// 3. A taken name is refused.
conf.say('spawn.duplicate', await conf.rcOf(() => system.spawn(Counter, { name: 'counter' })));

// 4. Tells from one sender arrive in order; the ask comes after all ten.
for (let i = 0; i < 10; i++) named.tell(conf.msg('conf.Incr', '1'));
conf.say('count.named', await conf.askStr(named, 'conf.Get'));

for (let i = 0; i < 3; i++) anonymous.tell(conf.msg('conf.Incr', '5'));
conf.say('count.anonymous', await conf.askStr(anonymous, 'conf.Get'));

// 5. The two actors have separate state: the first one still counts 10.
conf.say('count.named_again', await conf.askStr(named, 'conf.Get'));

// 6. Looking the name up gives the same pid back.
const found = conf.lookup(system, 'counter');
conf.say('lookup.named', found.equals(named) ? 'same pid' : 'different pid');
conf.say('alive.named', named.alive ? '1' : '0');

await conf.finish(system);
