package dev.akt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Export over OTLP/HTTP with protobuf ({@code akt/telemetry.h}, {@code akt_otlp_*}): a
 * system's spans and metrics sent to an OpenTelemetry collector by akt's own exporter thread,
 * in C.
 *
 * <pre>{@code
 * Otlp.start(system, Otlp.options("http://127.0.0.1:4318").header("authorization", "Bearer x")
 *         .serviceName("orders"));
 * boolean accepted = Otlp.flush(system, Duration.ofSeconds(10));
 * long dropped = Otlp.stats(system).spansDropped();
 * }</pre>
 *
 * <p>Spans go to {@code <endpoint>/v1/traces}, metric readings (GoAkt's instrument names)
 * every flush interval to {@code <endpoint>/v1/metrics}. No Java thread is involved: the
 * trace sink copies each span into a bounded queue and returns; a full queue drops the span
 * and counts it. A collector that is down, slow or answering errors costs bounded retries
 * (only for no answer, 429, 502, 503, 504), then counted drops, never a blocked actor. The
 * exporter installs the system's trace sink ({@link Tracing#setSink} afterwards replaces it)
 * and lives as long as the system. To hand spans to an OpenTelemetry SDK instead, see
 * {@link dev.akt.otel.AktSpans}.
 */
public final class Otlp {
    private Otlp() {
    }

    /** The options of {@link #start}: {@link #options(String)} gives akt's defaults. */
    public static final class Options {
        private final String endpoint;
        private final List<String> headers = new ArrayList<>();
        private String serviceName;
        private boolean traces = true;
        private boolean metrics = true;
        private long batchSize = 512;
        private long queueCapacity = 2048;
        private Duration flushInterval = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofSeconds(5);
        private long maxRetries = 2;

        private Options(String endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * A header sent with every request.
         *
         * @param name the header's name
         * @param value the header's value (no line break: {@link Otlp#start} refuses one)
         * @return these options
         */
        public Options header(String name, String value) {
            headers.add(Objects.requireNonNull(name, "name") + ": " + Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Every entry of headers, as {@link #header}.
         *
         * @param headers names to values
         * @return these options
         */
        public Options headers(Map<String, String> headers) {
            headers.forEach(this::header);
            return this;
        }

        /**
         * The resource's service.name (default "akt").
         *
         * @param name the service's name
         * @return these options
         */
        public Options serviceName(String name) {
            this.serviceName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Whether spans are exported (default true).
         *
         * @param on false to export no spans
         * @return these options
         */
        public Options traces(boolean on) {
            this.traces = on;
            return this;
        }

        /**
         * Whether metric readings are exported (default true).
         *
         * @param on false to export no metrics
         * @return these options
         */
        public Options metrics(boolean on) {
            this.metrics = on;
            return this;
        }

        /**
         * Spans per request, 1..65536 (default 512).
         *
         * @param n the most spans in one request (checked by {@link Otlp#start})
         * @return these options
         */
        public Options batchSize(long n) {
            this.batchSize = n;
            return this;
        }

        /**
         * Spans waiting at most, batchSize..1048576 (default 2048); more are dropped.
         *
         * @param n the most spans queued (checked by {@link Otlp#start})
         * @return these options
         */
        public Options queueCapacity(long n) {
            this.queueCapacity = n;
            return this;
        }

        /**
         * The export period, 10 ms..1 h (default 1 s).
         *
         * @param d the time between exports (checked by {@link Otlp#start})
         * @return these options
         */
        public Options flushInterval(Duration d) {
            this.flushInterval = Objects.requireNonNull(d, "flushInterval");
            return this;
        }

        /**
         * The time one request may take, 1 ms..10 min (default 5 s).
         *
         * @param d the timeout of one request (checked by {@link Otlp#start})
         * @return these options
         */
        public Options timeout(Duration d) {
            this.timeout = Objects.requireNonNull(d, "timeout");
            return this;
        }

        /**
         * Attempts after the first for a request that got no answer or 429/502/503/504, 0..10.
         *
         * @param n the retries of one request (checked by {@link Otlp#start})
         * @return these options
         */
        public Options maxRetries(long n) {
            this.maxRetries = n;
            return this;
        }
    }

    /**
     * What the exporter did since it started ({@code akt_otlp_stats}).
     *
     * @param spansQueued spans taken into the queue
     * @param spansExported spans of accepted requests
     * @param spansDropped spans dropped: the queue was full, or their request failed for good
     * @param spansDroppedFull of spansDropped, those the full queue dropped
     * @param pointsExported metric data points of accepted requests
     * @param pointsDropped metric data points of requests that failed for good
     * @param requests attempts made (a retry is one more)
     * @param requestsFailed attempts that failed (a transport error or a non-2xx status)
     * @param retries attempts that were retries
     * @param queueSize spans waiting now
     * @param lastHttpStatus the status of the last attempt, 0 if no answer came
     */
    public record Stats(long spansQueued, long spansExported, long spansDropped,
            long spansDroppedFull, long pointsExported, long pointsDropped, long requests,
            long requestsFailed, long retries, long queueSize, int lastHttpStatus) {
    }

    /**
     * Options for the collector at endpoint ({@code http://} or {@code https://}).
     *
     * @param endpoint the collector's base URL, without {@code /v1/...}
     * @return options with akt's defaults
     */
    public static Options options(String endpoint) {
        return new Options(endpoint);
    }

    /**
     * Starts the exporter of system. Throws {@link AktException} {@code AKT_EINVAL} for a value
     * akt refuses (a header with a line break, a range), {@code AKT_EEXIST} if the system has
     * an exporter, {@code AKT_ECLOSED} once it shuts down; IllegalArgumentException if
     * neither traces nor metrics are on.
     *
     * @param system the system whose spans and metrics are exported
     * @param o what to export, where, how often
     */
    public static void start(ActorSystem system, Options o) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(o, "options");
        if (!o.traces && !o.metrics) {
            throw new IllegalArgumentException("Otlp.start: nothing to export (traces and metrics both off)");
        }
        for (String h : o.headers) {
            if (h.indexOf('\n') >= 0 || h.indexOf('\r') >= 0) {
                Errors.check(Errors.code("EINVAL"), "Otlp.start: a header with a line break");
            }
        }
        int signals = (o.traces ? 1 : 0) | (o.metrics ? 2 : 0);
        Errors.check(AktNativeJNI.aktj_otlp_start(system.handle, o.endpoint,
                String.join("\n", o.headers), o.serviceName, signals, o.batchSize,
                o.queueCapacity, millis(o.flushInterval), millis(o.timeout), o.maxRetries),
                "Otlp.start");
    }

    private static long millis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Sends what is queued and a metric reading now and waits for it (at most timeout): true
     * if the collector accepted every request of that round, false if one failed (see
     * {@link #stats}). Throws {@link AktException}
     * {@code AKT_ETIMEDOUT} when the time ran out, {@code AKT_ENOTFOUND} without an exporter,
     * {@code AKT_ECLOSED} once it stopped. Blocks the calling thread: not from an actor.
     *
     * @param system a system with an exporter
     * @param timeout the longest wait
     * @return true if every request of the round was accepted
     */
    public static boolean flush(ActorSystem system, Duration timeout) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(timeout, "timeout");
        int rc = AktNativeJNI.aktj_otlp_flush(system.handle, millis(timeout));
        if (rc == Errors.code("EUNREACHABLE")) return false;
        Errors.check(rc, "Otlp.flush");
        return true;
    }

    /**
     * The exporter's counters (also exported as akt.otlp.* instruments).
     *
     * @param system a system with an exporter
     * @return a snapshot of the counters
     * @throws AktException {@code AKT_ENOTFOUND} without an exporter
     */
    public static Stats stats(ActorSystem system) {
        Objects.requireNonNull(system, "system");
        long[] v = new long[11];
        Errors.check(AktNativeJNI.aktj_otlp_stats(system.handle, v), "Otlp.stats");
        return new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], (int) v[10]);
    }
}
