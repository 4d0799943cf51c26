import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tracing } from 'akt';
import { withSystem, collector } from './helpers.mjs';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test('traceparent parse (strict) and format', () => {
  const c = tracing.parseTraceparent(VALID);
  assert.deepEqual(c, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 1 });
  assert.equal(tracing.formatTraceparent(c), VALID);
  for (const bad of ['', VALID.toUpperCase(), `${VALID}-`, `ff${VALID.slice(2)}`, VALID.slice(0, -1), 42]) {
    assert.equal(tracing.parseTraceparent(bad), null, String(bad));
  }
  assert.throws(() => tracing.formatTraceparent({ traceId: '0'.repeat(32), spanId: '1'.repeat(16), flags: 0 }));
  assert.throws(() => tracing.formatTraceparent({ traceId: 'xyz', spanId: '1'.repeat(16), flags: 0 }));
});

test('a chain of three actors is one trace; off again, nothing more', async () => {
  await withSystem(async (system) => {
    const spans = collector(3);
    tracing.setTraceSink(system, (s) => spans.push(s));
    const seen = [];
    const c = system.spawn((ctx, msg) => { seen.push(ctx.headers.traceparent ?? null); }, { name: 'c' });
    const b = system.spawn((ctx, msg) => { seen.push(ctx.headers.traceparent ?? null); ctx.tell(c, msg + 1); }, { name: 'b' });
    const a = system.spawn((ctx, msg) => { seen.push(ctx.headers.traceparent ?? null); ctx.tell(b, msg + 1); }, { name: 'a' });
    a.tell(1);
    const got = await spans.wait();
    const by = Object.fromEntries(got.map((s) => [s.actorPath.split('/').pop(), s]));
    assert.equal(by.a.parentId, null);
    assert.equal(by.b.parentId, by.a.spanId);
    assert.equal(by.c.parentId, by.b.spanId);
    assert.equal(new Set(got.map((s) => s.traceId)).size, 1);
    assert.equal(by.a.status, 0);
    assert.ok(by.a.endNs >= by.a.startNs && by.a.startNs > 0n);
    assert.equal(seen[0], null);
    assert.deepEqual(tracing.parseTraceparent(seen[2]), { traceId: by.b.traceId, spanId: by.b.spanId, flags: 1 });
    tracing.setTraceSink(system, null);
    const after = collector(1);
    const d = system.spawn((ctx, msg) => after.push(ctx.headers.traceparent ?? null));
    const e = system.spawn((ctx, msg) => ctx.tell(d, msg));
    e.tell(0);
    assert.deepEqual(await after.wait(), [null]);
    assert.equal(got.length, 3);
    assert.equal(tracing.traceInvalidCount(system), 0);
    assert.throws(() => tracing.setTraceSink(system, 42), TypeError);
  });
});

test('an invalid traceparent is ignored and counted', async () => {
  await withSystem(async (system) => {
    const spans = collector(1);
    tracing.setTraceSink(system, (s) => spans.push(s));
    const p = system.spawn(() => {});
    p.tell('x', { headers: { traceparent: '00-nope' } });
    const [s] = await spans.wait();
    assert.equal(s.parentId, null);
    assert.equal(s.messageType.length > 0, true);
    assert.equal(tracing.traceInvalidCount(system), 1);
  });
});
