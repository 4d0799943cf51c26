'use strict';
// JS actors: the Actor base class, the table of live actors (cells) the addon calls into by
// id, and spawning. Callbacks run on this thread inside the pump, one actor at a time.

const native = require('./addon.cjs');
const { makeError, codeOf, errnos, errnoOfRuleKey } = require('./errors.cjs');
const { install, kick, pumpUntil } = require('./pump.cjs');
const {
  shared, F_FAILED, S_PID, S_PID2, S_ACTOR, S_MESSAGE, NEXT_END, NEXT_TYPED,
} = require('./shared.cjs');
const { kHandle, kReport, kLive, kHeld } = require('./internal.cjs');
const { Pid } = require('./pid.cjs');
const { Context, AsyncContext } = require('./context.cjs');
const { decode } = require('./types.cjs');
const { values, put } = require('./values.cjs');
const { passivationOf } = require('./passivation.cjs');

/** Base class of JS actors. Override receive(); preStart/postStop are optional. */
class Actor {
  preStart(ctx) {}
  receive(ctx, msg) { ctx.unhandled(); }
  postStop(ctx) {}
}

/** Delivered to a watcher when a watched actor stopped. */
class Terminated {
  constructor(pid) { this.pid = pid; }
}

const cells = [];
const freeIds = [];

const DIRECTIVES = { restart: 0, resume: 1, stop: 2, escalate: 3, suspend: 4 };

// Reentrancy modes (AKT_REENTRANCY_*): undefined = the actor's (at spawn: off).
const REENTRANCY = { off: 1, allowAll: 2, stash: 3 };
function reentrancyOf(m) {
  if (m === undefined || m === null) return 0;
  const n = REENTRANCY[m];
  if (n === undefined) throw makeError(errnos.InvalidArgumentError, `reentrancy must be 'off', 'allowAll' or 'stash', not ${String(m)}`);
  return n;
}

function directiveOf(d, fallback) {
  if (d === undefined || d === null) return fallback;
  if (typeof d === 'number' && d >= 0 && d <= 4) return d;
  const n = DIRECTIVES[d];
  if (n === undefined) throw makeError(errnos.InvalidArgumentError, `unknown directive ${String(d)}`);
  return n;
}

const STRATEGIES = { oneForOne: 0, oneForAll: 1 };

// The errors of recent JS failures by their reason (what a decider gets), so that a
// parent's class rules can match the error its child threw. Bounded: a reason forgotten by
// then falls back to the decider.
const recentFailures = new Map();
const RECENT_FAILURES_MAX = 1024;

function rememberFailure(reason, error) {
  recentFailures.delete(reason);
  recentFailures.set(reason, error);
  if (recentFailures.size > RECENT_FAILURES_MAX) recentFailures.delete(recentFailures.keys().next().value);
}

/**
 * sup.rules, checked: [[key, directive], ...] with key an error class or an error name.
 * Returns { classRules: [[key, directive]], codeRules: [errno, directive, ...] }: akt error
 * classes and AKT_E* names also go to akt's code table (at most 64).
 */
function rulesOf(sup) {
  const out = { classRules: [], codeRules: [] };
  if (sup.rules === undefined) return out;
  const bad = (m) => makeError(errnos.InvalidArgumentError, m);
  if (!Array.isArray(sup.rules)) throw bad('rules must be an array of [error class or name, directive]');
  for (const rule of sup.rules) {
    if (!Array.isArray(rule) || rule.length !== 2) throw bad('a rule is [error class or name, directive]');
    const [key, d] = rule;
    if (typeof key !== 'function' && (typeof key !== 'string' || key === '')) {
      throw bad(`a rule's key must be an error class or name, not ${String(key)}`);
    }
    if (d === undefined || d === null) throw bad('a rule needs a directive');
    const directive = directiveOf(d, 0);
    const errno = errnoOfRuleKey(key);
    if (errno !== undefined) out.codeRules.push(errno, directive);
    if (typeof key === 'function' || errno === undefined) out.classRules.push([key, directive]);
  }
  if (out.codeRules.length > 128) throw bad('at most 64 rules for akt error classes or codes');
  return out;
}

