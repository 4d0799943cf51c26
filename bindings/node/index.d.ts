// Type declarations of the `akt` package (ESM and CommonJS entry points export the same).
// Self-contained: no `@types/node` needed (nor the DOM lib). Where Node's own types exist
// they are used (Buffer), else the structural types below stand in.

/** Node's Buffer when its types are loaded (`@types/node`), else Uint8Array (a Buffer is one). */
export type BufferLike = typeof globalThis extends { Buffer: { prototype: infer B } } ? B : Uint8Array;

/** What ask reads of an AbortSignal (a real AbortSignal fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

declare global {
  // For `await using`: the same declaration as lib.esnext.disposable and @types/node.
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/** The node:events EventEmitter methods ActorSystem has (it extends EventEmitter). */
declare class AktEventEmitter {
  addListener(event: string | symbol, listener: (...args: any[]) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
  once(event: string | symbol, listener: (...args: any[]) => void): this;
  off(event: string | symbol, listener: (...args: any[]) => void): this;
  removeListener(event: string | symbol, listener: (...args: any[]) => void): this;
  removeAllListeners(event?: string | symbol): this;
  emit(event: string | symbol, ...args: any[]): boolean;
  listenerCount(event: string | symbol): number;
  listeners(event: string | symbol): Function[];
  eventNames(): Array<string | symbol>;
  setMaxListeners(n: number): this;
  getMaxListeners(): number;
}

/** Options of sends that carry an explicit akt type name (for C and other languages). */
export interface SendOptions {
  /** The akt type name, e.g. "shop.OrderPlaced"; defaults depend on the value's kind. */
  type?: string;
}

/** Options of a tell: SendOptions plus headers the receiver reads as ctx.headers. */
export interface TellOptions extends SendOptions {
  /** Header name (1..255 visible ASCII characters) -> value (UTF-8 text or bytes, up to 8 KiB). */
  headers?: Record<string, string | Uint8Array>;
}

export interface AskOptions extends SendOptions {
  /** Milliseconds before the promise rejects with TimeoutError; default 5000. */
  timeout?: number;
  /** Cancels the ask: the promise rejects with CanceledError (AKT_ECANCELED). */
  signal?: AbortSignalLike;
}

/** An actor's address: a value bound to its system. */
export class Pid {
  private constructor();
  readonly system: ActorSystem;
  /** The 64-bit id: opaque, unique within its system (compare it, never decode it). */
  readonly id: bigint;
  /** e.g. "akt://demo/user/counter"; throws NotFoundError once the actor is gone. */
  readonly path: string;
  readonly alive: boolean;
  /** This actor's metrics; throws NotFoundError once it stopped. */
  metrics(): ActorMetrics;
  tell(msg: unknown, opts?: TellOptions): void;
  ask<R = unknown>(msg: unknown, opts?: AskOptions): Promise<R>;
  /** Sends msgs in order as one operation: all are taken or none (the error is thrown). */
  tellBatch(msgs: unknown[], opts?: SendOptions): void;
  /** Asks msgs in order as one operation; one promise per message. */
  askBatch<R = unknown>(msgs: unknown[], opts?: { timeout?: number; type?: string }): Promise<R>[];
  stop(): void;
  poison(): void;
  /** Resumes an actor suspended by its supervisor; asynchronous, a no-op otherwise. */
  reinstate(): void;
  stopGracefully(opts?: { timeout?: number }): Promise<void>;
  equals(other: unknown): boolean;
  toString(): string;
}

/** A typed message: an akt type name plus bytes (what C actors send and read). */
export class Message {
  constructor(type: string, data?: string | Uint8Array);
  readonly type: string;
  readonly data: string | Uint8Array;
  /** The payload as UTF-8 text. */
  readonly text: string;
}

/** Delivered to a watcher when a watched actor stopped. */
export class Terminated {
  readonly pid: Pid;
}

export type Receive<A = any> = (this: A, ctx: Context, msg: any) => void;

/** The context of one actor callback; valid only during that callback. */
export class Context {
  private constructor();
  readonly self: Pid;
  readonly system: ActorSystem;
  /** The sender of the current message; null when it came from outside any actor. */
  readonly sender: Pid | null;
  readonly parent: Pid | null;
  /** The akt type name of the current message. */
  readonly messageType: string;
  /** True if someone waits for a reply (an asker, or a sender actor). */
  readonly replyExpected: boolean;
  /** Replies; a dead letter when nobody waits for it (see replyExpected). */
  respond(msg: unknown, opts?: TellOptions): void;
  /** PipeTo: task's result told to opts.to (default self) or opts.name with this actor as
   *  sender; a rejection, a timeout (ms) or a gone target is a dead letter; an open
   *  opts.breaker throws BreakerOpenError and task is not called. */
  pipeTo(task: (() => unknown) | Promise<unknown>,
         opts?: { to?: Pid; name?: string; timeout?: number; breaker?: CircuitBreaker }): void;
  tell(to: Pid, msg: unknown, opts?: TellOptions): void;
  /** The headers of the current message (a new object; {} when it has none). */
  readonly headers: Record<string, string>;
  /** An extension given to the system (SystemOptions.extensions); NotFoundError if none. */
  extension<T = unknown>(name: string): T;
  ask<R = unknown>(to: Pid, msg: unknown, opts?: AskOptions): Promise<R>;
  /** Asks without blocking the actor; the answer comes back on this actor's own turn (see
   *  RequestOptions). Returns a Promise unless opts.then is given. */
  request<R = unknown>(to: Pid, msg: unknown, opts?: RequestOptions & { then?: undefined }): Promise<R>;
  request<R = unknown>(to: Pid, msg: unknown, opts: RequestOptions & { then: RequestThen<R> }): void;
  /** Cancels a request still in flight (the promise request() returned): it rejects with
   *  CanceledError on a later turn unless the answer came first; true while it was in flight. */
  cancelRequest(request: Promise<unknown>): boolean;
  forward(to: Pid): void;
  unhandled(): void;
  spawn(actor: ActorSpec, opts?: SpawnOptions): Pid;
  /** Stops self (default) or one of self's children. */
  stop(pid?: Pid): void;
  become(receive: Receive, opts?: { stacked?: boolean }): void;
  unbecome(): void;
  unbecomeStacked(): void;
  stash(): void;
  /** false when the stash was empty. */
  unstash(): boolean;
  unstashAll(): void;
  watch(pid: Pid): void;
  unwatch(pid: Pid): void;
  dependency<T = unknown>(name: string): T;
}

/** Base class of JS actors. */
export class Actor {
  preStart(ctx: Context): void;
  /** May be async: akt keeps the message until the promise settles (by default no other
   *  message starts meanwhile); after an await the context's actions run on the actor's
   *  turn, and a rejection is a failure for the supervisor. */
  receive(ctx: Context, msg: any): void | Promise<void>;
  postStop(ctx: Context): void;
}

/** An Actor subclass (fresh instance per start/restart), an instance, or a receive function. */
export type ActorSpec =
  | (new () => { receive(ctx: Context, msg: any): void | Promise<void>; preStart?(ctx: Context): void; postStop?(ctx: Context): void })
  | { receive(ctx: Context, msg: any): void | Promise<void>; preStart?(ctx: Context): void; postStop?(ctx: Context): void }
  | ((ctx: Context, msg: any) => void | Promise<void>);

/** 'suspend': the child keeps its state and mailbox but handles nothing until
 * pid.reinstate(); tells and asks to it throw SuspendedError meanwhile. */
export type Directive = 'restart' | 'resume' | 'stop' | 'escalate' | 'suspend';

/** Restarts wait on akt's timer: the n-th consecutive one waits
 * min(initial * multiplier^(n-1), maximum) ms, less up to `jitter` (0..1) of it at random;
 * messages sent meanwhile are handled after it, a stop meanwhile stops the child. */
export interface BackoffOptions {
  initial: number;
  maximum?: number;
  /** Default 2. */
  multiplier?: number;
  jitter?: number;
  /** The count starts again after this many ms without a failure; default never. */
  resetAfter?: number;
}

export interface Failure {
  /** e.g. "AKT_EFAILED" for a thrown error. */
  code: string;
  errno: number;
  /** The thrown error's message. */
  reason: string | null;
}

export interface SupervisorOptions {
  /** What happens to a failing child; default 'restart'. */
  directive?: Directive;
  /** Chooses per failure (children of JS actors only). */
  decide?: (failure: Failure) => Directive | undefined;
  /** 'oneForAll': a restart or stop applies to every child of the same parent (for
   * top-level actors it acts as 'oneForOne'). Default 'oneForOne'. */
  strategy?: 'oneForOne' | 'oneForAll';
  /** A child failing more than maxRetries times within `within` ms is stopped; 0 = no budget. */
  maxRetries?: number;
  /** The retry window in milliseconds (> 0); required with maxRetries. */
  within?: number;
  backoff?: BackoffOptions;
  /** Directives by error, checked before `decide`: [[TypeError, 'resume'], ['RangeError',
   * 'stop']]. A key is an error class (the nearest class in the thrown error's prototype
   * chain wins) or a name (error.name or a class name); akt error classes (TimeoutError) and
   * AKT_E* names also match a non-JS child failing with that code. */
  rules?: Array<[ErrorRuleKey, Directive]>;
}

/** An error class, or an error's name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorRuleKey = (abstract new (...args: any[]) => unknown) | string;

export interface SpawnOptions {
  /** Unique among siblings; anonymous ("$<n>") when omitted. */
  name?: string;
  /** Strategy for this actor's children. */
  supervisor?: SupervisorOptions;
  /** Values reachable with ctx.dependency(name). */
  dependencies?: Record<string, unknown>;
  /** The actor's mailbox; the default is an unbounded FIFO. */
  mailbox?: MailboxOptions;
  /** What the actor does while its requests are in flight (default 'off'). */
  reentrancy?: Reentrancy;
  /** The most requests in flight at once (BusyError beyond); 0 = no limit. */
  maxInFlight?: number;
  /** Passivation; default: the system's (none unless setDefaultPassivation set one). */
  passivation?: Passivation;
}

