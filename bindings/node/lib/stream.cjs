'use strict';
// Reactive streams (akt/stream.h): a fluent, immutable description
//   Source.range(1, 10).map((x) => x * 2).filter((x) => x > 4)
// run with a Sink on a system: `source.runWith(Sink.collect(), system)` gives a Stream,
// whose `result()` is a Promise of the sink's result. The stages run as akt actors on this
// thread (the system's JS dispatcher), with demand-based backpressure: a slow sink holds the
// source back.
//
// Node streams at both ends: Source.fromAsyncIterable (a Readable is one) pulls with
// iterator.next() as the stream asks, Sink.toWritable writes and waits for 'drain', and
// source.toAsyncIterable(system) hands the elements to a `for await` loop.

const { Readable, finished } = require('node:stream');
const native = require('./addon.cjs');
const { kick } = require('./pump.cjs');
const { makeError, errnos } = require('./errors.cjs');
const { kHandle } = require('./internal.cjs');
const { Message } = require('./types.cjs');
const { shared, S_PID } = require('./shared.cjs');

// Streams across nodes (Source.actorRef, a remote Sink.actor): an actor source's answers
// and the message that ends it.
/** What a Source.actorRef answers to an element it accepted into its buffer. */
const STREAM_ACK = new Message('akt.stream.Ack', '');
/** Ends a Source.actorRef (answered STREAM_ACK); Sink.actor(pid, { onComplete: STREAM_END })
 *  feeds one from another stream. */
const STREAM_END = new Message('akt.stream.End', '');
/** What a Source.actorRef answers to an element that came after its end. */
const STREAM_CLOSED = new Message('akt.stream.Closed', '');

const OVERFLOW = { backpressure: 0, drop_head: 1, drop_tail: 2, fail: 3 };
const ON_ERROR = { fail: 0, resume: 1, retry: 2 };
const END = Symbol('akt.stream.end');
// What the pull stage of fromAsyncIterable emits for "no element" (the iterator ended, or
// another pull saw it end): a JS-only value (it travels by reference), dropped by the
// filter after the pull.
const NO_ELEMENT = Symbol('akt.stream.noElement');
const MAX_PARALLELISM = 4096; // akt_stream_map_async's bound
const WITH_FN = new Set(['map', 'filter', 'flat_map', 'for_each', 'unfold', 'scan', 'fold_sink', 'batch', 'map_async', 'flat_map_merge']);
const JUNCTIONS = new Set(['merge', 'concat', 'zip', 'broadcast', 'balance', 'partition']);

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

// The function of a map_async stage for fn: fn(x)'s value (or Promise) completes the call;
// a throw or a rejection fails it, the error kept as the stage's cause (lastError).
function asyncStarter(fn) {
  const start = (x, pending) => {
    Promise.resolve().then(() => fn(x)).then((v) => {
      native.streamAsyncComplete(pending, v);
      kick();
    }, (err) => {
      start.lastError = err;
      native.streamAsyncFail(pending);
      kick();
    });
  };
  return start;
}

// A stage made anew for each run: factory(run) gives the stages (the options of the lazy
// stage go to the one at index `main`). run.ends collects hooks called as the stream ends,
// with (rc, stream); a hook may return a Promise that result() waits for (a Writable's
// finish). run.stream is the Stream, set before any stage runs.
function lazy(factory, main) { return ['lazy', factory, main]; }

class Sink {
  // A sink may start with flows (Flow.to); a fan-out sink has branches (Sinks), and its
  // result is the array of theirs.
  constructor(stage, finish, flows = [], window = 16, fusion = true, branches = undefined) {
    this._stages = [...flows, stage];
    this._finish = finish;
    this._window = window;
    this._fusion = fusion;
    this._branches = branches;
  }

