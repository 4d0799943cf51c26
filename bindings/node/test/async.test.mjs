// Async receive: akt keeps the message until an async receive's promise settles (one message
// at a time by default, in order); after an await the context's actions run on the actor's
// turn (respond reaches the asker); a rejection is a failure for the supervisor; allowAll
// lets an A -> B -> A request cycle complete; a stop drops the pending receive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, MisuseError, StoppedError, CanceledError } from 'akt';
import { withSystem, collector } from './helpers.mjs';

// ['inc', n] -> n + 1; ['call', pid, timeoutMs]: requests 'ping' from pid and answers
// ['b', reply]; 'hold' keeps the ['inc'] asks until 'release'.
class Server extends Actor {
  constructor() {
    super();
    this.holding = false;
  }

  async receive(ctx, msg) {
    if (msg === 'hold') this.holding = true;
    else if (msg === 'release') {
      this.holding = false;
      ctx.unstashAll();
    } else if (Array.isArray(msg) && msg[0] === 'inc') {
      if (this.holding) ctx.stash();
      else ctx.respond(msg[1] + 1);
    } else if (Array.isArray(msg) && msg[0] === 'call') {
      const reply = await ctx.request(msg[1], 'ping', { timeout: msg[2] });
      ctx.respond(['b', reply]);
    } else ctx.unhandled();
  }
}

class Worker extends Actor {
  constructor(server) {
    super();
    this.server = server;
    this.log = [];
    this.starts = 0;
  }

  preStart() { this.starts++; }

  async receive(ctx, msg) {
    if (Array.isArray(msg) && msg[0] === 'work') {
      this.log.push(`start ${msg[1]}`);
      const reply = await ctx.request(this.server, ['inc', msg[1]]);
      this.log.push(`end ${msg[1]} ${reply}`);
      if (ctx.replyExpected) ctx.respond(reply);
    } else if (msg === 'boom-later') {
      await ctx.request(this.server, ['inc', 0]);
      throw new Error('after an await');
    } else if (msg === 'ping') {
      ctx.respond('pong');
    } else if (Array.isArray(msg) && msg[0] === 'go') {
      ctx.respond(await ctx.request(this.server, ['call', ctx.self, msg[1]], { timeout: 5000 }));
    } else if (msg === 'late-spawn') {
      await null;
      try {
        ctx.spawn(Worker);
      } catch (e) {
        ctx.respond(e instanceof MisuseError);
      }
    } else this.log.push(msg);
  }
}

test('one message at a time, in order, around an await', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(Server);
    const worker = new Worker(server);
    const pid = system.spawn(worker);
    for (let i = 0; i < 20; i++) pid.tell(['work', i]);
    assert.equal(await pid.ask(['work', 20]), 21);
    const want = [];
    for (let i = 0; i <= 20; i++) want.push(`start ${i}`, `end ${i} ${i + 1}`);
    assert.deepEqual(worker.log, want);
  });
});

test('a failure after an await restarts the actor; the asker gets it', async () => {
  await withSystem(async (system) => {
    const failed = collector(1);
    system.on('actorFailed', (ev) => failed.push(ev.reason));
    const server = system.spawn(Server);
    const worker = new Worker(server);
    const pid = system.spawn(worker);
    await assert.rejects(pid.ask('boom-later'), /after an await/);
    assert.deepEqual(await failed.wait(), ['Error: after an await']);
    assert.equal(await pid.ask(['work', 1]), 2);
    assert.equal(worker.starts, 2);
  });
});

test('allowAll lets an A -> B -> A cycle complete', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(Server);
    const pid = system.spawn(new Worker(server), { reentrancy: 'allowAll' });
    assert.deepEqual(await pid.ask(['go', 5000]), ['b', 'pong']);
  });
});

test('without allowAll the cycle waits: the inner request times out', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(Server);
    const pid = system.spawn(new Worker(server));
    await assert.rejects(pid.ask(['go', 100], { timeout: 5000 }), /failed/);
  });
});

test('allowAll starts the next message while one awaits', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(Server);
    server.tell('hold');
    const worker = new Worker(server);
    const pid = system.spawn(worker, { reentrancy: 'allowAll' });
    const first = pid.ask(['work', 1]);
    pid.tell('m');
    const end = Date.now() + 5000;
    while (worker.log.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
    assert.deepEqual(worker.log, ['start 1', 'm']);
    server.tell('release');
    assert.equal(await first, 2);
  });
});

test('a stop drops the pending receive; its asker learns it', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(Server);
    server.tell('hold');
    const worker = new Worker(server);
    const pid = system.spawn(worker);
    const p = pid.ask(['work', 1], { timeout: 5000 });
    const end = Date.now() + 5000;
    while (worker.log.length < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
    pid.stop();
    await assert.rejects(p, (e) => e instanceof StoppedError || e instanceof CanceledError);
    server.tell('release');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(worker.log, ['start 1']);
  });
});

test('what needs the turn is refused after an await', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn(new Worker(system.spawn(Server)));
    assert.equal(await pid.ask('late-spawn'), true);
  });
});

test('cancelRequest rejects the request with CanceledError', async () => {
  await withSystem(async (system) => {
    const server = system.spawn(Server);
    server.tell('hold');
    const pid = system.spawn(async (ctx, msg) => {
      const p = ctx.request(server, ['inc', 1]);
      const first = ctx.cancelRequest(p);
      const other = ctx.cancelRequest(Promise.resolve(1));
      try {
        await p;
        ctx.respond('answered');
      } catch (e) {
        ctx.respond([first, other, e instanceof CanceledError]);
      }
    });
    assert.deepEqual(await pid.ask('go'), [true, false, true]);
  });
});

test('an async preStart is a failure: only receive may be async', async () => {
  await withSystem(async (system) => {
    const failed = collector(1);
    system.on('actorFailed', (ev) => failed.push(ev.reason));
    system.spawn({ async preStart() {}, receive() {} });
    const [reason] = await failed.wait();
    assert.match(reason, /preStart returned a promise: only receive may be async/);
  }, 'test', { supervisor: { directive: 'stop' } });
});
