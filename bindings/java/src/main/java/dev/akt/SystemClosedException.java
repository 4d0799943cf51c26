package dev.akt;

/** The actor system is shutting down or shut down (Errors.ECLOSED). */
public class SystemClosedException extends AktException {
    private static final long serialVersionUID = 1L;

    public SystemClosedException(int code, String message) {
        super(code, message);
    }
}
