// Node streams at both ends of an akt stream: Source.fromAsyncIterable (Readables, async
// generators), Sink.toWritable, source.toAsyncIterable(system), and node:stream's pipeline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Source, Sink, CanceledError, InvalidArgumentError, ActorFailedError } from 'akt';
import { withSystem } from './helpers.mjs';

const tick = (ms) => new Promise((r) => setTimeout(r, ms));

// An endless object-mode Readable of 0, 1, 2, ...: produced counts what read() pushed.
function counter(hwm = 8, limit = Infinity) {
  const r = new Readable({
    objectMode: true,
    highWaterMark: hwm,
    read() {
      if (r.produced >= limit) this.push(null);
      else this.push(r.produced++);
    },
  });
  r.produced = 0;
  return r;
}

// An object-mode Writable that takes ms per element; got is what it consumed.
function slowWritable(hwm, ms, onWrite = () => {}) {
  const w = new Writable({
    objectMode: true,
    highWaterMark: hwm,
    write(x, _enc, cb) {
      setTimeout(() => {
        w.got.push(x);
        onWrite(x);
        cb();
      }, ms);
    },
  });
  w.got = [];
  w.drains = 0;
  w.on('drain', () => { w.drains++; });
  return w;
}

test('a fast Readable into a slow Writable: bounded in flight, nothing lost or doubled, in order', () => withSystem(async (system) => {
  const n = 300;
  const r = counter(8, n);
  let maxAhead = 0;
  const w = slowWritable(4, 1, () => { maxAhead = Math.max(maxAhead, r.produced - w.got.length); });
  const s = Source.fromAsyncIterable(r).map((x) => x * 2).window(4).runWith(Sink.toWritable(w), system);
  assert.equal(await s.result(), undefined);
  assert.deepEqual(w.got, Array.from({ length: n }, (_, i) => i * 2));
  assert.ok(w.writableFinished, 'the Writable was ended and finished');
  assert.ok(w.drains > 0, 'write() returned false and the sink waited for drain');
  // The Readable's buffer (8), the links' windows (4 each), the Writable's buffer (4), and
  // the ones being handed over: far below n, which reading ahead would reach.
  assert.ok(maxAhead <= 8 + 3 * 4 + 4 + 4, `read ahead of the Writable: ${maxAhead}`);
  const m = s.metrics();
  assert.deepEqual(m.map((x) => x.name).filter((x) => x.startsWith('from') || x.startsWith('to')),
    ['from_async_iterable', 'to_writable']);
}));

test('the pull follows demand: an endless iterator is read only as far as the sink asks', () => withSystem(async (system) => {
  const r = counter(4);
  const first = await Source.fromAsyncIterable(r).window(2).runWith(Sink.first(), system).result();
  assert.equal(first, 0);
  assert.ok(r.destroyed, 'the stream ended before the Readable: it is destroyed');
  // The Readable's buffer (4), the links' windows (2 each) and the one at the sink.
  assert.ok(r.produced <= 4 + 3 * 2 + 2, `produced ${r.produced}`);

  let reads = 0;
  let closed = false;
  async function* endless() {
    try {
      for (let i = 0; ; i++) {
        reads++;
        yield i;
      }
    } finally {
      closed = true;
    }
  }
  const got = [];
  for await (const x of Source.fromAsyncIterable(endless()).window(2).toAsyncIterable(system, { bufferSize: 2 })) {
    got.push(x);
    await tick(1);
    assert.ok(reads - got.length <= 2 + 2 * 2 + 2, `read ahead: ${reads - got.length}`);
    if (got.length === 20) break;
  }
  assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => i));
  for (let i = 0; i < 200 && !closed; i++) await tick(1);
  assert.ok(closed, 'leaving the loop returned the generator (its finally ran)');
}));

test('toAsyncIterable: every element in order, at most bufferSize waiting for the loop', () => withSystem(async (system) => {
  const n = 200;
  let made = 0;
  let maxAhead = 0;
  const it = Source.range(0, n).map((x) => { made++; return x; }).window(4)
    .toAsyncIterable(system, { bufferSize: 4 });
  const got = [];
  for await (const x of it) {
    got.push(x);
    maxAhead = Math.max(maxAhead, made - got.length);
    if (x % 10 === 0) await tick(1);
    else await new Promise(setImmediate);
  }
  assert.deepEqual(got, Array.from({ length: n }, (_, i) => i));
  assert.ok(maxAhead <= 4 + 4 + 4, `made ahead of the loop: ${maxAhead}`);
  assert.equal(await it.stream.result(), undefined);
  // Done stays done.
  assert.deepEqual(await it.next(), { value: undefined, done: true });
}));

test('early break cancels the stream and destroys its Readable', () => withSystem(async (system) => {
  const r = counter(8);
  const it = Source.fromAsyncIterable(r).toAsyncIterable(system);
  const got = [];
  for await (const x of it) {
    got.push(x);
    if (got.length === 5) break;
  }
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
  await assert.rejects(it.stream.result(), CanceledError);
  assert.ok(r.destroyed);
  assert.ok(r.produced < 100, `produced ${r.produced}`);
}));

