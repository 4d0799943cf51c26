'use strict';
// The options of ActorSystem.remoteSpawn (akt_remote_spawn_with, GoAkt's SpawnRequest): the
// local spawn's options that are data cross to the spawning node, checked by the same
// converters as a local spawn (lib/actor.cjs, lib/passivation.cjs). What cannot cross (a
// function: a supervisor's decide, rules by a class or name that is not akt's, a priority
// mailbox's compare; the dependencies, JS values) is refused here with
// InvalidArgumentError (AKT_EINVAL), a wrong type with TypeError, before anything is sent.

const { makeError, errnos, errnoOfRuleKey } = require('./errors.cjs');
const { budgetOf, mailboxOf, reentrancyOf, directiveOf, rulesOf } = require('./actor.cjs');
const { passivationOf } = require('./passivation.cjs');

const DEFAULT_TIMEOUT_MS = 10000;
const MAX_TIMEOUT_MS = 9e12; // the native side's bound: 9e18 ns

const cannotCross = (what) => makeError(errnos.InvalidArgumentError, `${what}: it cannot cross to another node`);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function supervisorOf(sup) {
  if (sup === undefined || sup === null) return [undefined, undefined];
  if (!isObject(sup)) throw new TypeError(`supervisor must be an object, not ${Array.isArray(sup) ? 'an array' : typeof sup}`);
  if (typeof sup.decide === 'function') throw cannotCross("a supervisor's decide is a function");
  if (sup.decide !== undefined && sup.decide !== null) {
    throw new TypeError(`supervisor.decide must be a function, not ${typeof sup.decide}`);
  }
  if (sup.directive !== undefined && sup.directive !== null && typeof sup.directive !== 'string' &&
      typeof sup.directive !== 'number') {
    throw new TypeError(`supervisor.directive must be a string, not ${typeof sup.directive}`);
  }
  if (sup.rules !== undefined && !Array.isArray(sup.rules)) {
    throw new TypeError('supervisor.rules must be an array of [error class or name, directive]');
  }
  if (sup.backoff !== undefined && sup.backoff !== null && !isObject(sup.backoff)) {
    throw new TypeError(`supervisor.backoff must be an object, not ${typeof sup.backoff}`);
  }
  // Rules cross by akt error code: an akt error class or an AKT_E* name; any other class
  // or name is matched against a JS error here, which the other node does not have.
  for (const [key] of rulesOf(sup).classRules) {
    if (errnoOfRuleKey(key) === undefined) {
      const name = typeof key === 'function' ? key.name || 'a class' : key;
      throw cannotCross(`a supervisor rule by ${name} (not an akt error class or AKT_E* code)`);
    }
  }
  return [directiveOf(sup.directive, 0), budgetOf(sup)];
}

function mailboxSpecOf(mb) {
  if (mb === undefined || mb === null) return undefined;
  if (!isObject(mb)) throw new TypeError(`mailbox must be an object, not ${Array.isArray(mb) ? 'an array' : typeof mb}`);
  if (mb.kind !== undefined && typeof mb.kind !== 'string') {
    throw new TypeError(`mailbox.kind must be a string, not ${typeof mb.kind}`);
  }
  if (mb.kind === 'priority') throw cannotCross("a priority mailbox's compare is a function");
  if (mb.capacity !== undefined && typeof mb.capacity !== 'number') {
    throw new TypeError(`mailbox.capacity must be a number, not ${typeof mb.capacity}`);
  }
  if (mb.whenFull !== undefined && typeof mb.whenFull !== 'string') {
    throw new TypeError(`mailbox.whenFull must be a string, not ${typeof mb.whenFull}`);
  }
  return mailboxOf(mb);
}

/**
 * [timeoutNs, directive, budget, mailbox, passivationStrategy, passivationValue, reentrancy,
 * maxInFlight] of remoteSpawn's opts: the arguments of native.remoteSpawn after the name.
 */
function remoteSpawnOptions(opts) {
  if (opts === undefined || opts === null) opts = {};
  else if (!isObject(opts)) throw new TypeError(`remoteSpawn's options must be an object, not ${typeof opts}`);
  const { timeout, timeoutMs, supervisor, mailbox, passivation, reentrancy, maxInFlight } = opts;
  if (timeout !== undefined && timeoutMs !== undefined) throw new TypeError('give timeout or timeoutMs, not both');
  const ms = timeout !== undefined ? timeout : timeoutMs !== undefined ? timeoutMs : DEFAULT_TIMEOUT_MS;
  if (typeof ms !== 'number' || !(ms > 0) || !(ms <= MAX_TIMEOUT_MS)) {
    throw new TypeError(`timeout must be a number of ms in (0, ${MAX_TIMEOUT_MS}]`);
  }
  if (opts.dependencies !== undefined) throw cannotCross('dependencies are JS values');
  const [directive, budget] = supervisorOf(supervisor);
  const mb = mailboxSpecOf(mailbox);
  let pv = [undefined, undefined];
  if (passivation !== undefined) {
    if (passivation !== null && typeof passivation !== 'string' && !isObject(passivation)) {
      throw new TypeError(`passivation must be an object or 'longLived', not ${typeof passivation}`);
    }
    pv = passivationOf(passivation);
  }
  if (reentrancy !== undefined && reentrancy !== null && typeof reentrancy !== 'string') {
    throw new TypeError(`reentrancy must be 'off', 'allowAll' or 'stash', not ${typeof reentrancy}`);
  }
  const mode = reentrancyOf(reentrancy);
  const inFlight = maxInFlight === undefined || maxInFlight === null ? 0 : maxInFlight;
  if (typeof inFlight !== 'number') throw new TypeError(`maxInFlight must be a number, not ${typeof inFlight}`);
  if (!Number.isInteger(inFlight) || inFlight < 0 || inFlight > 0x7fffffff) {
    throw makeError(errnos.InvalidArgumentError, `maxInFlight must be an integer >= 0, not ${String(inFlight)}`);
  }
  return [Math.max(1, Math.round(ms * 1e6)), directive, budget, mb, pv[0], pv[1], mode, inFlight];
}

module.exports = { remoteSpawnOptions };
