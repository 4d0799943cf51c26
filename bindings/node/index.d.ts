// Type declarations of the `akt` package (ESM and CommonJS entry points export the same).
// Self-contained: no `@types/node` needed (nor the DOM lib). Where Node's own types exist
// they are used (Buffer), else the structural types below stand in.

/**
 * akt for Node.js: actors in JavaScript and TypeScript on akt, the C actor runtime. JS
 * actors run on the JS thread, fed in batches by akt; C actors and other languages' actors
 * of the same system or of remote nodes are reached through the same Pid.
 *
 * @module akt
 */

/** Node's Buffer when its types are loaded (`@types/node`), else Uint8Array (a Buffer is one). */
export type BufferLike = typeof globalThis extends {
  /** Node's Buffer constructor, when @types/node declares it. */
  Buffer: {
    /** What a Buffer instance is: the type BufferLike stands for. */
    prototype: infer B;
  };
} ? B : Uint8Array;

/** What ask reads of an AbortSignal (a real AbortSignal fits). */
export interface AbortSignalLike {
  /** True once the signal was aborted: the ask rejects at once with CanceledError. */
  readonly aborted: boolean;
  /** Called with 'abort' to cancel the ask when the signal aborts. */
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  /** Called with 'abort' once the ask settled. */
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
  /** Adds listener for event (as on). */
  addListener(event: string | symbol, listener: (...args: any[]) => void): this;
  /** Adds listener for event; returns this. */
  on(event: string | symbol, listener: (...args: any[]) => void): this;
  /** Adds listener for the next event only. */
  once(event: string | symbol, listener: (...args: any[]) => void): this;
  /** Removes listener (as removeListener). */
  off(event: string | symbol, listener: (...args: any[]) => void): this;
  /** Removes the last-added registration of listener for event. */
  removeListener(event: string | symbol, listener: (...args: any[]) => void): this;
  /** Removes every listener of event, or of every event when omitted. */
  removeAllListeners(event?: string | symbol): this;
  /** Calls the listeners of event with args, synchronously; true if there were any. */
  emit(event: string | symbol, ...args: any[]): boolean;
  /** The number of listeners of event. */
  listenerCount(event: string | symbol): number;
  /** A copy of the listeners of event. */
  listeners(event: string | symbol): Function[];
  /** The events that have listeners. */
  eventNames(): Array<string | symbol>;
  /** Sets the count of listeners per event above which Node warns of a leak (0: no limit). */
  setMaxListeners(n: number): this;
  /** The count set by setMaxListeners (default 10). */
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

/**
 * An actor's address: a value bound to its system.
 *
 * Typed: `Pid<M>` is the address of an actor that accepts messages of type M, and the
 * compiler refuses a tell or ask of anything else to it. A bare `Pid` is `Pid<unknown>`
 * and takes every message, as before; spawning an `Actor<M>` subclass (or a receive
 * function whose `msg` is declared M) returns a `Pid<M>`, and an annotation or a cast
 * (`system.lookup('orders') as Pid<OrderCmd> | null`) types any other pid. A typed pid is
 * accepted wherever a `Pid` is. Typing only: at run time every pid is the same class and
 * akt checks no message against M.
 */
export class Pid<M = unknown> {
  private constructor();
  /** The system that issued this pid; it addresses the actor only there. */
  readonly system: ActorSystem;
  /** The 64-bit id: opaque, unique within its system (compare it, never decode it). */
  readonly id: bigint;
  /** e.g. "akt://demo/user/counter"; throws NotFoundError once the actor is gone. */
  readonly path: string;
  /** True while the actor is alive (akt_pid_is_alive); false for ever once it stopped. */
  readonly alive: boolean;
  /** This actor's metrics; throws NotFoundError once it stopped. */
  metrics(): ActorMetrics;
  /**
   * Sends msg to the actor, with the calling actor (if any) as sender. Throws NotFoundError if
   * the actor is gone, MailboxFullError if its bounded mailbox refuses, SuspendedError while
   * it is suspended.
   */
  tell(msg: M, opts?: TellOptions): void;
  /**
   * Sends msg and resolves with the reply (typed R: the caller's word, not checked).
   * Rejects with TimeoutError after opts.timeout ms (default 5000), CanceledError when
   * opts.signal aborts, UnhandledError or ActorFailedError when the receiver did not handle
   * it or failed, NotFoundError if the actor is gone.
   */
  ask<R = unknown>(msg: M, opts?: AskOptions): Promise<R>;
  /** Sends msgs in order as one operation: all are taken or none (the error is thrown). */
  tellBatch(msgs: readonly M[], opts?: SendOptions): void;
  /** Asks msgs in order as one operation; one promise per message. */
  askBatch<R = unknown>(msgs: readonly M[], opts?: { timeout?: number; type?: string }): Promise<R>[];
  /**
   * Stops the actor now (children first, then postStop); its queued messages become dead
   * letters. Asynchronous.
   */
  stop(): void;
  /** Sends a poison pill: the actor handles what is queued before it, then stops. */
  poison(): void;
  /** Resumes an actor suspended by its supervisor (a remote pid: on its node);
   *  asynchronous, a no-op otherwise. */
  reinstate(): void;
  /**
   * A poison pill, resolved once the actor stopped; after opts.timeout ms it rejects with
   * TimeoutError and stops the actor at once.
   */
  stopGracefully(opts?: { timeout?: number }): Promise<void>;
  /** True if other is a Pid of the same actor incarnation in the same system. */
  equals(other: unknown): boolean;
  /** The actor's path, or `Pid(<id>)` once it is gone. */
  toString(): string;
}

/** A typed message: an akt type name plus bytes (what C actors send and read). */
export class Message {
  constructor(type: string, data?: string | Uint8Array);
  /** The akt type name, e.g. "shop.OrderPlaced". */
  readonly type: string;
  /** The payload: UTF-8 text or bytes. */
  readonly data: string | Uint8Array;
  /** The payload as UTF-8 text. */
  readonly text: string;
}

/** Delivered to a watcher when a watched actor stopped. */
export class Terminated {
  /** The actor that stopped. */
  readonly pid: Pid;
}

/**
 * A receive function (for become): called with the actor as `this`, the context and the
 * message's value.
 */
export type Receive<A = any> = (this: A, ctx: Context, msg: any) => void;

/** The context of one actor callback; valid only during that callback. */
export class Context {
  private constructor();
  /** This actor's pid. */
  readonly self: Pid;
  /** The system the actor runs in. */
  readonly system: ActorSystem;
  /** The sender of the current message; null when it came from outside any actor. */
  readonly sender: Pid | null;
  /** The actor's parent (for a top-level actor the /user guardian); null if it has none. */
  readonly parent: Pid | null;
  /** The akt type name of the current message. */
  readonly messageType: string;
  /** The id of the current message's registered type (ActorSystem.registerType); 0 for a
   *  type name nobody registered. */
  readonly typeId: number;
  /** True if someone waits for a reply (an asker, or a sender actor). */
  readonly replyExpected: boolean;
  /** Replies; a dead letter when nobody waits for it (see replyExpected). */
  respond(msg: unknown, opts?: TellOptions): void;
  /** PipeTo: task's result told to opts.to (default self) or opts.name with this actor as
   *  sender; a rejection, a timeout (ms) or a gone target is a dead letter; an open
   *  opts.breaker throws BreakerOpenError and task is not called. */
  pipeTo(task: (() => unknown) | Promise<unknown>,
         opts?: { to?: Pid; name?: string; timeout?: number; breaker?: CircuitBreaker }): void;
  /** Sends msg to `to` with this actor as sender (see Pid.tell); a `Pid<M>` takes only M. */
  tell<M = unknown>(to: Pid<M>, msg: MessageOf<M>, opts?: TellOptions): void;
  /** The headers of the current message (a new object; {} when it has none). */
  readonly headers: Record<string, string>;
  /** An extension given to the system (SystemOptions.extensions); NotFoundError if none. */
  extension<T = unknown>(name: string): T;
  /**
   * Asks `to` with this actor as sender and resolves with the reply (see Pid.ask). Awaiting it
   * inside receive holds the actor's turn; Context.request does not.
   */
  ask<R = unknown, M = unknown>(to: Pid<M>, msg: MessageOf<M>, opts?: AskOptions): Promise<R>;
  /** Asks without blocking the actor; the answer comes back on this actor's own turn (see
   *  RequestOptions). Returns a Promise unless opts.then is given. `to` is a Pid or a name
   *  (GoAkt's RequestName): any path ActorSystem.lookup reads ("orders", "parent/child",
   *  "/user/orders", "akt://<system>/user/orders"), resolved when the call is made. A name no
   *  live actor has throws NotFoundError, as a dead Pid does (an empty name
   *  InvalidArgumentError); after an await in an async receive such a refusal rejects the
   *  returned promise instead. As for ask, a `Pid<M>` takes only M when R is inferred
   *  (naming R alone leaves M unknown: unchecked); a name takes any message. */
  request<R = unknown, M = unknown>(to: Pid<M>, msg: MessageOf<M>, opts?: RequestOptions & { then?: undefined }): Promise<R>;
  request<R = unknown, M = unknown>(to: Pid<M>, msg: MessageOf<M>, opts: RequestOptions & { then: RequestThen<R> }): void;
  request<R = unknown>(to: string, msg: unknown, opts?: RequestOptions & { then?: undefined }): Promise<R>;
  request<R = unknown>(to: string, msg: unknown, opts: RequestOptions & { then: RequestThen<R> }): void;
  /** Cancels a request still in flight (the promise request() returned): it rejects with
   *  CanceledError on a later turn unless the answer came first; true while it was in flight. */
  cancelRequest(request: Promise<unknown>): boolean;
  /** Forwards the current message to `to`, keeping its original sender and asker. */
  forward(to: Pid): void;
  /**
   * Marks the current message unhandled: an 'unhandled' event, and an asker rejects with
   * UnhandledError.
   */
  unhandled(): void;
  /**
   * Spawns a child actor (path <self>/<name>), on the JS thread like its parent; returns its
   * pid. ExistsError if the name is taken.
   */
  spawn<M = any>(actor: ActorSpec<M>, opts?: SpawnOptions): Pid<M>;
  /** Stops self (default) or one of self's children. */
  stop(pid?: Pid): void;
  /**
   * Replaces the receive handler with receive (the actor stays `this`); with opts.stacked it
   * pushes receive instead (undone by unbecomeStacked).
   */
  become(receive: Receive, opts?: { stacked?: boolean }): void;
  /** Back to the actor's own receive, dropping every handler become set. */
  unbecome(): void;
  /** Pops the handler become({ stacked: true }) pushed last; MisuseError if none is stacked. */
  unbecomeStacked(): void;
  /** Keeps the current message for later (see unstash, unstashAll) instead of finishing it. */
  stash(): void;
  /** false when the stash was empty. */
  unstash(): boolean;
  /** Puts every stashed message back in front of the mailbox, in their order. */
  unstashAll(): void;
  /**
   * Death watch: a Terminated message for pid arrives when it stops (at once if it is gone).
   */
  watch(pid: Pid): void;
  /** Ends a watch of pid; NotFoundError if this actor does not watch it. */
  unwatch(pid: Pid): void;
  /**
   * A dependency given at spawn (SpawnOptions.dependencies, GrainOptions.dependencies);
   * NotFoundError if there is none.
   */
  dependency<T = unknown>(name: string): T;
}

/**
 * Base class of JS actors. `Actor<M>` declares what it accepts: spawning it returns a
 * `Pid<M>` (a bare `Actor` is `Actor<any>`, as before). Typing only: akt still delivers
 * whatever reaches the actor (Terminated, messages from other languages), so receive
 * should still answer the unexpected with ctx.unhandled().
 */
export class Actor<M = any> {
  /**
   * Called once before the first message of each incarnation (start, restart); a throw fails
   * the start.
   */
  preStart(ctx: Context): void;
  /** May be async: akt keeps the message until the promise settles (by default no other
   *  message starts meanwhile); after an await the context's actions run on the actor's
   *  turn, and a rejection is a failure for the supervisor. */
  receive(ctx: Context, msg: M): void | Promise<void>;
  /** Called once when the incarnation ends (stop, restart), after its children stopped. */
  postStop(ctx: Context): void;
}

/** A message for a `Pid<M>`: M itself, in a position the compiler does not infer M from
 *  (so that Context.tell(pid, msg) checks msg against the pid's type instead of widening). */
export type MessageOf<M> = [M][M extends any ? 0 : never];

/** An Actor subclass (fresh instance per start/restart), an instance, or a receive function;
 *  M, the message type of its receive, types the pid a spawn returns. */
export type ActorSpec<M = any> =
  | (new () => {
      /** Handles one message, as Actor.receive. */
      receive(ctx: Context, msg: M): void | Promise<void>;
      /** Optional: as Actor.preStart. */
      preStart?(ctx: Context): void;
      /** Optional: as Actor.postStop. */
      postStop?(ctx: Context): void;
    })
  | {
      /** Handles one message, as Actor.receive; the same instance serves every restart. */
      receive(ctx: Context, msg: M): void | Promise<void>;
      /** Optional: as Actor.preStart. */
      preStart?(ctx: Context): void;
      /** Optional: as Actor.postStop. */
      postStop?(ctx: Context): void;
    }
  | ((ctx: Context, msg: M) => void | Promise<void>);

/** 'suspend': the child keeps its state and mailbox but handles nothing until
 * pid.reinstate(); tells and asks to it throw SuspendedError meanwhile. */
export type Directive = 'restart' | 'resume' | 'stop' | 'escalate' | 'suspend';

/** Restarts wait on akt's timer: the n-th consecutive one waits
 * min(initial * multiplier^(n-1), maximum) ms, less up to `jitter` (0..1) of it at random;
 * messages sent meanwhile are handled after it, a stop meanwhile stops the child. */
export interface BackoffOptions {
  /** The first restart's wait in ms (> 0). */
  initial: number;
  /** The longest wait in ms; default no limit. */
  maximum?: number;
  /** Default 2. */
  multiplier?: number;
  /** The share (0..1) of each wait removed at random; default 0. */
  jitter?: number;
  /** The count starts again after this many ms without a failure; default never. */
  resetAfter?: number;
}

/** A child's failure as SupervisorOptions.decide gets it. */
export interface Failure {
  /** e.g. "AKT_EFAILED" for a thrown error. */
  code: string;
  /** The code's number (negative, as the C ABI's), e.g. -12 for AKT_EFAILED. */
  errno: number;
  /** The thrown error's message. */
  reason: string | null;
}

/**
 * How a parent handles its children's failures (SpawnOptions.supervisor;
 * SystemOptions.supervisor for top-level actors).
 */
export interface SupervisorOptions {
  /** What happens to a failing child; default 'restart'. */
  directive?: Directive;
  /** Chooses per failure (children of JS actors only). */
  decide?: (failure: Failure) => Directive | undefined;
  /** 'oneForAll': a restart or stop applies to every child of the same parent (for
   * top-level actors it acts as 'oneForOne'). Default 'oneForOne'. */
  strategy?: 'oneForOne' | 'oneForAll';
  /** A child failing more than maxRetries times within `within` ms is stopped (or
   * suspended, see onRetriesExhausted); 0 = no budget. */
  maxRetries?: number;
  /** The retry window in milliseconds (> 0); required with maxRetries. */
  within?: number;
  /** What a child gets once its retry budget is spent: 'stop' (the default) or 'suspend',
   * which suspends it as the 'suspend' directive does (tells and asks throw
   * SuspendedError until it is reinstated) and clears its failure count, so that once
   * reinstated it has a fresh budget. With 'oneForAll' only that child is stopped or
   * suspended. Anything else throws InvalidArgumentError. */
  onRetriesExhausted?: 'stop' | 'suspend';
  /** Waits between consecutive restarts; default none (restart at once). */
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

/** Options of ActorSystem.spawn and Context.spawn. */
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
  /**
   * The actor's kind, the actor.kind attribute of its metrics (GoAkt's actor.kind).
   * Default: the actor's class (its constructor's name; none for a plain object); ''
   * gives none. At most 255 UTF-8 bytes (InvalidArgumentError), a string (TypeError).
   */
  kind?: string;
}

/**
 * Options of ActorSystem.remoteSpawn: the local spawn's options that are data cross to the
 * spawning node and take effect there. What cannot cross (a function) is refused on this
 * node before anything is sent, with InvalidArgumentError (code AKT_EINVAL): a supervisor's
 * `decide`, rules keyed by a class or name that is not an akt error class or an AKT_E*
 * name, a 'priority' mailbox (its compare). A wrong type throws TypeError.
 */
export interface RemoteSpawnOptions {
  /** Milliseconds to wait for the other node's answer (> 0); default 10 s. */
  timeout?: number;
  /** The same as `timeout` (the older name); give one of them. */
  timeoutMs?: number;
  /** Strategy for the actor's children, without `decide`; rules by akt error class
   *  (TimeoutError) or AKT_E* name only, which cross as their codes. */
  supervisor?: Omit<SupervisorOptions, 'decide'>;
  /** The actor's mailbox: 'fifo', 'bounded' or 'fair' (no 'priority'). */
  mailbox?: Omit<MailboxOptions, 'kind' | 'compare'> & {
    /** The mailbox kind; default 'fifo' ('priority' cannot cross). */
    kind?: 'fifo' | 'bounded' | 'fair';
  };
  /** Passivation there; default: that system's. */
  passivation?: Passivation;
  /** What the actor does while its requests are in flight (default 'off'). */
  reentrancy?: Reentrancy;
  /** The most requests in flight at once (BusyError beyond); 0 = no limit. */
  maxInFlight?: number;
}

/**
 * When an idle actor stops itself (an 'actorPassivated' event, then 'actorStopped'):
 * { idle: ms } without a message for ms, { messages: n } once n messages were handled and
 * the mailbox is empty, 'longLived' never.
 */
export type Passivation =
  | {
      /** Milliseconds without a message before the actor stops (> 0). */
      idle: number;
    }
  | {
      /** Messages handled before the actor stops, once its mailbox is empty (>= 1). */
      messages: number;
    }
  | 'longLived';

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
  /** The mailbox kind; default 'fifo' (unbounded unless capacity is given). */
  kind?: 'fifo' | 'bounded' | 'fair' | 'priority';
  /** The most user messages that wait (> 0); 0 or none: unbounded ('bounded' requires it). */
  capacity?: number;
  /** What a tell to a full mailbox does: 'fail' (default) or 'drop'. */
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
  mailbox?: {
    /** The most messages queued; a tell beyond it is refused. */
    capacity: number;
    /** What a full mailbox does: fail the tell (the only policy for grains). */
    whenFull?: 'fail';
  };
  /** The activation's request mode (akt_ctx_request): off, allowAll, or stash (user
   *  messages wait until the last request completed). */
  reentrancy?: 'off' | 'allowAll' | 'stash';
  /** The most requests in flight at once; more are refused. */
  maxInFlight?: number;
  /** Values the activation reaches with ctx.dependency(name), instead of the kind's (the
   * whole set is replaced; {} or none: the kind's). The system keeps them until it is
   * freed (akt borrows them for its life): make one Grain per grain, not one per send. */
  dependencies?: Record<string, unknown>;
}
/** A context propagator object (SystemOptions.propagator). */
export interface Propagator {
  /** Given the headers of the message being handled, returns the headers to add to the
   *  message being sent (a header the sender set itself wins), or nothing. */
  inject(headers: Record<string, string>): Record<string, string | Uint8Array> | undefined | void;
}
/* local end */

