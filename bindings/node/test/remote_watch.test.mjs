// Remote watch, stop, poison, spawn by kind name and flow control: two systems of this
// process over 127.0.0.1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ActorSystem, Actor, Terminated, ExistsError, NotFoundError, InvalidArgumentError,
  MailboxFullError,
} from 'akt';

class Noter extends Actor {
  preStart() { this.seen = []; }

  receive(ctx, msg) {
    if (msg === 'count') ctx.respond(this.seen.length);
    else this.seen.push(msg);
  }
}

const until = async (cond, ms = 10000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    assert.ok(Date.now() < deadline, 'timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function pair(fn, optsA = {}) {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  const b = await ActorSystem.create('jsbeta', { logger: null });
  try {
    const addrB = b.remoteStart();
    a.remoteStart(optsA);
    await fn(a, b, addrB);
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
}

test('watch a remote pid: a remote stop and a poison behind tells send Terminated', () =>
  pair(async (a, b, addrB) => {
    b.spawn(Noter, { name: 'target' });
    b.spawn(Noter, { name: 'sink' });
    const gone = [];
    class Watcher extends Actor {
      receive(ctx, msg) {
        if (msg instanceof Terminated) gone.push(msg.pid);
        else { ctx.watch(msg); ctx.respond('ok'); }
      }
    }
    const w = a.spawn(Watcher, { name: 'watcher' });
    const target = a.remoteLookup(`${addrB}/user/target`);
    const sink = a.remoteLookup(`${addrB}/user/sink`);
    assert.equal(await w.ask(target), 'ok');
    assert.equal(await w.ask(sink), 'ok');
    target.stop();
    await until(() => gone.length === 1);
    assert.ok(gone[0].equals(target));
    await until(() => b.lookup('/user/target') === null);
    for (let i = 0; i < 50; i++) sink.tell(`n${i}`);
    sink.poison();
    await until(() => gone.length === 2);
    assert.ok(gone[1].equals(sink));
  }));

// ack begin:
test('stopGracefully on a remote pid: after the tells before it, answered once it stopped', () =>
  pair(async (a, b, addrB) => {
    b.spawn(Noter, { name: 'sink' });
    const gone = [];
    class Watcher extends Actor {
      receive(ctx, msg) {
        if (msg instanceof Terminated) gone.push(msg.pid);
        else { ctx.watch(msg); ctx.respond('ok'); }
      }
    }
    const w = a.spawn(Watcher, { name: 'watcher' });
    const sink = a.remoteLookup(`${addrB}/user/sink`);
    const local = b.lookup('/user/sink');
    assert.equal(await w.ask(sink), 'ok');
    assert.equal(await local.ask('count'), 0);
    for (let i = 0; i < 100; i++) sink.tell(`n${i}`);
    await sink.stopGracefully({ timeout: 30000 });
    await until(() => b.lookup('/user/sink') === null);
    await until(() => gone.length === 1);
    assert.ok(gone[0].equals(sink));
  }));
// ack end

test('a node that goes away terminates its watched pids', async () => {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  const b = await ActorSystem.create('jsbeta', { logger: null });
  try {
    const addrB = b.remoteStart();
    a.remoteStart();
    b.spawn(Noter, { name: 'x' });
    let gone = 0;
    class Watcher extends Actor {
      receive(ctx, msg) {
        if (msg instanceof Terminated) gone++;
        else { ctx.watch(msg); ctx.respond('ok'); }
      }
    }
    const w = a.spawn(Watcher, { name: 'watcher' });
    assert.equal(await w.ask(a.remoteLookup(`${addrB}/user/x`)), 'ok');
    await b.shutdown();
    await until(() => gone === 1);
  } finally {
    await a.shutdown();
  }
});

class Counter extends Actor {
  constructor(name) { super(); this.name = name; this.n = 0; }

  receive(ctx, msg) {
    if (msg === 'get') ctx.respond(`${this.name}:${this.n}`);
    else this.n += msg;
  }
}

test('remote spawn by kind name; its errors are codes', () =>
  pair(async (a, b, addrB) => {
    b.registerGrain('counter', Counter, { deactivateAfter: 0 });
    const c = await a.remoteSpawn(addrB, 'counter', 'c1');
    assert.equal(c.path, `${addrB}/user/c1`);
    c.tell(5);
    assert.equal(await c.ask('get', { timeout: 10000 }), 'c1:5');
    await assert.rejects(a.remoteSpawn(addrB, 'counter', 'c1'), ExistsError);
    await assert.rejects(a.remoteSpawn(addrB, 'nosuch', 'c2'), NotFoundError);
    await assert.rejects(a.remoteSpawn(addrB, 'counter', 'a/b'), InvalidArgumentError);
    await assert.rejects(a.remoteSpawn('not an address', 'counter', 'c3'), InvalidArgumentError);
    await assert.rejects(a.remoteSpawn(addrB, 7, 'c3'), InvalidArgumentError);
    await assert.rejects(a.remoteSpawn(addrB, 'counter', 'c3', { timeoutMs: 0 }), TypeError);
  }));

test('flow control: beyond the window a tell throws and the caller keeps the message', () =>
  pair(async (a, b, addrB) => {
    // The receiver runs on this thread: while this test loops, it consumes nothing.
    b.spawn(Noter, { name: 'slow' });
    const slow = a.remoteLookup(`${addrB}/user/slow`);
    let sent = 0;
    assert.throws(() => { for (;;) { slow.tell(sent); sent++; } }, MailboxFullError);
    assert.equal(sent, 16);
    // Credits come back as it consumes.
    const deadline = Date.now() + 20000;
    while (sent < 200) {
      assert.ok(Date.now() < deadline);
      try { slow.tell(sent); sent++; } catch (e) {
        assert.ok(e instanceof MailboxFullError);
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    // Every accepted one arrives (the last may still be on its way).
    const local = b.lookup('/user/slow');
    const end = Date.now() + 10000;
    let got = 0;
    while ((got = await local.ask('count', { timeout: 10000 })) < 200 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(got, 200);
  }, { sendWindow: 16 }));
