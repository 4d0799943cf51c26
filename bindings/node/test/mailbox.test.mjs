import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MailboxFullError, InvalidArgumentError } from 'akt';
import { withSystem, collector } from './helpers.mjs';

// JS actors run on the JS thread: tells made synchronously here all wait in the mailbox.

test('a full bounded mailbox with whenFull fail throws MailboxFullError', async () => {
  await withSystem(async (system) => {
    const got = collector(4);
    const pid = system.spawn((ctx, msg) => got.push(msg),
      { mailbox: { kind: 'bounded', capacity: 3, whenFull: 'fail' } });
    pid.tell(1);
    pid.tell(2);
    pid.tell(3);
    assert.throws(() => pid.tell(4), (e) => e instanceof MailboxFullError && e.code === 'AKT_EFULL');
    await new Promise((r) => setTimeout(r, 0));
    const deadline = Date.now() + 5000;
    while (got.items.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    pid.tell(5); // room again
    assert.deepEqual(await got.wait(), [1, 2, 3, 5]);
  });
});

test('whenFull drop sends the newest message to dead letters', async () => {
  await withSystem(async (system) => {
    const reasons = [];
    const sub = system.subscribe('deadLetter', (ev) => reasons.push([ev.message, ev.reason]));
    const got = collector(2);
    const pid = system.spawn((ctx, msg) => got.push(msg),
      { mailbox: { kind: 'bounded', capacity: 2, whenFull: 'drop' } });
    pid.tell('a');
    pid.tell('b');
    pid.tell('c'); // accepted, dropped
    assert.deepEqual(await got.wait(), ['a', 'b']);
    assert.deepEqual(reasons, [['c', 'mailbox full']]);
    sub.unsubscribe();
  });
});

test('a fair mailbox serves its senders round-robin', async () => {
  await withSystem(async (system) => {
    const got = collector(9);
    const target = system.spawn((ctx, msg) => got.push(msg), { mailbox: { kind: 'fair' } });
    const senders = ['A', 'B', 'C'].map((tag) => system.spawn((ctx) => {
      for (let i = 1; i <= 3; i++) ctx.tell(target, `${tag}${i}`);
    }));
    for (const s of senders) s.tell('go');
    assert.deepEqual(await got.wait(), ['A1', 'B1', 'C1', 'A2', 'B2', 'C2', 'A3', 'B3', 'C3']);
  });
});

test('bad mailbox options are InvalidArgumentError', async () => {
  await withSystem(async (system) => {
    const bad = [
      { kind: 'heap' }, { kind: 'bounded' }, { capacity: -1 }, { capacity: 4, whenFull: 'block' },
      { kind: 'priority' }, { kind: 'priority', compare: 3 }, 64,
    ];
    for (const mailbox of bad) {
      assert.throws(() => system.spawn(() => {}, { mailbox }), InvalidArgumentError);
    }
  });
});

// Messages told synchronously all wait (the actor runs on this thread), so the order is the
// mailbox's: lowest first, equal priorities in arrival order.
const byPriority = (a, b) => a[0] - b[0];

test('a priority mailbox hands out the lowest first, equal priorities in arrival order', async () => {
  await withSystem(async (system) => {
    const got = collector(6);
    const pid = system.spawn((ctx, msg) => got.push(msg.join(':')),
      { mailbox: { kind: 'priority', compare: byPriority } });
    for (const m of [[3, 'a'], [1, 'b'], [2, 'c'], [1, 'd'], [3, 'e'], [1, 'f']]) pid.tell(m);
    assert.deepEqual(await got.wait(), ['1:b', '1:d', '1:f', '2:c', '3:a', '3:e']);
  });
});

test('a priority mailbox orders typed and object messages, and works with a capacity', async () => {
  await withSystem(async (system) => {
    const got = collector(3);
    const pid = system.spawn((ctx, msg) => got.push(msg.urgency),
      { mailbox: { kind: 'priority', capacity: 3, compare: (a, b) => b.urgency - a.urgency } });
    pid.tell({ urgency: 1 });
    pid.tell({ urgency: 9 });
    pid.tell({ urgency: 5 });
    assert.throws(() => pid.tell({ urgency: 7 }), MailboxFullError);
    assert.deepEqual(await got.wait(), [9, 5, 1]);
  });
});

test('compare runs on the JS thread with the messages, and a child can have one too', async () => {
  await withSystem(async (system) => {
    const { isMainThread } = await import('node:worker_threads');
    const seen = new Set();
    const got = collector(3);
    const parent = system.spawn((ctx, msg) => {
      const child = ctx.spawn((c, m) => got.push(m), {
        mailbox: { kind: 'priority', compare: (a, b) => { seen.add(isMainThread); return a - b; } },
      });
      for (const n of msg) ctx.tell(child, n);
    });
    parent.tell([30, 10, 20]);
    assert.deepEqual(await got.wait(), [10, 20, 30]);
    assert.deepEqual([...seen], [true]);
  });
});

test('a compare that throws is reported and counts as equal: nothing is lost', async () => {
  const logged = [];
  const logger = { error: (...args) => logged.push(args) };
  await withSystem(async (system) => {
    const got = collector(4);
    const pid = system.spawn((ctx, msg) => got.push(msg), {
      name: 'picky',
      mailbox: {
        kind: 'priority',
        compare: (a, b) => {
          if (a === 'bad' || b === 'bad') throw new Error('cannot rank');
          return a.length - b.length;
        },
      },
    });
    for (const m of ['ccc', 'bad', 'a', 'bb']) pid.tell(m);
    const items = await got.wait();
    assert.deepEqual([...items].sort(), ['a', 'bad', 'bb', 'ccc']);
    assert.deepEqual(items.filter((m) => m !== 'bad'), ['a', 'bb', 'ccc']);
    pid.tell('after'); // the actor carries on
  }, 'test', { logger });
  assert.ok(logged.length > 0);
  assert.match(logged[0][0], /picky.*mailbox compare/);
  assert.equal(logged[0][1].message, 'cannot rank');
});

test('a compare that returns no number is reported and counts as equal', async () => {
  const logged = [];
  await withSystem(async (system) => {
    const got = collector(3);
    const pid = system.spawn((ctx, msg) => got.push(msg),
      { mailbox: { kind: 'priority', compare: () => 'soon' } });
    for (const m of [3, 1, 2]) pid.tell(m);
    assert.deepEqual(await got.wait(), [3, 1, 2]);
  }, 'test', { logger: { error: (...args) => logged.push(args) } });
  assert.ok(logged.length > 0);
  assert.ok(logged[0][1] instanceof TypeError);
});
