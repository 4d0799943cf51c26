// retry_window: with a budget of 2 retries in the window, the third failure stops the child.
import { Actor, Terminated } from 'akt';
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

const system = await conf.createSystem();

// 1. A parent with a retry budget, and an observer.
const boss = system.spawn(Manager, { name: 'boss', supervisor: { maxRetries: 2, within: 60000 } });
const observer = system.spawn(Observer, { name: 'observer' });

// 2. The child, watched.
conf.say('spawn.w', await conf.askStr(boss, 'conf.SpawnWorker', 'w'));
const w = conf.lookup(system, 'boss/w');
conf.say('watch.w', await conf.askStr(observer, 'conf.Watch', 'boss/w'));
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
