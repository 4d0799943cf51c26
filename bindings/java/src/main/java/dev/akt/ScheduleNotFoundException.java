package dev.akt;

/**
 * No schedule has this reference ({@link ActorSystem#pauseSchedule}, {@link
 * ActorSystem#resumeSchedule}, {@link ActorSystem#cancelSchedule}): it never existed, was
 * cancelled, or its one fire went. An {@link ActorNotFoundException}, code {@code
 * AKT_ENOTFOUND}.
 */
public final class ScheduleNotFoundException extends ActorNotFoundException {
    private static final long serialVersionUID = 1L;
    /** The schedule reference the failed call named. */
    private final String reference;

    ScheduleNotFoundException(int code, String message, String reference) {
        super(code, message);
        this.reference = reference;
    }

    /**
     * The schedule reference the failed call named.
     *
     * @return the reference (that no schedule has)
     */
    public String reference() {
        return reference;
    }
}
