package dev.akt;

/** The actor's receive failed on the message (Errors.EFAILED). */
public class ActorFailedException extends AktException {
    private static final long serialVersionUID = 1L;

    public ActorFailedException(int code, String message) {
        super(code, message);
    }
}
