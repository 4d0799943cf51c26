package dev.akt;

import java.util.concurrent.atomic.AtomicLong;

/** A subscription to a system's event stream; {@link #close()} ends it (once). */
public final class Subscription implements AutoCloseable {
    private final AtomicLong handle;

    Subscription(long handle) {
        this.handle = new AtomicLong(handle);
    }

    /** Ends the subscription: when this returns the listener is not running (unless this is
     *  called from the listener itself) and will not be called again. Idempotent. */
    @Override
    public void close() {
        long h = handle.getAndSet(0);
        if (h != 0) {
            AktNativeJNI.aktj_unsubscribe(h);
        }
    }
}