/** Options of ActorSystem.create. */
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
  logger?: {
    /** Called with the line above and the error (its stack included). */
    error(message: string, ...args: unknown[]): void;
  } | null | false;
  /**
   * What a rejected ask's stack adds after `--- asked at ---`: true (default) the awaiting
   * async functions, found when it rejects (free for asks that succeed); 'call' every frame
   * of the call, captured at the call (~2-4 us per ask); false nothing.
   */
  callSites?: boolean | 'call';
}

/**
 * The kinds of events of a system's event stream, as ActorSystem.subscribe and on() take them.
 */
export type EventKind =
  | 'actorStarted' | 'actorStopped' | 'actorRestarted' | 'deadLetter' | 'unhandled' | 'actorFailed'
  | 'actorSuspended' | 'actorReinstated' | 'actorPassivated';

/** An event of the event stream (akt_event): what happened to which actor. */
export interface AktEvent {
  /** What happened. */
  kind: EventKind;
  /** The actor concerned (the intended receiver of a dead letter). */
  pid: Pid;
  /** Its path, or null when unknown. */
  path: string | null;
  /** 'deadLetter' and 'unhandled': the message's sender; else null. */
  sender: Pid | null;
  /** 'deadLetter' and 'unhandled': the message's value; else null. */
  message: unknown;
  /** 'actorFailed' and 'actorSuspended': the failure's code (e.g. "AKT_EFAILED"); else null. */
  code: string | null;
  /**
   * Why: a failure's reason, or why a message is a dead letter (e.g. "mailbox full"); null if
   * none was given.
   */
  reason: string | null;
}

