'use strict';
// Metrics (akt/telemetry.h): system.metrics(), pid.metrics(), system.actorMetrics(),
// system.collectMetrics() as plain objects; instrument(system, meter) hands them to
// OpenTelemetry (@opentelemetry/api, when installed) as one observable instrument per
// name, named as GoAkt's (actor.processed.count, actorsystem.deadletters.count, ...).

const native = require('./addon.cjs');
const { kHandle } = require('./internal.cjs');

const NS = 1e9;

function systemMetrics(system) {
  const v = native.metricsSystem(system[kHandle]);
  return {
    actorsAlive: v[0], actorsSpawned: v[1], actorsStopped: v[2], restarts: v[3],
    failures: v[4], deadLetters: v[5], unhandled: v[6], uptime: v[7] / NS,
    grains: v[8], peers: v[9], passivated: v[10], scheduled: v[11], cancelled: v[12],
  };
}

function actorFields(v, at) {
  return {
    processed: v[at], restarts: v[at + 1], failures: v[at + 2], unhandled: v[at + 3],
    mailboxSize: v[at + 4], stashSize: v[at + 5], children: v[at + 6],
    lastProcessingDuration: v[at + 7] / NS, uptime: v[at + 8] / NS,
    deadLetters: v[at + 9], reinstates: v[at + 10], kind: v[at + 11],
  };
}

function pidMetrics(pid) {
  return actorFields(native.metricsActor(pid.system[kHandle], pid.lo, pid.hi), 0);
}

function actorMetrics(system) {
  return native.metricsForeach(system[kHandle]).map((row) => ({ path: row[0], ...actorFields(row, 1) }));
}

const KINDS = ['counter', 'gauge'];

function collectMetrics(system) {
  return native.metricsCollect(system[kHandle]).map((r) => ({
    name: r[0], kind: KINDS[r[1]] || 'gauge', unit: r[2], description: r[3], attributes: r[4], value: r[5],
  }));
}

function setLowCardinality(system, on) {
  native.metricsLowCardinality(system[kHandle], on !== false);
}

const SCOPE = 'github.com/Tochemey/goakt/v4/telemetry';

/**
 * Registers the system's instruments with an OpenTelemetry meter (default: the global
 * meter provider's meter of GoAkt's scope, from @opentelemetry/api). Returns the
 * instruments. Throws if no meter is given and @opentelemetry/api is not installed, and a
 * TypeError for a system that is not an ActorSystem or a meter without the observable
 * instrument factories.
 */
function instrument(system, meter) {
  if (system === null || typeof system !== 'object' || !system[kHandle]) {
    throw new TypeError('instrumentMetrics: system must be an ActorSystem');
  }
  if (meter != null && (typeof meter.createObservableCounter !== 'function' ||
      typeof meter.createObservableGauge !== 'function')) {
    throw new TypeError('instrumentMetrics: meter must be an OpenTelemetry Meter');
  }
  if (!meter) meter = require('@opentelemetry/api').metrics.getMeter(SCOPE); // optional dependency
  const first = new Map();
  for (const p of collectMetrics(system)) if (!first.has(p.name)) first.set(p.name, p);
  const made = [];
  for (const p of first.values()) {
    const opts = { unit: p.unit, description: p.description };
    const inst = p.kind === 'counter'
      ? meter.createObservableCounter(p.name, opts)
      : meter.createObservableGauge(p.name, opts);
    inst.addCallback((result) => {
      for (const q of collectMetrics(system)) if (q.name === p.name) result.observe(q.value, q.attributes);
    });
    made.push(inst);
  }
  return made;
}

module.exports = { systemMetrics, pidMetrics, actorMetrics, collectMetrics, setLowCardinality, instrument };
