// Runs of messages: akt hands a JS actor its queued messages in runs (receive_batch), one
// call into JS per run. Messages told synchronously from plain JS are all queued before the
// pump runs, so each test below sees them inside one run and checks that every message of
// the run still behaves as if it came alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, ActorFailedError, Message, UnhandledError, registerDecoder } from 'akt';
import { withSystem, collector } from './helpers.mjs';

const native = (await import('../lib/addon.cjs')).default;

// Each ask's answer, or its error.
const asksOf = (pid, msgs) => msgs.map((m) => pid.ask(m).then((v) => v, (e) => e));

test('a run of queued messages is one call into JS, as long as the throughput allows', async () => {
  await withSystem(async (system) => {
    const N = 1000;
    const got = collector(N);
    const pid = system.spawn((ctx, msg) => got.push(msg));
    const before = native.stats();
    for (let i = 0; i < N; i++) pid.tell(i);
    assert.deepEqual(await got.wait(), Array.from({ length: N }, (_, i) => i));
    const after = native.stats();
    const runs = after.runs - before.runs;
    assert.equal(after.received - before.received, N);
    assert.ok(runs >= N / 100 && runs <= N / 100 + 2, `${runs} runs for ${N} messages`);
  }, 'runs', { throughput: 100 });
});

test('a throw inside a run fails that message only; the rest stay queued, in order', async () => {
  for (const directive of ['resume', 'restart']) {
    await withSystem(async (system) => {
      const failed = collector(1);
      system.on('actorFailed', (ev) => failed.push(ev.reason));
      const seen = [];
      const pid = system.spawn((ctx, msg) => {
        if (msg === 5) throw new Error(`boom at ${msg}`);
        seen.push(msg);
        ctx.respond(msg * 10);
      });
      const answers = pid.askBatch([1, 2, 3, 4, 5, 6, 7, 8]).map((p) => p.then((v) => v, (e) => e));
      const results = await Promise.all(answers);
      assert.deepEqual(results.slice(0, 4), [10, 20, 30, 40]);
      assert.ok(results[4] instanceof ActorFailedError, `${directive}: the failing ask rejects`);
      assert.deepEqual(results.slice(5), [60, 70, 80]);
      assert.deepEqual(seen, [1, 2, 3, 4, 6, 7, 8]);
      assert.deepEqual(await failed.wait(), ['Error: boom at 5']);
    }, 'fail', { supervisor: { directive } });
  }
});

test('a restart inside a run hands the queued rest to the fresh instance', async () => {
  await withSystem(async (system) => {
    const log = [];
    let instances = 0;
    class Counter extends Actor {
      constructor() { super(); this.id = ++instances; }
      receive(ctx, msg) {
        if (msg === 'fail') throw new Error('x');
        if (msg === 'done') ctx.respond(log);
        else log.push(`${this.id}:${msg}`);
      }
    }
    const pid = system.spawn(Counter);
    for (const m of ['a', 'b', 'fail', 'c', 'd']) pid.tell(m);
    assert.deepEqual(await pid.ask('done'), ['1:a', '1:b', '2:c', '2:d']);
  });
});

test('become and unbecome inside a run switch the handler for the next message', async () => {
  await withSystem(async (system) => {
    const seen = collector(6);
    const shout = function (ctx, msg) {
      if (msg === 'calm') ctx.unbecome();
      else seen.push(`${this.name}:${msg.toUpperCase()}`);
    };
    class Speaker extends Actor {
      constructor() { super(); this.name = 's'; }
      receive(ctx, msg) {
        if (msg === 'excite') ctx.become(shout);
        else if (msg === 'push') ctx.become((c, m) => { seen.push(`pushed:${m}`); c.unbecomeStacked(); }, { stacked: true });
        else seen.push(`${this.name}:${msg}`);
      }
    }
    const pid = system.spawn(Speaker);
    for (const m of ['a', 'excite', 'b', 'c', 'calm', 'd', 'push', 'e', 'f']) pid.tell(m);
    assert.deepEqual(await seen.wait(), ['s:a', 's:B', 's:C', 's:d', 'pushed:e', 's:f']);
  });
});

