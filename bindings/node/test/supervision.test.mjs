import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, ActorFailedError, SuspendedError, Terminated } from 'akt';
import { withSystem, collector } from './helpers.mjs';

class Worker extends Actor {
  constructor() {
    super();
    Worker.instances = (Worker.instances || 0) + 1;
  }
  preStart() { this.n = 0; }
  receive(ctx, msg) {
    if (msg === 'incr') this.n++;
    else if (msg === 'get') ctx.respond(this.n);
    else if (msg.fail) throw new Error(msg.fail);
  }
}

test('a throw is a failure: the ask rejects and the default supervisor restarts', async () => {
  await withSystem(async (system) => {
    const failed = collector(1);
    system.on('actorFailed', (ev) => failed.push({ code: ev.code, reason: ev.reason }));
    Worker.instances = 0;
    const pid = system.spawn(Worker);
    pid.tell('incr');
    await assert.rejects(pid.ask({ fail: 'boom' }), (e) => e instanceof ActorFailedError && e.code === 'AKT_EFAILED');
    pid.tell('incr');
    assert.equal(await pid.ask('get'), 1); // a fresh instance: state reset
    assert.equal(Worker.instances, 2);
    assert.deepEqual(await failed.wait(), [{ code: 'AKT_EFAILED', reason: 'Error: boom' }]);
  });
});

test('an instance spawn keeps its object across a restart; preStart runs again', async () => {
  await withSystem(async (system) => {
    const w = new Worker();
    const pid = system.spawn(w);
    pid.tell('incr');
    pid.tell({ fail: 'x' });
    assert.equal(await pid.ask('get'), 0);
    assert.equal(w.n, 0);
  });
});

test('directives and deciders of a JS parent', async () => {
  await withSystem(async (system) => {
    const decisions = [];
    class Parent extends Actor {
      receive(ctx, msg) {
        ctx.respond(ctx.spawn(Worker, { name: msg }));
      }
    }
    const parent = system.spawn(Parent, {
      supervisor: {
        decide: ({ code, reason }) => {
          decisions.push(`${code}:${reason}`);
          return reason.includes('resume') ? 'resume' : reason.includes('stop') ? 'stop' : undefined;
        },
      },
    });
    const w = await parent.ask('w');
    w.tell('incr');
    w.tell({ fail: 'resume please' });
    assert.equal(await w.ask('get'), 1); // resumed: state kept
    w.tell({ fail: 'restart please' }); // decider returns nothing: the default, restart
    assert.equal(await w.ask('get'), 0);
    const terms = collector(1);
    const watcher = system.spawn((ctx, msg) => {
      if (msg instanceof Terminated) terms.push('stopped');
      else { ctx.watch(w); ctx.respond('ok'); }
    });
    await watcher.ask('watch');
    w.tell({ fail: 'stop now' });
    await terms.wait();
    assert.equal(w.alive, false);
    assert.deepEqual(decisions, [
      'AKT_EFAILED:Error: resume please', 'AKT_EFAILED:Error: restart please',
      'AKT_EFAILED:Error: stop now',
    ]);
  });
});

test('a system-wide directive for top-level actors', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Worker);
    pid.tell('incr');
    pid.tell({ fail: 'x' });
    assert.equal(await pid.ask('get'), 1); // resumed
  }, 'resuming', { supervisor: { directive: 'resume' } });
});

test('a throwing preStart stops the actor; a throwing postStop is logged and a failure event', async () => {
  const logged = [];
  const logger = { error: (text, err) => logged.push([text, err.message]) };
  await withSystem(async (system) => {
    const failed = collector(2);
    system.on('actorFailed', (ev) => failed.push(ev.reason));
    const pid = system.spawn({ preStart() { throw new Error('no start'); }, receive() {} });
    const stopped = collector(1);
    const p2 = system.spawn({ postStop() { throw new Error('no stop'); }, receive(ctx) { ctx.respond('up'); } });
    system.on('actorStopped', (ev) => { if (ev.pid.equals(p2)) stopped.push(1); });
    assert.equal(await p2.ask('started?'), 'up'); // postStop is owed only once started
    const path = p2.path;
    p2.stop();
    await stopped.wait();
    assert.deepEqual(logged.at(-1), [`akt: actor ${path} failed in postStop:`, 'no stop']);
    assert.equal(pid.alive, false);
    assert.equal(p2.alive, false); // the failure did not block the stop
    assert.deepEqual(await failed.wait(), ['Error: no start', 'Error: no stop']);
  }, 'test', { logger });
});

test('a rejected async receive is a failure handled by the supervisor', async () => {
  await withSystem(async (system) => {
    const failed = collector(1);
    system.on('actorFailed', (ev) => failed.push(ev.reason));
    let starts = 0;
    const pid = system.spawn({
      preStart() { starts++; },
      async receive(ctx, msg) {
        if (msg === 'ping') { ctx.respond('pong'); return; }
        await null;
        throw new Error('async boom');
      },
    });
    pid.tell('go');
    assert.deepEqual(await failed.wait(), ['Error: async boom']);
    assert.equal(await pid.ask('ping'), 'pong');
    assert.equal(starts, 2);
  });
});

