// events: lifecycle events on the event stream (started, failed, restarted, stopped).
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Ev extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Ping')) ctx.respond(conf.msg('conf.Pong'));
    else if (conf.is(msg, 'conf.Fail')) throw new Error('fail');
    else ctx.unhandled();
  }
}

// parent: as ev, and it spawns an ev child named c when it starts.
class Parent extends Ev {
  preStart(ctx) {
    ctx.spawn(Ev, { name: 'c' });
  }
}

const system = await conf.createSystem();

const lines = {
  actorStarted: (ev) => `started ${ev.path}`,
  actorFailed: (ev) => `failed ${ev.path} ${ev.code}`,
  actorRestarted: (ev) => `restarted ${ev.path}`,
  actorStopped: (ev) => `stopped ${ev.path}`,
};
const subscription = system.subscribe(Object.keys(lines), (ev) => {
  if (ev.path && ev.path.startsWith('akt://conf/user/ev')) conf.log('event', lines[ev.kind](ev));
});

// 1. Started.
const ev1 = system.spawn(Ev, { name: 'ev1' });
await conf.waitLog(1);
conf.flush();

// 2. Failed, then restarted.
ev1.tell(conf.msg('conf.Fail'));
await conf.waitLog(2);
conf.flush();
conf.say('ping.ev1', await conf.askStr(ev1, 'conf.Ping'));

// 3. Stopped.
conf.say('stop.ev1', await conf.stopGraceful(ev1));
await conf.waitLog(1);
conf.flush();

// 4. A parent and its child.
const ev2 = system.spawn(Parent, { name: 'ev2' });
await conf.waitLog(2);
conf.flushSorted();
conf.say('stop.ev2', await conf.stopGraceful(ev2));
await conf.waitLog(2);
conf.flush();

// 5. Nothing after unsubscribing.
subscription.unsubscribe();
conf.say('unsubscribe', 'ok');
const ev3 = system.spawn(Ev, { name: 'ev3' });
conf.say('ping.ev3', await conf.askStr(ev3, 'conf.Ping'));
conf.say('stop.ev3', await conf.stopGraceful(ev3));
conf.say('journal.after_unsubscribe', String(conf.logCount()));

await conf.finish(system);