/**
 * When an idle actor stops itself (an 'actorPassivated' event, then 'actorStopped'):
 * { idle: ms } without a message for ms, { messages: n } once n messages were handled and
 * the mailbox is empty, 'longLived' never.
 */
export type Passivation = { idle: number } | { messages: number } | 'longLived';

/**
 * A mailbox: 'fifo' (default) or 'bounded' (FIFO with a capacity), 'fair' (per-sender
 * sub-queues served round-robin), 'priority' (compare(a, b) < 0: a is handled first; equal
 * priorities keep their arrival order). compare runs on the JS thread, where the actor
 * runs, with the messages' values; one that throws or returns no number is reported
 * through the system's logger and counts as equal. With a capacity > 0, whenFull says what a tell to a full
 * mailbox does: 'fail' throws MailboxFullError (the message is not sent), 'drop' sends it
 * to dead letters (reason "mailbox full"). There is no 'block' in Node: JS actors run on
 * the JS thread, so a JS sender waiting for room would wait for itself.
 */
export interface MailboxOptions {
  kind?: 'fifo' | 'bounded' | 'fair' | 'priority';
  capacity?: number;
  whenFull?: 'fail' | 'drop';
  /** 'priority' only (required): < 0 if a is handled before b, > 0 after, 0 equal. */
  compare?: (a: any, b: any) => number;
}

