// Streams across nodes: two systems of this process over 127.0.0.1. A remote Sink.actor
// delivers every element once, in order, at most inFlight unacknowledged (counted on the
// target's node) and fails when its node goes; a Source.actorRef answers each element once
// it is buffered, so a SourceRef producer on the other node is paced by the stream; a
// stream on one node feeds a stream on the other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ActorSystem, Source, Sink, SourceRef, STREAM_ACK, STREAM_END, InvalidArgumentError,
  NotFoundError, StoppedError,
} from 'akt';

const tick = (ms) => new Promise((r) => setTimeout(r, ms));
const until = async (cond, ms = 10000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    assert.ok(Date.now() < deadline, 'timed out');
    await tick(2);
  }
};

async function pair(fn) {
  const a = await ActorSystem.create('jssa', { logger: null });
  const b = await ActorSystem.create('jssb', { logger: null });
  try {
    a.remoteStart();
    b.remoteStart();
    await fn(a, b);
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
}

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

const range = (n) => Array.from({ length: n }, (_, i) => i);

test('a remote Sink.actor: in order, at most inFlight unacknowledged on the target node', () => pair(async (a, b) => {
  const t = new Target();
  const local = b.spawn(t, { name: 'target' });
  const target = a.remoteLookup(b.remoteAddress() + '/user/target');
  const s = Source.range(0, 1000).runWith(Sink.actor(target, { inFlight: 3, onComplete: 'done' }), a);
  await until(() => t.got.length === 3);
  await tick(100);
  assert.equal(t.got.length, 3);
  assert.equal(t.maxOwed, 3);
  local.tell('open');
  assert.equal(await s.result(), undefined);
  await until(() => t.doneAt >= 0);
  assert.deepEqual(t.got, range(1000));
  assert.equal(t.doneAt, 1000);
  assert.equal(t.maxOwed, 3);
}));

test('a remote Sink.actor fails the stream when its node goes', () => pair(async (a, b) => {
  const t = new Target();
  b.spawn(t, { name: 'target' });
  const target = a.remoteLookup(b.remoteAddress() + '/user/target');
  const s = Source.range(0, 1000000).runWith(Sink.actor(target, { inFlight: 2 }), a);
  await until(() => t.got.length === 2);
  await b.shutdown();
  await assert.rejects(s.result(), (e) => e instanceof StoppedError && /the target actor stopped/.test(e.message));
}));

test('a Source.actorRef paces a remote SourceRef producer', () => pair(async (a, b) => {
  const t = new Target();
  const tp = a.spawn(t, { name: 'target' });
  const s = Source.actorRef(4).window(4).runWith(Sink.actor(tp, { inFlight: 2, onComplete: 'done' }), a);
  assert.ok(s.sourceAddress.startsWith(a.remoteAddress() + '/user/'));
  const src = b.remoteLookup(s.sourceAddress);
  // The target acks nothing: 4 + 4 + 2 are answered, the next 3 asks wait unanswered.
  const answered = [];
  const asks = range(13).map((i) => src.ask(i, { timeout: 30000 }).then((r) => { answered.push(i); return r; }));
  await until(() => answered.length === 10);
  await tick(200);
  assert.deepEqual(answered, range(10));
  tp.tell('open');
  for (const r of await Promise.all(asks)) assert.equal(r.type, STREAM_ACK.type);
  const ref = new SourceRef(src, { inFlight: 3 });
  for (let i = 13; i < 300; i++) await ref.push(i);
  await ref.complete();
  assert.equal(await s.result(), undefined);
  await until(() => t.doneAt >= 0);
  assert.deepEqual(t.got, range(300));
}));

test('a stream feeds a stream on another node', () => pair(async (a, b) => {
  const sa = Source.actorRef(2).map((x) => x * 10).runWith(Sink.collect(), a);
  const src = b.remoteLookup(sa.sourceAddress);
  const sb = Source.range(0, 500).runWith(Sink.actor(src, { inFlight: 3, onComplete: STREAM_END }), b);
  assert.equal(await sb.result(), undefined);
  assert.deepEqual(await sa.result(), range(500).map((x) => x * 10));
}));

test('a Source.actorRef fails when its producer node goes', () => pair(async (a, b) => {
  const t = new Target();
  const tp = a.spawn(t, { name: 'target' });
  const sa = Source.actorRef(4).runWith(Sink.actor(tp, { inFlight: 2 }), a);
  const src = b.remoteLookup(sa.sourceAddress);
  Source.range(0, 1000000).runWith(Sink.actor(src, { inFlight: 3, onComplete: STREAM_END }), b);
  await until(() => t.got.length === 2);
  await tick(100); // B's 3 in flight wait, unanswered, on A
  await b.shutdown();
  await assert.rejects(sa.result(), (e) => e instanceof StoppedError && /the producer stopped before the end/.test(e.message));
}));

test('a local Source.actorRef, and misuse', async () => {
  const a = await ActorSystem.create('jssl', { logger: null });
  try {
    const s = Source.actorRef(8).runWith(Sink.collect(), a);
    for (let i = 0; i < 5; i++) s.sourcePid.tell(i);
    assert.equal((await s.sourcePid.ask(5)).type, STREAM_ACK.type);
    assert.throws(() => s.sourceAddress, NotFoundError); // no remoting here
    s.complete();
    assert.deepEqual(await s.result(), range(6));
    const q = Source.queue(2).runWith(Sink.ignore(), a);
    assert.throws(() => q.sourcePid, InvalidArgumentError);
    q.cancel();
    assert.throws(() => Source.actorRef(0), InvalidArgumentError);
    assert.throws(() => new SourceRef(s.sourcePid, { inFlight: 0 }), InvalidArgumentError);
    assert.throws(() => new SourceRef(7), InvalidArgumentError);
  } finally {
    await a.shutdown();
  }
});
