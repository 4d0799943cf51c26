package dev.akt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tracing (akt/telemetry.h): W3C traceparent values, and a span per message an actor handled.
 * With a sink set, each handled message is a {@link Span} whose parent is the message's
 * {@code traceparent} header; what the actor sends while handling it carries the span's own
 * traceparent, across remoting too, so a request through actors on connected systems is one
 * trace. The sink runs on the handling actor's thread once receive returned: it must not block.
 */
public final class Tracing {
    /** The header that carries the trace context. */
    public static final String HEADER = "traceparent";
    /** The sampled flag. */
    public static final int SAMPLED = 1;

    private Tracing() {
    }

    /**
     * Installs sink (replacing the one before); null switches tracing off.
     *
     * @param system the system traced
     * @param sink called with each span, or null
     */
    public static void setSink(ActorSystem system, Consumer<Span> sink) {
        Objects.requireNonNull(system, "system");
        TraceSink s = sink == null ? null : new TraceSink(system, sink);
        Errors.check(AktNativeJNI.aktj_trace_set_sink(system.handle, s), "setSink");
    }

    /**
     * Invalid traceparent headers seen on handled messages (ignored: each a root span).
     *
     * @param system the system traced
     * @return the count since the system started
     */
    public static long invalidCount(ActorSystem system) {
        Objects.requireNonNull(system, "system");
        long n = AktNativeJNI.aktj_trace_invalid_count(system.handle);
        if (n < 0) Errors.check((int) n, "invalidCount");
        return n;
    }

    /**
     * The trace context of a traceparent value, empty if it is not a valid one (strict).
     *
     * @param value a traceparent header's value, or null
     * @return its trace context, or empty
     */
    public static Optional<TraceContext> parseTraceparent(String value) {
        if (value == null) return Optional.empty();
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        long[] out = new long[4];
        if (raw.length > 256 || AktNativeJNI.aktj_traceparent_parse(raw, out) != 0) return Optional.empty();
        return Optional.of(new TraceContext(TraceSink.hex(out[0]) + TraceSink.hex(out[1]),
                TraceSink.hex(out[2]), (int) out[3]));
    }

    /**
     * The version 00 traceparent of ctx; IllegalArgumentException for ids akt refuses.
     *
     * @param ctx 32 and 16 lower-case hex digits, not all zeros, and the flags
     * @return {@code 00-<trace id>-<span id>-<flags>}
     */
    public static String formatTraceparent(TraceContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        String t = ctx.traceId(), s = ctx.spanId();
        if (t == null || s == null || t.length() != 32 || s.length() != 16
                || !t.matches("[0-9a-f]+") || !s.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("not a trace context: " + ctx);
        }
        String out = AktNativeJNI.aktj_traceparent_format(Long.parseUnsignedLong(t.substring(0, 16), 16),
                Long.parseUnsignedLong(t.substring(16), 16), Long.parseUnsignedLong(s, 16), ctx.flags());
        if (out == null) throw new IllegalArgumentException("not a trace context: " + ctx);
        return out;
    }
}
