package dev.akt;

/** No live actor has this pid or path (Errors.ENOTFOUND). */
public class ActorNotFoundException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_ENOTFOUND} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public ActorNotFoundException(int code, String message) {
        super(code, message);
    }
}
