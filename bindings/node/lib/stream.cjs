'use strict';
// Reactive streams (akt/stream.h): a fluent, immutable description
//   Source.range(1, 10).map((x) => x * 2).filter((x) => x > 4)
// run with a Sink on a system: `source.runWith(Sink.collect(), system)` gives a Stream,
// whose `result()` is a Promise of the sink's result. The stages run as akt actors on this
// thread (the system's JS dispatcher), with demand-based backpressure: a slow sink holds the
// source back.

const native = require('./addon.cjs');
const { kick } = require('./pump.cjs');
const { makeError, errnos } = require('./errors.cjs');
const { kHandle } = require('./internal.cjs');

const OVERFLOW = { backpressure: 0, drop_head: 1, drop_tail: 2, fail: 3 };
const ON_ERROR = { fail: 0, resume: 1, retry: 2 };
const END = Symbol('akt.stream.end');
const WITH_FN = new Set(['map', 'filter', 'flat_map', 'for_each', 'unfold', 'scan', 'fold_sink']);

// slot -> { fn, error }: the stage functions the addon calls by slot.
const table = [];
const free = [];

function reclaim() {
  for (const slot of native.streamFreed()) {
    table[slot] = undefined;
    free.push(slot);
  }
}

function slotOf(fn) {
  const entry = { fn, error: undefined };
  const slot = free.length ? free.pop() : table.length;
  table[slot] = entry;
  return slot;
}

native.streamHook((slot, a, b) => {
  const e = table[slot];
  try {
    return e.fn(a, b);
  } catch (err) {
    e.error = err;
    throw err;
  }
}, END);

function fnArg(fn, what) {
  if (typeof fn !== 'function') throw makeError(errnos.InvalidArgumentError, `${what} needs a function`);
  return fn;
}

class Sink {
  constructor(stage, finish) {
    this._stage = stage;
    this._finish = finish;
  }

  /** Every element, in order, as an array. */
  static collect() { return new Sink(['collect'], (r) => r); }
  /** fn(acc, x) over the elements from seed; the last accumulator. */
  static fold(seed, fn) { return new Sink(['fold_sink', fnArg(fn, 'Sink.fold'), seed], (r) => r[0]); }
  /** The first element (undefined for an empty stream); the stream ends once it arrives. */
  static first() { return new Sink(['first'], (r) => r[0]); }
  /** Calls fn(x) for each element. */
  static forEach(fn) { return new Sink(['for_each', fnArg(fn, 'Sink.forEach')], () => undefined); }
  /** Consumes the elements. */
  static ignore() { return new Sink(['ignore'], () => undefined); }
}

class Source {
  constructor(stages, window = 16, fusion = true) {
    this._stages = stages;
    this._window = window;
    this._fusion = fusion;
  }

  /** start, start + step, ... up to end excluded. Numbers must be safe integers. */
  static range(start, end, step = 1) {
    for (const v of [start, end, step])
      if (!Number.isSafeInteger(v) && typeof v !== 'bigint')
        throw makeError(errnos.InvalidArgumentError, 'range bounds are integers');
    if (Number(step) === 0) throw makeError(errnos.InvalidArgumentError, 'range step must not be 0');
    return new Source([['range', [BigInt(start), BigInt(end)], BigInt(step)]]);
  }

  /** The given values, in order. */
  static of(...values) { return new Source([['values', values]]); }

  /** fn(state) gives [nextState, element], or undefined to end. */
  static unfold(seed, fn) {
    fnArg(fn, 'Source.unfold');
    let state = seed;
    return new Source([['unfold', () => {
      const r = fn(state);
      if (r === undefined || r === null) return END;
      state = r[0];
      return r[1];
    }]]);
  }

  /** The items of a (sync) iterable, pulled on demand. */
  static fromIterable(iterable) {
    const it = iterable[Symbol.iterator]();
    return new Source([['unfold', () => {
      const r = it.next();
      return r.done ? END : r.value;
    }]]);
  }

