'use strict';
// ActorSystem: an akt system whose JS actors run on this thread, an EventEmitter of akt's
// event stream (deadLetter, unhandled, actorStarted, ...).

const { EventEmitter } = require('node:events');
const native = require('./addon.cjs');
const { makeError, codeOf, errnos } = require('./errors.cjs');
const { kick } = require('./pump.cjs');
const { shared, S_PID } = require('./shared.cjs');
const { Pid } = require('./pid.cjs');
const { Topic } = require('./topic.cjs');
const { spawnActor, budgetOf } = require('./actor.cjs');
const { spawnRouter } = require('./router.cjs');
const { Grain, registerGrain } = require('./grain.cjs');
const { kHandle, kFastTell, kReport } = require('./internal.cjs');

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

// How the system reports an actor's failure (a throw or rejection in receive, a throw in
// preStart or postStop): to the error() of opts.logger, console by default (any logger
// with an error(message, ...args) method: console, pino, winston), or nowhere when it is
// null or false. The failure itself goes to the supervisor and the actorFailed event
// either way; this is the stack trace a developer looks for.
function reporterOf(logger) {
  if (logger === undefined) logger = console;
  if (logger === null || logger === false) return null;
  const t = typeof logger;
  if ((t !== 'object' && t !== 'function') || typeof logger.error !== 'function')
    throw makeError(errnos.InvalidArgumentError, 'logger needs an error() method (null: none)');
  return (who, where, error) =>
    guarded(() => logger.error(`akt: actor ${who} failed in ${where}:`, error));
}

const CREATE = Symbol('create');

class ActorSystem extends EventEmitter {
  /**
   * Creates and starts a system. opts: { workers, throughput, supervisor: { directive },
   * keepAlive, logger } — keepAlive: true holds the process until shutdown, like a server;
   * by default only pending asks and a pending shutdown hold it. logger: where actor
   * failures are logged with their stack (console by default; null logs nothing).
   */
  static async create(name = 'akt', opts = {}) {
    return new ActorSystem(CREATE, name, opts);
  }

  #keepAlive;
  #subs = new Set();
  #eventSub = null;
  #eventMask = 0;
  #shutdown = null;

