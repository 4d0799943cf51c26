package dev.akt;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A producer's end of a {@link Source#actorRef}, on any node: {@link #push} asks the source to
 * take an element with at most {@code inFlight} asks unanswered, waiting (this thread) for the
 * oldest answer when that many are out, so the producer goes at the stream's pace.
 *
 * <pre>{@code
 * SourceRef ref = new SourceRef(system.remoteLookup(address), 4, Duration.ofSeconds(30));
 * for (int i = 0; i < n; i++) ref.push(i);
 * ref.complete(); // every answer, then STREAM_END
 * }</pre>
 *
 * Not thread-safe: one producer thread per SourceRef.
 */
public final class SourceRef {
    private final Pid pid;
    private final int inFlight;
    private final Duration timeout;
    private final ArrayDeque<CompletableFuture<Object>> out = new ArrayDeque<>();

    /**
     * A producer for the source at pid.
     *
     * @param pid the source's pid ({@link Stream#sourcePid()}, or a remote lookup of
     *     {@link Stream#sourceAddress()})
     * @param inFlight the most asks unanswered at once, positive
     * @param timeout how long each ask may wait, positive
     * @throws AktException AKT_EINVAL for {@code inFlight <= 0}
     * @throws NullPointerException if pid or timeout is null
     */
    public SourceRef(Pid pid, int inFlight, Duration timeout) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (inFlight <= 0) {
            throw Errors.of(Errors.EINVAL, "SourceRef inFlight " + inFlight);
        }
        this.inFlight = inFlight;
    }

    private void settle() {
        Object answer = await(out.removeFirst());
        if (answer instanceof BytesMessage b && b.type().equals(Stream.STREAM_CLOSED.type())) {
            throw Errors.of(Errors.code("ESTOPPED"), "the source reference is closed");
        }
    }

    private Object await(CompletableFuture<Object> f) {
        try {
            return f.get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw Errors.of(Errors.code("ETIMEDOUT"), "SourceRef: no answer");
        }
    }

    /**
     * Sends x; returns once fewer than inFlight asks are unanswered.
     *
     * @param x the element (a serializable value if the source is on another node)
     * @throws AktException AKT_ESTOPPED once the source answered {@link Stream#STREAM_CLOSED},
     *     or how an ask failed (the stream or its node gone)
     */
    public void push(Object x) {
        while (out.size() >= inFlight) {
            settle();
        }
        out.addLast(pid.ask(x, timeout));
    }

    /** Waits for every answer. */
    public void flush() {
        while (!out.isEmpty()) {
            settle();
        }
    }

    /** Waits for every answer, then ends the source ({@link Stream#STREAM_END}). */
    public void complete() {
        flush();
        await(pid.ask(Stream.STREAM_END, timeout));
    }
}
