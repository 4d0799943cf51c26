package dev.akt;

/**
 * One message an actor handled ({@link Tracing#setSink}): ids are lowercase hex, times are
 * nanoseconds since the Unix epoch.
 *
 * @param name "receive " and the message type
 * @param traceId 32 hex digits
 * @param spanId 16 hex digits
 * @param parentId the sender's span (the message's traceparent), or null for a root span
 * @param flags the trace's flags ({@link Tracing#SAMPLED})
 * @param startNs when receive began
 * @param endNs when it returned
 * @param actorPath the actor's path, "akt://sys/user/a"
 * @param messageType the message's type name
 * @param status 0, or the akt error code receive ended with (a thrown exception is a failure)
 */
public record Span(String name, String traceId, String spanId, String parentId, int flags,
                   long startNs, long endNs, String actorPath, String messageType, int status) {
}
