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
const { Message, registerDecoder, registerEncoder } = require('./types.cjs');
const { validateCron } = require('./cron.cjs');
const { withScheduleErrors } = require('./schedule_errors.cjs');

const AKT_CRON_UTC = 1;
const SCHEDULE_KINDS = { 1: 'once', 2: 'every', 3: 'cron' }; // AKT_SCHEDULE_*
const { spawnActor, budgetOf } = require('./actor.cjs');
const { spawnRouter } = require('./router.cjs');
const metrics = require('./metrics.cjs');
const { Grain, registerGrain, registerNativeGrain } = require('./grain.cjs');
const { passivationOf } = require('./passivation.cjs');
const { remoteSpawnOptions } = require('./remote_spawn.cjs');
const { kHandle, kFastTell, kReport, kCallSites } = require('./internal.cjs');

const EVENT_KINDS = {
  actorStarted: 0x01,
  actorStopped: 0x02,
  actorRestarted: 0x04,
  deadLetter: 0x08,
  unhandled: 0x10,
  actorFailed: 0x20,
  actorSuspended: 0x40,
  actorReinstated: 0x80,
  actorPassivated: 0x100,
};
const NAME_OF_KIND = Object.fromEntries(Object.entries(EVENT_KINDS).map(([k, v]) => [v, k]));
const DIRECTIVES = { restart: 0, resume: 1, stop: 2, escalate: 3, suspend: 4 };
const GUARDIAN_POLICIES = { stop_actor: 0, shutdown: 1 };

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

// local begin: the user's propagator (GoAkt's ContextPropagator): a function
// inject(headers) -> object | undefined, or an object with such an inject method. At each
// message's first send made on this thread it gets the headers of the message the sending
// actor is handling ({} outside actors) and returns headers to add (those the sender set
// itself win); receivers read them as ctx.headers. What it throws, or a result that is not
// an object, adds nothing and is reported to opts.logger; the message is sent either way.
function propagatorOf(p, logger) {
  if (p === undefined || p === null) return undefined;
  let inject = p;
  if (typeof p !== 'function') {
    if (typeof p !== 'object' || typeof p.inject !== 'function')
      throw makeError(errnos.InvalidArgumentError, 'propagator is a function inject(headers), or has an inject(headers) method');
    inject = p.inject.bind(p);
  }
  if (logger === undefined) logger = console;
  const log = logger && typeof logger.error === 'function' ? logger : null;
  return (headers) => {
    try {
      const out = inject(headers);
      if (out === undefined || out === null) return undefined;
      if (typeof out !== 'object' || Array.isArray(out))
        throw new TypeError(`a propagator returns an object of headers or nothing, not ${typeof out}`);
      return out;
    } catch (e) {
      if (log) { try { log.error('akt: the propagator failed:', e); } catch { /* nowhere to go */ } }
      return undefined;
    }
  };
}
// local end

const CREATE = Symbol('create');

class ActorSystem extends EventEmitter {
  /**
   * Creates and starts a system. opts: { workers, throughput, supervisor: { directive },
   * keepAlive, logger } — keepAlive: true holds the process until shutdown, like a server;
   * by default only pending asks and a pending shutdown hold it. logger: where actor
   * failures are logged with their stack (console by default; null logs nothing).
   * callSites: a rejected ask's stack ends with the frames of who asked: true (default)
   * the awaiting async functions, found when it rejects (free for asks that succeed);
   * 'call' every frame of the call, captured at the call (~2-4 us per ask); false none.
   * propagator: inject(headers) -> headers to add to each message at its first send (or an
   * object with that inject method), given the headers of the message being handled.
   */
  static async create(name = 'akt', opts = {}) {
    return new ActorSystem(CREATE, name, opts);
  }

  #keepAlive;
  #subs = new Set();
  #eventSub = null;
  #eventMask = 0;
  #shutdown = null;
  #terminated = null;
  #whenShutdown = null;

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
    const ext = opts.extensions;
    if (ext !== undefined && (ext === null || typeof ext !== 'object'))
      throw makeError(errnos.InvalidArgumentError, 'extensions is an object of name -> value');
    const propagator = propagatorOf(opts.propagator, opts.logger); // local
    this[kHandle] = native.systemCreate(name, opts.workers | 0, opts.throughput | 0, directive, budget, ext, propagator);
    this[kFastTell] = native.bindFastTell(this[kHandle]);
    this[kReport] = report;
    const cs = opts.callSites === undefined ? true : opts.callSites;
    if (cs !== true && cs !== false && cs !== 'call')
      throw makeError(errnos.InvalidArgumentError, "callSites is true, false or 'call'");
    this[kCallSites] = cs;
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

