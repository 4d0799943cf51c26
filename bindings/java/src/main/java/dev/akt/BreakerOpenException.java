package dev.akt;

/**
 * A {@link CircuitBreaker} refused a call: it is open, or half-open with every trial call
 * taken. The call was not started. Its code is {@code AKT_EBUSY}.
 */
public class BreakerOpenException extends AktException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception of an akt call that returned code (the binding makes it from the code; code
     * that maps akt codes itself may too).
     *
     * @param code the akt error code, {@code AKT_EBUSY} when akt raised it
     * @param message what failed, for {@link #getMessage()}
     */
    public BreakerOpenException(int code, String message) {
        super(code, message);
    }
}
