package dev.akt;

/** The name is already taken by a live actor (AKT_EEXIST). */
public class ActorNameTakenException extends AktException {
    private static final long serialVersionUID = 1L;

    public ActorNameTakenException(int code, String message) {
        super(code, message);
    }
}
