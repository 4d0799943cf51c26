/**
 * akt/testkit (testkit/index.mjs): probes for testing JS actors with node:test or any runner.
 * A TestProbe is an actor that keeps what it receives; each expectation resolves with the
 * message or rejects with a ProbeError saying what it expected and what came.
 *
 * @module akt/testkit
 */
import type { ActorSystem, Pid } from 'akt';

/** An expectation of a TestProbe that did not hold; its message says what came instead. */
export declare class ProbeError extends Error {
  /** Always 'ERR_AKT_PROBE', as Node's own errors carry a code. */
  readonly code: 'ERR_AKT_PROBE';
}

/**
 * An actor that keeps what it receives, in arrival order, for the test to expect. One
 * expectation at a time: a second one while another waits rejects with ProbeError.
 */
export declare class TestProbe {
  /** Spawns the probe's actor in system; opts.name names it (anonymous by default). */
  constructor(system: ActorSystem, opts?: { name?: string });
  /** The system the probe's actor runs in. */
  readonly system: ActorSystem;
  /** The probe's actor: the pid the actors under test reply or tell to. */
  readonly pid: Pid;
  /** The next message, within opts.within ms (default 3000); ProbeError if none came. */
  expectMessage<T = unknown>(opts?: { within?: number }): Promise<T>;
  /** The next message (within opts.within ms, default 3000), which must be an instance of cls. */
  expectMessageOf<T>(cls: abstract new (...args: any[]) => T, opts?: { within?: number }): Promise<T>;
  /** The next message (within opts.within ms, default 3000), for which predicate must be true. */
  expectMatch<T = unknown>(predicate: (msg: unknown) => boolean, opts?: { within?: number }): Promise<T>;
  /** Resolves if no message comes for opts.for ms (default 100); ProbeError with the one that came. */
  expectNoMessage(opts?: { for?: number }): Promise<void>;
  /** Watches pid and expects its Terminated within opts.within ms (default 3000); at once if it is gone. */
  expectTerminated(pid: Pid, opts?: { within?: number }): Promise<void>;
  /** Stops the probe's actor. */
  stop(): void;
}

/** The part of node:test's TestContext that testSystem uses. */
export interface AfterHook {
  /** Registers fn to run once the test ended. */
  after(fn: () => unknown): void;
}

/**
 * A system for one test: created now (name default 'test', opts as ActorSystem.create's,
 * logger null unless given), shut down when the test ends (t.after).
 */
export declare function testSystem(t: AfterHook, name?: string, opts?: object): Promise<ActorSystem>;
/** Runs fn(system) with a system of its own, shut down afterwards whatever happens; resolves with fn's result. */
export declare function withTestSystem<R>(fn: (system: ActorSystem) => Promise<R> | R, name?: string,
  opts?: object): Promise<R>;
