package dev.akt;

/** An ask got no reply in time (AKT_ETIMEDOUT). */
public class AskTimeoutException extends AktException {
    private static final long serialVersionUID = 1L;

    public AskTimeoutException(int code, String message) {
        super(code, message);
    }
}
