'use strict';
// The context of one actor callback. akt's context is only valid during the callback, so a
// Context used afterwards (say, after an await) throws MisuseError.

const native = require('./addon.cjs');
const { makeError, errnos } = require('./errors.cjs');
const { shared, S_PID } = require('./shared.cjs');
const { kCell, kLive, kHandle } = require('./internal.cjs');
const { Pid } = require('./pid.cjs');
const { Message } = require('./types.cjs');
const { put, byRef } = require('./values.cjs');
const { CircuitBreaker, BreakerOpenError, kBreaker } = require('./breaker.cjs');
const { kick } = require('./pump.cjs');

const optType = (opts) => (opts === undefined ? undefined : opts.type);
// A Message travels as its bytes under its type name.
const dataOf = (msg) => (msg instanceof Message ? msg.data : msg);
const typeOf = (msg, opts) => (msg instanceof Message ? msg.type : optType(opts));

// Throws unless ctx's callback is running.
function check(ctx) {
  if (!ctx[kLive]) throw makeError(errnos.MisuseError, 'the context is used outside its callback');
}

class Context {
  constructor(cell) {
    this[kCell] = cell;
    this[kLive] = false;
    this.self = null;
  }

  // The pid a native call returned in scratch (has), or null.
  #pid(has) {
    if (!has) return null;
    return new Pid(this[kCell].system, shared.scratch[S_PID], shared.scratch[S_PID + 1]);
  }

  get system() { return this[kCell].system; }

  /** The sender of the current message, or null when it came from outside any actor. */
  get sender() {
    check(this);
    return this.#pid(native.ctxSender());
  }

  get parent() {
    check(this);
    return this.#pid(native.ctxParent());
  }

  /** True if someone waits for a reply to the current message (an asker, or a sender
   *  actor); a reply to a plain tell from outside goes to dead letters. */
  get replyExpected() {
    check(this);
    return native.ctxReplyExpected();
  }

  /** The akt type name of the current message (e.g. "akt.String", "shop.Order"). */
  get messageType() {
    check(this);
    return native.ctxMessageType();
  }

  /** Replies to the current message: resolves the asker's promise or tells the sender; a
   *  dead letter when nobody waits for it (see replyExpected). opts: { type }, { headers }
   *  (e.g. { headers: ctx.headers } to carry the request's headers back). */
  /**
   * PipeTo: runs task (a function returning a value or a Promise, called only once the pipe
   * is accepted; or a Promise already under way) and tells its result to opts.to (a Pid;
   * default self) or to the actor at opts.name (looked up when it completes), with this
   * actor as sender. A rejection, opts.timeout (ms) passing first, or a target gone is a
   * dead letter with its reason. opts.breaker: a CircuitBreaker; while it is open the pipe
   * throws BreakerOpenError and task is not called.
   */
  pipeTo(task, opts = {}) {
    check(this);
    const to = opts.to || this.self;
    const timeout = opts.timeout === undefined ? 0 : opts.timeout;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
      throw makeError(errnos.InvalidArgumentError, `timeout must be a number of ms >= 0, not ${String(timeout)}`);
    }
    if (!(to instanceof Pid)) throw makeError(errnos.InvalidArgumentError, 'pipeTo: opts.to must be a Pid');
    if (opts.breaker !== undefined && !(opts.breaker instanceof CircuitBreaker)) {
      throw makeError(errnos.InvalidArgumentError, 'pipeTo: opts.breaker must be a CircuitBreaker');
    }
    if (typeof task !== 'function' && !(task instanceof Promise)) {
      throw makeError(errnos.InvalidArgumentError, 'pipeTo needs a function or a Promise');
    }
    let pipe;
    try {
      pipe = native.ctxPipeStart(to.lo, to.hi, opts.name === undefined ? null : opts.name,
        BigInt(Math.round(timeout * 1e6)), opts.breaker ? opts.breaker[kBreaker] : null);
    } catch (e) {
      if (e.errno === errnos.BusyError && opts.breaker) throw new BreakerOpenError();
      throw e;
    }
    const sys = this[kCell].system[kHandle];
    let running;
    try {
      running = Promise.resolve(typeof task === 'function' ? task() : task);
    } catch (e) {
      running = Promise.reject(e);
    }
    running.then(
      (v) => {
        try {
          native.pipeComplete(sys, pipe, dataOf(v), typeOf(v));
        } catch {
          // the value could not be made into a message: the pipe failed (a dead letter)
        }
        kick();
      },
      (e) => {
        native.pipeFail(pipe, e && typeof e.errno === 'number' ? e.errno : errnos.ActorFailedError);
        kick();
      },
    );
  }

  respond(msg, opts) {
    check(this);
    if (opts === undefined && byRef(msg) && !(msg instanceof Message)) native.ctxRespondSlot(put(msg));
    else native.ctxRespond(dataOf(msg), typeOf(msg, opts), opts && opts.headers);
  }

  // pid as a Pid of this actor's system (the one the send goes through).
  #local(pid) {
    const system = this[kCell].system;
    return pid instanceof Pid && pid.system === system ? pid : new Pid(system, pid.lo, pid.hi);
  }

  /** Tells with self as the sender: a send from inside a callback has its actor as the
   *  sender (akt's implicit sender), so this is the system's tell after the context check
   *  (tellSlot, not Pid.tell's fastTell: it checks the pid's parts). */
  tell(pid, msg, opts) {
    check(this);
    const h = this[kCell].system[kHandle];
    if (opts === undefined && byRef(msg) && !(msg instanceof Message)) native.tellSlot(h, pid.lo, pid.hi, put(msg));
    else native.tell(h, pid.lo, pid.hi, dataOf(msg), typeOf(msg, opts), opts && opts.headers);
  }

  /** The headers of the current message: a new object of name -> string ({} if none). */
  get headers() {
    check(this);
    return native.ctxHeaders();
  }

  /** An extension given to the system ({ extensions: { name: value } }); NotFoundError if none. */
  extension(name) {
    check(this);
    return native.ctxExtension(name);
  }

  /** Asks from inside an actor; the promise settles after this callback has returned. */
  ask(pid, msg, opts) {
    check(this);
    return this.#local(pid).ask(msg, opts);
  }

  /** Asks without blocking the actor; the answer comes back on this actor's own turn.
   *  opts: { timeout (ms, none by default), reentrancy ('off' | 'allowAll' | 'stash'),
   *  type, then }. With then(ctx, reply, error), it runs on that turn with a live context and
   *  nothing is returned; else a Promise settles on that turn (code after an await runs
   *  after the turn, where the context is no longer live). A stop or restart cancels the
   *  requests in flight: they never settle. */
  request(pid, msg, opts) {
    check(this);
    const data = dataOf(msg);
    const type = typeOf(msg, opts);
    return require('./actor.cjs').request(this[kCell], this.#local(pid), data, type, opts);
  }

  /** Forwards the current message, keeping its sender and asker. */
  forward(pid) {
    check(this);
    native.ctxForward(pid.lo, pid.hi);
  }

  /** Marks the current message unhandled (an ask gets UnhandledError). */
  unhandled() {
    check(this);
    native.ctxUnhandled();
  }

  /** Spawns a child actor (path <self>/<name>), on this thread like its parent. */
  spawn(actor, opts) {
    check(this);
    return require('./actor.cjs').spawnActor(this[kCell].system, this, actor, opts);
  }

  /** Stops self (default) or one of self's children. */
  stop(pid = this.self) {
    check(this);
    native.ctxStop(pid.lo, pid.hi);
  }

  /** Replaces the receive handler; { stacked: true } pushes it instead (unbecomeStacked). */
  become(receive, opts) {
    check(this);
    if (typeof receive !== 'function') throw makeError(errnos.InvalidArgumentError, 'become expects a function');
    const stack = this[kCell].stack;
    if (!(opts && opts.stacked)) stack.length = 0;
    stack.push(receive);
  }

  /** Back to the actor's own receive. */
  unbecome() {
    check(this);
    this[kCell].stack.length = 0;
  }

  /** Pops one stacked handler; MisuseError if none is stacked. */
  unbecomeStacked() {
    check(this);
    if (this[kCell].stack.length === 0) throw makeError(errnos.MisuseError, 'no stacked behaviour');
    this[kCell].stack.pop();
  }

  /** Keeps the current message for later. */
  stash() {
    check(this);
    native.ctxStash();
  }

  /** Puts the oldest stashed message back in front of the mailbox; false if none. */
  unstash() {
    check(this);
    return native.ctxUnstash();
  }

  unstashAll() {
    check(this);
    native.ctxUnstashAll();
  }

  /** Death watch: a Terminated message arrives when pid stops. */
  watch(pid) {
    check(this);
    native.ctxWatch(pid.lo, pid.hi);
  }

  unwatch(pid) {
    check(this);
    native.ctxUnwatch(pid.lo, pid.hi);
  }

  /** A dependency given at spawn ({ dependencies: { name: value } }); NotFoundError if none. */
  dependency(name) {
    check(this);
    return native.ctxDependency(name).value;
  }
}

module.exports = { Context };