/** A subscription to the event stream (ActorSystem.subscribe). */
export interface Subscription {
  /** Ends the subscription; fn is not called afterwards. Calling it again does nothing. */
  unsubscribe(): void;
}

/** Options common to scheduleOnce, scheduleEvery and scheduleCron. */
export interface ScheduleOptions {
  /** Unique among the system's schedules; default a random UUID. */
  reference?: string;
  /** The fires' sender (ctx.sender of the receiver); default none. */
  sender?: Pid | null;
  /** The message's type name, as for Pid.tell. */
  type?: string;
}
/** Options of ActorSystem.scheduleOnce. */
export interface ScheduleOnceOptions extends ScheduleOptions {
  /** Milliseconds before the one fire; default 0. */
  delayMs?: number;
}
/** Options of ActorSystem.scheduleEvery. */
export interface ScheduleEveryOptions extends ScheduleOptions {
  /** Milliseconds between two fires (> 0). */
  intervalMs: number;
  /** Milliseconds before the first fire; default one interval. */
  initialDelayMs?: number;
}
/** Options of ActorSystem.scheduleCron. */
export interface ScheduleCronOptions extends ScheduleOptions {
  /** Fire in UTC rather than the process's local time zone; default false. */
  utc?: boolean;
}
/** A schedule that has not ended, as ActorSystem.schedules lists it. */
export interface ScheduleInfo {
  /**
   * The schedule's reference (the one scheduleOnce, scheduleEvery or scheduleCron returned).
   */
  readonly reference: string;
  /** The actor its messages go to. */
  readonly target: Pid;
  /** The sender its messages are told with; null for none. */
  readonly sender: Pid | null;
  /** The function that made it: scheduleOnce, scheduleEvery or scheduleCron. */
  readonly kind: 'once' | 'every' | 'cron';
  /** True while paused (pauseSchedule). */
  readonly paused: boolean;
  /** For 'every': the interval in ms; else null. */
  readonly intervalMs: number | null;
  /** The cron expression, for 'cron'; else null. */
  readonly expression: string | null;
  /** For 'cron': fires in UTC. */
  readonly utc: boolean;
}

/**
 * An actor system: its actors, akt's worker and timer threads, its event stream. JS actors run
 * on the JS thread; create one with `await ActorSystem.create(name)` and end it with
 * shutdown(). Emits the EventKind events to listeners (on, once, off).
 */
export class ActorSystem extends AktEventEmitter {
  private constructor();
  /**
   * Creates and starts a system named name (default "akt"; letters, digits, '-', '_', '.'):
   * akt's threads run when it resolves. InvalidArgumentError for bad options.
   */
  static create(name?: string, opts?: SystemOptions): Promise<ActorSystem>;
  /** The name given to create. */
  readonly name: string;
  /** True once shutdown() was called (spawns then throw ClosedError). */
  readonly closed: boolean;
  /**
   * Spawns a top-level JS actor (path /user/<name>) and returns its pid. From plain JS code it
   * returns once preStart has run (a preStart that throws stops the actor); inside an actor's
   * callback it returns at once. ExistsError if the name is taken, ClosedError during
   * shutdown. The pid is typed by the actor: spawning an `Actor<Cmd>` subclass gives a
   * `Pid<Cmd>` (see Pid).
   */
  spawn<M = any>(actor: ActorSpec<M>, opts?: SpawnOptions): Pid<M>;
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
    /** Frames larger than this go as chunks of at most it (default 64 KiB; 256..maxFrameBytes). */
    chunkBytes?: number;
    /** A larger message is refused here: a dead letter with the reason, its ask rejects with
     *  InvalidArgumentError (default 64 MiB; maxFrameBytes..1 GiB). */
    maxMessageBytes?: number;
    /** Bytes queued per connection before tells throw MailboxFullError (default 64 MiB;
     *  at least 65536). */
    sendBufferBytes?: number;
    /** Pids kept for remote senders (default 10000); past it the least recently seen one
     *  nothing watches is stopped. */
    maxReverseProxies?: number;
  }): string;
  /** Spawns an actor of `kind` (registered on that node with registerGrain) named `name`
   *  on the node at `address` ("akt://<name>@<host>:<port>"), with the options that cross
   *  (supervisor, mailbox, passivation, reentrancy, maxInFlight, timeout: see
   *  RemoteSpawnOptions). Rejects with ExistsError, NotFoundError (no such kind),
   *  UnreachableError or TimeoutError; with InvalidArgumentError for options that cannot
   *  cross (refused here) or that the other node refuses, nothing spawned either way; with
   *  TypeError for a wrong type. Watch, stop, poison and reinstate work on the pid as on a
   *  local one (reinstate: on its node). */
  remoteSpawn(address: string, kind: string, name: string,
    opts?: RemoteSpawnOptions | null): Promise<Pid>;
  /** This node's address; NotFoundError before remoteStart. */
  remoteAddress(): string;
  /** The connections TLS closed on this node and why the last one was ("" if none);
   *  NotFoundError before remoteStart. */
  remoteTlsFailures(): {
    /** Connections TLS closed on this node since remoteStart. */
    count: number;
    /** Why the last one was closed; "" if none was. */
    reason: string;
  };
  /** The pid of "akt://<name>@<host>:<port>/user/<path>": tell and ask work as on a local
   *  pid; an unknown actor fails the ask with NotFoundError, a lost node with
   *  UnreachableError. */
  remoteLookup(address: string): Pid;
  /** Messages of type (null: the default) cross to other nodes with the serializer name
   *  ("json", "cbor", "protobuf" or a registered one); null unbinds. */
  bindSerializer(type: string | null, name: string | null): void;
  /** The serializer messages of type cross with, or null. */
  serializerFor(type: string): string | null;
  /** Interns a message type (a name, or a class by its static `aktType`) and returns its id
   *  (1..4095, the same in every language of the process); messages of that name carry the
   *  interned type and a receive can branch on ctx.typeId. */
  registerType(nameOrClass: string | { aktType: string }): number;
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
  /**
   * Calls fn for each event of the given kinds, on the JS thread, until unsubscribe();
   * InvalidArgumentError for an unknown kind.
   */
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
  /** Pauses a schedule; it keeps its reference. ScheduleNotFoundError if unknown. */
  pauseSchedule(reference: string): void;
  /** Resumes a paused schedule at its next tick still to come. ScheduleNotFoundError if
   *  unknown. */
  resumeSchedule(reference: string): void;
  /** Ends a schedule; none of its fires is delivered once this returned.
   *  ScheduleNotFoundError if unknown. */
  cancelSchedule(reference: string): void;
  /** The schedules that have not ended, in creation order. */
  schedules(): ScheduleInfo[];
  /** The system's metrics (akt/telemetry.h). */
  metrics(): SystemMetrics;
  /** The metrics of every live actor, with its path. */
  actorMetrics(): Array<ActorMetrics & {
    /** The actor's path, e.g. "akt://demo/user/counter". */
    path: string;
  }>;
  /** Every data point as OpenTelemetry sees it (GoAkt's instrument names). */
  collectMetrics(): MetricPoint[];
  /** Per-actor instruments without attributes, summed over actors. */
  setLowCardinalityMetrics(on?: boolean): void;
  /** Registers a grain kind (virtual actors): each activation is `new factory(name)` for
   * an Actor class, else `factory(name)`, run on the JS thread. ExistsError if the
   * kind exists. */
  registerGrain(kind: string, factory: GrainFactory, opts?: GrainOptions): void;
  /** Registers a grain kind whose activations are C actors from a shared library: the
   * factory of spawnNative, called with the grain's name as `arg`, on akt's worker
   * threads. A value sent to such a grain needs bytes (a string, bytes, a number, a
   * boolean, null, a JSON-able object): one without them is refused at the send
   * (NotSupportedError), as for a C actor's pid. NotFoundError if the library or symbol is
   * missing, ExistsError if the kind exists. */
  registerNativeGrain(library: string, symbol: string, kind: string,
    opts?: { deactivateAfter?: number | null }): void;
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
  /**
   * Adds listener for the events of one kind (the event stream is subscribed to on demand);
   * returns this.
   */
  on(event: EventKind, listener: (ev: AktEvent) => void): this;
  /** Adds listener for the next event of one kind only. */
  once(event: EventKind, listener: (ev: AktEvent) => void): this;
  /** Removes listener of one kind of event. */
  off(event: EventKind, listener: (ev: AktEvent) => void): this;
  /** Shuts the system down, for `await using system = await ActorSystem.create()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A topic of one system: subscribers are actors of any language; one that stops leaves by
 * itself. What one thread does takes effect in order: a publish after subscribe() on the
 * same thread reaches the new subscriber without awaiting it.
 */
