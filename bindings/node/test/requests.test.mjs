// Reentrant requests: ctx.request's answer comes back on the requesting actor's own turn;
// reentrancy modes, the A -> B -> A cycle, timeouts, the in-flight limit, stop cancels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, BusyError, InvalidArgumentError, NotFoundError, TimeoutError } from 'akt';
import { withSystem, collector } from './helpers.mjs';

// ['inc', n] -> n + 1, kept (stashed) while holding; 'release' answers the kept ones;
// ['bounce'] goes back to its sender, with its asker.
class Server extends Actor {
  constructor() {
    super();
    this.holding = false;
    this.handled = [];
  }

  receive(ctx, msg) {
    if (msg === 'hold') this.holding = true;
    else if (msg === 'release') {
      this.holding = false;
      ctx.unstashAll();
    } else if (msg === 'sync') ctx.respond('sync');
    else if (Array.isArray(msg) && msg[0] === 'inc') {
      if (this.holding) ctx.stash();
      else {
        this.handled.push(msg[1]);
        ctx.respond(msg[1] + 1);
      }
    } else if (Array.isArray(msg) && msg[0] === 'bounce') ctx.forward(ctx.sender);
  }
}

class Client extends Actor {
  constructor(server, opts = {}) {
    super();
    this.server = server;
    this.n = opts.n ?? 1;
    this.opts = opts;
    this.log = [];
    this.done = opts.done;
    this.busy = 0;
    this.inside = false;
    this.overlaps = 0;
  }

  then(ctx, reply, error) {
    if (this.inside) this.overlaps++;
    assert.ok(ctx.self); // a live context
    this.log.push(error ? `error:${error.name}` : `reply:${reply}`);
    if (this.done) this.done.push(this.log.at(-1));
  }

  receive(ctx, msg) {
    this.inside = true;
    try {
      if (msg === 'go') {
        for (let i = 0; i < this.n; i++) {
          try {
            ctx.request(this.server, ['inc', i], { timeout: this.opts.timeout, then: (c, r, e) => this.then(c, r, e) });
          } catch (e) {
            if (!(e instanceof BusyError)) throw e;
            this.busy++;
          }
        }
        this.log.push('go');
      } else if (msg === 'go-bounce') {
        const p = ctx.request(this.server, ['bounce'], { timeout: this.opts.timeout });
        p.then((r) => this.done.push(`promise:${r}`), (e) => this.done.push(`promise:${e.name}`));
      } else if (Array.isArray(msg) && msg[0] === 'bounce') ctx.respond('pong');
      else if (msg === 'sync') ctx.respond('sync');
      else {
        this.log.push(msg);
        if (this.done) this.done.push(msg);
      }
    } finally {
      this.inside = false;
    }
  }
}

async function order(mode) {
  return withSystem(async (system) => {
    const server = system.spawn(new Server());
    server.tell('hold');
    const done = collector(4); // "go" is logged, not collected
    const client = new Client(server, { n: 2, done });
    const pid = system.spawn(client, { reentrancy: mode });
    pid.tell('go');
    pid.tell('m1');
    pid.tell('m2');
    if (mode === 'allowAll') {
      while (client.log.length < 3) await new Promise((r) => setImmediate(r));
    } else {
      await server.ask('sync'); // the requests have reached the server
    }
    server.tell('release');
    await done.wait();
    assert.equal(client.overlaps, 0);
    return client.log;
  });
}

test('stash keeps user messages, in order, until the answers came', async () => {
  assert.deepEqual(await order('stash'), ['go', 'reply:1', 'reply:2', 'm1', 'm2']);
});

test('allowAll keeps handling messages while requests are in flight', async () => {
  assert.deepEqual(await order('allowAll'), ['go', 'm1', 'm2', 'reply:1', 'reply:2']);
});

test('an A -> B -> A cycle completes with allowAll; with stash it times out', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(new Server());
    const done = collector(1);
    system.spawn(new Client(server, { done }), { reentrancy: 'allowAll' }).tell('go-bounce');
    assert.deepEqual(await done.wait(), ['promise:pong']);
    const dead = collector(1);
    system.on('deadLetter', (ev) => { if ((ev.reason || '').startsWith('asker gave up')) dead.push(ev.reason); });
    const done2 = collector(1);
    system.spawn(new Client(server, { done: done2, timeout: 100 }), { reentrancy: 'stash' }).tell('go-bounce');
    assert.deepEqual(await done2.wait(), ['promise:TimeoutError']);
    await dead.wait();
  });
});

