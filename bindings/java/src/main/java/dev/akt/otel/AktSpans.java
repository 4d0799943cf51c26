package dev.akt.otel;

import dev.akt.Span;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns akt's spans ({@link dev.akt.Tracing#setSink}) into spans of an OpenTelemetry
 * {@link Tracer}: {@code Tracing.setSink(system, AktSpans.sink(tracer))}. Each keeps akt's
 * name, times, trace id and parent: the parent becomes a remote parent
 * ({@link SpanContext#createFromRemoteParent}) of the span's context.
 *
 * <p>OpenTelemetry's API cannot set a span's own id: its SDK draws it from an
 * {@code IdGenerator}. A tracer of an SDK built with {@link AktIdGenerator#create()} keeps akt's
 * span ids (and the trace ids of root spans) too, so the spans' parent links hold in the
 * exported trace; with any other tracer the spans get fresh ids, their parents still name akt's
 * ids, and a root span starts a fresh trace.
 */
public final class AktSpans {
    /** The handling actor's path. */
    public static final AttributeKey<String> ACTOR_ADDRESS = AttributeKey.stringKey("actor.address");
    /** The handled message's type name. */
    public static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("message.type");
    /** The akt error code receive ended with (absent when it is 0). */
    public static final AttributeKey<Long> ERROR_CODE = AttributeKey.longKey("akt.error.code");

    /** The ids of the span being started on this thread, read by {@link AktIdGenerator}. */
    static final ThreadLocal<Span> STARTING = new ThreadLocal<>();

    private AktSpans() {
    }

    /**
     * A sink for {@link dev.akt.Tracing#setSink} that records every span with tracer.
     *
     * @param tracer the tracer the spans are recorded with
     * @return the sink: it runs {@link #record} for each span, on the handling actor's thread
     */
    public static Consumer<Span> sink(Tracer tracer) {
        Objects.requireNonNull(tracer, "tracer");
        return s -> record(tracer, s);
    }

    /**
     * Records one akt span with tracer (started and ended at akt's times);
     * IllegalArgumentException for a span whose ids or times are not a span's.
     *
     * @param tracer the tracer the span is recorded with
     * @param s the span akt made
     */
    public static void record(Tracer tracer, Span s) {
        Objects.requireNonNull(tracer, "tracer");
        Objects.requireNonNull(s, "span");
        if (!TraceId.isValid(s.traceId()) || !SpanId.isValid(s.spanId())
                || (s.parentId() != null && !SpanId.isValid(s.parentId()))
                || s.name() == null || s.endNs() < s.startNs()) {
            throw new IllegalArgumentException("not an akt span: " + s);
        }
        SpanBuilder b = tracer.spanBuilder(s.name())
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(s.startNs(), TimeUnit.NANOSECONDS)
                .setAttribute(ACTOR_ADDRESS, s.actorPath())
                .setAttribute(MESSAGE_TYPE, s.messageType());
        if (s.parentId() == null) {
            b.setNoParent();
        } else {
            SpanContext parent = SpanContext.createFromRemoteParent(s.traceId(), s.parentId(),
                    TraceFlags.fromByte((byte) s.flags()), TraceState.getDefault());
            b.setParent(Context.root().with(io.opentelemetry.api.trace.Span.wrap(parent)));
        }
        if (s.status() != 0) b.setAttribute(ERROR_CODE, (long) s.status());
        io.opentelemetry.api.trace.Span out;
        STARTING.set(s);
        try {
            out = b.startSpan();
        } finally {
            STARTING.remove();
        }
        if (s.status() != 0) out.setStatus(StatusCode.ERROR, "akt error " + s.status());
        out.end(s.endNs(), TimeUnit.NANOSECONDS);
    }
}
