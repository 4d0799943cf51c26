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
const { kHandle } = require('./internal.cjs');

const STRATEGIES = {
  roundRobin: 0,
  random: 1,
  broadcast: 2,
  consistentHash: 3,
  scatterGatherFirst: 4,
  tailChopping: 5,
};

class Router {
  constructor(pid) {
    /** The router's own pid (watch it, stop it). */
    this.pid = pid;
  }

  tell(msg, opts) { this.pid.tell(msg, opts); }

  ask(msg, opts) { return this.pid.ask(msg, opts); }

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

  /** A pool's new size (routers made from pids are groups: NotSupportedError). */
  resize(size) {
    if (!Number.isInteger(size) || size < 1) {
      throw makeError(errnos.InvalidArgumentError, 'the size must be an integer >= 1');
    }
    native.routerResize(this.pid.system[kHandle], this.pid.lo, this.pid.hi, size);
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
  let routees = opts.routees;
  if (routees === undefined && opts.actor !== undefined) {
    const size = opts.size;
    if (!Number.isInteger(size) || size < 1) {
      throw makeError(errnos.InvalidArgumentError, 'a pool needs a size >= 1');
    }
    if (typeof opts.actor !== 'function') {
      throw makeError(errnos.InvalidArgumentError, 'a pool needs an Actor class or a factory, not an instance');
    }
    // Spawned here, one instance each; the router routes to them as a group.
    routees = [];
    for (let i = 0; i < size; i++) routees.push(system.spawn(opts.actor));
  }
  if (!Array.isArray(routees) || routees.some((p) => !(p instanceof Pid))) {
    throw makeError(errnos.InvalidArgumentError, 'give routees (an array of Pid) or actor and size');
  }
  const flat = [];
  for (const p of routees) flat.push(p.lo, p.hi);
  native.routerSpawn(system[kHandle], opts.name, STRATEGIES[strategy], flat,
    opts.within, opts.interval, opts.seed === undefined ? 0 : opts.seed);
  kick();
  return new Router(new Pid(system, shared.scratch[S_PID], shared.scratch[S_PID + 1]));
}

module.exports = { Router, spawnRouter, STRATEGIES };
