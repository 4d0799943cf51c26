package dev.akt;

/** A bounded mailbox is full (AKT_EFULL); the message was not sent and is still the caller's. */
public class MailboxFullException extends AktException {
    private static final long serialVersionUID = 1L;

    public MailboxFullException(int code, String message) {
        super(code, message);
    }
}
