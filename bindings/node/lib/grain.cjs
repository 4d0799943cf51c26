'use strict';
// Grains: virtual actors addressed by kind and name (see README, Grains). A kind's factory
// makes the JS actor of each activation, on this thread, when the grain's first message
// arrives; an idle activation deactivates (its postStop runs) and the next message makes a
// fresh one. akt keeps at most one activation per grain.

const native = require('./addon.cjs');
const { kick } = require('./pump.cjs');
const { Message } = require('./types.cjs');
const { makeError, errnos } = require('./errors.cjs');
const { kHandle } = require('./internal.cjs');
const { grainCell, mailboxOf, reentrancyOf } = require('./actor.cjs');

const DEFAULT_DEACTIVATE_AFTER_MS = 120000; // GoAkt's 2 minutes

// kindId -> { system, make(name) }; the addon's kinds name their factory by index.
const kinds = [];

native.grainHook((kindId, name) => {
  const k = kinds[kindId];
  return k ? grainCell(k.system, () => k.make(name), `${k.kind}/${name}`) : -1;
});

// An Actor class gets `new Cls(name)`; any other function is called as factory(name).
function makerOf(factory) {
  if (typeof factory !== 'function')
    throw makeError(errnos.InvalidArgumentError, 'a grain factory must be an Actor class or a function');
  if (factory.prototype && typeof factory.prototype.receive === 'function') return (name) => new factory(name);
  return (name) => factory(name);
}

function grainMailboxOf(mb) {
  if (mb === undefined || mb === null) return undefined;
  if (typeof mb !== 'object' || (mb.kind !== undefined && mb.kind !== 'fifo' && mb.kind !== 'bounded'))
    throw makeError(errnos.InvalidArgumentError, "a grain's mailbox is a FIFO: { capacity, whenFull: 'fail' }");
  if (mb.whenFull !== undefined && mb.whenFull !== 'fail')
    throw makeError(errnos.InvalidArgumentError, "a grain's full mailbox refuses: whenFull 'fail' (a grain never drops what it accepted)");
  return mailboxOf(mb);
}

// Dependencies (an object of name -> value, checked as registerGrain's) as the arrays the
// native side takes: names, and values boxed (every value an object it can reference).
function depsOf(deps) {
  if (deps === undefined || deps === null) deps = {};
  if (typeof deps !== 'object' || Array.isArray(deps))
    throw makeError(errnos.InvalidArgumentError, 'dependencies must be an object of name -> value');
  const names = Object.keys(deps);
  if (names.some((n) => n.length === 0 || n.length > 255))
    throw makeError(errnos.InvalidArgumentError, 'a dependency name is 1..255 characters');
  return [names, names.map((n) => ({ value: deps[n] }))];
}

// local begin: options per activation (system.grain(kind, name, opts)): [afterMs | -1,
// mailbox | undefined, reentrancy | -1, maxInFlight | -1, dependencies | undefined] for
// grainSend, -1 and undefined meaning the kind's; undefined when none is given. The
// dependencies are handed to the native side once, here (grainDeps): the system keeps
// their references for its life and every send of the handle passes the same set.
function activationOf(system, opts) {
  if (opts === undefined || opts === null) return undefined;
  if (typeof opts !== 'object')
    throw makeError(errnos.InvalidArgumentError, 'grain options are an object { deactivateAfter, mailbox, reentrancy, maxInFlight, dependencies }');
  const [depNames, depValues] = depsOf(opts.dependencies);
  let after = opts.deactivateAfter;
  if (after === null || after === Infinity) after = 0;
  if (after !== undefined && (typeof after !== 'number' || !(after >= 0)))
    throw makeError(errnos.InvalidArgumentError, 'deactivateAfter must be a number of ms >= 0 (0: never)');
  const reentrancy = opts.reentrancy === undefined ? -1 : reentrancyOf(opts.reentrancy);
  const maxInFlight = opts.maxInFlight;
  if (maxInFlight !== undefined && (!Number.isInteger(maxInFlight) || maxInFlight < 0 || maxInFlight > 0x7fffffff))
    throw makeError(errnos.InvalidArgumentError, `maxInFlight must be an integer >= 0, not ${String(maxInFlight)}`);
  const mailbox = grainMailboxOf(opts.mailbox);
  const deps = depNames.length ? native.grainDeps(system[kHandle], depNames, depValues) : undefined;
  return [after === undefined ? -1 : after, mailbox, reentrancy,
    maxInFlight === undefined ? -1 : maxInFlight, deps];
}
// local end

