// Frame compression: each method between two nodes, mixed nodes, bad options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActorSystem, Actor } from 'akt';

class Echo extends Actor {
  receive(ctx, msg) { ctx.respond(msg); }
}

const BIG = 'compress me, again and again; '.repeat(40000); // about 1.2 MB

async function pair(optsA, optsB, fn) {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  const b = await ActorSystem.create('jsbeta', { logger: null });
  try {
    const addrB = b.remoteStart(optsB);
    const addrA = a.remoteStart(optsA);
    await fn(a, b, addrA, addrB);
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
}

for (const method of ['zstd', 'gzip', 'brotli']) {
  test(`tell and ask with ${method}`, () => pair({ compression: method, compressMinBytes: 64 },
    { compression: method }, async (a, b, addrA, addrB) => {
      b.spawn(Echo, { name: 'echo' });
      const echo = a.remoteLookup(`${addrB}/user/echo`);
      assert.equal(await echo.ask('small', { timeout: 10000 }), 'small');
      assert.equal(await echo.ask(BIG, { timeout: 30000 }), BIG);
    }));
}

test('mixed nodes interoperate', () => pair({ compression: 'zstd' }, {},
  async (a, b, addrA, addrB) => {
    a.spawn(Echo, { name: 'echo' });
    b.spawn(Echo, { name: 'echo' });
    assert.equal(await a.remoteLookup(`${addrB}/user/echo`).ask(BIG, { timeout: 30000 }), BIG);
    assert.equal(await b.remoteLookup(`${addrA}/user/echo`).ask(BIG, { timeout: 30000 }), BIG);
  }));

test('bad compression options throw', async () => {
  const a = await ActorSystem.create('jsalpha', { logger: null });
  try {
    assert.throws(() => a.remoteStart({ compression: 'lz4' }), TypeError);
    assert.throws(() => a.remoteStart({ compression: 3 }), TypeError);
    assert.throws(() => a.remoteStart({ compression: 'zstd', compressMinBytes: -1 }));
    assert.match(a.remoteStart({ compression: 'none' }), /^akt:\/\/jsalpha@/);
  } finally {
    await a.shutdown();
  }
});
