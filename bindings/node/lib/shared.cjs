'use strict';
// The memory shared with the addon: flags (a pump is wanted, entries in freed, the callback
// failed), scratch (pids returned, callback arguments; ints is the same memory, signed) and
// freed (value slots released). Its layout is defined once, in C (an_shared in
// src/addon.h), and comes with the addon as `native.layout`: the offsets of the views and
// the meaning of each index, named here for the other modules.

const native = require('./addon.cjs');

const layout = native.layout;
const shared = { flags: null, scratch: null, ints: null, freed: null };

// Views of the buffer native.init() returned.
function attach(ab) {
  const { flags, scratch, freed } = layout;
  if (!(ab instanceof ArrayBuffer) || ab.byteLength !== layout.bytes)
    throw new Error(`akt: the addon's shared buffer is not the ${layout.bytes} bytes it declares`);
  shared.flags = new Int32Array(ab, flags.offset, flags.length);
  shared.scratch = new Uint32Array(ab, scratch.offset, scratch.length);
  shared.ints = new Int32Array(ab, scratch.offset, scratch.length);
  shared.freed = new Int32Array(ab, freed.offset, freed.length);
}

module.exports = {
  shared,
  attach,
  layout,
  // Indices into shared.flags.
  F_PUMP: layout.flags.pump,
  F_FREED: layout.flags.freed,
  F_FAILED: layout.flags.failed,
  // Indices into shared.scratch / shared.ints: a pid is two words (lo, hi) from its index.
  S_PID: layout.scratch.pid,
  S_PID2: layout.scratch.pid2,
  S_TELL_SLOT: layout.scratch.tellSlot,
  S_ACTOR: layout.scratch.actor,
  S_MESSAGE: layout.scratch.message,
  // What native.next() writes to ints[S_MESSAGE] besides value-table slots (>= 0).
  NEXT_END: layout.next.end,
  NEXT_TYPED: layout.next.typed,
};
