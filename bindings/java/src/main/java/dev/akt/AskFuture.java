package dev.akt;

import java.util.concurrent.CompletableFuture;

/**
 * The future of an ask. It holds akt's future until it completes, so that {@link #cancel}
 * reaches akt: the ask then fails with a CancellationException and a late reply goes to
 * dead letters.
 */
final class AskFuture extends CompletableFuture<Object> {
    /** akt_future reference, set by native code before the completion is registered; taken
     *  (set to 0) exactly once, by the completion or by cancel, which then releases it. */
    private long handle;

    synchronized long takeHandle() {
        long h = handle;
        handle = 0;
        return h;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        long h = takeHandle();
        if (h != 0) {
            try {
                // Completes this future (through Upcalls.complete) on this thread, unless the
                // reply won the race: then it is a no-op (Errors.EMISUSE) and the reply stands.
                AktNativeJNI.akt_future_cancel(h);
            } finally {
                AktNativeJNI.akt_future_release(h);
            }
        }
        return isCancelled();
    }
}