/* local begin: */
/** Options of one grain's activation (system.grain(kind, name, opts)), over its kind's. */
export interface GrainActivationOptions {
  /** Idle ms before it deactivates; 0 or null: never. */
  deactivateAfter?: number | null;
  /** A bounded FIFO: a full grain refuses (MailboxFullError). */
  mailbox?: { capacity: number; whenFull?: 'fail' };
  reentrancy?: 'off' | 'allowAll' | 'stash';
  maxInFlight?: number;
}
/** A context propagator object (SystemOptions.propagator). */
export interface Propagator {
  inject(headers: Record<string, string>): Record<string, string | Uint8Array> | undefined | void;
}
/* local end */

export interface SystemOptions {
  /** akt worker threads for C actors; 0 = one per core. */
  workers?: number;
  /** Messages an actor handles per turn; 0 = 64. */
  throughput?: number;
  /** Strategy for top-level actors. */
  supervisor?: Omit<SupervisorOptions, 'decide'>;
  /** Hold the process until shutdown, like a server (default: only pending asks do). */
  keepAlive?: boolean;
  /** Named values every actor reaches with ctx.extension(name) (system.extension(name) from
   *  outside); names are 2..255 letters, digits, '-' or '_', starting with a letter or digit. */
  extensions?: Record<string, unknown>;
  /* local begin: */
  /**
   * The context propagator (GoAkt's ContextPropagator): at each message's first send made on
   * this thread, inject gets the headers of the message the sending actor is handling ({}
   * outside actors) and returns headers to add to the outgoing one (the sender's own win);
   * receivers read them as ctx.headers. A throw adds nothing and is logged.
   */
  propagator?: Propagator | ((headers: Record<string, string>) => Record<string, string | Uint8Array> | undefined | void);
  /* local end */
  /**
   * Where a JS actor's failure (a throw in receive, preStart or postStop, a rejected async
   * receive) is logged, as `logger.error("akt: actor <path> failed in <where>:", error)`:
   * console by default, any logger with an `error` method, or null/false for nowhere.
   */
  logger?: { error(message: string, ...args: unknown[]): void } | null | false;
  /**
   * What a rejected ask's stack adds after `--- asked at ---`: true (default) the awaiting
   * async functions, found when it rejects (free for asks that succeed); 'call' every frame
   * of the call, captured at the call (~2-4 us per ask); false nothing.
   */
  callSites?: boolean | 'call';
}

export type EventKind =
  | 'actorStarted' | 'actorStopped' | 'actorRestarted' | 'deadLetter' | 'unhandled' | 'actorFailed'
  | 'actorSuspended' | 'actorReinstated' | 'actorPassivated';

export interface AktEvent {
  kind: EventKind;
  pid: Pid;
  path: string | null;
  sender: Pid | null;
  message: unknown;
  code: string | null;
  reason: string | null;
}

export interface Subscription {
  unsubscribe(): void;
}

export interface ScheduleOptions {
  /** Unique among the system's schedules; default a random UUID. */
  reference?: string;
  /** The fires' sender (ctx.sender of the receiver); default none. */
  sender?: Pid | null;
  /** The message's type name, as for Pid.tell. */
  type?: string;
}
export interface ScheduleOnceOptions extends ScheduleOptions {
  delayMs?: number;
}
export interface ScheduleEveryOptions extends ScheduleOptions {
  intervalMs: number;
  initialDelayMs?: number;
}
export interface ScheduleCronOptions extends ScheduleOptions {
  /** Fire in UTC rather than the process's local time zone; default false. */
  utc?: boolean;
}
export interface ScheduleInfo {
  readonly reference: string;
  readonly target: Pid;
  readonly sender: Pid | null;
  readonly kind: 'once' | 'every' | 'cron';
  readonly paused: boolean;
  readonly intervalMs: number | null;
  /** The cron expression, for 'cron'; else null. */
  readonly expression: string | null;
  /** For 'cron': fires in UTC. */
  readonly utc: boolean;
}