  /**
   * Spawns a top-level JS actor (path /user/<name>); returns its Pid. Called from plain JS
   * code it returns once preStart has run (the children preStart spawned can be looked up at
   * once; a preStart that throws stops the actor). Inside an actor's callback it returns at
   * once: the actor starts before its first message.
   */
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

  /**
   * The passivation of every actor spawned from now on without one of its own:
   * { idle: ms }, { messages: n }, or null / 'longLived' for none (the default: akt does
   * not passivate actors unless asked to).
   */
  setDefaultPassivation(passivation) {
    this.#open();
    const [strategy, value] = passivationOf(passivation);
    const rc = native.passivationDefault(this[kHandle], strategy, value);
    if (rc !== 0) throw makeError(rc, 'setDefaultPassivation');
  }

  /** An extension given at creation ({ extensions: { name: value } }); NotFoundError if none. */
  extension(name) {
    return native.systemExtension(this[kHandle], name);
  }

  /** The live actor at path ("name", "a/b", "/user/a/b" or "akt://sys/user/a/b"), or null. */
  lookup(path) {
    this.#open();
    return native.lookup(this[kHandle], path)
      ? new Pid(this, shared.scratch[S_PID], shared.scratch[S_PID + 1])
      : null;
  }

  /** The system's metrics: actorsAlive, actorsSpawned, actorsStopped, restarts, failures,
   * deadLetters, unhandled, uptime (seconds). */
  metrics() {
    this.#open();
    return metrics.systemMetrics(this);
  }

  /** The metrics of every live actor, each with its path, in the order of their cells. */
  actorMetrics() {
    this.#open();
    return metrics.actorMetrics(this);
  }

  /** Every data point as OpenTelemetry sees it (GoAkt's instrument names). */
  collectMetrics() {
    this.#open();
    return metrics.collectMetrics(this);
  }

