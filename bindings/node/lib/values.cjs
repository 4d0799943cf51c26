'use strict';
// The table of JS values in flight: a message passed by reference between JS actors is a
// slot number here, so nothing is serialized and the addon needs no napi_ref per message.
// The addon gives a slot back when akt releases the message, by writing it to the shared
// freed[] stack (lib/shared.cjs); reclaim() clears those entries so the values can be
// collected, and makes the slots reusable.

const { shared, F_FREED } = require('./shared.cjs');

const values = [];
const free = [];

function reclaim() {
  const flags = shared.flags;
  const n = flags[F_FREED];
  if (n === 0) return;
  const freed = shared.freed;
  for (let i = 0; i < n; i++) {
    const slot = freed[i];
    values[slot] = undefined;
    free.push(slot);
  }
  flags[F_FREED] = 0;
}

function put(value) {
  if (free.length === 0) {
    reclaim();
    if (free.length === 0) {
      values.push(value);
      return values.length - 1;
    }
  }
  const slot = free.pop();
  values[slot] = value;
  return slot;
}

const get = (slot) => values[slot];

// Internal, for tests: the slots taken now (after reclaiming the released ones), and whether
// a slot was given back twice (it would then be handed to two values at once).
function stats() {
  if (shared.flags) reclaim();
  return { inUse: values.length - free.length, doubleFreed: new Set(free).size !== free.length };
}

// Values that travel by reference; others (primitives, strings, byte arrays, Messages)
// travel as bytes made by the addon.
function byRef(v) {
  const t = typeof v;
  if (t === 'object') return v !== null && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);
  return t === 'function' || t === 'symbol'; // a BigInt goes to the addon: akt.Int64 (by reference too)
}

module.exports = { reclaim, put, get, byRef, values, stats };
