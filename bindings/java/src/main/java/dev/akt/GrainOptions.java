package dev.akt;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a grain kind ({@link ActorSystem#registerGrain}): immutable, each method
 * returns a new value. By default an activation deactivates after 2 minutes without a
 * message, as GoAkt's grains do.
 */
public final class GrainOptions {
    /** GoAkt's default idle time before a grain deactivates. */
    public static final Duration DEFAULT_DEACTIVATE_AFTER = Duration.ofMinutes(2);

    final Duration deactivateAfter; // ZERO = long-lived

    private GrainOptions(Duration deactivateAfter) {
        this.deactivateAfter = deactivateAfter;
    }

    /** The defaults: deactivation after {@link #DEFAULT_DEACTIVATE_AFTER}. */
    public static GrainOptions defaults() {
        return new GrainOptions(DEFAULT_DEACTIVATE_AFTER);
    }

    /**
     * Deactivates an activation once it received no message for after.
     *
     * @throws IllegalArgumentException if after is not positive (use {@link #longLived()})
     */
    public GrainOptions deactivateAfter(Duration after) {
        Objects.requireNonNull(after, "after");
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("akt: deactivateAfter must be positive, got " + after
                    + " (longLived() for grains that never deactivate)");
        }
        return new GrainOptions(after);
    }

    /** Activations never deactivate while the system runs. */
    public GrainOptions longLived() {
        return new GrainOptions(Duration.ZERO);
    }

    long deactivateAfterNanos() {
        try {
            return deactivateAfter.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return deactivateAfter.isZero() ? "GrainOptions[longLived]"
                : "GrainOptions[deactivateAfter=" + deactivateAfter + "]";
    }
}
