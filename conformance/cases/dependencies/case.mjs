// dependencies: named values given at spawn, reached by name from inside the actor.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Greeter extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Greet')) {
      const greeting = ctx.dependency('greeting');
      const tally = ctx.dependency('tally');
      tally.greetings += 1;
      ctx.respond(conf.msg('conf.Greeting', `${greeting}, ${msg.text}`));
    } else if (conf.is(msg, 'conf.Lookup')) {
      let result = 'ok';
      try {
        ctx.dependency(msg.text);
      } catch (e) {
        result = conf.rc(e);
      }
      ctx.respond(conf.msg('conf.Done', result));
    } else if (conf.is(msg, 'conf.Fail')) {
      throw new Error('fail');
    } else {
      ctx.unhandled();
    }
  }
}

const system = await conf.createSystem();
// The actor gets these very objects: tally is the main program's own.
const tally = { greetings: 0 };

// 1. Dependencies by name.
const greeter = system.spawn(Greeter, { name: 'greeter', dependencies: { greeting: 'hello', tally } });
conf.say('greet', await conf.askStr(greeter, 'conf.Greet', 'ada'));
conf.say('greet', await conf.askStr(greeter, 'conf.Greet', 'bob'));
conf.say('tally', String(tally.greetings));
conf.say('lookup.greeting', await conf.askStr(greeter, 'conf.Lookup', 'greeting'));
conf.say('lookup.missing', await conf.askStr(greeter, 'conf.Lookup', 'nothing'));

// 2. They survive a restart.
greeter.tell(conf.msg('conf.Fail'));
conf.say('greet.after_restart', await conf.askStr(greeter, 'conf.Greet', 'cy'));
conf.say('tally', String(tally.greetings));

// 3. An actor without dependencies has none.
const plain = system.spawn(Greeter, { name: 'plain' });
conf.say('plain.lookup', await conf.askStr(plain, 'conf.Lookup', 'greeting'));

await conf.finish(system);