  _result(results, ranges) {
    if (!this._branches) return this._finish(results);
    if (!ranges || !ranges.length) return results; // a fan-out inside a branch: flat
    return this._branches.map((b, k) => b._result(results.slice(ranges[k][0], ranges[k][0] + ranges[k][1])));
  }

  static _fanOut(kind, sinks, fn) {
    if (!sinks.length) throw makeError(errnos.InvalidArgumentError, `Sink.${kind} needs at least one sink`);
    for (const k of sinks)
      if (!(k instanceof Sink)) throw makeError(errnos.InvalidArgumentError, `Sink.${kind} takes Sinks`);
    const subs = sinks.map((k) => [k._stages, k._window, k._fusion]);
    return new Sink([kind, subs, fn], (r) => r, [], 16, true, sinks);
  }

  /** Every element to every sink; the slowest one paces the stream. The result: theirs, as an array. */
  static broadcast(...sinks) { return Sink._fanOut('broadcast', sinks); }
  /** Each element to one sink that has demand, taking them in turn. */
  static balance(...sinks) { return Sink._fanOut('balance', sinks); }
  /** Each element x to sinks[fn(x)] (an index out of range fails the stream). */
  static partition(fn, ...sinks) { return Sink._fanOut('partition', sinks, fnArg(fn, 'Sink.partition')); }

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
  /** Writes each element to a Node Writable, one at a time: when write() returns false the
   *  next waits for 'drain' (the Writable's highWaterMark bounds what it buffers). On
   *  completion writable.end() (unless opts.end is false) and result() resolves once it
   *  finished; an error of the Writable (or its closing early) fails the stream with it as
   *  the cause; a failed or canceled stream destroys the Writable with its error. */
  static toWritable(writable, opts = {}) {
    if (!writable || typeof writable.write !== 'function' || typeof writable.end !== 'function' ||
        typeof writable.destroy !== 'function' || typeof writable.on !== 'function')
      throw makeError(errnos.InvalidArgumentError, 'Sink.toWritable needs a Writable');
    if (opts === null || typeof opts !== 'object')
      throw makeError(errnos.InvalidArgumentError, 'Sink.toWritable: opts is an object');
    const end = opts.end ?? true;
    return new Sink(lazy((run) => writableStages(writable, Boolean(end), run), 0), () => undefined);
  }

  /** Tells each element to the actor pid, which acknowledges it with ctx.respond(anything):
   *  each acknowledgement is the demand for one more, at most opts.inFlight (default 1)
   *  unacknowledged. opts.onComplete (if given) is told to it after the last was
   *  acknowledged. If the actor stops, the stream fails (StoppedError).
   *  pid may be remote (system.remoteLookup): elements and acks cross the wire, in order,
   *  at most inFlight unacknowledged; the loss of its node fails the stream (StoppedError).
   *  Elements that cross must be serializable (numbers, strings, Buffers, Message, JSON
   *  values); to feed another stream's Source.actorRef, give onComplete: STREAM_END. */
  static actor(pid, opts = {}) {
    if (!pid || typeof pid.lo !== 'number') throw makeError(errnos.InvalidArgumentError, 'Sink.actor needs a Pid');
    const inFlight = opts.inFlight ?? 1;
    if (!Number.isSafeInteger(inFlight) || inFlight <= 0)
      throw makeError(errnos.InvalidArgumentError, 'Sink.actor: inFlight is a positive integer');
    const done = opts.onComplete;
    const onComplete = done instanceof Message ? [done.data, done.type] : [done, undefined];
    return new Sink(['actor', [pid.lo, pid.hi], [inFlight, ...onComplete]], () => undefined);
  }
}

// What Source and Flow share: the stages, the flows and the options (each returns a new
// object of the same class).
class Stages {
  constructor(stages = [], window = 16, fusion = true) {
    this._stages = stages;
    this._window = window;
    this._fusion = fusion;
  }