test('a Readable\'s error fails the stream with it as the cause', () => withSystem(async (system) => {
  const boom = new Error('disk gone');
  let i = 0;
  const r = new Readable({
    objectMode: true,
    read() {
      if (i < 3) this.push(i++);
      else this.destroy(boom);
    },
  });
  const err = await Source.fromAsyncIterable(r).runWith(Sink.collect(), system).result().then(
    () => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof ActorFailedError, String(err));
  assert.equal(err.cause, boom);
  assert.match(err.reason, /from_async_iterable/);

  // An async generator that throws; the loop of toAsyncIterable gets what came before, then the error.
  let release;
  const gate = new Promise((r) => { release = r; });
  const gen = async function* () { yield 'a'; yield 'b'; await gate; throw boom; };
  const got = [];
  await assert.rejects(async () => {
    for await (const x of Source.fromAsyncIterable(gen()).toAsyncIterable(system)) {
      got.push(x);
      if (x === 'b') release();
    }
  }, (e) => e.cause === boom);
  assert.deepEqual(got, ['a', 'b']);
}));

test('a failed stream destroys the Writable and fails the loop', () => withSystem(async (system) => {
  const boom = new Error('bad element');
  const w = slowWritable(16, 0);
  let wErr;
  w.on('error', (e) => { wErr = e; });
  const s = Source.of(1, 2, 3, 4).map((x) => { if (x === 3) throw boom; return x; }).runWith(Sink.toWritable(w), system);
  const err = await s.result().then(() => assert.fail('resolved'), (e) => e);
  assert.equal(err.cause, boom);
  assert.ok(w.destroyed);
  await tick(5);
  assert.ok(wErr instanceof ActorFailedError, `the Writable was destroyed with the stream's error: ${wErr}`);
  assert.equal(wErr.cause, boom);

  // Canceled: the Writable is destroyed with the CanceledError.
  const w2 = slowWritable(16, 0);
  w2.on('error', () => {});
  const s2 = Source.queue(4).runWith(Sink.toWritable(w2), system);
  s2.cancel();
  await assert.rejects(s2.result(), CanceledError);
  assert.ok(w2.destroyed);
  assert.ok(w2.errored instanceof CanceledError);

  // The loop gets what reached it, then the failure: the source fails once the loop had 1 and 2.
  const got = [];
  let release;
  const gate = new Promise((r) => { release = r; });
  const gated = async function* () { yield 1; yield 2; await gate; yield 3; };
  await assert.rejects(async () => {
    for await (const x of Source.fromAsyncIterable(gated()).map((x) => { if (x === 3) throw boom; return x; })
      .toAsyncIterable(system)) {
      got.push(x);
      if (x === 2) release();
    }
  }, (e) => e instanceof ActorFailedError && e.cause === boom);
  assert.deepEqual(got, [1, 2]);
}));

test('a Writable\'s error fails the stream (and so destroys its Readable)', () => withSystem(async (system) => {
  const boom = new Error('EPIPE-ish');
  const w = new Writable({
    objectMode: true,
    write(x, _e, cb) { cb(x === 5 ? boom : null); },
  });
  const r = counter(8);
  const err = await Source.fromAsyncIterable(r).runWith(Sink.toWritable(w), system).result().then(
    () => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof ActorFailedError);
  assert.equal(err.cause, boom);
  assert.ok(r.destroyed, 'the source Readable was destroyed');

  // An error while no write waits (the source is idle): the stream fails at once with it.
  const w2 = slowWritable(4, 0);
  const s2 = Source.queue(4).runWith(Sink.toWritable(w2), system);
  await tick(5);
  w2.destroy(boom);
  const err2 = await s2.result().then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err2 instanceof ActorFailedError, String(err2));
  assert.equal(err2.cause, boom);
  assert.match(err2.message, /writable failed/);

  // A Writable closed before the stream ended (no error): ERR_STREAM_PREMATURE_CLOSE.
  const w3 = slowWritable(4, 0);
  const s3 = Source.queue(4).runWith(Sink.toWritable(w3), system);
  await tick(5);
  w3.destroy();
  const err3 = await s3.result().then(() => assert.fail('resolved'), (e) => e);
  assert.equal(err3.cause?.code, 'ERR_STREAM_PREMATURE_CLOSE');

  // write() throwing (null in object mode) fails the element.
  const w4 = slowWritable(4, 0);
  w4.on('error', () => {});
  const err4 = await Source.of(1, null).runWith(Sink.toWritable(w4), system).result().then(
    () => assert.fail('resolved'), (e) => e);
  assert.equal(err4.cause?.code, 'ERR_STREAM_NULL_VALUES');
  await tick(5);
  assert.deepEqual(w4.got, [1]);
}));

test('a Writable whose final flush fails rejects result()', () => withSystem(async (system) => {
  const boom = new Error('flush failed');
  const w = new Writable({
    objectMode: true,
    write(_x, _e, cb) { cb(); },
    final(cb) { cb(boom); },
  });
  const err = await Source.of(1, 2).runWith(Sink.toWritable(w), system).result().then(
    () => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof ActorFailedError);
  assert.equal(err.cause, boom);
}));

