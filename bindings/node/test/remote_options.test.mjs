// remoteStart's size options reach the core: chunking and the message limit cross two
// nodes; bad values (the binding's and the core's ranges) throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActorSystem, Actor, InvalidArgumentError } from 'akt';

class Echo extends Actor {
  receive(ctx, msg) { ctx.respond(msg); }
}

async function pair(optsA, optsB, fn) {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  const b = await ActorSystem.create('jsbeta', { logger: null });
  try {
    const addrB = b.remoteStart(optsB);
    a.remoteStart(optsA);
    await fn(a, b, addrB);
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
}

test('a big message crosses in small chunks', () => pair({ chunkBytes: 256 }, { chunkBytes: 256 },
  async (a, b, addrB) => {
    b.spawn(Echo, { name: 'echo' });
    const echo = a.remoteLookup(`${addrB}/user/echo`);
    const big = 'chunk me '.repeat(100000); // 900 KB
    assert.equal(await echo.ask(big, { timeout: 30000 }), big);
    assert.equal(await echo.ask('small', { timeout: 30000 }), 'small');
  }));

test('a message over maxMessageBytes is refused', () => pair(
  { maxFrameBytes: 65536, maxMessageBytes: 65536 }, {}, async (a, b, addrB) => {
    b.spawn(Echo, { name: 'echo' });
    const echo = a.remoteLookup(`${addrB}/user/echo`);
    await assert.rejects(echo.ask('x'.repeat(100000), { timeout: 30000 }), InvalidArgumentError);
    assert.equal(await echo.ask('y'.repeat(1000), { timeout: 30000 }), 'y'.repeat(1000));
  }));

test('bad size options throw', async () => {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  try {
    for (const name of ['chunkBytes', 'maxMessageBytes', 'sendBufferBytes', 'maxReverseProxies']) {
      for (const bad of [-1, 1.5, '1024', NaN, 2 ** 60]) {
        assert.throws(() => a.remoteStart({ [name]: bad }), InvalidArgumentError, `${name}=${bad}`);
      }
    }
    assert.throws(() => a.remoteStart({ chunkBytes: 100 }), InvalidArgumentError);
    assert.throws(() => a.remoteStart({ maxFrameBytes: 65536, maxMessageBytes: 1000 }),
      InvalidArgumentError);
    assert.throws(() => a.remoteStart({ sendBufferBytes: 1000 }), InvalidArgumentError);
    assert.match(a.remoteStart({ sendBufferBytes: 1 << 20, maxReverseProxies: 5 }),
      /^akt:\/\/jsalpha@/);
  } finally {
    await a.shutdown();
  }
});
