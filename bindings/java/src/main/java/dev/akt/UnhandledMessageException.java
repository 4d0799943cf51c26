package dev.akt;

/** The actor did not handle the message (AKT_EUNHANDLED). */
public class UnhandledMessageException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_EUNHANDLED} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public UnhandledMessageException(int code, String message) {
        super(code, message);
    }
}