test('a timeout reaches the continuation; the callee skips the abandoned ask', async () => {
  await withSystem(async (system) => {
    const s = new Server();
    const server = system.spawn(s);
    server.tell('hold');
    const done = collector(1);
    system.spawn(new Client(server, { done, timeout: 30 })).tell('go');
    assert.deepEqual(await done.wait(), ['error:TimeoutError']);
    server.tell('release');
    assert.equal(await server.ask('sync'), 'sync');
    assert.deepEqual(s.handled, []);
  });
});

test('maxInFlight refuses with BusyError; stop cancels the requests in flight', async () => {
  await withSystem(async (system) => {
    const s = new Server();
    const server = system.spawn(s);
    server.tell('hold');
    const client = new Client(server, { n: 3 });
    const pid = system.spawn(client, { maxInFlight: 2 });
    pid.tell('go');
    assert.equal(await pid.ask('sync'), 'sync');
    assert.equal(client.busy, 1);
    await pid.stopGracefully();
    server.tell('release');
    assert.equal(await server.ask('sync'), 'sync');
    assert.deepEqual(client.log, ['go']); // no continuation ran
    assert.deepEqual(s.handled, []); // cancelled: skipped by the callee
  });
});

test('bad arguments', async () => {
  await withSystem(async (system) => {
    assert.throws(() => system.spawn(new Server(), { reentrancy: 'sometimes' }), /reentrancy/);
    assert.throws(() => system.spawn(new Server(), { maxInFlight: -1 }), /maxInFlight/);
    const pid = system.spawn((ctx, msg) => {
      const errs = [];
      for (const f of [() => ctx.request(ctx.self, 1, { then: 5 }),
        () => ctx.request(ctx.self, 1, { timeout: -1, then: () => {} }),
        () => ctx.request(ctx.self, 1, { reentrancy: 'x', then: () => {} })]) {
        try { f(); } catch (e) { errs.push(e.name); }
      }
      ctx.respond(errs.length);
    });
    assert.equal(await pid.ask('go'), 3);
  });
});

// GoAkt's RequestName: the target given by name (each path form lookup reads), resolved when
// the request is made; a name nobody has (never spawned, or gone with its actor) throws
// NotFoundError, and the name spawned again is reachable again.
test('a request by name', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(new Server(), { name: 'srv' });
    const done = collector(6);
    const client = system.spawn((ctx, name) => {
      try {
        ctx.request(name, ['inc', 1], { then: (c, r, e) => done.push(e ? `error:${e.name}` : `reply:${r}`) });
      } catch (e) {
        done.push(`threw:${e.name}`);
      }
    });
    for (const name of ['srv', '/user/srv', 'akt://test/user/srv']) client.tell(name);
    while (done.items.length < 3) await new Promise((r) => setImmediate(r));
    await server.stopGracefully();
    client.tell('srv');
    client.tell('nobody');
    while (done.items.length < 5) await new Promise((r) => setImmediate(r));
    system.spawn(new Server(), { name: 'srv' });
    client.tell('srv');
    assert.deepEqual(await done.wait(), ['reply:2', 'reply:2', 'reply:2',
      'threw:NotFoundError', 'threw:NotFoundError', 'reply:2']);
  });
});

test('a request by name: promises, awaits, bad names', async () => {
  await withSystem(async (system) => {
    system.spawn(new Server(), { name: 'srv' });
    const errs = [];
    const pid = system.spawn(async (ctx, msg) => {
      if (msg === 'bad') {
        for (const f of [() => ctx.request('nobody', 1), () => ctx.request('', 1),
          () => ctx.request('a\0b', 1), () => ctx.request(42, 1)]) {
          try { f(); } catch (e) { errs.push(e); }
        }
        ctx.respond(errs.length);
        return;
      }
      const first = await ctx.request('srv', ['inc', 1]); // on the turn
      let second; // after an await: the request runs as a step, a refusal rejects
      try {
        second = await ctx.request(msg, ['inc', first]);
      } catch (e) {
        second = e.name;
      }
      ctx.respond([first, second]);
    });
    assert.deepEqual(await pid.ask('srv'), [2, 3]);
    assert.deepEqual(await pid.ask('nobody'), [2, 'NotFoundError']);
    assert.equal(await pid.ask('bad'), 4);
    assert.ok(errs[0] instanceof NotFoundError);
    assert.match(errs[0].message, /nobody/);
    assert.ok(errs[1] instanceof InvalidArgumentError);
    assert.ok(errs[2] instanceof InvalidArgumentError);
    assert.ok(errs[3] instanceof InvalidArgumentError);
  });
});
