// extensions: system-wide values given at creation, reached by name from every actor.
import { Actor, ActorSystem } from 'akt';
import * as conf from 'akt/conformance';

class Reader extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Greet')) {
      ctx.extension('tally').greetings += 1;
      ctx.respond(conf.msg('conf.Greeting', `${ctx.extension('greeting')}, ${msg.text}`));
    } else if (conf.is(msg, 'conf.Lookup')) {
      let result = 'ok';
      try {
        ctx.extension(msg.text);
      } catch (e) {
        result = conf.rc(e);
      }
      ctx.respond(conf.msg('conf.Done', result));
    } else {
      ctx.unhandled();
    }
  }
}

// The actors get these very objects: tally is the main program's own.
const tally = { greetings: 0 };
const system = await ActorSystem.create('conf', { extensions: { greeting: 'hello', tally } });
const reader = system.spawn(Reader, { name: 'reader' });
conf.say('greet', await conf.askStr(reader, 'conf.Greet', 'ada'));
conf.say('greet', await conf.askStr(reader, 'conf.Greet', 'bob'));
conf.say('tally', String(tally.greetings));
conf.say('lookup.greeting', await conf.askStr(reader, 'conf.Lookup', 'greeting'));
conf.say('lookup.missing', await conf.askStr(reader, 'conf.Lookup', 'nothing'));

const other = system.spawn(Reader, { name: 'other' });
conf.say('other.lookup', await conf.askStr(other, 'conf.Lookup', 'tally'));

conf.say('outside.greeting', system.extension('greeting'));
let missing = 'ok';
try {
  system.extension('nothing');
} catch (e) {
  missing = conf.rc(e);
}
conf.say('outside.missing', missing);

let bad = 'ok';
try {
  await (await ActorSystem.create('bad', { extensions: { x: 1 } })).shutdown();
} catch (e) {
  bad = conf.rc(e);
}
conf.say('bad.name', bad);

await conf.finish(system);
