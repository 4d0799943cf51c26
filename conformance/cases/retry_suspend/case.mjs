// retry_suspend: a child out of retries is suspended, then reinstated with a fresh budget.
import * as conf from 'akt/conformance';
import { Manager } from 'akt/conformance/supervised';

const tell = (pid, type, text = '') => pid.tell(conf.msg(type, text));

const system = await conf.createSystem();
const sub = system.subscribe(['actorSuspended', 'actorReinstated'], (ev) =>
  conf.log(ev.kind === 'actorSuspended' ? 'suspended' : 'reinstated', ev.path || '?'));

// 1. A parent with a budget of 1 retry whose exhaustion suspends, and its child.
const boss = system.spawn(Manager, {
  name: 'boss',
  supervisor: { maxRetries: 1, within: 60000, onRetriesExhausted: 'suspend' },
});
conf.say('spawn.w', await conf.askStr(boss, 'conf.SpawnWorker', 'w'));
const w = conf.lookup(system, 'boss/w');
await conf.waitLog(2);
conf.flushSorted();

// 2. The first failure restarts, the second is out of retries: suspended.
for (const [type, text] of [
  ['conf.Incr', ''],
  ['conf.Fail', 'one'],
  ['conf.Incr', ''],
  ['conf.Fail', 'two'],
  ['conf.Incr', ''],
])
  tell(w, type, text);
await conf.waitLog(5);
conf.flush();

// 3. Refused while suspended.
conf.say('tell.w', await conf.rcOf(() => tell(w, 'conf.Incr')));
conf.say('ask.w', await conf.askStr(w, 'conf.Get'));

// 4. Reinstated by name: the state was kept, the queued message handled.
system.reinstateNamed('boss/w');
await conf.waitLog(1);
conf.flush();
conf.say('count.w', await conf.askStr(w, 'conf.Get'));

// 5. A fresh budget: the next failure restarts again, the one after suspends.
tell(w, 'conf.Fail', 'three');
tell(w, 'conf.Incr');
await conf.waitLog(3);
conf.flush();
conf.say('count.w', await conf.askStr(w, 'conf.Get'));
tell(w, 'conf.Fail', 'four');
await conf.waitLog(2);
conf.flush();
conf.say('alive.w', w.alive ? '1' : '0');

sub.unsubscribe();
await conf.finish(system);
