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
const { grainCell } = require('./actor.cjs');

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

function registerGrain(system, kind, factory, opts = {}) {
  if (typeof kind !== 'string' || kind.length === 0 || kind.includes('/'))
    throw makeError(errnos.InvalidArgumentError, 'a grain kind is a non-empty string without "/"');
  const make = makerOf(factory);
  let after = opts.deactivateAfter === undefined ? DEFAULT_DEACTIVATE_AFTER_MS : opts.deactivateAfter;
  if (after === null || after === Infinity) after = 0;
  if (typeof after !== 'number' || !(after >= 0))
    throw makeError(errnos.InvalidArgumentError, 'deactivateAfter must be a number of ms >= 0 (0: never)');
  const kindId = kinds.length;
  kinds.push({ system, kind, make });
  try {
    native.grainRegister(system[kHandle], kind, kindId, after);
  } catch (e) {
    kinds[kindId] = undefined;
    throw e;
  }
}

class Grain {
  #system;

  constructor(system, kind, name) {
    if (typeof kind !== 'string' || typeof name !== 'string')
      throw makeError(errnos.InvalidArgumentError, 'a grain kind and name must be strings');
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
    if (msg instanceof Message) native.grainSend(h, this.kind, this.name, msg.data, msg.type, false);
    else native.grainSend(h, this.kind, this.name, msg, opts === undefined ? undefined : opts.type, false);
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
      cancellable);
    kick();
    if (!cancellable) return r;
    const [p, handle] = r;
    const onAbort = () => native.cancel(handle);
    signal.addEventListener('abort', onAbort, { once: true });
    return p.finally(() => signal.removeEventListener('abort', onAbort));
  }

  toString() { return `Grain(${this.identity})`; }
}

module.exports = { Grain, registerGrain, DEFAULT_DEACTIVATE_AFTER_MS };