  _then(...stage) { return new this.constructor([...this._stages, stage], this._window, this._fusion); }
  map(fn) { return this._then('map', fnArg(fn, 'map')); }
  filter(fn) { return this._then('filter', fnArg(fn, 'filter')); }
  /** fn(x) gives an iterable; its items go downstream in order. */
  flatMap(fn) {
    fnArg(fn, 'flatMap');
    return this._then('flat_map', (x) => Array.from(fn(x)));
  }
  /** fn(x) gives a Source (an inner source); up to breadth (1..4096) of them run at once and
   *  their elements go downstream as they come: in order within one inner, interleaved
   *  between them. Backpressure holds the inners and upstream back; the stream completes
   *  once upstream and every inner did. A throw of fn (or a result that is not a Source) is
   *  the element's failure (onError); a failing inner fails the stream, or with
   *  onError('resume') is dropped. */
  flatMapMerge(breadth, fn) {
    fnArg(fn, 'flatMapMerge');
    if (!Number.isSafeInteger(breadth) || breadth < 1 || breadth > 4096)
      throw makeError(errnos.InvalidArgumentError, 'flatMapMerge: breadth is an integer in 1..4096');
    return this._then('flat_map_merge', (x) => {
      const src = fn(x);
      if (!(src instanceof Source))
        throw makeError(errnos.InvalidArgumentError, 'flatMapMerge: the function must give a Source');
      reclaim(); // the slots of the inners that ended
      return [rowsOf(src._stages, []), src._window, src._fusion];
    }, breadth);
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
  /** Up to n elements at a time as one: fn(xs) (default: the array), sent when there are n,
   *  when the first one waited maxWaitMs (1 .. 3600000), or at the end (the last, partial one). */
  batch(n, maxWaitMs, fn = (xs) => xs) {
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(maxWaitMs))
      throw makeError(errnos.InvalidArgumentError, 'batch(n, maxWaitMs) takes integers');
    return this._then('batch', fnArg(fn, 'batch'), [n, maxWaitMs]);
  }
  /** Parallel map: fn(x) gives a Promise (or a value); at most parallelism are pending at
   *  once, and the results leave in the order of their inputs. A rejection fails the element
   *  (the stage's error strategy). */
  mapAsync(parallelism, fn) { return this._mapAsync(parallelism, fn, true); }
  /** As mapAsync, the results leaving as they complete. */
  mapAsyncUnordered(parallelism, fn) { return this._mapAsync(parallelism, fn, false); }
  _mapAsync(parallelism, fn, ordered) {
    fnArg(fn, 'mapAsync');
    if (!Number.isSafeInteger(parallelism) || parallelism <= 0)
      throw makeError(errnos.InvalidArgumentError, 'mapAsync: parallelism is a positive integer');
    return this._then('map_async', asyncStarter(fn), [parallelism, ordered ? 1 : 0]);
  }
  named(name) { return this._option({ name }); }
  onError(strategy, retries = 0) {
    if (!(strategy in ON_ERROR))
      throw makeError(errnos.InvalidArgumentError, 'strategy is one of fail, resume, retry');
    return this._option({ onError: ON_ERROR[strategy], retries });
  }
  window(n) { return new this.constructor(this._stages, n, this._fusion); }
  fusion(on) { return new this.constructor(this._stages, this._window, Boolean(on)); }

  _option(opts) {
    if (!this._stages.length) throw makeError(errnos.InvalidArgumentError, 'there is no stage to set an option on');
    const stages = this._stages.slice();
    const last = stages[stages.length - 1].slice();
    last[3] = { ...(last[3] || {}), ...opts };
    stages[stages.length - 1] = last;
    return new this.constructor(stages, this._window, this._fusion);
  }
}

/** Flows without a source: `new Flow().map(f).to(Sink.collect())` is a Sink (a fan-out's branch). */
class Flow extends Stages {
  /** A sink that runs these flows first (with this Flow's window and fusion). */
  to(sink) {
    if (!(sink instanceof Sink)) throw makeError(errnos.InvalidArgumentError, 'to needs a Sink');
    const st = sink._stages;
    return new Sink(st[st.length - 1], sink._finish, [...this._stages, ...st.slice(0, -1)],
      this._window, this._fusion, sink._branches);
  }
}

