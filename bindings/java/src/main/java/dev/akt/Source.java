package dev.akt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A reactive stream's description: a source and the flows after it, immutable and reusable.
 * {@code Source.range(1, 10).map(x -> x * 2).runWith(Sink.collect(), system)} starts it as
 * akt actors with demand-based backpressure (a slow sink holds the source back) and gives a
 * {@link Stream}. Stage functions run on akt's workers, one call at a time per stage.
 *
 * @param <T> the elements it emits
 */
public final class Source<T> {
    private static final int VALUES = -1;

    record Spec(int kind, Object fn, Object seed, long a, long b, long c, List<?> values,
                        String name, int onError, int retries) {
        Spec with(String n, int e, int r) {
            return new Spec(kind, fn, seed, a, b, c, values, n, e, r);
        }
    }

    private final List<Spec> specs;
    private final int window;
    private final boolean fusion;

    private Source(List<Spec> specs, int window, boolean fusion) {
        this.specs = specs;
        this.window = window;
        this.fusion = fusion;
    }

    private static <T> Source<T> of(Spec first) {
        return new Source<>(List.of(first), 16, true);
    }

    private <U> Source<U> then(Spec s) {
        List<Spec> l = new ArrayList<>(specs);
        l.add(s);
        return new Source<>(List.copyOf(l), window, fusion);
    }

    static Spec fn(int kind, Object fn, Object seed) {
        return new Spec(kind, Objects.requireNonNull(fn, "fn"), seed, 0, 0, 0, null, null, 0, 0);
    }

    @SafeVarargs
    private static <T> Source<T> fanIn(int kind, Object fn, Source<? extends T>... sources) {
        if (sources.length == 0 || sources.length > 64) {
            throw new IllegalArgumentException("a fan-in needs 1..64 sources");
        }
        List<Object> l = new ArrayList<>();
        for (Source<? extends T> x : sources) {
            l.add(Objects.requireNonNull(x, "source"));
        }
        return of(new Spec(kind, fn, null, 0, 0, 0, List.copyOf(l), null, 0, 0));
    }

    /**
     * The elements of all the sources as they come (each one's order kept); ends when they
     * all ended.
     *
     * @param <T> the elements
     * @param sources 1..64 sources
     * @return the merged source
     * @throws IllegalArgumentException for no sources or more than 64
     */
    @SafeVarargs
    public static <T> Source<T> merge(Source<? extends T>... sources) {
        return fanIn(20, null, sources);
    }

    /**
     * Every element of the first source, then of the second, ...
     *
     * @param <T> the elements
     * @param sources 1..64 sources, in the order they are drained
     * @return the concatenated source
     * @throws IllegalArgumentException for no sources or more than 64
     */
    @SafeVarargs
    public static <T> Source<T> concat(Source<? extends T>... sources) {
        return fanIn(21, null, sources);
    }

    /**
     * One element of each source, combined by {@code fn} (the values in source order); ends
     * with the shortest source.
     *
     * @param <U> the combined elements
     * @param fn combines one element of each source (a list in source order)
     * @param sources 1..64 sources
     * @return the zipped source
     * @throws IllegalArgumentException for no sources or more than 64
     */
    @SuppressWarnings("unchecked")
    public static <U> Source<U> zip(Function<List<Object>, ? extends U> fn, Source<?>... sources) {
        return (Source<U>) (Source<?>) Source.<Object>fanIn(22, Objects.requireNonNull(fn, "fn"), sources);
    }