// The directive of the most specific rule matching error (nearest class in its prototype
// chain; a name matches error.name or a class name in the chain), or undefined.
function matchRule(rules, error) {
  let best;
  let bestDepth = Infinity;
  let depth = 0;
  for (let p = error !== null && typeof error === 'object' ? Object.getPrototypeOf(error) : null; p; p = Object.getPrototypeOf(p), depth++) {
    for (const [key, d] of rules) {
      const hit = typeof key === 'function' ? p === key.prototype
        : (p.constructor && p.constructor.name === key) || (depth === 0 && error.name === key);
      if (hit && depth < bestDepth) {
        best = d;
        bestDepth = depth;
      }
    }
    if (best !== undefined) break;
  }
  return best;
}

// onRetriesExhausted: what a child out of retries gets (AKT_EXHAUSTED_*).
const EXHAUSTED = { stop: 0, suspend: 1 };

/**
 * [strategy, maxRetries, withinNs, backoff (5), onRetriesExhausted, code rules...] of a
 * supervisor option object, checked.
 */
function budgetOf(sup) {
  const strategy = sup.strategy === undefined ? 0 : STRATEGIES[sup.strategy];
  if (strategy === undefined) throw makeError(errnos.InvalidArgumentError, `unknown strategy ${String(sup.strategy)}`);
  const max = sup.maxRetries === undefined ? 0 : sup.maxRetries;
  if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) {
    throw makeError(errnos.InvalidArgumentError, `maxRetries must be an integer >= 0, not ${String(max)}`);
  }
  let withinNs = 0;
  if (sup.within !== undefined) {
    const w = sup.within;
    if (typeof w !== 'number' || !(w > 0) || w * 1e6 >= 2 ** 63) {
      throw makeError(errnos.InvalidArgumentError, `within must be a positive number of ms, not ${String(w)}`);
    }
    withinNs = Math.max(1, Math.round(w * 1e6));
  }
  if (max > 0 && withinNs === 0) throw makeError(errnos.InvalidArgumentError, 'maxRetries needs a window: within (ms)');
  const ex = sup.onRetriesExhausted === undefined ? 'stop' : sup.onRetriesExhausted;
  if (ex !== 'stop' && ex !== 'suspend') {
    throw makeError(errnos.InvalidArgumentError, `onRetriesExhausted must be 'stop' or 'suspend', not ${String(ex)}`);
  }
  const exhausted = EXHAUSTED[ex];
  return [strategy, max, withinNs, ...backoffOf(sup.backoff), exhausted, ...rulesOf(sup).codeRules];
}

const msNs = (name, v, required) => {
  if (v === undefined && !required) return 0;
  if (typeof v !== 'number' || !(v > 0) || v * 1e6 >= 2 ** 63) {
    throw makeError(errnos.InvalidArgumentError, `backoff.${name} must be a positive number of ms, not ${String(v)}`);
  }
  return Math.max(1, Math.round(v * 1e6));
};

/** [minNs, maxNs, multiplier, jitter, resetNs] of a backoff option object, checked. */
function backoffOf(b) {
  if (b === undefined || b === null) return [0, 0, 0, 0, 0];
  if (typeof b !== 'object') throw makeError(errnos.InvalidArgumentError, 'backoff must be an object');
  const min = msNs('initial', b.initial, true);
  const max = msNs('maximum', b.maximum, false);
  if (max && max < min) throw makeError(errnos.InvalidArgumentError, 'backoff.maximum must not be below initial');
  const mult = b.multiplier === undefined ? 2 : b.multiplier;
  if (typeof mult !== 'number' || !(mult >= 1)) {
    throw makeError(errnos.InvalidArgumentError, `backoff.multiplier must be >= 1, not ${String(mult)}`);
  }
  const jitter = b.jitter === undefined ? 0 : b.jitter;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw makeError(errnos.InvalidArgumentError, `backoff.jitter must be in [0, 1], not ${String(jitter)}`);
  }
  return [min, max, mult, jitter, msNs('resetAfter', b.resetAfter, false)];
}

