import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActorSystem, InvalidArgumentError, NotFoundError } from 'akt';
import { withSystem, collector } from './helpers.mjs';

test('headers told from outside and from an actor reach ctx.headers', async () => {
  await withSystem(async (system) => {
    const got = collector(2);
    const sink = system.spawn((ctx, msg) => got.push({ msg, headers: ctx.headers }), { name: 'sink' });
    const relay = system.spawn((ctx, msg) => ctx.tell(sink, `via:${msg}`, { headers: { hop: ctx.headers.tenant } }));
    sink.tell('direct', { headers: { tenant: 'acme', bin: new Uint8Array([0x61, 0x62]) } });
    relay.tell('x', { headers: { tenant: 'globex' } });
    const seen = await got.wait();
    seen.sort((a, b) => a.msg.localeCompare(b.msg));
    assert.deepEqual(seen, [
      { msg: 'direct', headers: { tenant: 'acme', bin: 'ab' } },
      { msg: 'via:x', headers: { hop: 'globex' } },
    ]);
  });
});

test('forward keeps the headers; a message without them has none', async () => {
  await withSystem(async (system) => {
    const got = collector(2);
    const back = system.spawn((ctx, msg) => got.push([msg, ctx.headers]));
    const front = system.spawn((ctx) => ctx.forward(back));
    front.tell('a', { headers: { traceparent: '00-abc-01' } });
    front.tell('b');
    assert.deepEqual(await got.wait(), [['a', { traceparent: '00-abc-01' }], ['b', {}]]);
  });
});

test('bad headers throw and send nothing', async () => {
  await withSystem(async (system) => {
    const got = collector(1);
    const p = system.spawn((ctx, msg) => got.push(msg));
    for (const headers of [{ '': 'v' }, { 'a key': 'v' }, { k: 'x'.repeat(8193) }, 'nope',
      Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']))]) {
      assert.throws(() => p.tell('bad', { headers }), InvalidArgumentError);
    }
    p.tell('good', { headers: {} });
    assert.deepEqual(await got.wait(), ['good']);
  });
});

test('extensions are reachable from actors and from outside', async () => {
  const metrics = { calls: 0 };
  const system = await ActorSystem.create('ext', { extensions: { metrics, 'clock_1': 7 } });
  try {
    assert.equal(system.extension('metrics'), metrics);
    assert.throws(() => system.extension('nope'), NotFoundError);
    const c = system.spawn((ctx) => {
      const m = ctx.extension('metrics');
      m.calls += 1;
      assert.throws(() => ctx.extension('nope'), NotFoundError);
      ctx.respond([m.calls, ctx.extension('clock_1')]);
    });
    assert.deepEqual(await c.ask('x'), [1, 7]);
    assert.deepEqual(await c.ask('x'), [2, 7]);
  } finally {
    await system.shutdown();
  }
  for (const name of ['x', '-lead', 'has.dot']) {
    await assert.rejects(ActorSystem.create('bad', { extensions: { [name]: 1 } }), InvalidArgumentError);
  }
  await assert.rejects(ActorSystem.create('bad', { extensions: 3 }), InvalidArgumentError);
});

test('a reply made with { headers: ctx.headers } carries the request headers back', async () => {
  await withSystem(async (system) => {
    const got = collector(1);
    const echo = system.spawn((ctx, msg) => ctx.respond(`re:${msg}`, { headers: ctx.headers }));
    const asker = system.spawn((ctx, msg) => {
      if (msg === 'go') ctx.tell(echo, 'q', { headers: { trace: 't9' } });
      else got.push([msg, ctx.headers]);
    });
    asker.tell('go');
    assert.deepEqual(await got.wait(), [['re:q', { trace: 't9' }]]);
  });
});
