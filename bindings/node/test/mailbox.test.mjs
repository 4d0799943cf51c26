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
      { kind: 'priority' }, 64,
    ];
    for (const mailbox of bad) {
      assert.throws(() => system.spawn(() => {}, { mailbox }), InvalidArgumentError);
    }
  });
});