export class Topic {
  private constructor();
  /** The topic's name. */
  readonly name: string;
  /** Sends msg to every current subscriber (as for a receiver of another runtime: its
   * canonical bytes); a topic without subscribers drops it. */
  publish(msg: unknown, opts?: SendOptions): void;
  /** Resolves with the subscriber count once the subscription is in effect. */
  subscribe(pid: Pid, opts?: { timeout?: number }): Promise<number>;
  /** Ends pid's subscription; resolves with the subscriber count after it. */
  unsubscribe(pid: Pid, opts?: { timeout?: number }): Promise<number>;
  /** Resolves with the number of subscribers, once what was queued before took effect. */
  count(opts?: { timeout?: number }): Promise<number>;
  /** Calls fn for each message, in order, on the JS thread; close() ends it. */
  onMessage(fn: (msg: any) => void): TopicSubscription;
}

/**
 * Makes a grain's activation from its name: an Actor class (`new factory(name)`) or a function
 * returning an Actor.
 */
export type GrainFactory = (new (name: string) => Actor) | ((name: string) => Actor);

/** Options of ActorSystem.registerGrain. */
export interface GrainOptions {
  /** Idle ms before an activation deactivates: default 120000; 0 or null: never. */
  deactivateAfter?: number | null;
  /** Every activation's mailbox: a FIFO with a capacity; a full grain refuses the tell or
   * ask (MailboxFullError, the message is not sent). */
  mailbox?: {
    /** 'fifo' or 'bounded': a FIFO either way, bounded by capacity. */
    kind?: 'fifo' | 'bounded';
    /** The most messages waiting per activation (> 0). */
    capacity: number;
    /** Only 'fail' (MailboxFullError): a grain refuses rather than drops. */
    whenFull?: 'fail';
  };
  /** Values every activation reaches with ctx.dependency(name). */
  dependencies?: Record<string, unknown>;
  /** Reentrancy of ctx.request in an activation, and its most requests in flight. */
  reentrancy?: 'off' | 'allowAll' | 'stash';
  /** The most requests in flight at once per activation (BusyError beyond); 0 = no limit. */
  maxInFlight?: number;
}

/** A grain of a system: addressed by kind and name, activated by its first message. */
export class Grain {
  private constructor();
  /** The grain's kind (registerGrain). */
  readonly kind: string;
  /** The grain's name within its kind. */
  readonly name: string;
  /** `kind/name`. */
  readonly identity: string;
  /**
   * Sends msg, activating the grain if needed; the calling actor, if any, is the sender.
   * MailboxFullError if its bounded mailbox is full.
   */
  tell(msg: unknown, opts?: SendOptions): void;
  /**
   * Asks, activating the grain if needed, and resolves with the reply; rejects as Pid.ask
   * does.
   */
  ask<R = unknown>(msg: unknown, opts?: AskOptions): Promise<R>;
}

/** A function subscribed to a topic (Topic.onMessage). */
export interface TopicSubscription {
  /** The pid of the small actor that calls fn. */
  readonly pid: Pid;
  /** Ends the subscription (stops its actor); fn is not called for later messages. */
  close(): void;
}

/**
 * How a router picks its routees: round-robin (default), at random, all of them (broadcast),
 * by the message's key (consistentHash), the first answer of all (scatterGatherFirst), or one
 * after another until one answers (tailChopping).
 */
export type RoutingStrategy =
  | 'roundRobin' | 'random' | 'broadcast' | 'consistentHash'
  | 'scatterGatherFirst' | 'tailChopping';

/** Options of ActorSystem.spawnRouter: a group (routees) or a pool (actor and size). */
export interface RouterOptions {
  /** Existing actors to route to (a group). */
  routees?: Pid[];
  /** Or a pool: `size` actors made from this class or factory, the router's children
   *  (routee-0, ...), on this thread; `resize` changes their number at run time. */
  actor?: (new () => Actor) | (() => Actor);
  /** The pool's number of routees (1..65536). */
  size?: number;
  /** How messages are routed; default 'roundRobin'. */
  strategy?: RoutingStrategy;
  /** The router's name (unique among top-level actors); anonymous when omitted. */
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
  /**
   * onFailure 'restart': the most restarts of a routee within retryWithin ms before it is
   * stopped; 0 = no budget.
   */
  maxRetries?: number;
  /** onFailure 'restart': the window of maxRetries, in ms. */
  retryWithin?: number;
}

/** A router actor's handle: tell/ask route, broadcast reaches every routee. */
export class Router {
  /** The router's own pid (watch it, stop it). */
  readonly pid: Pid;
  /** Sends msg to the routee(s) the strategy picks. */
  tell(msg: unknown, opts?: { type?: string }): void;
  /**
   * Asks through the router and resolves with the reply (the first one for scatterGatherFirst
   * and tailChopping); rejects as Pid.ask does.
   */
  ask<T = unknown>(msg: unknown, opts?: { timeout?: number; type?: string; signal?: AbortSignalLike }): Promise<T>;
  /** Sends msg to every routee, whatever the strategy. */
  broadcast(msg: unknown): void;
  /** The live routees, in routing order. */
  routees(): Pid[];
  /** A pool router's new size; NotSupportedError for a group. */
  resize(size: number): void;
  /** Stops the router and its pool routees (a group's routees keep running). */
  stop(): void;
  /** True while the router actor is alive. */
  readonly alive: boolean;
}

/** Registers how messages of a type name arriving as bytes become JS values: `decoder` is
 *  `decode(buf)`, or an object with a `decode` method. Nothing is interned (that is
 *  {@link ActorSystem.registerType}). */
export function registerDecoder(type: string,
  decoder: ((buf: BufferLike) => unknown) | { decode: (buf: BufferLike) => unknown }): void;

/** Registers how messages of a type name arriving as bytes become JS values.
 *  @deprecated The name clashed with {@link ActorSystem.registerType}, which interns a
 *  type: use {@link registerDecoder}. This alias still works (one DeprecationWarning, code
 *  `AKT_DEP_REGISTER_TYPE`) and throws a TypeError when called without a codec. */
