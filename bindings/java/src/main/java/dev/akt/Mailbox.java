package dev.akt;

import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;

/**
 * An actor's mailbox, given with {@link Props#withMailbox}; the default is an unbounded FIFO.
 * {@link #bounded} keeps at most a capacity of waiting messages and says what a tell to a
 * full one does ({@link WhenFull}); {@link #fair} serves its senders round-robin, one
 * message each in turn; {@link #priority} hands out the message its comparator ranks first.
 * Immutable.
 */
public final class Mailbox {
    /** What a tell or ask to a full bounded mailbox does. */
    public enum WhenFull {
        /** The call throws {@link MailboxFullException}; the message is not sent. */
        FAIL(0),
        /** The call succeeds and the message goes to dead letters ("mailbox full"). */
        DROP(1),
        /**
         * A sender outside actors waits up to the timeout for room, then gets
         * {@link AskTimeoutException}; a sender inside an actor never waits: it gets
         * {@link MailboxFullException} at once.
         */
        BLOCK(2);

        final int code;

        WhenFull(int code) {
            this.code = code;
        }
    }

    private static final int FIFO = 0;
    private static final int PRIORITY = 1;
    private static final int FAIR = 2;

    private final int kind;
    private final int capacity;
    private final WhenFull whenFull;
    private final Duration timeout;
    final Comparator<Object> comparator; // PRIORITY only

    private Mailbox(int kind, int capacity, WhenFull whenFull, Duration timeout, Comparator<Object> comparator) {
        this.kind = kind;
        this.capacity = capacity;
        this.whenFull = whenFull;
        this.timeout = timeout;
        this.comparator = comparator;
    }

    /**
     * A FIFO mailbox of at most capacity (&gt; 0) waiting messages; FAIL or DROP when full.
     *
     * @param capacity the most waiting messages, positive
     * @param whenFull FAIL or DROP
     * @return the mailbox
     * @throws IllegalArgumentException for a capacity below 1 or BLOCK
     */
    public static Mailbox bounded(int capacity, WhenFull whenFull) {
        if (Objects.requireNonNull(whenFull, "whenFull") == WhenFull.BLOCK) {
            throw new IllegalArgumentException("WhenFull.BLOCK needs a timeout: bounded(capacity, BLOCK, timeout)");
        }
        return bounded(capacity, whenFull, null);
    }

    /**
     * A FIFO mailbox of at most capacity waiting messages; timeout is for BLOCK only.
     *
     * @param capacity the most waiting messages, positive
     * @param whenFull what a send to a full mailbox does
     * @param timeout how long BLOCK waits for room (positive), else ignored (may be null)
     * @return the mailbox
     * @throws IllegalArgumentException for a capacity below 1, or BLOCK without a positive timeout
     */
    public static Mailbox bounded(int capacity, WhenFull whenFull, Duration timeout) {
        if (capacity <= 0) throw new IllegalArgumentException("a bounded mailbox needs a capacity > 0, not " + capacity);
        Objects.requireNonNull(whenFull, "whenFull");
        if (whenFull == WhenFull.BLOCK && (timeout == null || timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("WhenFull.BLOCK needs a positive timeout");
        }
        return new Mailbox(FIFO, capacity, whenFull, timeout, null);
    }

    /**
     * Per-sender sub-queues served round-robin, unbounded.
     *
     * @return the mailbox
     */
    public static Mailbox fair() {
        return new Mailbox(FAIR, 0, WhenFull.FAIL, null, null);
    }

    /**
     * An unbounded mailbox that hands out first the message {@code comparator} ranks lowest
     * (compare(a, b) &lt; 0: a before b); equal ones keep their arrival order. The order
     * applies to the messages waiting when the actor takes its next one. The comparator
     * runs on the thread that runs the actor (an akt worker, attached to the JVM), never
     * concurrently for one actor, with the messages' values; it must not block. One that
     * throws is logged (as a failure in "mailbox compare") and counts as equal: the two
     * messages keep their arrival order, none is lost and the actor carries on.
     *
     * @param comparator orders the waiting messages
     * @return the mailbox
     */
    public static Mailbox priority(Comparator<Object> comparator) {
        return new Mailbox(PRIORITY, 0, WhenFull.FAIL, null, Objects.requireNonNull(comparator, "comparator"));
    }

    /**
     * A {@link #priority} mailbox of at most capacity (&gt; 0) waiting messages; FAIL or DROP when full.
     *
     * @param comparator orders the waiting messages
     * @param capacity the most waiting messages, positive
     * @param whenFull FAIL or DROP
     * @return the mailbox
     * @throws IllegalArgumentException for a capacity below 1 or BLOCK
     */
    public static Mailbox priority(Comparator<Object> comparator, int capacity, WhenFull whenFull) {
        if (Objects.requireNonNull(whenFull, "whenFull") == WhenFull.BLOCK) {
            throw new IllegalArgumentException(
                    "WhenFull.BLOCK needs a timeout: priority(comparator, capacity, BLOCK, timeout)");
        }
        return priority(comparator, capacity, whenFull, null);
    }

    /**
     * A {@link #priority} mailbox of at most capacity waiting messages; timeout is for BLOCK only.
     *
     * @param comparator orders the waiting messages
     * @param capacity the most waiting messages, positive
     * @param whenFull what a send to a full mailbox does
     * @param timeout how long BLOCK waits for room (positive), else ignored (may be null)
     * @return the mailbox
     * @throws IllegalArgumentException for a capacity below 1, or BLOCK without a positive timeout
     */
    public static Mailbox priority(Comparator<Object> comparator, int capacity, WhenFull whenFull, Duration timeout) {
        Objects.requireNonNull(comparator, "comparator");
        Mailbox b = bounded(capacity, whenFull, timeout); // the same checks
        return new Mailbox(PRIORITY, b.capacity, b.whenFull, b.timeout, comparator);
    }

    /** {kind, capacity, when_full, block_timeout_ns}: akt_mailbox_spec for the native side. */
    long[] spec() {
        long ns = timeout == null ? 0 : saturatedNanos(timeout);
        return new long[] {kind, capacity, whenFull.code, ns};
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "Mailbox[" + (kind == FAIR ? "fair" : kind == PRIORITY ? "priority" : "fifo") + ", capacity=" + capacity + ", whenFull=" + whenFull
                + (timeout != null ? ", timeout=" + timeout : "") + "]";
    }
}
