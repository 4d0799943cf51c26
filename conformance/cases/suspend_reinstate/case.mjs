// suspend_reinstate: a suspended child refuses tells and asks until reinstated by name.
import * as conf from 'akt/conformance';
import { Manager } from 'akt/conformance/supervised';

const tell = (pid, type, text = '') => pid.tell(conf.msg(type, text));

const system = await conf.createSystem();
const sub = system.subscribe(['actorSuspended', 'actorReinstated'], (ev) =>
  conf.log(ev.kind === 'actorSuspended' ? 'suspended' : 'reinstated', ev.path || '?'));

// 1. A failure suspends w; the message queued behind it stays.
const boss = system.spawn(Manager, { name: 'boss', supervisor: { directive: 'suspend' } });
conf.say('spawn.w', await conf.askStr(boss, 'conf.SpawnWorker', 'w'));
const w = conf.lookup(system, 'boss/w');
tell(w, 'conf.Incr');
tell(w, 'conf.Incr');
tell(w, 'conf.Fail', 'suspend');
tell(w, 'conf.Incr');
await conf.waitLog(4);
conf.flush();

// 2. Refused while suspended.
conf.say('tell.w', await conf.rcOf(() => tell(w, 'conf.Incr')));
conf.say('ask.w', await conf.askStr(w, 'conf.Get'));

// 3. Reinstated by name: the state was kept, the queued message handled.
system.reinstateNamed('boss/w');
await conf.waitLog(1);
conf.flush();
conf.say('count.w', await conf.askStr(w, 'conf.Get'));

// 4. Suspended again, then stopped.
tell(w, 'conf.Fail', 'again');
await conf.waitLog(2);
conf.flush();
w.stop();
await conf.waitLog(1);
conf.flush();

sub.unsubscribe();
await conf.finish(system);
