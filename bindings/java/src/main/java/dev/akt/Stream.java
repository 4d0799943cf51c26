package dev.akt;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running stream ({@link Source#runWith}). {@link #result()} completes with the sink's
 * result, or exceptionally with how the stream failed ({@link ActorFailedException} with the
 * stage's exception as its cause, {@link AktException} with AKT_ECANCELED after
 * {@link #cancel()}, ...).
 *
 * @param <R> the sink's result
 */
public final class Stream<R> implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final Pattern STAGE = Pattern.compile("^stage (\\d+) ");

    private final long handle;
    private final ActorSystem system;
    private final java.util.function.BiFunction<List<Object>, long[], R> finish;
    private final StreamStage[] stages;
    private final CompletableFuture<R> result;
    private final CompletableFuture<Integer> done;
    private final Cleaner.Cleanable cleanable;

    Stream(long handle, ActorSystem system, java.util.function.BiFunction<List<Object>, long[], R> finish,
           StreamStage[] stages,
           CompletableFuture<Integer> done) {
        this.handle = handle;
        this.system = system;
        this.finish = finish;
        this.stages = stages;
        this.done = done;
        this.result = done.thenApply(this::outcome);
        this.cleanable = CLEANER.register(this, new Release(handle));
    }

    private R outcome(int rc) {
        if (rc != 0) {
            throw failure(rc);
        }
        long[] msgs = AktNativeJNI.aktj_stream_results(handle);
        List<Object> values = new ArrayList<>();
        for (long m : msgs != null ? msgs : new long[0]) {
            values.add(Messages.fromNative(system, m));
        }
        return finish.apply(values, AktNativeJNI.aktj_stream_branches(handle));
    }

    private RuntimeException failure(int rc) {
        String reason = AktNativeJNI.aktj_stream_reason(handle);
        Throwable cause = null;
        Matcher m = STAGE.matcher(reason);
        if (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (i < stages.length && stages[i] != null) {
                cause = stages[i].error;
            }
        }
        return Errors.failed(rc, "stream", reason.isEmpty() ? null : reason, cause);
    }

    /**
     * The sink's result, once the stream ended.
     *
     * @return the future of the result
     */
    public CompletableFuture<R> result() {
        return result;
    }

    /** The end code (0, or the AKT_E* code of how it ended), once it ended. */
    CompletableFuture<Integer> ended() {
        return done;
    }

    /** Aborts: the result fails with AKT_ECANCELED. */
    public void cancel() {
        AktNativeJNI.aktj_stream_cancel(handle);
    }

    /** Stops the source; what is in flight reaches the sink, then the stream completes. */
    public void drain() {
        Errors.check(AktNativeJNI.aktj_stream_drain(handle), "drain");
    }

    /**
     * Pushes x into the stream's {@link Source#queue}: true if accepted, false if it is full
     * (offer it again later). Never blocks; callable from an actor. Throws once the queue was
     * completed or the stream ended.
     *
     * @param x the element (any value a Java actor can be told)
     * @return true if the queue took it, false if it is full
     * @throws AktException AKT_ESTOPPED once the queue was completed or the stream ended,
     *     AKT_EINVAL if the stream's source is not a queue
     */
    public boolean offer(Object x) {
        long m = Messages.toNative(x);
        int rc = AktNativeJNI.aktj_stream_offer(handle, m);
        if (rc != 0) {
            AktNativeJNI.akt_msg_release(m);
        }
        if (rc == MAILBOX_FULL) {
            return false;
        }
        Errors.check(rc, "offer");
        return true;
    }

    private static final int MAILBOX_FULL = Errors.code("EFULL");

    /**
     * Pushes x into the stream's {@link Source#queue}, waiting for room while it is full (as
     * Akka's {@code SourceQueue.offer} gives a future): the stage completes once x was
     * accepted, or exceptionally with {@link ActorStoppedException} once the queue was
     * completed or the stream ended. The queue itself says when there is room (no polling);
     * the stage may complete on one of akt's threads.
     *
     * @param x the element (any value a Java actor can be told)
     * @return a stage completed when the queue took x
     */
    public CompletionStage<Void> offerAsync(Object x) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        offerLoop(x, f);
        return f;
    }

    private void offerLoop(Object x, CompletableFuture<Void> f) {
        try {
            if (offer(x)) {
                f.complete(null);
                return;
            }
            CompletableFuture<Integer> room = new CompletableFuture<>();
            Errors.check(AktNativeJNI.aktj_stream_on_room(handle, room), "offerAsync");
            room.thenAccept(rc -> {
                if (rc != 0) {
                    f.completeExceptionally(Errors.of(rc, "offerAsync: the queue was completed or the stream ended"));
                } else {
                    offerLoop(x, f);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
    }

    /** What a {@link Source#actorRef} answers to an element it accepted into its buffer. */
    public static final BytesMessage STREAM_ACK = new BytesMessage("akt.stream.Ack", new byte[0]);
    /**
     * Ends a {@link Source#actorRef} (answered {@link #STREAM_ACK}); as the on-complete message
     * of {@link Sink#actor} it feeds another stream's source reference.
     */
    public static final BytesMessage STREAM_END = new BytesMessage("akt.stream.End", new byte[0]);
    /** What a {@link Source#actorRef} answers to an element that came after its end. */
    public static final BytesMessage STREAM_CLOSED = new BytesMessage("akt.stream.Closed", new byte[0]);

    /**
     * The pid of the stream's {@link Source#actorRef}: elements told or asked to it go into the
     * stream.
     *
     * @return the source's pid
     * @throws AktException AKT_EINVAL if the source is another kind
     */
    public Pid sourcePid() {
        long id = AktNativeJNI.aktj_stream_source_pid(handle);
        if (id < 0) {
            Errors.check((int) id, "sourcePid");
        }
        return new Pid(system, id);
    }

    /**
     * The remote address of the stream's {@link Source#actorRef}, for
     * {@link ActorSystem#remoteLookup} on another node.
     *
     * @return "akt://&lt;system&gt;@&lt;host&gt;:&lt;port&gt;/user/&lt;name&gt;"
     * @throws AktException AKT_EINVAL if the source is another kind, AKT_ENOTFOUND without
     *     remoting (or once the stream ended)
     */
    public String sourceAddress() {
        sourcePid(); /* AKT_EINVAL for another source */
        String a = AktNativeJNI.aktj_stream_source_address(handle);
        if (a == null) {
            throw Errors.of(Errors.ENOTFOUND, "sourceAddress: no remoting, or the stream ended");
        }
        return a;
    }

    /** Closes a {@link Source#queue}: what it accepted goes on, then the stream completes. */
    public void complete() {
        drain();
    }

    /**
     * How many elements the {@link Source#queue} holds (accepted, not yet sent on): a snapshot.
     *
     * @return the count
     */
    public long queued() {
        long n = AktNativeJNI.aktj_stream_queued(handle);
        if (n < 0) {
            Errors.check((int) n, "queued");
        }
        return n;
    }

    /**
     * Per-stage counts, the source first.
     *
     * @return a snapshot per stage (elements in and out, drops, errors, its actor)
     */
    public List<StageMetrics> metrics() {
        int n = AktNativeJNI.aktj_stream_stage_count(handle);
        List<StageMetrics> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long[] v = AktNativeJNI.aktj_stream_metrics(handle, i);
            l.add(new StageMetrics(AktNativeJNI.aktj_stream_stage_name(handle, i), v[0], v[1], v[2],
                    v[3], (int) v[4]));
        }
        return l;
    }

    /**
     * Why it failed ({@code "stage 1 (map): ..."}, {@code "branch 0: ..."}); empty while it
     * runs and when it completed.
     *
     * @return the reason, or {@code ""}
     */
    public String reason() {
        return AktNativeJNI.aktj_stream_reason(handle);
    }

    /**
     * How many actors run the stages.
     *
     * @return the actor count (fused stages share one)
     */
    public int actors() {
        return AktNativeJNI.aktj_stream_actor_count(handle);
    }

    /** Releases the handle (a running stream is canceled). */
    @Override
    public void close() {
        cleanable.clean();
    }

    private record Release(long handle) implements Runnable {
        @Override
        public void run() {
            AktNativeJNI.aktj_stream_release(handle);
        }
    }
}
