package dev.akt;

/** The name is already taken by a live actor (AKT_EEXIST). */
public class ActorNameTakenException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_EEXIST} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public ActorNameTakenException(int code, String message) {
        super(code, message);
    }
}
