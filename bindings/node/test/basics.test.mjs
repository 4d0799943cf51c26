import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ActorSystem, Actor, Pid, ExistsError, NotFoundError, TimeoutError, UnhandledError,
  InvalidArgumentError, AktError, version,
} from 'akt';
import { withSystem } from './helpers.mjs';

class Counter extends Actor {
  preStart() { this.n = 0; }
  receive(ctx, msg) {
    if (msg && msg.incr !== undefined) this.n += msg.incr;
    else if (msg === 'get') ctx.respond(this.n);
    else ctx.unhandled();
  }
}

test('version is libakt\'s', () => {
  assert.match(version, /^\d+\.\d+\.\d+$/);
});

test('ActorSystem.create resolves; the constructor is not public', async () => {
  await withSystem(async (system) => {
    assert.ok(system instanceof ActorSystem);
    assert.equal(system.name, 'test');
  });
  assert.throws(() => new ActorSystem('x'), TypeError);
});

test('tell in order then ask sees every increment', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Counter, { name: 'counter' });
    assert.ok(pid instanceof Pid);
    for (let i = 1; i <= 100; i++) pid.tell({ incr: i });
    assert.equal(await pid.ask('get', { timeout: 1000 }), 5050);
  });
});

test('paths, lookup and alive', async () => {
  await withSystem(async (system) => {
    const named = system.spawn(Counter, { name: 'c1' });
    const anon = system.spawn(Counter);
    assert.equal(named.path, 'akt://test/user/c1');
    assert.match(anon.path, /^akt:\/\/test\/user\/\$\d+$/);
    assert.ok(system.lookup('c1').equals(named));
    assert.ok(system.lookup('/user/c1').equals(named));
    assert.equal(system.lookup('nobody'), null);
    assert.equal(named.alive, true);
    assert.equal(typeof named.id, 'bigint');
    assert.equal(String(named), 'akt://test/user/c1');
  });
});

test('a taken name throws ExistsError with its code', async () => {
  await withSystem(async (system) => {
    system.spawn(Counter, { name: 'dup' });
    assert.throws(() => system.spawn(Counter, { name: 'dup' }), (e) => e instanceof ExistsError &&
      e instanceof AktError && e.code === 'AKT_EEXIST' && e.errno === -7);
  });
});

test('an unhandled ask rejects with UnhandledError; a silent one times out', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Counter);
    await assert.rejects(pid.ask('what?', { timeout: 1000 }), UnhandledError);
    const silent = system.spawn((ctx, msg) => {});
    const t0 = Date.now();
    await assert.rejects(silent.ask('x', { timeout: 50 }), (e) => e instanceof TimeoutError && e.code === 'AKT_ETIMEDOUT');
    assert.ok(Date.now() - t0 >= 40);
  });
});

test('spawn takes a class, an instance (kept) or a receive function', async () => {
  await withSystem(async (system) => {
    const instance = new Counter();
    const a = system.spawn(instance);
    a.tell({ incr: 2 });
    assert.equal(await a.ask('get'), 2);
    assert.equal(instance.n, 2);
    const f = system.spawn((ctx, msg) => ctx.respond(`echo:${msg}`));
    assert.equal(await f.ask('hi'), 'echo:hi');
    assert.throws(() => system.spawn(42), InvalidArgumentError);
    assert.throws(() => system.spawn({}), InvalidArgumentError);
  });
});

test('stopped actors: tell and ask throw NotFoundError', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Counter);
    await pid.stopGracefully({ timeout: 1000 });
    assert.equal(pid.alive, false);
    assert.throws(() => pid.tell({ incr: 1 }), NotFoundError);
    assert.throws(() => pid.ask('get'), NotFoundError);
    assert.throws(() => pid.path, NotFoundError);
  });
});

test('bad input throws errors with codes, never crashes', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Counter);
    assert.throws(() => system.spawn(Counter, { name: 'a/b' }), (e) => e.code === 'AKT_EINVAL');
    assert.throws(() => system.spawn(Counter, { name: 42 }), (e) => e.code === 'AKT_EINVAL');
    assert.throws(() => pid.ask('get', { timeout: -1 }), (e) => e.code === 'AKT_EINVAL');
    assert.throws(() => pid.ask('get', { timeout: 'soon' }), (e) => e.code === 'AKT_EINVAL');
    assert.throws(() => pid.tell('x', { type: '' }), (e) => e.code === 'AKT_EINVAL');
    assert.throws(() => pid.tell('x', { type: 5 }), (e) => e.code === 'AKT_EINVAL');
    assert.throws(() => system.lookup(7), (e) => e.code === 'AKT_EINVAL');
    assert.throws(() => system.spawn(Counter, { supervisor: { directive: 'panic' } }), InvalidArgumentError);
    const forged = new Pid(system, 12345, 999);
    assert.throws(() => forged.tell(1), NotFoundError);
    assert.equal(forged.alive, false);
    assert.throws(() => new Pid(system, -1, 'x').tell(1), (e) => e.code === 'AKT_EINVAL');
    assert.equal(await pid.ask('get'), 0); // still fine
  });
});

test('ask can be cancelled with an AbortSignal', async () => {
  await withSystem(async (system) => {
    const silent = system.spawn((ctx, msg) => {});
    const ac = new AbortController();
    const p = silent.ask('x', { timeout: 5000, signal: ac.signal });
    ac.abort();
    await assert.rejects(p, (e) => e.code === 'AKT_ECANCELED');
    await assert.rejects(silent.ask('x', { signal: AbortSignal.abort() }), (e) => e.code === 'AKT_ECANCELED');
  });
});

test('tellBatch and askBatch', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(Counter);
    pid.tellBatch([{ incr: 1 }, { incr: 2 }, { incr: 3 }]);
    const [a, b] = pid.askBatch(['get', 'nope'], { timeout: 1000 });
    assert.equal(await a, 6);
    await assert.rejects(b, UnhandledError);
    assert.throws(() => pid.tellBatch('x'), InvalidArgumentError);
  });
});

test('many actors, many messages', async () => {
  await withSystem(async (system) => {
    const pids = [];
    for (let i = 0; i < 200; i++) pids.push(system.spawn(Counter));
    for (let r = 0; r < 50; r++) for (const p of pids) p.tell({ incr: 1 });
    const counts = await Promise.all(pids.map((p) => p.ask('get')));
    assert.deepEqual(new Set(counts), new Set([50]));
  });
});
