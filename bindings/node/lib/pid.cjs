'use strict';
// Pid: an actor's address, a value (index + generation) bound to its system.

const native = require('./addon.cjs');
const { kick } = require('./pump.cjs');
const { Message, wire } = require('./types.cjs');
const { makeError, errnos } = require('./errors.cjs');
const { put, byRef } = require('./values.cjs');
const { shared, S_PID, S_TELL_SLOT } = require('./shared.cjs');
const { kHandle, kFastTell, kCallSites } = require('./internal.cjs');

const optType = (opts) => (opts === undefined ? undefined : opts.type);

// Shared by Pid.ask and Context.ask: send(msg, timeout, type, cancellable) asks with a
// value, sendSlot(slot, timeout, cancellable) with a value-table slot.
function askVia(send, sendSlot, msg, opts) {
  let timeout, type, signal;
  if (opts !== undefined) ({ timeout, type, signal } = opts);
  if (msg instanceof Message) {
    type = msg.type;
    msg = msg.data;
  }
  const cancellable = signal !== undefined && signal !== null;
  if (cancellable && signal.aborted) return Promise.reject(makeError(errnos.CanceledError));
  const r = type === undefined && byRef(msg)
    ? sendSlot(put(msg), timeout, cancellable)
    : send(msg, timeout, type, cancellable);
  if (!cancellable) {
    kick();
    return r;
  }
  const [p, handle] = r;
  const onAbort = () => native.cancel(handle);
  signal.addEventListener('abort', onAbort, { once: true });
  kick();
  return p.finally(() => signal.removeEventListener('abort', onAbort));
}

// A rejection of p says whom it asked and what ("ask of <path> with <type>: timed out"),
// and its stack gets the frames of whoever asked after its own, which end in akt's pump (the
// error is made when the answer arrives, long after the call). callSites true: the frames
// are captured when the rejection runs, where V8's async stack traces still name the
// awaiting functions of the user (`at async main (app.mjs:12:3)`), so a successful ask pays
// nothing; 'call': captured at the call itself (every frame, also for .then() callers, ~2-4
// us per ask); false: none.
function explained(p, pid, msg, callSites, fn) {
  let site = null;
  if (callSites === 'call') {
    site = {};
    Error.captureStackTrace(site, fn);
  }
  return p.catch((e) => {
    if (e instanceof Error) {
      const before = e.message;
      let path;
      try { path = pid.path; } catch { path = null; }
      e.message = `ask of ${path || 'a stopped actor'} with ${typeOf(msg)}: ${before}`;
      let stack = e.stack;
      if (typeof stack === 'string') {
        const head = `${e.name}: ${before}`;
        if (stack.startsWith(head)) stack = `${e.name}: ${e.message}${stack.slice(head.length)}`;
        const frames = callSites === false ? [] : callerFrames(site);
        if (frames.length > 0) stack = `${stack}\n    --- asked at ---\n${frames.join('\n')}`;
        e.stack = stack;
      }
    }
    throw e;
  });
}

// The frames of a captured site (or of the running rejection handler's async chain) outside
// this package's lib/.
function callerFrames(site) {
  if (site === null) {
    site = {};
    Error.captureStackTrace(site, callerFrames);
  }
  return site.stack.split('\n').slice(1).filter((l) => !l.includes(__dirname));
}

// The type a message goes by, for error messages: a Message's type name, else the class or
// the typeof of the value.
function typeOf(msg) {
  if (msg instanceof Message) return msg.type;
  if (msg === null) return 'null';
  if (typeof msg === 'object') return (msg.constructor && msg.constructor.name) || 'Object';
  return typeof msg;
}

// Messages as parallel arrays of payloads and type names for the addon.
function split(msgs, opts) {
  if (!Array.isArray(msgs)) throw makeError(errnos.InvalidArgumentError, 'expected an array of messages');
  const type = opts === undefined ? undefined : opts.type;
  const data = new Array(msgs.length);
  const types = new Array(msgs.length);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (m instanceof Message) {
      data[i] = m.data;
      types[i] = m.type;
    } else {
      data[i] = m;
      types[i] = type;
    }
  }
  return [data, types];
}