  /** Per-actor instruments without attributes, summed over actors (GoAkt's
   * WithLowCardinalityMetrics). */
  setLowCardinalityMetrics(on = true) {
    this.#open();
    metrics.setLowCardinality(this, on);
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

  /**
   * Registers a grain kind whose activations are C actors from a shared library: the
   * factory of spawnNative (`int symbol(const char *arg, const akt_behavior **behavior,
   * void **state)`), called with the grain's name as arg on akt's worker threads. opts:
   * { deactivateAfter } (ms; 0 or null: never). NotFoundError if the library or symbol is
   * missing, ExistsError if the kind is registered already.
   */
  registerNativeGrain(library, symbol, kind, opts) {
    this.#open();
    registerNativeGrain(this, library, symbol, kind, opts);
  }

  /**
   * The grain kind/name of this system (tell / ask activate it). opts: { deactivateAfter
   * (ms, 0 or null: never), mailbox ({ capacity }), reentrancy, maxInFlight } for the
   * activation its sends make, over the kind's (a grain active already keeps its own);
   * dependencies ({ name: value }) replace the kind's for ctx.dependency.
   */
  grain(kind, name, opts) {
    this.#open();
    return new Grain(this, kind, name, opts);
  }

  /** The topic name of this system (publish / subscribe; see Topic). */
  topic(name) {
    this.#open();
    return new Topic(this, name);
  }

  /**
   * Starts remoting: listens on host (default "127.0.0.1") and port (0: ephemeral) and
   * returns this node's address, "akt://<name>@<host>:<port>". With `tls: { cert, key }`
   * (PEM paths) every connection is TLS 1.3: peers must chain to `ca`, outbound peers must
   * prove `peerName` (default: their host), `requireClientCert: true` makes it mutual TLS.
   * `compression` ('none' default, 'zstd', 'gzip', 'brotli'): frames of at least
   * `compressMinBytes` (0: 512) to peers that accept the method go compressed.
   * `chunkBytes`, `maxMessageBytes`, `sendBufferBytes`, `maxReverseProxies`: see the
   * type declarations (undefined: the core's defaults; InvalidArgumentError out of range).
   */
  remoteStart({ host, port = 0, maxFrameBytes = 0, heartbeatInterval, heartbeatMisses = 0,
    tls, sendWindow = 0, compression = 'none', compressMinBytes = 0,
    chunkBytes, maxMessageBytes, sendBufferBytes, maxReverseProxies } = {}) {
    this.#open();
    const method = ['none', 'zstd', 'gzip', 'brotli'].indexOf(compression);
    if (method < 0) {
      throw new TypeError("compression must be 'none', 'zstd', 'gzip' or 'brotli'");
    }
    if (tls !== undefined && (tls === null || typeof tls !== 'object')) {
      throw new TypeError('tls must be an object { cert, key, ca, peerName, requireClientCert }');
    }
    const { cert, key, ca, peerName, requireClientCert } = tls ?? {};
    if (requireClientCert !== undefined && typeof requireClientCert !== 'boolean') {
      throw new TypeError('tls.requireClientCert must be a boolean');
    }
    // Heartbeat interval in ms: undefined = the default (1 s), 0 = no heartbeats.
    let heartbeatNs = 0;
    if (heartbeatInterval !== undefined) {
      if (typeof heartbeatInterval !== 'number' || !(heartbeatInterval >= 0)) {
        throw new TypeError('heartbeatInterval must be a number of ms >= 0');
      }
      heartbeatNs = heartbeatInterval === 0 ? -1 : Math.max(1, Math.round(heartbeatInterval * 1e6));
    }
    return native.remoteStart(this[kHandle], host, port, maxFrameBytes, heartbeatNs,
      heartbeatMisses, cert, key, ca, peerName, requireClientCert, sendWindow, method,
      compressMinBytes, chunkBytes, maxMessageBytes, sendBufferBytes, maxReverseProxies);
  }

  /**
   * Spawns an actor of `kind` (a kind registered on that node with registerGrain) named
   * `name` on the node at `address` ("akt://<name>@<host>:<port>"); a Promise of its pid.
   *
   * opts: the local spawn's options that are data cross to that node and take effect there:
   * `supervisor` (strategy for the actor's children: directive, strategy, maxRetries,
   * within, backoff, onRetriesExhausted, rules by akt error class or AKT_E* name),
   * `mailbox` (fifo, bounded or fair), `passivation`, `reentrancy`, `maxInFlight`; and
   * `timeout` (ms to wait for the answer, default 10 s; `timeoutMs` is the same).
   *
   * Rejects with ExistsError (the name is taken there), NotFoundError (no such kind there),
   * UnreachableError, TimeoutError; with InvalidArgumentError for what cannot cross (a
   * supervisor's decide, rules by another class or name, a priority mailbox's compare,
   * dependencies), refused here before anything is sent, or for options the other node
   * refuses (nothing is spawned there either way); with TypeError for a wrong type.
   */
  async remoteSpawn(address, kind, name, opts) {
    this.#open();
    const args = remoteSpawnOptions(opts);
    const [lo, hi] = await native.remoteSpawn(this[kHandle], address, kind, name, ...args);
    return new Pid(this, lo, hi);
  }

  /** This node's address; NotFoundError before remoteStart. */
  remoteAddress() {
    this.#open();
    return native.remoteAddress(this[kHandle]);
  }

  /**
   * Messages of type (null: the default, for every type bound to none) cross to other nodes
   * with the serializer name: "json", "cbor", "protobuf" or one registered with
   * registerSerializer; null unbinds. Plain objects and arrays travel as "akt.Json".
   */
  bindSerializer(type, name) {
    this.#open();
    native.serializerBind(this[kHandle], type, name);
  }

  /**
   * Interns a message type (a name, or a class by its static `aktType` name) and returns its
   * id (1..4095, the same in every language of this process). Messages of a registered name
   * carry the interned type instead of a copy of the name, and a receive can branch on
   * `ctx.typeId`. The name stays the message's identity.
   */
  registerType(nameOrClass) {
    this.#open();
    const name = typeof nameOrClass === 'function' ? nameOrClass.aktType : nameOrClass;
    if (typeof name !== 'string') throw new TypeError('registerType(name: string | class with static aktType)');
    return native.typeRegister(this[kHandle], name);
  }

  /** The name of the serializer messages of type cross with, or null (their own bytes). */
  serializerFor(type) {
    this.#open();
    return native.serializerFor(this[kHandle], type);
  }

  /**
   * A serializer written in JS, for the instances of cls: they are sent as messages of
   * type, encode(value) => Uint8Array, and such messages arrive as decode(buf) => value. The
   * frame names the serializer, so a serializer of that name in another language reads the
   * same bytes. Binds type to name.
   */
  registerSerializer(name, { type, cls, encode, decode }) {
    this.#open();
    if (typeof name !== 'string' || typeof type !== 'string' || typeof cls !== 'function' ||
        typeof encode !== 'function' || typeof decode !== 'function') {
      throw new TypeError('registerSerializer(name, { type, cls, encode, decode })');
    }
    native.serializerRegister(this[kHandle], name);
    native.serializerBind(this[kHandle], type, name);
    registerEncoder(cls, type, encode);
    registerDecoder(type, decode);
  }

  /**
   * Makes a protobufjs message class cross to other nodes as itself: type is a reflected
   * Type (root.lookupType('pkg.Msg'), from a .proto) or a static class made by pbjs. Its
   * instances are sent as messages of its full protobuf name (returned) with their protobuf
   * encoding, through the built-in "protobuf" serializer, and such messages, from any
   * language, arrive here as instances of the class (type.decode).
   */
  registerProtobuf(type) {
    this.#open();
    const fn = type !== null && (typeof type === 'object' || typeof type === 'function');
    let name = fn && typeof type.fullName === 'string' ? type.fullName.replace(/^\./, '') : null;
    if (name === null && fn && typeof type.getTypeUrl === 'function') {
      name = String(type.getTypeUrl('')).replace(/^\//, '');
    }
    const cls = fn ? (typeof type.ctor === 'function' ? type.ctor : type) : null;
    if (!name || typeof cls !== 'function' || typeof type.encode !== 'function' ||
        typeof type.decode !== 'function') {
      throw new TypeError('registerProtobuf(type): a protobufjs Type or a pbjs message class');
    }
    native.serializerBind(this[kHandle], name, 'protobuf');
    registerEncoder(cls, name, (m) => type.encode(m).finish());
    registerDecoder(name, (buf) => type.decode(buf));
    return name;
  }

  /** The pid of the actor at "akt://<name>@<host>:<port>/user/<path>" on another node. */
  remoteLookup(address) {
    this.#open();
    native.remoteLookup(this[kHandle], address);
    return new Pid(this, shared.scratch[S_PID], shared.scratch[S_PID + 1]);
  }

  /**
   * The connections TLS closed on this node (refused peers, failed handshakes, malformed
   * records) and why the last one was: `{ count, reason }`; NotFoundError before remoteStart.
   */
  remoteTlsFailures() {
    this.#open();
    const [count, reason] = native.remoteTlsFailures(this[kHandle]);
    return { count, reason };
  }

  /**
   * Sends msg to pid once, after opts.delayMs (default 0), from akt's one timer thread.
   * opts: { delayMs, reference, sender, type }. Returns the reference (opts.reference or a
   * generated UUID). AlreadyExists-style AktError (AKT_EEXIST) if the reference is taken.
   */
  scheduleOnce(pid, msg, opts = {}) {
    return this.#schedule(pid, msg, opts, opts.delayMs ?? 0, 0);
  }

  /**
   * Sends msg to pid every opts.intervalMs (> 0), the first time after opts.initialDelayMs
   * (default: one interval). Ticks are due at first + k * interval (no drift); ticks missed
   * while paused are skipped, not sent as a burst.
   */
  scheduleEvery(pid, msg, opts = {}) {
    const interval = opts.intervalMs;
    if (typeof interval !== 'number' || !(interval > 0))
      throw makeError(errnos.InvalidArgumentError, 'intervalMs must be a number > 0');
    return this.#schedule(pid, msg, opts, opts.initialDelayMs ?? interval, interval);
  }

  /**
   * Sends msg to pid at every fire time of the cron expression expr (Quartz syntax with
   * seconds, see validateCron), in local time or, with opts.utc, in UTC. A tick never
   * fires twice (not even when the wall clock is set back); ticks missed while paused are
   * skipped. opts: { utc, reference, sender, type }. CronSyntaxError (with .column) for an
   * expression that does not parse; NotFoundError also for one that never fires again.
   */
  scheduleCron(pid, msg, expr, opts = {}) {
    validateCron(expr);
    return this.#schedule(pid, msg, opts, 0, 0, expr, opts.utc ? AKT_CRON_UTC : 0);
  }

  #schedule(pid, msg, opts, delay, interval, cron, cronFlags) {
    this.#open();
    if (!(pid instanceof Pid)) throw makeError(errnos.InvalidArgumentError, 'expected a Pid');
    if (typeof delay !== 'number')
      throw makeError(errnos.InvalidArgumentError, 'delayMs must be a number');
    const sender = opts.sender;
    if (sender !== undefined && sender !== null && !(sender instanceof Pid))
      throw makeError(errnos.InvalidArgumentError, 'sender must be a Pid');
    let type = opts.type;
    if (msg instanceof Message) {
      type = msg.type;
      msg = msg.data;
    }
    const ref = withScheduleErrors(opts.reference, () => native.schedule(this[kHandle], pid.lo,
      pid.hi, msg, type, delay, interval, opts.reference, sender ? sender.lo : undefined,
      sender ? sender.hi : undefined, cron, cronFlags), { taken: true });
    kick();
    return ref;
  }

  /** Pauses a schedule (it keeps its reference); ScheduleNotFoundError (a NotFoundError)
   *  if unknown. */
  pauseSchedule(reference) {
    withScheduleErrors(reference, () => native.scheduleOp(this[kHandle], 0, reference));
  }

  /** Resumes a paused schedule at its next tick still to come. */
  resumeSchedule(reference) {
    withScheduleErrors(reference, () => native.scheduleOp(this[kHandle], 1, reference));
  }

  /** Ends a schedule: once this returned none of its fires is delivered. */
  cancelSchedule(reference) {
    withScheduleErrors(reference, () => native.scheduleOp(this[kHandle], 2, reference));
    kick();
  }

  /** The schedules that have not ended, in creation order. */
  schedules() {
    this.#open();
    return native.schedules(this[kHandle]).map(
      ([reference, tlo, thi, slo, shi, kind, paused, ms, expression, flags]) => ({
        reference,
        target: new Pid(this, tlo, thi),
        sender: slo || shi ? new Pid(this, slo, shi) : null,
        kind: SCHEDULE_KINDS[kind] ?? 'unknown',
        paused,
        intervalMs: kind === 2 ? ms : null,
        expression,
        utc: (flags & AKT_CRON_UTC) !== 0,
      }));
  }

  /** Resumes the suspended actor at path (see Pid.reinstate); NotFoundError if none. */
  reinstateNamed(path) {
    const pid = this.lookup(path);
    if (pid === null) throw makeError(errnos.NotFoundError, `reinstate: no actor at ${String(path)}`);
    pid.reinstate();
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
      this.#shutdown = native.systemShutdown(this[kHandle]).then(() => this.#finished());
      kick();
    }
    return this.#shutdown;
  }

