package dev.akt;

/** The actor system is shutting down or shut down (Errors.ECLOSED). */
public class SystemClosedException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_ECLOSED} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public SystemClosedException(int code, String message) {
        super(code, message);
    }
}