  _then(...stage) { return new Source([...this._stages, stage], this._window, this._fusion); }
  map(fn) { return this._then('map', fnArg(fn, 'map')); }
  filter(fn) { return this._then('filter', fnArg(fn, 'filter')); }
  /** fn(x) gives an iterable; its items go downstream in order. */
  flatMap(fn) {
    fnArg(fn, 'flatMap');
    return this._then('flat_map', (x) => Array.from(fn(x)));
  }
  scan(seed, fn) { return this._then('scan', fnArg(fn, 'scan'), seed); }
  dedup() { return this._then('dedup'); }
  buffer(size, overflow = 'backpressure') {
    if (!(overflow in OVERFLOW))
      throw makeError(errnos.InvalidArgumentError, `overflow is one of ${Object.keys(OVERFLOW).join(', ')}`);
    return this._then('buffer', size, OVERFLOW[overflow]);
  }
  /** At most n elements per perMs ms (1 .. 3600000); the rest wait: nothing is dropped. */
  throttle(n, perMs) {
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(perMs))
      throw makeError(errnos.InvalidArgumentError, 'throttle(n, perMs) takes integers');
    return this._then('throttle', n, perMs);
  }
  named(name) { return this._option({ name }); }
  onError(strategy, retries = 0) {
    if (!(strategy in ON_ERROR))
      throw makeError(errnos.InvalidArgumentError, 'strategy is one of fail, resume, retry');
    return this._option({ onError: ON_ERROR[strategy], retries });
  }
  window(n) { return new Source(this._stages, n, this._fusion); }
  fusion(on) { return new Source(this._stages, this._window, Boolean(on)); }

  _option(opts) {
    const stages = this._stages.slice();
    const last = stages[stages.length - 1].slice();
    last[3] = { ...(last[3] || {}), ...opts };
    stages[stages.length - 1] = last;
    return new Source(stages, this._window, this._fusion);
  }

  /** Starts the stream on system, ending in sink. */
  runWith(sink, system) {
    if (!(sink instanceof Sink)) throw makeError(errnos.InvalidArgumentError, 'runWith needs a Sink');
    reclaim();
    const slots = []; // stage index -> slot of its function, or undefined
    const stages = [];
    for (const st of [...this._stages, sink._stage]) {
      const [kind, a, b, opts = {}] = st;
      let row;
      if (WITH_FN.has(kind)) {
        const slot = slotOf(a);
        slots.push(slot);
        row = [kind, slot, b];
      } else {
        slots.push(undefined);
        row = [kind, a, b];
      }
      row.push(opts.name ?? null, opts.onError ?? 0, opts.retries ?? 0);
      stages.push(row);
    }
    const stream = new Stream(sink, slots);
    try {
      stream._handle = native.streamRun(system[kHandle], stages, this._window, this._fusion,
        (rc) => stream._ended(rc));
    } finally {
      reclaim(); // the slots of a graph that did not start are free already
    }
    kick();
    return stream;
  }
}

class Stream {
  constructor(sink, slots) {
    this._sink = sink;
    this._slots = slots;
    this._rc = undefined;
    this._done = new Promise((resolve) => { this._resolve = resolve; });
  }

  // The end, on the JS thread: what the handle knows is copied out and the handle released
  // at once, so that no message of the system outlives it in a stream the GC keeps.
  _ended(rc) {
    this._rc = rc;
    this._causes = this._slots.map((slot) => (slot === undefined ? undefined : table[slot]?.error));
    const h = this._handle;
    this._final = this._closed
      ? { results: undefined, reason: 'canceled', metrics: [], actors: 0 }
      : {
        results: rc === 0 ? native.streamResults(h) : undefined,
        reason: native.streamReason(h),
        metrics: native.streamMetrics(h),
        actors: native.streamActors(h),
      };
    if (!this._closed) native.streamRelease(h);
    this._closed = true;
    this._resolve(rc);
    reclaim();
  }

  _error() {
    const reason = this._final.reason;
    const err = makeError(this._rc, reason ? `stream failed: ${reason}` : 'stream failed');
    err.reason = reason;
    const m = /^stage (\d+) /.exec(reason);
    const cause = m ? this._causes[Number(m[1])] : undefined;
    if (cause !== undefined) err.cause = cause;
    return err;
  }

  /** A Promise of the sink's result; rejects with how the stream failed. */
  async result() {
    const rc = await this._done;
    if (rc !== 0) throw this._error();
    return this._sink._finish(this._final.results);
  }

  /** Aborts: result() rejects with CanceledError. */
  cancel() {
    if (this._closed) return; // it ended already, or was closed
    native.streamCancel(this._handle);
    kick();
  }
  /** Stops the source; what is in flight reaches the sink, then the stream completes. */
  drain() {
    if (this._closed) return;
    native.streamDrain(this._handle);
    kick();
  }
  /** Per-stage counts, the source first. */
  metrics() {
    if (this._closed && !this._final) return [];
    const rows = this._final ? this._final.metrics : native.streamMetrics(this._handle);
    return rows.map(([name, elementsIn, elementsOut, drops, errors, actor]) =>
      ({ name, elementsIn, elementsOut, drops, errors, actor }));
  }
  get actors() {
    if (this._final) return this._final.actors;
    return this._closed ? 0 : native.streamActors(this._handle);
  }
  /** Releases the handle (a running stream is canceled). */
  close() {
    if (this._closed) return;
    this._closed = true;
    native.streamRelease(this._handle);
  }

}

module.exports = { Source, Sink, Stream };
