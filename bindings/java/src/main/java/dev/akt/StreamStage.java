package dev.akt;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One stage function of a stream, as akt's workers call it (aktj_stream.c): the upcalls
 * decode the messages, call the function, and encode what it gives. An exception is kept
 * (the stream's failure carries it as its cause) and reported to C as a failed call.
 */
final class StreamStage {
    static final long FAILED = -2;
    static final long END = -1;
    /** What an unfold supplier returns to end its stream. */
    static final Object END_OF_STREAM = new Object();

    final int kind;
    final Object fn;
    final ActorSystem system;
    volatile Throwable error;

    StreamStage(int kind, Object fn, ActorSystem system) {
        this.kind = kind;
        this.fn = fn;
        this.system = system;
    }

    @SuppressWarnings("unchecked")
    static long call(Object stage, long a, long b) {
        StreamStage s = (StreamStage) stage;
        try {
            switch (s.kind) {
                case 10 -> {
                    Object x = ((Supplier<Object>) s.fn).get();
                    return x == END_OF_STREAM ? END : Messages.toNative(x);
                }
                case 11 -> {
                    return Messages.toNative(((Function<Object, Object>) s.fn).apply(value(s, a)));
                }
                case 12 -> {
                    return ((Predicate<Object>) s.fn).test(value(s, a)) ? 1 : 0;
                }
                case 14, 16 -> {
                    return Messages.toNative(
                            ((BiFunction<Object, Object, Object>) s.fn).apply(value(s, a), value(s, b)));
                }
                case 15 -> {
                    ((java.util.function.Consumer<Object>) s.fn).accept(value(s, a));
                    return 0;
                }
                case 18 -> { /* map_async: b is the pending call, completed once */
                    java.util.concurrent.CompletionStage<Object> cs =
                            ((Function<Object, java.util.concurrent.CompletionStage<Object>>) s.fn).apply(value(s, a));
                    java.util.Objects.requireNonNull(cs, "mapAsync: the function gave null");
                    cs.whenComplete((v, t) -> complete(s, b, v, t));
                    return 0;
                }
                case 19 -> { /* flat_map_merge: the inner source's graph, a new handle */
                    Object src = ((Function<Object, Object>) s.fn).apply(value(s, a));
                    return Source.innerGraph(src, s.system);
                }
                case 25 -> { /* partition: the branch index; a negative one is out of range */
                    int k = ((java.util.function.ToIntFunction<Object>) s.fn).applyAsInt(value(s, a));
                    return k < 0 ? Long.MAX_VALUE : k;
                }
                default -> throw new IllegalStateException("stream stage kind " + s.kind);
            }
        } catch (Throwable t) {
            s.error = t;
            return FAILED;
        }
    }

    @SuppressWarnings("unchecked")
    static long[] callMany(Object stage, long a) {
        StreamStage s = (StreamStage) stage;
        try {
            Iterable<Object> items = ((Function<Object, Iterable<Object>>) s.fn).apply(value(s, a));
            java.util.ArrayList<Long> out = new java.util.ArrayList<>();
            try {
                for (Object x : items) {
                    out.add(Messages.toNative(x));
                }
            } catch (Throwable t) {
                for (long m : out) {
                    AktNativeJNI.akt_msg_release(m);
                }
                throw t;
            }
            long[] r = new long[out.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = out.get(i);
            }
            return r;
        } catch (Throwable t) {
            s.error = t;
            return null;
        }
    }

    /** zip: the function on the values of msgs (borrowed handles), as a new message handle. */
    @SuppressWarnings("unchecked")
    static long callZip(Object stage, long[] msgs) {
        StreamStage s = (StreamStage) stage;
        try {
            java.util.List<Object> xs = new java.util.ArrayList<>(msgs.length);
            for (long m : msgs) {
                xs.add(value(s, m));
            }
            return Messages.toNative(((Function<java.util.List<Object>, Object>) s.fn).apply(xs));
        } catch (Throwable t) {
            s.error = t;
            return FAILED;
        }
    }

    /** Completes a map_async call with v, or as failed with t (kept as the cause). */
    private static void complete(StreamStage s, long pending, Object v, Throwable t) {
        long m = 0;
        if (t == null) {
            try {
                m = Messages.toNative(v);
            } catch (Throwable e) {
                t = e;
            }
        }
        if (t != null) {
            s.error = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                    ? t.getCause() : t;
            AktNativeJNI.aktj_stream_async_complete(pending, Errors.EFAILED, 0);
        } else {
            AktNativeJNI.aktj_stream_async_complete(pending, 0, m);
        }
    }

    @SuppressWarnings("unchecked")
    static void done(Object future, int rc) {
        ((CompletableFuture<Integer>) future).complete(rc);
    }

    private static Object value(StreamStage s, long msg) {
        return Messages.fromNative(s.system, msg);
    }
}