export class ActorSystem extends AktEventEmitter {
  private constructor();
  static create(name?: string, opts?: SystemOptions): Promise<ActorSystem>;
  readonly name: string;
  readonly closed: boolean;
  spawn(actor: ActorSpec, opts?: SpawnOptions): Pid;
  /**
   * Spawns a C actor from a shared library exporting
   * `int symbol(const char *arg, const akt_behavior **behavior, void **state)`.
   * It runs on akt's worker threads; NotFoundError if the library or symbol is missing.
   */
  spawnNative(library: string, symbol: string, opts?: { name?: string; arg?: string }): Pid;
  /** Spawns a router over `routees` or over `size` actors made from `actor`. */
  spawnRouter(opts: RouterOptions): Router;
  /** "name", "a/b", "/user/a/b" or "akt://sys/user/a/b"; null if no live actor is there. */
  lookup(path: string): Pid | null;
  /** An extension given at creation (SystemOptions.extensions); NotFoundError if none. */
  extension<T = unknown>(name: string): T;
  /** Starts remoting (host default "127.0.0.1", port 0: ephemeral); returns this node's
   *  address "akt://<name>@<host>:<port>". ExistsError if already started.
   *  Heartbeats: a Ping every `heartbeatInterval` ms (default 1000, 0: none); a connection
   *  silent for more than `heartbeatMisses` intervals (default 5) is lost, and its pending
   *  asks reject with UnreachableError.
   *  TLS 1.3 with `tls: { cert, key }` (PEM paths): peers must chain to `ca` (default: the
   *  system's CAs), outbound peers must prove `peerName` (default: their host), and
   *  `requireClientCert` makes it mutual TLS; a peer TLS refuses rejects with
   *  UnreachableError. */
  remoteStart(opts?: {
    host?: string; port?: number; maxFrameBytes?: number;
    heartbeatInterval?: number; heartbeatMisses?: number;
    tls?: RemoteTlsOptions;
    /** Messages to one node not yet consumed there (default 65536): a tell beyond it
     *  throws MailboxFullError (the caller keeps the message). */
    sendWindow?: number;
    /** Frame compression (default 'none'): frames of at least `compressMinBytes` (default
     *  512) to peers that accept the method go compressed; mixed nodes interoperate. */
    compression?: 'none' | 'zstd' | 'gzip' | 'brotli';
    compressMinBytes?: number;
  }): string;
  /** Spawns an actor of `kind` (registered on that node with registerGrain) named `name`
   *  on the node at `address` ("akt://<name>@<host>:<port>"). Rejects with ExistsError,
   *  NotFoundError (no such kind), UnreachableError or TimeoutError. Watch, stop and
   *  poison work on the pid as on a local one. */
  remoteSpawn(address: string, kind: string, name: string,
    opts?: { timeoutMs?: number }): Promise<Pid>;
  /** This node's address; NotFoundError before remoteStart. */
  remoteAddress(): string;
  /** The connections TLS closed on this node and why the last one was ("" if none);
   *  NotFoundError before remoteStart. */
  remoteTlsFailures(): { count: number; reason: string };
  /** The pid of "akt://<name>@<host>:<port>/user/<path>": tell and ask work as on a local
   *  pid; an unknown actor fails the ask with NotFoundError, a lost node with
   *  UnreachableError. */
  remoteLookup(address: string): Pid;
  /** Messages of type (null: the default) cross to other nodes with the serializer name
   *  ("json", "cbor", "protobuf" or a registered one); null unbinds. */
  bindSerializer(type: string | null, name: string | null): void;
  /** The serializer messages of type cross with, or null. */
  serializerFor(type: string): string | null;
  /** A serializer written in JS for the instances of cls, sent as messages of type. */
  registerSerializer<T>(name: string, spec: {
    type: string; cls: new (...args: any[]) => T;
    encode: (value: T) => Uint8Array; decode: (buf: Uint8Array) => T;
  }): void;
  /** A protobufjs message class (a reflected Type or a pbjs static class) crossing as
   *  itself under its full protobuf name (returned), through the "protobuf" serializer. */
  registerProtobuf(type: {
    encode(message: any): { finish(): Uint8Array };
    decode(buf: Uint8Array): any;
    fullName?: string; ctor?: Function; getTypeUrl?(prefix?: string): string;
  }): string;
  /** Resumes the suspended actor at path; NotFoundError if there is none. */
  reinstateNamed(path: string): void;
  subscribe(kinds: EventKind | EventKind[], fn: (ev: AktEvent) => void): Subscription;
  /** The topic `name` of this system (publish / subscribe). */
  topic(name: string): Topic;
  /** Sends msg to pid once after delayMs (default 0); returns the reference. */
  scheduleOnce(pid: Pid, msg: unknown, opts?: ScheduleOnceOptions): string;
  /** Sends msg to pid every intervalMs, first after initialDelayMs (default one interval). */
  scheduleEvery(pid: Pid, msg: unknown, opts: ScheduleEveryOptions): string;
  /** Sends msg to pid at every fire time of the cron expression (Quartz syntax, with
   *  seconds); a tick never fires twice. CronSyntaxError (with column) if it does not parse. */
  scheduleCron(pid: Pid, msg: unknown, expr: string, opts?: ScheduleCronOptions): string;
  /** Pauses a schedule; it keeps its reference. NotFoundError if unknown. */
  pauseSchedule(reference: string): void;
  /** Resumes a paused schedule at its next tick still to come. */
  resumeSchedule(reference: string): void;
  /** Ends a schedule; none of its fires is delivered once this returned. */
  cancelSchedule(reference: string): void;
  /** The schedules that have not ended, in creation order. */
  schedules(): ScheduleInfo[];
  /** The system's metrics (akt/telemetry.h). */
  metrics(): SystemMetrics;
  /** The metrics of every live actor, with its path. */
  actorMetrics(): Array<ActorMetrics & { path: string }>;
  /** Every data point as OpenTelemetry sees it (GoAkt's instrument names). */
  collectMetrics(): MetricPoint[];
  /** Per-actor instruments without attributes, summed over actors. */
  setLowCardinalityMetrics(on?: boolean): void;
  /** Registers a grain kind (virtual actors): each activation is `new factory(name)` for
   * an Actor class, else `factory(name)`, run on the JS thread. ExistsError if the
   * kind exists. */
  registerGrain(kind: string, factory: GrainFactory, opts?: GrainOptions): void;
  /** The passivation of actors spawned from now on without their own; null: none. */
  setDefaultPassivation(passivation: Passivation | null): void;
  /** What a top-level actor's escalation does: 'stop_actor' (default) or 'shutdown' (the
   * whole system shuts down; `terminated` resolves once it did). */
  setGuardianPolicy(policy: 'stop_actor' | 'shutdown'): void;
  /** Resolves once the system shut down, by shutdown() or by the guardian's policy. */
  readonly terminated: Promise<void>;
  /** The grain kind/name (tell / ask activate it). */
  /** The grain kind/name; opts override the kind's for the activation its sends make. */
  grain(kind: string, name: string, opts?: GrainActivationOptions): Grain;
  /** Stops every actor and resolves when all stopped; afterwards the process may exit. */
  shutdown(): Promise<void>;
  on(event: EventKind, listener: (ev: AktEvent) => void): this;
  once(event: EventKind, listener: (ev: AktEvent) => void): this;
  off(event: EventKind, listener: (ev: AktEvent) => void): this;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A topic of one system: subscribers are actors of any language; one that stops leaves by
 * itself. What one thread does takes effect in order: a publish after subscribe() on the
 * same thread reaches the new subscriber without awaiting it.
 */
export class Topic {
  private constructor();
  readonly name: string;
  /** Sends msg to every current subscriber (as for a receiver of another runtime: its
   * canonical bytes); a topic without subscribers drops it. */
  publish(msg: unknown, opts?: SendOptions): void;
  /** Resolves with the subscriber count once the subscription is in effect. */
  subscribe(pid: Pid, opts?: { timeout?: number }): Promise<number>;
  unsubscribe(pid: Pid, opts?: { timeout?: number }): Promise<number>;
  count(opts?: { timeout?: number }): Promise<number>;
  /** Calls fn for each message, in order, on the JS thread; close() ends it. */
  onMessage(fn: (msg: any) => void): TopicSubscription;
}

export type GrainFactory = (new (name: string) => Actor) | ((name: string) => Actor);

export interface GrainOptions {
  /** Idle ms before an activation deactivates: default 120000; 0 or null: never. */
  deactivateAfter?: number | null;
  /** Every activation's mailbox: a FIFO with a capacity; a full grain refuses the tell or
   * ask (MailboxFullError, the message is not sent). */
  mailbox?: { kind?: 'fifo' | 'bounded'; capacity: number; whenFull?: 'fail' };
  /** Values every activation reaches with ctx.dependency(name). */
  dependencies?: Record<string, unknown>;
  /** Reentrancy of ctx.request in an activation, and its most requests in flight. */
  reentrancy?: 'off' | 'allowAll' | 'stash';
  maxInFlight?: number;
}

/** A grain of a system: addressed by kind and name, activated by its first message. */
export class Grain {
  private constructor();
  readonly kind: string;
  readonly name: string;
  /** `kind/name`. */
  readonly identity: string;
  tell(msg: unknown, opts?: SendOptions): void;
  ask<R = unknown>(msg: unknown, opts?: AskOptions): Promise<R>;
}

export interface TopicSubscription {
  readonly pid: Pid;
  close(): void;
}

export type RoutingStrategy =
  | 'roundRobin' | 'random' | 'broadcast' | 'consistentHash'
  | 'scatterGatherFirst' | 'tailChopping';

export interface RouterOptions {
  /** Existing actors to route to (a group). */
  routees?: Pid[];
  /** Or a pool: `size` actors made from this class or factory, the router's children
   *  (routee-0, ...), on this thread; `resize` changes their number at run time. */
  actor?: (new () => Actor) | (() => Actor);
  size?: number;
  strategy?: RoutingStrategy;
  name?: string;
  /** scatterGatherFirst / tailChopping: the deadline in ms. */
  within?: number;
  /** tailChopping: ms between two routees. */
  interval?: number;
  /** random / tailChopping: a fixed seed (0: from the clock). */
  seed?: number;
  /** A pool routee whose receive failed: 'stop' (default: it leaves the pool), 'restart'
   *  (a fresh instance, at most maxRetries times within retryWithin ms; 0: no budget) or
   *  'resume' (it keeps its state). */
  onFailure?: 'stop' | 'restart' | 'resume';
  /** consistentHash: the key of a message sent through this Router handle (tell / ask):
   *  an integer or bigint is the position itself, a string or Uint8Array is hashed with
   *  FNV-1a, as in Python and Java. A key that throws or has another type counts as 0.
   *  Messages reaching the router otherwise (its pid) route as key 0. */
  key?: (msg: unknown) => number | bigint | string | Uint8Array;
  maxRetries?: number;
  retryWithin?: number;
}

/** A router actor's handle: tell/ask route, broadcast reaches every routee. */
export class Router {
  readonly pid: Pid;
  tell(msg: unknown, opts?: { type?: string }): void;
  ask<T = unknown>(msg: unknown, opts?: { timeout?: number; type?: string; signal?: AbortSignalLike }): Promise<T>;
  broadcast(msg: unknown): void;
  /** The live routees, in routing order. */
  routees(): Pid[];
  /** A pool router's new size; NotSupportedError for a group. */
  resize(size: number): void;
  stop(): void;
  readonly alive: boolean;
}

/** Registers how messages of a type name arriving as bytes become JS values. */
export function registerType(type: string, codec: { decode: (buf: BufferLike) => unknown }): void;

/** The version of libakt loaded, "major.minor.patch". */
export const version: string;

/** Every failure: `code` is the akt name (e.g. "AKT_ENOTFOUND"), `errno` its number. */
export class AktError extends Error {
  readonly code: string;
  readonly errno: number;
}
export class InvalidArgumentError extends AktError {}
export class OutOfMemoryError extends AktError {}
export class NotFoundError extends AktError {}
export class StoppedError extends AktError {}
export class TimeoutError extends AktError {}
export class CanceledError extends AktError {}
export class ExistsError extends AktError {}
export class MailboxFullError extends AktError {}
export class MisuseError extends AktError {}
export class ClosedError extends AktError {}
export class UnhandledError extends AktError {}
/** An ask whose receiver failed. */
export class ActorFailedError extends AktError {
  /** The receiver's reason, "<type>: <message>"; undefined if it gave none. */
  readonly reason?: string;
  /** What the receiver threw (same instance for a JS actor of this process), else an
   *  Error named after the reason's type, with its message. */
  readonly cause?: unknown;
}
export class AgainError extends AktError {}
export class NotSupportedError extends AktError {}
export class MessageTypeError extends AktError {}
export class DeadlockError extends AktError {}
export class BufferRangeError extends AktError {}
export class BusyError extends AktError {}
/** A remote node cannot be reached (refused, or its connection was lost). */
export class UnreachableError extends AktError {}
/** A remote node broke or refused the wire protocol (another version, another name). */
export class ProtocolError extends AktError {}

/** A cron expression that does not parse. */
export class CronSyntaxError extends InvalidArgumentError {
  /** 1-based column (in UTF-8 bytes) of the first character that cannot be accepted; the
   *  column after the text when a part is missing. */
  readonly column: number;
  readonly expression: string;
}

/** Options of cronNext. */
export interface CronOptions {
  /** Read the expression's wall-clock times in UTC instead of the local time zone. */
  utc?: boolean;
}

/** Throws CronSyntaxError unless expr is a valid cron expression (Quartz syntax, 6 or 7
 *  fields with seconds, `? L W #`). */
export function validateCron(expr: string): void;
/** The first fire time of expr strictly after `after` (whole seconds), or null if it never
 *  fires again. A local time skipped by DST fires at the end of the gap; a repeated one
 *  fires once, at its first occurrence. Throws CronSyntaxError on a bad expression. */
/** A system's metrics; uptime in seconds. */
export interface SystemMetrics {
  actorsAlive: number;
  actorsSpawned: number;
  actorsStopped: number;
  restarts: number;
  failures: number;
  deadLetters: number;
  unhandled: number;
  uptime: number;
}

/** One actor's metrics, of its current incarnation; durations in seconds. */
export interface ActorMetrics {
  processed: number;
  restarts: number;
  failures: number;
  unhandled: number;
  mailboxSize: number;
  stashSize: number;
  children: number;
  lastProcessingDuration: number;
  uptime: number;
}

/** One OpenTelemetry data point. */
export interface MetricPoint {
  name: string;
  kind: 'counter' | 'gauge';
  unit: string;
  description: string;
  attributes: Record<string, string>;
  value: number;
}

/** The subset of an @opentelemetry/api Meter that instrumentMetrics uses. */
export interface MeterLike {
  createObservableCounter(name: string, options?: { unit?: string; description?: string }): ObservableLike;
  createObservableGauge(name: string, options?: { unit?: string; description?: string }): ObservableLike;
}
export interface ObservableLike {
  addCallback(cb: (result: { observe(value: number, attributes?: Record<string, string>): void }) => void): void;
}

/** Registers the system's instruments with an OpenTelemetry meter (default: the global
 * meter of GoAkt's scope, from @opentelemetry/api). */
export function instrumentMetrics(system: ActorSystem, meter?: MeterLike): ObservableLike[];

export function cronNext(expr: string, after: Date, options?: CronOptions): Date | null;
export class SuspendedError extends AktError {}

/** One handled message (akt_span). Ids are lowercase hex; times are ns since the epoch. */
export interface Span {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | null;
  readonly flags: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly actorPath: string;
  readonly messageType: string;
  readonly status: number;
}
export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: number;
}
/** Tracing: traceparent values and a span sink (akt/telemetry.h). */
export declare const tracing: {
  readonly HEADER: 'traceparent';
  readonly SAMPLED: 1;
  setTraceSink(system: ActorSystem, fn: ((span: Span) => void) | null): void;
  traceInvalidCount(system: ActorSystem): number;
  parseTraceparent(value: string): TraceContext | null;
  formatTraceparent(ctx: TraceContext): string;
  /** Records one akt span with an OpenTelemetry tracer (@opentelemetry/api). */
  recordSpan(tracer: unknown, span: Span, api?: unknown): void;
  /** A sink for setTraceSink recording every span with tracer. */
  otelSink(tracer: unknown, api?: unknown): (span: Span) => void;
  /** An OpenTelemetry SDK id generator keeping akt's ids for the spans recordSpan starts. */
  idGenerator(others?: { generateTraceId(): string; generateSpanId(): string }):
    { generateTraceId(): string; generateSpanId(): string };
};