// What spawn accepts: an Actor subclass (a fresh instance per start and restart), an
// instance (kept across restarts), or a receive function (ctx, msg) => void.
function makerOf(actor) {
  if (typeof actor === 'function') {
    if (actor.prototype && typeof actor.prototype.receive === 'function') return () => new actor();
    const fn = actor;
    return () => ({ receive: fn });
  }
  if (actor && typeof actor.receive === 'function') return null;
  throw makeError(errnos.InvalidArgumentError, 'spawn expects an Actor class, instance or receive function');
}

// "<type>: <message>" (just the type without a message), as every binding writes it. The
// type is the error's name, or its class's name when the class did not set one.
function reasonOf(e) {
  if (e instanceof Error) {
    const cls = e.constructor && e.constructor.name;
    const type = e.name === 'Error' && cls ? cls : (e.name || cls || 'Error');
    return e.message ? `${type}: ${e.message}` : type;
  }
  try {
    return String(e);
  } catch {
    return 'exception';
  }
}

// What a failed receive returns to the addon: the reason (see failed), and the error
// itself for an asker (which rejects with it as `cause`).
function forAsker(reason, e) {
  return native.ctxReplyExpected() ? [reason, put(e)] : reason;
}

// An async receive (or any receive returning a thenable): akt keeps the message until the
// promise settles (akt_ctx_suspend; by default no other message starts meanwhile, see
// reentrancy), then a last step on the actor's turn finishes it, a rejection failing it as
// a throw would (the asker gets the error, the supervisor decides). What the receive does
// with its AsyncContext after an await comes as earlier steps, in order. A stop or a
// restart drops the held messages: their steps never run.
class Held {
  constructor(cell, ctx) {
    // The callback's context is still live: what it can tell after an await comes now.
    const r = native.ctxSuspend(cell.actorRef === null);
    if (r.length > 3) cell.actorRef = r[3];
    this.cell = cell;
    this.ctx = ctx;
    this.actor = cell.actorRef;
    this.id = r[0];
    this.done = false;
    this.replyExpected = r[1];
    this.senderLo = r[2] ? shared.scratch[S_PID] : -1;
    this.senderHi = r[2] ? shared.scratch[S_PID + 1] : 0;
  }

  get sender() {
    return this.senderLo === -1 ? null : new Pid(this.cell.system, this.senderLo, this.senderHi);
  }

  // Queues fn as a step (last: the one that finishes the message).
  post(fn, last = false) {
    const cell = this.cell;
    if (!cell.held.has(this)) return; // dropped by a stop or a restart
    const id = ++cell.nextStep;
    cell.steps.set(id, { held: this, fn, last });
    const self = cell.ctx.self;
    try {
      native.suspensionPost(cell.system[kHandle], this.actor, self.lo, self.hi, this.id, id, last);
      kick(); // a wake-up from the JS thread is the pump's to run (lib/pump.cjs)
    } catch (e) {
      cell.steps.delete(id);
      throw e;
    }
  }

  settled(error) {
    if (this.done) return;
    this.done = true;
    try {
      this.post(() => { if (error !== undefined) throw error; }, true);
    } catch (e) {
      if (error !== undefined) report(this.cell, 'an async receive, after its system closed', error);
    }
  }
}

function awaitReceive(cell, ctx, p) {
  const held = new Held(cell, ctx);
  if (ctx !== null) ctx[kHeld] = held;
  cell.held.add(held);
  p.then(() => held.settled(undefined), (e) => held.settled(e === undefined ? new Error('an async receive rejected with undefined') : e));
}

const isAsync = (fn) => fn[Symbol.toStringTag] === 'AsyncFunction';

// Only receive may be async: a lifecycle hook has no message to keep while it waits, so a
// promise from one is a failure (its rejection, if any, is then ignored).
function notAsync(r, where) {
  if (r !== undefined && r !== null && typeof r.then === 'function') {
    r.then(undefined, () => {});
    throw makeError(errnos.InvalidArgumentError, `${where} returned a promise: only receive may be async`);
  }
}

// Logs a failure through the system's logger (see reporterOf in lib/system.cjs), with the
// actor's path while it has one.
function report(cell, where, error) {
  const log = cell.system[kReport];
  if (log !== null) log(String(cell.ctx.self || cell.name || 'being spawned'), where, error);
}

