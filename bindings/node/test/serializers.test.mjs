// Serializers for remoting: objects as CBOR or JSON, a serializer written in JS, and the
// refusals (no bytes, an unknown name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Actor, ActorSystem } from 'akt';

class Echo extends Actor {
  receive(ctx, msg) {
    ctx.respond(msg);
  }
}

class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}

async function withNodes(fn) {
  const a = await ActorSystem.create('jsseralpha', { logger: null });
  const b = await ActorSystem.create('jsserbeta', { logger: null });
  try {
    for (const s of [a, b]) {
      s.registerSerializer('point', {
        type: 'js.Point', cls: Point,
        encode: (p) => Uint8Array.of(p.x, p.y),
        decode: (buf) => new Point(buf[0], buf[1]),
      });
    }
    const addrB = b.remoteStart();
    a.remoteStart();
    b.spawn(Echo, { name: 'echo' });
    await fn(a, b, a.remoteLookup(`${addrB}/user/echo`));
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
}

const docs = [{ a: [1, 2.5, null, true, 'é'], b: {} }, [], [{ x: [-7] }]];

for (const name of ['cbor', 'json']) {
  test(`objects cross as ${name}`, async () => {
    await withNodes(async (a, b, echo) => {
      for (const s of [a, b]) s.bindSerializer('akt.Json', name);
      assert.equal(a.serializerFor('akt.Json'), name);
      assert.equal(a.serializerFor('akt.String'), null);
      for (const doc of docs) assert.deepEqual(await echo.ask(doc, { timeout: 10000 }), doc);
      assert.equal(await echo.ask('text', { timeout: 10000 }), 'text');
    });
  });
}

test('a serializer written in JS crosses both ways', async () => {
  await withNodes(async (a, b, echo) => {
    assert.equal(a.serializerFor('js.Point'), 'point');
    const p = await echo.ask(new Point(3, 250), { timeout: 10000 });
    assert.ok(p instanceof Point);
    assert.deepEqual([p.x, p.y], [3, 250]);
  });
});

test('refusals: no bytes, bad arguments, unknown names', async () => {
  await withNodes(async (a, b, echo) => {
    const cyclic = {};
    cyclic.self = cyclic;
    await assert.rejects(echo.ask(cyclic, { timeout: 10000 }), (e) => e.code === 'AKT_ENOTSUP');
    assert.throws(() => a.bindSerializer('js.Other', 'nobody'), (e) => e.code === 'AKT_ENOTFOUND');
    assert.throws(() => a.bindSerializer('', 'json'), (e) => e.code === 'AKT_EINVAL');
    assert.throws(() => a.registerSerializer('point', {
      type: 'js.P2', cls: Point, encode: () => Uint8Array.of(), decode: () => null,
    }), (e) => e.code === 'AKT_EEXIST');
    assert.throws(() => a.registerSerializer('p3', { type: 'js.P3' }), TypeError);
    // The receiver does not know the serializer: its dead letter, and the ask fails.
    class Here {}
    a.registerSerializer('only-here', {
      type: 'js.Here', cls: Here, encode: () => Uint8Array.of(1), decode: () => new Here(),
    });
    await assert.rejects(echo.ask(new Here(), { timeout: 10000 }),
      (e) => e.code === 'AKT_ENOTSUP' && /no serializer named only-here/.test(e.message));
  });
});
