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

    /**
     * No reference (generated) and no sender.
     *
     * @return the default options
     */
    public static ScheduleOptions defaults() {
        return DEFAULTS;
    }

    /**
     * These options with the given reference.
     *
     * @param reference 1..255 bytes of UTF-8, unique in the system, or null for a generated one
     * @return new options
     */
    public ScheduleOptions withReference(String reference) {
        return new ScheduleOptions(reference, sender);
    }

    /**
     * These options with the given sender.
     *
     * @param sender an actor of the schedule's system, or null for none
     * @return new options
     */
    public ScheduleOptions withSender(Pid sender) {
        return new ScheduleOptions(reference, sender);
    }
}
