// suspend_reinstate: a suspended child refuses tells and asks until reinstated by name.
import { Actor } from 'akt';
import * as conf from 'akt/conformance';

class Worker extends Actor {
  preStart(ctx) {
    this.n = 0;
    conf.log('pre_start', conf.selfPath(ctx));
  }

  postStop(ctx) {
    conf.log('post_stop', `${conf.selfPath(ctx)} n=${this.n}`);
  }

  receive(ctx, msg) {
    if (conf.is(msg, 'conf.Incr')) {
      this.n += 1;
    } else if (conf.is(msg, 'conf.Get')) {
      ctx.respond(conf.msg('conf.Count', String(this.n)));
    } else if (conf.is(msg, 'conf.Fail')) {
      conf.log('fail', `${conf.selfPath(ctx)} ${msg.text}`);
      throw new Error(msg.text);
    } else {
      ctx.unhandled();
    }
  }
}

class Manager extends Actor {
  preStart(ctx) {
    conf.log('pre_start', conf.selfPath(ctx));
  }

  postStop(ctx) {
    conf.log('post_stop', conf.selfPath(ctx));
  }

  receive(ctx, msg) {
    if (!conf.is(msg, 'conf.SpawnWorker')) {
      ctx.unhandled();
      return;
    }
    let result = 'ok';
    try {
      ctx.spawn(Worker, { name: msg.text });
    } catch (e) {
      result = conf.rc(e);
    }
    ctx.respond(conf.msg('conf.Done', result));
  }
}

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
