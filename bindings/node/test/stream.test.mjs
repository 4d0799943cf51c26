import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Source, Sink, CanceledError, ActorFailedError, InvalidArgumentError } from 'akt';
import { withSystem } from './helpers.mjs';

test('range, map, filter, collect', () => withSystem(async (system) => {
  const s = Source.range(1, 10).map((x) => x * 2).filter((x) => x > 4).runWith(Sink.collect(), system);
  assert.deepEqual(await s.result(), [6, 8, 10, 12, 14, 16, 18]);
}));

test('fusion gives the same results; a source is reusable', () => withSystem(async (system) => {
  const src = Source.range(0, 500).map((x) => x + 1).filter((x) => x % 2 === 0)
    .flatMap((x) => [x, x]).dedup().scan(0, (a, x) => a + x);
  const fused = src.runWith(Sink.fold(0, (a, x) => a + x), system);
  const unfused = src.fusion(false).runWith(Sink.fold(0, (a, x) => a + x), system);
  let acc = 0, total = 0;
  for (let x = 2; x <= 500; x += 2) { acc += x; total += acc; }
  assert.equal(await fused.result(), total);
  assert.equal(await unfused.result(), total);
  assert.equal(fused.actors, 4);
  assert.equal(unfused.actors, 7);
}));

test('values of any JS type pass by reference', () => withSystem(async (system) => {
  const obj = { k: [1] };
  const got = await Source.of('a', 1, obj, null).runWith(Sink.collect(), system).result();
  assert.equal(got[0], 'a');
  assert.equal(got[1], 1);
  assert.equal(got[2], obj);
  assert.equal(got[3], null);
}));

test('first ends an endless stream; unfold and fromIterable', () => withSystem(async (system) => {
  assert.equal(await Source.unfold(7, (n) => [n + 1, n]).runWith(Sink.first(), system).result(), 7);
  assert.equal(await Source.of().runWith(Sink.first(), system).result(), undefined);
  const seen = [];
  await Source.fromIterable('abc').map((c) => c.toUpperCase()).runWith(Sink.forEach((x) => seen.push(x)), system).result();
  assert.deepEqual(seen, ['A', 'B', 'C']);
}));

test('an exception fails the stream, with it as the cause', () => withSystem(async (system) => {
  const s = Source.range(0, 100).map((x) => { if (x === 5) throw new RangeError('five'); return x; })
    .named('boom').runWith(Sink.collect(), system);
  await assert.rejects(s.result(), (err) => {
    assert.ok(err instanceof ActorFailedError);
    assert.equal(err.code, 'AKT_EFAILED');
    assert.equal(err.reason, 'stage 1 (boom): actor failed');
    assert.ok(err.cause instanceof RangeError);
    return true;
  });
  const m = s.metrics();
  assert.equal(m[1].name, 'boom');
  assert.equal(m[1].errors, 1);
  assert.equal(m[1].elementsOut, 5);
}));

test('resume and retry', () => withSystem(async (system) => {
  const s = Source.range(0, 10).map((x) => { if (x % 2) throw new Error('odd'); return x; })
    .onError('resume').runWith(Sink.collect(), system);
  assert.deepEqual(await s.result(), [0, 2, 4, 6, 8]);
  assert.equal(s.metrics()[1].drops, 5);
  let calls = 0;
  const r = Source.range(0, 4).map((x) => { if (++calls % 3) throw new Error('not yet'); return x; })
    .onError('retry', 2).runWith(Sink.collect(), system);
  assert.deepEqual(await r.result(), [0, 1, 2, 3]);
  assert.throws(() => Source.range(0, 1).onError('sometimes'), InvalidArgumentError);
}));

test('cancel and drain', () => withSystem(async (system) => {
  const s = Source.unfold(0, (n) => [n + 1, n]).runWith(Sink.ignore(), system);
  setTimeout(() => s.cancel(), 20);
  await assert.rejects(s.result(), CanceledError);
  const d = Source.unfold(0, (n) => [n + 1, n]).runWith(Sink.collect(), system);
  await new Promise((resolve) => {
    const t = setInterval(() => { if (d.metrics()[1].elementsIn >= 100) { clearInterval(t); resolve(); } }, 1);
  });
  d.drain();
  const got = await d.result();
  assert.deepEqual(got, got.map((_, i) => i));
  assert.equal(got.length, d.metrics()[0].elementsOut);
}));

// The stages share the JS thread, so how many a buffer drops depends on the turns; what it
// keeps and drops always adds up.
test('a dropping buffer accounts for every element', () => withSystem(async (system) => {
  const slow = (x) => { const end = Date.now() + 1; while (Date.now() < end); return x; };
  const seen = [];
  const d = Source.range(0, 300).buffer(4, 'drop_tail').runWith(Sink.forEach((x) => { slow(x); seen.push(x); }), system);
  await d.result();
  const drops = d.metrics()[1].drops;
  assert.equal(seen.length + drops, 300);
}));

test('bad arguments', () => withSystem(async (system) => {
  assert.throws(() => Source.range(0, 1, 0), InvalidArgumentError);
  assert.throws(() => Source.range(0.5, 1), InvalidArgumentError);
  assert.throws(() => Source.range(0, 1).map(42), InvalidArgumentError);
  assert.throws(() => Source.range(0, 1).buffer(4, 'sideways'), InvalidArgumentError);
  assert.throws(() => Source.range(0, 1).runWith('collect', system), InvalidArgumentError);
  assert.throws(() => Source.range(0, 1).window(0).runWith(Sink.collect(), system), InvalidArgumentError);
  assert.throws(() => Source.range(0, 1).buffer(0).runWith(Sink.collect(), system), InvalidArgumentError);
}));

test('close cancels a running stream; a closed one is inert', () => withSystem(async (system) => {
  const s = Source.unfold(0, (n) => [n + 1, n]).runWith(Sink.ignore(), system);
  s.close();
  await assert.rejects(s.result(), CanceledError);
  s.cancel();
  s.drain();
  s.close();
  assert.deepEqual(s.metrics(), []);
}));

test('throttle paces without dropping', () => withSystem(async (system) => {
  const t0 = Date.now();
  const got = await Source.range(0, 20).throttle(5, 50).runWith(Sink.collect(), system).result();
  assert.deepEqual(got, [...Array(20).keys()]);
  assert.ok(Date.now() - t0 >= 150);
  assert.throws(() => Source.range(0, 1).throttle(0, 50).runWith(Sink.collect(), system), InvalidArgumentError);
}));
