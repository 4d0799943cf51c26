package dev.akt;

/**
 * The actor is suspended by its supervisor ({@link Directive#SUSPEND}) until
 * {@link Pid#reinstate()}: tells and asks to it are refused (Errors.ESUSPENDED).
 */
public class ActorSuspendedException extends AktException {
    private static final long serialVersionUID = 1L;

    public ActorSuspendedException(int code, String message) {
        super(code, message);
    }
}
