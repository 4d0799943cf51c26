package dev.akt;

/** The actor stopped before it handled the message (AKT_ESTOPPED). */
public class ActorStoppedException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_ESTOPPED} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public ActorStoppedException(int code, String message) {
        super(code, message);
    }
}
