// supervision: restart (default), resume, stop and escalate, chosen by deciders.
import * as conf from 'akt/conformance';
import { Manager, Observer } from 'akt/conformance/supervised';

// judge: the directive named in the failure's reason, else restart.
function judge({ code, reason }) {
  const directive = ['resume', 'stop', 'escalate'].find((d) => (reason || '').includes(d)) || 'restart';
  conf.log('decide', `judge ${code} -> ${directive}`);
  return directive;
}

// court: always stop.
function court({ code }) {
  conf.log('decide', `court ${code} -> stop`);
  return 'stop';
}

const tell = (pid, type, text = '') => pid.tell(conf.msg(type, text));
const ask = async (step, pid, type, text = '') => conf.say(step, await conf.askStr(pid, type, text));

const system = await conf.createSystem();

// 1. Restart: the mailbox is kept, pre_start resets the state.
const boss = system.spawn(Manager, { name: 'boss' });
await ask('spawn.w1', boss, 'conf.SpawnWorker', 'w1');
const w1 = conf.lookup(system, 'boss/w1');
for (let i = 0; i < 3; i++) tell(w1, 'conf.Incr');
tell(w1, 'conf.Fail', 'restart');
for (let i = 0; i < 2; i++) tell(w1, 'conf.Incr');
await ask('count.w1', w1, 'conf.Get');
conf.flush();

// 2. Resume: the state is kept.
const courtPid = system.spawn(new Manager({ decide: judge }), { name: 'court', supervisor: { decide: court } });
await ask('spawn.judge', courtPid, 'conf.SpawnManager', 'judge');
const judgePid = conf.lookup(system, 'court/judge');
await ask('spawn.w2', judgePid, 'conf.SpawnWorker', 'w2');
const w2 = conf.lookup(system, 'court/judge/w2');
tell(w2, 'conf.Incr');
tell(w2, 'conf.Incr');
tell(w2, 'conf.Fail', 'resume');
tell(w2, 'conf.Incr');
await ask('count.w2', w2, 'conf.Get');
conf.flush();
conf.say('stop.w2', await conf.stopGraceful(w2));
conf.flush();

// 3. Stop.
const observer = system.spawn(Observer, { name: 'observer' });
await ask('spawn.w3', judgePid, 'conf.SpawnWorker', 'w3');
const w3 = conf.lookup(system, 'court/judge/w3');
tell(w3, 'conf.Incr');
await ask('count.w3', w3, 'conf.Get');
await ask('watch.w3', observer, 'conf.Watch', 'court/judge/w3');
conf.flush();
tell(w3, 'conf.Fail', 'stop');
await conf.waitLog(4);
conf.flush();
conf.say('alive.w3', w3.alive ? '1' : '0');

// 4. Escalate: the judge fails with w4's error, the court stops it.
await ask('spawn.w4', judgePid, 'conf.SpawnWorker', 'w4');
const w4 = conf.lookup(system, 'court/judge/w4');
await ask('count.w4', w4, 'conf.Get');
await ask('watch.judge', observer, 'conf.Watch', 'court/judge');
conf.flush();
tell(w4, 'conf.Fail', 'escalate');
await conf.waitLog(6);
conf.flush();
conf.say('alive.judge', judgePid.alive ? '1' : '0');
conf.say('alive.court', courtPid.alive ? '1' : '0');

await conf.finish(system);
