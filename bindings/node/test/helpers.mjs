// Shared by the tests: a system per test, and small waits that never sleep blindly.
import { ActorSystem } from 'akt';

// Failures are logged nowhere unless a test asks (test/logging.test.mjs checks the default).
export async function withSystem(fn, name = 'test', opts) {
  const system = await ActorSystem.create(name, { logger: null, ...opts });
  try {
    return await fn(system);
  } finally {
    await system.shutdown();
  }
}

/** Resolves with the first n values pushed, or rejects after ms. */
export function collector(n, ms = 5000) {
  const items = [];
  let resolve;
  const done = new Promise((r) => { resolve = r; });
  const timer = setTimeout(() => resolve(null), ms);
  return {
    items,
    push(v) {
      items.push(v);
      if (items.length === n) {
        clearTimeout(timer);
        resolve(items);
      }
    },
    async wait() {
      const r = await done;
      if (r === null) throw new Error(`waited ${ms} ms for ${n} items, got ${items.length}: ${JSON.stringify(items)}`);
      return r;
    },
  };
}