/* otlp begin: the OTLP/HTTP exporter (akt_otlp_*) */
export interface OtlpOptions {
  endpoint: string;
  headers?: Record<string, string> | string[];
  serviceName?: string | null;
  traces?: boolean;
  metrics?: boolean;
  batchSize?: number;
  queueCapacity?: number;
  flushIntervalMs?: number;
  timeoutMs?: number;
  maxRetries?: number;
}
export interface OtlpStats {
  readonly spansQueued: number;
  readonly spansExported: number;
  readonly spansDropped: number;
  readonly spansDroppedFull: number;
  readonly pointsExported: number;
  readonly pointsDropped: number;
  readonly requests: number;
  readonly requestsFailed: number;
  readonly retries: number;
  readonly queueSize: number;
  readonly lastHttpStatus: number;
}
/** Export over OTLP/HTTP with protobuf, by akt's own exporter thread. */
export declare const otlp: {
  start(system: ActorSystem, options: OtlpOptions): void;
  flush(system: ActorSystem, options?: { timeoutMs?: number }): Promise<boolean>;
  stats(system: ActorSystem): OtlpStats;
};
/* otlp end */

declare const akt: {
  ActorSystem: typeof ActorSystem;
  Actor: typeof Actor;
  Pid: typeof Pid;
  Topic: typeof Topic;
  Router: typeof Router;
  Grain: typeof Grain;
  Context: typeof Context;
  Message: typeof Message;
  Terminated: typeof Terminated;
  registerType: typeof registerType;
  validateCron: typeof validateCron;
  cronNext: typeof cronNext;
  instrumentMetrics: typeof instrumentMetrics;
  tracing: typeof tracing;
  otlp: typeof otlp;
  CronSyntaxError: typeof CronSyntaxError;
  version: string;
  AktError: typeof AktError;
  InvalidArgumentError: typeof InvalidArgumentError;
  OutOfMemoryError: typeof OutOfMemoryError;
  NotFoundError: typeof NotFoundError;
  StoppedError: typeof StoppedError;
  SuspendedError: typeof SuspendedError;
  TimeoutError: typeof TimeoutError;
  CanceledError: typeof CanceledError;
  ExistsError: typeof ExistsError;
  MailboxFullError: typeof MailboxFullError;
  MisuseError: typeof MisuseError;
  ClosedError: typeof ClosedError;
  UnhandledError: typeof UnhandledError;
  ActorFailedError: typeof ActorFailedError;
  AgainError: typeof AgainError;
  NotSupportedError: typeof NotSupportedError;
  MessageTypeError: typeof MessageTypeError;
  DeadlockError: typeof DeadlockError;
  BufferRangeError: typeof BufferRangeError;
  BusyError: typeof BusyError;
  UnreachableError: typeof UnreachableError;
  ProtocolError: typeof ProtocolError;
  Source: typeof Source;
  Sink: typeof Sink;
  Stream: typeof Stream;
  Flow: typeof Flow;
  CircuitBreaker: typeof CircuitBreaker;
  ManualClock: typeof ManualClock;
  BreakerOpenError: typeof BreakerOpenError;
};
export default akt;

