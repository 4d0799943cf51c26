package dev.akt;

/**
 * No schedule has this reference ({@link ActorSystem#pauseSchedule}, {@link
 * ActorSystem#resumeSchedule}, {@link ActorSystem#cancelSchedule}): it never existed, was
 * cancelled, or its one fire went. An {@link ActorNotFoundException}, code {@code
 * AKT_ENOTFOUND}.
 */
public final class ScheduleNotFoundException extends ActorNotFoundException {
    private static final long serialVersionUID = 1L;
    private final String reference;

    ScheduleNotFoundException(int code, String message, String reference) {
        super(code, message);
        this.reference = reference;
    }

    /** The reference asked for. */
    public String reference() {
        return reference;
    }
}