// A failure: flags it for the addon (it then fails the actor with the reason returned).
function failed(cell, where, error) {
  cell.lastError = error;
  report(cell, where, error);
  shared.flags[F_FAILED] = 1;
  const reason = reasonOf(error);
  rememberFailure(reason, error); // for the parent's class rules
  return reason;
}

// One message: the value-table slot (>= 0), or the value and, for bytes, its type name.
// A failure returns the reason (see failed).
function handle(cell, slot, value, type) {
  const ctx = cell.ctx;
  if (slot >= 0) {
    value = values[slot];
  } else if (type !== undefined && type === 'akt.Terminated') {
    value = new Terminated(new Pid(cell.system, shared.scratch[S_PID2], shared.scratch[S_PID2 + 1]));
    type = undefined;
  }
  const stack = cell.stack;
  const fn = stack.length === 0 ? cell.actor.receive : stack[stack.length - 1];
  const actx = isAsync(fn) ? new AsyncContext(cell) : null;
  const c = actx === null ? ctx : actx;
  c[kLive] = true;
  try {
    // A decoder that throws (a malformed akt.Int64, bad JSON ...) fails this message.
    if (type !== undefined) value = decode(value, type);
    const r = fn.call(cell.actor, c, value);
    if (r !== undefined && r !== null && typeof r.then === 'function') awaitReceive(cell, actx, r);
  } catch (e) {
    c[kLive] = false;
    const failure = forAsker(failed(cell, 'receive', e), e);
    return failure;
  }
  c[kLive] = false;
  return undefined;
}

// A step of an async receive, on the actor's turn: (id, last) from requestInfo().
function step() {
  const cell = cells[shared.ints[S_ACTOR]];
  const [id] = native.requestInfo();
  const entry = cell.steps.get(id);
  if (entry === undefined) return undefined;
  cell.steps.delete(id);
  const { held, fn, last } = entry;
  if (last) cell.held.delete(held);
  const c = held.ctx === null ? cell.ctx : held.ctx;
  c[kLive] = true;
  try {
    fn();
  } catch (e) {
    c[kLive] = false;
    cell.held.delete(held);
    held.done = true;
    return forAsker(failed(cell, 'an async receive', e), e);
  }
  c[kLive] = false;
  return undefined;
}

// A stop or a restart: akt dropped the held messages and their steps.
function dropHeld(cell) {
  for (const held of cell.held) held.done = true;
  cell.held.clear();
  cell.steps.clear();
}

// receive, once per run of the actor's messages (id in ints[S_ACTOR]). The first message
// comes with the call: its slot in ints[S_MESSAGE], or (value, type). The next ones are
// pulled with native.next() only after the previous one is handled: the pull tells akt
// that one is done, and the context then speaks of the new one. A failure returns at once,
// so akt counts it against the message being handled and keeps the rest in the mailbox; a
// become takes effect for the next message, since handle() reads the stack each time.
function deliver(value, type) {
  const ints = shared.ints;
  const cell = cells[ints[S_ACTOR]];
  let slot = ints[S_MESSAGE];
  for (;;) {
    const reason = handle(cell, slot, value, type);
    if (reason !== undefined) return reason;
    value = native.next();
    slot = ints[S_MESSAGE];
    if (slot === NEXT_END) return undefined;
    type = slot === NEXT_TYPED ? native.ctxMessageType() : undefined;
  }
}

// A request's answer, on the actor's turn (akt_ctx_request's continuation): the reply
// comes as a message does to deliver (none on an error), and (id, rc) from requestInfo().
// With a then callback it runs here with a live context; else the promise settles here.
function settle(value, type) {
  const cell = cells[shared.ints[S_ACTOR]];
  const [id, rc] = native.requestInfo();
  const entry = cell.requests.get(id);
  if (entry === undefined) return undefined;
  cell.requests.delete(id);
  const slot = shared.ints[S_MESSAGE];
  const ctx = cell.ctx;
  ctx[kLive] = true;
  try {
    let error = null;
    if (rc !== 0) {
      error = makeError(rc, 'request');
      value = undefined;
    } else if (slot >= 0) {
      value = values[slot];
    } else if (type !== undefined) {
      value = decode(value, type);
    }
    if (entry.then) entry.then(ctx, value, error);
    else if (error) entry.reject(error);
    else entry.resolve(value);
  } catch (e) {
    ctx[kLive] = false;
    return failed(cell, 'request continuation', e);
  }
  ctx[kLive] = false;
  return undefined;
}

