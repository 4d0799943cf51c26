package dev.akt;

/** A bounded mailbox is full (AKT_EFULL); the message was not sent and is still the caller's. */
public class MailboxFullException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_EFULL} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public MailboxFullException(int code, String message) {
        super(code, message);
    }
}
