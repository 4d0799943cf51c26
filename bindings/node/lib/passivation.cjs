'use strict';
// Passivation (akt.h, "Passivation"): spawn option { passivation } and the system default.
//   { idle: ms }       after ms without a message
//   { messages: n }    once n messages were handled and the mailbox is empty
//   'longLived'        never (the default of every actor)

const native = require('./addon.cjs');
const { makeError, errnos } = require('./errors.cjs');

const NEVER = 0;
const IDLE = 1;
const MESSAGES = 2;
const MAX = (1n << 62n) - 1n;

/** [strategy, value: bigint] of a passivation option; throws InvalidArgumentError. */
function passivationOf(p) {
  if (p === 'longLived' || p === null) return [NEVER, 0n];
  if (p && typeof p === 'object' && Object.keys(p).length === 1) {
    if (typeof p.idle === 'number' && Number.isFinite(p.idle) && p.idle > 0) {
      const ns = BigInt(Math.round(p.idle * 1e6));
      if (ns > 0n && ns <= MAX) return [IDLE, ns];
    }
    if (Number.isInteger(p.messages) && p.messages >= 1) return [MESSAGES, BigInt(p.messages)];
  }
  throw makeError(errnos.InvalidArgumentError,
    "passivation is { idle: ms > 0 }, { messages: n >= 1 } or 'longLived'");
}

function check(rc, what) {
  if (rc !== 0) throw makeError(rc, what);
}

module.exports = { passivationOf, check };