test('Sink.toWritable with end: false leaves the Writable open', () => withSystem(async (system) => {
  const w = slowWritable(4, 0);
  await Source.of('a', 'b').runWith(Sink.toWritable(w, { end: false }), system).result();
  await Source.of('c').runWith(Sink.toWritable(w), system).result();
  assert.deepEqual(w.got, ['a', 'b', 'c']);
  assert.ok(w.writableFinished);
}));

test('node:stream pipeline with akt at either end and in the middle', () => withSystem(async (system) => {
  // akt as the source of a pipeline.
  const out = [];
  await pipeline(
    Source.range(0, 50).map((x) => x * 2).toAsyncIterable(system),
    new Transform({ objectMode: true, transform(x, _e, cb) { cb(null, x + 1); } }),
    new Writable({ objectMode: true, write(x, _e, cb) { out.push(x); cb(); } }),
  );
  assert.deepEqual(out, Array.from({ length: 50 }, (_, i) => i * 2 + 1));

  // akt as a stage of a pipeline: a Readable in, a Writable out.
  const out2 = [];
  await pipeline(
    Readable.from(Array.from({ length: 100 }, (_, i) => i)),
    (src) => Source.fromAsyncIterable(src).filter((x) => x % 3 === 0).map((x) => `#${x}`).toAsyncIterable(system),
    new Writable({ objectMode: true, write(x, _e, cb) { out2.push(x); cb(); } }),
  );
  assert.deepEqual(out2, Array.from({ length: 34 }, (_, i) => `#${i * 3}`));

  // A pipeline's Readable into akt, akt into a Writable; bytes (Buffers) kept as they are.
  const chunks = [];
  const bytes = new Writable({ write(c, _e, cb) { chunks.push(c); cb(); } });
  const src = Readable.from([Buffer.from('ab'), Buffer.from('cd'), Buffer.from('ef')], { objectMode: false });
  await Source.fromAsyncIterable(src).map((b) => Buffer.from(b.toString().toUpperCase()))
    .runWith(Sink.toWritable(bytes), system).result();
  assert.equal(Buffer.concat(chunks).toString(), 'ABCDEF');
}));

test('fromAsyncIterable: a new iterator per run; sync iterables of promises are awaited', () => withSystem(async (system) => {
  const iterable = { async *[Symbol.asyncIterator]() { yield 1; yield 2; yield 3; } };
  const src = Source.fromAsyncIterable(iterable).map((x) => x * 10);
  assert.deepEqual(await src.runWith(Sink.collect(), system).result(), [10, 20, 30]);
  assert.deepEqual(await src.runWith(Sink.collect(), system).result(), [10, 20, 30]);
  const promised = [Promise.resolve('x'), 'y', tick(2).then(() => 'z')];
  assert.deepEqual(await Source.fromAsyncIterable(promised).runWith(Sink.collect(), system).result(), ['x', 'y', 'z']);
  // Empty, and inside a junction.
  assert.deepEqual(await Source.fromAsyncIterable([]).runWith(Sink.collect(), system).result(), []);
  const merged = await Source.concat(Source.fromAsyncIterable(iterable), Source.of(4))
    .runWith(Sink.collect(), system).result();
  assert.deepEqual(merged, [1, 2, 3, 4]);
  // named() sets the pull stage's name.
  const s = Source.fromAsyncIterable(iterable).named('lines').runWith(Sink.ignore(), system);
  await s.result();
  assert.ok(s.metrics().some((m) => m.name === 'lines'));
}));

test('bad input to the adapters is refused with InvalidArgumentError', () => withSystem(async (system) => {
  assert.throws(() => Source.fromAsyncIterable(5), InvalidArgumentError);
  assert.throws(() => Source.fromAsyncIterable(null), InvalidArgumentError);
  assert.throws(() => Source.fromAsyncIterable({ [Symbol.asyncIterator]: () => 7 }).runWith(Sink.ignore(), system),
    InvalidArgumentError);
  assert.throws(() => Sink.toWritable({}), InvalidArgumentError);
  assert.throws(() => Sink.toWritable(undefined), InvalidArgumentError);
  assert.throws(() => Sink.toWritable(new Writable({ write(_c, _e, cb) { cb(); } }), 3), InvalidArgumentError);
  for (const bufferSize of [0, -1, 1.5, 5000, 'x'])
    assert.throws(() => Source.of(1).toAsyncIterable(system, { bufferSize }), InvalidArgumentError);
  assert.throws(() => Source.of(1).toAsyncIterable(system, null), InvalidArgumentError);
}));

test('a stream that does not start leaves the Node streams alone', () => withSystem(async (system) => {
  const r = counter(4, 3);
  const w = slowWritable(4, 0);
  assert.throws(() => Source.fromAsyncIterable(r).window(0).runWith(Sink.toWritable(w), system), InvalidArgumentError);
  await tick(5);
  assert.ok(!r.destroyed && !w.destroyed);
  // They still work in a stream that starts.
  await Source.fromAsyncIterable(r).runWith(Sink.toWritable(w), system).result();
  assert.deepEqual(w.got, [0, 1, 2]);
}));
