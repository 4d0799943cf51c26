// Grain options: a kind's bounded mailbox, dependencies and reentrancy, for each activation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, MailboxFullError, InvalidArgumentError, NotFoundError } from 'akt';
import { withSystem, collector } from './helpers.mjs';

// A deactivation comes from akt's timer thread: an interval keeps the loop alive meanwhile.
function until(pred, ms = 5000) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const t = setInterval(() => {
      if (pred()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() > end) {
        clearInterval(t);
        reject(new Error('timed out'));
      }
    }, 5);
  });
}

// Records what it gets; ['dep', name] answers a dependency; 'go' requests ['inc', 1] from
// the dependency "server".
function boxKind() {
  const stats = { seen: [], deactivations: 0 };
  class Box extends Actor {
    postStop() { stats.deactivations++; }
    receive(ctx, msg) {
      if (Array.isArray(msg) && msg[0] === 'dep') {
        try {
          ctx.respond(ctx.dependency(msg[1]));
        } catch (e) {
          ctx.respond(e instanceof NotFoundError ? 'none' : `error:${e.name}`);
        }
      } else if (msg === 'go') {
        ctx.request(ctx.dependency('server'), ['inc', 1], { then: (c, r, e) => stats.seen.push(e ? `error:${e.name}` : `reply:${r}`) });
        stats.seen.push('go');
      } else if (msg === 'get') ctx.respond(stats.seen.length);
      else stats.seen.push(msg);
    }
  }
  return { Box, stats };
}

// Keeps ['inc', n] (stashed) while holding; 'release' answers them.
class Server extends Actor {
  constructor() {
    super();
    this.holding = true;
  }
  receive(ctx, msg) {
    if (msg === 'release') {
      this.holding = false;
      ctx.unstashAll();
    } else if (Array.isArray(msg) && msg[0] === 'inc') {
      if (this.holding) ctx.stash();
      else ctx.respond(msg[1] + 1);
    }
  }
}

test('a bounded grain refuses what does not fit and still deactivates', async () => {
  await withSystem(async (system) => {
    const { Box, stats } = boxKind();
    system.registerGrain('box', Box, { mailbox: { capacity: 3 }, deactivateAfter: 50 });
    const g = system.grain('box', 'b');
    let refused = 0;
    // One synchronous burst: nothing runs on this thread meanwhile, so all of it waits.
    for (let i = 0; i < 8; i++) {
      try {
        g.tell(i);
      } catch (e) {
        assert.ok(e instanceof MailboxFullError, String(e));
        refused++;
      }
    }
    assert.equal(refused, 5);
    await until(() => stats.seen.length === 3);
    assert.deepEqual(stats.seen, [0, 1, 2]);
    await until(() => stats.deactivations === 1); // nothing refused stays counted
  });
});

test('every activation reaches the kind dependencies', async () => {
  await withSystem(async (system) => {
    const { Box, stats } = boxKind();
    const db = { url: 'postgres://' };
    system.registerGrain('deps', Box, { dependencies: { db, port: 5432 }, deactivateAfter: 30 });
    const g = system.grain('deps', 'd');
    assert.equal(await g.ask(['dep', 'db']), db);
    assert.equal(await g.ask(['dep', 'port']), 5432);
    assert.equal(await g.ask(['dep', 'nope']), 'none');
    await until(() => stats.deactivations === 1);
    assert.equal(await g.ask(['dep', 'db']), db); // a fresh activation, the same value
  });
});

for (const [mode, want] of [
  ['allowAll', ['go', 'm1', 'm2', 'reply:2']],
  ['stash', ['go', 'reply:2', 'm1', 'm2']],
]) {
  test(`a grain kind's reentrancy: ${mode}`, async () => {
    await withSystem(async (system) => {
      const server = system.spawn(Server);
      const { Box, stats } = boxKind();
      system.registerGrain('re', Box, { dependencies: { server }, reentrancy: mode, deactivateAfter: 0 });
      const g = system.grain('re', 'r');
      for (const m of ['go', 'm1', 'm2']) g.tell(m);
      await until(() => stats.seen.length === (mode === 'allowAll' ? 3 : 1));
      server.tell('release');
      await until(() => stats.seen.length === 4);
      assert.deepEqual(stats.seen, want);
    });
  });
}

test('bad grain options are refused, nothing registered', async () => {
  await withSystem(async (system) => {
    const { Box } = boxKind();
    const bad = [
      { mailbox: { capacity: 2, whenFull: 'drop' } },
      { mailbox: { kind: 'fair' } },
      { mailbox: { capacity: -1 } },
      { mailbox: 3 },
      { dependencies: [1, 2] },
      { dependencies: { '': 1 } },
      { reentrancy: 'sometimes' },
      { maxInFlight: -1 },
    ];
    for (const opts of bad)
      assert.throws(() => system.registerGrain('k', Box, opts), InvalidArgumentError, JSON.stringify(opts));
    assert.throws(() => system.grain('k', 'x').tell('m'), NotFoundError);
    system.registerGrain('k', Box, { mailbox: { capacity: 1 }, maxInFlight: 2 });
    const c = collector(1);
    c.push(await system.grain('k', 'x').ask('get'));
    assert.deepEqual(await c.wait(), [0]);
  });
});