// Stage rows for the addon: functions become slots (recorded in slots, per stage), a
// junction's sub-graphs become [rows, window, fusion].
function rowsOf(stages, slots, run) {
  const rows = [];
  for (const st of stages) {
    const [kind, a, b, opts = {}] = st;
    let row;
    if (kind === 'lazy') {
      const parts = a(run).map((p) => p.slice());
      parts[b][3] = { ...(parts[b][3] || {}), ...opts };
      rows.push(...rowsOf(parts, slots, run));
      continue;
    }
    if (WITH_FN.has(kind)) {
      const slot = slotOf(a);
      slots.push(slot);
      row = [kind, slot, b];
    } else if (JUNCTIONS.has(kind)) {
      const slot = b === undefined ? undefined : slotOf(b);
      slots.push(slot);
      row = [kind, a.map(([sub, w, f]) => [rowsOf(sub, [], run), w, f]), slot];
    } else {
      slots.push(undefined);
      row = [kind, a, b];
    }
    row.push(opts.name ?? null, opts.onError ?? 0, opts.retries ?? 0);
    rows.push(row);
  }
  return rows;
}

class Source extends Stages {
  static _fanIn(kind, sources, fn) {
    if (!sources.length) throw makeError(errnos.InvalidArgumentError, `Source.${kind} needs at least one source`);
    for (const x of sources)
      if (!(x instanceof Source)) throw makeError(errnos.InvalidArgumentError, `Source.${kind} takes Sources`);
    return new Source([[kind, sources.map((x) => [x._stages, x._window, x._fusion]), fn]]);
  }