/** 'off' and 'allowAll': other messages are handled meanwhile (an A -> B -> A cycle
 *  completes); 'stash': user messages wait, in order, until the last stash request answered. */
export type Reentrancy = 'off' | 'allowAll' | 'stash';
/** A request's continuation: runs on the requester's turn with a live context. */
export type RequestThen<R = unknown> = (ctx: Context, reply: R | undefined, error: Error | null) => void;
export interface RequestOptions {
  /** ms; none by default (TimeoutError after it). */
  timeout?: number;
  /** Per call; default: the actor's. */
  reentrancy?: Reentrancy;
  type?: string;
}

/** TLS settings of ActorSystem.remoteStart (paths to PEM files). */
export interface RemoteTlsOptions {
  cert: string;
  key: string;
  ca?: string;
  peerName?: string;
  requireClientCert?: boolean;
}

// ---- reactive streams (lib/stream.cjs) --------------------------------------------------

export type Overflow = 'backpressure' | 'drop_head' | 'drop_tail' | 'fail';
export type OnError = 'fail' | 'resume' | 'retry';

/** Counts of one stage of a stream. */
export interface StageMetrics {
  name: string;
  elementsIn: number;
  elementsOut: number;
  /** Resumed errors and buffer overflow. */
  drops: number;
  /** Failed calls (each retry counts). */
  errors: number;
  /** The index of the actor that runs it (fusion shares them). */
  actor: number;
}

