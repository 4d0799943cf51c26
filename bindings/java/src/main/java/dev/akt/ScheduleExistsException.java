package dev.akt;

/**
 * Another schedule has the reference given in {@link ScheduleOptions} to {@link
 * ActorSystem#scheduleOnce}, {@link ActorSystem#scheduleEvery} or {@link
 * ActorSystem#scheduleCron}. An {@link ActorNameTakenException}, code {@code AKT_EEXIST}.
 */
public final class ScheduleExistsException extends ActorNameTakenException {
    private static final long serialVersionUID = 1L;
    /** The schedule reference the failed call named. */
    private final String reference;

    ScheduleExistsException(int code, String message, String reference) {
        super(code, message);
        this.reference = reference;
    }

    /**
     * The schedule reference the failed call named.
     *
     * @return the reference (already in use)
     */
    public String reference() {
        return reference;
    }
}
