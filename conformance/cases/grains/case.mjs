// grains: activation on first message, single activation, deactivation and reactivation
// with state reset, ask by identity, an unknown kind.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

function counterKind(kind) {
  return class Counter extends Actor {
    constructor(name) {
      super();
      this.name = name;
      this.count = 0;
    }

    preStart() { conf.log('activate', `${kind}/${this.name}`); }

    postStop() { conf.log('deactivate', `${kind}/${this.name} count=${this.count}`); }

    receive(ctx, msg) {
      if (conf.is(msg, 'conf.Inc')) this.count++;
      else if (conf.is(msg, 'conf.Get')) ctx.respond(conf.msg('conf.Count', `${this.name} ${this.count}`));
      else ctx.unhandled();
    }
  };
}

const system = await conf.createSystem();

// 1. Kinds, registered by name.
conf.say('register.counter', await conf.rcOf(() => system.registerGrain('counter', counterKind('counter'), { deactivateAfter: 0 })));
conf.say('register.session', await conf.rcOf(() => system.registerGrain('session', counterKind('session'), { deactivateAfter: 300 })));
conf.say('register.counter.again', await conf.rcOf(() => system.registerGrain('counter', counterKind('counter'), { deactivateAfter: 0 })));

// 2. The first message activates; the grain keeps its state.
const alice = system.grain('counter', 'alice');
for (let i = 0; i < 3; i++) alice.tell(conf.msg('conf.Inc'));
conf.say('ask.alice', await conf.askStr(alice, 'conf.Get'));
await conf.waitLog(1);
conf.flush();

// 3. Another name, another grain.
conf.say('ask.bob', await conf.askStr(system.grain('counter', 'bob'), 'conf.Get'));
await conf.waitLog(1);
conf.flush();

// 4. Many messages before the first is handled: one activation.
const carol = system.grain('counter', 'carol');
for (let i = 0; i < 100; i++) carol.tell(conf.msg('conf.Inc'));
conf.say('ask.carol', await conf.askStr(carol, 'conf.Get'));
await conf.waitLog(1);
conf.flush();

// 5. An idle session deactivates.
const s1 = system.grain('session', 's1');
s1.tell(conf.msg('conf.Inc'));
s1.tell(conf.msg('conf.Inc'));
conf.say('ask.s1', await conf.askStr(s1, 'conf.Get'));
await conf.waitLog(2);
conf.flush();

// 6. The next message activates a fresh one.
conf.say('ask.s1.again', await conf.askStr(s1, 'conf.Get'));
await conf.waitLog(1);
conf.flush();

// 7. An unknown kind.
conf.say('tell.nokind', await conf.rcOf(() => system.grain('nokind', 'x').tell(conf.msg('conf.Inc'))));

await conf.finish(system);
