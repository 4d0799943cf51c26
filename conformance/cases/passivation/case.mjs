// passivation: after n messages, after an idle time, never; the system default.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Worker extends Actor {
  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Ping')) ctx.respond(conf.msg('conf.Pong'));
    else ctx.unhandled();
  }

  postStop(ctx) {
    conf.log('post_stop', conf.selfPath(ctx));
  }
}

const system = await conf.createSystem();
const subscription = system.subscribe(['actorPassivated'], (ev) => {
  if (ev.path && ev.path.startsWith('akt://conf/user/')) conf.log('passivated', ev.path);
});

const counted = system.spawn(Worker, { name: 'counted', passivation: { messages: 3 } });
for (let i = 1; i <= 3; i++) conf.say(`ask.${i}`, await conf.askStr(counted, 'conf.Ping'));
await conf.waitLog(2);
conf.flushSorted();

const idle = system.spawn(Worker, { name: 'idle', passivation: { idle: 500 } });
const keeper = system.spawn(Worker, { name: 'keeper', passivation: 'longLived' });
const plain = system.spawn(Worker, { name: 'plain' });
conf.say('idle', await conf.askStr(idle, 'conf.Ping'));
conf.say('keeper', await conf.askStr(keeper, 'conf.Ping'));
conf.say('plain', await conf.askStr(plain, 'conf.Ping'));
await conf.waitLog(2);
conf.flushSorted();
conf.say('keeper.again', await conf.askStr(keeper, 'conf.Ping'));
conf.say('plain.again', await conf.askStr(plain, 'conf.Ping'));

system.setDefaultPassivation({ idle: 500 });
const late = system.spawn(Worker, { name: 'late' });
conf.say('late', await conf.askStr(late, 'conf.Ping'));
await conf.waitLog(2);
conf.flushSorted();
system.setDefaultPassivation(null);

subscription.unsubscribe();
await conf.finish(system);