export function registerType(type: string, codec: { decode: (buf: BufferLike) => unknown }): void;

/** The id of a registered message type name (ActorSystem.registerType), 0 if it was never
 *  registered. */
export function typeId(name: string): number;

/** The version of libakt loaded, "major.minor.patch". */
export const version: string;

/** Every failure: `code` is the akt name (e.g. "AKT_ENOTFOUND"), `errno` its number. */
export class AktError extends Error {
  /** The akt name of the code, e.g. "AKT_ENOTFOUND". */
  readonly code: string;
  /** The code's number, negative, as the C ABI returns it (e.g. -3 for AKT_ENOTFOUND). */
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
  /** The expression that did not parse. */
  readonly expression: string;
}

/** No schedule has this reference (pause, resume or cancel). */
export class ScheduleNotFoundError extends NotFoundError {
  /** The reference no schedule has. */
  readonly reference: string;
}

/** Another schedule has the reference given to scheduleOnce / scheduleEvery / scheduleCron. */
export class ScheduleExistsError extends ExistsError {
  /** The reference another schedule already has. */
  readonly reference: string;
}

/** Options of cronNext. */
export interface CronOptions {
  /** Read the expression's wall-clock times in UTC instead of the local time zone. */
  utc?: boolean;
}

/** Throws CronSyntaxError unless expr is a valid cron expression (Quartz syntax, 6 or 7
 *  fields with seconds, `? L W #`). */
export function validateCron(expr: string): void;
/** A system's metrics; uptime in seconds. */
export interface SystemMetrics {
  /** Live actors, the guardian (/user) aside. */
  actorsAlive: number;
  /** Actors spawned since creation. */
  actorsSpawned: number;
  /** Actors stopped since creation. */
  actorsStopped: number;
  /** Restarts of any actor. */
  restarts: number;
  /** Failures of any actor (receive or preStart). */
  failures: number;
  /** Accepted messages that could not be delivered. */
  deadLetters: number;
  /** Messages a receive did not handle. */
  unhandled: number;
  /** Seconds since the system was created. */
  uptime: number;
  /** Grain activations now (actorsystem.grains.count). */
  grains: number;
  /** Remote connections open now, handshake done, either direction (actorsystem.peers.count). */
  peers: number;
  /** Actors passivated since creation, of every kind (actor.passivated.count, per actor.kind). */
  passivated: number;
  /** Schedules made since creation (scheduler.scheduled.count). */
  scheduled: number;
  /** Schedules ended by cancelSchedule (scheduler.cancelled.count). */
  cancelled: number;
}

/** One actor's metrics, of its current incarnation; durations in seconds. */
export interface ActorMetrics {
  /** Messages that reached receive (handled, unhandled or failed). */
  processed: number;
  /** Restarts by its supervisor. */
  restarts: number;
  /** Failures of receive or preStart. */
  failures: number;
  /** Messages it did not handle. */
  unhandled: number;
  /** Messages waiting in its mailbox now. */
  mailboxSize: number;
  /** Messages in its stash now. */
  stashSize: number;
  /** Its live children. */
  children: number;
  /** Seconds its last receive took. */
  lastProcessingDuration: number;
  /** Seconds since this incarnation started. */
  uptime: number;
  /** Messages to this incarnation that went to dead letters (actor.deadletters.count). */
  deadLetters: number;
  /** Its reinstates after a suspension (actor.reinstate.count). */
  reinstates: number;
  /** Its kind (SpawnOptions.kind, by default its class name); null without one. */
  kind: string | null;
}

/** One OpenTelemetry data point. */
export interface MetricPoint {
  /** The instrument, e.g. "actor.processed.count". */
  name: string;
  /** A monotonic sum ('counter') or a value at the time of reading ('gauge'). */
  kind: 'counter' | 'gauge';
  /** UCUM unit: "1", "s", "ms". */
  unit: string;
  /** One line about the instrument. */
  description: string;
  /**
   * Per-actor instruments: actor.system, actor.name, actor.address and, for an actor with
   * a kind, actor.kind; {} for system instruments. Under setLowCardinalityMetrics one point
   * per kind ({ 'actor.kind' } only; actors without a kind as {}). actor.passivated.count:
   * one point per kind, and {} for actors without one.
   */
  attributes: Record<string, string>;
  /** The reading: the sum so far, or the current value. */
  value: number;
}

/** The subset of an @opentelemetry/api Meter that instrumentMetrics uses. */
export interface MeterLike {
  /** Makes an observable counter named name (a monotonic sum). */
  createObservableCounter(name: string, options?: { unit?: string; description?: string }): ObservableLike;
  /** Makes an observable gauge named name. */
  createObservableGauge(name: string, options?: { unit?: string; description?: string }): ObservableLike;
}
/** The subset of an @opentelemetry/api observable instrument that instrumentMetrics uses. */
export interface ObservableLike {
  /** Registers cb, called at each collection to observe the instrument's values. */
  addCallback(cb: (result: { observe(value: number, attributes?: Record<string, string>): void }) => void): void;
}

/** Registers the system's instruments with an OpenTelemetry meter (default: the global
 * meter of GoAkt's scope, from @opentelemetry/api). Throws TypeError for a system that is
 * not an ActorSystem or a meter without the observable instrument factories. */
export function instrumentMetrics(system: ActorSystem, meter?: MeterLike): ObservableLike[];

/**
 * The first fire time of expr strictly after `after` (whole seconds), or null if it never
 * fires again. A local time skipped by DST fires at the end of the gap; a repeated one fires
 * once, at its first occurrence. Throws CronSyntaxError on a bad expression.
 */
export function cronNext(expr: string, after: Date, options?: CronOptions): Date | null;
export class SuspendedError extends AktError {}

/** One handled message (akt_span). Ids are lowercase hex; times are ns since the epoch. */
export interface Span {
  /** "receive <message type>". */
  readonly name: string;
  /** Its trace (32 hex digits): the parent's, or a new one for a root span. */
  readonly traceId: string;
  /** This span's id (16 hex digits). */
  readonly spanId: string;
  /** The parent span (the sender's, from the message's traceparent); null for a root span. */
  readonly parentId: string | null;
  /** The trace's flags (tracing.SAMPLED). */
  readonly flags: number;
  /** When receive started, ns since the Unix epoch. */
  readonly startNs: bigint;
  /** When receive returned, ns since the Unix epoch. */
  readonly endNs: bigint;
  /** The handling actor's path, e.g. "akt://sys/user/a". */
  readonly actorPath: string;
  /** The akt type name of the handled message. */
  readonly messageType: string;
  /** What receive returned: 0, or an akt error number. */
  readonly status: number;
}
/** A W3C trace context: what a traceparent header carries; ids in lowercase hex. */
export interface TraceContext {
  /** The trace id, 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** The parent span's id, 16 lowercase hex digits, not all zero. */
  spanId: string;
  /** The trace flags (tracing.SAMPLED and bits of later versions). */
  flags: number;
}
/** Tracing: traceparent values and a span sink (akt/telemetry.h). */
export declare const tracing: {
  /** The header that carries a traceparent from sender to receiver. */
  readonly HEADER: 'traceparent';
  /** The sampled bit of the trace flags. */
  readonly SAMPLED: 1;
  /**
   * Sets the function every finished span of system goes to, on the JS thread (null: none,
   * tracing off).
   */
  setTraceSink(system: ActorSystem, fn: ((span: Span) => void) | null): void;
  /**
   * How many messages of system had a traceparent header that did not parse (ignored: their
   * span is a root).
   */
  traceInvalidCount(system: ActorSystem): number;
  /**
   * The trace context of a traceparent value, or null if it does not parse (strictly, as W3C
   * says).
   */
  parseTraceparent(value: string): TraceContext | null;
  /** The version 00 traceparent of ctx; throws InvalidArgumentError for bad ids. */
  formatTraceparent(ctx: TraceContext): string;
  /** Records one akt span with an OpenTelemetry tracer (@opentelemetry/api). */
  recordSpan(tracer: unknown, span: Span, api?: unknown): void;
  /** A sink for setTraceSink recording every span with tracer. */
  otelSink(tracer: unknown, api?: unknown): (span: Span) => void;
  /** An OpenTelemetry SDK id generator keeping akt's ids for the spans recordSpan starts. */
  idGenerator(others?: { generateTraceId(): string; generateSpanId(): string }): {
    /** The trace id of the span recordSpan is starting, else one from others. */
    generateTraceId(): string;
    /** The span id of the span recordSpan is starting, else one from others. */
    generateSpanId(): string;
  };
};