// ctx.request: registers the answer's entry, then asks akt. pid is a Pid, or a name (a
// string) that akt resolves now.
function request(cell, pid, msg, type, opts) {
  let timeout, mode, then;
  if (opts !== undefined) ({ timeout, reentrancy: mode, then } = opts);
  if (then !== undefined && typeof then !== 'function') throw makeError(errnos.InvalidArgumentError, 'then must be a function (ctx, reply, error)');
  const m = reentrancyOf(mode);
  const id = ++cell.nextRequest;
  const entry = { then, resolve: null, reject: null };
  const p = then ? undefined : new Promise((resolve, reject) => { entry.resolve = resolve; entry.reject = reject; });
  const handle = typeof pid === 'string'
    ? native.ctxRequest(pid, 0, msg, type, timeout, m, id)
    : native.ctxRequest(pid.lo, pid.hi, msg, type, timeout, m, id);
  cell.requests.set(id, entry);
  if (p !== undefined) requestHandles.set(p, handle);
  return p;
}

// ctx.request's promises to akt's request handles, for ctx.cancelRequest.
const requestHandles = new WeakMap();

function cancelRequest(p) {
  const handle = requestHandles.get(p);
  return handle === undefined ? false : native.ctxRequestCancel(handle);
}

function preStart() {
  const cell = cells[shared.ints[S_ACTOR]];
  if (cell.ctx.self === null && native.ctxSelf()) { // a grain's activation: akt spawned it
    cell.ctx.self = new Pid(cell.system, shared.scratch[S_PID], shared.scratch[S_PID + 1]);
  }
  if (cell.stopped) { // a restart: a fresh instance from the class, the behaviour reset
    cell.stopped = false;
    cell.requests.clear(); // akt cancelled them: they never settle
    dropHeld(cell);
    if (cell.make) cell.actor = cell.make();
    cell.stack.length = 0;
  }
  const ctx = cell.ctx;
  ctx[kLive] = true;
  try {
    if (typeof cell.actor.preStart === 'function') notAsync(cell.actor.preStart(ctx), 'preStart');
  } catch (e) {
    ctx[kLive] = false;
    return failed(cell, 'preStart', e);
  }
  ctx[kLive] = false;
  return undefined;
}

// A throw here is logged and reported as a failure (an actorFailed event); the actor
// stops anyway.
function postStop() {
  const cell = cells[shared.ints[S_ACTOR]];
  cell.stopped = true;
  dropHeld(cell);
  const ctx = cell.ctx;
  ctx[kLive] = true;
  try {
    if (typeof cell.actor.postStop === 'function') notAsync(cell.actor.postStop(ctx), 'postStop');
  } catch (e) {
    ctx[kLive] = false;
    return failed(cell, 'postStop', e);
  }
  ctx[kLive] = false;
  return undefined;
}

function freed(id) {
  const cell = cells[id];
  if (!cell) return;
  cells[id] = undefined;
  freeIds.push(id);
}

const MAILBOX_KINDS = { fifo: 0, bounded: 0, priority: 1, fair: 2 };
// No 'block': JS actors run on the JS thread, so a JS sender waiting for room would wait
// for itself.
const WHEN_FULL = { fail: 0, drop: 1 };

/**
 * [kind, capacity, whenFull, timeoutNs] of a mailbox option object, checked; undefined for
 * none. A priority mailbox's compare(a, b) is checked here and added by spawnActor.
 */