    /**
     * start, start + step, ... up to end excluded ({@code Long} elements).
     *
     * @param start the first element
     * @param end the bound, excluded (below start for a negative step)
     * @param step the difference between elements, not 0
     * @return the source
     * @throws IllegalArgumentException if step is 0
     */
    public static Source<Long> range(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("range step must not be 0");
        }
        return of(new Spec(0, null, null, start, end, step, null, null, 0, 0));
    }

    /**
     * start, start + 1, ... up to end excluded ({@code Long} elements).
     *
     * @param start the first element
     * @param end the bound, excluded
     * @return the source
     */
    public static Source<Long> range(long start, long end) {
        return range(start, end, 1);
    }

    /**
     * {@code tick} every {@code interval} (1 ms .. 1 h), the first {@code initialDelay} after
     * the start, on the system's timer. A tick that comes while downstream has no demand is
     * dropped (counted in the source's drops). Endless: drain, cancel or {@link Sink#first()}
     * ends it.
     *
     * @param <T> the ticks' type
     * @param initialDelay the time from the start to the first tick
     * @param interval the time between ticks, checked when the stream starts
     * @param tick the element emitted each time (a message akt can carry)
     * @return the source
     */
    public static <T> Source<T> tick(java.time.Duration initialDelay, java.time.Duration interval, T tick) {
        return of(new Spec(7, null, Objects.requireNonNull(tick, "tick"), initialDelay.toNanos(),
                interval.toNanos(), 0, null, null, 0, 0));
    }

    /**
     * The given values, in order.
     *
     * @param <T> the elements
     * @param values the elements, none null
     * @return the source
     */
    @SafeVarargs
    public static <T> Source<T> of(T... values) {
        return of(new Spec(VALUES, null, null, 0, 0, 0, List.of(values), null, 0, 0));
    }

    /**
     * {@code fn(state)} gives a pair [nextState, element] as a two-element array, or null to end.
     *
     * @param <S> the state
     * @param <T> the elements
     * @param seed the first state
     * @param fn gives {@code {nextState, element}}, or null to end; runs on a worker
     * @return the source
     */
    public static <S, T> Source<T> unfold(S seed, Function<S, Object[]> fn) {
        Objects.requireNonNull(fn, "fn");
        Object[] state = {seed};
        @SuppressWarnings("unchecked")
        Supplier<Object> step = () -> {
            Object[] r = fn.apply((S) state[0]);
            if (r == null) {
                return StreamStage.END_OF_STREAM;
            }
            state[0] = r[0];
            return r[1];
        };
        return of(fn(10, step, null));
    }

    /**
     * The items of an iterable, pulled on demand.
     *
     * @param <T> the elements
     * @param items the elements; its iterator is taken now and pulled from a worker
     * @return a source to run once (the iterator is not restarted)
     */
    public static <T> Source<T> fromIterable(Iterable<T> items) {
        java.util.Iterator<T> it = items.iterator();
        Supplier<Object> step = () -> it.hasNext() ? it.next() : StreamStage.END_OF_STREAM;
        return of(fn(10, step, null));
    }

    /**
     * The items of a {@link Flow.Publisher} (and so of Reactor or RxJava), requested from it
     * as the stream asks for elements: the stream's demand reaches the publisher.
     *
     * @param <T> the elements
     * @param publisher subscribed to once per run
     * @return the source
     */
    public static <T> Source<T> fromPublisher(Flow.Publisher<? extends T> publisher) {
        Objects.requireNonNull(publisher, "publisher");
        Supplier<Object> step = () -> new FlowAdapters.PublisherBridge<T>(publisher);
        return of(new Spec(10, step, FlowAdapters.LAZY, 0, 0, 0, null, null, 0, 0));
    }

    /**
     * Parallel map: {@code fn(x)} gives a CompletionStage; at most {@code parallelism} are
     * pending at once, and the results leave in the order of their inputs.
     *
     * @param <U> the elements after the stage
     * @param parallelism how many stages may be pending at once, 1..4096
     * @param fn gives the stage of each element's result, on the stage's worker (it must not
     *     block); a stage completed exceptionally goes through the stage's error strategy
     * @return this source followed by the stage
     * @throws AktException AKT_EINVAL for {@code parallelism <= 0}
     */
    public <U> Source<U> mapAsync(int parallelism,
                                  Function<? super T, ? extends java.util.concurrent.CompletionStage<U>> fn) {
        return mapAsync(parallelism, true, fn);
    }

    /**
     * As {@link #mapAsync(int, Function)}, the results leaving as they complete.
     *
     * @param <U> the elements after the stage
     * @param parallelism how many stages may be pending at once, 1..4096
     * @param fn gives the stage of each element's result, on the stage's worker (it must not
     *     block); a stage completed exceptionally goes through the stage's error strategy
     * @return this source followed by the stage
     * @throws AktException AKT_EINVAL for {@code parallelism <= 0}
     */
    public <U> Source<U> mapAsyncUnordered(int parallelism,
                                           Function<? super T, ? extends java.util.concurrent.CompletionStage<U>> fn) {
        return mapAsync(parallelism, false, fn);
    }

    private <U> Source<U> mapAsync(int parallelism, boolean ordered, Object fn) {
        if (parallelism <= 0) {
            throw Errors.of(Errors.EINVAL, "mapAsync parallelism " + parallelism);
        }
        return then(new Spec(18, Objects.requireNonNull(fn, "fn"), null, parallelism, ordered ? 1 : 0, 0,
                null, null, 0, 0));
    }

    /**
     * A source reference: elements sent (ideally asked) to {@link Stream#sourcePid()} from any
     * node ({@link Stream#sourceAddress()} with {@link ActorSystem#remoteLookup}), each
     * answered {@link Stream#STREAM_ACK} once it is in the source's buffer of
     * {@code capacity}; one that finds it full waits, unanswered, until the stream's demand
     * makes room, so a producer with at most k asks in flight ({@link SourceRef}) is paced by
     * the stream. {@link Stream#STREAM_END} (or {@link Stream#complete()}) ends it; later
     * elements are answered {@link Stream#STREAM_CLOSED}. The first actor that sends an
     * element is watched: its stop (or its node's loss) before the end fails the stream
     * (AKT_ESTOPPED). Elements that cross nodes must be serializable (scalars, strings,
     * {@link BytesMessage}, a bound serializer's type).
     *
     * @param <T> the elements
     * @param capacity how many accepted elements it holds at most, 1..65536
     * @return the source
     * @throws AktException AKT_EINVAL for a capacity out of range
     */
    public static <T> Source<T> actorRef(int capacity) {
        if (capacity <= 0 || capacity > 65536) {
            throw Errors.of(Errors.EINVAL, "actorRef capacity " + capacity);
        }
        return of(new Spec(30, null, null, capacity, 0, 0, null, null, 0, 0));
    }

    /**
     * Elements pushed with {@link Stream#offer}: at most {@code capacity} accepted and not yet
     * sent on (beyond that offer returns false: offer again later); {@link Stream#complete}
     * closes it, what it accepted goes on, then the stream completes.
     *
     * @param <T> the elements
     * @param capacity how many elements it holds at most, 1..65536
     * @return the source
     * @throws AktException AKT_EINVAL for {@code capacity <= 0}
     */
    public static <T> Source<T> queue(int capacity) {
        if (capacity <= 0) {
            throw Errors.of(Errors.EINVAL, "queue capacity " + capacity);
        }
        return of(new Spec(9, null, null, capacity, 0, 0, null, null, 0, 0));
    }

    /**
     * Each element becomes {@code fn(x)}.
     *
     * @param <U> the elements after the stage
     * @param fn the function applied to each element
     * @return this source followed by the stage
     */
    public <U> Source<U> map(Function<? super T, ? extends U> fn) {
        return then(fn(11, fn, null));
    }

    /**
     * Keeps the elements for which {@code fn(x)} is true.
     *
     * @param fn the predicate
     * @return this source followed by the stage
     */
    public Source<T> filter(Predicate<? super T> fn) {
        return then(fn(12, fn, null));
    }

    /**
     * {@code fn(x)} gives an iterable whose items go downstream in order.
     *
     * @param <U> the elements after the stage
     * @param fn gives the elements an element becomes (possibly none)
     * @return this source followed by the stage
     */
    public <U> Source<U> flatMap(Function<? super T, ? extends Iterable<? extends U>> fn) {
        return then(fn(13, fn, null));
    }

    /**
     * flatMap merge: {@code fn(x)} gives an inner source; up to {@code breadth} of them run at
     * once and their elements go downstream as they come (in order within one inner,
     * interleaved between them). Backpressure holds the inners and upstream back; the stream
     * completes once upstream and every inner did. A throw of {@code fn} (or a null) is the
     * element's failure, under {@link #onError}; a failing inner fails the stream, or with
     * {@code RESUME} is dropped.
     *
     * @param <U> the elements of the inner sources
     * @param breadth how many inner sources run at once, 1..4096
     * @param fn gives the inner source of an element
     * @return this source followed by the stage
     * @throws AktException AKT_EINVAL for a breadth out of range
     */
    public <U> Source<U> flatMapMerge(int breadth, Function<? super T, ? extends Source<? extends U>> fn) {
        if (breadth <= 0 || breadth > 4096) {
            throw Errors.of(Errors.EINVAL, "flatMapMerge breadth " + breadth);
        }
        return then(new Spec(19, Objects.requireNonNull(fn, "fn"), null, breadth, 0, 0, null, null, 0, 0));
    }

    /** The graph of an inner source (flatMapMerge's function gave src): a new handle that
     *  the C stage takes. */
    static long innerGraph(Object src, ActorSystem system) {
        if (!(src instanceof Source<?> x)) {
            throw new IllegalArgumentException("flatMapMerge: the function must give a Source, not "
                    + (src == null ? "null" : src.getClass().getName()));
        }
        return build(x.specs, x.window, x.fusion, false, system, null);
    }

    /**
     * Emits each new accumulator {@code fn(acc, x)}, from {@code seed} (not emitted).
     *
     * @param <A> the accumulator
     * @param seed the first accumulator
     * @param fn gives the next accumulator from the last one and an element
     * @return this source followed by the stage
     */
    public <A> Source<A> scan(A seed, BiFunction<A, ? super T, A> fn) {
        return then(fn(14, fn, Objects.requireNonNull(seed, "seed")));
    }

    /**
     * Drops an element equal to the one before it (same type and canonical bytes).
     *
     * @return this source followed by the stage
     */
    public Source<T> dedup() {
        return then(new Spec(1, null, null, 0, 0, 0, null, null, 0, 0));
    }

    /**
     * An actor holding up to {@code size} elements; {@code overflow} says what it does when full.
     *
     * @param size the elements held, checked when the stream starts
     * @param overflow what happens to an element arriving when the buffer is full
     * @return this source followed by the stage
     */
    public Source<T> buffer(int size, Overflow overflow) {
        return then(new Spec(2, null, null, size, overflow.ordinal(), 0, null, null, 0, 0));
    }

    /**
     * At most {@code n} elements per interval {@code per} (1 ms .. 1 h); the rest wait, which
     * slows upstream down: nothing is dropped.
     *
     * @param n the elements let through per interval, positive
     * @param per the interval
     * @return this source followed by the stage
     */
    public Source<T> throttle(int n, java.time.Duration per) {
        return then(new Spec(6, null, null, n, per.toNanos(), 0, null, null, 0, 0));
    }

    /**
     * Up to {@code n} elements at a time as one list, sent when there are {@code n}, when
     * the first one waited {@code maxWait} (1 ms .. 1 h), or at the end (the last, partial
     * one).
     *
     * @param n the most elements per list, positive
     * @param maxWait the longest the first element of a list waits
     * @return this source followed by the stage
     */
    public Source<List<T>> batch(int n, java.time.Duration maxWait) {
        Function<List<Object>, Object> asList = xs -> java.util.Collections.unmodifiableList(new ArrayList<>(xs));
        return then(new Spec(8, asList, null, n, maxWait.toNanos(), 0, null, null, 0, 0));
    }

    /**
     * Names the last stage (metrics, failure reasons).
     *
     * @param name the stage's name
     * @return this source with its last stage named
     */
    public Source<T> named(String name) {
        return option(Objects.requireNonNull(name, "name"), -1, -1);
    }

    /**
     * The last stage's error strategy; {@code retries}: the budget of RETRY.
     *
     * @param strategy what the last stage does when its function throws
     * @param retries the calls RETRY makes before the stream fails
     * @return this source with its last stage's strategy set
     */
    public Source<T> onError(OnError strategy, int retries) {
        return option(null, strategy.ordinal(), retries);
    }

    /**
     * The last stage's error strategy, with no retries.
     *
     * @param strategy what the last stage does when its function throws
     * @return this source with its last stage's strategy set
     */
    public Source<T> onError(OnError strategy) {
        return onError(strategy, 0);
    }

    /**
     * The credit window of every actor (default 16).
     *
     * @param n the elements each stage may be sent ahead of its demand, positive
     * @return this source with that window
     */
    public Source<T> window(int n) {
        return new Source<>(specs, n, fusion);
    }

    /**
     * Fuse stateless stages into the actor before them (default on).
     *
     * @param on false to run each stage as an actor of its own
     * @return this source with fusion on or off
     */
    public Source<T> fusion(boolean on) {
        return new Source<>(specs, window, on);
    }

    private Source<T> option(String name, int onError, int retries) {
        List<Spec> l = new ArrayList<>(specs);
        Spec last = l.get(l.size() - 1);
        l.set(l.size() - 1, last.with(name != null ? name : last.name(),
                onError >= 0 ? onError : last.onError(), retries >= 0 ? retries : last.retries()));
        return new Source<>(List.copyOf(l), window, fusion);
    }

    /**
     * Starts the stream on {@code system}, ending in {@code sink}.
     *
     * @param <R> the sink's result
     * @param sink where the elements end
     * @param system the system whose actors run the stages
     * @return the running stream, with the sink's result as its future
     * @throws AktException {@code AKT_EINVAL} for a stage argument out of range, {@code AKT_ECLOSED} once the system is shutting down
     */
    public <R> Stream<R> runWith(Sink<? super T, R> sink, ActorSystem system) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(system, "system");
        List<Spec> all = new ArrayList<>(specs);
        all.addAll(sink.flows);
        all.add(sinkSpec(sink));
        StreamStage[] stages = new StreamStage[all.size()];
        long g = build(all, window, fusion, false, system, stages);
        try {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            if (sink.bridge != null) {
                sink.bridge.subscribe();
            }
            long[] out = new long[1];
            Errors.check(AktNativeJNI.aktj_stream_run(system.handle, g, done, out), "runWith");
            Stream<R> s = new Stream<>(out[0], system, sink::result, stages, done);
            if (sink.bridge != null) {
                sink.bridge.attach(s);
            }
            return s;
        } finally {
            AktNativeJNI.aktj_stream_graph_free(g);
        }
    }

    static Spec sinkSpec(Sink<?, ?> k) {
        return new Spec(k.kind, k.fn, k.seed, 0, 0, 0, k.branches, null, 0, 0);
    }

    /** A graph of specs (a branch graph: no source); stages (if not null) gets each stage's
     *  function object. The caller frees it. */
    private static long build(List<Spec> specs, int window, boolean fusion, boolean branch,
                              ActorSystem system, StreamStage[] stages) {
        long g = branch ? AktNativeJNI.aktj_stream_branch_new(window, fusion)
                        : AktNativeJNI.aktj_stream_graph_new(window, fusion);
        if (g == 0) {
            throw Errors.of(Errors.EINVAL, "stream window " + window);
        }
        try {
            for (int i = 0; i < specs.size(); i++) {
                StreamStage st = add(g, specs.get(i), system);
                if (stages != null) {
                    stages[i] = st;
                }
            }
            return g;
        } catch (RuntimeException e) {
            AktNativeJNI.aktj_stream_graph_free(g);
            throw e;
        }
    }

    /** A junction: the sub-graphs of its sources or sinks, copied by the C graph. */
    private static StreamStage junction(long g, Spec s, ActorSystem system) {
        boolean fanOut = s.kind() >= 23;
        List<?> parts = s.values();
        long[] subs = new long[parts.size()];
        try {
            for (int i = 0; i < subs.length; i++) {
                if (fanOut) {
                    Sink<?, ?> k = (Sink<?, ?>) parts.get(i);
                    List<Spec> l = new ArrayList<>(k.flows);
                    l.add(sinkSpec(k));
                    subs[i] = build(l, k.window, k.fusion, true, system, null);
                } else {
                    Source<?> x = (Source<?>) parts.get(i);
                    subs[i] = build(x.specs, x.window, x.fusion, false, system, null);
                }
            }
            StreamStage stage = s.fn() != null ? new StreamStage(s.kind(), s.fn(), system) : null;
            Errors.check(AktNativeJNI.aktj_stream_junction(g, s.kind(), subs, stage), "stream junction");
            return stage;
        } finally {
            for (long h : subs) {
                if (h != 0) {
                    AktNativeJNI.aktj_stream_graph_free(h);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static StreamStage add(long g, Spec s, ActorSystem system) {
        StreamStage stage = null;
        int rc;
        if (s.kind() >= 20 && s.kind() <= 25) {
            stage = junction(g, s, system);
            rc = 0;
        } else if (s.kind() == VALUES) {
            long[] msgs = new long[s.values().size()];
            try {
                for (int i = 0; i < msgs.length; i++) {
                    msgs[i] = Messages.toNative(s.values().get(i));
                }
                rc = AktNativeJNI.aktj_stream_values(g, msgs);
            } finally {
                for (long m : msgs) {
                    if (m != 0) {
                        AktNativeJNI.akt_msg_release(m);
                    }
                }
            }
        } else if (s.fn() != null) {
            Object fn = s.fn();
            if (s.seed() == FlowAdapters.LAZY) { /* one publisher subscription per run */
                FlowAdapters.PublisherBridge<Object> b =
                        (FlowAdapters.PublisherBridge<Object>) ((Supplier<Object>) fn).get();
                fn = (Supplier<Object>) b::next;
            }
            stage = new StreamStage(s.kind(), fn, system);
            long seed = s.seed() != null && s.seed() != FlowAdapters.LAZY ? Messages.toNative(s.seed()) : 0;
            try {
                rc = AktNativeJNI.aktj_stream_add(g, s.kind(), stage, seed, s.a(), s.b(), s.c());
            } finally {
                if (seed != 0) {
                    AktNativeJNI.akt_msg_release(seed);
                }
            }
        } else if (s.kind() == 17) { /* actor sink: the on-complete message as the seed */
            Sink.ActorArgs x = (Sink.ActorArgs) s.seed();
            long m = x.onComplete() != null ? Messages.toNative(x.onComplete()) : 0;
            try {
                rc = AktNativeJNI.aktj_stream_add(g, 17, null, m, x.pid(), x.inFlight(), 0);
            } finally {
                if (m != 0) {
                    AktNativeJNI.akt_msg_release(m);
                }
            }
        } else if (s.kind() == 7) { /* tick: the tick message as the seed */
            long tick = Messages.toNative(s.seed());
            try {
                rc = AktNativeJNI.aktj_stream_add(g, 7, null, tick, s.a(), s.b(), 0);
            } finally {
                AktNativeJNI.akt_msg_release(tick);
            }
        } else {
            rc = AktNativeJNI.aktj_stream_add(g, s.kind(), null, 0, s.a(), s.b(), s.c());
        }
        Errors.check(rc, "stream stage");
        if (s.name() != null || s.onError() != 0 || s.retries() != 0) {
            Errors.check(AktNativeJNI.aktj_stream_stage_options(g, s.name(), s.onError(), s.retries()),
                    "stream stage options");
        }
        return stage;
    }

    /** What a buffer does when full. */
    public enum Overflow {
        /** Ask upstream for no more (nothing is lost). */
        BACKPRESSURE,
        /** Drop the oldest buffered element. */
        DROP_HEAD,
        /** Drop the element arriving. */
        DROP_TAIL,
        /** Fail the stream (MailboxFullException's code, AKT_EFULL). */
        FAIL
    }

    /** What a stage does when its function throws. */
    public enum OnError {
        /** Fail the stream (the default). */
        FAIL,
        /** Drop the element (counted in drops and errors). */
        RESUME,
        /** Call again, up to a budget, then fail. */
        RETRY
    }
}
