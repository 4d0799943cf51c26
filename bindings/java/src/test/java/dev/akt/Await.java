package dev.akt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small waiting helpers for the tests: bounded, never sleeping without a condition. */
final class Await {
    static final Duration ASK = Duration.ofSeconds(5);

    private Await() {}

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** get, for use inside until(): an exception becomes -1. */
    static long getQuietly(CompletableFuture<Long> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The cause a failed future failed with. */
    static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future succeeded");
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }
}
