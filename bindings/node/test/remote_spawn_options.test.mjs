// Remote spawn with options (akt_remote_spawn_with): the supervisor, the mailbox, the
// passivation, the reentrancy and maxInFlight cross to the spawning node and take effect
// there; what cannot cross (a function) is refused here and leaves nothing there; a remote
// pid's reinstate reinstates the actor on its node. Two systems of this process over
// 127.0.0.1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ActorSystem, Actor, AktError, InvalidArgumentError, MailboxFullError, SuspendedError,
  BusyError, TimeoutError,
} from 'akt';

const until = async (cond, ms = 10000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    assert.ok(Date.now() < deadline, 'timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function pair(fn) {
  const a = await ActorSystem.create('rsalpha', { logger: null });
  const b = await ActorSystem.create('rsbeta', { logger: null });
  try {
    const addrB = b.remoteStart({ host: '127.0.0.1', port: 0 });
    a.remoteStart({ host: '127.0.0.1', port: 0 });
    b.registerGrain('boss', Boss, { deactivateAfter: 0 });
    b.spawn(Mute, { name: 'mute' });
    await fn(a, b, addrB);
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
}

// A child: a number adds to its count, 'get' answers it, 'boom' throws.
class Child extends Actor {
  preStart() { this.n = 0; }

  receive(ctx, msg) {
    if (msg === 'boom') throw new Error('boom');
    if (msg === 'get') ctx.respond(this.n);
    else if (typeof msg === 'number') this.n += msg;
  }
}

// Never answers: requests to it stay in flight.
class Mute extends Actor {
  receive() {}
}

// The kind spawned remotely: 'spawn' makes the child "c"; 'burst' makes three requests to
// /user/mute at once and answers how many were refused with BusyError; else 'pong'.
class Boss extends Actor {
  receive(ctx, msg) {
    if (msg === 'spawn') {
      ctx.spawn(Child, { name: 'c' });
      ctx.respond('spawned');
    } else if (msg === 'burst') {
      let busy = 0;
      for (let i = 0; i < 3; i++) {
        try {
          ctx.request('/user/mute', i, { then: () => {} });
        } catch (e) {
          if (!(e instanceof BusyError)) throw e;
          busy++;
        }
      }
      ctx.respond(busy);
    } else {
      ctx.respond('pong');
    }
  }
}

const ask = (pid, msg) => pid.ask(msg, { timeout: 10000 });

test('a supervisor crosses: directive stop stops the failing child, the default restarts it', () =>
  pair(async (a, b, addrB) => {
    const strict = await a.remoteSpawn(addrB, 'boss', 'strict', { supervisor: { directive: 'stop' } });
    const ruled = await a.remoteSpawn(addrB, 'boss', 'ruled', {
      supervisor: { directive: 'restart', rules: [['AKT_EFAILED', 'stop']] },
    });
    const lenient = await a.remoteSpawn(addrB, 'boss', 'lenient');
    for (const p of [strict, ruled, lenient]) assert.equal(await ask(p, 'spawn'), 'spawned');
    for (const n of ['strict', 'ruled', 'lenient']) {
      const c = b.lookup(`/user/${n}/c`);
      assert.notEqual(c, null);
      c.tell(1);
      c.tell('boom');
    }
    await until(() => b.lookup('/user/strict/c') === null && b.lookup('/user/ruled/c') === null);
    // Restarted: a fresh Child (its count back to 0), still at its path.
    const lc = b.lookup('/user/lenient/c');
    assert.notEqual(lc, null);
    assert.equal(await ask(lc, 'get'), 0);
  }));

test('passivation crosses: after 2 messages the actor stops there', () =>
  pair(async (a, b, addrB) => {
    const brief = await a.remoteSpawn(addrB, 'boss', 'brief', { passivation: { messages: 2 } });
    const lasting = await a.remoteSpawn(addrB, 'boss', 'lasting', { passivation: 'longLived' });
    assert.equal(await ask(brief, 'one'), 'pong');
    assert.equal(await ask(lasting, 'one'), 'pong');
    assert.notEqual(b.lookup('/user/brief'), null); // not after its first
    assert.equal(await ask(brief, 'two'), 'pong');
    assert.equal(await ask(lasting, 'two'), 'pong');
    await until(() => b.lookup('/user/brief') === null);
    assert.equal(await ask(lasting, 'three'), 'pong');
    assert.notEqual(b.lookup('/user/lasting'), null);
  }));

test('a bounded mailbox crosses: a second waiting message is refused there', () =>
  pair(async (a, b, addrB) => {
    const bounded = await a.remoteSpawn(addrB, 'boss', 'bounded', {
      mailbox: { kind: 'bounded', capacity: 1, whenFull: 'fail' },
    });
    const open = await a.remoteSpawn(addrB, 'boss', 'open', { mailbox: { kind: 'fair' } });
    assert.equal(await ask(bounded, 'hi'), 'pong');
    assert.equal(await ask(open, 'hi'), 'pong');
    // Its actor runs on this thread: while this code runs, nothing is taken.
    const here = b.lookup('/user/bounded');
    here.tell('x');
    assert.throws(() => here.tell('y'), MailboxFullError);
    const there = b.lookup('/user/open');
    there.tell('x');
    there.tell('y');
    // Once the waiting 'x' is taken, the slot is free again.
    const deadline = Date.now() + 10000;
    for (;;) {
      try {
        assert.equal(await ask(bounded, 'again'), 'pong');
        break;
      } catch (e) {
        if (!(e instanceof MailboxFullError) || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }));

test('reentrancy and maxInFlight cross', () =>
  pair(async (a, b, addrB) => {
    const limited = await a.remoteSpawn(addrB, 'boss', 'limited', { reentrancy: 'allowAll', maxInFlight: 2 });
    const free = await a.remoteSpawn(addrB, 'boss', 'free', { reentrancy: 'stash' });
    assert.equal(await ask(limited, 'burst'), 1); // the third request refused there
    assert.equal(await ask(free, 'burst'), 0);
    assert.equal(await ask(limited, 'hi'), 'pong'); // allowAll: other messages flow
  }));

test('what cannot cross is refused here with AKT_EINVAL and leaves nothing there', () =>
  pair(async (a, b, addrB) => {
    const refused = async (name, opts) => {
      const e = await a.remoteSpawn(addrB, 'boss', name, opts).then(() => null, (err) => err);
      assert.ok(e instanceof InvalidArgumentError, `${name}: ${e}`);
      assert.ok(e instanceof AktError);
      assert.equal(e.code, 'AKT_EINVAL');
      assert.equal(b.lookup(`/user/${name}`), null);
    };
    await refused('r1', { supervisor: { decide: () => 'stop' } });
    await refused('r2', { mailbox: { kind: 'priority', compare: (x, y) => x - y } });
    await refused('r3', { supervisor: { rules: [[TypeError, 'stop']] } });
    await refused('r4', { supervisor: { rules: [['SomeError', 'stop']] } });
    await refused('r5', { dependencies: { db: {} } });
    // Checked as a local spawn checks them.
    await refused('r6', { passivation: { idle: 0 } });
    await refused('r7', { reentrancy: 'sometimes' });
    await refused('r8', { maxInFlight: -1 });
    await refused('r9', { supervisor: { directive: 'later' } });
    await refused('r10', { mailbox: { kind: 'bounded', capacity: 0 } });
    await refused('r11', { supervisor: { maxRetries: 2 } }); // no window
    // A rule by an akt error class crosses (as its code).
    const ok = await a.remoteSpawn(addrB, 'boss', 'r1', { supervisor: { rules: [[TimeoutError, 'stop']] } });
    assert.equal(await ask(ok, 'hi'), 'pong');
  }));

test('wrong types throw TypeError; the old call forms still work', () =>
  pair(async (a, b, addrB) => {
    const bad = [
      5, 'opts', [1], { timeout: 'soon' }, { timeout: 0 }, { timeoutMs: -1 }, { timeout: Infinity },
      { timeout: 100, timeoutMs: 100 }, { supervisor: 'stop' }, { supervisor: [] },
      { supervisor: { decide: 5 } }, { supervisor: { rules: 'all' } }, { supervisor: { directive: {} } },
      { supervisor: { backoff: 3 } }, { mailbox: 4 }, { mailbox: { kind: 1 } },
      { mailbox: { capacity: '4' } }, { mailbox: { whenFull: true } }, { passivation: 5 },
      { reentrancy: 2 }, { maxInFlight: '4' },
    ];
    for (const opts of bad) {
      await assert.rejects(a.remoteSpawn(addrB, 'boss', 't', opts), TypeError, JSON.stringify(opts));
    }
    assert.equal(b.lookup('/user/t'), null);
    assert.equal(await ask(await a.remoteSpawn(addrB, 'boss', 'old1'), 'hi'), 'pong');
    assert.equal(await ask(await a.remoteSpawn(addrB, 'boss', 'old2', { timeoutMs: 5000 }), 'hi'), 'pong');
    assert.equal(await ask(await a.remoteSpawn(addrB, 'boss', 'new1', { timeout: 5000 }), 'hi'), 'pong');
    assert.equal(await ask(await a.remoteSpawn(addrB, 'boss', 'new2', null), 'hi'), 'pong');
  }));

test("a remote pid's reinstate reinstates the child suspended on its node", () =>
  pair(async (a, b, addrB) => {
    const keeper = await a.remoteSpawn(addrB, 'boss', 'keeper', { supervisor: { directive: 'suspend' } });
    assert.equal(await ask(keeper, 'spawn'), 'spawned');
    const child = a.remoteLookup(`${addrB}/user/keeper/c`);
    const here = b.lookup('/user/keeper/c');
    const suspended = () => {
      try {
        here.tell('noop');
        return false;
      } catch (e) {
        if (e instanceof SuspendedError) return true;
        throw e;
      }
    };
    child.tell(1);
    child.tell('boom');
    await until(suspended);
    await assert.rejects(ask(child, 'get'), SuspendedError);
    // Still suspended a while later: only the reinstate ends it.
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(suspended());
    child.reinstate();
    await until(() => !suspended());
    assert.equal(await ask(child, 'get'), 1); // its state was kept
    keeper.reinstate(); // not suspended: left as it is
    assert.equal(await ask(keeper, 'still'), 'pong');
  }));
