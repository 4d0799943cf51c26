package dev.akt.otel;

import dev.akt.Span;
import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * An OpenTelemetry SDK id generator that gives the spans {@link AktSpans} starts akt's ids
 * ({@code SdkTracerProvider.builder().setIdGenerator(AktIdGenerator.create())}), and any other
 * span the ids of the generator it wraps. Needs {@code io.opentelemetry:opentelemetry-sdk-trace}.
 */
public final class AktIdGenerator implements IdGenerator {
    private final IdGenerator others;

    private AktIdGenerator(IdGenerator others) {
        this.others = others;
    }

    /**
     * Wraps the SDK's random generator.
     *
     * @return the generator
     */
    public static AktIdGenerator create() {
        return new AktIdGenerator(IdGenerator.random());
    }

    /**
     * Wraps others, for spans that are not akt's.
     *
     * @param others the generator of every span that is not one of akt's
     * @return the generator
     * @throws NullPointerException if others is null
     */
    public static AktIdGenerator wrapping(IdGenerator others) {
        if (others == null) throw new NullPointerException("others");
        return new AktIdGenerator(others);
    }

    @Override
    public String generateSpanId() {
        Span s = AktSpans.STARTING.get(); // the SDK asks on the thread that starts the span
        return s != null ? s.spanId() : others.generateSpanId();
    }

    @Override
    public String generateTraceId() {
        Span s = AktSpans.STARTING.get();
        return s != null ? s.traceId() : others.generateTraceId();
    }
}
