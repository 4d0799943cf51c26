import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, Grain, ActorSystem, NotFoundError, ExistsError, InvalidArgumentError, ClosedError } from 'akt';
import { withSystem } from './helpers.mjs';

// Counts "inc"; answers "get" with its count and "who" with name#count.
function counterKind() {
  const stats = { activations: 0, deactivations: 0, waiters: [] };
  class Counter extends Actor {
    constructor(name) {
      super();
      this.name = name;
      this.count = 0;
    }
    preStart() { stats.activations++; }
    postStop() {
      stats.deactivations++;
      for (const w of stats.waiters.splice(0)) w();
    }
    receive(ctx, msg) {
      if (msg === 'inc') this.count++;
      else if (msg === 'get') ctx.respond(this.count);
      else if (msg === 'who') ctx.respond(`${this.name}#${this.count}`);
      else ctx.unhandled();
    }
  }
  // A deactivation comes from akt's timer thread: nothing of Node's keeps the loop alive
  // while the test waits for it, so an interval does (it never fires in time to matter).
  const deactivated = (n) => new Promise((resolve) => {
    const keep = setInterval(() => {}, 1000);
    const check = () => {
      if (stats.deactivations < n) return stats.waiters.push(check);
      clearInterval(keep);
      return resolve();
    };
    check();
  });
  return { Counter, stats, deactivated };
}

test('the first message activates a grain, once for many sends', async () => {
  await withSystem(async (system) => {
    const { Counter, stats } = counterKind();
    system.registerGrain('counter', Counter);
    const g = system.grain('counter', 'hot');
    assert.ok(g instanceof Grain);
    for (let i = 0; i < 1000; i++) g.tell('inc');
    const asks = [];
    for (let i = 0; i < 10; i++) asks.push(system.grain('counter', 'hot').ask('get'));
    const counts = await Promise.all(asks);
    assert.equal(counts[9], 1000);
    assert.equal(stats.activations, 1);
  });
});

test('ask by identity: each name is its own grain', async () => {
  await withSystem(async (system) => {
    const { Counter, stats } = counterKind();
    system.registerGrain('counter', Counter);
    const alice = system.grain('counter', 'alice');
    alice.tell('inc');
    alice.tell('inc');
    assert.equal(await alice.ask('who'), 'alice#2');
    assert.equal(await system.grain('counter', 'bob').ask('who'), 'bob#0');
    assert.equal(alice.identity, 'counter/alice');
    assert.equal(stats.activations, 2);
  });
});

test('an idle grain deactivates; the next message activates a fresh one', async () => {
  await withSystem(async (system) => {
    const { Counter, stats, deactivated } = counterKind();
    system.registerGrain('idle', Counter, { deactivateAfter: 30 });
    const g = system.grain('idle', 'x');
    g.tell('inc');
    assert.equal(await g.ask('get'), 1);
    await deactivated(1);
    assert.equal(await g.ask('get'), 0);
    assert.equal(stats.activations, 2);
  });
});

test('a factory function gets the name; grains tell grains', async () => {
  await withSystem(async (system) => {
    const { Counter } = counterKind();
    system.registerGrain('counter', Counter);
    system.registerGrain('relay', (name) => ({
      receive(ctx, msg) {
        system.grain('counter', name).tell('inc');
        ctx.respond('relayed');
      },
    }));
    assert.equal(await system.grain('relay', 'z').ask('go'), 'relayed');
    assert.equal(await system.grain('counter', 'z').ask('get'), 1);
  });
});

test('a failing factory fails that activation only', async () => {
  await withSystem(async (system) => {
    let calls = 0;
    const { Counter } = counterKind();
    system.registerGrain('flaky', (name) => {
      calls++;
      if (calls === 1) throw new Error('not yet');
      return new Counter(name);
    });
    system.on('actorFailed', () => {});
    await assert.rejects(system.grain('flaky', 'f').ask('get', { timeout: 2000 }));
    assert.equal(await system.grain('flaky', 'f').ask('who'), 'f#0');
    assert.equal(calls, 2);
  });
});

test('bad input', async () => {
  await withSystem(async (system) => {
    const { Counter } = counterKind();
    assert.throws(() => system.grain('nokind', 'x').tell('inc'), NotFoundError);
    system.registerGrain('counter', Counter);
    assert.throws(() => system.registerGrain('counter', Counter), ExistsError);
    assert.throws(() => system.registerGrain('a/b', Counter), InvalidArgumentError);
    assert.throws(() => system.registerGrain('neg', Counter, { deactivateAfter: -1 }), InvalidArgumentError);
    assert.throws(() => system.registerGrain('x', 42), InvalidArgumentError);
    assert.throws(() => system.grain('counter', 3), InvalidArgumentError);
    assert.throws(() => system.grain('counter', '').tell('inc'), InvalidArgumentError);
    assert.throws(() => system.grain('counter', 'x').ask('get', { timeout: -1 }), InvalidArgumentError);
  });
});

test('shutdown with active grains deactivates them all', async () => {
  const system = await ActorSystem.create('grains', { logger: null });
  const { Counter, stats } = counterKind();
  system.registerGrain('counter', Counter);
  for (let i = 0; i < 50; i++) system.grain('counter', `g${i}`).tell('inc');
  // Every grain answers first: an activation stopped before its first turn never starts.
  for (let i = 0; i < 50; i++) assert.equal(await system.grain('counter', `g${i}`).ask('get'), 1);
  assert.equal(stats.activations, 50);
  await system.shutdown();
  assert.equal(stats.deactivations, 50);
  assert.throws(() => system.grain('counter', 'g0'), ClosedError);
});
