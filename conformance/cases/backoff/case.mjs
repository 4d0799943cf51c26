// backoff: restarts wait on akt's timer; messages sent meanwhile are handled after them.
import * as conf from 'akt/conformance';
import { Manager } from 'akt/conformance/supervised';

const system = await conf.createSystem();

// 1. A parent whose restarts back off.
const boss = system.spawn(Manager, {
  name: 'boss',
  supervisor: { backoff: { initial: 100, maximum: 1000, multiplier: 2 } },
});

// 2. The child.
conf.say('spawn.w', await conf.askStr(boss, 'conf.SpawnWorker', 'w'));
const w = conf.lookup(system, 'boss/w');
await conf.waitLog(2); // pre_start of boss and of w: w starts after SpawnWorker answers
conf.flushSorted();

// 3. The first restart waits; what is sent meanwhile is handled after it.
w.tell(conf.msg('conf.Incr'));
w.tell(conf.msg('conf.Fail', 'first'));
await conf.waitLog(1);
w.tell(conf.msg('conf.Incr'));
w.tell(conf.msg('conf.Mark', 'during'));
await conf.waitLog(4);
conf.flush();

// 4. The second restart waits longer; the order is the same.
w.tell(conf.msg('conf.Fail', 'second'));
await conf.waitLog(1);
w.tell(conf.msg('conf.Mark', 'again'));
await conf.waitLog(4);
conf.flush();

// 5. Restarted, alive.
conf.say('count.w', await conf.askStr(w, 'conf.Get'));
conf.say('alive.w', w.alive ? '1' : '0');

await conf.finish(system);
