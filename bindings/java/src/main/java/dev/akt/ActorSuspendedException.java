package dev.akt;

/**
 * The actor is suspended by its supervisor ({@link Directive#SUSPEND}) until
 * {@link Pid#reinstate()}: tells and asks to it are refused (Errors.ESUSPENDED).
 */
public class ActorSuspendedException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_ESUSPENDED} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public ActorSuspendedException(int code, String message) {
        super(code, message);
    }
}
