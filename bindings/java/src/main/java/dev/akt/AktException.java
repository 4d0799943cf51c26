package dev.akt;

/**
 * An akt call failed. {@link #code()} is the akt error code and {@link #errorName()} its name
 * (e.g. {@code "AKT_ENOTFOUND"}); subclasses name the common cases.
 */
public class AktException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public AktException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The akt error code (negative). */
    public int code() {
        return code;
    }

    /** The code's name, e.g. {@code "AKT_ETIMEDOUT"}. */
    public String errorName() {
        return Errors.name(code);
    }
}