// ---- options per activation (system.grain(kind, name, opts)) --------------------------

test('options per activation override the kind\'s; an active grain keeps its own', async () => {
  await withSystem(async (system) => {
    const { Box, stats } = boxKind();
    system.registerGrain('box', Box, { deactivateAfter: 0 }); // long-lived, unbounded
    const small = system.grain('box', 'small', { mailbox: { capacity: 2 } });
    let refused = 0;
    for (let i = 0; i < 5; i++) {
      try {
        small.tell(i);
      } catch (e) {
        assert.ok(e instanceof MailboxFullError, String(e));
        refused++;
      }
    }
    assert.equal(refused, 3);
    // Active already (its messages wait): other options change nothing.
    assert.throws(() => system.grain('box', 'small', { mailbox: { capacity: 10 } }).tell('more'), MailboxFullError);
    const big = system.grain('box', 'big');
    for (let i = 0; i < 5; i++) big.tell(10 + i);
    await until(() => stats.seen.length === 7);
    system.grain('box', 'brief', { deactivateAfter: 30 }).tell('x');
    await until(() => stats.deactivations === 1);
    assert.equal(await big.ask('get'), 8);
    assert.equal(stats.deactivations, 1);
  });
});

test('reentrancy per activation', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(Server);
    const { Box, stats } = boxKind();
    system.registerGrain('re', Box, { dependencies: { server }, deactivateAfter: 0 });
    const g = system.grain('re', 'r', { reentrancy: 'allowAll' });
    for (const m of ['go', 'm1', 'm2']) g.tell(m);
    await until(() => stats.seen.length === 3);
    server.tell('release');
    await until(() => stats.seen.length === 4);
    assert.deepEqual(stats.seen, ['go', 'm1', 'm2', 'reply:2']);
  });
});

test('bad options per activation are refused', async () => {
  await withSystem(async (system) => {
    const { Box, stats } = boxKind();
    system.registerGrain('k', Box);
    for (const opts of [{ mailbox: { capacity: 2, whenFull: 'drop' } }, { mailbox: 3 }, { reentrancy: 'sometimes' },
      { maxInFlight: -1 }, { deactivateAfter: -5 }, 'x'])
      assert.throws(() => system.grain('k', 'x', opts), InvalidArgumentError, JSON.stringify(opts));
    assert.equal(await system.grain('k', 'x', { maxInFlight: 3, deactivateAfter: null }).ask('get'), 0);
    assert.deepEqual(stats.seen, []);
  });
});

test('dependencies per activation replace the kind\'s; a live activation keeps its own', async () => {
  await withSystem(async (system) => {
    const { Box, stats } = boxKind();
    const db = { url: 'postgres://' };
    const cache = { kind: 'lru' };
    system.registerGrain('deps', Box, { dependencies: { db, greeting: 'hello' }, deactivateAfter: null });
    const own = system.grain('deps', 'own', { dependencies: { greeting: 'hi', cache } });
    assert.equal(await own.ask(['dep', 'greeting']), 'hi');
    assert.equal(await own.ask(['dep', 'cache']), cache);
    assert.equal(await own.ask(['dep', 'db']), 'none'); // replaced, not merged
    // a later send with other dependencies reaches the live activation: it keeps its own
    const again = system.grain('deps', 'own', { dependencies: { greeting: 'hey' } });
    assert.equal(await again.ask(['dep', 'greeting']), 'hi');
    // another grain of the kind, without them (or with {}), has the kind's
    assert.equal(await system.grain('deps', 'plain').ask(['dep', 'greeting']), 'hello');
    assert.equal(await system.grain('deps', 'plain').ask(['dep', 'cache']), 'none');
    assert.equal(await system.grain('deps', 'empty', { dependencies: {} }).ask(['dep', 'db']), db);
    assert.deepEqual(stats.seen, []);
  });
});

test('a fresh activation takes the dependencies of the send that makes it', async () => {
  await withSystem(async (system) => {
    const { Box, stats } = boxKind();
    system.registerGrain('brief', Box, { dependencies: { greeting: 'hello' }, deactivateAfter: 30 });
    const g = system.grain('brief', 'b', { dependencies: { greeting: 'hi' } });
    assert.equal(await g.ask(['dep', 'greeting']), 'hi');
    // Gone from the directory, not only past postStop (see test_grain_options.py).
    await until(() => stats.deactivations === 1 && system.metrics().grains === 0);
    assert.equal(await system.grain('brief', 'b').ask(['dep', 'greeting']), 'hello');
    await until(() => stats.deactivations === 2 && system.metrics().grains === 0);
    assert.equal(await g.ask(['dep', 'greeting']), 'hi'); // this handle's, again
  });
});

test('bad dependencies per activation are refused', async () => {
  await withSystem(async (system) => {
    const { Box, stats } = boxKind();
    system.registerGrain('k', Box);
    for (const dependencies of [[1, 2], 'db', 7, { '': 1 }, { ['x'.repeat(256)]: 1 }])
      assert.throws(() => system.grain('k', 'x', { dependencies }), InvalidArgumentError, JSON.stringify(dependencies));
    assert.equal(await system.grain('k', 'x', { dependencies: null }).ask('get'), 0);
    assert.deepEqual(stats.seen, []);
  });
});
