'use strict';
// The circuit breaker (akt.h, "Circuit breaker"): `await breaker.call(fn)` runs fn (sync or
// async) unless the breaker is open, counting a thrown error or a rejection as a failure.

const native = require('./addon.cjs');
const { makeError, errnos, BusyError } = require('./errors.cjs');

const STATES = ['closed', 'open', 'halfOpen'];
const NS_PER_MS = 1000000n;

/** The breaker refused the call: open, or half-open with every trial call taken. */
class BreakerOpenError extends BusyError {
  constructor() {
    super(errnos.BusyError, 'circuit breaker is open: the call was not started');
    this.name = 'BreakerOpenError';
  }
}

const toNs = (ms, what, allowZero = false) => {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || (ms === 0 && !allowZero)) {
    throw makeError(errnos.InvalidArgumentError, `${what} must be a number of milliseconds ${allowZero ? '>= 0' : '> 0'}, not ${String(ms)}`);
  }
  return BigInt(Math.round(ms * 1e6));
};

const count = (v, what) => {
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) {
    throw makeError(errnos.InvalidArgumentError, `${what} must be an integer >= 1, not ${String(v)}`);
  }
  return v;
};

/** A fake clock for breakers (tests, transcripts): time moves only with advance(ms). */
class ManualClock {
  #now;
  constructor(startMs = 0) {
    this.handle = native.manualClockCreate(toNs(startMs, 'startMs', true));
    this.#now = toNs(startMs, 'startMs', true);
  }

  /** Moves the clock forward by ms milliseconds. */
  advance(ms) {
    this.#now = native.manualClockAdvance(this.handle, toNs(ms, 'ms', true));
  }

  /** Milliseconds. */
  get now() {
    return Number(this.#now / NS_PER_MS) + Number(this.#now % NS_PER_MS) / 1e6;
  }
}

const kBreaker = Symbol('akt.breaker');

class CircuitBreaker {
  #b;
  #clock;
  /**
   * opts (GoAkt's defaults): failureRate 0.5, minRequests 10, openTimeout 30000 ms, window
   * 60000 ms in windowBuckets 12, halfOpenMaxCalls 1, clock (a ManualClock) or none.
   */
  constructor(opts = {}) {
    const o = {
      failureRate: 0.5, minRequests: 10, openTimeout: 30000, window: 60000, windowBuckets: 12,
      halfOpenMaxCalls: 1, ...opts,
    };
    if (typeof o.failureRate !== 'number') throw makeError(errnos.InvalidArgumentError, 'failureRate must be a number in (0, 1]');
    if (o.clock !== undefined && o.clock !== null && !(o.clock instanceof ManualClock)) {
      throw makeError(errnos.InvalidArgumentError, 'clock must be a ManualClock');
    }
    this.#clock = o.clock || null; // kept alive as long as the breaker
    this.#b = native.breakerCreate(o.failureRate, count(o.minRequests, 'minRequests'),
      toNs(o.openTimeout, 'openTimeout'), toNs(o.window, 'window'),
      count(o.windowBuckets, 'windowBuckets'), count(o.halfOpenMaxCalls, 'halfOpenMaxCalls'),
      this.#clock ? this.#clock.handle : null);
  }

  /** The native breaker (for ctx.pipeTo). */
  get [kBreaker]() {
    return this.#b;
  }

  /** Asks to start a call; throws BreakerOpenError if it may not. Report it with record(). */
  allow() {
    if (native.breakerAllow(this.#b) !== 0) throw new BreakerOpenError();
  }

  /** The outcome of a call allow() let through. */
  record(success) {
    native.breakerRecord(this.#b, !!success);
  }

  /**
   * Runs fn() through the breaker: resolves with its result, rejects with its error (a
   * failure) or with BreakerOpenError (fn not called).
   */
  async call(fn) {
    if (typeof fn !== 'function') throw makeError(errnos.InvalidArgumentError, 'call(fn) needs a function');
    this.allow();
    let value;
    try {
      value = await fn();
    } catch (e) {
      this.record(false);
      throw e;
    }
    this.record(true);
    return value;
  }

  /** 'closed', 'open' or 'halfOpen'. */
  get state() {
    return STATES[native.breakerMetrics(this.#b)[0]];
  }

  /** { state, successes, failures, failureRate, rejected }: the window and refused calls. */
  metrics() {
    const [st, successes, failures, failureRate, rejected] = native.breakerMetrics(this.#b);
    return { state: STATES[st], successes, failures, failureRate, rejected };
  }
}

module.exports = { CircuitBreaker, ManualClock, BreakerOpenError, kBreaker };