class Pid {
  constructor(system, lo, hi) {
    this.system = system;
    this.lo = lo;
    this.hi = hi;
  }

  /** Sends msg; JS actors get the very object, others bytes (see README, Messages).
   *  opts: { type } its akt type name, { headers } an object of name -> string | Uint8Array
   *  that the receiver reads as ctx.headers. */
  tell(msg, opts) {
    const h = this.system[kHandle];
    msg = wire(msg);
    if (msg instanceof Message) native.tell(h, this.lo, this.hi, msg.data, msg.type, opts && opts.headers);
    else if (opts !== undefined) native.tell(h, this.lo, this.hi, msg, opts.type, opts.headers);
    else if (byRef(msg)) {
      const scratch = shared.scratch;
      const slot = put(msg);
      scratch[S_PID] = this.lo;
      scratch[S_PID + 1] = this.hi;
      scratch[S_TELL_SLOT] = slot;
      this.system[kFastTell]();
    }
    else native.tell(h, this.lo, this.hi, msg);
    kick();
  }

  /**
   * Sends msg and resolves with the reply. opts: { timeout } in ms (TimeoutError after it,
   * default 5000), { signal } an AbortSignal that cancels the ask (CanceledError), { type }.
   */
  ask(msg, opts) {
    const h = this.system[kHandle];
    msg = wire(msg);
    const p = askVia((m, t, ty, c) => native.ask(h, this.lo, this.hi, m, t, ty, c),
      (s, t, c) => native.askSlot(h, this.lo, this.hi, s, t, undefined, c), msg, opts);
    return explained(p, this, msg, this.system[kCallSites], this.ask);
  }

  /** Sends msgs in order as one operation: all are taken or none (the error is thrown). */
  tellBatch(msgs, opts) {
    const [data, types] = split(msgs, opts);
    native.tellBatch(this.system[kHandle], this.lo, this.hi, data, types);
    kick();
  }

  /** Asks msgs in order as one operation; one promise per message. opts: { timeout }. */
  askBatch(msgs, opts) {
    const [data, types] = split(msgs, opts);
    const ps = native.askBatch(this.system[kHandle], this.lo, this.hi, data, types,
      opts === undefined ? undefined : opts.timeout);
    kick();
    return ps;
  }

  /** Stops the actor now (queued messages go to dead letters). */
  stop() {
    native.stop(this.system[kHandle], this.lo, this.hi);
    kick();
  }

  /** Resumes an actor its supervisor suspended ('suspend'); a no-op otherwise. A remote
   * pid's actor is reinstated on its node (akt_reinstate sends it there).
   * Asynchronous: done once the actorReinstated event is out. */
  reinstate() {
    native.reinstate(this.system[kHandle], this.lo, this.hi);
    kick();
  }

  /** The actor handles what is queued, then stops. */
  poison() {
    native.poison(this.system[kHandle], this.lo, this.hi);
    kick();
  }

  /** A poison pill, resolved once stopped; TimeoutError (and a hard stop) after timeout ms. */
  stopGracefully(opts) {
    const p = native.stopGraceful(this.system[kHandle], this.lo, this.hi,
      opts === undefined ? undefined : opts.timeout);
    kick();
    return p;
  }

  get alive() { return native.pidAlive(this.system[kHandle], this.lo, this.hi); }

  get path() { return native.pidPath(this.system[kHandle], this.lo, this.hi); }

  /** This actor's metrics (processed, restarts, failures, unhandled, mailboxSize, stashSize,
   * children, lastProcessingDuration and uptime in seconds); NotFoundError once it stopped. */
  metrics() { return require('./metrics.cjs').pidMetrics(this); }

  /** The 64-bit id as a BigInt: opaque (compare it, never decode it). */
  get id() { return (BigInt(this.hi) << 32n) | BigInt(this.lo); }

  equals(other) {
    return other instanceof Pid && other.lo === this.lo && other.hi === this.hi &&
      other.system === this.system;
  }

  toString() {
    try {
      return this.path;
    } catch {
      return `Pid(${this.id})`;
    }
  }

  [Symbol.for('nodejs.util.inspect.custom')]() { return `Pid<${this.toString()}>`; }
}

module.exports = { Pid, askVia };