/* otlp begin: the OTLP/HTTP exporter (akt_otlp_*) */
/** Options of otlp.start (akt_otlp_options); times in ms, defaults as in akt/telemetry.h. */
export interface OtlpOptions {
  /** The collector's base URL (http:// or https://), e.g. "http://127.0.0.1:4318". */
  endpoint: string;
  /** Sent with each request: { name: value }, or lines "Name: value". */
  headers?: Record<string, string> | string[];
  /** The resource's service.name; default "akt". */
  serviceName?: string | null;
  /** Export spans; default true. */
  traces?: boolean;
  /** Export metric readings; default true. */
  metrics?: boolean;
  /** Spans per request: 1..65536, default 512. */
  batchSize?: number;
  /** Spans waiting at most (beyond: dropped, counted): batchSize..1048576, default 2048. */
  queueCapacity?: number;
  /**
   * The longest wait before a batch is sent, and the metric reading period: 10..3600000,
   * default 1000.
   */
  flushIntervalMs?: number;
  /** Per request: 1..600000, default 5000. */
  timeoutMs?: number;
  /** Retries of a failed request (no connection, timeout, 429, 502-504): 0..10, default 2. */
  maxRetries?: number;
}
/** What the OTLP exporter did since it started (akt_otlp_stats), from otlp.stats. */
export interface OtlpStats {
  /** Spans taken into the queue. */
  readonly spansQueued: number;
  /** Spans of accepted requests. */
  readonly spansExported: number;
  /** Spans dropped: the queue was full, or their request failed for good. */
  readonly spansDropped: number;
  /** Of spansDropped: the queue was full. */
  readonly spansDroppedFull: number;
  /** Metric data points of accepted requests. */
  readonly pointsExported: number;
  /** Metric data points of requests that failed for good. */
  readonly pointsDropped: number;
  /** Requests attempted (a retry is one more). */
  readonly requests: number;
  /** Attempts that failed (transport error or non-2xx). */
  readonly requestsFailed: number;
  /** Attempts that were retries. */
  readonly retries: number;
  /** Spans waiting now. */
  readonly queueSize: number;
  /** The HTTP status of the last attempt; 0 if no answer came. */
  readonly lastHttpStatus: number;
}
/** Export over OTLP/HTTP with protobuf, by akt's own exporter thread. */
export declare const otlp: {
  /**
   * Starts the OTLP exporter of system (akt_otlp_start). InvalidArgumentError for bad options,
   * ExistsError if it has one.
   */
  start(system: ActorSystem, options: OtlpOptions): void;
  /**
   * Sends what is queued and a metric reading now: resolves true if every request of that
   * round was accepted, false if one failed (see stats); rejects with TimeoutError after
   * options.timeoutMs.
   */
  flush(system: ActorSystem, options?: { timeoutMs?: number }): Promise<boolean>;
  /** The exporter's counters; NotFoundError if system has no exporter. */
  stats(system: ActorSystem): OtlpStats;
};
/* otlp end */

/**
 * The default export: every named export of the package under its name (`import akt from
 * 'akt'`, or CommonJS `require('akt')`).
 */
declare const akt: {
  /** The named export {@link ActorSystem}. */
  ActorSystem: typeof ActorSystem;
  /** The named export {@link Actor}. */
  Actor: typeof Actor;
  /** The named export {@link Pid}. */
  Pid: typeof Pid;
  /** The named export {@link Topic}. */
  Topic: typeof Topic;
  /** The named export {@link Router}. */
  Router: typeof Router;
  /** The named export {@link Grain}. */
  Grain: typeof Grain;
  /** The named export {@link Context}. */
  Context: typeof Context;
  /** The named export {@link Message}. */
  Message: typeof Message;
  /** The named export {@link Terminated}. */
  Terminated: typeof Terminated;
  /** The named export {@link registerDecoder}. */
  registerDecoder: typeof registerDecoder;
  /** The named export {@link registerType} (deprecated: {@link registerDecoder}). */
  registerType: typeof registerType;
  /** The named export {@link typeId}. */
  typeId: typeof typeId;
  /** The named export {@link validateCron}. */
  validateCron: typeof validateCron;
  /** The named export {@link cronNext}. */
  cronNext: typeof cronNext;
  /** The named export {@link instrumentMetrics}. */
  instrumentMetrics: typeof instrumentMetrics;
  /** The named export {@link tracing}. */
  tracing: typeof tracing;
  /** The named export {@link otlp}. */
  otlp: typeof otlp;
  /** The named export {@link CronSyntaxError}. */
  CronSyntaxError: typeof CronSyntaxError;
  /** The named export {@link ScheduleNotFoundError}. */
  ScheduleNotFoundError: typeof ScheduleNotFoundError;
  /** The named export {@link ScheduleExistsError}. */
  ScheduleExistsError: typeof ScheduleExistsError;
  /** The named export {@link version}. */
  version: string;
  /** The named export {@link AktError}. */
  AktError: typeof AktError;
  /** The named export {@link InvalidArgumentError}. */
  InvalidArgumentError: typeof InvalidArgumentError;
  /** The named export {@link OutOfMemoryError}. */
  OutOfMemoryError: typeof OutOfMemoryError;
  /** The named export {@link NotFoundError}. */
  NotFoundError: typeof NotFoundError;
  /** The named export {@link StoppedError}. */
  StoppedError: typeof StoppedError;
  /** The named export {@link SuspendedError}. */
  SuspendedError: typeof SuspendedError;
  /** The named export {@link TimeoutError}. */
  TimeoutError: typeof TimeoutError;
  /** The named export {@link CanceledError}. */
  CanceledError: typeof CanceledError;
  /** The named export {@link ExistsError}. */
  ExistsError: typeof ExistsError;
  /** The named export {@link MailboxFullError}. */
  MailboxFullError: typeof MailboxFullError;
  /** The named export {@link MisuseError}. */
  MisuseError: typeof MisuseError;
  /** The named export {@link ClosedError}. */
  ClosedError: typeof ClosedError;
  /** The named export {@link UnhandledError}. */
  UnhandledError: typeof UnhandledError;
  /** The named export {@link ActorFailedError}. */
  ActorFailedError: typeof ActorFailedError;
  /** The named export {@link AgainError}. */
  AgainError: typeof AgainError;
  /** The named export {@link NotSupportedError}. */
  NotSupportedError: typeof NotSupportedError;
  /** The named export {@link MessageTypeError}. */
  MessageTypeError: typeof MessageTypeError;
  /** The named export {@link DeadlockError}. */
  DeadlockError: typeof DeadlockError;
  /** The named export {@link BufferRangeError}. */
  BufferRangeError: typeof BufferRangeError;
  /** The named export {@link BusyError}. */
  BusyError: typeof BusyError;
  /** The named export {@link UnreachableError}. */
  UnreachableError: typeof UnreachableError;
  /** The named export {@link ProtocolError}. */
  ProtocolError: typeof ProtocolError;
  /** The named export {@link Source}. */
  Source: typeof Source;
  /** The named export {@link Sink}. */
  Sink: typeof Sink;
  /** The named export {@link Stream}. */
  Stream: typeof Stream;
  /** The named export {@link SourceRef}. */
  SourceRef: typeof SourceRef;
  /** The named export {@link STREAM_ACK}. */
  STREAM_ACK: typeof STREAM_ACK;
  /** The named export {@link STREAM_END}. */
  STREAM_END: typeof STREAM_END;
  /** The named export {@link STREAM_CLOSED}. */
  STREAM_CLOSED: typeof STREAM_CLOSED;
  /** The named export {@link Flow}. */
  Flow: typeof Flow;
  /** The named export {@link CircuitBreaker}. */
  CircuitBreaker: typeof CircuitBreaker;
  /** The named export {@link ManualClock}. */
  ManualClock: typeof ManualClock;
  /** The named export {@link BreakerOpenError}. */
  BreakerOpenError: typeof BreakerOpenError;
};
export default akt;

/** 'off' and 'allowAll': other messages are handled meanwhile (an A -> B -> A cycle
 *  completes); 'stash': user messages wait, in order, until the last stash request answered. */
export type Reentrancy = 'off' | 'allowAll' | 'stash';
/** A request's continuation: runs on the requester's turn with a live context. */
export type RequestThen<R = unknown> = (ctx: Context, reply: R | undefined, error: Error | null) => void;
/** Options of Context.request. */
export interface RequestOptions {
  /** ms; none by default (TimeoutError after it). */
  timeout?: number;
  /** Per call; default: the actor's. */
  reentrancy?: Reentrancy;
  /** The akt type name of the request message, as for Pid.tell. */
  type?: string;
}

/** TLS settings of ActorSystem.remoteStart (paths to PEM files). */
export interface RemoteTlsOptions {
  /** Path of this node's certificate (chain), PEM. */
  cert: string;
  /** Path of its private key, PEM. */
  key: string;
  /** Path of the CAs peers' certificates must chain to; default the system's CAs. */
  ca?: string;
  /** The name outbound peers' certificates must have; default the host connected to. */
  peerName?: string;
  /** Mutual TLS: inbound peers without a valid certificate are refused; default false. */
  requireClientCert?: boolean;
}

// ---- reactive streams (lib/stream.cjs) --------------------------------------------------

/**
 * What a full buffer stage does: hold upstream back ('backpressure', nothing lost), drop its
 * oldest element ('drop_head'), drop the arriving one ('drop_tail'), or fail the stream with
 * MailboxFullError ('fail').
 */
