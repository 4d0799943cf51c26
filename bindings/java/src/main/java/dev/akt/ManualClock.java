package dev.akt;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;

/** A fake clock for {@link CircuitBreaker}s (tests, transcripts): time moves only with
 *  {@link #advance}. */
public final class ManualClock {
    private static final Cleaner CLEANER = Cleaner.create();
    final long address;
    private volatile long nowNanos;

    /**
     * A clock reading {@code start}.
     *
     * @param start the first reading, {@code >= 0}
     * @throws IllegalArgumentException for a negative start
     */
    public ManualClock(Duration start) {
        long ns = Objects.requireNonNull(start, "start").toNanos();
        if (ns < 0) {
            throw new IllegalArgumentException("akt: a clock starts at >= 0, not " + start);
        }
        address = AktNativeJNI.aktj_clock_new(ns);
        if (address == 0) {
            throw new OutOfMemoryError("akt: no memory for a clock");
        }
        nowNanos = ns;
        long a = address;
        CLEANER.register(this, () -> AktNativeJNI.aktj_clock_free(a));
    }

    /**
     * Moves the clock forward by {@code by}.
     *
     * @param by how far, {@code >= 0}
     * @throws IllegalArgumentException for a negative duration
     */
    public void advance(Duration by) {
        long ns = Objects.requireNonNull(by, "by").toNanos();
        if (ns < 0) {
            throw new IllegalArgumentException("akt: a clock moves forward only, not by " + by);
        }
        nowNanos = AktNativeJNI.aktj_clock_advance(address, ns);
    }

    /**
     * What the clock reads.
     *
     * @return the reading
     */
    public Duration now() {
        return Duration.ofNanos(nowNanos);
    }
}