function registerGrain(system, kind, factory, opts = {}) {
  if (typeof kind !== 'string' || kind.length === 0 || kind.includes('/'))
    throw makeError(errnos.InvalidArgumentError, 'a grain kind is a non-empty string without "/"');
  const make = makerOf(factory);
  let after = opts.deactivateAfter === undefined ? DEFAULT_DEACTIVATE_AFTER_MS : opts.deactivateAfter;
  if (after === null || after === Infinity) after = 0;
  if (typeof after !== 'number' || !(after >= 0))
    throw makeError(errnos.InvalidArgumentError, 'deactivateAfter must be a number of ms >= 0 (0: never)');
  // The kind's options, as spawn takes them: a FIFO mailbox with a capacity (a full grain
  // refuses: MailboxFullError, the message is not sent), dependencies, reentrancy.
  const mailbox = grainMailboxOf(opts.mailbox);
  const [depNames, depValues] = depsOf(opts.dependencies); // boxed, as for spawn
  const reentrancy = reentrancyOf(opts.reentrancy);
  const maxInFlight = opts.maxInFlight === undefined ? 0 : opts.maxInFlight;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 0 || maxInFlight > 0x7fffffff)
    throw makeError(errnos.InvalidArgumentError, `maxInFlight must be an integer >= 0, not ${String(maxInFlight)}`);
  const kindId = kinds.length;
  kinds.push({ system, kind, make });
  try {
    native.grainRegister(system[kHandle], kind, kindId, after, mailbox, depNames, depValues,
      reentrancy, maxInFlight);
  } catch (e) {
    kinds[kindId] = undefined;
    throw e;
  }
  jsKindsOf(system).add(kind);
}

// system -> the kinds JS registered there: a send to any other kind (a C one, or another
// binding's) goes to activations that read bytes, so grainSend judges its value (issue 17).
const jsKinds = new WeakMap();
function jsKindsOf(system) {
  let set = jsKinds.get(system);
  if (set === undefined) jsKinds.set(system, set = new Set());
  return set;
}

// A grain kind whose activations are C actors from a shared library: the factory of
// spawnNative, called with the grain's name as its arg.
function registerNativeGrain(system, library, symbol, kind, opts = {}) {
  if (typeof kind !== 'string' || kind.length === 0 || kind.includes('/'))
    throw makeError(errnos.InvalidArgumentError, 'a grain kind is a non-empty string without "/"');
  if (typeof library !== 'string' || typeof symbol !== 'string')
    throw makeError(errnos.InvalidArgumentError, 'library and symbol are strings');
  if (opts === null || typeof opts !== 'object')
    throw makeError(errnos.InvalidArgumentError, 'options are an object { deactivateAfter }');
  let after = opts.deactivateAfter === undefined ? DEFAULT_DEACTIVATE_AFTER_MS : opts.deactivateAfter;
  if (after === null || after === Infinity) after = 0;
  if (typeof after !== 'number' || !(after >= 0))
    throw makeError(errnos.InvalidArgumentError, 'deactivateAfter must be a number of ms >= 0 (0: never)');
  native.registerNativeGrain(system[kHandle], library, symbol, kind, after);
}

class Grain {
  #system;

  #act;

  constructor(system, kind, name, opts) {
    if (typeof kind !== 'string' || typeof name !== 'string')
      throw makeError(errnos.InvalidArgumentError, 'a grain kind and name must be strings');
    this.#act = activationOf(system, opts);
    this.#system = system;
    this.kind = kind;
    this.name = name;
    Object.freeze(this);
  }

  /** `kind/name`. */
  get identity() { return `${this.kind}/${this.name}`; }

  /** Sends msg, activating the grain if needed; the calling actor, if any, is the sender. */
  tell(msg, opts) {
    const h = this.#system[kHandle];
    const foreign = !jsKindsOf(this.#system).has(this.kind);
    if (msg instanceof Message) native.grainSend(h, this.kind, this.name, msg.data, msg.type, false, 0, false, this.#act, foreign);
    else native.grainSend(h, this.kind, this.name, msg, opts === undefined ? undefined : opts.type, false, 0, false, this.#act, foreign);
    kick();
  }

  /**
   * Asks, activating the grain if needed; resolves with the reply. opts: { timeout } in ms
   * (default 5000), { signal } an AbortSignal that cancels the ask, { type }.
   */
  ask(msg, opts) {
    let timeout, type, signal;
    if (opts !== undefined) ({ timeout, type, signal } = opts);
    if (msg instanceof Message) {
      type = msg.type;
      msg = msg.data;
    }
    const cancellable = signal !== undefined && signal !== null;
    if (cancellable && signal.aborted) return Promise.reject(makeError(errnos.CanceledError));
    const r = native.grainSend(this.#system[kHandle], this.kind, this.name, msg, type, true, timeout,
      cancellable, this.#act, !jsKindsOf(this.#system).has(this.kind));
    kick();
    if (!cancellable) return r;
    const [p, handle] = r;
    const onAbort = () => native.cancel(handle);
    signal.addEventListener('abort', onAbort, { once: true });
    return p.finally(() => signal.removeEventListener('abort', onAbort));
  }

  toString() { return `Grain(${this.identity})`; }
}

module.exports = { Grain, registerGrain, registerNativeGrain, DEFAULT_DEACTIVATE_AFTER_MS };
