'use strict';
// Export over OTLP/HTTP with protobuf (akt/telemetry.h, akt_otlp_*): a system's spans and
// metrics sent to an OpenTelemetry collector by akt's own exporter thread, in C.
//
//   akt.otlp.start(system, { endpoint: 'http://127.0.0.1:4318', headers: { authorization: 'x' } });
//   await akt.otlp.flush(system);          // true: everything queued so far was accepted
//   akt.otlp.stats(system).spansDropped;
//
// Nothing of it runs on the JS thread: the trace sink copies each span into a bounded
// queue and returns, a full queue drops the span (counted); a collector that is down, slow
// or answering errors costs bounded retries, then counted drops, never a blocked actor.
// The exporter installs the system's trace sink (tracing.setTraceSink afterwards replaces
// it) and lives as long as the system.

const native = require('./addon.cjs');
const { kHandle } = require('./internal.cjs');

const TRACES = 1; // AKT_OTLP_TRACES
const METRICS = 2; // AKT_OTLP_METRICS

function int(options, key, dflt) {
  const v = options[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`otlp.start: ${key} must be an integer`);
  }
  if (v < 0 || v > 0xffffffff) throw new RangeError(`otlp.start: ${key} out of range: ${v}`);
  return v;
}

/**
 * Starts the exporter of system. options: endpoint (required, http:// or https://),
 * headers ({ name: value } or ['Name: value']), serviceName, traces, metrics (both true by
 * default), batchSize (512), queueCapacity (2048), flushIntervalMs (1000), timeoutMs (5000),
 * maxRetries (2). Throws InvalidArgumentError for a value akt refuses, ExistsError if the
 * system has an exporter, ClosedError once it shuts down.
 */
function start(system, options) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('otlp.start: options must be an object with an endpoint');
  }
  const { endpoint, headers = [], serviceName = null, traces = true, metrics = true } = options;
  if (typeof endpoint !== 'string') throw new TypeError('otlp.start: endpoint must be a string');
  let lines;
  if (Array.isArray(headers)) lines = headers;
  else if (headers !== null && typeof headers === 'object') {
    lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  } else throw new TypeError('otlp.start: headers must be an object or an array of "Name: value"');
  for (const h of lines) if (typeof h !== 'string') throw new TypeError('otlp.start: each header must be a string');
  if (serviceName !== null && typeof serviceName !== 'string') {
    throw new TypeError('otlp.start: serviceName must be a string');
  }
  if (!traces && !metrics) throw new RangeError('otlp.start: nothing to export (traces and metrics both off)');
  native.otlpStart(system[kHandle], endpoint, lines, serviceName,
    (traces ? TRACES : 0) | (metrics ? METRICS : 0), int(options, 'batchSize', 512),
    int(options, 'queueCapacity', 2048), int(options, 'flushIntervalMs', 1000),
    int(options, 'timeoutMs', 5000), int(options, 'maxRetries', 2));
}

/**
 * Sends what is queued and a metric reading now. Resolves true if the collector accepted
 * every request of that round, false if one failed (see stats); rejects with TimeoutError
 * when timeoutMs (30000) ran out, NotFoundError without an exporter, ClosedError once it
 * stopped. Waits on libuv's thread pool, not on the JS thread.
 */
function flush(system, { timeoutMs = 30000 } = {}) {
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
    return Promise.reject(new TypeError('otlp.flush: timeoutMs must be a number >= 0'));
  }
  return native.otlpFlush(system[kHandle], Math.floor(timeoutMs));
}

/** The exporter's counters (also exported as akt.otlp.* instruments). */
function stats(system) {
  return Object.freeze(native.otlpStats(system[kHandle]));
}

module.exports = { start, flush, stats };
