'use strict';
// Runs JS actors on this thread. akt wakes us (a threadsafe function) once for many
// messages; each pump drains a batch (a budget of messages) and, while work remains,
// re-schedules itself with setImmediate so timers and I/O interleave with actor work.
// Sends made from plain JS code set flags[F_PUMP] instead of a cross-thread wake-up: kick()
// then runs a pump in a microtask, which makes ask round trips short.

const native = require('./addon.cjs');
const values = require('./values.cjs');
const { shared, attach, F_PUMP } = require('./shared.cjs');

const BUDGET = 4096;
// Microtask pumps in a row before yielding to the event loop with setImmediate, and the time
// such a chain may take: slow handlers in a chain of 256 pumps starved timers for seconds.
const MICRO_CHAIN_MAX = 256;
const MICRO_CHAIN_MS = 10;

let scheduled = false;
let inPump = false;
let microChain = 0;
let chainStart = 0;

function pump() {
  scheduled = false;
  inPump = true;
  let more;
  try {
    more = native.pump(BUDGET);
  } finally {
    inPump = false;
    values.reclaim();
  }
  if (more && !scheduled) {
    scheduled = true;
    microChain = 0;
    setImmediate(pump);
  }
}

// akt's wake-up (the threadsafe function, in the loop's poll phase). The pump runs in this
// iteration's check phase rather than here: Node dispatches queued threadsafe calls in one
// loop, and akt threads that wake us again during a pump (a tick source every 2 ms behind a
// slow sink) would keep that loop, and every timer, waiting.
function pumpFromLoop() {
  microChain = 0;
  if (scheduled) return;
  scheduled = true;
  setImmediate(pump);
}

function kick() {
  if (shared.flags[F_PUMP] === 0 || scheduled || inPump) return;
  scheduled = true;
  if (++microChain === 1) chainStart = performance.now();
  if (microChain < MICRO_CHAIN_MAX && performance.now() - chainStart < MICRO_CHAIN_MS) {
    queueMicrotask(pump);
  } else {
    microChain = 0;
    setImmediate(pump);
  }
}

// Runs pumps on this thread until done() holds: spawn from plain JS code waits so for the
// actor's preStart. Inside a pump (an actor's callback) it returns at once: the actor
// starts before its first message. Stops too if two pumps in a row had nothing to run.
function pumpUntil(done) {
  if (inPump) return;
  let idle = 0;
  while (!done() && idle < 2) {
    inPump = true;
    let more;
    try {
      more = native.pump(BUDGET);
    } finally {
      inPump = false;
      values.reclaim();
    }
    idle = more ? 0 : idle + 1;
  }
}

function install(hooks) {
  const ab = native.init({ ...hooks, pump: pumpFromLoop, put: values.put, get: values.get });
  attach(ab);
}

module.exports = { install, kick, pumpUntil };
