// Pool routers of JS actors: the router's own children, resized at run time, and the
// routee failure policies (stop, restart with a budget, resume).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, InvalidArgumentError } from 'akt';
import { withSystem } from './helpers.mjs';

let made = 0;
class Worker extends Actor {
  constructor() {
    super();
    this.idx = made++;
    this.seen = 0;
  }
  receive(ctx, msg) {
    if (msg === 'who' || (msg && msg.key !== undefined)) ctx.respond(this.idx);
    else if (msg === 'seen') ctx.respond(this.seen);
    else if (msg === 'boom') throw new Error('boom');
    else this.seen++;
  }
}

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

test('a pool is the router\'s children and resizes at run time', async () => {
  await withSystem(async (system) => {
    made = 0;
    const r = system.spawnRouter({ actor: Worker, size: 2, name: 'pool' });
    const first = r.routees();
    assert.equal(first.length, 2);
    assert.ok(first[1].path.endsWith('/user/pool/routee-1'), first[1].path);
    r.resize(5);
    assert.equal(r.routees().length, 5);
    const got = new Set();
    for (let i = 0; i < 5; i++) got.add(await r.ask('who'));
    assert.deepEqual([...got].sort(), [0, 1, 2, 3, 4]);
    r.resize(1); // the newest ones stop
    assert.deepEqual(r.routees().map(String), [String(first[0])]);
    assert.equal(await r.ask('who'), 0);
    r.resize(3); // grows again, with fresh instances
    assert.equal(r.routees().length, 3);
    assert.throws(() => r.resize(0), InvalidArgumentError);
  });
});

test('failure policy restart: a fresh instance, the same routee, within a budget', async () => {
  await withSystem(async (system) => {
    made = 0;
    const r = system.spawnRouter({ actor: Worker, size: 1, onFailure: 'restart', maxRetries: 2, retryWithin: 60000 });
    const only = r.routees()[0];
    r.tell('x');
    assert.equal(await r.ask('seen'), 1);
    r.tell('boom');
    assert.equal(await r.ask('who'), 1); // made again by the factory
    assert.equal(await r.ask('seen'), 0); // its state reset
    assert.deepEqual(r.routees().map(String), [String(only)]);
    r.tell('boom');
    assert.equal(await r.ask('who'), 2);
    r.tell('boom'); // the third failure within the window: stopped, and the router with it
    await until(() => !r.alive);
  }, 'pool', { logger: null });
});

test('failure policy resume keeps the state; stop removes the routee', async () => {
  await withSystem(async (system) => {
    made = 0;
    const resume = system.spawnRouter({ actor: Worker, size: 1, onFailure: 'resume' });
    resume.tell('x');
    resume.tell('boom');
    resume.tell('y');
    assert.equal(await resume.ask('seen'), 2);
    assert.equal(await resume.ask('who'), 0);
    const stop = system.spawnRouter({ actor: Worker, size: 2 });
    stop.broadcast('boom');
    await until(() => !stop.alive); // both stopped: the router goes with its last routee
    assert.throws(() => system.spawnRouter({ actor: Worker, size: 1, onFailure: 'sometimes' }), InvalidArgumentError);
    assert.throws(() => system.spawnRouter({ actor: Worker, size: 1, maxRetries: -1 }), InvalidArgumentError);
    assert.throws(() => system.spawnRouter({ actor: Worker, size: 0 }), InvalidArgumentError);
  });
});

test('consistent hash with a key function: a key always reaches the same routee', async () => {
  await withSystem(async (system) => {
    made = 0;
    const r = system.spawnRouter({ actor: Worker, size: 4, strategy: 'consistentHash', key: (m) => m.user });
    const owners = new Set();
    for (const user of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']) {
      const first = await r.ask({ user, n: 0, key: 1 });
      for (let n = 1; n < 5; n++) assert.equal(await r.ask({ user, n, key: 1 }), first, user);
      r.tell({ user, n: 9 }); // a tell takes the same route
      owners.add(first);
    }
    assert.ok(owners.size > 1, `eight users on one routee of four: ${[...owners]}`);
    // Integers and bigints are the position itself; a key that throws or has another type
    // counts as 0: routed, never lost.
    const routees = r.routees();
    const g = system.spawnRouter({ routees, strategy: 'consistentHash', key: (m) => m.k });
    const zero = await g.ask({ k: 0, key: 1 });
    assert.equal(await g.ask({ k: 0n, key: 1 }), zero);
    assert.equal(await g.ask({ k: 1.5, key: 1 }), zero);
    assert.equal(await g.ask({ key: 1 }), zero); // undefined
    const boom = system.spawnRouter({ routees, strategy: 'consistentHash', key: () => { throw new Error('no'); } });
    assert.equal(await boom.ask({ key: 1 }), zero);
    assert.throws(() => system.spawnRouter({ routees, strategy: 'consistentHash', key: 3 }), InvalidArgumentError);
  });
});
