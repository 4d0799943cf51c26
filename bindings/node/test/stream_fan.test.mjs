import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Source, Sink, Flow, CanceledError, ActorFailedError, InvalidArgumentError } from 'akt';
import { withSystem } from './helpers.mjs';

const byValue = (a, b) => a - b;
const range = (lo, hi) => Array.from({ length: hi - lo }, (_, i) => lo + i);

test('merge takes every element once, each input in its order', () => withSystem(async (system) => {
  const got = await Source.merge(Source.range(0, 1000), Source.range(1000, 2000).map((x) => x),
    Source.of(...range(2000, 2100))).runWith(Sink.collect(), system).result();
  assert.deepEqual([...got].sort(byValue), range(0, 2100));
  for (const [lo, hi] of [[0, 1000], [1000, 2000], [2000, 2100]]) {
    const part = got.filter((x) => x >= lo && x < hi);
    assert.deepEqual(part, [...part].sort(byValue));
  }
}));

test('concat keeps the order; zip pairs and ends with the shortest', () => withSystem(async (system) => {
  assert.deepEqual(await Source.concat(Source.range(0, 3), Source.of(), Source.of('a', null))
    .runWith(Sink.collect(), system).result(), [0, 1, 2, 'a', null]);
  assert.deepEqual(await Source.zip(Source.range(0, 100), Source.of('x', 'y'))
    .runWith(Sink.collect(), system).result(), [[0, 'x'], [1, 'y']]);
  assert.deepEqual(await Source.zip(Source.range(0, 5), Source.range(10, 15), (a, b) => a * b)
    .runWith(Sink.collect(), system).result(), [0, 11, 24, 39, 56]);
}));

test('broadcast, balance and partition', () => withSystem(async (system) => {
  const r = await Source.range(0, 50).runWith(Sink.broadcast(
    Sink.collect(), new Flow().filter((x) => x % 10 === 0).map(String).to(Sink.collect()),
    Sink.fold(0, (a, x) => a + x)), system).result();
  assert.deepEqual(r, [range(0, 50), ['0', '10', '20', '30', '40'], 1225]);
  const [a, b] = await Source.range(0, 300).runWith(Sink.balance(Sink.collect(), Sink.collect()), system).result();
  assert.deepEqual([...a, ...b].sort(byValue), range(0, 300));
  const [evens, odds] = await Source.range(0, 9).runWith(
    Sink.partition((x) => x % 2, Sink.collect(), Sink.collect()), system).result();
  assert.deepEqual(evens, [0, 2, 4, 6, 8]);
  assert.deepEqual(odds, [1, 3, 5, 7]);
}));

test('a slow branch paces a broadcast', () => withSystem(async (system) => {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let made = 0, worst = 0;
  const fast = [], slow = [];
  await Source.unfold(0, (n) => { if (n >= 300) return undefined; made = n + 1; return [n + 1, n]; }).window(4)
    .runWith(Sink.broadcast(
      new Flow().window(4).to(Sink.forEach((x) => { fast.push(x); })),
      new Flow().window(4).to(Sink.forEach((x) => {
        worst = Math.max(worst, made - slow.length);
        slow.push(x);
        Atomics.wait(sleeper, 0, 0, 1);
      }))), system).result();
  assert.deepEqual(fast, range(0, 300));
  assert.deepEqual(slow, range(0, 300));
  assert.ok(worst > 0 && worst <= 16, `the source ran ${worst} ahead`);
}));

test('failures through junctions carry the reason', () => withSystem(async (system) => {
  const boom = (x) => { if (x === 7) throw new Error('seven'); return x; };
  await assert.rejects(Source.range(0, 100).runWith(
    Sink.broadcast(Sink.ignore(), new Flow().map(boom).to(Sink.ignore())), system).result(),
  (e) => e instanceof ActorFailedError && e.reason === 'branch 1: stage 0 (map): actor failed');
  await assert.rejects(Source.merge(Source.range(0, 10), Source.range(0, 10).map(boom))
    .runWith(Sink.ignore(), system).result(),
  (e) => e instanceof ActorFailedError && e.reason === 'input 1: stage 1 (map): actor failed');
  await assert.rejects(Source.range(0, 10).runWith(Sink.partition(() => -1, Sink.collect()), system).result(),
    InvalidArgumentError);
  await assert.rejects(Source.range(0, 10).runWith(Sink.partition(() => 'no', Sink.collect()), system).result(),
    ActorFailedError);
}));

test('cancel mid-stream through junctions', () => withSystem(async (system) => {
  let seen = 0;
  const s = Source.merge(Source.unfold(0, (n) => [n + 1, n]), Source.unfold(0, (n) => [n + 1, n]))
    .runWith(Sink.broadcast(Sink.ignore(), Sink.forEach(() => { seen++; })), system);
  while (seen < 50) await new Promise((r) => setTimeout(r, 1));
  s.cancel();
  await assert.rejects(s.result(), CanceledError);
}));

test('bad junction arguments', () => withSystem(async (system) => {
  assert.throws(() => Source.merge(), InvalidArgumentError);
  assert.throws(() => Sink.broadcast(), InvalidArgumentError);
  assert.throws(() => Source.concat(Source.range(0, 1), [1]), InvalidArgumentError);
  assert.throws(() => Sink.balance(Sink.collect(), Source.range(0, 1)), InvalidArgumentError);
  assert.throws(() => Sink.partition(42, Sink.collect()), InvalidArgumentError);
  assert.throws(() => new Flow().to('collect'), InvalidArgumentError);
  assert.throws(() => new Flow().named('x'), InvalidArgumentError);
  assert.throws(() => Source.merge(...Array(65).fill(Source.range(0, 1))).runWith(Sink.collect(), system));
}));