export type Overflow = 'backpressure' | 'drop_head' | 'drop_tail' | 'fail';
/**
 * A stage's error strategy when its function throws: fail the stream ('fail', the default),
 * drop the element ('resume'), or call again up to a budget, then fail ('retry').
 */
export type OnError = 'fail' | 'resume' | 'retry';

/** Counts of one stage of a stream. */
export interface StageMetrics {
  /** The stage's name (named()), by default its kind ("map", "range", ...). */
  name: string;
  /** Elements it received (a source: 0). */
  elementsIn: number;
  /** Elements it passed downstream (a sink: 0). */
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
  /** Every element, in order: the result is their array. */
  static collect<T>(): Sink<T, T[]>;
  /**
   * fn(acc, x) over the elements from seed: the result is the last accumulator (seed for an
   * empty stream).
   */
  static fold<T, A>(seed: A, fn: (acc: A, x: T) => A): Sink<T, A>;
  /**
   * The first element (undefined for an empty stream); the stream completes once it arrives.
   */
  static first<T>(): Sink<T, T | undefined>;
  /** Calls fn(x) for each element, in order; no result. */
  static forEach<T>(fn: (x: T) => unknown): Sink<T, undefined>;
  /** Consumes the elements; no result (a stream run for its effects). */
  static ignore<T>(): Sink<T, undefined>;
  /** Every element to every sink (the slowest one paces the stream); their results, in order. */
  static broadcast<T>(...sinks: Sink<T, unknown>[]): Sink<T, unknown[]>;
  /** Each element to one sink that has demand, taking them in turn. */
  static balance<T>(...sinks: Sink<T, unknown>[]): Sink<T, unknown[]>;
  /** Each element x to sinks[fn(x)] (an index out of range fails the stream). */
  static partition<T>(fn: (x: T) => number, ...sinks: Sink<T, unknown>[]): Sink<T, unknown[]>;
  /** Each element to the actor pid, which acknowledges it with ctx.respond(anything): the
   *  acknowledgements are the demand (at most inFlight, default 1, unacknowledged);
   *  onComplete is told to it after the last was acknowledged. */
  static actor<T>(pid: Pid, opts?: { inFlight?: number; onComplete?: unknown }): Sink<T, undefined>;
  // pid may be remote: elements (serializable values) and acks cross the wire, at most
  // inFlight unacknowledged; onComplete: STREAM_END feeds another stream's Source.actorRef.
  /**
   * Writes each element to a Node Writable, one at a time: when write() returns false the
   * next waits for 'drain', so the Writable's highWaterMark bounds what it buffers. On
   * completion writable.end() is called (unless opts.end is false) and result() resolves once
   * it finished. An error of the Writable (or its closing early) fails the stream with it as
   * the `cause`; a failed or canceled stream destroys the Writable with the stream's error.
   */
  static toWritable<T>(writable: WritableLike, opts?: ToWritableOptions): Sink<T, undefined>;
}

/**
 * What Sink.toWritable takes: a Node Writable (stream.Writable, a Duplex, process.stdout, a
 * file stream...), described by the members it uses so that these types need no @types/node.
 */
