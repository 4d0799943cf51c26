// Types of akt/testkit (testkit/index.mjs).
import type { ActorSystem, Pid } from 'akt';

export declare class ProbeError extends Error {
  readonly code: 'ERR_AKT_PROBE';
}

export declare class TestProbe {
  constructor(system: ActorSystem, opts?: { name?: string });
  readonly system: ActorSystem;
  readonly pid: Pid;
  expectMessage<T = unknown>(opts?: { within?: number }): Promise<T>;
  expectMessageOf<T>(cls: abstract new (...args: any[]) => T, opts?: { within?: number }): Promise<T>;
  expectMatch<T = unknown>(predicate: (msg: unknown) => boolean, opts?: { within?: number }): Promise<T>;
  expectNoMessage(opts?: { for?: number }): Promise<void>;
  expectTerminated(pid: Pid, opts?: { within?: number }): Promise<void>;
  stop(): void;
}

/** The part of node:test's TestContext that testSystem uses. */
export interface AfterHook { after(fn: () => unknown): void }

export declare function testSystem(t: AfterHook, name?: string, opts?: object): Promise<ActorSystem>;
export declare function withTestSystem<R>(fn: (system: ActorSystem) => Promise<R> | R, name?: string,
  opts?: object): Promise<R>;
