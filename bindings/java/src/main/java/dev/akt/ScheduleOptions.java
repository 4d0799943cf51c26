package dev.akt;

/**
 * Options of a schedule ({@link ActorSystem#scheduleOnce}, {@link ActorSystem#scheduleEvery}):
 * an immutable value, built fluently from {@link #defaults()}.
 *
 * @param reference the schedule's reference, unique in its system (1..255 bytes of UTF-8), or
 *     null for a generated one (a random UUID)
 * @param sender the sender of its fires ({@link Context#sender()} of the receiver), or null for
 *     none
 */
public record ScheduleOptions(String reference, Pid sender) {
    private static final ScheduleOptions DEFAULTS = new ScheduleOptions(null, null);

    /** No reference (generated) and no sender. */
    public static ScheduleOptions defaults() {
        return DEFAULTS;
    }

    /** These options with the given reference. */
    public ScheduleOptions withReference(String reference) {
        return new ScheduleOptions(reference, sender);
    }

    /** These options with the given sender. */
    public ScheduleOptions withSender(Pid sender) {
        return new ScheduleOptions(reference, sender);
    }
}
