package dev.akt;

/** No live actor has this pid or path (Errors.ENOTFOUND). */
public class ActorNotFoundException extends AktException {
    private static final long serialVersionUID = 1L;

    public ActorNotFoundException(int code, String message) {
        super(code, message);
    }
}
