'use strict';
// Router: the handle of a router actor (ActorSystem.spawnRouter). The router passes each
// message to one or more routees, keeping the sender and the asker, so a routee's
// ctx.respond answers the original asker. It drops routees that stop and stops itself
// once the last one is gone.

const native = require('./addon.cjs');
const { kick } = require('./pump.cjs');
const { Pid } = require('./pid.cjs');
const { Message } = require('./types.cjs');
const { makeError, errnos } = require('./errors.cjs');
const { shared, S_PID } = require('./shared.cjs');
const { kHandle, kReport } = require('./internal.cjs');
const { poolCell, dropCell } = require('./actor.cjs');

const STRATEGIES = {
  roundRobin: 0,
  random: 1,
  broadcast: 2,
  consistentHash: 3,
  scatterGatherFirst: 4,
  tailChopping: 5,
};

// Pool routees' failure policies (AKT_ROUTEE_*).
const FAILURE_POLICIES = { stop: 0, restart: 1, resume: 2 };

class Router {
  #pool; // a pool's native handle and how to make one more routee; undefined for a group

  #key; // consistent hashing's key(msg), or undefined

  constructor(pid, pool, key) {
    /** The router's own pid (watch it, stop it). */
    this.pid = pid;
    this.#pool = pool;
    this.#key = key;
  }

