package dev.akt;

/** The actor stopped before it handled the message (AKT_ESTOPPED). */
public class ActorStoppedException extends AktException {
    private static final long serialVersionUID = 1L;

    public ActorStoppedException(int code, String message) {
        super(code, message);
    }
}
