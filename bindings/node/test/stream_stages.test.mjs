import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Source, Sink, CanceledError, InvalidArgumentError } from 'akt';
import { withSystem } from './helpers.mjs';

const tick = (ms) => new Promise((r) => setTimeout(r, ms));

test('tick paces and drains', () => withSystem(async (system) => {
  const seen = [];
  const t0 = performance.now();
  const s = Source.tick(0, 10, 'tick').runWith(Sink.forEach((x) => { seen.push(x); }), system);
  while (seen.length < 5) await tick(1);
  const took = performance.now() - t0;
  s.drain();
  await s.result();
  assert.ok(took >= 39, `5 ticks in ${took} ms`);
  assert.deepEqual([...new Set(seen)], ['tick']);
  assert.equal(s.metrics()[0].name, 'tick');
  assert.equal(s.metrics()[0].elementsOut, seen.length);
}));

test('a slow consumer gets fewer ticks, not a backlog', () => withSystem(async (system) => {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const s = Source.tick(1, 2, 1).window(2)
    .runWith(Sink.forEach(() => { Atomics.wait(sleeper, 0, 0, 20); }), system);
  while (s.metrics()[0].drops < 10) await tick(5);
  s.cancel();
  await assert.rejects(s.result(), CanceledError);
  const [src, sink] = s.metrics();
  assert.ok(src.elementsOut <= sink.elementsIn + 2);
}));

test('tick with flows and first', () => withSystem(async (system) => {
  assert.equal(await Source.tick(0, 1, 1).scan(0, (a, x) => a + x).filter((n) => n >= 3)
    .runWith(Sink.first(), system).result(), 3);
}));

test('tick bad arguments', () => withSystem(async (system) => {
  assert.throws(() => Source.tick(0, 0.5, 1), InvalidArgumentError);
  assert.throws(() => Source.tick(0, 0, 1).runWith(Sink.ignore(), system), InvalidArgumentError);
  assert.throws(() => Source.tick(-1, 5, 1).runWith(Sink.ignore(), system), InvalidArgumentError);
}));

test('batch: full, last partial, max wait', () => withSystem(async (system) => {
  assert.deepEqual(await Source.range(0, 10).batch(4, 10000).runWith(Sink.collect(), system).result(),
    [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.deepEqual(await Source.range(0, 10).batch(3, 10000, (xs) => xs.reduce((a, x) => a + x, 0))
    .runWith(Sink.collect(), system).result(), [3, 12, 21, 9]);
  const t0 = performance.now();
  const first = await Source.tick(0, 10, 't').batch(1000, 35).runWith(Sink.first(), system).result();
  assert.ok(first.length >= 1 && first.length < 1000);
  assert.ok(performance.now() - t0 >= 34);
}));

test('batch failure and bad arguments', () => withSystem(async (system) => {
  await assert.rejects(Source.range(0, 10).batch(2, 1000, () => { throw new Error('no'); })
    .runWith(Sink.collect(), system).result(),
  (e) => e.reason === 'stage 1 (batch): actor failed' && e.cause?.message === 'no');
  assert.throws(() => Source.range(0, 1).batch(2, 0.5), InvalidArgumentError);
  assert.throws(() => Source.range(0, 1).batch(0, 10).runWith(Sink.collect(), system), InvalidArgumentError);
}));