function mailboxOf(mb) {
  if (mb === undefined || mb === null) return undefined;
  const bad = (what) => makeError(errnos.InvalidArgumentError, what);
  if (typeof mb !== 'object') throw bad(`mailbox must be an object, not ${typeof mb}`);
  if (mb.kind === 'priority' && typeof mb.compare !== 'function') {
    throw bad('a priority mailbox needs compare: (a, b) => number');
  }
  const kind = MAILBOX_KINDS[mb.kind === undefined ? 'fifo' : mb.kind];
  if (kind === undefined) throw bad(`unknown mailbox kind ${String(mb.kind)}`);
  const capacity = mb.capacity === undefined ? 0 : mb.capacity;
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > 0x7fffffff) {
    throw bad(`capacity must be an integer in [0, 2^31 - 1], not ${String(capacity)}`);
  }
  if (mb.kind === 'bounded' && capacity === 0) throw bad('a bounded mailbox needs a capacity > 0');
  const whenFull = WHEN_FULL[mb.whenFull === undefined ? 'fail' : mb.whenFull];
  if (whenFull === undefined) throw bad(`whenFull must be 'fail' or 'drop', not ${String(mb.whenFull)}`);
  return [kind, capacity, whenFull, 0];
}

/**
 * The compare the addon calls for a priority mailbox, on the JS thread (where the actor
 * runs) with the two messages' values: the sign of the user's answer. An exception or an
 * answer that is not a number is reported through the system's logger and counts as equal,
 * so those two messages keep their arrival order: none is lost and the actor carries on.
 */
function compareOf(cell, compare) {
  return (a, b) => {
    let r;
    try {
      r = compare(a, b);
      if (typeof r !== 'number' || Number.isNaN(r)) {
        throw new TypeError(`a mailbox compare must return a number, not ${Number.isNaN(r) ? 'NaN' : typeof r}`);
      }
    } catch (e) {
      report(cell, 'mailbox compare', e);
      return 0;
    }
    return r < 0 ? -1 : r > 0 ? 1 : 0;
  };
}

/**
 * The actor's kind (actor.kind in the metrics): opts.kind when given (a string of at most
 * 255 UTF-8 bytes; '' = none), else the class of the actor object (its constructor's name;
 * none for a plain object).
 */
function kindOf(kind, instance) {
  if (kind === undefined || kind === null) {
    const ctor = instance !== null && typeof instance === 'object' ? instance.constructor : undefined;
    const name = typeof ctor === 'function' ? ctor.name : '';
    return name && name !== 'Object' && Buffer.byteLength(name) <= 255 ? name : undefined;
  }
  if (typeof kind !== 'string') throw new TypeError(`kind must be a string, not ${typeof kind}`);
  if (Buffer.byteLength(kind) > 255) {
    throw makeError(errnos.InvalidArgumentError, `kind must be at most 255 bytes (UTF-8), got ${Buffer.byteLength(kind)}`);
  }
  return kind === '' ? undefined : kind;
}

/** Spawns a JS actor: top-level when parentCtx is null, else a child of that actor. */
function spawnActor(system, parentCtx, actor, opts = {}) {
  const make = makerOf(actor);
  const instance = make ? make() : actor;
  const sup = opts.supervisor || {};
  const directive = directiveOf(sup.directive, 0);
  const budget = budgetOf(sup);
  const { classRules } = rulesOf(sup);
  let decider;
  if (typeof sup.decide === 'function' || classRules.length) {
    const user = typeof sup.decide === 'function' ? sup.decide : null;
    decider = (errno, reason) => {
      const error = classRules.length && reason !== null ? recentFailures.get(reason) : undefined;
      const matched = error !== undefined ? matchRule(classRules, error) : undefined;
      if (matched !== undefined) return matched;
      return user ? directiveOf(user({ code: codeOf(errno), errno, reason }), directive) : directive;
    };
  }
  const mailbox = mailboxOf(opts.mailbox);
  const deps = opts.dependencies || {};
  const depNames = Object.keys(deps);
  // Boxed: akt hands each value back as a pointer, which needs an object.
  const depValues = depNames.map((k) => ({ value: deps[k] }));
  const reentrancy = reentrancyOf(opts.reentrancy);
  const maxInFlight = opts.maxInFlight === undefined ? 0 : opts.maxInFlight;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 0 || maxInFlight > 0x7fffffff) {
    throw makeError(errnos.InvalidArgumentError, `maxInFlight must be an integer >= 0, not ${String(maxInFlight)}`);
  }
  const passivation = opts.passivation === undefined ? undefined : passivationOf(opts.passivation);
  const kind = kindOf(opts.kind, instance);

  const id = freeIds.length ? freeIds.pop() : cells.length;
  const cell = {
    system, make, actor: instance, stack: [], stopped: false, name: opts.name, lastError: null,
    ctx: null, requests: new Map(), nextRequest: 0, held: new Set(), steps: new Map(), nextStep: 0,
    actorRef: null,
  };
  cell.ctx = new Context(cell);
  cells[id] = cell;
  if (mailbox && opts.mailbox.kind === 'priority') mailbox.push(compareOf(cell, opts.mailbox.compare));
  try {
    native.spawn(parentCtx ? null : system[kHandle], opts.name, id, directive, decider,
      depNames, depValues, budget, mailbox, reentrancy, maxInFlight, kind);
  } catch (e) {
    cells[id] = undefined;
    freeIds.push(id);
    throw e;
  }
  const pid = new Pid(system, shared.scratch[S_PID], shared.scratch[S_PID + 1]);
  cell.ctx.self = pid;
  if (passivation !== undefined) {
    const rc = native.passivationSet(system[kHandle], pid.lo, pid.hi, passivation[0], passivation[1]);
    if (rc !== 0 && rc !== errnos.NotFoundError) throw makeError(rc, 'passivation');
  }
  // From plain JS code, spawn returns once preStart has run (the children it spawned can
  // be looked up at once), as in every akt language.
  if (!parentCtx) pumpUntil(() => native.pidStarted(system[kHandle], pid.lo, pid.hi));
  kick();
  return pid;
}