export interface WritableLike {
  /** Buffers chunk; false once the buffer reached its highWaterMark (wait for 'drain'). */
  write(chunk: any): boolean;
  /** Ends the Writable: 'finish' once everything was flushed. */
  end(): unknown;
  /** Destroys the Writable, with error if given. */
  destroy(error?: Error): unknown;
  /** Adds an event listener ('drain', 'error', 'close', 'finish'). */
  on(event: string, listener: (...args: any[]) => void): unknown;
  /** Removes an event listener. */
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** The options of Sink.toWritable. */
export interface ToWritableOptions {
  /** Whether the Writable is ended when the stream completes (default true). */
  end?: boolean;
}

/** The options of Source.toAsyncIterable. */
export interface ToAsyncIterableOptions {
  /** How many elements (1..4096, default 16) may wait for the loop before the stream waits. */
  bufferSize?: number;
}

/**
 * The elements of a running stream for `for await`: in order, then the end, or the stream's
 * failure after the elements that reached the loop. Leaving the loop early cancels the stream.
 */
export interface StreamIterable<T> extends AsyncIterableIterator<T> {
  /** The running Stream (metrics, cancel; result() rejects with CanceledError after a break). */
  readonly stream: Stream<undefined>;
  /** Leaves the loop: cancels the stream (if still running) and waits for its end. */
  return(): Promise<IteratorResult<T, undefined>>;
}

/** Flows without a source; `to(sink)` makes a Sink of them (a fan-out's branch). */
export class Flow<I = unknown, T = I> {
  constructor();
  /** Each element x becomes fn(x). */
  map<U>(fn: (x: T) => U): Flow<I, U>;
  /** Passes the elements for which fn(x) is truthy. */
  filter(fn: (x: T) => unknown): Flow<I, T>;
  /** fn(x) gives an iterable; its items go downstream in order. */
  flatMap<U>(fn: (x: T) => Iterable<U>): Flow<I, U>;
  /**
   * fn(x) gives an inner Source; up to breadth (1..4096) run at once and their elements go
   * on as they come (in order within one inner). Completes once upstream and every inner did;
   * a failing inner fails the stream, or with onError('resume') is dropped.
   */
  flatMapMerge<U>(breadth: number, fn: (x: T) => Source<U>): Flow<I, U>;
  /** Emits each new accumulator fn(acc, x), from seed (not emitted itself). */
  scan<A>(seed: A, fn: (acc: A, x: T) => A): Flow<I, A>;
  /** Drops an element equal to the one before it (same type and canonical bytes). */
  dedup(): Flow<I, T>;
  /**
   * A stage holding up to size elements (1..1048576); overflow (default 'backpressure') says
   * what it does when full.
   */
  buffer(size: number, overflow?: Overflow): Flow<I, T>;
  /**
   * At most n elements per perMs milliseconds (1..3600000); the rest wait (nothing is
   * dropped).
   */
  throttle(n: number, perMs: number): Flow<I, T>;
  /**
   * Up to n elements at a time as one array: when n are there, when the first one waited
   * maxWaitMs, or at the end.
   */
  batch(n: number, maxWaitMs: number): Flow<I, T[]>;
  /**
   * Up to n elements at a time combined by fn(xs) into one: when n are there, when the first
   * one waited maxWaitMs, or at the end.
   */
  batch<U>(n: number, maxWaitMs: number, fn: (xs: T[]) => U): Flow<I, U>;
  /** Parallel map: fn(x) may return a Promise; at most `parallelism` are pending at once and
   *  the results leave in the order of their inputs. A rejection goes through the stage's
   *  error strategy. */
  mapAsync<U>(parallelism: number, fn: (x: T) => U | Promise<U>): Flow<I, U>;
  /** As mapAsync, the results leaving in the order they complete. */
  mapAsyncUnordered<U>(parallelism: number, fn: (x: T) => U | Promise<U>): Flow<I, U>;
  /** Names the last stage (metrics, failure reasons). */
  named(name: string): Flow<I, T>;
  /** The last stage's error strategy; retries: the budget of 'retry' (1..1000). */
  onError(strategy: OnError, retries?: number): Flow<I, T>;
  /** The credit window of every actor of these flows (1..65536, default 16). */
  window(n: number): Flow<I, T>;
  /**
   * Whether stateless stages share the actor before them (default true); results are the same.
   */
  fusion(on: boolean): Flow<I, T>;
  /** A Sink that runs these flows first, then sink (a fan-out's branch). */
  to<R>(sink: Sink<T, R>): Sink<I, R>;
}

/** An immutable, reusable stream description: a source and the flows after it. */
export class Source<T = unknown> {
  private constructor();
  /** start, start + step, ... up to end excluded (integers; BigInt beyond 2^53). */
  static range(start: number | bigint, end: number | bigint, step?: number | bigint): Source<number>;
  /** The given values, in order. */
  static of<T>(...values: T[]): Source<T>;
  /** Elements pushed with stream.offer(x): at most capacity accepted and not yet sent on
   *  (offer returns false beyond); stream.complete() ends it. */
  static queue<T>(capacity: number): Source<T>;
  /** A source reference: elements sent (ideally asked) to stream.sourcePid from any node
   *  (stream.sourceAddress with remoteLookup), each answered STREAM_ACK once it is in the
   *  buffer of capacity (1..65536, default 16); one that finds it full waits unanswered, so
   *  a producer with k asks in flight (SourceRef) is paced by the stream. STREAM_END (or
   *  stream.complete()) ends it; later elements are answered STREAM_CLOSED. The first actor
   *  that sends is watched: its stop or its node's loss before the end fails the stream. */
  static actorRef<T>(capacity?: number): Source<T>;
  /** tick every intervalMs, the first after initialDelayMs, on the system's timer; dropped
   *  (counted) while downstream has no demand. Endless. */
  static tick<T>(initialDelayMs: number, intervalMs: number, tick: T): Source<T>;
  /** fn(state) gives [nextState, element], or undefined to end. */
  static unfold<S, T>(seed: S, fn: (state: S) => [S, T] | undefined | null): Source<T>;
  /** The items of a (sync) iterable, pulled on demand. */
  static fromIterable<T>(iterable: Iterable<T>): Source<T>;
  /**
   * The items of an async iterable (a Node Readable is one; a sync iterable's items are
   * awaited, as `for await` does), pulled with next() one at a time as the stream asks, so
   * nothing is read ahead of the demand; each run takes a new iterator. A rejected next() (a
   * Readable's 'error') fails the stream with it as the `cause`; a stream that ends before the
   * iterator (canceled, failed, Sink.first) destroys the Readable or calls the iterator's
   * return(). Three stages: the demand, the pull (named from_async_iterable; named() and
   * onError() set its options) and a filter.
   */
  static fromAsyncIterable<T>(iterable: AsyncIterable<T> | Iterable<T | PromiseLike<T>>): Source<T>;
  /** The elements of all the sources as they come (each one's order kept). */
  static merge<T>(...sources: Source<T>[]): Source<T>;
  /** Every element of the first source, then of the second, ... */
  static concat<T>(...sources: Source<T>[]): Source<T>;
  /** One element of each source, combined by a last function argument (default: an array);
   *  ends with the shortest. */
  static zip(...sources: Array<Source<unknown> | ((...xs: any[]) => unknown)>): Source<unknown>;
  /** Each element x becomes fn(x). */
  map<U>(fn: (x: T) => U): Source<U>;
  /** Passes the elements for which fn(x) is truthy. */
  filter(fn: (x: T) => unknown): Source<T>;
  /** fn(x) gives an iterable; its items go downstream in order. */
  flatMap<U>(fn: (x: T) => Iterable<U>): Source<U>;
  /**
   * fn(x) gives an inner Source; up to breadth (1..4096) run at once and their elements go
   * on as they come (in order within one inner). Completes once upstream and every inner did;
   * a failing inner fails the stream, or with onError('resume') is dropped.
   */
  flatMapMerge<U>(breadth: number, fn: (x: T) => Source<U>): Source<U>;
  /** Emits each new accumulator fn(acc, x), from seed (not emitted itself). */
  scan<A>(seed: A, fn: (acc: A, x: T) => A): Source<A>;
  /** Drops an element equal to the one before it (same type and canonical bytes). */
  dedup(): Source<T>;
  /**
   * A stage holding up to size elements (1..1048576); overflow (default 'backpressure') says
   * what it does when full.
   */
  buffer(size: number, overflow?: Overflow): Source<T>;
  /** At most n elements per perMs milliseconds; the rest wait (nothing is dropped). */
  throttle(n: number, perMs: number): Source<T>;
  /** Up to n elements at a time as one (fn(xs), default the array): when n are there, when
   *  the first one waited maxWaitMs, or at the end. */
  batch(n: number, maxWaitMs: number): Source<T[]>;
  batch<U>(n: number, maxWaitMs: number, fn: (xs: T[]) => U): Source<U>;
  /** Parallel map: at most parallelism Promises pending, results in input order. */
  mapAsync<U>(parallelism: number, fn: (x: T) => U | Promise<U>): Source<U>;
  /** As mapAsync, results as they complete. */
  mapAsyncUnordered<U>(parallelism: number, fn: (x: T) => U | Promise<U>): Source<U>;
  /** Names the last stage (metrics, failure reasons). */
  named(name: string): Source<T>;
  /** The last stage's error strategy; retries: the budget of 'retry'. */
  onError(strategy: OnError, retries?: number): Source<T>;
  /** The credit window of every actor (default 16). */
  window(n: number): Source<T>;
  /**
   * Whether stateless stages share the actor before them (default true); results are the same.
   */
  fusion(on: boolean): Source<T>;
  /**
   * Starts a stream of this description ending in sink, on system; each call is an independent
   * run.
   */
  runWith<R>(sink: Sink<T, R>, system: ActorSystem): Stream<R>;
  /**
   * Starts a stream of this description on system whose elements a `for await` loop takes:
   * at most opts.bufferSize (default 16) wait for the loop, beyond that the stream waits.
   * Leaving the loop early (break, return, throw) cancels the stream; a failure is thrown from
   * the loop after the elements that reached it. Node's stream.pipeline takes it as a source.
   */
  toAsyncIterable(system: ActorSystem, opts?: ToAsyncIterableOptions): StreamIterable<T>;
}

/** A running stream. Its stages run on the JS thread as the system's actors. */
export class Stream<R = unknown> {
  private constructor();
  /** The sink's result; rejects with how it failed (the stage's exception as `cause`,
   *  `reason` "stage <i> (<name>): ..."), CanceledError after cancel(). */
  result(): Promise<R>;
  /** Aborts: the stream ends now and result() rejects with CanceledError. */
  cancel(): void;
  /** Stops the source; what is in flight reaches the sink, then it completes. */
  drain(): void;
  /** Pushes x into a Source.queue: false when it is full (offer again later). */
  offer(x: unknown): boolean;
  /**
   * Pushes x into a Source.queue, waiting for room while it is full (the queue says when):
   * resolves once accepted; rejects with StoppedError once it was completed or the stream
   * ended.
   */
  offerAsync(x: unknown): Promise<void>;
  /** Closes a Source.queue: what it accepted goes on, then it completes. */
  complete(): void;
  /** What the Source.queue holds (accepted, not yet sent on). */
  readonly queued: number;
  /** The pid of the stream's Source.actorRef (InvalidArgumentError for another source). */
  readonly sourcePid: Pid;
  /** The remote address of the stream's Source.actorRef, for remoteLookup on another node
   *  (NotFoundError without remoting, StoppedError once the stream ended). */
  readonly sourceAddress: string;
  /**
   * The counters of every stage, in the order they were added (the source first); consistent
   * once the stream ended.
   */
  metrics(): StageMetrics[];
  /** How many actors run the stream's stages (fusion shares them). */
  readonly actors: number;
  /** Releases the handle (a running stream is canceled). */
  close(): void;
}

/** What a Source.actorRef answers to an accepted element. */
export const STREAM_ACK: Message;
/** Ends a Source.actorRef (answered STREAM_ACK). */
export const STREAM_END: Message;
/** What a Source.actorRef answers to an element after its end. */
export const STREAM_CLOSED: Message;

/** A producer's end of a Source.actorRef, on any node: at most inFlight (default 4) asks
 *  unanswered; timeout per ask in ms (default 30000). */
export class SourceRef {
  constructor(pid: Pid, opts?: { inFlight?: number; timeout?: number });
  /** The source's pid: stream.sourcePid here, or remoteLookup of its sourceAddress. */
  readonly pid: Pid;
  /** The most asks unanswered at once (the producer's share of the stream's demand). */
  readonly inFlight: number;
  /** Sends x; resolves once fewer than inFlight asks are unanswered (StoppedError once the
   *  source answers STREAM_CLOSED). */
  push(x: unknown): Promise<void>;
  /** Awaits every answer. */
  flush(): Promise<void>;
  /** Awaits every answer, then ends the source with STREAM_END. */
  complete(): Promise<void>;
}

/** A circuit breaker refused a call (open, or half-open with every trial taken). */
export class BreakerOpenError extends BusyError {}

/** A fake clock for breakers: time moves only with advance(ms). */
export class ManualClock {
  constructor(startMs?: number);
  /** Moves the clock forward by ms milliseconds. */
  advance(ms: number): void;
  /** The clock's time, in ms. */
  readonly now: number;
}

/**
 * A breaker's state: calls go through ('closed'), are refused ('open'), or a few trial calls
 * are allowed ('halfOpen').
 */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** Options of new CircuitBreaker (akt_breaker_options); the defaults are GoAkt's. */
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
  /** A fake clock for tests; default null, the monotonic clock. */
  clock?: ManualClock | null;
}

/** A snapshot of a breaker: its state and its window's counts. */
export interface BreakerMetrics {
  /** The breaker's state now. */
  state: BreakerState;
  /** Successful outcomes in the window. */
  successes: number;
  /** Failed outcomes in the window. */
  failures: number;
  /** failures / (successes + failures); 0 when the window is empty. */
  failureRate: number;
  /** Calls refused (open, or half-open and full) since creation. */
  rejected: number;
}

/** Closed / open / half-open over a sliding window; call(fn) rejects with BreakerOpenError
 *  (fn not called) while open. */
export class CircuitBreaker {
  constructor(opts?: BreakerOptions);
  /**
   * Runs fn() through the breaker: resolves with its result, rejects with its error (recorded
   * as a failure) or with BreakerOpenError (fn not called).
   */
  call<T>(fn: () => T | Promise<T>): Promise<T>;
  /**
   * Asks to start a call; throws BreakerOpenError if it may not. Report its outcome with
   * record().
   */
  allow(): void;
  /** Records the outcome of a call allow() let through. */
  record(success: boolean): void;
  /** The breaker's state now. */
  readonly state: BreakerState;
  /** A snapshot of the breaker's state and window. */
  metrics(): BreakerMetrics;
}