  // Once the shutdown completed (shutdown() or the guardian's): what the system held goes.
  #finished() {
    if (!running.has(this)) return;
    for (const sub of [...this.#subs]) sub.unsubscribe();
    if (this.#eventSub) {
      native.unsubscribe(this.#eventSub);
      this.#eventSub = null;
    }
    running.delete(this);
    if (this.#keepAlive) native.keepAlive(-1);
    if (this.#whenShutdown) this.#whenShutdown();
  }

  /**
   * What a top-level actor's escalation (the system supervisor's 'escalate') does:
   * 'stop_actor' (the default) stops it, 'shutdown' also shuts the whole system down, as
   * shutdown() would; `terminated` then resolves once it completed. As with actors fed from
   * other threads, something must keep the process up meanwhile (keepAlive, a server, a
   * pending timer or ask).
   */
  setGuardianPolicy(policy) {
    this.#open();
    const code = GUARDIAN_POLICIES[policy];
    if (code === undefined)
      throw makeError(errnos.InvalidArgumentError, "the guardian policy is 'stop_actor' or 'shutdown'");
    const done = native.guardianSet(this[kHandle], code);
    if (done) {
      done.then(() => {
        if (!this.#shutdown) this.#shutdown = done;
        this.#finished();
      });
    }
  }

  /** Resolves once the system shut down, by shutdown() or by the guardian's policy. */
  get terminated() {
    if (!this.#terminated) {
      this.#terminated = new Promise((resolve) => { this.#whenShutdown = resolve; });
      if (!running.has(this)) this.#whenShutdown();
    }
    return this.#terminated;
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
    // The old subscription's queued events still reach the listeners.
    if (this.#eventSub) native.unsubscribe(this.#eventSub, true);
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
