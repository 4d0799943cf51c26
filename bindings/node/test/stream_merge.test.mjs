// flatMapMerge (up to breadth inner sources at once, their elements as they come, per inner
// in order, failures under onError) and the queue's room signal (offerAsync: resumed when
// the queue has room, not by polling).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Source, Sink, InvalidArgumentError, StoppedError } from 'akt';
import { withSystem } from './helpers.mjs';

const inner = (x) => Source.range(x * 100, x * 100 + (x % 5) + 1).window(2);

// Offers 0, 1, ... until the queue stays full once the stream took what it asked for.
async function fill(st) {
  let n = 0;
  for (;;) {
    while (st.offer(n)) n++;
    await new Promise((r) => setTimeout(r, 30));
    if (!st.offer(n)) return n;
    n++;
  }
}

function checkPerKey(got, n) {
  const byKey = new Map();
  for (const v of got) {
    const k = Math.floor(v / 100);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k).push(v % 100);
  }
  assert.equal(byKey.size, n);
  for (const [k, items] of byKey)
    assert.deepEqual(items, Array.from({ length: (k % 5) + 1 }, (_, i) => i)); // in order, once
}

test('flatMapMerge: every element once, in order within its inner', () => withSystem(async (system) => {
  const got = await Source.range(0, 60).flatMapMerge(4, inner).runWith(Sink.collect(), system).result();
  checkPerKey(got, 60);
  const one = await Source.range(0, 20).flatMapMerge(1, inner).runWith(Sink.collect(), system).result();
  assert.deepEqual(one, [...one].sort((a, b) => a - b)); // breadth 1 is concat
  const named = await Source.of('a', 'b').flatMapMerge(2, (s) => Source.of(1, 2).map((i) => `${s}${i}`))
    .runWith(Sink.collect(), system).result();
  assert.deepEqual([...named].sort(), ['a1', 'a2', 'b1', 'b2']);
  assert.deepEqual(named.filter((x) => x[0] === 'b'), ['b1', 'b2']);
}));

test('flatMapMerge: a slow sink holds endless inners back', () => withSystem(async (system) => {
  let made = 0;
  let seen = 0;
  const endless = () => Source.unfold(0, (s) => { made++; return [s, 1]; }).window(4);
  const st = Source.range(0, 1000000).flatMapMerge(3, endless).window(4)
    .runWith(Sink.forEach(() => { seen++; }), system);
  let worst = 0;
  const deadline = Date.now() + 10000;
  while (seen < 300) {
    assert.ok(Date.now() < deadline);
    worst = Math.max(worst, made - seen);
    await new Promise((r) => setTimeout(r, 1));
  }
  st.cancel();
  await assert.rejects(st.result());
  assert.ok(worst <= 3 * 2 * 4 + 2 * 4 + 4, `${worst} ahead`);
  assert.ok(st.metrics()[1].elementsIn <= 3 + 4);
}));

test('flatMapMerge: failures of the function and of an inner', () => withSystem(async (system) => {
  const bad = (x) => { if (x === 3) throw new Error('no inner for 3'); return inner(x); };
  await assert.rejects(Source.range(0, 10).flatMapMerge(2, bad).runWith(Sink.collect(), system).result(),
    (e) => /stage 1 \(flat_map_merge\)/.test(e.message) && e.cause?.message === 'no inner for 3');
  const resumed = await Source.range(0, 10).flatMapMerge(2, bad).onError('resume')
    .runWith(Sink.collect(), system).result();
  assert.equal(resumed.length, [0, 1, 2, 4, 5, 6, 7, 8, 9].reduce((n, x) => n + (x % 5) + 1, 0));
  const failing = (x) => Source.of(x, 0).map((v) => { if (v === 0) throw new Error('zero'); return 10 / v; });
  await assert.rejects(Source.range(1, 5).flatMapMerge(2, failing).runWith(Sink.collect(), system).result(),
    /flat_map_merge\): inner: stage 1 \(map\)/);
  const st = Source.range(1, 5).flatMapMerge(2, failing).onError('resume').runWith(Sink.collect(), system);
  assert.deepEqual((await st.result()).sort(), [10, 10 / 2, 10 / 3, 10 / 4].sort());
  assert.equal(st.metrics()[1].errors, 4);
  await assert.rejects(Source.range(0, 3).flatMapMerge(2, (x) => [x]).runWith(Sink.collect(), system).result(),
    (e) => /must give a Source/.test(e.cause?.message));
  for (const b of [0, 4097, 1.5, '2'])
    assert.throws(() => Source.range(0, 3).flatMapMerge(b, inner), InvalidArgumentError);
  assert.throws(() => Source.range(0, 3).flatMapMerge(2, 5), InvalidArgumentError);
}));

test('offerAsync: producers resume when the queue has room', () => withSystem(async (system) => {
  const got = [];
  let open = false;
  const waiters = [];
  const gate = () => (open ? undefined : new Promise((r) => waiters.push(r)));
  const st = Source.queue(4).window(2).mapAsync(1, async (x) => { await gate(); return x; })
    .runWith(Sink.forEach((x) => { got.push(x); }), system);
  // Fill: the first offers are accepted; then one producer waits (no polling).
  const n = await fill(st);
  let accepted = false;
  const p = st.offerAsync(n).then(() => { accepted = true; });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(accepted, false, 'still full: the producer waits');
  open = true;
  for (const w of waiters) w();
  await p;
  const produce = async (base) => { for (let i = 0; i < 100; i++) await st.offerAsync(base + i); };
  await Promise.all([produce(1000), produce(2000)]);
  st.complete();
  await assert.rejects(st.offerAsync(-1), StoppedError);
  await st.result();
  assert.deepEqual(got.slice(0, n + 1), Array.from({ length: n + 1 }, (_, i) => i));
  for (const base of [1000, 2000])
    assert.deepEqual(got.filter((x) => x >= base && x < base + 1000), Array.from({ length: 100 }, (_, i) => base + i));
}));

test('offerAsync: a waiting producer is rejected when the stream ends', () => withSystem(async (system) => {
  // The stage's promise never settles but stays reachable: a call whose promise was
  // collected can never complete, and akt fails the stage then (pending_finalize), which
  // would end the stream before the producer waits.
  const held = [];
  const st = Source.queue(2).window(2).mapAsync(1, () => new Promise((resolve) => { held.push(resolve); }))
    .runWith(Sink.ignore(), system);
  await fill(st);
  const p = st.offerAsync(1);
  await new Promise((r) => setTimeout(r, 30));
  st.cancel();
  await assert.rejects(p, StoppedError);
  await assert.rejects(st.result());
  assert.ok(held.length >= 1);
}));