  /** The elements of all the sources as they come (each one's order kept). */
  static merge(...sources) { return Source._fanIn('merge', sources); }
  /** Every element of the first source, then of the second, ... */
  static concat(...sources) { return Source._fanIn('concat', sources); }
  /** One element of each source combined by fn(...xs) (default: an array); ends with the shortest. */
  static zip(...args) {
    const fn = typeof args[args.length - 1] === 'function' ? args.pop() : (...xs) => xs;
    return Source._fanIn('zip', args, (xs) => fn(...xs));
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

  /** Elements pushed with stream.offer(x) (from an actor, or anywhere): at most capacity are
   *  accepted and not yet sent on; beyond that offer returns false (offer again later).
   *  stream.complete() closes it: what it accepted goes on, then the stream completes. */
  static queue(capacity) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0)
      throw makeError(errnos.InvalidArgumentError, 'Source.queue: capacity is a positive integer');
    return new Source([['queue', capacity]]);
  }

  /** A source reference: elements sent (ideally asked) to stream.sourcePid, from any node
   *  (stream.sourceAddress with remoteLookup), each answered STREAM_ACK once it is in the
   *  source's buffer of capacity (1..65536, default 16); one that finds it full waits,
   *  unanswered, until the stream's demand makes room, so a producer with at most k asks
   *  in flight (SourceRef) is paced by the stream. STREAM_END (or stream.complete()) ends
   *  it; later elements are answered STREAM_CLOSED. The first actor that sends an element
   *  is watched: its stop (or its node's loss) before the end fails the stream. */
  static actorRef(capacity = 16) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0 || capacity > 65536)
      throw makeError(errnos.InvalidArgumentError, 'Source.actorRef: capacity is 1..65536');
    return new Source([['actor_ref', capacity]]);
  }

  /** tick every intervalMs (1 .. 3600000), the first initialDelayMs after the start, on the
   *  system's timer; a tick that comes while downstream has no demand is dropped (counted in
   *  the source's drops). Endless: drain, cancel or Sink.first() ends it. */
  static tick(initialDelayMs, intervalMs, tick) {
    if (!Number.isSafeInteger(initialDelayMs) || !Number.isSafeInteger(intervalMs))
      throw makeError(errnos.InvalidArgumentError, 'tick(initialDelayMs, intervalMs, tick) takes integers');
    return new Source([['tick', [initialDelayMs, intervalMs], tick]]);
  }

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

  /** The items of an async iterable (a Node Readable is one; a sync iterable's items are
   *  awaited, as `for await` does), pulled with next() one at a time as the stream asks:
   *  nothing is read ahead of the demand. Each run takes a new iterator. A rejected next()
   *  (a Readable's 'error') fails the stream with it as the cause; a stream that ends before
   *  the iterator did (canceled, failed, Sink.first) destroys the Readable, or calls the
   *  iterator's return(). Three stages: the demand, the pull (named from_async_iterable;
   *  named() and onError() set its options) and a filter. */
  static fromAsyncIterable(iterable) {
    const aiter = iterable?.[Symbol.asyncIterator];
    const open = typeof aiter === 'function' ? aiter : iterable?.[Symbol.iterator];
    if (typeof open !== 'function')
      throw makeError(errnos.InvalidArgumentError, 'Source.fromAsyncIterable needs an async iterable');
    const awaitValues = typeof aiter !== 'function';
    const readable = iterable instanceof Readable ? iterable : undefined;
    return new Source([lazy((run) => {
      const it = open.call(iterable);
      if (!it || typeof it.next !== 'function')
        throw makeError(errnos.InvalidArgumentError, 'Source.fromAsyncIterable: the iterator has no next()');
      let done = false;
      run.ends.push((_rc, stream) => {
        if (done || !stream) return; // the iterator ended, or the stream never started
        done = true;
        if (readable) readable.destroy();
        else if (typeof it.return === 'function')
          Promise.resolve().then(() => it.return()).catch(() => {});
      });
      // The pull stage's call: it.next() completes it (NO_ELEMENT once the iterator ended).
      const pull = (_token, pending) => {
        const complete = (v) => {
          native.streamAsyncComplete(pending, v);
          kick();
        };
        const fail = (err) => {
          pull.lastError = err;
          native.streamAsyncFail(pending);
          kick();
        };
        if (done) return complete(NO_ELEMENT);
        let next;
        try {
          next = it.next();
        } catch (err) {
          return fail(err);
        }
        Promise.resolve(next).then((r) => {
          if (done) return complete(NO_ELEMENT);
          if (r === null || typeof r !== 'object') throw new TypeError('the iterator gave a non-object result');
          if (r.done) {
            done = true;
            return complete(NO_ELEMENT);
          }
          if (awaitValues) return Promise.resolve(r.value).then(complete);
          return complete(r.value);
        }).catch(fail);
        return undefined;
      };
      return [
        ['unfold', () => (done ? END : 0)],
        ['map_async', pull, [1, 1], { name: 'from_async_iterable' }],
        ['filter', (x) => x !== NO_ELEMENT],
      ];
    }, 1)]);
  }

  /** Starts the stream on system, ending in sink. */
  runWith(sink, system) {
    if (!(sink instanceof Sink)) throw makeError(errnos.InvalidArgumentError, 'runWith needs a Sink');
    reclaim();
    const slots = []; // stage index -> slot of its function, or undefined
    const run = { ends: [], stream: undefined };
    let stream;
    try {
      const stages = rowsOf([...this._stages, ...sink._stages], slots, run);
      stream = new Stream(sink, slots, run);
      run.stream = stream;
      stream._handle = native.streamRun(system[kHandle], stages, this._window, this._fusion,
        (rc) => stream._ended(rc));
      if (this._stages[0][0] === 'actor_ref') { // read now: the handle goes at the end
        native.streamSourcePid(stream._handle);
        const { Pid } = require('./pid.cjs');
        stream._sourcePid = new Pid(system, shared.scratch[S_PID], shared.scratch[S_PID + 1]);
      }
    } catch (err) {
      for (const end of run.ends) { // without a stream: listeners taken off, nothing destroyed
        try { end(errnos.CanceledError, undefined); } catch { /* the first error is the one */ }
      }
      throw err;
    } finally {
      reclaim(); // the slots of a graph that did not start are free already
    }
    kick();
    return stream;
  }

  /** Runs the stream on system into a `for await` loop: at most opts.bufferSize (1..4096,
   *  default 16) elements wait for the loop, beyond that the stream waits (backpressure).
   *  The loop gets every element in order, then ends; if the stream failed, the elements
   *  delivered before, then the failure (thrown from the loop). Leaving the loop early
   *  (break, return, throw) cancels the stream. The iterable's `stream` is the Stream. */
  toAsyncIterable(system, opts = {}) {
    if (opts === null || typeof opts !== 'object')
      throw makeError(errnos.InvalidArgumentError, 'toAsyncIterable: opts is an object');
    const size = opts.bufferSize ?? 16;
    if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_PARALLELISM)
      throw makeError(errnos.InvalidArgumentError, `toAsyncIterable: bufferSize is an integer in 1..${MAX_PARALLELISM}`);
    const queue = []; // [element, pending]: each pending is completed as the loop takes it
    let iter;
    const take = (x, pending) => {
      queue.push([x, pending]);
      if (iter) iter._wake();
    };
    const sink = new Sink(['ignore'], () => undefined,
      [['map_async', take, [size, 1], { name: 'to_async_iterable' }]]);
    iter = new StreamIterator(this.runWith(sink, system), queue);
    return iter;
  }
}

