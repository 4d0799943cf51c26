package dev.akt;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A circuit breaker: closed / open / half-open over a sliding window of outcomes.
 * {@link #call} runs an asynchronous task unless the breaker is open; a failed stage (or a
 * supplier that throws) counts as a failure. Thread-safe.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder().failureRate(0.5).minRequests(10).build();
 * breaker.call(() -> client.fetch()).thenAccept(...);   // BreakerOpenException when open
 * }</pre>
 */
public final class CircuitBreaker {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The breaker's state. */
    public enum State {
        /** Calls go through; outcomes are counted in the window. */
        CLOSED,
        /** Calls are refused ({@link BreakerOpenException}) until the open timeout passed. */
        OPEN,
        /** Up to the half-open calls go through as trials: all succeed, closed; one fails, open. */
        HALF_OPEN
    }

    /**
     * A snapshot: outcomes in the window, their failure rate, calls refused since creation.
     *
     * @param state the state now
     * @param successes the successes in the window
     * @param failures the failures in the window
     * @param failureRate failures / (successes + failures), 0 for an empty window
     * @param rejected the calls refused since the breaker was made
     */
    public record Metrics(State state, long successes, long failures, double failureRate,
                          long rejected) {}

    final long handle; // read by Context.pipeTo
    private final ManualClock clock; // kept alive as long as the breaker

    private CircuitBreaker(Builder b) {
        this.clock = b.clock;
        long[] out = new long[1];
        Errors.check(AktNativeJNI.aktj_breaker_create(b.failureRate, b.minRequests,
                b.openTimeout.toNanos(), b.window.toNanos(), b.windowBuckets, b.halfOpenMaxCalls,
                clock != null ? clock.address : 0, out), "CircuitBreaker");
        handle = out[0];
        long h = handle;
        CLEANER.register(this, () -> AktNativeJNI.aktj_breaker_free(h));
    }

    /**
     * A builder with GoAkt's defaults: failure rate 0.5, 10 minimum requests, open 30 s, a
     * 60 s window in 12 buckets, 1 half-open call, the monotonic clock.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks to start one call; report its outcome with {@link #record} exactly once.
     *
     * @throws BreakerOpenException if the call may not start
     */
    public void allow() {
        int rc = AktNativeJNI.aktj_breaker_allow(handle);
        if (rc != 0) {
            throw new BreakerOpenException(rc, "akt: circuit breaker is open: the call was not started");
        }
    }

    /**
     * The outcome of a call {@link #allow} let through.
     *
     * @param success true if the call succeeded
     */
    public void record(boolean success) {
        AktNativeJNI.aktj_breaker_record(handle, success ? 1 : 0);
    }

    /**
     * Runs task through the breaker: the stage it returns completes as the task's does; when
     * the breaker is open the stage fails with {@link BreakerOpenException} and task is not
     * called.
     *
     * @param <T> the task's value
     * @param task starts the call and gives its stage; called on this thread, only if allowed
     * @return a stage completing as the task's, or failed with {@link BreakerOpenException}
     */
    public <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> task) {
        Objects.requireNonNull(task, "task");
        try {
            allow();
        } catch (BreakerOpenException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(task.get(), "the task's stage");
        } catch (RuntimeException | Error e) {
            record(false);
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((v, err) -> {
            record(err == null);
            if (err == null) {
                result.complete(v);
            } else {
                result.completeExceptionally(err);
            }
        });
        return result;
    }

    /**
     * The state now (an open breaker whose timeout passed reads half-open).
     *
     * @return the state
     */
    public State state() {
        return metrics().state();
    }

    /**
     * A snapshot of the window and the counters.
     *
     * @return the snapshot
     */
    public Metrics metrics() {
        long[] v = new long[4];
        Errors.check(AktNativeJNI.aktj_breaker_metrics(handle, v), "CircuitBreaker.metrics");
        long n = v[1] + v[2];
        return new Metrics(State.values()[(int) v[0]], v[1], v[2], n == 0 ? 0.0 : (double) v[2] / (double) n, v[3]);
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + state() + "]";
    }

    /** The options of a breaker; checked by {@link #build}. */
    public static final class Builder {
        private double failureRate = 0.5;
        private long minRequests = 10;
        private Duration openTimeout = Duration.ofSeconds(30);
        private Duration window = Duration.ofSeconds(60);
        private long windowBuckets = 12;
        private long halfOpenMaxCalls = 1;
        private ManualClock clock;

        private Builder() {}

        /**
         * (0, 1]: open when failures / outcomes reaches it ...
         *
         * @param rate the failure rate that opens the breaker
         * @return this builder
         */
        public Builder failureRate(double rate) {
            this.failureRate = rate;
            return this;
        }

        /**
         * ... and the window holds at least this many outcomes (>= 1).
         *
         * @param n the fewest outcomes before the rate counts
         * @return this builder
         */
        public Builder minRequests(long n) {
            this.minRequests = n;
            return this;
        }

        /**
         * How long it stays open before trial calls (> 0).
         *
         * @param d the time open
         * @return this builder
         */
        public Builder openTimeout(Duration d) {
            this.openTimeout = Objects.requireNonNull(d, "openTimeout");
            return this;
        }

        /**
         * The sliding window (> 0) and its buckets (1..64).
         *
         * @param d the window's length
         * @param buckets the buckets it is cut into (outcomes leave a bucket at a time)
         * @return this builder
         */
        public Builder window(Duration d, long buckets) {
            this.window = Objects.requireNonNull(d, "window");
            this.windowBuckets = buckets;
            return this;
        }

        /**
         * Trial calls when half-open (>= 1); all succeed: closed.
         *
         * @param n the trial calls
         * @return this builder
         */
        public Builder halfOpenMaxCalls(long n) {
            this.halfOpenMaxCalls = n;
            return this;
        }

        /**
         * A fake clock (tests).
         *
         * @param clock the clock the breaker reads instead of the monotonic one
         * @return this builder
         */
        public Builder clock(ManualClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes the breaker, closed.
         *
         * @return the breaker
         * @throws IllegalArgumentException for an option out of range
         */
        public CircuitBreaker build() {
            try {
                return new CircuitBreaker(this);
            } catch (AktException e) {
                if (e.code() == Errors.EINVAL) {
                    throw new IllegalArgumentException("akt: a circuit breaker option is out of range", e);
                }
                throw e;
            }
        }
    }
}
