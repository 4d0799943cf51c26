// backoff: restarts wait on akt's timer; messages sent meanwhile are handled after them.
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
    } else if (conf.is(msg, 'conf.Mark')) {
      conf.log('handled', `${conf.selfPath(ctx)} ${msg.text} n=${this.n}`);
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

const system = await conf.createSystem();

// 1. A parent whose restarts back off.
const boss = system.spawn(Manager, {
  name: 'boss',
  supervisor: { backoff: { initial: 100, maximum: 1000, multiplier: 2 } },
});

// 2. The child.
conf.say('spawn.w', await conf.askStr(boss, 'conf.SpawnWorker', 'w'));
const w = conf.lookup(system, 'boss/w');
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
