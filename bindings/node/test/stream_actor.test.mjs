import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Source, Sink, CanceledError, InvalidArgumentError, StoppedError } from 'akt';
import { withSystem } from './helpers.mjs';

const tick = (ms) => new Promise((r) => setTimeout(r, ms));

// Records elements; acks at once when open, else owes the acks until 'open'.
class Target {
  constructor() { this.got = []; this.owed = []; this.open = false; this.maxOwed = 0; this.doneAt = -1; }
  receive(ctx, msg) {
    if (msg === 'open') {
      this.open = true;
      for (const s of this.owed) ctx.tell(s, 'ack');
      this.owed = [];
    } else if (msg === 'done') {
      this.doneAt = this.got.length;
    } else {
      this.got.push(msg);
      if (this.open) ctx.respond('ack');
      else {
        this.owed.push(ctx.sender);
        this.maxOwed = Math.max(this.maxOwed, this.owed.length);
      }
    }
  }
}

test('a queue into an actor: refused when full, nothing lost, acks are the demand', () => withSystem(async (system) => {
  const t = new Target();
  const pid = system.spawn(t, { name: 'target' });
  const s = Source.queue(8).window(4).runWith(Sink.actor(pid, { inFlight: 3, onComplete: 'done' }), system);
  let accepted = 0;
  for (;;) {
    if (s.offer(accepted)) {
      accepted++;
      assert.ok(accepted <= 8 + 4 + 3);
    } else if (s.queued === 8) break;
    else await tick(1);
  }
  while (t.got.length < 3) await tick(1);
  assert.equal(t.maxOwed, 3);
  pid.tell('open');
  const n = 1000;
  for (let i = accepted; i < n;) {
    if (s.offer(i)) i++;
    else await tick(0);
  }
  s.complete();
  assert.throws(() => s.offer(-1), StoppedError);
  assert.equal(await s.result(), undefined);
  while (t.doneAt < 0) await tick(1);
  assert.deepEqual(t.got, Array.from({ length: n }, (_, i) => i));
  assert.equal(t.doneAt, n);
  assert.equal(t.maxOwed, 3);
  const m = s.metrics();
  assert.deepEqual([m[0].name, m[0].elementsOut, m[1].name, m[1].elementsOut], ['queue', n, 'actor', n]);
}));

test('an actor pushes into a queue, retrying when it is full', () => withSystem(async (system) => {
  const s = Source.queue(2).window(2).map((x) => x + 1).runWith(Sink.collect(), system);
  let next = 0;
  const producer = system.spawn((ctx) => {
    while (next < 300) {
      if (!s.offer(next)) { ctx.tell(ctx.self, 'again'); return; }
      next++;
    }
    s.complete();
  }, { name: 'producer' });
  producer.tell('go');
  assert.deepEqual(await s.result(), Array.from({ length: 300 }, (_, i) => i + 1));
}));

test('mapAsync keeps order and its parallelism bound; unordered does not keep order', () => withSystem(async (system) => {
  let live = 0, most = 0;
  const slow = async (x) => {
    live++; most = Math.max(most, live);
    await tick(x % 5);
    live--;
    return x * 10;
  };
  const want = Array.from({ length: 100 }, (_, i) => i * 10);
  assert.deepEqual(await Source.range(0, 100).mapAsync(4, slow).runWith(Sink.collect(), system).result(), want);
  assert.ok(most >= 2 && most <= 4, `most in flight: ${most}`);
  most = 0;
  const out = await Source.range(0, 100).mapAsyncUnordered(4, slow).runWith(Sink.collect(), system).result();
  assert.deepEqual([...out].sort((a, b) => a - b), want);
  assert.notDeepEqual(out, want);
  assert.ok(most <= 4);
  assert.deepEqual(await Source.of(1, 2).mapAsync(1, (x) => String(x)).runWith(Sink.collect(), system).result(), ['1', '2']);
}));

test('mapAsync failure, resume and cancel with calls pending', () => withSystem(async (system) => {
  const boom = async (x) => { if (x === 7) throw new RangeError('seven'); return x; };
  const err = await Source.range(0, 20).mapAsync(3, boom).runWith(Sink.collect(), system).result()
    .then(() => null, (e) => e);
  assert.match(err.message, /stage 1 \(map_async\)/);
  assert.ok(err.cause instanceof RangeError);
  assert.deepEqual(await Source.range(0, 20).mapAsync(3, boom).onError('resume').runWith(Sink.collect(), system).result(),
    Array.from({ length: 20 }, (_, i) => i).filter((x) => x !== 7));
  let release;
  const gate = new Promise((r) => { release = r; });
  const s = Source.range(0, 1000).mapAsync(5, () => gate).runWith(Sink.ignore(), system);
  while (s.metrics()[1].elementsIn < 5) await tick(1);
  s.cancel();
  await assert.rejects(s.result(), CanceledError);
  release(1);
  await tick(5);
}));

test('bad input', () => withSystem(async (system) => {
  assert.throws(() => Source.queue(0), InvalidArgumentError);
  assert.throws(() => Source.range(0, 1).mapAsync(0, (x) => x), InvalidArgumentError);
  assert.throws(() => Sink.actor('not a pid'), InvalidArgumentError);
  const s = Source.range(0, 3).runWith(Sink.collect(), system);
  assert.throws(() => s.offer(1), InvalidArgumentError); // not a queue source
  await s.result();
}));
