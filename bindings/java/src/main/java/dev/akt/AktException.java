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
    /** The akt error code (negative). */
    private final int code;

    /**
     * The exception of an akt call that returned code; the binding itself makes the subclass
     * named after the code where there is one (see the class comment).
     *
     * @param code the akt error code (negative)
     * @param message what failed, for {@link #getMessage()}
     */
    public AktException(int code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * The akt error code (negative).
     *
     * @return the code, as akt.h numbers it
     */
    public int code() {
        return code;
    }

    /**
     * The code's name as akt gives it ({@code akt_err_name}), e.g. {@code "AKT_ETIMEDOUT"};
     * {@code "AKT_E?"} for a code akt does not know.
     *
     * @return the name
     */
    public String codeName() {
        return Errors.name(code);
    }

    /**
     * The same as {@link #codeName()}, named like {@link Failure#errorName()} and
     * {@link Event#errorName()}.
     *
     * @return the name
     */
    public String errorName() {
        return codeName();
    }
}
