// supervision_all_for_one: one child of a one-for-all parent fails, all three restart.
import * as conf from 'akt/conformance';
import { Manager } from 'akt/conformance/supervised';

const NAMES = ['a', 'b', 'c'];

const system = await conf.createSystem();

// 1. A parent whose children are supervised one-for-all.
const boss = system.spawn(Manager, { name: 'boss', supervisor: { strategy: 'oneForAll' } });

// 2. Three children with different counts.
const workers = [];
for (const name of NAMES) {
  conf.say(`spawn.${name}`, await conf.askStr(boss, 'conf.SpawnWorker', name));
  workers.push(conf.lookup(system, `boss/${name}`));
}
workers.forEach((w, i) => {
  for (let k = 0; k <= i; k++) w.tell(conf.msg('conf.Incr'));
});
for (const [i, name] of NAMES.entries()) conf.say(`count.${name}`, await conf.askStr(workers[i], 'conf.Get'));
conf.flushSorted();

// 3. One fails: every child of boss restarts.
workers[1].tell(conf.msg('conf.Fail', 'boom'));
await conf.waitLog(7);
conf.flushSorted();

// 4. All three start from zero and are alive.
for (const [i, name] of NAMES.entries()) conf.say(`after.${name}`, await conf.askStr(workers[i], 'conf.Get'));
for (const [i, name] of NAMES.entries()) conf.say(`alive.${name}`, workers[i].alive ? '1' : '0');

await conf.finish(system);