test('stash and unstashAll inside a run: the stashed messages come back first', async () => {
  await withSystem(async (system) => {
    const seen = collector(5);
    const obj = { k: 1 };
    class Gate extends Actor {
      preStart() { this.open = false; }
      receive(ctx, msg) {
        if (msg === 'open') { this.open = true; ctx.unstashAll(); }
        else if (!this.open) ctx.stash();
        else seen.push([msg instanceof Message ? msg.text.length : msg, ctx.messageType]);
      }
    }
    const pid = system.spawn(Gate);
    for (const m of ['a', 1, obj, 'open', 'b']) pid.tell(m);
    pid.tell(new Message('gate.Two', 'xy'));
    assert.deepEqual(await seen.wait(), [['a', 'akt.String'], [1, 'akt.Float64'], [obj, 'akt.js.Value'],
      ['b', 'akt.String'], [2, 'gate.Two']]);
  });
});

test('sender, respond, forward and unhandled speak of each message of a run', async () => {
  await withSystem(async (system) => {
    const echo = system.spawn((ctx, msg) => ctx.respond(`echo ${msg}`));
    const hub = system.spawn((ctx, msg) => {
      if (typeof msg === 'object') ctx.respond(`${msg.from}<-${ctx.sender && ctx.sender.path.split('/').pop()}`);
      else if (msg.startsWith('fwd')) ctx.forward(echo);
      else if (msg.startsWith('nope')) ctx.unhandled();
      else ctx.respond(`hub ${msg}`);
    });
    const results = await Promise.all(asksOf(hub, ['x', 'fwd1', 'nope1', 'y', 'fwd2', 'nope2', 'z']));
    assert.deepEqual(results.map((r) => (r instanceof UnhandledError ? 'unhandled' : r)),
      ['hub x', 'echo fwd1', 'unhandled', 'hub y', 'echo fwd2', 'unhandled', 'hub z']);

    // Two actors' messages interleaved in one run of hub: each answer goes to its sender.
    const a = collector(3);
    const b = collector(3);
    const mk = (name, c) => system.spawn((ctx, msg) => {
      if (msg === 'go') for (let i = 0; i < 3; i++) ctx.tell(hub, { from: `${name}${i}` });
      else c.push(msg);
    }, { name });
    const pa = mk('a', a);
    const pb = mk('b', b);
    pa.tell('go');
    pb.tell('go');
    assert.deepEqual(await a.wait(), ['a0<-a', 'a1<-a', 'a2<-a']);
    assert.deepEqual(await b.wait(), ['b0<-b', 'b1<-b', 'b2<-b']);
  });
});

test('every kind of value arrives decoded inside a run, each with its own type', async () => {
  registerDecoder('batch.Upper', (buf) => buf.toString().toUpperCase());
  await withSystem(async (system) => {
    const N = 9;
    const got = collector(N);
    const pid = system.spawn((ctx, msg) => got.push([msg, ctx.messageType]));
    const obj = { o: 1 };
    const buf = Buffer.from('raw');
    pid.tell(obj);
    pid.tell('text');
    pid.tell(42);
    pid.tell(null);
    pid.tell(buf);
    pid.tell(new Message('batch.Plain', 'hi'));
    pid.tell('up', { type: 'batch.Upper' });
    pid.tell(7, { type: 'batch.Seven' });
    pid.tell(true);
    const r = await got.wait();
    assert.equal(r[0][0], obj);
    assert.deepEqual(r.slice(1, 4), [['text', 'akt.String'], [42, 'akt.Float64'], [null, 'akt.Null']]);
    assert.equal(r[4][0], buf);
    assert.ok(r[5][0] instanceof Message);
    assert.deepEqual([r[5][0].type, r[5][0].text, r[5][1]], ['batch.Plain', 'hi', 'batch.Plain']);
    assert.deepEqual(r[6], ['UP', 'batch.Upper']);
    assert.equal(r[7][1], 'batch.Seven');
    assert.deepEqual(r[8], [true, 'akt.Bool']);
  });
});

test('stopping itself inside a run: the rest of the run are dead letters', async () => {
  await withSystem(async (system) => {
    const dead = collector(3);
    system.on('deadLetter', (ev) => dead.push(ev.message));
    const seen = [];
    const pid = system.spawn((ctx, msg) => {
      seen.push(msg);
      if (msg === 'stop') ctx.stop();
    });
    for (const m of ['a', 'stop', 'b', 'c', 'd']) pid.tell(m);
    assert.deepEqual(await dead.wait(), ['b', 'c', 'd']);
    assert.deepEqual(seen, ['a', 'stop']);
  });
});
