// lifecycle: preStart/postStop, an immediate stop, a poison pill, a graceful stop.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Life extends Actor {
  preStart(ctx) {
    conf.log('pre_start', conf.selfPath(ctx));
  }

  postStop(ctx) {
    conf.log('post_stop', conf.selfPath(ctx));
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Work')) conf.log('receive', `${conf.selfPath(ctx)} ${msg.text}`);
    else if (conf.is(msg, 'conf.Ping')) ctx.respond(conf.msg('conf.Pong'));
    else ctx.unhandled();
  }
}

const system = await conf.createSystem();
// The stopped event lets the program wait for a stop that has no future.
const subscription = system.subscribe('actorStopped', (ev) => {
  if (ev.path && ev.path.startsWith('akt://conf/user/')) conf.log('event.stopped', ev.path);
});

// 1. pre_start runs before the first message.
const life1 = system.spawn(Life, { name: 'life1' });
conf.say('ping.life1', await conf.askStr(life1, 'conf.Ping'));
conf.flush();

// 2. Messages in order.
life1.tell(conf.msg('conf.Work', 'a'));
life1.tell(conf.msg('conf.Work', 'b'));
conf.say('ping.life1', await conf.askStr(life1, 'conf.Ping'));
conf.flush();

// 3. An immediate stop: post_stop, then the event.
life1.stop();
conf.say('stop.life1', 'ok');
await conf.waitLog(2);
conf.flush();
conf.say('alive.life1', life1.alive ? '1' : '0');
conf.say('tell.after_stop', await conf.rcOf(() => life1.tell(conf.msg('conf.Work', 'late'))));

// 4. A poison pill stops the actor after what was queued before it.
const life2 = system.spawn(Life, { name: 'life2' });
for (const t of ['1', '2', '3']) life2.tell(conf.msg('conf.Work', t));
life2.poison();
conf.say('poison.life2', 'ok');
await conf.waitLog(6);
conf.flush();

// 5. A graceful stop, waited for.
const life3 = system.spawn(Life, { name: 'life3' });
life3.tell(conf.msg('conf.Work', 'x'));
life3.tell(conf.msg('conf.Work', 'y'));
conf.say('graceful.life3', await conf.stopGraceful(life3));
await conf.waitLog(5);
conf.flush();
conf.say('graceful.again', await conf.stopGraceful(life3));

subscription.unsubscribe();
await conf.finish(system);
