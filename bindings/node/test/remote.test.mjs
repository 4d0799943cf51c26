// Remoting: two systems of this process over 127.0.0.1, a JS actor on the far side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ActorSystem, Actor, Pid, ExistsError, NotFoundError, UnreachableError, InvalidArgumentError,
} from 'akt';
import { collector } from './helpers.mjs';

class Echo extends Actor {
  receive(ctx, msg) { ctx.respond(msg); }
}

test('tell and ask across nodes; unknown path and lost node fail fast', async () => {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  const b = await ActorSystem.create('jsbeta', { logger: null });
  let bDown = false;
  try {
    const addrB = b.remoteStart();
    assert.match(addrB, /^akt:\/\/jsbeta@127\.0\.0\.1:\d+$/);
    assert.match(a.remoteStart({ host: '127.0.0.1', port: 0 }), /^akt:\/\/jsalpha@/);
    assert.equal(b.remoteAddress(), addrB);
    assert.throws(() => a.remoteStart(), ExistsError);
    b.spawn(Echo, { name: 'echo' });
    const echo = a.remoteLookup(`${addrB}/user/echo`);
    assert.ok(echo instanceof Pid);
    assert.equal(echo.path, `${addrB}/user/echo`);
    assert.equal(await echo.ask('hello', { timeout: 10000 }), 'hello');
    assert.equal(await echo.ask(42, { timeout: 10000 }), 42);
    const t0 = Date.now();
    await assert.rejects(a.remoteLookup(`${addrB}/user/nobody`).ask('x', { timeout: 30000 }),
      NotFoundError);
    assert.throws(() => a.remoteLookup('not an address'), InvalidArgumentError);
    await b.shutdown();
    bDown = true;
    await assert.rejects(echo.ask('x', { timeout: 30000 }), UnreachableError);
    assert.ok(Date.now() - t0 < 10000);
  } finally {
    await a.shutdown();
    if (!bDown) await b.shutdown();
  }
});

test('remoteAddress before remoteStart is NotFoundError', async () => {
  const a = await ActorSystem.create('jsgamma', { logger: null });
  try {
    assert.throws(() => a.remoteAddress(), NotFoundError);
    assert.throws(() => a.remoteLookup('akt://x@127.0.0.1:1/user/y'), NotFoundError);
  } finally {
    await a.shutdown();
  }
});

test('the sender of a remote tell is the remote actor, and a respond reaches it', async () => {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  const b = await ActorSystem.create('jsbeta', { logger: null });
  try {
    const addrA = a.remoteStart();
    const addrB = b.remoteStart();
    const senders = [];
    class Replier extends Actor {
      receive(ctx, msg) {
        senders.push(ctx.sender.path);
        ctx.respond(`pong:${msg}`);
      }
    }
    const answers = collector(1, 10000);
    class Pinger extends Actor {
      receive(ctx, msg) {
        if (msg instanceof Pid) ctx.tell(msg, 'ping');
        else answers.push([msg, ctx.sender.path]);
      }
    }
    b.spawn(Replier, { name: 'replier' });
    a.spawn(Pinger, { name: 'pinger' }).tell(a.remoteLookup(`${addrB}/user/replier`));
    assert.deepEqual(await answers.wait(), [['pong:ping', `${addrB}/user/replier`]]);
    assert.deepEqual(senders, [`${addrA}/user/pinger`]);
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
});

test('heartbeat options: checked, and pings keep an idle connection open', async () => {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  const b = await ActorSystem.create('jsbeta', { logger: null });
  try {
    assert.throws(() => a.remoteStart({ heartbeatInterval: -1 }), TypeError);
    assert.throws(() => a.remoteStart({ heartbeatMisses: 1001 }), InvalidArgumentError);
    assert.throws(() => a.remoteStart({ heartbeatInterval: 3601000 }), InvalidArgumentError);
    const addrB = b.remoteStart({ heartbeatInterval: 50, heartbeatMisses: 4 });
    a.remoteStart({ heartbeatInterval: 50, heartbeatMisses: 4 });
    b.spawn(Echo, { name: 'echo' });
    const echo = a.remoteLookup(`${addrB}/user/echo`);
    assert.equal(await echo.ask('first', { timeout: 10000 }), 'first');
    // Idle for 12 intervals, three times the silence allowed: the pings keep it open.
    await new Promise((resolve) => { setTimeout(resolve, 600); });
    assert.equal(await echo.ask('later', { timeout: 10000 }), 'later');
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
});
