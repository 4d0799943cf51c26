// akt/testkit: probes for testing JS actors with node:test (or any runner). A TestProbe
// is an actor that keeps what it receives; each expectation resolves with the message or
// rejects with a ProbeError saying what it expected and what came.
//
//   import { test } from 'node:test';
//   import { testSystem, TestProbe } from 'akt/testkit';
//   test('counter', async (t) => {
//     const system = await testSystem(t);          // shut down after the test
//     const probe = new TestProbe(system);
//     system.spawn(Counter).tell({ get: probe.pid });
//     assert.equal(await probe.expectMessage({ within: 1000 }), 0);
//   });
import { ActorSystem, Terminated } from 'akt';

/** An expectation of a TestProbe that did not hold. */
export class ProbeError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProbeError';
    this.code = 'ERR_AKT_PROBE';
  }
}

class Watch {
  constructor(pid) { this.pid = pid; }
}

const what = (msg) => {
  const kind = msg === null ? 'null' : typeof msg === 'object' ? (msg.constructor && msg.constructor.name) || 'Object' : typeof msg;
  let text;
  try { text = JSON.stringify(msg); } catch { text = String(msg); }
  return `${kind} ${text === undefined ? String(msg) : text}`;
};

/** An actor that keeps what it receives for the test to expect. */
export class TestProbe {
  #inbox = [];
  #waiter = null;

  /** Spawns the probe in system; opts.name names it (anonymous by default). */
  constructor(system, opts = {}) {
    const probe = this;
    this.system = system;
    this.pid = system.spawn({
      receive(ctx, msg) {
        if (msg instanceof Watch) {
          try {
            ctx.watch(msg.pid);
            return;
          } catch {
            msg = new Terminated(msg.pid); // gone already: its Terminated comes now
          }
        }
        probe.#push(msg);
      },
    }, opts.name === undefined ? {} : { name: opts.name });
  }

  #push(msg) {
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = null;
      w(msg);
    } else {
      this.#inbox.push(msg);
    }
  }

  // The next message within ms, or `none` after the deadline.
  #next(ms, none) {
    if (this.#inbox.length) return Promise.resolve(this.#inbox.shift());
    if (this.#waiter) return Promise.reject(new ProbeError('an expectation of this probe is already waiting'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        resolve(none);
      }, ms);
      this.#waiter = (msg) => {
        clearTimeout(timer);
        resolve(msg);
      };
    });
  }

  async #expect(ms) {
    const none = Symbol('none');
    const msg = await this.#next(ms, none);
    if (msg === none) throw new ProbeError(`expected a message within ${ms} ms, got none`);
    return msg;
  }

  /** The next message, within opts.within ms (default 3000). */
  expectMessage(opts = {}) {
    return this.#expect(opts.within ?? 3000);
  }

  /** The next message, which must be an instance of cls. */
  async expectMessageOf(cls, opts = {}) {
    const msg = await this.#expect(opts.within ?? 3000);
    if (!(msg instanceof cls)) throw new ProbeError(`expected a ${cls.name}, got ${what(msg)}`);
    return msg;
  }

  /** The next message, for which predicate must be true. */
  async expectMatch(predicate, opts = {}) {
    const msg = await this.#expect(opts.within ?? 3000);
    if (!predicate(msg)) {
      throw new ProbeError(`expected a message matching ${predicate.name || 'the predicate'}, got ${what(msg)}`);
    }
    return msg;
  }

  /** No message for opts.for ms (default 100). */
  async expectNoMessage(opts = {}) {
    const ms = opts.for ?? 100;
    const none = Symbol('none');
    const msg = await this.#next(ms, none);
    if (msg !== none) throw new ProbeError(`expected no message for ${ms} ms, got ${what(msg)}`);
  }

  /** Watches pid and expects its Terminated within opts.within ms. */
  async expectTerminated(pid, opts = {}) {
    this.pid.tell(new Watch(pid));
    const msg = await this.#expect(opts.within ?? 3000);
    if (!(msg instanceof Terminated && msg.pid.equals(pid))) {
      throw new ProbeError(`expected the Terminated of ${pid.path}, got ${what(msg)}`);
    }
  }

  /** Stops the probe's actor. */
  stop() { this.pid.stop(); }
}

/**
 * A system for one node:test test: created now, shut down when the test ends (t.after).
 * opts go to ActorSystem.create (logger: null unless given).
 */
export async function testSystem(t, name = 'test', opts = {}) {
  const system = await ActorSystem.create(name, { logger: null, ...opts });
  t.after(() => system.shutdown());
  return system;
}

/** Runs fn(system) with a system of its own, shut down afterwards whatever happens. */
export async function withTestSystem(fn, name = 'test', opts = {}) {
  const system = await ActorSystem.create(name, { logger: null, ...opts });
  try {
    return await fn(system);
  } finally {
    await system.shutdown();
  }
}
