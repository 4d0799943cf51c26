'use strict';
// Tracing (akt/telemetry.h): W3C traceparent values, and a span per handled message handed
// to a plain callback. setTraceSink(system, fn) calls fn(span) on the JS thread, in order,
// for every message an actor of system handled; span.parentId is the span of whoever sent
// it (the message's traceparent header), null for a root. What an actor sends while
// handling a message carries its span's traceparent, across remoting too.

const native = require('./addon.cjs');
const { kHandle } = require('./internal.cjs');

const HEADER = 'traceparent';
const SAMPLED = 1;
const sinks = new WeakMap(); // system -> the native sink handle installed last

function setTraceSink(system, fn) {
  if (fn !== null && typeof fn !== 'function') {
    throw new TypeError('setTraceSink: fn must be a function or null');
  }
  const wrap = fn && ((name, traceId, spanId, parentId, flags, startNs, endNs, actorPath, messageType, status) =>
    fn(Object.freeze({ name, traceId, spanId, parentId, flags, startNs, endNs, actorPath, messageType, status })));
  const handle = native.traceSetSink(system[kHandle], wrap || null, sinks.get(system));
  if (handle) sinks.set(system, handle);
  else sinks.delete(system);
}

function traceInvalidCount(system) {
  return native.traceInvalidCount(system[kHandle]);
}

/** The trace context of a traceparent value ({ traceId, spanId, flags }), or null. */
function parseTraceparent(value) {
  if (typeof value !== 'string') return null;
  const r = native.traceparentParse(value);
  return r && { traceId: r[0], spanId: r[1], flags: r[2] };
}

/** The version 00 traceparent of { traceId, spanId, flags }; throws for bad ids. */
function formatTraceparent(ctx) {
  return native.traceparentFormat(ctx.traceId, ctx.spanId, ctx.flags ?? SAMPLED);
}

module.exports = { HEADER, SAMPLED, setTraceSink, traceInvalidCount, parseTraceparent, formatTraceparent };
