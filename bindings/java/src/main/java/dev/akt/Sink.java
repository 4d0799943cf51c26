package dev.akt;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a stream ends; {@code R} is what {@link Stream#result()} completes with.
 *
 * @param <T> the elements it takes
 * @param <R> its result
 */
public final class Sink<T, R> {
    final int kind;
    final Object fn;
    final Object seed;
    final Function<List<Object>, R> finish;
    /** Flows that run before it ({@link StreamFlow#to}), with their window and fusion. */
    final List<Source.Spec> flows;
    final int window;
    final boolean fusion;
    /** A fan-out's branches (else null). */
    final List<Sink<?, ?>> branches;

    private Sink(int kind, Object fn, Object seed, Function<List<Object>, R> finish) {
        this(kind, fn, seed, finish, List.of(), 16, true, null);
    }

    Sink(int kind, Object fn, Object seed, Function<List<Object>, R> finish, List<Source.Spec> flows,
         int window, boolean fusion, List<Sink<?, ?>> branches) {
        this.kind = kind;
        this.fn = fn;
        this.seed = seed;
        this.finish = finish;
        this.flows = flows;
        this.window = window;
        this.fusion = fusion;
        this.branches = branches;
    }

    /** The same sink after flows (their window and fusion: this sink's own graph's). */
    Sink<Object, R> after(List<Source.Spec> before, int w, boolean f) {
        List<Source.Spec> l = new java.util.ArrayList<>(before);
        l.addAll(flows);
        Sink<Object, R> s = new Sink<>(kind, fn, seed, finish, List.copyOf(l), w, f, branches);
        s.bridge = bridge;
        return s;
    }

    /** The result of this sink from its part of the stream's results. ranges: a fan-out's
     *  [first, n] per branch (null inside a branch: a nested fan-out gives the flat list). */
    @SuppressWarnings("unchecked")
    R result(List<Object> values, long[] ranges) {
        if (branches == null) {
            return finish.apply(values);
        }
        if (ranges == null) {
            return (R) values;
        }
        List<Object> out = new java.util.ArrayList<>(branches.size());
        for (int k = 0; k < branches.size(); k++) {
            int first = (int) ranges[2 * k];
            int n = (int) ranges[2 * k + 1];
            out.add(branches.get(k).result(values.subList(first, first + n), null));
        }
        return (R) out;
    }

    @SafeVarargs
    private static <T> Sink<T, List<Object>> fanOut(int kind, Object fn, Sink<? super T, ?>... sinks) {
        if (sinks.length == 0 || sinks.length > 64) {
            throw new IllegalArgumentException("a fan-out needs 1..64 sinks");
        }
        List<Sink<?, ?>> l = new java.util.ArrayList<>();
        for (Sink<? super T, ?> k : sinks) {
            l.add(java.util.Objects.requireNonNull(k, "sink"));
            if (k.bridge != null) {
                throw new IllegalArgumentException("a Flow.Subscriber sink cannot be a branch");
            }
        }
        return new Sink<>(kind, fn, null, r -> r, List.of(), 16, true, List.copyOf(l));
    }

    /**
     * Every element to every sink (the slowest one paces the stream); the result: the
     * sinks' results, in order.
     *
     * @param <T> the elements
     * @param sinks 1..64 branches (none a {@link #toSubscriber} sink)
     * @return the fan-out sink
     * @throws IllegalArgumentException for no sinks, more than 64, or a subscriber sink
     */
    @SafeVarargs
    public static <T> Sink<T, List<Object>> broadcast(Sink<? super T, ?>... sinks) {
        return fanOut(23, null, sinks);
    }

    /**
     * Each element to one sink that has demand, taking them in turn.
     *
     * @param <T> the elements
     * @param sinks 1..64 branches (none a {@link #toSubscriber} sink)
     * @return the fan-out sink; its result: the sinks' results, in order
     * @throws IllegalArgumentException for no sinks, more than 64, or a subscriber sink
     */
    @SafeVarargs
    public static <T> Sink<T, List<Object>> balance(Sink<? super T, ?>... sinks) {
        return fanOut(24, null, sinks);
    }

    /**
     * Each element {@code x} to {@code sinks[fn(x)]} (an index out of range fails the stream).
     *
     * @param <T> the elements
     * @param fn gives an element's branch index, on a worker
     * @param sinks 1..64 branches (none a {@link #toSubscriber} sink)
     * @return the fan-out sink; its result: the sinks' results, in order
     * @throws IllegalArgumentException for no sinks, more than 64, or a subscriber sink
     */
    @SafeVarargs
    public static <T> Sink<T, List<Object>> partition(java.util.function.ToIntFunction<? super T> fn,
                                                      Sink<? super T, ?>... sinks) {
        return fanOut(25, java.util.Objects.requireNonNull(fn, "fn"), sinks);
    }

    /**
     * Every element, in order.
     *
     * @param <T> the elements
     * @return a sink whose result is the list of the elements
     */
    @SuppressWarnings("unchecked")
    public static <T> Sink<T, List<T>> collect() {
        return new Sink<>(3, null, null, r -> (List<T>) (List<?>) r);
    }

    /**
     * {@code fn(acc, x)} over the elements from {@code seed}; the last accumulator.
     *
     * @param <T> the elements
     * @param <A> the accumulator
     * @param seed the first accumulator
     * @param fn gives the next accumulator from the last one and an element, on a worker
     * @return a sink whose result is the last accumulator
     */
    @SuppressWarnings("unchecked")
    public static <T, A> Sink<T, A> fold(A seed, BiFunction<A, T, A> fn) {
        return new Sink<>(16, java.util.Objects.requireNonNull(fn, "fn"), seed, r -> (A) r.get(0));
    }

    /**
     * The first element (null for an empty stream); the stream ends once it arrives.
     *
     * @param <T> the elements
     * @return a sink whose result is the first element
     */
    @SuppressWarnings("unchecked")
    public static <T> Sink<T, T> first() {
        return new Sink<>(4, null, null, r -> r.isEmpty() ? null : (T) r.get(0));
    }

    /**
     * Calls {@code fn} for each element, on an akt worker.
     *
     * @param <T> the elements
     * @param fn called once per element, one call at a time
     * @return a sink without a result (null once the stream ended)
     */
    public static <T> Sink<T, Void> forEach(Consumer<T> fn) {
        return new Sink<>(15, java.util.Objects.requireNonNull(fn, "fn"), null, r -> null);
    }

    record ActorArgs(long pid, long inFlight, Object onComplete) {
    }

    /**
     * Tells each element to the actor {@code pid}, which acknowledges it with
     * {@code ctx.respond(anything)}: each acknowledgement is the demand for one more, at most
     * {@code inFlight} unacknowledged. {@code onComplete} (if not null) is told to it after the
     * last one was acknowledged. If the actor stops, the stream fails (AKT_ESTOPPED).
     * The pid may be remote ({@link ActorSystem#remoteLookup}): elements (serializable values)
     * and acknowledgements cross the wire, in order, at most {@code inFlight} unacknowledged;
     * the loss of its node fails the stream. With {@link Stream#STREAM_END} as
     * {@code onComplete} it feeds another stream's {@link Source#actorRef}.
     *
     * @param <T> the elements
     * @param pid the actor, of the stream's system
     * @param inFlight how many elements may be unacknowledged at once, 1..65536
     * @param onComplete told to the actor once every element was acknowledged, or null
     * @return a sink without a result (null once the stream ended)
     * @throws AktException AKT_EINVAL for {@code inFlight <= 0}
     */
    public static <T> Sink<T, Void> actor(Pid pid, int inFlight, Object onComplete) {
        java.util.Objects.requireNonNull(pid, "pid");
        if (inFlight <= 0) {
            throw Errors.of(Errors.EINVAL, "inFlight " + inFlight);
        }
        return new Sink<>(17, null, new ActorArgs(pid.id(), inFlight, onComplete), r -> null);
    }

    /**
     * Consumes the elements.
     *
     * @param <T> the elements
     * @return a sink without a result (null once the stream ended)
     */
    public static <T> Sink<T, Void> ignore() {
        return new Sink<>(5, null, null, r -> null);
    }

    /**
     * Hands the elements to a {@link java.util.concurrent.Flow.Subscriber} (and so to
     * Reactor or RxJava), honouring its demand: the stream's sink waits (on an akt worker)
     * until the subscriber has requested more, which backpressures the whole stream. The
     * subscriber sees onComplete or onError when the stream ends.
     *
     * @param <T> the elements
     * @param subscriber subscribed when the stream starts; one stream only
     * @return a sink without a result (null once the stream ended)
     */
    public static <T> Sink<T, Void> toSubscriber(java.util.concurrent.Flow.Subscriber<? super T> subscriber) {
        FlowAdapters.SubscriberBridge<T> bridge = new FlowAdapters.SubscriberBridge<>(subscriber);
        return new Sink<T, Void>(15, (Consumer<T>) bridge::onElement, null, r -> null).withBridge(bridge);
    }

    FlowAdapters.SubscriberBridge<?> bridge;

    private Sink<T, R> withBridge(FlowAdapters.SubscriberBridge<?> b) {
        this.bridge = b;
        return this;
    }
}
