// become: replace, push and pop receive handlers, and go back to the actor's own.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

// Every handler answers the same messages and differs only in its mood name.
function handler(mood) {
  return function receive(ctx, msg) {
    if (conf.is(msg, 'conf.Get')) {
      ctx.respond(conf.msg('conf.Mood', mood));
      return;
    }
    let change;
    if (conf.is(msg, 'conf.Become')) change = () => ctx.become(moods[msg.text]);
    else if (conf.is(msg, 'conf.Push')) change = () => ctx.become(moods[msg.text], { stacked: true });
    else if (conf.is(msg, 'conf.Pop')) change = () => ctx.unbecomeStacked();
    else if (conf.is(msg, 'conf.Reset')) change = () => ctx.unbecome();
    else {
      ctx.unhandled();
      return;
    }
    let result = 'ok';
    try {
      change();
    } catch (e) {
      result = conf.rc(e);
    }
    ctx.respond(conf.msg('conf.Done', result));
  };
}

const moods = { happy: handler('happy'), sad: handler('sad'), angry: handler('angry'), calm: handler('calm') };

class Mood extends Actor {
  receive(ctx, msg) {
    moods.happy(ctx, msg);
  }
}

const steps = [
  ['get', 'conf.Get', ''], ['push.angry', 'conf.Push', 'angry'], ['get', 'conf.Get', ''],
  ['push.calm', 'conf.Push', 'calm'], ['get', 'conf.Get', ''], ['pop', 'conf.Pop', ''],
  ['get', 'conf.Get', ''], ['pop', 'conf.Pop', ''], ['get', 'conf.Get', ''],
  ['pop', 'conf.Pop', ''], ['get', 'conf.Get', ''], ['become.sad', 'conf.Become', 'sad'],
  ['get', 'conf.Get', ''], ['push.angry', 'conf.Push', 'angry'], ['get', 'conf.Get', ''],
  ['become.calm', 'conf.Become', 'calm'], ['get', 'conf.Get', ''], ['reset', 'conf.Reset', ''],
  ['get', 'conf.Get', ''], ['push.sad', 'conf.Push', 'sad'], ['push.angry', 'conf.Push', 'angry'],
  ['get', 'conf.Get', ''], ['reset', 'conf.Reset', ''], ['get', 'conf.Get', ''],
];

const system = await conf.createSystem();
const mood = system.spawn(Mood, { name: 'mood' });
for (const [step, type, text] of steps) conf.say(step, await conf.askStr(mood, type, text));
await conf.finish(system);
