// error_rules: rules by error class or name answer before the decider, the most specific first.
import { Actor, Terminated } from 'akt';
import * as conf from 'akt/conformance';

class InvalidInput extends Error {}
InvalidInput.prototype.name = 'InvalidInput';
class Fatal extends InvalidInput {}
Fatal.prototype.name = 'Fatal';
const KINDS = { invalid: InvalidInput, fatal: Fatal, other: Error };

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
      throw new KINDS[msg.text](msg.text);
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

class Observer extends Actor {
  preStart() {
    this.watched = [];
  }

  receive(ctx, msg) {
    if (msg instanceof Terminated) {
      for (const { pid, path } of this.watched) if (pid.equals(msg.pid)) conf.log('terminated', path);
    } else if (conf.is(msg, 'conf.Watch')) {
      const pid = ctx.system.lookup(msg.text);
      if (!pid) {
        ctx.respond(conf.msg('conf.Done', 'AKT_ENOTFOUND'));
        return;
      }
      this.watched.push({ pid, path: conf.path(pid) });
      ctx.watch(pid);
      ctx.respond(conf.msg('conf.Done', 'ok'));
    } else {
      ctx.unhandled();
    }
  }
}

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