/**
 * A cell for a grain's new activation (lib/grain.cjs), which akt spawns itself: make() is
 * the instance. Returns the cell id, or -1 after reporting the factory's error.
 */
function grainCell(system, make, name) {
  let instance;
  try {
    instance = make();
    if (instance === null || typeof instance !== 'object' || typeof instance.receive !== 'function')
      throw makeError(errnos.InvalidArgumentError, 'a grain factory must return an Actor');
  } catch (e) {
    const log = system[kReport];
    if (typeof log === 'function') log(name, 'the grain factory', e);
    return -1;
  }
  const id = freeIds.length ? freeIds.pop() : cells.length;
  const cell = {
    system, make: null, actor: instance, stack: [], stopped: false, name, lastError: null,
    ctx: null, requests: new Map(), nextRequest: 0, held: new Set(), steps: new Map(), nextStep: 0,
    actorRef: null,
  };
  cell.ctx = new Context(cell);
  cells[id] = cell;
  return id;
}

/**
 * A cell for a pool routee (lib/router.cjs), which the router spawns itself: make() gives
 * the instance, now and at each restart. Returns the cell id.
 */
function poolCell(system, make, name) {
  const id = grainCell(system, make, name);
  if (id >= 0) cells[id].make = make;
  return id;
}

/** Drops a cell no actor took (a pool's spare). */
function dropCell(id) { freed(id); }

/** JSON.stringify's replacer for the bytes of a value: throws where JSON would lose data. */
function strictJson(key, value) {
  const t = typeof value;
  if (t === 'function' || t === 'symbol') throw new TypeError(`a ${t} has no JSON form`);
  if (t === 'object' && value !== null &&
      (value instanceof Map || value instanceof Set || value instanceof WeakMap ||
       value instanceof WeakSet)) {
    throw new TypeError(`a ${value.constructor.name} has no JSON form (JSON would give {})`);
  }
  return value;
}

install({
  deliver, preStart, postStop, freed, decode, settle, step,
  // A refused call may release a message it made, possibly after making its error (akt runs
  // that release at the next pump, release_on), and a throw skips the caller's kick(): kick
  // once the call is over.
  makeError: (errno, detail) => {
    queueMicrotask(kick);
    return makeError(errno, detail);
  },
  // The bytes of a JS value for a reader that is not JS: strict JSON, so a value JSON would
  // flatten or drop (a Map or Set becomes {}, a function or symbol vanishes) has none, and a
  // send to a C actor is refused at the sender (issue 17) instead of arriving lossy.
  json: (v) => JSON.stringify(v, strictJson),
});

module.exports = { Actor, Terminated, spawnActor, budgetOf, grainCell, poolCell, dropCell, request, cancelRequest, mailboxOf, reentrancyOf, directiveOf, rulesOf };
