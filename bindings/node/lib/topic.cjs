'use strict';
// Topic: publish / subscribe through the system's topic actor (see README, Topics).

const native = require('./addon.cjs');
const { kick } = require('./pump.cjs');
const { Message } = require('./types.cjs');
const { makeError, errnos } = require('./errors.cjs');
const { kHandle } = require('./internal.cjs');

const SUBSCRIBE = 0;
const UNSUBSCRIBE = 1;
const COUNT = 2;

function pidOf(system, pid) {
  if (pid === null || typeof pid !== 'object' || pid.system !== system || typeof pid.lo !== 'number')
    throw makeError(errnos.InvalidArgumentError, 'expected a Pid of this system');
  return pid;
}

class Topic {
  #system;

  constructor(system, name) {
    if (typeof name !== 'string')
      throw makeError(errnos.InvalidArgumentError, 'a topic name must be a string');
    this.#system = system;
    this.name = name;
    Object.freeze(this);
  }

  /** Sends msg to every current subscriber; none is not an error. */
  publish(msg, opts) {
    const h = this.#system[kHandle];
    if (msg instanceof Message) native.topicPublish(h, this.name, msg.data, msg.type);
    else native.topicPublish(h, this.name, msg, opts === undefined ? undefined : opts.type);
    kick();
  }

  /** Subscribes pid; resolves with the subscriber count once it is in effect. */
  subscribe(pid, opts) { return this.#op(SUBSCRIBE, pidOf(this.#system, pid), opts); }

  /** Ends pid's subscription; resolves with the subscriber count after it. */
  unsubscribe(pid, opts) { return this.#op(UNSUBSCRIBE, pidOf(this.#system, pid), opts); }

  /** Resolves with the number of subscribers, once what was queued before took effect. */
  count(opts) { return this.#op(COUNT, null, opts); }

  /**
   * Calls fn(msg) for each message published to the topic, one at a time and in order, on
   * the JS thread (fn runs as a small JS actor). Returns { pid, close() }, also disposable.
   */
  onMessage(fn) {
    if (typeof fn !== 'function') throw makeError(errnos.InvalidArgumentError, 'expected a function');
    const system = this.#system;
    const pid = system.spawn({ receive: (ctx, msg) => { fn(msg); } });
    this.#op(SUBSCRIBE, pid).catch(() => {}); // ordered before later publishes of this thread
    const close = () => { if (pid.alive) pid.stop(); };
    return { pid, close, [Symbol.dispose || Symbol.for('nodejs.dispose')]: close };
  }

  #op(op, pid, opts) {
    const timeout = opts === undefined ? undefined : opts.timeout;
    const p = native.topicOp(this.#system[kHandle], op, this.name,
      pid === null ? 0 : pid.lo, pid === null ? 0 : pid.hi, timeout);
    kick();
    return p.then(Number);
  }

  toString() { return `Topic(${this.name})`; }
}

module.exports = { Topic };
