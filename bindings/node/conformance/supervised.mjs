// The actors of the supervision cases (supervision_all_for_one, retry_window, backoff,
// error_rules, supervision, suspend_reinstate): a worker, a manager that spawns workers, an observer that logs the end of
// the actors it watches. Each case brings only its supervisor (C: conformance/c/conf_supervised.c).
import { Actor, Terminated } from 'akt';
import * as conf from './conf.mjs';

/** The kind "invalid" (error_rules). */
export class InvalidInput extends Error {}
InvalidInput.prototype.name = 'InvalidInput';
/** The kind "fatal": an InvalidInput too, with a rule of its own (error_rules). */
export class Fatal extends InvalidInput {}
Fatal.prototype.name = 'Fatal';
// The error a conf.Fail "<reason>" throws, by reason; Error for the others.
const KINDS = { invalid: InvalidInput, fatal: Fatal };

/** Counts conf.Incr (conf.Get answers conf.Count); conf.Fail fails; conf.Mark logs handled. */
export class Worker extends Actor {
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
    } else if (conf.is(msg, 'conf.Mark')) {
      conf.log('handled', `${conf.selfPath(ctx)} ${msg.text} n=${this.n}`);
    } else if (conf.is(msg, 'conf.Get')) {
      ctx.respond(conf.msg('conf.Count', String(this.n)));
    } else if (conf.is(msg, 'conf.Fail')) {
      conf.log('fail', `${conf.selfPath(ctx)} ${msg.text}`);
      throw new (KINDS[msg.text] || Error)(msg.text);
    } else {
      ctx.unhandled();
    }
  }
}

/**
 * conf.SpawnWorker "<name>" spawns a Worker child named so; conf.SpawnManager "<name>" spawns
 * a Manager child named so whose children `childSupervisor` supervises (spawn an instance,
 * `new Manager({ decide })`, to give one).
 */
export class Manager extends Actor {
  constructor(childSupervisor) {
    super();
    this.childSupervisor = childSupervisor;
  }

  preStart(ctx) {
    conf.log('pre_start', conf.selfPath(ctx));
  }

  postStop(ctx) {
    conf.log('post_stop', conf.selfPath(ctx));
  }

  receive(ctx, msg) {
    let spawn;
    if (conf.is(msg, 'conf.SpawnWorker')) spawn = () => ctx.spawn(Worker, { name: msg.text });
    else if (conf.is(msg, 'conf.SpawnManager'))
      spawn = () => ctx.spawn(Manager, { name: msg.text, supervisor: this.childSupervisor });
    else {
      ctx.unhandled();
      return;
    }
    let result = 'ok';
    try {
      spawn();
    } catch (e) {
      result = conf.rc(e);
    }
    ctx.respond(conf.msg('conf.Done', result));
  }
}

/** conf.Watch "<path>" watches that actor; its Terminated logs terminated "<path>". */
export class Observer extends Actor {
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