  // The key's value for msg: what key(msg) returns when it is an integer, a bigint, a
  // string or a Uint8Array; a key that throws or returns anything else is logged and
  // counts as 0 (the message is still routed).
  #keyOf(msg) {
    try {
      const k = this.#key(msg instanceof Message ? msg.data : msg);
      if (Number.isInteger(k) || typeof k === 'bigint' || typeof k === 'string' || k instanceof Uint8Array) return k;
      throw new TypeError(`a router key must be an integer, bigint, string or Uint8Array, not ${typeof k}`);
    } catch (e) {
      const log = this.pid.system[kReport];
      if (typeof log === 'function') log(String(this.pid), 'consistent-hash key', e);
      return 0;
    }
  }

  tell(msg, opts) {
    if (this.#key === undefined) return this.pid.tell(msg, opts);
    const k = this.#keyOf(msg);
    const [data, type] = msg instanceof Message ? [msg.data, msg.type] : [msg, opts && opts.type];
    native.routerSendKeyed(this.pid.system[kHandle], this.pid.lo, this.pid.hi, data, type, k, false);
    kick();
    return undefined;
  }

  ask(msg, opts) {
    if (this.#key === undefined) return this.pid.ask(msg, opts);
    const k = this.#keyOf(msg);
    const [data, type] = msg instanceof Message ? [msg.data, msg.type] : [msg, opts && opts.type];
    const p = native.routerSendKeyed(this.pid.system[kHandle], this.pid.lo, this.pid.hi, data, type, k, true,
      opts === undefined ? undefined : opts.timeout);
    kick();
    return p;
  }

  /** Sends msg to every routee, whatever the strategy. */
  broadcast(msg) {
    const h = this.pid.system[kHandle];
    if (msg instanceof Message) native.routerBroadcast(h, this.pid.lo, this.pid.hi, msg.data, msg.type);
    else native.routerBroadcast(h, this.pid.lo, this.pid.hi, msg);
    kick();
  }

  /** The live routees, in routing order. */
  routees() {
    const flat = native.routerRoutees(this.pid.system[kHandle], this.pid.lo, this.pid.hi);
    const out = [];
    for (let i = 0; i < flat.length; i += 2) out.push(new Pid(this.pid.system, flat[i], flat[i + 1]));
    return out;
  }

  /**
   * A pool's new size, at run time: new routees from the pool's actor, or the newest ones
   * stopped (routers made from pids are groups: NotSupportedError). Returns once the
   * router has the new size.
   */
  resize(size) {
    if (!Number.isInteger(size) || size < 1 || size > 65536) {
      throw makeError(errnos.InvalidArgumentError, 'the size must be an integer in 1..65536');
    }
    const h = this.pid.system[kHandle];
    const pool = this.#pool;
    if (pool !== undefined) {
      // The cells of the routees to come, made here (the router runs elsewhere); the ones
      // no routee took are dropped after.
      const have = native.routerRoutees(h, this.pid.lo, this.pid.hi).length / 2;
      const ids = [];
      for (let i = have; i < size; i++) ids.push(pool.make(pool.next++));
      native.routerPoolFeed(pool.handle, ids);
      try {
        native.routerResize(h, this.pid.lo, this.pid.hi, size);
      } finally {
        for (const id of native.routerPoolDrain(pool.handle)) dropCell(id);
      }
      kick();
      return;
    }
    native.routerResize(h, this.pid.lo, this.pid.hi, size);
  }

  stop() { this.pid.stop(); }

  get alive() { return this.pid.alive; }
}

function spawnRouter(system, opts) {
  if (opts === null || typeof opts !== 'object') {
    throw makeError(errnos.InvalidArgumentError, 'spawnRouter needs an options object');
  }
  const strategy = opts.strategy === undefined ? 'roundRobin' : opts.strategy;
  if (!Object.prototype.hasOwnProperty.call(STRATEGIES, strategy)) {
    throw makeError(errnos.InvalidArgumentError,
      `unknown routing strategy ${String(strategy)}; one of ${Object.keys(STRATEGIES).join(', ')}`);
  }
  if (opts.key !== undefined && typeof opts.key !== 'function') {
    throw makeError(errnos.InvalidArgumentError, 'key must be a function of the message');
  }
  const routees = opts.routees;
  if (routees === undefined && opts.actor !== undefined) return spawnPool(system, opts, strategy);
  if (!Array.isArray(routees) || routees.some((p) => !(p instanceof Pid))) {
    throw makeError(errnos.InvalidArgumentError, 'give routees (an array of Pid) or actor and size');
  }
  const flat = [];
  for (const p of routees) flat.push(p.lo, p.hi);
  native.routerSpawn(system[kHandle], opts.name, STRATEGIES[strategy], flat,
    opts.within, opts.interval, opts.seed === undefined ? 0 : opts.seed, opts.key !== undefined);
  kick();
  return new Router(new Pid(system, shared.scratch[S_PID], shared.scratch[S_PID + 1]), undefined, opts.key);
}

// A pool: size routees of opts.actor (an Actor class or a factory), the router's children
// routee-0, routee-1, ... on this thread, each a fresh instance (and a fresh one at each
// restart). opts.onFailure: 'stop' (the default: the routee leaves the pool), 'restart'
// (at most maxRetries times within retryWithin ms, then stopped; maxRetries 0: no budget)
// or 'resume' (it keeps its state and goes on with the next message).
function spawnPool(system, opts, strategy) {
  const size = opts.size;
  if (!Number.isInteger(size) || size < 1 || size > 65536) {
    throw makeError(errnos.InvalidArgumentError, 'a pool needs a size in 1..65536');
  }
  const actor = opts.actor;
  if (typeof actor !== 'function') {
    throw makeError(errnos.InvalidArgumentError, 'a pool needs an Actor class or a factory, not an instance');
  }
  const isClass = actor.prototype && typeof actor.prototype.receive === 'function';
  const newInstance = isClass ? () => new actor() : () => actor();
  const onFailure = opts.onFailure === undefined ? 'stop' : opts.onFailure;
  if (!Object.prototype.hasOwnProperty.call(FAILURE_POLICIES, onFailure)) {
    throw makeError(errnos.InvalidArgumentError, `onFailure must be 'stop', 'restart' or 'resume', not ${String(onFailure)}`);
  }
  const maxRetries = opts.maxRetries === undefined ? 0 : opts.maxRetries;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 0xffffffff) {
    throw makeError(errnos.InvalidArgumentError, 'maxRetries must be an integer >= 0');
  }
  const label = opts.name === undefined || opts.name === null ? 'router' : opts.name;
  const pool = {
    handle: null,
    next: 0,
    make: (i) => {
      const id = poolCell(system, newInstance, `${label}/routee-${i}`);
      if (id < 0) throw makeError(errnos.InvalidArgumentError, 'the pool factory must return an Actor');
      return id;
    },
  };
  const ids = [];
  try {
    for (let i = 0; i < size; i++) ids.push(pool.make(pool.next++));
    pool.handle = native.routerSpawnPool(system[kHandle], opts.name, STRATEGIES[strategy], ids,
      opts.within, opts.interval, opts.seed === undefined ? 0 : opts.seed, FAILURE_POLICIES[onFailure],
      maxRetries, opts.retryWithin, opts.key !== undefined);
  } catch (e) {
    for (const id of ids) dropCell(id);
    throw e;
  }
  const router = new Router(new Pid(system, shared.scratch[S_PID], shared.scratch[S_PID + 1]), pool, opts.key);
  kick(); // the routees start before the router's first message

  return router;
}

module.exports = { Router, spawnRouter, STRATEGIES, FAILURE_POLICIES };