// The writing stages of Sink.toWritable for one run.
function writableStages(writable, end, run) {
  let error; // the Writable's error, once it had one
  let waiting; // the write waiting for 'drain': its callback(err)
  let settle;
  const finish = new Promise((resolve) => { settle = resolve; });
  const fail = (err) => {
    if (error !== undefined) return;
    error = err;
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(err);
    } else if (run.stream && !run.stream._closed) {
      run.stream._abort('sink: the writable failed', err);
    }
  };
  // 'error', a close before finish (ERR_STREAM_PREMATURE_CLOSE) or 'finish'. Its listeners
  // stay: a Writable destroyed with an error then has a listener for it.
  finished(writable, { readable: false }, (err) => {
    if (err) fail(err);
    settle(err);
  });
  const onDrain = () => {
    if (!waiting) return;
    const w = waiting;
    waiting = undefined;
    w();
  };
  writable.on('drain', onDrain);
  // The writing stage's call: completed at once when write() took x below the
  // highWaterMark, else on 'drain'; failed with the Writable's error (kept as the cause).
  const write = (x, pending) => {
    const fail = (err) => {
      write.lastError = err;
      native.streamAsyncFail(pending);
      kick();
    };
    if (error !== undefined) return fail(error);
    let ok;
    try {
      ok = writable.write(x);
    } catch (err) {
      return fail(err);
    }
    const complete = () => {
      native.streamAsyncComplete(pending, 0);
      kick();
    };
    if (ok) return complete();
    waiting = (err) => (err === undefined ? complete() : fail(err));
    return undefined;
  };
  run.ends.push((rc, stream) => {
    writable.off('drain', onDrain);
    if (!stream || error !== undefined) return undefined; // not started, or it failed the stream
    if (rc !== 0) {
      writable.destroy(stream._error());
      return undefined;
    }
    if (!end) return undefined;
    writable.end();
    return finish.then((err) => { if (err) throw err; });
  });
  return [['map_async', write, [1, 1], { name: 'to_writable' }], ['ignore']];
}

