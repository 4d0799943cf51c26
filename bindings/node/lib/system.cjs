'use strict';
// ActorSystem: an akt system whose JS actors run on this thread, an EventEmitter of akt's
// event stream (deadLetter, unhandled, actorStarted, ...).

const { EventEmitter } = require('node:events');
const native = require('./addon.cjs');
const { makeError, codeOf, errnos } = require('./errors.cjs');
const { kick, shared } = require('./pump.cjs');
const { Pid } = require('./pid.cjs');
const { spawnActor } = require('./actor.cjs');

const EVENT_KINDS = {
  actorStarted: 0x01,
  actorStopped: 0x02,
  actorRestarted: 0x04,
  deadLetter: 0x08,
  unhandled: 0x10,
  actorFailed: 0x20,
};
const NAME_OF_KIND = Object.fromEntries(Object.entries(EVENT_KINDS).map(([k, v]) => [v, k]));
const DIRECTIVES = { restart: 0, resume: 1, stop: 2, escalate: 3 };

// Systems that are running: reachable until their shutdown completed, so the addon never
// sees a running system collected.
const running = new Set();

// A listener's exception surfaces as an uncaught exception, not inside akt's delivery.
function guarded(fn, arg) {
  try {
    fn(arg);
  } catch (e) {
    process.nextTick(() => { throw e; });
  }
}

const CREATE = Symbol('create');

class ActorSystem extends EventEmitter {
  /**
   * Creates and starts a system. opts: { workers, throughput, supervisor: { directive },
   * keepAlive } — keepAlive: true holds the process until shutdown, like a server; by
   * default only pending asks and a pending shutdown hold it.
   */
  static async create(name = 'akt', opts = {}) {
    return new ActorSystem(CREATE, name, opts);
  }

  constructor(token, name, opts) {
    super();
    if (token !== CREATE) throw new TypeError('use `await ActorSystem.create(name, options)`');
    const sup = opts.supervisor || {};
    let directive;
    if (sup.directive !== undefined) {
      directive = DIRECTIVES[sup.directive];
      if (directive === undefined) throw makeError(errnos.InvalidArgumentError, `unknown directive ${sup.directive}`);
    }
    this._handle = native.systemCreate(name, opts.workers | 0, opts.throughput | 0, directive);
    this._fastTell = native.bindFastTell(this._handle);
    // Like a server: the process stays up until shutdown (for actors fed from other threads).
    this._keepAlive = opts.keepAlive === true;
    if (this._keepAlive) native.keepAlive(1);
    this.name = name;
    this._subs = new Set();
    this._eventSub = null;
    this._eventMask = 0;
    this._shutdown = null;
    running.add(this);
    // Listeners of akt events subscribe to the event stream on demand.
    // (newListener fires before the listener is added: its kind is passed in.)
    this.on('newListener', (ev) => {
      if (EVENT_KINDS[ev]) this._resubscribe(EVENT_KINDS[ev]);
    });
    this.on('removeListener', (ev) => {
      if (EVENT_KINDS[ev]) this._resubscribe(0);
    });
  }

  /** Spawns a top-level JS actor (path /user/<name>); returns its Pid. */
  spawn(actor, opts) {
    this._open();
    return spawnActor(this, null, actor, opts);
  }

  /**
   * Spawns a C actor from a shared library exporting
   * `int symbol(const char *arg, const akt_behavior **behavior, void **state)`; it runs on
   * akt's worker threads and exchanges bytes messages (Message, strings, JSON) with JS.
   */
  spawnNative(library, symbol, opts = {}) {
    this._open();
    native.spawnNative(this._handle, library, symbol, opts.name, opts.arg);
    kick();
    return new Pid(this, shared.scratch[0], shared.scratch[1]);
  }

  /** The live actor at path ("name", "a/b", "/user/a/b" or "akt://sys/user/a/b"), or null. */
  lookup(path) {
    this._open();
    return native.lookup(this._handle, path)
      ? new Pid(this, shared.scratch[0], shared.scratch[1])
      : null;
  }

  /** Subscribes fn to events of the given kinds; returns { unsubscribe() }. */
  subscribe(kinds, fn) {
    this._open();
    let mask = 0;
    for (const k of [].concat(kinds)) {
      if (!EVENT_KINDS[k]) throw makeError(errnos.InvalidArgumentError, `unknown event kind ${k}`);
      mask |= EVENT_KINDS[k];
    }
    const handle = native.subscribe(this._handle, mask, (...a) => guarded(fn, this._event(...a)));
    const sub = {
      unsubscribe: () => {
        if (this._subs.delete(sub)) native.unsubscribe(handle);
      },
    };
    this._subs.add(sub);
    return sub;
  }

  /** Stops every actor (children first, postStop run) and resolves when all stopped. */
  shutdown() {
    if (!this._shutdown) {
      this._shutdown = native.systemShutdown(this._handle).then(() => {
        for (const sub of [...this._subs]) sub.unsubscribe();
        if (this._eventSub) {
          native.unsubscribe(this._eventSub);
          this._eventSub = null;
        }
        running.delete(this);
        if (this._keepAlive) native.keepAlive(-1);
      });
      kick();
    }
    return this._shutdown;
  }

  async [Symbol.asyncDispose || Symbol.for('nodejs.asyncDispose')]() {
    await this.shutdown();
  }

  get closed() { return this._shutdown !== null; }

  _open() {
    if (this._shutdown) throw makeError(errnos.ClosedError);
  }

  _event(kind, lo, hi, path, slo, shi, message, code, reason) {
    return {
      kind: NAME_OF_KIND[kind],
      pid: new Pid(this, lo, hi),
      path,
      sender: slo || shi ? new Pid(this, slo, shi) : null,
      message,
      code: code ? codeOf(code) : null,
      reason,
    };
  }

  // One subscription covers the kinds that have listeners.
  _resubscribe(adding) {
    if (this._shutdown) return;
    let mask = adding;
    for (const [k, bit] of Object.entries(EVENT_KINDS)) if (this.listenerCount(k)) mask |= bit;
    if (mask === this._eventMask) return;
    if (this._eventSub) native.unsubscribe(this._eventSub);
    this._eventSub = null;
    this._eventMask = mask;
    if (mask) {
      this._eventSub = native.subscribe(this._handle, mask, (...a) => {
        const ev = this._event(...a);
        guarded(() => this.emit(ev.kind, ev));
      });
    }
  }
}

module.exports = { ActorSystem };
