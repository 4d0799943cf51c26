package dev.akt;

/**
 * The asked actor's receive failed on the message (AKT_EFAILED). {@link #reason()} is what the
 * actor said, {@code "<type>: <message>"} in every binding; {@link #getCause()} is the
 * Throwable itself when the actor was a Java actor of this JVM, else null (the type and
 * message are then in {@link #causeClassName()} and {@link #causeMessage()}).
 */
public class ActorFailedException extends AktException {
    private static final long serialVersionUID = 1L;

    /** The receiver's reason, or null. */
    private final String reason;

    /**
     * A failure without a reason or a cause.
     *
     * @param code the akt error code, {@code AKT_EFAILED} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public ActorFailedException(int code, String message) {
        this(code, message, null, null);
    }

    /**
     * A failure with what the receiver said and, from a Java actor of this JVM, what it threw.
     *
     * @param code the akt error code, {@code AKT_EFAILED} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     * @param reason the receiver's reason, or null if it gave none
     * @param cause the receiver's Throwable, or null when it is not in this JVM
     */
    public ActorFailedException(int code, String message, String reason, Throwable cause) {
        super(code, message);
        this.reason = reason;
        if (cause != null) {
            initCause(cause);
        }
    }

    /**
     * The receiver's reason (e.g. {@code "java.lang.IllegalStateException: closed"}), or null.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * The failure's type: the cause's class name, else the part of the reason before
     * {@code ": "} (all of a reason without one that has no space); null if unknown.
     *
     * @return the class name, or null
     */
    public String causeClassName() {
        if (getCause() != null) {
            return getCause().getClass().getName();
        }
        if (reason == null) {
            return null;
        }
        int sep = reason.indexOf(": ");
        if (sep >= 0) {
            return reason.substring(0, sep);
        }
        return reason.indexOf(' ') < 0 ? reason : null;
    }

    /**
     * The failure's message: the cause's, else the part of the reason after the type; null
     * if there is none.
     *
     * @return the message, or null
     */
    public String causeMessage() {
        if (getCause() != null) {
            return getCause().getMessage();
        }
        if (reason == null) {
            return null;
        }
        int sep = reason.indexOf(": ");
        if (sep >= 0) {
            return reason.substring(sep + 2);
        }
        return reason.indexOf(' ') < 0 ? null : reason;
    }
}
