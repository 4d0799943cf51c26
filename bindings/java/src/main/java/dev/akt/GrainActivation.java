package dev.akt;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of one grain's activation ({@link ActorSystem#grain(String, String, GrainActivation)}),
 * over its kind's {@link GrainOptions}: GoAkt's GrainIdentity options. What is not set here
 * is the kind's. They apply to the activation that the grain's sends make; a grain active
 * already keeps its own options. Immutable: each method returns a new value.
 */
public final class GrainActivation {
    final long deactivateAfterNanos; // -1: the kind's; 0: long-lived
    final Mailbox mailbox; // null: the kind's
    final int reentrancy; // -1: the kind's
    final long maxInFlight; // -1: the kind's
    final Map<String, Object> dependencies; // empty: the kind's

    private GrainActivation(long after, Mailbox mailbox, int reentrancy, long maxInFlight,
            Map<String, Object> dependencies) {
        this.deactivateAfterNanos = after;
        this.mailbox = mailbox;
        this.reentrancy = reentrancy;
        this.maxInFlight = maxInFlight;
        this.dependencies = dependencies;
    }

    private GrainActivation(long after, Mailbox mailbox, int reentrancy, long maxInFlight) {
        this(after, mailbox, reentrancy, maxInFlight, Collections.emptyMap());
    }

    /**
     * Everything the kind's.
     *
     * @return options that override nothing
     */
    public static GrainActivation kinds() {
        return new GrainActivation(-1, null, -1, -1);
    }

    /**
     * Deactivates after this idle time.
     *
     * @param after the idle time, positive
     * @return a copy with it
     * @throws IllegalArgumentException for a zero or negative duration
     */
    public GrainActivation deactivateAfter(Duration after) {
        Objects.requireNonNull(after, "after");
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("akt: deactivateAfter must be positive, got " + after
                    + " (longLived() for a grain that never deactivates)");
        }
        long ns;
        try {
            ns = after.toNanos();
        } catch (ArithmeticException e) {
            ns = Long.MAX_VALUE;
        }
        return new GrainActivation(ns, mailbox, reentrancy, maxInFlight, dependencies);
    }

    /**
     * Never deactivates while the system runs.
     *
     * @return a copy with it
     */
    public GrainActivation longLived() {
        return new GrainActivation(0, mailbox, reentrancy, maxInFlight, dependencies);
    }

    /**
     * A bounded FIFO (as {@link GrainOptions#mailbox}).
     *
     * @param mailbox the activation's mailbox
     * @return a copy with it
     * @throws IllegalArgumentException for a mailbox a grain cannot have
     */
    public GrainActivation mailbox(Mailbox mailbox) {
        GrainOptions.defaults().mailbox(mailbox); // the kind's checks
        return new GrainActivation(deactivateAfterNanos, mailbox, reentrancy, maxInFlight, dependencies);
    }

    /**
     * The reentrancy of ctx.request in this activation.
     *
     * @param mode the request mode
     * @return a copy with it
     */
    public GrainActivation withReentrancy(Reentrancy mode) {
        return new GrainActivation(deactivateAfterNanos, mailbox, Objects.requireNonNull(mode, "mode").code,
                maxInFlight, dependencies);
    }

    /**
     * Its most requests in flight.
     *
     * @param n the limit, 0 for none
     * @return a copy with it
     * @throws IllegalArgumentException for a negative n
     */
    public GrainActivation withMaxInFlight(int n) {
        if (n < 0) throw new IllegalArgumentException("akt: maxInFlight must be >= 0, not " + n);
        return new GrainActivation(deactivateAfterNanos, mailbox, reentrancy, n, dependencies);
    }

    /**
     * A value this activation reaches with {@link Context#dependency}, instead of the kind's
     * dependencies: once one is given here, the activation has these only (the kind's set is
     * replaced, not merged). The system keeps the values until it is closed (akt borrows them
     * for its life), so make one {@link Grain} per grain rather than one per send.
     *
     * @param name the dependency's name, 1..255 bytes; given again, it replaces the value
     * @param value the dependency
     * @return a copy with it
     * @throws IllegalArgumentException for a name that is empty or longer than 255 bytes
     */
    public GrainActivation withDependency(String name, Object value) {
        GrainOptions.defaults().withDependency(name, value); // the kind's checks
        Map<String, Object> deps = new LinkedHashMap<>(dependencies);
        deps.put(name, value);
        return new GrainActivation(deactivateAfterNanos, mailbox, reentrancy, maxInFlight,
                Collections.unmodifiableMap(deps));
    }

    /** [deactivateAfterNanos, reentrancy, maxInFlight], -1 each for the kind's. */
    long[] spec() {
        return new long[] {deactivateAfterNanos, reentrancy, maxInFlight};
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("GrainActivation[");
        b.append(deactivateAfterNanos < 0 ? "deactivateAfter=kind's"
                : deactivateAfterNanos == 0 ? "longLived" : "deactivateAfter=" + Duration.ofNanos(deactivateAfterNanos));
        if (mailbox != null) b.append(", mailbox=").append(mailbox);
        if (reentrancy >= 0) b.append(", reentrancy=").append(reentrancy);
        if (maxInFlight >= 0) b.append(", maxInFlight=").append(maxInFlight);
        if (!dependencies.isEmpty()) b.append(", dependencies=").append(dependencies.keySet());
        return b.append(']').toString();
    }
}
