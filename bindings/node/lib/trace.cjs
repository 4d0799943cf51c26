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

// otlp begin: akt's spans handed to the OpenTelemetry API (@opentelemetry/api)
let starting = null; // the span recordSpan is starting, read by idGenerator()'s generator

const hex = (s, n) => typeof s === 'string' && s.length === n && /^[0-9a-f]+$/.test(s) && /[1-9a-f]/.test(s);
const hrtime = (ns) => [Number(ns / 1000000000n), Number(ns % 1000000000n)];

/**
 * Records one akt span with an OpenTelemetry tracer (api: the @opentelemetry/api module,
 * required when not given): started and ended at akt's times, kind CONSUMER, akt's name,
 * trace id and parent (a remote parent), the attributes actor.address, message.type and,
 * when receive failed, akt.error.code (and an ERROR status). The API cannot set a span's
 * own id: a tracer of an SDK provider made with { idGenerator: tracing.idGenerator() }
 * keeps akt's span ids (and root spans' trace ids), so that parent links hold in what it
 * exports. Throws TypeError for a span whose ids or times are not a span's.
 */
function recordSpan(tracer, span, api) {
  if (!api) api = require('@opentelemetry/api'); // optional dependency
  if (span === null || typeof span !== 'object' || !hex(span.traceId, 32) || !hex(span.spanId, 16) ||
      (span.parentId !== null && !hex(span.parentId, 16)) || typeof span.startNs !== 'bigint' ||
      typeof span.endNs !== 'bigint' || span.endNs < span.startNs) {
    throw new TypeError('recordSpan: not an akt span');
  }
  const ctx = span.parentId === null
    ? api.ROOT_CONTEXT
    : api.trace.setSpanContext(api.ROOT_CONTEXT, {
      traceId: span.traceId, spanId: span.parentId, traceFlags: span.flags & 0xff, isRemote: true,
    });
  const attributes = { 'actor.address': span.actorPath, 'message.type': span.messageType };
  if (span.status) attributes['akt.error.code'] = span.status;
  starting = span;
  let out;
  try {
    out = tracer.startSpan(span.name, {
      kind: api.SpanKind.CONSUMER, startTime: hrtime(span.startNs), attributes, root: span.parentId === null,
    }, ctx);
  } finally {
    starting = null;
  }
  if (span.status) out.setStatus({ code: api.SpanStatusCode.ERROR, message: `akt error ${span.status}` });
  out.end(hrtime(span.endNs));
}

/** A sink for setTraceSink that records every span with tracer (see recordSpan). */
function otelSink(tracer, api) {
  if (!tracer || typeof tracer.startSpan !== 'function') {
    throw new TypeError('otelSink: tracer must be an OpenTelemetry Tracer');
  }
  if (!api) api = require('@opentelemetry/api');
  return (span) => recordSpan(tracer, span, api);
}

/**
 * An id generator for the OpenTelemetry SDK ({ idGenerator } of a tracer provider) that gives
 * the spans recordSpan starts akt's ids, and any other span those of others (default:
 * random ids).
 */
function idGenerator(others) {
  const rnd = (n) => {
    let s;
    do s = require('node:crypto').randomBytes(n).toString('hex'); while (!/[1-9a-f]/.test(s));
    return s;
  };
  return {
    generateTraceId: () => (starting ? starting.traceId : others ? others.generateTraceId() : rnd(16)),
    generateSpanId: () => (starting ? starting.spanId : others ? others.generateSpanId() : rnd(8)),
  };
}
// otlp end

module.exports = {
  HEADER, SAMPLED, setTraceSink, traceInvalidCount, parseTraceparent, formatTraceparent,
  recordSpan, otelSink, idGenerator,
};
