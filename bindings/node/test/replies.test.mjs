// Replies nobody waits for, ctx.replyExpected, and what the asker of a failed actor sees.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Actor, ActorFailedError, UnhandledError } from 'akt';
import { withSystem, collector } from './helpers.mjs';

const NOBODY_ASKED = 'reply to a message nobody asked (no sender, no asker)';

class Overdrawn extends Error {}

class Account extends Actor {
  constructor() {
    super();
    this.balance = 50;
    this.expected = [];
    this.raised = [];
  }

  receive(ctx, [kind, amount]) {
    this.expected.push(ctx.replyExpected);
    if (kind === 'deposit') this.balance += amount;
    else if (amount > this.balance) {
      const e = new Overdrawn(`balance ${this.balance}, asked ${amount}`);
      this.raised.push(e);
      throw e;
    } else this.balance -= amount;
    ctx.respond(this.balance);
  }
}

test('respond to a tell is a dead letter with its reason; the actor keeps its state', async () => {
  await withSystem(async (system) => {
    const dead = collector(5);
    const failed = [];
    system.on('actorFailed', (ev) => failed.push(ev));
    const account = new Account();
    const pid = system.spawn(account, { name: 'account' });
    system.on('deadLetter', (ev) => {
      if (ev.sender && ev.sender.equals(pid)) dead.push([ev.message, ev.reason]);
    });
    for (let i = 0; i < 5; i++) pid.tell(['deposit', 10]);
    // Before the fix each respond threw NotFoundError inside receive: five restarts.
    assert.equal(await pid.ask(['deposit', 0]), 100);
    assert.deepEqual(account.expected, [false, false, false, false, false, true]);
    assert.deepEqual(await dead.wait(), [60, 70, 80, 90, 100].map((b) => [b, NOBODY_ASKED]));
    assert.deepEqual(failed, []);
  });
});

test('replyExpected is true for a tell from an actor', async () => {
  await withSystem(async (system) => {
    const account = new Account();
    const pid = system.spawn(account);
    const answers = collector(1);
    const teller = system.spawn({
      receive(ctx, msg) {
        if (msg === 'go') ctx.tell(pid, ['deposit', 1]);
        else answers.push(msg); // the account's reply
      },
    });
    teller.tell('go');
    assert.deepEqual(await answers.wait(), [51]);
    assert.deepEqual(account.expected, [true]);
  });
});

test('a failed ask rejects with the reason and the thrown error as cause', async () => {
  await withSystem(async (system) => {
    const account = new Account();
    const pid = system.spawn(account);
    const err = await pid.ask(['withdraw', 80]).then(() => null, (e) => e);
    assert.ok(err instanceof ActorFailedError);
    assert.equal(err.code, 'AKT_EFAILED');
    assert.equal(err.reason, 'Overdrawn: balance 50, asked 80');
    assert.ok(err.message.includes(err.reason), err.message);
    assert.equal(err.cause, account.raised[0]); // the same instance
  });
});

test('reasons name the type; a failure without a message is just its type', async () => {
  await withSystem(async (system) => {
    class Named extends Error {
      constructor() { super('with a name'); this.name = 'CustomName'; }
    }
    const pid = system.spawn({
      receive(ctx, msg) {
        if (msg === 'type') throw new TypeError('bad type');
        if (msg === 'named') throw new Named();
        if (msg === 'bare') throw new Overdrawn();
        throw 'a string'; // eslint-disable-line no-throw-literal
      },
    });
    const reason = (m) => pid.ask(m).then(() => null, (e) => [e.reason, e.cause]);
    const [typeReason, typeCause] = await reason('type');
    assert.equal(typeReason, 'TypeError: bad type');
    assert.ok(typeCause instanceof TypeError);
    assert.equal((await reason('named'))[0], 'CustomName: with a name');
    assert.equal((await reason('bare'))[0], 'Overdrawn');
    assert.deepEqual(await reason('string'), ['a string', 'a string']);
  });
});

test('other rejections carry no reason', async () => {
  await withSystem(async (system) => {
    const pid = system.spawn({ receive(ctx) { ctx.unhandled(); } });
    const err = await pid.ask('x').then(() => null, (e) => e);
    assert.ok(err instanceof UnhandledError);
    assert.equal(err.reason, undefined);
    assert.equal(err.cause, undefined);
  });
});
