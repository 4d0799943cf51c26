package dev.akt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Flows without a source: {@code StreamFlow.<Long>create().map(x -> x * 10).to(Sink.collect())}
 * is a {@link Sink} that runs the flows first, e.g. a branch of
 * {@link Sink#broadcast a fan-out}. Immutable and reusable, as a {@link Source}.
 *
 * @param <I> the elements it takes
 * @param <T> the elements it gives
 */
public final class StreamFlow<I, T> {
    private final List<Source.Spec> specs;
    private final int window;
    private final boolean fusion;

    private StreamFlow(List<Source.Spec> specs, int window, boolean fusion) {
        this.specs = specs;
        this.window = window;
        this.fusion = fusion;
    }

    /**
     * No flows yet.
     *
     * @param <I> the elements taken (and given, until a stage is added)
     * @return an empty flow
     */
    public static <I> StreamFlow<I, I> create() {
        return new StreamFlow<>(List.of(), 16, true);
    }

    private <U> StreamFlow<I, U> then(Source.Spec s) {
        List<Source.Spec> l = new ArrayList<>(specs);
        l.add(s);
        return new StreamFlow<>(List.copyOf(l), window, fusion);
    }

    /**
     * Parallel map (see {@link Source#mapAsync}): results in input order.
     *
     * @param <U> the elements after the stage
     * @param parallelism how many stages may be pending at once, 1..4096
     * @param fn gives the stage of each element's result, on the stage's worker (it must not
     *     block); a stage completed exceptionally goes through the stage's error strategy
     * @return this flow followed by the stage
     * @throws AktException AKT_EINVAL for {@code parallelism <= 0}
     */
    public <U> StreamFlow<I, U> mapAsync(int parallelism,
                                         Function<? super T, ? extends java.util.concurrent.CompletionStage<U>> fn) {
        return mapAsync(parallelism, true, fn);
    }

    /**
     * Parallel map (see {@link Source#mapAsyncUnordered}): results as they complete.
     *
     * @param <U> the elements after the stage
     * @param parallelism how many stages may be pending at once, 1..4096
     * @param fn gives the stage of each element's result, on the stage's worker (it must not
     *     block); a stage completed exceptionally goes through the stage's error strategy
     * @return this flow followed by the stage
     * @throws AktException AKT_EINVAL for {@code parallelism <= 0}
     */
    public <U> StreamFlow<I, U> mapAsyncUnordered(int parallelism,
                                                  Function<? super T, ? extends java.util.concurrent.CompletionStage<U>> fn) {
        return mapAsync(parallelism, false, fn);
    }

    private <U> StreamFlow<I, U> mapAsync(int parallelism, boolean ordered, Object fn) {
        if (parallelism <= 0) {
            throw Errors.of(Errors.EINVAL, "mapAsync parallelism " + parallelism);
        }
        return then(new Source.Spec(18, Objects.requireNonNull(fn, "fn"), null, parallelism, ordered ? 1 : 0, 0,
                null, null, 0, 0));
    }

    /**
     * flatMap merge (see {@link Source#flatMapMerge}): up to {@code breadth} inner sources at
     * once, their elements as they come.
     *
     * @param <U> the elements of the inner sources
     * @param breadth how many inner sources run at once, 1..4096
     * @param fn gives the inner source of an element, on a worker
     * @return this flow followed by the stage
     * @throws AktException AKT_EINVAL for a breadth out of range
     */
    public <U> StreamFlow<I, U> flatMapMerge(int breadth, Function<? super T, ? extends Source<? extends U>> fn) {
        if (breadth <= 0 || breadth > 4096) {
            throw Errors.of(Errors.EINVAL, "flatMapMerge breadth " + breadth);
        }
        return then(new Source.Spec(19, Objects.requireNonNull(fn, "fn"), null, breadth, 0, 0, null, null, 0, 0));
    }

    /**
     * Each element becomes {@code fn(x)}.
     *
     * @param <U> the elements after the stage
     * @param fn the function applied to each element, on a worker
     * @return this flow followed by the stage
     */
    public <U> StreamFlow<I, U> map(Function<? super T, ? extends U> fn) {
        return then(Source.fn(11, fn, null));
    }

    /**
     * Keeps the elements for which {@code fn(x)} is true.
     *
     * @param fn the predicate, called on a worker
     * @return this flow followed by the stage
     */
    public StreamFlow<I, T> filter(Predicate<? super T> fn) {
        return then(Source.fn(12, fn, null));
    }

    /**
     * {@code fn(x)} gives an iterable whose items go downstream in order.
     *
     * @param <U> the elements after the stage
     * @param fn gives the elements an element becomes (possibly none)
     * @return this flow followed by the stage
     */
    public <U> StreamFlow<I, U> flatMap(Function<? super T, ? extends Iterable<? extends U>> fn) {
        return then(Source.fn(13, fn, null));
    }

    /**
     * Emits each new accumulator {@code fn(acc, x)}, from {@code seed} (not emitted).
     *
     * @param <A> the accumulator
     * @param seed the first accumulator
     * @param fn gives the next accumulator from the last one and an element
     * @return this flow followed by the stage
     */
    public <A> StreamFlow<I, A> scan(A seed, BiFunction<A, ? super T, A> fn) {
        return then(Source.fn(14, fn, Objects.requireNonNull(seed, "seed")));
    }

    /**
     * Drops an element equal to the one before it.
     *
     * @return this flow followed by the stage
     */
    public StreamFlow<I, T> dedup() {
        return then(new Source.Spec(1, null, null, 0, 0, 0, null, null, 0, 0));
    }

    /**
     * An actor holding up to {@code size} elements; {@code overflow} says what it does when full.
     *
     * @param size the elements held, checked when the stream starts
     * @param overflow what happens to an element arriving when the buffer is full
     * @return this flow followed by the stage
     */
    public StreamFlow<I, T> buffer(int size, Source.Overflow overflow) {
        return then(new Source.Spec(2, null, null, size, overflow.ordinal(), 0, null, null, 0, 0));
    }

    /**
     * The credit window of every actor of the branch (default 16).
     *
     * @param n the elements each stage may be sent ahead of its demand, positive
     * @return this flow with that window
     */
    public StreamFlow<I, T> window(int n) {
        return new StreamFlow<>(specs, n, fusion);
    }

    /**
     * Fuse stateless stages into the actor before them (default on).
     *
     * @param on false to run each stage as an actor of its own
     * @return this flow with fusion on or off
     */
    public StreamFlow<I, T> fusion(boolean on) {
        return new StreamFlow<>(specs, window, on);
    }

    /**
     * Names the last stage (metrics, failure reasons).
     *
     * @param name the stage's name
     * @return this flow with its last stage named
     * @throws IllegalStateException if the flow has no stage
     */
    public StreamFlow<I, T> named(String name) {
        Objects.requireNonNull(name, "name");
        return last(s -> s.with(name, s.onError(), s.retries()));
    }

    /**
     * The last stage's error strategy; {@code retries}: the budget of RETRY.
     *
     * @param strategy what the last stage does when its function throws
     * @param retries the calls RETRY makes before the stream fails
     * @return this flow with its last stage's strategy set
     * @throws IllegalStateException if the flow has no stage
     */
    public StreamFlow<I, T> onError(Source.OnError strategy, int retries) {
        return last(s -> s.with(s.name(), strategy.ordinal(), retries));
    }

    private StreamFlow<I, T> last(Function<Source.Spec, Source.Spec> f) {
        if (specs.isEmpty()) {
            throw new IllegalStateException("there is no stage to set an option on");
        }
        List<Source.Spec> l = new ArrayList<>(specs);
        l.set(l.size() - 1, f.apply(l.get(l.size() - 1)));
        return new StreamFlow<>(List.copyOf(l), window, fusion);
    }

    /**
     * A sink that runs these flows, then {@code sink} (with this flow's window and fusion).
     *
     * @param <R> the sink's result
     * @param sink where the elements end
     * @return a sink taking this flow's input, with the result of sink
     */
    @SuppressWarnings("unchecked")
    public <R> Sink<I, R> to(Sink<? super T, R> sink) {
        Objects.requireNonNull(sink, "sink");
        return (Sink<I, R>) (Sink<?, R>) sink.after(specs, window, fusion);
    }
}