  constructor(token, name, opts) {
    super();
    if (token !== CREATE) throw new TypeError('use `await ActorSystem.create(name, options)`');
    const sup = opts.supervisor || {};
    let directive;
    if (sup.directive !== undefined) {
      directive = DIRECTIVES[sup.directive];
      if (directive === undefined) throw makeError(errnos.InvalidArgumentError, `unknown directive ${sup.directive}`);
    }
    const budget = budgetOf(sup);
    const report = reporterOf(opts.logger);
    this[kHandle] = native.systemCreate(name, opts.workers | 0, opts.throughput | 0, directive, budget);
    this[kFastTell] = native.bindFastTell(this[kHandle]);
    this[kReport] = report;
    // Like a server: the process stays up until shutdown (for actors fed from other threads).
    this.#keepAlive = opts.keepAlive === true;
    if (this.#keepAlive) native.keepAlive(1);
    this.name = name;
    running.add(this);
    // Listeners of akt events subscribe to the event stream on demand.
    // (newListener fires before the listener is added: its kind is passed in.)
    this.on('newListener', (ev) => {
      if (EVENT_KINDS[ev]) this.#resubscribe(EVENT_KINDS[ev]);
    });
    this.on('removeListener', (ev) => {
      if (EVENT_KINDS[ev]) this.#resubscribe(0);
    });
  }

  /** Spawns a top-level JS actor (path /user/<name>); returns its Pid. */
  spawn(actor, opts) {
    this.#open();
    return spawnActor(this, null, actor, opts);
  }

  /**
   * Spawns a router (see Router): over `routees` (Pids of any language), or over `size`
   * actors spawned from `actor` (a class or factory). `strategy`: 'roundRobin' (default),
   * 'random', 'broadcast', 'consistentHash' (type and bytes of the message decide),
   * 'scatterGatherFirst' (first answer within `within` ms) or 'tailChopping' (one routee
   * every `interval` ms until an answer or `within`). `seed` fixes the random choices.
   */
  spawnRouter(opts) {
    this.#open();
    return spawnRouter(this, opts);
  }

  /**
   * Spawns a C actor from a shared library exporting
   * `int symbol(const char *arg, const akt_behavior **behavior, void **state)`; it runs on
   * akt's worker threads and exchanges bytes messages (Message, strings, JSON) with JS.
   */
  spawnNative(library, symbol, opts = {}) {
    this.#open();
    native.spawnNative(this[kHandle], library, symbol, opts.name, opts.arg);
    kick();
    return new Pid(this, shared.scratch[S_PID], shared.scratch[S_PID + 1]);
  }

  /** The live actor at path ("name", "a/b", "/user/a/b" or "akt://sys/user/a/b"), or null. */
  lookup(path) {
    this.#open();
    return native.lookup(this[kHandle], path)
      ? new Pid(this, shared.scratch[S_PID], shared.scratch[S_PID + 1])
      : null;
  }

  /**
   * Registers the grain kind `kind` (virtual actors; see Grain): each activation is
   * `new factory(name)` for an Actor class, else `factory(name)`, run on this thread.
   * opts.deactivateAfter: idle ms before an activation deactivates (default 120000; 0 or
   * null: never). ExistsError if the kind is registered already.
   */
  registerGrain(kind, factory, opts) {
    this.#open();
    registerGrain(this, kind, factory, opts);
  }

  /** The grain kind/name of this system (tell / ask activate it). */
  grain(kind, name) {
    this.#open();
    return new Grain(this, kind, name);
  }

  /** The topic name of this system (publish / subscribe; see Topic). */
  topic(name) {
    this.#open();
    return new Topic(this, name);
  }

  /** Subscribes fn to events of the given kinds; returns { unsubscribe() }. */
  subscribe(kinds, fn) {
    this.#open();
    let mask = 0;
    for (const k of [].concat(kinds)) {
      if (!EVENT_KINDS[k]) throw makeError(errnos.InvalidArgumentError, `unknown event kind ${k}`);
      mask |= EVENT_KINDS[k];
    }
    const handle = native.subscribe(this[kHandle], mask, (...a) => guarded(fn, this.#event(...a)));
    const sub = {
      unsubscribe: () => {
        if (this.#subs.delete(sub)) native.unsubscribe(handle);
      },
    };
    this.#subs.add(sub);
    return sub;
  }

  /** Stops every actor (children first, postStop run) and resolves when all stopped. */
  shutdown() {
    if (!this.#shutdown) {
      this.#shutdown = native.systemShutdown(this[kHandle]).then(() => {
        for (const sub of [...this.#subs]) sub.unsubscribe();
        if (this.#eventSub) {
          native.unsubscribe(this.#eventSub);
          this.#eventSub = null;
        }
        running.delete(this);
        if (this.#keepAlive) native.keepAlive(-1);
      });
      kick();
    }
    return this.#shutdown;
  }

  async [Symbol.asyncDispose || Symbol.for('nodejs.asyncDispose')]() {
    await this.shutdown();
  }

  get closed() { return this.#shutdown !== null; }

  #open() {
    if (this.#shutdown) throw makeError(errnos.ClosedError);
  }

  #event(kind, lo, hi, path, slo, shi, message, code, reason) {
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
  #resubscribe(adding) {
    if (this.#shutdown) return;
    let mask = adding;
    for (const [k, bit] of Object.entries(EVENT_KINDS)) if (this.listenerCount(k)) mask |= bit;
    if (mask === this.#eventMask) return;
    if (this.#eventSub) native.unsubscribe(this.#eventSub);
    this.#eventSub = null;
    this.#eventMask = mask;
    if (mask) {
      this.#eventSub = native.subscribe(this[kHandle], mask, (...a) => {
        const ev = this.#event(...a);
        guarded(() => this.emit(ev.kind, ev));
      });
    }
  }
}

module.exports = { ActorSystem };
