package dev.akt;

/** The actor did not handle the message (AKT_EUNHANDLED). */
public class UnhandledMessageException extends AktException {
    private static final long serialVersionUID = 1L;

    public UnhandledMessageException(int code, String message) {
        super(code, message);
    }
}