async function until(cond, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

test('oneForAll restarts every child of the parent', async () => {
  await withSystem(async (system) => {
    class Group extends Actor {
      receive(ctx) { ctx.respond([0, 1, 2].map((i) => ctx.spawn(Worker, { name: `m${i}` }))); }
    }
    const boss = system.spawn(Group, { supervisor: { strategy: 'oneForAll' } });
    const members = await boss.ask('spawn');
    for (const m of members) {
      m.tell('incr');
      assert.equal(await m.ask('get'), 1);
    }
    const restarted = new Set();
    system.on('actorRestarted', (ev) => restarted.add(ev.path));
    members[1].tell({ fail: 'boom' });
    await until(() => restarted.size === 3);
    for (const m of members) assert.equal(await m.ask('get'), 0);
    assert.equal(boss.alive, true);
  });
});

test('a retry budget stops the child after maxRetries failures within the window', async () => {
  await withSystem(async (system) => {
    class Boss extends Actor {
      receive(ctx) { ctx.respond(ctx.spawn(Worker)); }
    }
    const boss = system.spawn(Boss, { supervisor: { maxRetries: 1, within: 60000 } });
    const w = await boss.ask('spawn');
    w.tell({ fail: 'one' });
    w.tell('incr');
    assert.equal(await w.ask('get'), 1);
    w.tell({ fail: 'two' });
    await until(() => !w.alive);
    assert.equal(boss.alive, true);
  });
});

test("onRetriesExhausted 'suspend': a child out of retries is suspended, reinstated with a fresh budget", async () => {
  await withSystem(async (system) => {
    const events = [];
    system.subscribe(['actorSuspended', 'actorReinstated', 'actorRestarted'], (ev) => events.push(ev.kind));
    const count = (kind) => events.filter((k) => k === kind).length;
    class Boss extends Actor {
      receive(ctx) { ctx.respond(ctx.spawn(Worker, { name: 'w' })); }
    }
    const boss = system.spawn(Boss, { supervisor: { maxRetries: 1, within: 60000, onRetriesExhausted: 'suspend' } });
    const w = await boss.ask('spawn');
    w.tell({ fail: 'one' });
    w.tell('incr');
    assert.equal(await w.ask('get'), 1); // restarted once
    w.tell({ fail: 'two' }); // the second failure within the window: suspended, not stopped
    await until(() => count('actorSuspended') === 1);
    assert.throws(() => w.tell('incr'), SuspendedError);
    assert.equal(w.alive, true);
    w.reinstate();
    await until(() => count('actorReinstated') === 1);
    assert.equal(await w.ask('get'), 1); // the state was kept
    w.tell({ fail: 'three' }); // a fresh budget: restarted again
    assert.equal(await w.ask('get'), 0);
    await until(() => count('actorRestarted') === 2);
    w.tell({ fail: 'four' });
    await until(() => count('actorSuspended') === 2);
    assert.equal(w.alive, true);
  });
});

test("a system supervisor takes onRetriesExhausted; 'stop' is the default", async () => {
  await withSystem(async (system) => {
    const t = system.spawn(Worker);
    t.tell({ fail: 'one' });
    t.tell('incr');
    assert.equal(await t.ask('get'), 1);
    t.tell({ fail: 'two' });
    await until(() => {
      try { t.tell('noop'); return false; } catch (e) { return e instanceof SuspendedError; }
    });
    t.reinstate();
    await until(() => {
      try { t.tell('noop'); return true; } catch { return false; }
    });
    assert.equal(await t.ask('get'), 1);
  }, 'exhausted', { supervisor: { maxRetries: 1, within: 60000, onRetriesExhausted: 'suspend' } });
  await withSystem(async (system) => {
    const t = system.spawn(Worker);
    t.tell({ fail: 'one' });
    t.tell({ fail: 'two' });
    await until(() => !t.alive);
  }, 'stopping', { supervisor: { maxRetries: 1, within: 60000 } });
});

test('bad onRetriesExhausted values throw InvalidArgumentError', async () => {
  await withSystem(async (system) => {
    for (const onRetriesExhausted of ['restart', 'resume', 'escalate', 'toString', 1, null, true]) {
      const supervisor = { maxRetries: 1, within: 1, onRetriesExhausted };
      assert.throws(() => system.spawn(Worker, { supervisor }), (e) => e.code === 'AKT_EINVAL', String(onRetriesExhausted));
    }
    system.spawn(Worker, { supervisor: { maxRetries: 1, within: 1, onRetriesExhausted: 'stop' } });
  });
  const { ActorSystem } = await import('akt');
  await assert.rejects(ActorSystem.create('bad', { supervisor: { onRetriesExhausted: 'later' } }),
    (e) => e.code === 'AKT_EINVAL');
});

test('bad supervisor options throw InvalidArgumentError', async () => {
  await withSystem(async (system) => {
    for (const supervisor of [{ strategy: 'allForNone' }, { maxRetries: -1 }, { maxRetries: 1.5, within: 1 },
      { maxRetries: 2 }, { maxRetries: 2, within: 0 }, { within: -5 }, { within: 'soon' }]) {
      assert.throws(() => system.spawn(Worker, { supervisor }), (e) => e.code === 'AKT_EINVAL', JSON.stringify(supervisor));
    }
    const pid = system.spawn(Worker);
    assert.equal(await pid.ask('get'), 0); // nothing broke
  });
});

test('a backoff delays the restart; messages sent meanwhile are handled after it', async () => {
  await withSystem(async (system) => {
    class Boss extends Actor {
      receive(ctx) { ctx.respond(ctx.spawn(Worker)); }
    }
    const boss = system.spawn(Boss, { supervisor: { backoff: { initial: 50, maximum: 1000 } } });
    const w = await boss.ask('spawn');
    const t0 = performance.now();
    w.tell({ fail: 'one' });
    w.tell('incr');
    assert.equal(await w.ask('get'), 1);
    assert.ok(performance.now() - t0 >= 49, 'the restart waited for the backoff');
  });
});

test('bad backoff options throw InvalidArgumentError', async () => {
  await withSystem(async (system) => {
    for (const backoff of [{}, { initial: 0 }, { initial: 10, maximum: 5 }, { initial: 10, multiplier: 0.5 },
      { initial: 10, jitter: 2 }, { initial: 10, jitter: NaN }, { initial: 10, resetAfter: -1 }, 5]) {
      assert.throws(() => system.spawn(Worker, { supervisor: { backoff } }), (e) => e.code === 'AKT_EINVAL',
        JSON.stringify(backoff));
    }
  });
});

test('suspend: tells and asks throw SuspendedError until reinstated; the state is kept', async () => {
  await withSystem(async (system) => {
    const kinds = [];
    system.subscribe(['actorSuspended', 'actorReinstated'], (ev) => kinds.push(ev.kind));
    class Boss extends Actor {
      receive(ctx) { ctx.respond(ctx.spawn(Worker, { name: 'w' })); }
    }
    const boss = system.spawn(Boss, { name: 'boss', supervisor: { directive: 'suspend' } });
    const w = await boss.ask('spawn');
    w.tell('incr');
    w.tell({ fail: 'one' });
    await until(() => kinds.includes('actorSuspended'));
    assert.throws(() => w.tell('incr'), SuspendedError);
    assert.throws(() => w.ask('get'), SuspendedError); // refused at once, as a stale pid
    system.reinstateNamed('boss/w');
    await until(() => kinds.includes('actorReinstated'));
    assert.equal(await w.ask('get'), 1);
    w.reinstate(); // not suspended: nothing happens
    assert.throws(() => system.reinstateNamed('nobody'), (e) => e.code === 'AKT_ENOTFOUND');
  });
});

class Thrower extends Actor {
  preStart() { this.n = 0; }
  receive(ctx, msg) {
    this.n++;
    if (msg === 'get') ctx.respond(this.n);
    else if (msg instanceof Error) throw msg;
  }
}

test('rules by error class or name answer before the decider, the most specific first', async () => {
  await withSystem(async (system) => {
    const decided = [];
    class Special extends TypeError {}
    class Parent extends Actor {
      receive(ctx) { ctx.respond(ctx.spawn(Thrower)); }
    }
    const parent = system.spawn(Parent, {
      supervisor: {
        decide: ({ reason }) => { decided.push(reason); return 'restart'; },
        rules: [[Error, 'stop'], [TypeError, 'resume'], ['RangeError', 'resume']],
      },
    });
    const w = await parent.ask('spawn');
    w.tell(new Special('s')); // TypeError is nearer than Error: resume
    w.tell(new RangeError('r')); // by name: resume
    assert.equal(await w.ask('get'), 3); // resumed twice: the state is kept
    assert.deepEqual(decided, []);
    const terms = collector(1);
    const watcher = system.spawn((ctx, msg) => {
      if (msg instanceof Terminated) terms.push('stopped');
      else { ctx.watch(w); ctx.respond('ok'); }
    });
    await watcher.ask('watch');
    w.tell(new Error('plain')); // Error: stop, still without the decider
    await terms.wait();
    assert.deepEqual(decided, []);
  });
});

test('a code rule (an akt error class or AKT_E* name) goes through akt', async () => {
  await withSystem(async (system) => {
    const decided = [];
    class Parent extends Actor {
      receive(ctx) { ctx.respond(ctx.spawn(Thrower)); }
    }
    const parent = system.spawn(Parent, {
      supervisor: { decide: () => { decided.push('called'); return 'restart'; }, rules: [['AKT_EFAILED', 'resume']] },
    });
    const w = await parent.ask('spawn');
    w.tell(new Error('any JS throw fails with AKT_EFAILED'));
    assert.equal(await w.ask('get'), 2); // resumed by akt's table
    assert.deepEqual(decided, []);
    for (const rules of [[[42, 'stop']], [[Error, 'sometimes']], 'rules', [[Error]], [['', 'stop']]]) {
      assert.throws(() => system.spawn(Thrower, { supervisor: { rules } }), (e) => e.code === 'AKT_EINVAL', String(rules));
    }
  });
});
