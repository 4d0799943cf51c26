// retry_window: with a budget of 2 retries in the window, the third failure stops the child.
import * as conf from 'akt/conformance';
import { Manager, Observer } from 'akt/conformance/supervised';

const system = await conf.createSystem();

// 1. A parent with a retry budget, and an observer.
const boss = system.spawn(Manager, { name: 'boss', supervisor: { maxRetries: 2, within: 60000 } });
const observer = system.spawn(Observer, { name: 'observer' });

// 2. The child, watched.
conf.say('spawn.w', await conf.askStr(boss, 'conf.SpawnWorker', 'w'));
const w = conf.lookup(system, 'boss/w');
conf.say('watch.w', await conf.askStr(observer, 'conf.Watch', 'boss/w'));
await conf.waitLog(2); // pre_start of boss and of w: w starts after SpawnWorker answers
conf.flushSorted();

// 3. Three failures in the window: restart, restart, stop.
for (const [type, text] of [
  ['conf.Incr', ''],
  ['conf.Fail', 'one'],
  ['conf.Incr', ''],
  ['conf.Fail', 'two'],
  ['conf.Incr', ''],
  ['conf.Fail', 'three'],
  ['conf.Incr', ''],
])
  w.tell(conf.msg(type, text));
await conf.waitLog(9);
conf.flush();

// 4. Out of retries: stopped.
conf.say('alive.w', w.alive ? '1' : '0');

await conf.finish(system);