/** Where a stream ends; R is what Stream.result() gives. */
export class Sink<T = unknown, R = unknown> {
  private constructor();
  static collect<T>(): Sink<T, T[]>;
  static fold<T, A>(seed: A, fn: (acc: A, x: T) => A): Sink<T, A>;
  static first<T>(): Sink<T, T | undefined>;
  static forEach<T>(fn: (x: T) => unknown): Sink<T, undefined>;
  static ignore<T>(): Sink<T, undefined>;
  /** Every element to every sink (the slowest one paces the stream); their results, in order. */
  static broadcast<T>(...sinks: Sink<T, unknown>[]): Sink<T, unknown[]>;
  /** Each element to one sink that has demand, taking them in turn. */
  static balance<T>(...sinks: Sink<T, unknown>[]): Sink<T, unknown[]>;
  /** Each element x to sinks[fn(x)] (an index out of range fails the stream). */
  static partition<T>(fn: (x: T) => number, ...sinks: Sink<T, unknown>[]): Sink<T, unknown[]>;
}

/** Flows without a source; `to(sink)` makes a Sink of them (a fan-out's branch). */
export class Flow<I = unknown, T = I> {
  constructor();
  map<U>(fn: (x: T) => U): Flow<I, U>;
  filter(fn: (x: T) => unknown): Flow<I, T>;
  flatMap<U>(fn: (x: T) => Iterable<U>): Flow<I, U>;
  scan<A>(seed: A, fn: (acc: A, x: T) => A): Flow<I, A>;
  dedup(): Flow<I, T>;
  buffer(size: number, overflow?: Overflow): Flow<I, T>;
  throttle(n: number, perMs: number): Flow<I, T>;
  batch(n: number, maxWaitMs: number): Flow<I, T[]>;
  batch<U>(n: number, maxWaitMs: number, fn: (xs: T[]) => U): Flow<I, U>;
  named(name: string): Flow<I, T>;
  onError(strategy: OnError, retries?: number): Flow<I, T>;
  window(n: number): Flow<I, T>;
  fusion(on: boolean): Flow<I, T>;
  to<R>(sink: Sink<T, R>): Sink<I, R>;
}

