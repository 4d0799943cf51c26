package dev.akt;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of a grain kind ({@link ActorSystem#registerGrain}), applied to each activation
 * (GoAkt's grain options): immutable, each method returns a new value. By default an
 * activation deactivates after 2 minutes without a message, as GoAkt's grains do, has an
 * unbounded mailbox, no dependencies and the default reentrancy.
 */
public final class GrainOptions {
    /** GoAkt's default idle time before a grain deactivates. */
    public static final Duration DEFAULT_DEACTIVATE_AFTER = Duration.ofMinutes(2);

    final Duration deactivateAfter; // ZERO = long-lived
    final Mailbox mailbox; // null: unbounded
    final Map<String, Object> dependencies;
    final Reentrancy reentrancy; // null: the default (OFF)
    final int maxInFlight;

    private GrainOptions(Duration deactivateAfter, Mailbox mailbox, Map<String, Object> dependencies,
            Reentrancy reentrancy, int maxInFlight) {
        this.deactivateAfter = deactivateAfter;
        this.mailbox = mailbox;
        this.dependencies = dependencies;
        this.reentrancy = reentrancy;
        this.maxInFlight = maxInFlight;
    }

    /**
     * The defaults: deactivation after {@link #DEFAULT_DEACTIVATE_AFTER}.
     *
     * @return the default options
     */
    public static GrainOptions defaults() {
        return new GrainOptions(DEFAULT_DEACTIVATE_AFTER, null, Collections.emptyMap(), null, 0);
    }

    /**
     * Deactivates an activation once it received no message for after.
     *
     * @param after the idle time, positive
     * @return new options with that idle time
     * @throws IllegalArgumentException if after is not positive (use {@link #longLived()})
     */
    public GrainOptions deactivateAfter(Duration after) {
        Objects.requireNonNull(after, "after");
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("akt: deactivateAfter must be positive, got " + after
                    + " (longLived() for grains that never deactivate)");
        }
        return new GrainOptions(after, mailbox, dependencies, reentrancy, maxInFlight);
    }

    /**
     * Activations never deactivate while the system runs.
     *
     * @return new options without deactivation
     */
    public GrainOptions longLived() {
        return new GrainOptions(Duration.ZERO, mailbox, dependencies, reentrancy, maxInFlight);
    }

    /**
     * Every activation's mailbox: a {@link Mailbox#bounded} FIFO whose full state makes a
     * tell or ask throw {@link MailboxFullException} (the message is not sent; GoAkt's
     * WithGrainMailboxCapacity), or with {@link Mailbox.WhenFull#BLOCK} wait up to its
     * timeout.
     *
     * @param mailbox a bounded (or the default unbounded) FIFO mailbox
     * @return new options with the mailbox
     * @throws IllegalArgumentException for another kind, or {@link Mailbox.WhenFull#DROP}:
     *     a grain refuses rather than drops what it accepted
     */
    public GrainOptions mailbox(Mailbox mailbox) {
        Objects.requireNonNull(mailbox, "mailbox");
        long[] spec = mailbox.spec();
        if (spec[0] != 0) {
            throw new IllegalArgumentException("akt: a grain's mailbox is a FIFO: Mailbox.bounded(capacity, ...)");
        }
        if (spec[1] > 0 && spec[2] == Mailbox.WhenFull.DROP.code) {
            throw new IllegalArgumentException("akt: a grain's full mailbox refuses (FAIL or BLOCK), it never drops");
        }
        return new GrainOptions(deactivateAfter, mailbox, dependencies, reentrancy, maxInFlight);
    }

    /**
     * A value every activation reaches with {@link Context#dependency} (GoAkt's WithGrainDependencies).
     *
     * @param name the dependency's name, 1..255 bytes; given again, it replaces the value
     * @param value the dependency, shared by every activation
     * @return new options with the dependency
     * @throws IllegalArgumentException for a name that is empty or longer than 255 bytes
     */
    public GrainOptions withDependency(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("akt: a dependency name is 1..255 bytes, got '" + name + "'");
        }
        Map<String, Object> deps = new LinkedHashMap<>(dependencies);
        deps.put(name, value);
        return new GrainOptions(deactivateAfter, mailbox, Collections.unmodifiableMap(deps), reentrancy,
                maxInFlight);
    }

    /**
     * The reentrancy of {@link Context#request} in an activation (GoAkt's WithGrainReentrancy).
     *
     * @param mode what an activation does while its requests are in flight
     * @return new options with the mode
     */
    public GrainOptions withReentrancy(Reentrancy mode) {
        return new GrainOptions(deactivateAfter, mailbox, dependencies, Objects.requireNonNull(mode, "mode"),
                maxInFlight);
    }

    /**
     * The most requests of an activation in flight at once (0: no limit).
     *
     * @param n the limit, {@code >= 0}
     * @return new options with the limit
     * @throws IllegalArgumentException if n is negative
     */
    public GrainOptions withMaxInFlight(int n) {
        if (n < 0) throw new IllegalArgumentException("akt: maxInFlight must be >= 0, not " + n);
        return new GrainOptions(deactivateAfter, mailbox, dependencies, reentrancy, n);
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
        StringBuilder b = new StringBuilder("GrainOptions[");
        b.append(deactivateAfter.isZero() ? "longLived" : "deactivateAfter=" + deactivateAfter);
        if (mailbox != null) b.append(", mailbox=").append(mailbox);
        if (!dependencies.isEmpty()) b.append(", dependencies=").append(dependencies.keySet());
        if (reentrancy != null) b.append(", reentrancy=").append(reentrancy);
        if (maxInFlight != 0) b.append(", maxInFlight=").append(maxInFlight);
        return b.append(']').toString();
    }
}
