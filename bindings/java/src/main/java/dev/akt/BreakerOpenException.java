package dev.akt;

/**
 * A {@link CircuitBreaker} refused a call: it is open, or half-open with every trial call
 * taken. The call was not started. Its code is {@code AKT_EBUSY}.
 */
public class BreakerOpenException extends AktException {
    private static final long serialVersionUID = 1L;

    public BreakerOpenException(int code, String message) {
        super(code, message);
    }
}
