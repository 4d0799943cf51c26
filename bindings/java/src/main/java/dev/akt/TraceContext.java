package dev.akt;

/**
 * What a W3C traceparent header carries ({@link Tracing#parseTraceparent}).
 *
 * @param traceId 32 lowercase hex digits
 * @param spanId 16 lowercase hex digits
 * @param flags the trace flags ({@link Tracing#SAMPLED})
 */
public record TraceContext(String traceId, String spanId, int flags) {
}
