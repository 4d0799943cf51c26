package dev.akt;

/** An ask got no reply in time (AKT_ETIMEDOUT). */
public class AskTimeoutException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_ETIMEDOUT} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public AskTimeoutException(int code, String message) {
        super(code, message);
    }
}
