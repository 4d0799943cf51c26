package dev.akt;

/**
 * An akt call failed. {@link #code()} is the akt error code and {@link #codeName()} its name
 * (e.g. {@code "AKT_ENOTFOUND"}). Every code of akt.h's table arrives as an AktException:
 * the common ones as the subclasses named after them ({@link ActorNotFoundException},
 * {@link AskTimeoutException}, ...), the others (e.g. {@code AKT_EFULL}, {@code AKT_ENOMEM})
 * as this class itself. {@code AKT_ECANCELED} is the one exception: a
 * {@link java.util.concurrent.CancellationException} whose cause is an AktException.
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

    /** The code's name as akt gives it ({@code akt_err_name}), e.g. {@code "AKT_ETIMEDOUT"};
     *  {@code "AKT_E?"} for a code akt does not know. */
    public String codeName() {
        return Errors.name(code);
    }

    /** The same as {@link #codeName()}, named like {@link Failure#errorName()} and
     *  {@link Event#errorName()}. */
    public String errorName() {
        return codeName();
    }
}
