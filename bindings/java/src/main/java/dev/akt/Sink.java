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

    private Sink(int kind, Object fn, Object seed, Function<List<Object>, R> finish) {
        this.kind = kind;
        this.fn = fn;
        this.seed = seed;
        this.finish = finish;
    }

    /** Every element, in order. */
    @SuppressWarnings("unchecked")
    public static <T> Sink<T, List<T>> collect() {
        return new Sink<>(3, null, null, r -> (List<T>) (List<?>) r);
    }

    /** {@code fn(acc, x)} over the elements from {@code seed}; the last accumulator. */
    @SuppressWarnings("unchecked")
    public static <T, A> Sink<T, A> fold(A seed, BiFunction<A, T, A> fn) {
        return new Sink<>(16, java.util.Objects.requireNonNull(fn, "fn"), seed, r -> (A) r.get(0));
    }

    /** The first element (null for an empty stream); the stream ends once it arrives. */
    @SuppressWarnings("unchecked")
    public static <T> Sink<T, T> first() {
        return new Sink<>(4, null, null, r -> r.isEmpty() ? null : (T) r.get(0));
    }

    /** Calls {@code fn} for each element, on an akt worker. */
    public static <T> Sink<T, Void> forEach(Consumer<T> fn) {
        return new Sink<>(15, java.util.Objects.requireNonNull(fn, "fn"), null, r -> null);
    }

    /** Consumes the elements. */
    public static <T> Sink<T, Void> ignore() {
        return new Sink<>(5, null, null, r -> null);
    }

    /**
     * Hands the elements to a {@link java.util.concurrent.Flow.Subscriber} (and so to
     * Reactor or RxJava), honouring its demand: the stream's sink waits (on an akt worker)
     * until the subscriber has requested more, which backpressures the whole stream. The
     * subscriber sees onComplete or onError when the stream ends.
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