/** The `for await` side of Source.toAsyncIterable. */
class StreamIterator {
  constructor(stream, queue) {
    /** The running Stream (metrics, cancel). */
    this.stream = stream;
    this._queue = queue;
    this._over = false;
    this._waiter = undefined; // the resolve of a next() waiting for an element or the end
    stream._done.then(() => this._wake());
  }

  _wake() {
    const w = this._waiter;
    this._waiter = undefined;
    if (w) w();
  }

  [Symbol.asyncIterator]() { return this; }

  /** The next element, once there is one; done at the end; rejects with a failure. */
  async next() {
    for (;;) {
      if (this._over) return { value: undefined, done: true };
      if (this._queue.length) {
        const [x, pending] = this._queue.shift();
        native.streamAsyncComplete(pending, 0);
        kick();
        return { value: x, done: false };
      }
      const s = this.stream;
      if (s._rc !== undefined) {
        this._over = true;
        if (s._rc !== 0) throw s._error();
        return { value: undefined, done: true };
      }
      await new Promise((resolve) => { this._waiter = resolve; });
    }
  }

  /** Leaves the loop: the stream is canceled (if still running) and waited for. */
  async return() {
    this._over = true;
    for (const [, pending] of this._queue.splice(0)) native.streamAsyncFail(pending);
    this.stream.cancel();
    await this.stream._done;
    return { value: undefined, done: true };
  }

  /** As return(), then err is thrown. */
  async throw(err) {
    await this.return();
    throw err;
  }
}

class Stream {
  constructor(sink, slots, run) {
    this._sink = sink;
    this._slots = slots;
    this._run = run;
    this._rc = undefined;
    this._done = new Promise((resolve) => { this._resolve = resolve; });
  }

  // The end, on the JS thread: what the handle knows is copied out and the handle released
  // at once, so that no message of the system outlives it in a stream the GC keeps.
  _ended(rc) {
    this._rc = rc;
    this._causes = this._slots.map((slot) => (slot === undefined ? undefined
      : table[slot]?.error ?? table[slot]?.fn?.lastError));
    const h = this._handle;
    this._final = this._closed
      ? { results: undefined, reason: 'canceled', metrics: [], actors: 0 }
      : {
        results: rc === 0 ? native.streamResults(h) : undefined,
        branches: rc === 0 && this._sink._branches ? native.streamBranches(h) : undefined,
        reason: native.streamReason(h),
        metrics: native.streamMetrics(h),
        actors: native.streamActors(h),
      };
    if (!this._closed) native.streamRelease(h);
    this._closed = true;
    // The lazy stages' ends: a Readable destroyed, a Writable ended or destroyed. What they
    // wait for (a Writable's finish) settles before result(), its rejection kept for it.
    const waits = [];
    for (const end of this._run.ends) {
      try {
        const p = end(rc, this);
        if (p) waits.push(p.then(() => undefined, (err) => err));
      } catch (err) {
        waits.push(Promise.resolve(err));
      }
    }
    this._settled = waits.length ? Promise.all(waits) : undefined;
    this._resolve(rc);
    reclaim();
  }

  // Cancels the stream on behalf of one of its ends (a Writable's error): result() rejects
  // with reason and cause instead of CanceledError.
  _abort(reason, cause) {
    if (this._abortReason === undefined) {
      this._abortReason = reason;
      this._abortCause = cause;
    }
    this.cancel();
  }

