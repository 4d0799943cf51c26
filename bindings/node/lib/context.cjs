'use strict';
// The context of one actor callback. akt's context is only valid during the callback, so a
// Context used afterwards (say, after an await) throws MisuseError.

const native = require('./addon.cjs');
const { makeError, errnos } = require('./errors.cjs');
const { shared, S_PID } = require('./shared.cjs');
const { kCell, kLive, kHandle, kHeld } = require('./internal.cjs');
const { Pid } = require('./pid.cjs');
const { Message, wire } = require('./types.cjs');
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

  /** The id of the current message's registered type (ActorSystem.registerType), 0 for a
   *  type name nobody registered: one integer compare instead of a string compare. */
  get typeId() {
    check(this);
    return native.ctxTypeId();
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
          native.pipeComplete(sys, pipe, dataOf(v), typeOf(v), to.lo, to.hi,
            opts.name === undefined ? null : opts.name);
        } catch {
          // the value could not be made into a message, or the target cannot read it
          // (issue 17): the pipe failed (a dead letter)
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
    msg = wire(msg);
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
    msg = wire(msg);
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
   *  after the turn: in an async receive its context's actions then run as steps on the
   *  actor's turn, see AsyncContext; a plain Context is no longer live there). A stop or
   *  restart cancels the requests in flight: they never settle. `to` is a Pid or a name
   *  (GoAkt's RequestName: any path system.lookup reads, resolved now); a name no live
   *  actor has throws NotFoundError, as a dead Pid does (an empty one InvalidArgumentError). */
  request(to, msg, opts) {
    check(this);
    const data = dataOf(msg);
    const type = typeOf(msg, opts);
    const target = typeof to === 'string' ? to : this.#local(to);
    return require('./actor.cjs').request(this[kCell], target, data, type, opts);
  }

  /** Cancels a request of this actor still in flight (the promise ctx.request returned):
   *  it then rejects with CanceledError on a later turn, unless the answer came first.
   *  true while it was in flight, false once it is over or for any other value. */
  cancelRequest(promise) {
    check(this);
    return require('./actor.cjs').cancelRequest(promise);
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

// The context of one message of an async receive. Before its first await it is a Context;
// after it, the message is suspended (akt keeps it, its asker waiting, and by default starts
// no other message) and what the receive does with the context runs later as a step on
// the actor's own turn, in call order: respond, tell, forward, request, unhandled, stash,
// stop, become, unbecome, watch, unwatch. sender and replyExpected keep the values they
// had; what returns something computed on the turn (spawn, unstash, headers, messageType,
// parent, dependency, extension) is for before the first await and throws MisuseError
// after it, as does any use once the message is finished.
class AsyncContext extends Context {
  constructor(cell) {
    super(cell);
    this[kHeld] = null;
    this.self = cell.ctx.self;
  }

  // Deferred: fn runs as a step on the actor's turn (after the first await).
  #later(what, fn) {
    const held = this[kHeld];
    if (held === null || held.done) {
      throw makeError(errnos.MisuseError, `ctx.${what}() after the async receive's message was finished`);
    }
    held.post(fn);
  }

  #onTurnOnly(what) {
    if (!this[kLive] && this[kHeld] !== null) {
      throw makeError(errnos.MisuseError, `ctx.${what} is not available after an await (read it before)`);
    }
  }

  get sender() { return this[kLive] || this[kHeld] === null ? super.sender : this[kHeld].sender; }
  get replyExpected() { return this[kLive] || this[kHeld] === null ? super.replyExpected : this[kHeld].replyExpected; }
  get messageType() { this.#onTurnOnly('messageType'); return super.messageType; }
  get parent() { this.#onTurnOnly('parent'); return super.parent; }
  get headers() { this.#onTurnOnly('headers'); return super.headers; }
  extension(name) { this.#onTurnOnly('extension()'); return super.extension(name); }
  dependency(name) { this.#onTurnOnly('dependency()'); return super.dependency(name); }
  spawn(actor, opts) { this.#onTurnOnly('spawn()'); return super.spawn(actor, opts); }
  unstash() { this.#onTurnOnly('unstash()'); return super.unstash(); }
  cancelRequest(promise) { this.#onTurnOnly('cancelRequest()'); return super.cancelRequest(promise); }

  respond(msg, opts) { if (this[kLive]) super.respond(msg, opts); else this.#later('respond', () => super.respond(msg, opts)); }
  tell(pid, msg, opts) { if (this[kLive]) super.tell(pid, msg, opts); else this.#later('tell', () => super.tell(pid, msg, opts)); }
  forward(pid) { if (this[kLive]) super.forward(pid); else this.#later('forward', () => super.forward(pid)); }
  unhandled() { if (this[kLive]) super.unhandled(); else this.#later('unhandled', () => super.unhandled()); }
  stash() { if (this[kLive]) super.stash(); else this.#later('stash', () => super.stash()); }
  unstashAll() { if (this[kLive]) super.unstashAll(); else this.#later('unstashAll', () => super.unstashAll()); }
  stop(pid = this.self) { if (this[kLive]) super.stop(pid); else this.#later('stop', () => super.stop(pid)); }
  become(receive, opts) { if (this[kLive]) super.become(receive, opts); else this.#later('become', () => super.become(receive, opts)); }
  unbecome() { if (this[kLive]) super.unbecome(); else this.#later('unbecome', () => super.unbecome()); }
  watch(pid) { if (this[kLive]) super.watch(pid); else this.#later('watch', () => super.watch(pid)); }
  unwatch(pid) { if (this[kLive]) super.unwatch(pid); else this.#later('unwatch', () => super.unwatch(pid)); }

  request(pid, msg, opts) {
    if (this[kLive]) return super.request(pid, msg, opts);
    if (opts !== undefined && opts.then !== undefined) {
      this.#later('request', () => super.request(pid, msg, opts));
      return undefined;
    }
    let settle;
    const p = new Promise((resolve, reject) => { settle = { resolve, reject }; });
    // A refusal made on the turn (a name nobody has now, a dead pid, BusyError) has nobody
    // to throw to any more: it rejects the promise.
    this.#later('request', () => {
      let q;
      try {
        q = super.request(pid, msg, opts);
      } catch (e) {
        settle.reject(e);
        return;
      }
      q.then(settle.resolve, settle.reject);
    });
    return p;
  }
}

module.exports = { Context, AsyncContext };