/** An immutable, reusable stream description: a source and the flows after it. */
export class Source<T = unknown> {
  private constructor();
  /** start, start + step, ... up to end excluded (integers; BigInt beyond 2^53). */
  static range(start: number | bigint, end: number | bigint, step?: number | bigint): Source<number>;
  static of<T>(...values: T[]): Source<T>;
  /** tick every intervalMs, the first after initialDelayMs, on the system's timer; dropped
   *  (counted) while downstream has no demand. Endless. */
  static tick<T>(initialDelayMs: number, intervalMs: number, tick: T): Source<T>;
  /** fn(state) gives [nextState, element], or undefined to end. */
  static unfold<S, T>(seed: S, fn: (state: S) => [S, T] | undefined | null): Source<T>;
  static fromIterable<T>(iterable: Iterable<T>): Source<T>;
  /** The elements of all the sources as they come (each one's order kept). */
  static merge<T>(...sources: Source<T>[]): Source<T>;
  /** Every element of the first source, then of the second, ... */
  static concat<T>(...sources: Source<T>[]): Source<T>;
  /** One element of each source, combined by a last function argument (default: an array);
   *  ends with the shortest. */
  static zip(...sources: Array<Source<unknown> | ((...xs: any[]) => unknown)>): Source<unknown>;
  map<U>(fn: (x: T) => U): Source<U>;
  filter(fn: (x: T) => unknown): Source<T>;
  flatMap<U>(fn: (x: T) => Iterable<U>): Source<U>;
  scan<A>(seed: A, fn: (acc: A, x: T) => A): Source<A>;
  /** Drops an element equal to the one before it (same type and canonical bytes). */
  dedup(): Source<T>;
  buffer(size: number, overflow?: Overflow): Source<T>;
  /** At most n elements per perMs milliseconds; the rest wait (nothing is dropped). */
  throttle(n: number, perMs: number): Source<T>;
  /** Up to n elements at a time as one (fn(xs), default the array): when n are there, when
   *  the first one waited maxWaitMs, or at the end. */
  batch(n: number, maxWaitMs: number): Source<T[]>;
  batch<U>(n: number, maxWaitMs: number, fn: (xs: T[]) => U): Source<U>;
  /** Names the last stage (metrics, failure reasons). */
  named(name: string): Source<T>;
  /** The last stage's error strategy; retries: the budget of 'retry'. */
  onError(strategy: OnError, retries?: number): Source<T>;
  /** The credit window of every actor (default 16). */
  window(n: number): Source<T>;
  fusion(on: boolean): Source<T>;
  runWith<R>(sink: Sink<T, R>, system: ActorSystem): Stream<R>;
}

/** A running stream. Its stages run on the JS thread as the system's actors. */
export class Stream<R = unknown> {
  private constructor();
  /** The sink's result; rejects with how it failed (the stage's exception as `cause`,
   *  `reason` "stage <i> (<name>): ..."), CanceledError after cancel(). */
  result(): Promise<R>;
  cancel(): void;
  /** Stops the source; what is in flight reaches the sink, then it completes. */
  drain(): void;
  metrics(): StageMetrics[];
  readonly actors: number;
  /** Releases the handle (a running stream is canceled). */
  close(): void;
}

/** A circuit breaker refused a call (open, or half-open with every trial taken). */
export class BreakerOpenError extends BusyError {}

/** A fake clock for breakers: time moves only with advance(ms). */
export class ManualClock {
  constructor(startMs?: number);
  advance(ms: number): void;
  readonly now: number;
}

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface BreakerOptions {
  /** (0, 1]; default 0.5 */
  failureRate?: number;
  /** default 10 */
  minRequests?: number;
  /** ms; default 30000 */
  openTimeout?: number;
  /** ms; default 60000 */
  window?: number;
  /** 1..64; default 12 */
  windowBuckets?: number;
  /** default 1 */
  halfOpenMaxCalls?: number;
  clock?: ManualClock | null;
}

export interface BreakerMetrics {
  state: BreakerState;
  successes: number;
  failures: number;
  failureRate: number;
  rejected: number;
}

/** Closed / open / half-open over a sliding window; call(fn) rejects with BreakerOpenError
 *  (fn not called) while open. */
export class CircuitBreaker {
  constructor(opts?: BreakerOptions);
  call<T>(fn: () => T | Promise<T>): Promise<T>;
  allow(): void;
  record(success: boolean): void;
  readonly state: BreakerState;
  metrics(): BreakerMetrics;
}
