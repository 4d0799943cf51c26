import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, Router, NotSupportedError, TimeoutError } from 'akt';
import { withSystem } from './helpers.mjs';

let made = 0;
class Worker extends Actor {
  constructor() {
    super();
    this.idx = made++;
  }
  receive(ctx, msg) {
    if (msg === 'who' || (msg && msg.key !== undefined)) ctx.respond(this.idx);
    else if (msg === 'count') Worker.counts[this.idx] = (Worker.counts[this.idx] || 0) + 1;
    else if (msg === 'quiet') { /* handled, never answered */ }
    else ctx.unhandled();
  }
}

test('a round-robin pool answers in routee order', async () => {
  await withSystem(async (system) => {
    made = 0;
    const r = system.spawnRouter({ actor: Worker, size: 3 });
    assert.ok(r instanceof Router);
    const got = [];
    for (let i = 0; i < 6; i++) got.push(await r.ask('who'));
    assert.deepEqual(got, [0, 1, 2, 0, 1, 2]);
    assert.equal(r.routees().length, 3);
  });
});

test('broadcast reaches every routee whatever the strategy', async () => {
  await withSystem(async (system) => {
    made = 0;
    Worker.counts = [];
    const r = system.spawnRouter({ actor: Worker, size: 3 });
    r.broadcast('count');
    // Each routee handled it before it answers the ask that follows (one sender, in order).
    for (const p of r.routees()) await p.ask('who');
    assert.deepEqual(Worker.counts, [1, 1, 1]);
  });
});

test('consistent hash: the same key reaches the same routee', async () => {
  await withSystem(async (system) => {
    made = 0;
    const r = system.spawnRouter({ actor: Worker, size: 4, strategy: 'consistentHash' });
    for (const k of ['alice', 'bob', 'carol']) {
      const a = await r.ask({ key: k });
      assert.equal(await r.ask({ key: k }), a);
    }
  });
});

test('scatter-gather and tail-chopping over a group', async () => {
  await withSystem(async (system) => {
    made = 0;
    const pids = [system.spawn(Worker), system.spawn(Worker)];
    const sg = system.spawnRouter({ routees: pids, strategy: 'scatterGatherFirst', within: 2000 });
    assert.ok([0, 1].includes(await sg.ask('who')));
    const tc = system.spawnRouter({ routees: pids, strategy: 'tailChopping', within: 100, interval: 20 });
    await assert.rejects(tc.ask('quiet'), (e) => e instanceof TimeoutError);
    assert.throws(() => sg.resize(3), (e) => e instanceof NotSupportedError);
  });
});

test('the router stops once its routees are gone', async () => {
  await withSystem(async (system) => {
    const pids = [system.spawn(Worker)];
    const r = system.spawnRouter({ routees: pids });
    await pids[0].stopGracefully();
    for (let i = 0; i < 2000 && r.alive; i++) await new Promise((res) => setTimeout(res, 5));
    assert.equal(r.alive, false);
  });
});

test('bad options are refused', async () => {
  await withSystem(async (system) => {
    assert.throws(() => system.spawnRouter({ actor: Worker, size: 0 }));
    assert.throws(() => system.spawnRouter({ actor: new Worker(), size: 2 }));
    assert.throws(() => system.spawnRouter({ routees: [system.spawn(Worker)], strategy: 'sideways' }));
    assert.throws(() => system.spawnRouter({ routees: [system.spawn(Worker)], strategy: 'scatterGatherFirst' }));
  });
});
