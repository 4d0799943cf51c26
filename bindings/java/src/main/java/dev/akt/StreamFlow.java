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

    /** No flows yet. */
    public static <I> StreamFlow<I, I> create() {
        return new StreamFlow<>(List.of(), 16, true);
    }

    private <U> StreamFlow<I, U> then(Source.Spec s) {
        List<Source.Spec> l = new ArrayList<>(specs);
        l.add(s);
        return new StreamFlow<>(List.copyOf(l), window, fusion);
    }

    /** Parallel map (see {@link Source#mapAsync}): results in input order. */
    public <U> StreamFlow<I, U> mapAsync(int parallelism,
                                         Function<? super T, ? extends java.util.concurrent.CompletionStage<U>> fn) {
        return mapAsync(parallelism, true, fn);
    }

    /** Parallel map (see {@link Source#mapAsyncUnordered}): results as they complete. */
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

    public <U> StreamFlow<I, U> map(Function<? super T, ? extends U> fn) {
        return then(Source.fn(11, fn, null));
    }

    public StreamFlow<I, T> filter(Predicate<? super T> fn) {
        return then(Source.fn(12, fn, null));
    }

    /** {@code fn(x)} gives an iterable whose items go downstream in order. */
    public <U> StreamFlow<I, U> flatMap(Function<? super T, ? extends Iterable<? extends U>> fn) {
        return then(Source.fn(13, fn, null));
    }

    /** Emits each new accumulator {@code fn(acc, x)}, from {@code seed} (not emitted). */
    public <A> StreamFlow<I, A> scan(A seed, BiFunction<A, ? super T, A> fn) {
        return then(Source.fn(14, fn, Objects.requireNonNull(seed, "seed")));
    }

    /** Drops an element equal to the one before it. */
    public StreamFlow<I, T> dedup() {
        return then(new Source.Spec(1, null, null, 0, 0, 0, null, null, 0, 0));
    }

    /** An actor holding up to {@code size} elements; {@code overflow} says what it does when full. */
    public StreamFlow<I, T> buffer(int size, Source.Overflow overflow) {
        return then(new Source.Spec(2, null, null, size, overflow.ordinal(), 0, null, null, 0, 0));
    }

    /** The credit window of every actor of the branch (default 16). */
    public StreamFlow<I, T> window(int n) {
        return new StreamFlow<>(specs, n, fusion);
    }

    /** Fuse stateless stages into the actor before them (default on). */
    public StreamFlow<I, T> fusion(boolean on) {
        return new StreamFlow<>(specs, window, on);
    }

    /** Names the last stage (metrics, failure reasons). */
    public StreamFlow<I, T> named(String name) {
        Objects.requireNonNull(name, "name");
        return last(s -> s.with(name, s.onError(), s.retries()));
    }

    /** The last stage's error strategy; {@code retries}: the budget of RETRY. */
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

    /** A sink that runs these flows, then {@code sink} (with this flow's window and fusion). */
    @SuppressWarnings("unchecked")
    public <R> Sink<I, R> to(Sink<? super T, R> sink) {
        Objects.requireNonNull(sink, "sink");
        return (Sink<I, R>) (Sink<?, R>) sink.after(specs, window, fusion);
    }
}
