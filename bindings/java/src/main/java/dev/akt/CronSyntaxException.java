package dev.akt;

/**
 * A cron expression that does not parse. {@link #column()} is the 1-based column (counted in
 * UTF-8 bytes, which is characters for ASCII text) of the first character that cannot be
 * accepted, or the column after the text when a part is missing. Its code is
 * {@code AKT_EINVAL}.
 */
public final class CronSyntaxException extends AktException {
    private static final long serialVersionUID = 1L;
    /** The expression as given. */
    private final String expression;
    /** The 1-based column of the error. */
    private final int column;

    CronSyntaxException(String expression, int column) {
        super(Errors.EINVAL, "invalid cron expression at column " + column + ": \"" + expression
                + "\"");
        this.expression = expression;
        this.column = column;
    }

    /**
     * The 1-based column of the error.
     *
     * @return the column, in UTF-8 bytes
     */
    public int column() {
        return column;
    }

    /**
     * The expression as given.
     *
     * @return the expression
     */
    public String expression() {
        return expression;
    }
}
