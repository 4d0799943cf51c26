package dev.akt;

import java.time.Duration;
import java.util.Objects;

/**
 * When an idle actor stops itself (an {@link EventKind#ACTOR_PASSIVATED} event, then
 * {@link EventKind#ACTOR_STOPPED}): {@link #idle} after a time without a message,
 * {@link #afterMessages} once n messages were handled and the mailbox is empty, or
 * {@link #LONG_LIVED}, never (every actor's default: akt does not passivate actors unless
 * asked to). Give it with {@link Props#withPassivation} or
 * {@link ActorSystem#setDefaultPassivation}.
 */
public final class Passivation {
    static final int NEVER = 0;
    static final int IDLE = 1;
    static final int MESSAGES = 2;
    private static final long MAX = (1L << 62) - 1;

    /** Never passivated. */
    public static final Passivation LONG_LIVED = new Passivation(NEVER, 0);

    final int strategy;
    final long value;

    private Passivation(int strategy, long value) {
        this.strategy = strategy;
        this.value = value;
    }

    /**
     * After {@code after} without a message (checked between once and twice that after the
     * last one).
     *
     * @param after the idle time, positive
     * @return the passivation
     * @throws IllegalArgumentException if after is not positive (or beyond about 146 years)
     */
    public static Passivation idle(Duration after) {
        long ns = Objects.requireNonNull(after, "after").toNanos();
        if (ns <= 0 || ns > MAX) {
            throw new IllegalArgumentException("akt: the idle time must be > 0, not " + after);
        }
        return new Passivation(IDLE, ns);
    }

    /**
     * Once {@code n} messages were handled (n >= 1) and the mailbox is empty.
     *
     * @param n the messages handled, {@code >= 1}
     * @return the passivation
     * @throws IllegalArgumentException if n is below 1
     */
    public static Passivation afterMessages(long n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException("akt: the message count must be >= 1, not " + n);
        }
        return new Passivation(MESSAGES, n);
    }

    @Override
    public String toString() {
        return strategy == NEVER ? "Passivation[long-lived]"
                : strategy == IDLE ? "Passivation[idle " + Duration.ofNanos(value) + "]"
                : "Passivation[after " + value + " messages]";
    }
}
