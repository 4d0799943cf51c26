// error_rules: rules by error class or name answer before the decider, the most specific first.
import * as conf from 'akt/conformance';
import { Fatal, InvalidInput, Manager, Observer } from 'akt/conformance/supervised';

function judge({ code }) {
  conf.log('decide', `${code} -> restart`);
  return 'restart';
}

const system = await conf.createSystem();

// 1. A parent with rules (a class and a name) and a decider, and an observer.
const boss = system.spawn(Manager, {
  name: 'boss',
  supervisor: { decide: judge, rules: [[InvalidInput, 'resume'], ['Fatal', 'stop']] },
});
const observer = system.spawn(Observer, { name: 'observer' });

// 2. The child, watched.
conf.say('spawn.w', await conf.askStr(boss, 'conf.SpawnWorker', 'w'));
const w = conf.lookup(system, 'boss/w');
conf.say('watch.w', await conf.askStr(observer, 'conf.Watch', 'boss/w'));
await conf.waitLog(2); // pre_start of boss and of w: w starts after SpawnWorker answers
conf.flushSorted();

// 3. A rule resumes, without the decider.
w.tell(conf.msg('conf.Incr'));
w.tell(conf.msg('conf.Fail', 'invalid'));
w.tell(conf.msg('conf.Incr'));
conf.say('count.resumed', await conf.askStr(w, 'conf.Get'));
conf.flush();

// 4. No rule: the decider restarts.
w.tell(conf.msg('conf.Fail', 'other'));
w.tell(conf.msg('conf.Incr'));
conf.say('count.restarted', await conf.askStr(w, 'conf.Get'));
conf.flush();

// 5. A rule stops (Fatal's own rule, not InvalidInput's).
w.tell(conf.msg('conf.Fail', 'fatal'));
await conf.waitLog(3);
conf.flush();
conf.say('alive.w', w.alive ? '1' : '0');

await conf.finish(system);