  _error() {
    if (this._abortReason !== undefined) {
      const err = makeError(errnos.ActorFailedError, `stream failed: ${this._abortReason}`);
      err.reason = this._abortReason;
      if (this._abortCause !== undefined) err.cause = this._abortCause;
      return err;
    }
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
    if (this._settled) {
      const failed = (await this._settled).find((e) => e !== undefined);
      if (failed !== undefined) {
        const err = makeError(errnos.ActorFailedError, 'stream failed: sink: the writable failed');
        err.reason = 'sink: the writable failed';
        err.cause = failed;
        throw err;
      }
    }
    return this._sink._result(this._final.results, this._final.branches);
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
  /** Pushes x into the stream's Source.queue: true if accepted, false if it is full (offer
   *  it again later). Never blocks. Throws StoppedError once completed or ended. */
  offer(x) {
    if (this._closed) throw makeError(errnos.StoppedError, 'offer: the stream ended');
    const ok = native.streamOffer(this._handle, x) === 0;
    kick();
    return ok;
  }
  /** Pushes x into the stream's Source.queue, waiting for room while it is full (as Akka's
   *  SourceQueue.offer gives a future): a Promise that resolves once x was accepted, or
   *  rejects with StoppedError once the queue was completed or the stream ended. The queue
   *  itself says when there is room: no polling. */
  async offerAsync(x) {
    for (;;) {
      if (this.offer(x)) return;
      const rc = await new Promise((resolve) => native.streamOnRoom(this._handle, resolve));
      if (rc !== 0) throw makeError(errnos.StoppedError, 'offer: the queue was completed or the stream ended');
    }
  }
  /** Closes a Source.queue: what it accepted goes on, then the stream completes. */
  complete() { this.drain(); }
  /** The pid of the stream's Source.actorRef (InvalidArgumentError for another source). */
  get sourcePid() {
    if (this._sourcePid === undefined)
      throw makeError(errnos.InvalidArgumentError, 'sourcePid: the source is not a Source.actorRef');
    return this._sourcePid;
  }
  /** The remote address of the stream's Source.actorRef, for remoteLookup on another node
   *  (NotFoundError without remoting; StoppedError once the stream ended). */
  get sourceAddress() {
    if (this._closed) throw makeError(errnos.StoppedError, 'sourceAddress: the stream ended');
    return native.streamSourceAddress(this._handle);
  }
  /** How many elements the Source.queue holds (accepted, not yet sent on). */
  get queued() { return this._closed ? 0 : native.streamQueued(this._handle); }
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

/** A producer's end of a Source.actorRef, on any node: push(x) asks the source to take x
 *  with at most opts.inFlight (default 4) asks unanswered, awaiting the oldest answer when
 *  that many are out, so the producer goes at the stream's pace. complete() awaits every
 *  answer, then ends the source. Rejects with StoppedError once the source answers
 *  STREAM_CLOSED, or with the ask's error (the stream or its node gone). */
class SourceRef {
  constructor(pid, opts = {}) {
    if (!pid || typeof pid.lo !== 'number') throw makeError(errnos.InvalidArgumentError, 'SourceRef needs a Pid');
    const inFlight = opts.inFlight ?? 4;
    if (!Number.isSafeInteger(inFlight) || inFlight <= 0)
      throw makeError(errnos.InvalidArgumentError, 'SourceRef: inFlight is a positive integer');
    this.pid = pid;
    this.inFlight = inFlight;
    this.timeout = opts.timeout ?? 30000;
    this._out = [];
  }
  async _settle() {
    const answer = await this._out.shift();
    if (answer && answer.type === STREAM_CLOSED.type)
      throw makeError(errnos.StoppedError, 'the source reference is closed');
  }
  /** Sends x; resolves once fewer than inFlight asks are unanswered. */
  async push(x) {
    while (this._out.length >= this.inFlight) await this._settle();
    const p = this.pid.ask(x, { timeout: this.timeout });
    p.catch(() => {}); // awaited by _settle; not an unhandled rejection meanwhile
    this._out.push(p);
  }
  /** Awaits every answer. */
  async flush() { while (this._out.length) await this._settle(); }
  /** Awaits every answer, then ends the source (STREAM_END). */
  async complete() {
    await this.flush();
    await this.pid.ask(STREAM_END, { timeout: this.timeout });
  }
}

module.exports = { Source, Sink, Flow, Stream, SourceRef, STREAM_ACK, STREAM_END, STREAM_CLOSED };
