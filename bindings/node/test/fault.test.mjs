import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Actor, ActorSystem, CircuitBreaker, ClosedError, ManualClock, BreakerOpenError, BusyError,
  InvalidArgumentError,
} from 'akt';
import { withSystem } from './helpers.mjs';

const quick = (clock, extra = {}) => new CircuitBreaker({
  failureRate: 0.5, minRequests: 2, openTimeout: 1000, window: 10000, windowBuckets: 10,
  halfOpenMaxCalls: 1, clock, ...extra,
});

test('call(fn) counts rejections and throws, and short-circuits when open', async () => {
  const clock = new ManualClock(100000);
  const b = quick(clock);
  assert.equal(await b.call(() => 1), 1);
  await assert.rejects(b.call(async () => { throw new RangeError('x'); }), RangeError);
  assert.equal(b.state, 'open');
  let ran = false;
  const e = await b.call(() => { ran = true; }).catch((err) => err);
  assert.ok(e instanceof BreakerOpenError && e instanceof BusyError);
  assert.equal(e.code, 'AKT_EBUSY');
  assert.equal(ran, false);
  assert.equal(b.metrics().rejected, 1);
  clock.advance(1000);
  assert.equal(b.state, 'halfOpen');
  assert.equal(await b.call(async () => 'back'), 'back');
  assert.deepEqual(b.metrics(), { state: 'closed', successes: 0, failures: 0, failureRate: 0, rejected: 1 });
});

test('breaker options are checked', () => {
  assert.throws(() => new CircuitBreaker({ failureRate: 2 }), InvalidArgumentError);
  assert.throws(() => new CircuitBreaker({ minRequests: 0 }), InvalidArgumentError);
  assert.throws(() => new CircuitBreaker({ openTimeout: -1 }), InvalidArgumentError);
  assert.throws(() => new CircuitBreaker({ windowBuckets: 65 }), InvalidArgumentError);
  assert.throws(() => new CircuitBreaker({ clock: {} }), InvalidArgumentError);
  assert.throws(() => new ManualClock(-5), InvalidArgumentError);
  const b = new CircuitBreaker();
  assert.rejects(b.call(42), InvalidArgumentError);
});

class Echo extends Actor {
  receive(ctx, msg) { ctx.respond(msg); }
}

const until = async (cond, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

test('passivation: idle, message count, long-lived, events, system default', async () => {
  await withSystem(async (system) => {
    const seen = [];
    system.on('actorPassivated', (ev) => seen.push(ev.path));
    const idle = system.spawn(Echo, { name: 'idle', passivation: { idle: 30 } });
    const twice = system.spawn(Echo, { name: 'twice', passivation: { messages: 2 } });
    const keep = system.spawn(Echo, { name: 'keep', passivation: 'longLived' });
    assert.equal(await idle.ask(1), 1);
    assert.equal(await twice.ask(1), 1);
    assert.equal(await twice.ask(2), 2);
    await until(() => !idle.alive && !twice.alive);
    await until(() => seen.length === 2);
    assert.deepEqual(seen.sort(), ['akt://test/user/idle', 'akt://test/user/twice']);
    assert.ok(keep.alive);

    system.setDefaultPassivation({ idle: 20 });
    const late = system.spawn(Echo, { name: 'late' });
    await until(() => !late.alive);
    system.setDefaultPassivation(null);
    const after = system.spawn(Echo, { name: 'after' });
    await new Promise((r) => setTimeout(r, 60));
    assert.ok(after.alive);
  });
});

test('bad passivation options throw before anything is spawned', async () => {
  await withSystem(async (system) => {
    for (const p of [{ idle: 0 }, { messages: 0 }, { idle: 1, messages: 1 }, 'never', 5, {}]) {
      assert.throws(() => system.spawn(Echo, { name: 'x', passivation: p }), InvalidArgumentError);
    }
    assert.equal(system.lookup('x'), null);
    assert.throws(() => system.setDefaultPassivation({ idle: -1 }), InvalidArgumentError);
  });
});

test('ctx.pipeTo: to self with the actor as sender; a rejection is a dead letter; an open breaker throws', async () => {
  await withSystem(async (system) => {
    const dead = [];
    system.on('deadLetter', (ev) => dead.push(ev.reason));
    const breaker = new CircuitBreaker({ minRequests: 1 });
    let got = null;
    let refused = null;
    class Piper extends Actor {
      receive(ctx, msg) {
        if (msg === 'go') ctx.pipeTo(async () => 'result');
        else if (msg === 'fail') ctx.pipeTo(Promise.reject(new Error('x')), { breaker });
        else if (msg === 'again') {
          let called = false;
          try {
            ctx.pipeTo(() => { called = true; }, { breaker });
          } catch (e) {
            refused = [e.name, called];
          }
        } else got = [msg, ctx.sender && ctx.sender.path];
      }
    }
    const p = system.spawn(Piper, { name: 'piper' });
    p.tell('go');
    await until(() => got !== null);
    assert.deepEqual(got, ['result', 'akt://test/user/piper']);
    p.tell('fail');
    await until(() => dead.includes('pipe_to: task failed'));
    assert.equal(breaker.state, 'open');
    p.tell('again');
    await until(() => refused !== null);
    assert.deepEqual(refused, ['BreakerOpenError', false]);
  });
});

class FailsOnMessage extends Actor {
  receive() { throw new Error('boom'); }
}

// Bounded wait on a promise: a deadline, not sleep-and-hope (and a timer that holds the loop).
async function within(ms, promise, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

test('guardian policy: stop_actor stops the escalating actor, shutdown shuts the system down', async () => {
  const system = await ActorSystem.create('guardian', {
    supervisor: { directive: 'escalate' }, logger: null,
  });
  assert.throws(() => system.setGuardianPolicy('explode'), InvalidArgumentError);
  const a = system.spawn(FailsOnMessage, { name: 'a' });
  const aStopped = new Promise((resolve) => system.on('actorStopped', (ev) => {
    if (ev.path.endsWith('/user/a')) resolve();
  }));
  a.tell('x');
  await within(5000, aStopped, 'a stopped');
  assert.equal(system.closed, false); // the default: only the actor stops
  assert.equal(system.lookup('/user/a'), null);
  system.setGuardianPolicy('shutdown');
  const b = system.spawn(FailsOnMessage, { name: 'b' });
  b.tell('x');
  await within(5000, system.terminated, 'terminated');
  assert.equal(system.closed, true);
  assert.throws(() => system.spawn(FailsOnMessage, { name: 'c' }));
  await system.shutdown(); // resolves: the guardian's shutdown completed
});

test('guardian policy: shutdown() after the policy is set still resolves, terminated too', async () => {
  const system = await ActorSystem.create('guardian2', { supervisor: { directive: 'escalate' } });
  system.setGuardianPolicy('shutdown');
  system.setGuardianPolicy('stop_actor');
  system.setGuardianPolicy('shutdown');
  await within(5000, system.shutdown(), 'shutdown');
  await within(5000, system.terminated, 'terminated');
  assert.throws(() => system.setGuardianPolicy('stop_actor'), ClosedError);
});
