package dev.akt;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Consumer;

/**
 * An actor system: akt's worker threads (each attached to this JVM once), the actors on
 * them, an event stream. Close it when done:
 *
 * <pre>{@code
 * try (ActorSystem system = ActorSystem.create("demo")) {
 *     Pid counter = system.spawn("counter", new Counter());
 *     counter.tell(1);
 *     Object n = counter.ask("get", Duration.ofSeconds(1)).join();
 * }
 * }</pre>
 *
 * <p>Pids and this object stay safe to use after close: sends then fail with an exception.
 * The native memory is freed when the system is closed and no longer reachable.
 *
 * <p>What goes wrong in Java code is logged through {@link System.Logger} (by default the
 * logger {@code "dev.akt"}, i.e. java.util.logging unless the application installs another
 * backend): an actor whose {@code receive} or {@code preStart} throws (at
 * {@link Level#ERROR}: its path, the exception and its stack trace; the supervisor then
 * decides as usual), a {@code postStop} or an event listener that throws (at
 * {@link Level#WARNING}). {@link Builder#logger} and {@link Builder#failureLogLevel} change
 * where and how loudly.
 *
 * <p>A JVM shutdown hook shuts down every system still running when the JVM exits (Ctrl-C,
 * SIGTERM, {@code System.exit}, or the end of {@code main} with a forgotten {@code close()}),
 * so {@code postStop} runs; it waits up to {@link #SHUTDOWN_HOOK_WAIT} for them. It is on by
 * default; {@link Builder#shutdownHook(boolean)} or the system property
 * {@code -Dakt.shutdownHook=false} turns it off.
 */
public final class ActorSystem implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Where a system logs unless its builder says otherwise. */
    static final String LOGGER_NAME = "dev.akt";

    /** The system property that sets the default of {@link Builder#shutdownHook(boolean)}:
     *  {@code "false"} turns the JVM shutdown hook off for systems that do not say. */
    public static final String SHUTDOWN_HOOK_PROPERTY = "akt.shutdownHook";

    /** How long the JVM shutdown hook waits for the running systems to shut down. */
    public static final Duration SHUTDOWN_HOOK_WAIT = Duration.ofSeconds(10);

    /** Running systems that want the shutdown hook; each leaves once it has shut down. */
    private static final Set<ActorSystem> HOOKED = ConcurrentHashMap.newKeySet();
    private static final Object HOOK_LOCK = new Object();
    private static boolean hookInstalled; // guarded by HOOK_LOCK

    /** The default completion executor: daemon threads made on demand (a stage that blocks
     *  gets a thread of its own, so two blocking stages never wait for each other's thread)
     *  and dropped after a minute idle. Shared by every system. */
    private static final class DefaultCompletions {
        static final ExecutorService POOL;

        static {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), r -> {
                        Thread t = new Thread(r, "akt-completion-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            POOL = pool;
        }
    }

    final long handle;
    /** The binding's per-system record (aktj_system_create's out[1]). */
    private final long record;
    private final String name;
    private final Logger logger;
    private final Level failureLevel;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private boolean shutdownStarted;
    /** Where asks complete (see {@link Builder#completionExecutor}). */
    final Executor completions;

    private ActorSystem(String name, long handle, long record, Logger logger, Level failureLevel,
                        Executor completions) {
        this.name = name;
        this.handle = handle;
        this.record = record;
        this.logger = logger;
        this.failureLevel = failureLevel;
        this.completions = completions;
        // Destroy captures the handles, not this: it runs once this object is unreachable.
        CLEANER.register(this, new Destroy(handle, record));
    }

    /**
     * A system with default options (one worker per core).
     *
     * @param name the system's name (letters, digits, '-', '_', '.')
     * @return the running system
     * @throws IllegalArgumentException if the name is invalid
     */
    public static ActorSystem create(String name) {
        return builder(name).build();
    }

    /**
     * Options for a system named name (letters, digits, '-', '_', '.').
     *
     * @param name the system's name (letters, digits, '-', '_', '.'), checked by {@link Builder#build()}
     * @return a builder with the default options
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Options of a new system. */
    public static final class Builder {
        private final String name;
        private int workers;
        private int throughput;
        private SupervisorStrategy supervisor = SupervisorStrategy.RESTART;
        private Logger logger;
        private Level failureLevel = Level.ERROR;
        private Boolean shutdownHook;
        private Executor completions;
        private boolean waitersRunTurns = true;
        private final java.util.LinkedHashMap<String, Object> extensions = new java.util.LinkedHashMap<>();
        private ContextPropagator propagator; // local

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Worker threads; 0 (the default) means one per core.
         *
         * @param workers the number of worker threads, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if workers is negative
         */
        public Builder workers(int workers) {
            if (workers < 0) {
                throw new IllegalArgumentException("akt: workers must be >= 0, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * Messages an actor handles per turn before others get the worker; 0 = 64.
         *
         * @param throughput messages per turn, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if throughput is negative
         */
        public Builder throughput(int throughput) {
            if (throughput < 0) {
                throw new IllegalArgumentException("akt: throughput must be >= 0, got " + throughput);
            }
            this.throughput = throughput;
            return this;
        }

        /**
         * The strategy for failures of top-level actors.
         *
         * @param strategy the system supervisor's strategy ({@link SupervisorStrategy#RESTART} by default)
         * @return this builder
         */
        public Builder supervisor(SupervisorStrategy strategy) {
            this.supervisor = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * The logger of this system's reports (actor failures and the like); by default
         * {@code System.getLogger("dev.akt")}.
         *
         * @param logger where the reports go
         * @return this builder
         */
        public Builder logger(Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        /**
         * The level at which an actor's failure (its {@code receive} or {@code preStart}
         * threw) is logged; {@link Level#ERROR} by default, {@link Level#OFF} to log none
         * (the supervisor and the failure events see them all the same). A JVM error such as
         * OutOfMemoryError is logged at ERROR whatever this says.
         *
         * @param level the level of failure reports
         * @return this builder
         */
        public Builder failureLogLevel(Level level) {
            this.failureLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * Whether the JVM shutdown hook shuts this system down at JVM exit (see the class
         * comment). Default: on, unless the system property {@value ActorSystem#SHUTDOWN_HOOK_PROPERTY}
         * is {@code "false"}.
         *
         * @param on true to shut this system down at JVM exit
         * @return this builder
         */
        public Builder shutdownHook(boolean on) {
            this.shutdownHook = on;
            return this;
        }

        /**
         * Where the futures of asks complete, and so where their dependent stages
         * ({@code thenApply}, ...) run. Default: a shared pool of Java daemon threads, so a
         * stage may block (even {@code join()} another ask) without holding up akt's
         * workers. {@code Runnable::run} completes them on the akt thread that answered
         * (the fastest, but a blocking stage then blocks a worker).
         *
         * @param executor runs the completions of this system's ask futures; must not be null
         * @return this builder
         */
        public Builder completionExecutor(Executor executor) {
            this.completions = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Whether a thread that waits for an ask's answer ({@code get()}, {@code join()})
         * may run the asked actor's turn itself when that actor is idle and no worker took
         * it yet (the default, {@code true}): the question is then answered on the waiting
         * thread, with no hand-off to a worker and back (the ask round trip falls from two
         * thread wake-ups to none). The actor still runs one message at a time, as on a
         * worker; only the thread differs, so an actor that needs to be on akt's workers
         * (thread-local state of its own, thread names in logs) wants {@code false}, and
         * so does one whose turns block (I/O, locks, latches): a turn the waiter runs ends
         * before the waiter can see the ask's timeout, so {@code get()} returns when the turn
         * does, however short the timeout was.
         *
         * @param on whether waiting threads may run turns
         * @return this builder
         */
        public Builder waitersRunTurns(boolean on) {
            this.waitersRunTurns = on;
            return this;
        }

        /**
         * A system-wide value every actor reaches with {@link Context#extension} (and
         * {@link ActorSystem#extension} from outside): a metrics registry, a client, a clock.
         * Names are 2..255 letters, digits, '-' or '_', starting with a letter or digit; the
         * value must be safe to use from any thread. A name given again replaces the value.
         *
         * @param name the extension's name
         * @param value the extension, shared by every actor
         * @return this builder
         */
        public Builder extension(String name, Object value) {
            extensions.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        // local begin:
        /**
         * The system's context propagator (GoAkt's ContextPropagator): it adds headers to
         * each message at its first send from the headers of the message being handled
         * (see {@link ContextPropagator}).
         *
         * @param propagator called on each first send (any thread); what it throws is logged
         *     and adds nothing
         * @return this builder
         */
        public Builder propagator(ContextPropagator propagator) {
            this.propagator = Objects.requireNonNull(propagator, "propagator");
            return this;
        }
        // local end

        /**
         * Creates and starts the system.
         *
         * @return the running system, its workers started
         * @throws IllegalArgumentException for an invalid system or extension name
         * @throws AktException if akt cannot create the system (out of memory, threads)
         */
        public ActorSystem build() {
            long[] out = new long[2];
            String[] extNames = extensions.keySet().toArray(new String[0]);
            Object[] extValues = extensions.values().toArray();
            int rc = AktNativeJNI.aktj_system_create(name, workers, throughput, supervisor.directive.code,
                    supervisor.decides() ? supervisor : null, supervisor.strategy,
                    supervisor.maxRetries, supervisor.withinNanos, supervisor.nativeTuning(),
                    extNames, extValues,
                    propagator != null ? new Propagation(propagator,
                            logger != null ? logger : System.getLogger(LOGGER_NAME)) : null,
                    waitersRunTurns ? 1 : 0, out);
            if (rc == Errors.EINVAL) {
                throw new IllegalArgumentException("akt: invalid system name '" + name
                        + "' (letters, digits, '-', '_', '.') or extension name " + extensions.keySet()
                        + ": " + Errors.name(rc));
            }
            Errors.check(rc, "create system '" + name + "'");
            ActorSystem system = new ActorSystem(name, out[0], out[1],
                    logger != null ? logger : System.getLogger(LOGGER_NAME), failureLevel,
                    completions != null ? completions : DefaultCompletions.POOL);
            boolean hook = shutdownHook != null ? shutdownHook
                    : !"false".equalsIgnoreCase(System.getProperty(SHUTDOWN_HOOK_PROPERTY, "true").trim());
            if (hook) {
                hookUp(system);
            }
            return system;
        }
    }

    /** Puts system under the JVM shutdown hook (installed with the first such system). */
    private static void hookUp(ActorSystem system) {
        synchronized (HOOK_LOCK) {
            if (!hookInstalled) {
                try {
                    Runtime.getRuntime().addShutdownHook(
                            new Thread(ActorSystem::shutdownAllAtExit, "akt-shutdown-hook"));
                    hookInstalled = true;
                } catch (IllegalStateException exiting) {
                    return; // the JVM is exiting already: nothing would run the hook
                }
            }
        }
        HOOKED.add(system);
        system.terminated.whenComplete((v, e) -> HOOKED.remove(system));
    }

    /** The shutdown hook: shuts every hooked system down and waits for them, bounded. */
    private static void shutdownAllAtExit() {
        CompletableFuture<?>[] all = HOOKED.stream().map(ActorSystem::shutdown)
                .toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(all).get(SHUTDOWN_HOOK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // A system that does not finish in time (an actor calling System.exit waits for
            // this hook) is left to the JVM's exit.
            System.err.println("akt: shutting down at JVM exit: " + e);
        }
    }

    private static final class Destroy implements Runnable {
        private final long handle;
        private final long record;

        Destroy(long handle, long record) {
            this.handle = handle;
            this.record = record;
        }

        @Override
        public void run() {
            AktNativeJNI.aktj_system_destroy(handle, record);
        }
    }

    /**
     * The system's name, as given to {@link #create} or {@link #builder}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The native {@code akt_system *}, for native code (JNI) that spawns C actors in this
     * system or sends to its actors. Valid as long as this object is reachable.
     *
     * @return the {@code akt_system *} address
     */
    public long nativeHandle() {
        return handle;
    }

    /**
     * The Pid of an actor of this system from its native id ({@code akt_pid.id}), e.g. one
     * that C code spawned. A stale id gives a Pid that is simply not alive.
     *
     * @param nativeId the actor's {@code akt_pid.id}
     * @return a Pid of this system for that id
     */
    public Pid pid(long nativeId) {
        return new Pid(this, nativeId);
    }

    // ---- actors ---------------------------------------------------------------------------------

    /**
     * Spawns a top-level actor at {@code /user/<name>}. Called from outside an actor, it
     * returns once the actor's {@code preStart} has run, so the children {@code preStart}
     * spawned can be looked up at once (a {@code preStart} that throws stops the actor; its
     * pid is returned all the same). Called inside {@code receive} it returns at once: the
     * actor starts before its first message.
     *
     * @param name the actor's name (no '/'), or null for an anonymous one
     * @param actor the actor's behaviour (its instance, used by this actor only)
     * @return the actor's pid
     * @throws ActorNameTakenException if a live actor has this name
     * @throws SystemClosedException if the system is shutting down
     */
    public Pid spawn(String name, Actor actor) {
        return spawn(0, name, Props.of(actor));
    }

    /**
     * Spawns a top-level typed actor, as {@link #spawn(String, Actor)} does, and returns a
     * typed reference to it: the compiler then lets only M be sent to it.
     *
     * @param <M> the type of the messages the actor accepts
     * @param name the actor's name (no '/'), or null for an anonymous one
     * @param actor the actor's behaviour
     * @return a typed reference to the actor (its {@link ActorRef#pid() pid} is the pid
     *     {@link #spawn(String, Actor)} would return)
     * @throws NullPointerException if actor is null
     * @throws ActorNameTakenException if a live actor has this name
     * @throws SystemClosedException if the system is shutting down
     */
    public <M> ActorRef<M> spawn(String name, TypedActor<M> actor) {
        Objects.requireNonNull(actor, "actor");
        return new ActorRef<>(spawn(0, name, Props.of(actor)), actor.messageClass());
    }

    /**
     * Spawns an anonymous top-level typed actor (see {@link #spawn(String, TypedActor)}).
     *
     * @param <M> the type of the messages the actor accepts
     * @param actor the actor's behaviour
     * @return a typed reference to the actor
     * @throws NullPointerException if actor is null
     * @throws SystemClosedException if the system is shutting down
     */
    public <M> ActorRef<M> spawn(TypedActor<M> actor) {
        return spawn(null, actor);
    }

    /**
     * Spawns a top-level actor from props (see {@link Props}).
     *
     * @param name the actor's name (no '/'), or null for an anonymous one
     * @param props the actor and its options
     * @return the actor's pid
     * @throws ActorNameTakenException if a live actor has this name
     * @throws SystemClosedException if the system is shutting down
     */
    public Pid spawn(String name, Props props) {
        Objects.requireNonNull(props, "props");
        return spawn(0, name, props);
    }

    /**
     * The system's metrics: actors alive, spawned, stopped, restarts, failures, dead letters,
     * unhandled messages, uptime.
     *
     * @return a snapshot of the system's counters
     */
    public SystemMetrics metrics() {
        long[] v = new long[13];
        Errors.check(AktNativeJNI.aktj_metrics_system(handle, v), "metrics of system '" + name + "'");
        return new SystemMetrics(v[0], v[1], v[2], v[3], v[4], v[5], v[6], java.time.Duration.ofNanos(v[7]),
                v[8], v[9], v[10], v[11], v[12]);
    }

    /**
     * The metrics of every live actor, each with its path, in the order of their cells.
     *
     * @return a snapshot per actor, unmodifiable
     */
    public List<ActorMetrics> actorMetrics() {
        List<String[]> rows = new java.util.ArrayList<>();
        Errors.check(AktNativeJNI.aktj_metrics_foreach(handle, rows), "actorMetrics");
        List<ActorMetrics> out = new java.util.ArrayList<>(rows.size());
        for (String[] r : rows) {
            long[] v = new long[11];
            for (int i = 0; i < 11; i++) v[i] = Long.parseLong(r[i + 1]);
            out.add(ActorMetrics.of(r[0], v, r[12]));
        }
        return List.copyOf(out);
    }

    /**
     * Every data point as OpenTelemetry sees it, named as GoAkt's instruments.
     *
     * @return the data points now, unmodifiable
     */
    public List<MetricPoint> collectMetrics() {
        List<String[]> rows = new java.util.ArrayList<>();
        Errors.check(AktNativeJNI.aktj_metrics_collect(handle, rows), "collectMetrics");
        List<MetricPoint> out = new java.util.ArrayList<>(rows.size());
        for (String[] r : rows) {
            java.util.Map<String, String> attrs = new java.util.LinkedHashMap<>();
            for (int i = 5; i + 1 < r.length; i += 2) attrs.put(r[i], r[i + 1]);
            MetricPoint.Kind kind = "0".equals(r[1]) ? MetricPoint.Kind.COUNTER : MetricPoint.Kind.GAUGE;
            out.add(new MetricPoint(r[0], kind, r[2], r[3], java.util.Collections.unmodifiableMap(attrs),
                                    Double.parseDouble(r[4])));
        }
        return List.copyOf(out);
    }

    /**
     * Per-actor instruments without attributes, summed over actors (GoAkt's
     * WithLowCardinalityMetrics).
     *
     * @param on true to sum per-actor instruments over actors, false for one series per actor
     */
    public void setLowCardinalityMetrics(boolean on) {
        Errors.check(AktNative.akt_metrics_set_low_cardinality(handle, on ? 1 : 0), "setLowCardinalityMetrics");
    }

    /**
     * Spawns a router over existing actors (of any language).
     *
     * @param routees the actors routed to, at least one
     * @param options the strategy and the router's name
     * @return the router
     * @throws IllegalArgumentException for no routees, or a strategy without the deadline
     *     or interval it needs
     */
    public Router spawnRouter(List<Pid> routees, Router.Options options) {
        Objects.requireNonNull(routees, "routees");
        Objects.requireNonNull(options, "options");
        long[] ids = new long[routees.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Objects.requireNonNull(routees.get(i), "a routee").id;
        }
        long[] out = new long[1];
        int rc = AktNativeJNI.aktj_router_spawn(handle, options.name, options.strategy.ordinal(),
                options.key != null ? new Router.Key(this, options.key) : null, ids,
                options.within.toNanos(), options.interval.toNanos(), options.seed, out);
        if (rc == Errors.EINVAL) {
            throw new IllegalArgumentException("akt: cannot spawn a router with these options ("
                    + options.strategy + ", " + ids.length + " routees)");
        }
        Errors.check(rc, "spawnRouter in system '" + this.name + "'");
        return new Router(new Pid(this, out[0]));
    }

    /**
     * Spawns a pool router: size routees made by factory (one instance each, and a fresh one
     * on a restart), the router's children {@code routee-0}, {@code routee-1}, ...; the
     * factory runs on the router's thread.
     *
     * @param factory makes each routee's actor
     * @param size the number of routees, at least 1
     * @param options the strategy, the router's name and what a routee's failure does
     * @return the router
     * @throws IllegalArgumentException for a size below 1 or options the strategy refuses
     */
    public Router spawnRouter(java.util.function.Supplier<? extends Actor> factory, int size,
            Router.Options options) {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        if (size < 1) {
            throw new IllegalArgumentException("a pool needs a size of at least 1");
        }
        long[] out = new long[1];
        int rc = AktNativeJNI.aktj_router_spawn_pool(handle, options.name, options.strategy.ordinal(),
                options.key != null ? new Router.Key(this, options.key) : null,
                new Router.Pool(this, factory), size, options.within.toNanos(), options.interval.toNanos(),
                options.seed, options.onFailure.ordinal(), options.maxRetries, options.retryWithin.toNanos(), out);
        if (rc == Errors.EINVAL) {
            throw new IllegalArgumentException("akt: cannot spawn a pool router with these options ("
                    + options.strategy + ", " + size + " routees, " + options.onFailure + ")");
        }
        Errors.check(rc, "spawnRouter in system '" + this.name + "'");
        return new Router(new Pid(this, out[0]));
    }

    /**
     * Spawns an anonymous top-level actor.
     *
     * @param actor the actor's behaviour
     * @return the actor's pid
     * @throws SystemClosedException if the system is shutting down
     */
    public Pid spawn(Actor actor) {
        return spawn(0, null, Props.of(actor));
    }

    /**
     * Spawns a top-level C actor from a shared library exporting
     * {@code int symbol(const char *arg, const akt_behavior **behavior, void **state)} (as
     * Node's {@code spawnNative}): it runs on akt's workers and exchanges bytes messages
     * ({@link BytesMessage}, canonical scalars) with Java actors. The library stays loaded.
     *
     * @param name the actor's name, or null for an anonymous one
     * @param arg  handed to the factory (may be null)
     * @param library the shared library's path (or a name for the dynamic loader)
     * @param symbol the factory's exported name
     * @return the actor's pid
     * @throws ActorNotFoundException if the library or the symbol is missing
     */
    public Pid spawnNative(String library, String symbol, String name, String arg) {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(symbol, "symbol");
        long[] out = new long[1];
        Errors.check(AktNativeJNI.aktj_spawn_native(handle, library, symbol, name, arg, out),
                "spawnNative " + symbol + " from " + library);
        return new Pid(this, out[0]);
    }

    /**
     * Spawns a top-level C actor from the address of an {@code akt_behavior} and of its state
     * (taken by akt on success, freed by the behaviour's {@code free_state}), as Python's
     * {@code spawn_native}: for addresses that native code or the foreign function API made.
     *
     * @param name the actor's name, or null for an anonymous one
     * @param behavior the address of an {@code akt_behavior}, which must outlive the actor
     * @param state the address of the actor's state (0 for none)
     * @return the actor's pid
     * @throws IllegalArgumentException if behavior is 0
     */
    public Pid spawnNative(String name, long behavior, long state) {
        if (behavior == 0) {
            throw new IllegalArgumentException("akt: spawnNative needs an akt_behavior address, got 0");
        }
        long[] out = new long[1];
        Errors.check(AktNativeJNI.aktj_spawn_behavior(handle, name, behavior, state, out),
                "spawnNative '" + (name != null ? name : "(anonymous)") + "'");
        return new Pid(this, out[0]);
    }

    /** The kind akt gets: the one set on props, else the actor's class name; null for none. */
    private static String kindOf(Props props, ActorCell cell) {
        String kind = props.kind != null ? props.kind : cell.actorClassName();
        return kind == null || kind.isEmpty() ? null : kind;
    }

    Pid spawn(long ctx, String name, Props props) {
        if (!props.hasActor()) {
            throw new IllegalArgumentException("akt: cannot spawn '" + name + "' from Props.remote()"
                    + " (props without an actor are for remoteSpawn): use Props.of or Props.create");
        }
        ActorCell cell = new ActorCell(this, props);
        Map<String, Object> deps = props.dependencies;
        String[] names = deps.keySet().toArray(new String[0]);
        Object[] values = deps.values().toArray();
        SupervisorStrategy s = props.supervisor;
        long[] out = new long[1];
        int rc = AktNativeJNI.aktj_spawn(handle, ctx, cell, name, names, values, s.directive.code,
                s.decides() ? s : null, s.strategy, s.maxRetries, s.withinNanos, s.nativeTuning(),
                props.mailbox != null ? props.mailbox.spec() : null,
                props.reentrancy != null ? props.reentrancy.code : 0, props.maxInFlight,
                kindOf(props, cell), out);
        if (rc == Errors.EINVAL) {
            throw new IllegalArgumentException("akt: cannot spawn an actor named '" + name
                    + "': " + Errors.name(rc) + " (a name has no '/' and is 1..255 bytes)");
        }
        Errors.check(rc, "spawn '" + (name != null ? name : "(anonymous)") + "' in system '" + this.name + "'");
        if (props.passivation != null) {
            int prc = AktNativeJNI.aktj_passivation_set(handle, out[0], props.passivation.strategy,
                    props.passivation.value);
            if (prc != Errors.ENOTFOUND) { // gone already (a failing preStart): nothing to do
                Errors.check(prc, "passivation of '" + (name != null ? name : "(anonymous)") + "'");
            }
        }
        return new Pid(this, out[0]);
    }

    /**
     * The passivation of every actor spawned from now on without one of its own; null (or
     * {@link Passivation#LONG_LIVED}): none, the default.
     *
     * @param passivation the default passivation, or null for none
     */
    public void setDefaultPassivation(Passivation passivation) {
        Passivation p = passivation != null ? passivation : Passivation.LONG_LIVED;
        Errors.check(AktNativeJNI.aktj_system_passivation(handle, p.strategy, p.value),
                "setDefaultPassivation");
    }

    /**
     * What a top-level actor's escalation (the system supervisor's
     * {@link Directive#ESCALATE}) does from now on: {@link GuardianPolicy#STOP_ACTOR} (the
     * default) stops the actor; {@link GuardianPolicy#SHUTDOWN} also shuts the whole system
     * down, as {@link #shutdown()} would, and {@link #whenTerminated()} completes once it is
     * over. Throws (AKT_ECLOSED) once the system is shutting down.
     *
     * @param policy what a top-level escalation does
     * @throws SystemClosedException once the system is shutting down
     */
    public void setGuardianPolicy(GuardianPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        Errors.check(AktNativeJNI.aktj_guardian_set(handle, record, policy.code, terminated),
                "setGuardianPolicy");
    }

    /**
     * An extension given at creation ({@link Builder#extension}).
     *
     * @param name the extension's name
     * @return the extension's value
     * @throws java.util.NoSuchElementException if there is none by that name
     */
    public Object extension(String name) {
        Objects.requireNonNull(name, "name");
        Object value = AktNativeJNI.aktj_system_extension(handle, name);
        if (value == null) {
            throw new java.util.NoSuchElementException("akt: no extension named '" + name + "'");
        }
        return value;
    }

    /**
     * {@link #extension(String)} cast to type.
     *
     * @param <T> the extension's type
     * @param name the extension's name
     * @param type the class the value is cast to
     * @return the extension's value
     * @throws java.util.NoSuchElementException if there is none by that name
     * @throws ClassCastException if the value is not an instance of type
     */
    public <T> T extension(String name, Class<T> type) {
        return type.cast(extension(name));
    }

    /**
     * Registers the grain kind {@code kind} (virtual actors, see {@link Grain}): each
     * activation is {@code factory.apply(name)}, run on akt's workers like every Java actor.
     *
     * @param kind the kind's name
     * @param factory makes an activation's actor from the grain's name
     * @param options the passivation, mailbox and dependencies of the kind's activations
     * @throws IllegalArgumentException for an empty kind, one with '/', or longer than 255 bytes
     * @throws ActorNameTakenException if the kind is registered already
     * @throws SystemClosedException once the system shut down
     */
    public void registerGrain(String kind, java.util.function.Function<String, ? extends Actor> factory,
            GrainOptions options) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        String[] depNames = options.dependencies.keySet().toArray(new String[0]);
        Object[] depValues = options.dependencies.values().toArray();
        int rc = AktNativeJNI.aktj_grain_register(handle, kind, new GrainKind(this, kind, factory),
                options.deactivateAfterNanos(), depNames, depValues,
                options.mailbox != null ? options.mailbox.spec() : null,
                options.reentrancy != null ? options.reentrancy.code : 0, options.maxInFlight);
        if (rc == Errors.EINVAL) {
            throw new IllegalArgumentException("akt: a grain kind is 1..255 bytes without '/', got '" + kind
                    + "', with valid options: " + options);
        }
        Errors.check(rc, "register grain kind '" + kind + "' in system '" + this.name + "'");
        javaGrainKinds.add(kind);
    }

    /** The grain kinds registered from Java: their activations are Java actors, which take
     *  objects; any other kind's (registered in C) read bytes (issue 17, {@link Grain}). */
    private final java.util.Set<String> javaGrainKinds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Whether kind was registered from Java in this system. */
    boolean isJavaGrainKind(String kind) {
        return javaGrainKinds.contains(kind);
    }

    /**
     * {@link #registerGrain(String, java.util.function.Function, GrainOptions)} with a
     * factory that does not need the grain's name.
     *
     * @param kind the kind's name
     * @param factory makes an activation's actor
     * @param options the passivation, mailbox and dependencies of the kind's activations
     */
    public void registerGrain(String kind, java.util.function.Supplier<? extends Actor> factory,
            GrainOptions options) {
        Objects.requireNonNull(factory, "factory");
        registerGrain(kind, name -> factory.get(), options);
    }

    /**
     * {@link #registerGrain(String, java.util.function.Supplier, GrainOptions)} with
     * {@link GrainOptions#defaults()}.
     *
     * @param kind the kind's name
     * @param factory makes an activation's actor
     */
    public void registerGrain(String kind, java.util.function.Supplier<? extends Actor> factory) {
        registerGrain(kind, factory, GrainOptions.defaults());
    }

    /**
     * The grain kind/name of this system (tell / ask activate it).
     *
     * @param kind a kind registered with {@link #registerGrain}
     * @param name the grain's name within its kind
     * @return a handle on the grain; it is activated by its first message, not by this
     */
    public Grain grain(String kind, String name) {
        return new Grain(this, kind, name);
    }

    /**
     * The grain kind/name of this system, with options for the activation its sends make
     * (over the kind's; a grain active already keeps its own).
     *
     * @param kind a registered grain kind
     * @param name the grain's name within its kind
     * @param options the activation's options, {@link GrainActivation#kinds()} and overrides
     * @return a handle on the grain; it is activated by its first message, not by this
     */
    public Grain grain(String kind, String name, GrainActivation options) {
        return new Grain(this, kind, name, Objects.requireNonNull(options, "options"));
    }

    /** A native dependency set for grain activations, kept until the system is freed. */
    long grainDependencies(java.util.Map<String, Object> deps) {
        String[] names = deps.keySet().toArray(new String[0]);
        Object[] values = deps.values().toArray();
        long set = AktNativeJNI.aktj_grain_deps(record, names, values);
        if (set == 0) throw new OutOfMemoryError("akt: no memory for a grain's dependencies");
        return set;
    }

    /**
     * The topic name of this system (publish / subscribe, see {@link Topic}).
     *
     * @param name the topic's name
     * @return a handle on the topic
     * @throws IllegalArgumentException if name is empty, longer than 255 bytes or holds NUL
     */
    public Topic topic(String name) {
        return new Topic(this, name);
    }

    /**
     * A live actor by path: {@code "name"}, {@code "parent/child"}, {@code "/user/a/b"} or
     * {@code "akt://<system>/user/a/b"}.
     *
     * @param path the actor's path
     * @return the actor's pid
     * @throws ActorNotFoundException if there is none
     */
    public Pid lookup(String path) {
        Objects.requireNonNull(path, "path");
        long[] out = new long[1];
        Errors.check(AktNativeJNI.akt_lookup(handle, path, out), "lookup '" + path + "'");
        return new Pid(this, out[0]);
    }

    /**
     * Starts remoting: listens on {@code host} (null: 127.0.0.1) and {@code port} (0: an
     * ephemeral one) and returns this node's address, {@code "akt://<name>@<host>:<port>"}.
     * Throws {@link AktException} {@code AKT_EEXIST} if already started.
     *
     * @param host the address to listen on, or null for 127.0.0.1
     * @param port the port to listen on, or 0 for an ephemeral one
     * @return this node's address
     */
    public String remoteStart(String host, int port) {
        return remoteStart(host, port, null, 0);
    }

    /**
     * {@link #remoteStart(String, int)} with heartbeats: both ends of a connection send a
     * ping every {@code heartbeatInterval} (null: 1 s; {@link Duration#ZERO}: no heartbeats)
     * and a connection that received nothing for more than {@code heartbeatMisses} intervals
     * (0: 5) is lost: its pending asks fail with {@code AKT_EUNREACHABLE}. Throws
     * {@link AktException} {@code AKT_EINVAL} for an interval over an hour or more than 1000
     * misses.
     *
     * @param host the address to listen on, or null for 127.0.0.1
     * @param port the port to listen on, or 0 for an ephemeral one
     * @param heartbeatInterval the time between pings, null for 1 s, zero for none
     * @param heartbeatMisses the silent intervals after which a connection is lost, 0 for 5
     * @return this node's address
     * @throws IllegalArgumentException for a negative interval
     */
    public String remoteStart(String host, int port, Duration heartbeatInterval,
            int heartbeatMisses) {
        Errors.check(AktNativeJNI.aktj_remote_start(handle, host, port, 0,
                heartbeatNanos(heartbeatInterval), heartbeatMisses), "remoteStart");
        return remoteAddress();
    }

    /** A heartbeat interval as akt_remote_options has it (0: the default, -1: none). */
    static long heartbeatNanos(Duration heartbeatInterval) {
        if (heartbeatInterval == null) return 0;
        if (heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("akt: negative heartbeat interval");
        }
        return heartbeatInterval.isZero() ? -1
                : heartbeatInterval.compareTo(Duration.ofHours(2)) > 0 ? Long.MAX_VALUE
                : Math.max(1, heartbeatInterval.toNanos());
    }

    /**
     * {@link #remoteStart(String, int)} over TLS 1.3 (mutual TLS if {@code tls} requires
     * client certificates): every connection of this node is TLS, and a peer TLS refuses
     * (no valid certificate, another CA, a wrong name, plaintext) fails asks with
     * {@code AKT_EUNREACHABLE}. Throws {@link AktException} {@code AKT_EINVAL} if a file
     * cannot be used.
     *
     * @param host the address to listen on, or null for 127.0.0.1
     * @param port the port to listen on, or 0 for an ephemeral one
     * @param tls this node's certificate, key and trusted CA
     * @return this node's address
     */
    public String remoteStart(String host, int port, RemoteTls tls) {
        return remoteStart(host, port, null, 0, tls);
    }

    /**
     * {@link #remoteStart(String, int, Duration, int)} over TLS (see the overload above).
     *
     * @param host the address to listen on, or null for 127.0.0.1
     * @param port the port to listen on, or 0 for an ephemeral one
     * @param heartbeatInterval the time between pings, null for 1 s, zero for none
     * @param heartbeatMisses the silent intervals after which a connection is lost, 0 for 5
     * @param tls this node's certificate, key and trusted CA
     * @return this node's address
     * @throws IllegalArgumentException for a negative interval
     */
    public String remoteStart(String host, int port, Duration heartbeatInterval,
            int heartbeatMisses, RemoteTls tls) {
        Objects.requireNonNull(tls, "tls");
        Errors.check(AktNativeJNI.aktj_remote_start_tls(handle, host, port,
                heartbeatNanos(heartbeatInterval), heartbeatMisses, tls.certificate(), tls.key(),
                tls.trust(), tls.peerName(), tls.requireClientCertificate() ? 1 : 0),
                "remoteStart");
        return remoteAddress();
    }

    /**
     * {@link #remoteStart(String, int, Duration, int)} with flow control: at most
     * {@code sendWindow} messages (0: 65536) told or asked to the actors of one other node
     * and not yet consumed there; a tell beyond it throws {@link MailboxFullException} and
     * the caller keeps its message, until that node grants credit back as it consumes.
     *
     * @param host the address to listen on, or null for 127.0.0.1
     * @param port the port to listen on, or 0 for an ephemeral one
     * @param heartbeatInterval the time between pings, null for 1 s, zero for none
     * @param heartbeatMisses the silent intervals after which a connection is lost, 0 for 5
     * @param sendWindow the messages in flight to one node, 0 for 65536
     * @return this node's address
     * @throws IllegalArgumentException for a negative interval
     */
    public String remoteStart(String host, int port, Duration heartbeatInterval,
            int heartbeatMisses, int sendWindow) {
        long ns = 0;
        if (heartbeatInterval != null) {
            if (heartbeatInterval.isNegative()) {
                throw new IllegalArgumentException("akt: negative heartbeat interval");
            }
            ns = heartbeatInterval.isZero() ? -1
                    : heartbeatInterval.compareTo(Duration.ofHours(2)) > 0 ? Long.MAX_VALUE
                    : Math.max(1, heartbeatInterval.toNanos());
        }
        Errors.check(AktNativeJNI.aktj_remote_start_window(handle, host, port, ns,
                heartbeatMisses, sendWindow), "remoteStart");
        return remoteAddress();
    }

    /**
     * Starts remoting with frame compression: frames of at least {@code compressMinBytes}
     * (0: 512) to peers that accept {@code compression} go compressed with it; a peer that
     * does not (a {@link RemoteCompression#NONE} node) gets plain frames.
     *
     * @param host the address to listen on, or null for 127.0.0.1
     * @param port the port to listen on, or 0 for an ephemeral one
     * @param compressMinBytes the smallest frame compressed, 0 for 512
     * @param compression the codec this node offers and uses
     * @return this node's address
     * @throws IllegalArgumentException for a negative compressMinBytes
     */
    public String remoteStart(String host, int port, int compressMinBytes,
            RemoteCompression compression) {
        Objects.requireNonNull(compression, "compression");
        if (compressMinBytes < 0) {
            throw new IllegalArgumentException("akt: negative compressMinBytes");
        }
        Errors.check(AktNativeJNI.aktj_remote_start_compress(handle, host, port,
                compression.ordinal(), compressMinBytes), "remoteStart");
        return remoteAddress();
    }

    /**
     * Starts remoting with every option of {@code options} (see {@link RemoteOptions}) and
     * returns this node's address, {@code "akt://<name>@<host>:<port>"}.
     *
     * <pre>{@code
     * String address = system.remoteStart(RemoteOptions.builder().chunkBytes(256).build());
     * }</pre>
     *
     * @param options where to listen and how the connections behave
     * @return this node's address
     * @throws AktException {@code AKT_EINVAL} for an option outside the core's range (a
     *     chunk under 256 bytes or over the frame size, a message limit under the frame size
     *     or over 1 GiB, a send buffer under 64 KiB, ...) or a TLS file that cannot be used,
     *     {@code AKT_EUNREACHABLE} if the address cannot be bound
     * @throws ActorNameTakenException if remoting was already started
     */
    public String remoteStart(RemoteOptions options) {
        Objects.requireNonNull(options, "options");
        RemoteTls tls = options.tls;
        Errors.check(AktNativeJNI.aktj_remote_start_options(handle, options.host, options.port,
                options.maxFrameBytes, options.heartbeatNanos, options.heartbeatMisses,
                options.sendWindow, options.compression.ordinal(), options.compressMinBytes,
                options.chunkBytes, options.maxMessageBytes, options.sendBufferBytes,
                options.maxReverseProxies, tls == null ? null : tls.certificate(),
                tls == null ? null : tls.key(), tls == null ? null : tls.trust(),
                tls == null ? null : tls.peerName(),
                tls != null && tls.requireClientCertificate() ? 1 : 0), "remoteStart");
        return remoteAddress();
    }

    /**
     * Spawns an actor of {@code kind}, a kind registered on that node with
     * {@link #registerGrain}, named {@code name} on the node at {@code address}
     * ({@code "akt://<name>@<host>:<port>"}), and returns its pid; waits for that node's
     * answer at most {@code timeout}. Watch, stop and poison work on the pid as on a local
     * one. {@link #remoteSpawn(String, String, String, Props, Duration)} also carries the
     * options of the spawn (supervisor, mailbox, passivation, reentrancy).
     *
     * @throws ActorNameTakenException if the name is taken there
     * @throws ActorNotFoundException if no such kind is registered there
     * @throws AktException {@code AKT_EINVAL} for a bad address, kind or name,
     *     {@code AKT_EUNREACHABLE}, {@code AKT_ETIMEDOUT}
     * @param address the other node's address
     * @param kind the kind to spawn, registered there
     * @param name the new actor's name there
     * @param timeout how long to wait for the answer, positive
     * @return the remote actor's pid
     * @throws IllegalArgumentException for a timeout that is not positive
     */
    public Pid remoteSpawn(String address, String kind, String name, Duration timeout) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        long ns = remoteSpawnNanos(timeout);
        long[] out = new long[1];
        Errors.check(AktNativeJNI.akt_remote_spawn(handle, address, kind, name, ns, out),
                "remoteSpawn " + kind + " '" + name + "' at " + address);
        return new Pid(this, out[0]);
    }

    /**
     * {@link #remoteSpawn(String, String, String, Duration)} waiting at most 10 s.
     *
     * @param address the other node's address
     * @param kind the kind to spawn, registered there
     * @param name the new actor's name there
     * @return the remote actor's pid
     */
    public Pid remoteSpawn(String address, String kind, String name) {
        return remoteSpawn(address, kind, name, Duration.ofSeconds(10));
    }

    /** A remote spawn's timeout in ns: positive, a year or more saturating. */
    private static long remoteSpawnNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("akt: the timeout must be positive");
        }
        return timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE : timeout.toNanos();
    }

    /**
     * {@link #remoteSpawn(String, String, String, Duration)} with the options a local spawn
     * takes, where they can cross to the other node (GoAkt's SpawnRequest): {@code props}
     * comes from {@link Props#remote()} (the kind registered there makes the actor) and
     * carries the strategy for the actor's children ({@link Props#withSupervisor}: its
     * directive, one-for-all, retries, backoff, what a child out of retries gets, and rules
     * for akt's exception classes with a code, which apply there by that code: a Java child
     * fails with {@code AKT_EFAILED}, {@link ActorFailedException}), its mailbox
     * ({@link Props#withMailbox}: FIFO or fair, bounded or not), its passivation
     * ({@link Props#withPassivation}), reentrancy and in-flight limit. That node checks them
     * as a spawn there would.
     *
     * <pre>{@code
     * Pid p = system.remoteSpawn(address, "boss", "strict", Props.remote()
     *         .withSupervisor(SupervisorStrategy.oneForOne(Directive.STOP))
     *         .withPassivation(Passivation.idle(Duration.ofMinutes(5))), Duration.ofSeconds(10));
     * }</pre>
     *
     * <p>What cannot cross is refused here, before anything is sent, with
     * {@link AktException} {@code AKT_EINVAL}: props with an actor (instance or factory), a
     * supervisor with a decider or a rule for another exception class, a priority mailbox
     * (its comparator), dependencies, a kind set with {@link Props#withKind}. A refused
     * spawn, here or there, leaves no actor on that node.
     *
     * @param address the other node's address
     * @param kind the kind to spawn, registered there
     * @param name the new actor's name there
     * @param props the options, from {@link Props#remote()}
     * @param timeout how long to wait for the answer, positive
     * @return the remote actor's pid
     * @throws AktException {@code AKT_EINVAL} for options that cannot cross or that node
     *     refuses, and as {@link #remoteSpawn(String, String, String, Duration)}
     * @throws ActorNameTakenException if the name is taken there
     * @throws ActorNotFoundException if no such kind is registered there
     * @throws IllegalArgumentException for a timeout that is not positive
     * @throws NullPointerException if an argument is null
     */
    public Pid remoteSpawn(String address, String kind, String name, Props props, Duration timeout) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(props, "props");
        long ns = remoteSpawnNanos(timeout);
        String what = "remoteSpawn " + kind + " '" + name + "' at " + address;
        String refusal = props.remoteRefusal();
        if (refusal != null) {
            throw Errors.of(Errors.EINVAL, what + " (" + refusal + ")");
        }
        SupervisorStrategy s = props.supervisor;
        boolean supervised = s != SupervisorStrategy.RESTART; // the default: nothing to send
        Passivation p = props.passivation != null ? props.passivation : Passivation.LONG_LIVED;
        long[] out = new long[1];
        Errors.check(AktNativeJNI.aktj_remote_spawn_with(handle, address, kind, name, ns,
                supervised ? 1 : 0, s.directive.code, s.strategy, s.maxRetries, s.withinNanos,
                s.nativeTuning(), props.mailbox != null ? props.mailbox.spec() : null, p.strategy,
                p.value, props.reentrancy != null ? props.reentrancy.code : 0, props.maxInFlight,
                out), what);
        return new Pid(this, out[0]);
    }

    /**
     * {@link #remoteSpawn(String, String, String, Props, Duration)} waiting at most 10 s.
     *
     * @param address the other node's address
     * @param kind the kind to spawn, registered there
     * @param name the new actor's name there
     * @param props the options, from {@link Props#remote()}
     * @return the remote actor's pid
     */
    public Pid remoteSpawn(String address, String kind, String name, Props props) {
        return remoteSpawn(address, kind, name, props, Duration.ofSeconds(10));
    }

    /**
     * This node's address; {@code AKT_ENOTFOUND} before {@link #remoteStart}.
     *
     * @return {@code "akt://<name>@<host>:<port>"}, with the port actually bound
     */
    public String remoteAddress() {
        String a = AktNativeJNI.aktj_remote_address(handle);
        if (a == null) {
            throw Errors.of(Errors.ENOTFOUND, "remoteAddress (remoting not started)");
        }
        return a;
    }

    /**
     * Messages of {@code type} (null: the default, for every type bound to none) cross to
     * other nodes with the serializer {@code name}: {@code "json"}, {@code "cbor"},
     * {@code "protobuf"} or one registered with {@link #registerSerializer}; null unbinds.
     * Maps and lists travel as {@code akt.Json}. Throws {@link AktException}
     * {@code AKT_ENOTFOUND} for a name not registered, {@code AKT_EINVAL} for a bad type.
     *
     * @param type the akt type name of the messages, or null for the default
     * @param name the serializer's name, or null to unbind
     */
    public void bindSerializer(String type, String name) {
        Errors.check(AktNativeJNI.akt_serializer_bind(handle, type, name), "bindSerializer");
    }

    /**
     * The serializer messages of {@code type} cross with, or null (their own bytes).
     *
     * @param type the akt type name of the messages
     * @return the serializer's name, or null
     */
    public String serializerFor(String type) {
        Objects.requireNonNull(type, "type");
        int[] rc = new int[1];
        String name = AktNativeJNI.aktj_serializer_for(handle, type, rc);
        Errors.check(rc[0], "serializerFor");
        return name;
    }

    /**
     * A serializer written in Java for the objects of {@code cls}, whose akt type name (its
     * {@link MessageType}, or its binary name) is bound to {@code name}: akt asks
     * {@code encode} for their bytes when they cross to another node, and a message of that
     * type arriving as bytes becomes {@code decode(bytes)}. The frame names the serializer,
     * so a serializer of that name in another language reads the same bytes. Throws
     * {@link AktException} {@code AKT_EEXIST} if the name is taken.
     *
     * @param <T> the type of the messages
     * @param name the serializer's name, as other nodes know it
     * @param cls the class of the messages
     * @param encode gives a message's bytes; runs on the sending thread
     * @param decode makes a message from its bytes; runs on the receiving worker
     * @throws IllegalArgumentException if cls crosses as one of akt's own types (scalars, BytesMessage)
     */
    public <T> void registerSerializer(String name, Class<T> cls, Function<? super T, byte[]> encode,
            Function<byte[], ? extends T> decode) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cls, "cls");
        Objects.requireNonNull(encode, "encode");
        Objects.requireNonNull(decode, "decode");
        if (Scalars.typeOf(cls) != null || cls == BytesMessage.class) {
            throw new IllegalArgumentException("akt: " + cls.getName() + " crosses as akt's own type");
        }
        MessageType named = cls.getAnnotation(MessageType.class);
        String type = named != null ? named.value() : cls.getName();
        Errors.check(AktNativeJNI.aktj_serializer_register_bytes(handle, name), "registerSerializer '" + name + "'");
        Errors.check(AktNativeJNI.akt_serializer_bind(handle, type, name), "registerSerializer '" + name + "'");
        Serializers.add(cls, new Serializers.Codec(type, o -> encode.apply(cls.cast(o)), decode::apply));
    }

    /**
     * Makes {@code cls}, a message class generated by protoc (protobuf-java), cross to other
     * nodes as itself: its instances are sent as messages of its full protobuf name
     * (returned) with their protobuf encoding ({@code toByteArray}), through the built-in
     * "protobuf" serializer, and such messages, from any language, arrive here as instances
     * of {@code cls} ({@code parseFrom}). Register before the class's first send: its type
     * name is fixed then. The class is known process-wide; the binding of its name to
     * "protobuf" is this system's. Found by reflection, so the binding needs no protobuf
     * dependency of its own.
     *
     * @param cls a generated protobuf message class
     * @return the class's full protobuf name, its akt type name
     * @throws IllegalArgumentException if cls is not a generated protobuf message class
     */
    public String registerProtobuf(Class<?> cls) {
        Objects.requireNonNull(cls, "cls");
        String type;
        java.lang.reflect.Method parseFrom, toByteArray;
        try {
            Object descriptor = cls.getMethod("getDescriptor").invoke(null);
            type = (String) descriptor.getClass().getMethod("getFullName").invoke(descriptor);
            parseFrom = cls.getMethod("parseFrom", byte[].class);
            toByteArray = cls.getMethod("toByteArray");
        } catch (ReflectiveOperationException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "akt: " + cls.getName() + " is not a generated protobuf message class", e);
        }
        Errors.check(AktNativeJNI.akt_serializer_bind(handle, type, "protobuf"),
                "registerProtobuf '" + type + "'");
        Serializers.add(cls, new Serializers.Codec(type, o -> {
            try {
                return (byte[]) toByteArray.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("akt: cannot encode a " + type, e);
            }
        }, b -> {
            try {
                return parseFrom.invoke(null, (Object) b);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("akt: not a valid " + type, e);
            }
        }));
        return type;
    }

    /**
     * Interns the message type {@code name}: returns its handle, whose id (1 to 4095) is the
     * same for every system and language of this process. Messages of the type carry the id
     * instead of a copy of the name (a {@link RegisteredType#message(byte[])}, a
     * {@link BytesMessage} of that name, an object of a class whose type name it is and that
     * is first sent after this call, or registered with {@link #registerType(Class)}), and a
     * receive can branch on {@link Context#typeId()}. Registering a name again, from any
     * system or language, gives the same type: the name is its identity.
     *
     * @param name the type name, 1 to 255 bytes of UTF-8, e.g. {@code "shop.Order"}
     * @return the type's handle
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is empty, longer than 255 bytes, or holds NUL
     *         or a character outside the Basic Multilingual Plane
     * @throws IllegalStateException if the process has 4,095 types already
     */
    public RegisteredType registerType(String name) {
        return Messages.register(handle, name);
    }

    /**
     * Interns the akt type name of {@code cls}'s instances (its {@link MessageType}, else
     * the name it crosses as) as {@link #registerType(String)} does, and makes every later
     * send of one of its instances carry the type's handle: no copy of the name per send,
     * and {@link Context#typeId()} is the type's id. Another class with the same type name
     * gets the same type.
     *
     * @param cls the class of the messages
     * @return the type's handle
     * @throws NullPointerException if cls is null
     * @throws IllegalArgumentException if cls is BytesMessage (each one has its own type:
     *         register the name) or its type name is not a valid one (see
     *         {@link #registerType(String)})
     * @throws IllegalStateException if the process has 4,095 types already
     */
    public RegisteredType registerType(Class<?> cls) {
        return Messages.register(handle, cls);
    }

    /**
     * The id of the registered message type {@code name} (registered by any system or
     * language of this process), or 0 if it was never registered: what
     * {@link Context#typeId()} gives for a message of that name.
     *
     * @param name a type name
     * @return the type's id (1 to 4095), or 0
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is not a valid type name (see {@link #registerType(String)})
     */
    public static int typeId(String name) {
        RegisteredType t = Messages.lookup(name);
        return t != null ? t.id() : 0;
    }

    /**
     * The handle of the registered message type {@code name} (registered by any system or
     * language of this process), or empty if it was never registered.
     *
     * @param name a type name
     * @return the type's handle, or empty
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is not a valid type name (see {@link #registerType(String)})
     */
    public static Optional<RegisteredType> lookupType(String name) {
        return Optional.ofNullable(Messages.lookup(name));
    }

    /**
     * The pid of the actor at {@code "akt://<name>@<host>:<port>/user/<path>"} of another
     * node: tell and ask work as on a local pid; an ask to an unknown actor fails with
     * {@code AKT_ENOTFOUND}, one to a lost node with {@code AKT_EUNREACHABLE}.
     *
     * @param address the actor's full address
     * @return a pid for that actor; nothing is sent yet (the same address gives the same pid)
     * @throws AktException {@code AKT_EINVAL} for a malformed address, {@code AKT_ENOTFOUND} before {@link #remoteStart}
     */
    public Pid remoteLookup(String address) {
        Objects.requireNonNull(address, "address");
        long[] out = new long[1];
        Errors.check(AktNativeJNI.akt_remote_lookup(handle, address, out),
                "remoteLookup '" + address + "'");
        return new Pid(this, out[0]);
    }

    /**
     * How many connections TLS closed on this node (refused peers, failed handshakes,
     * malformed records), with the last one's reason ({@code ""} if none).
     * {@code AKT_ENOTFOUND} before {@link #remoteStart}.
     *
     * @return the count and the last reason
     */
    public RemoteTls.Failures remoteTlsFailures() {
        String[] reason = new String[1];
        long n = AktNativeJNI.aktj_remote_tls_failures(handle, reason);
        if (n < 0) {
            throw Errors.of(Errors.ENOTFOUND, "remoteTlsFailures (remoting not started)");
        }
        return new RemoteTls.Failures(n, reason[0]);
    }

    /**
     * Resumes the suspended actor at path, as {@link Pid#reinstate()}.
     *
     * @param path the actor's path
     * @throws ActorNotFoundException if no actor has this path
     */
    public void reinstateNamed(String path) {
        Objects.requireNonNull(path, "path");
        Errors.check(AktNativeJNI.akt_reinstate_named(handle, path), "reinstate '" + path + "'");
    }

    /**
     * Stops an actor now: queued messages go to dead letters, children stop first. The same
     * as {@link Pid#stop()}, for a pid of this system.
     *
     * @param pid an actor of this system
     * @throws IllegalArgumentException if pid belongs to another system
     */
    public void stop(Pid pid) {
        own(pid).stop();
    }

    /**
     * Sends a poison pill: the actor handles what was queued before it, then stops. The same
     * as {@link Pid#poison()}, for a pid of this system.
     *
     * @param pid an actor of this system
     * @throws IllegalArgumentException if pid belongs to another system
     */
    public void poison(Pid pid) {
        own(pid).poison();
    }

    /**
     * {@link Pid#stopGracefully(Duration)}, for a pid of this system.
     *
     * @param pid an actor of this system
     * @param timeout how long the actor has to drain its mailbox
     * @return a future that completes once the actor stopped
     * @throws IllegalArgumentException if pid belongs to another system
     */
    public CompletableFuture<Void> stopGracefully(Pid pid, Duration timeout) {
        return own(pid).stopGracefully(timeout);
    }

    private Pid own(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        if (pid.system != this) {
            throw new IllegalArgumentException("akt: " + pid + " belongs to system '"
                    + pid.system.name() + "', not '" + name + "'");
        }
        return pid;
    }

    // ---- schedules ------------------------------------------------------------------------------

    /**
     * Sends msg to pid once, after delay, from akt's one timer thread (no thread per schedule).
     * Each fire sends the same object (a Java actor gets it by reference, as with
     * {@link Pid#tell}).
     *
     * @return the schedule's reference: the one of options, or a generated UUID
     * @param pid the target, an actor of this system
     * @param msg the message sent at each fire
     * @param delay the time until the fire, {@code >= 0}
     * @param options the reference and the sender of the fires
     * @throws IllegalArgumentException for a negative delay or a bad reference
     * @throws ScheduleExistsException (an ActorNameTakenException) if the reference is in use (AKT_EEXIST)
     * @throws ActorNotFoundException if pid never was an actor of this system (one that
     *     stopped is accepted: its fire is a dead letter)
     * @throws SystemClosedException if the system is shutting down
     */
    public String scheduleOnce(Pid pid, Object msg, Duration delay, ScheduleOptions options) {
        Objects.requireNonNull(delay, "delay");
        return schedule(pid, msg, nanos(delay, "delay", false), 0, options);
    }

    /**
     * {@link #scheduleOnce(Pid, Object, Duration, ScheduleOptions)} with default options.
     *
     * @param pid the target, an actor of this system
     * @param msg the message sent
     * @param delay the time until the fire, {@code >= 0}
     * @return the schedule's generated reference
     */
    public String scheduleOnce(Pid pid, Object msg, Duration delay) {
        return scheduleOnce(pid, msg, delay, ScheduleOptions.defaults());
    }

    /**
     * Sends msg to pid every interval, the first time after initialDelay. Fire k is due at
     * first + k * interval (late fires do not shift later ones); ticks missed while paused
     * are skipped, not sent as a burst. Errors as {@link #scheduleOnce}.
     *
     * @param pid the target, an actor of this system
     * @param msg the message sent at each fire
     * @param initialDelay the time until the first fire, {@code >= 0}
     * @param interval the time between fires, positive
     * @param options the reference and the sender of the fires
     * @return the schedule's reference: the one of options, or a generated UUID
     */
    public String scheduleEvery(Pid pid, Object msg, Duration initialDelay, Duration interval,
            ScheduleOptions options) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(interval, "interval");
        return schedule(pid, msg, nanos(initialDelay, "initialDelay", false),
                nanos(interval, "interval", true), options);
    }

    /**
     * {@link #scheduleEvery(Pid, Object, Duration, Duration, ScheduleOptions)}, first fire
     * after one interval, default options.
     *
     * @param pid the target, an actor of this system
     * @param msg the message sent at each fire
     * @param interval the time until the first fire and between fires, positive
     * @return the schedule's generated reference
     */
    public String scheduleEvery(Pid pid, Object msg, Duration interval) {
        return scheduleEvery(pid, msg, interval, interval, ScheduleOptions.defaults());
    }

    /**
     * Sends msg to pid at every fire time of the cron expression {@code expr} (Quartz syntax
     * with seconds, see {@link Cron}), in the local time zone or, with utc, in UTC. A tick
     * never fires twice (not even when the wall clock is set back); ticks missed while
     * paused are skipped. Other errors as {@link #scheduleOnce}.
     *
     * @param pid the target, an actor of this system
     * @param msg the message sent at each fire
     * @param expr the cron expression
     * @param utc true to read the expression in UTC, false in the local time zone
     * @param options the reference and the sender of the fires
     * @return the schedule's reference: the one of options, or a generated UUID
     * @throws CronSyntaxException if the expression does not parse (with its column)
     * @throws ActorNotFoundException also if the expression never fires again
     */
    public String scheduleCron(Pid pid, Object msg, String expr, boolean utc, ScheduleOptions options) {
        Cron.validate(expr);
        return schedule(pid, msg, 0, 0, expr, utc ? (int) AktNativeConstants.AKT_CRON_UTC : 0, options);
    }

    /**
     * {@link #scheduleCron(Pid, Object, String, boolean, ScheduleOptions)} in local time,
     * default options.
     *
     * @param pid the target, an actor of this system
     * @param msg the message sent at each fire
     * @param expr the cron expression
     * @return the schedule's generated reference
     */
    public String scheduleCron(Pid pid, Object msg, String expr) {
        return scheduleCron(pid, msg, expr, false, ScheduleOptions.defaults());
    }

    /**
     * Pauses a schedule: it keeps its reference and does not fire until resumed.
     * @param reference the schedule's reference
     * @throws ScheduleNotFoundException (an ActorNotFoundException) if no schedule has this reference
     */
    public void pauseSchedule(String reference) {
        Objects.requireNonNull(reference, "reference");
        scheduleCheck(AktNativeJNI.akt_schedule_pause(handle, reference), "pause", reference);
    }

    /**
     * Resumes a paused schedule at its next tick still to come.
     * @param reference the schedule's reference
     * @throws ScheduleNotFoundException (an ActorNotFoundException) if no schedule has this reference
     */
    public void resumeSchedule(String reference) {
        Objects.requireNonNull(reference, "reference");
        scheduleCheck(AktNativeJNI.akt_schedule_resume(handle, reference), "resume", reference);
    }

    /**
     * Ends a schedule: once this returned, none of its fires is delivered.
     * @param reference the schedule's reference
     * @throws ScheduleNotFoundException (an ActorNotFoundException) if no schedule has this reference
     */
    public void cancelSchedule(String reference) {
        Objects.requireNonNull(reference, "reference");
        scheduleCheck(AktNativeJNI.akt_schedule_cancel(handle, reference), "cancel", reference);
    }

    /**
     * The schedules that have not ended, in the order they were made.
     *
     * @return a snapshot of each schedule
     */
    public List<ScheduleInfo> schedules() {
        int[] rc = new int[1];
        String[] rows = AktNativeJNI.aktj_schedules(handle, rc);
        Errors.check(rc[0], "schedules");
        List<ScheduleInfo> out = new ArrayList<>(rows.length);
        for (String row : rows) {
            // kind paused target sender interval_ns cron_flags expr_len [expr ]reference
            String[] f = row.split(" ", 8);
            int kind = Integer.parseInt(f[0]);
            boolean every = kind == AktNativeConstants.AKT_SCHEDULE_EVERY;
            boolean cron = kind == AktNativeConstants.AKT_SCHEDULE_CRON;
            long sender = Long.parseUnsignedLong(f[3]);
            int flags = Integer.parseInt(f[5]);
            int elen = Integer.parseInt(f[6]);
            String expr = elen > 0 ? f[7].substring(0, elen) : null;
            String ref = elen > 0 ? f[7].substring(elen + 1) : f[7];
            out.add(new ScheduleInfo(ref, new Pid(this, Long.parseUnsignedLong(f[2])),
                    sender != 0 ? new Pid(this, sender) : null,
                    cron ? ScheduleInfo.Kind.CRON : every ? ScheduleInfo.Kind.EVERY : ScheduleInfo.Kind.ONCE,
                    f[1].equals("1"), every ? Duration.ofNanos(Long.parseLong(f[4])) : null, expr,
                    (flags & AktNativeConstants.AKT_CRON_UTC) != 0));
        }
        return out;
    }

    private String schedule(Pid pid, Object msg, long delayNs, long intervalNs, ScheduleOptions options) {
        return schedule(pid, msg, delayNs, intervalNs, null, 0, options);
    }

    private String schedule(Pid pid, Object msg, long delayNs, long intervalNs, String cron, int cronFlags,
            ScheduleOptions options) {
        own(pid);
        Objects.requireNonNull(msg, "msg");
        Objects.requireNonNull(options, "options");
        String ref = options.reference();
        if (ref != null && (ref.isEmpty() || ref.getBytes(StandardCharsets.UTF_8).length > 255)) {
            throw new IllegalArgumentException("akt: a schedule reference is 1..255 bytes, got '" + ref + "'");
        }
        long sender = options.sender() != null ? own(options.sender()).id : 0;
        int[] rc = new int[1];
        String out;
        if (msg instanceof BytesMessage) {
            long m = Messages.toNative(msg);
            out = cron != null
                    ? AktNativeJNI.aktj_schedule_cron(handle, pid.id, null, 0, m, cron, cronFlags, ref, sender, rc)
                    : AktNativeJNI.aktj_schedule(handle, pid.id, null, 0, m, delayNs, intervalNs, ref, sender, rc);
            if (rc[0] != 0) {
                AktNativeJNI.akt_msg_release(m);
            }
        } else {
            out = cron != null
                    ? AktNativeJNI.aktj_schedule_cron(handle, pid.id, msg, Messages.typeOf(msg), 0, cron,
                            cronFlags, ref, sender, rc)
                    : AktNativeJNI.aktj_schedule(handle, pid.id, msg, Messages.typeOf(msg), 0, delayNs,
                            intervalNs, ref, sender, rc);
        }
        if (rc[0] == Errors.code("EEXIST") && ref != null) {
            throw new ScheduleExistsException(rc[0], Errors.of(rc[0], "schedule '" + ref + "'").getMessage(), ref);
        }
        if (rc[0] != 0) {
            throw Errors.refused(rc[0], ref != null ? "schedule '" + ref + "'" : "schedule to " + pid,
                    "schedule", msg instanceof BytesMessage ? null : msg, pid);
        }
        return out;
    }

    // ft begin: schedule-specific errors
    /** A pause/resume/cancel's result: an unknown reference is a ScheduleNotFoundException. */
    private static void scheduleCheck(int rc, String op, String reference) {
        String what = op + " schedule '" + reference + "'";
        if (rc == Errors.ENOTFOUND) {
            throw new ScheduleNotFoundException(rc, Errors.of(rc, what).getMessage(), reference);
        }
        Errors.check(rc, what);
    }
    // ft end

    private static long nanos(Duration d, String what, boolean positive) {
        if (d.isNegative() || (positive && d.isZero())) {
            throw new IllegalArgumentException("akt: " + what + " must be " + (positive ? "> 0" : ">= 0") + ", got " + d);
        }
        try {
            long ns = d.toNanos();
            return positive && ns == 0 ? 1 : ns;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    // ---- events ---------------------------------------------------------------------------------

    /**
     * Calls listener for each event of the given kinds, on the thread where it happened (a
     * worker, usually): it must not block. Close the subscription to end it.
     *
     * @param kinds the kinds of events delivered
     * @param listener called with each event; what it throws is logged and dropped
     * @return the subscription, to close
     */
    public Subscription subscribe(Set<EventKind> kinds, Consumer<Event> listener) {
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(listener, "listener");
        long[] out = new long[1];
        Errors.check(AktNativeJNI.aktj_subscribe(handle, EventKind.mask(kinds), new EventSink(this, listener), out),
                "subscribe");
        return new Subscription(out[0]);
    }

    /**
     * {@link #subscribe} to dead letters only.
     *
     * @param listener called with each dead letter, on the thread that dropped it
     * @return the subscription, to close
     */
    public Subscription deadLetters(Consumer<Event> listener) {
        return subscribe(EnumSet.of(EventKind.DEAD_LETTER), listener);
    }

    // ---- shutdown -------------------------------------------------------------------------------

    /**
     * Starts an orderly shutdown (children before parents, postStop run, queued messages to
     * dead letters) and returns a future that completes when it is over. Idempotent.
     *
     * @return a future that completes once every actor stopped
     */
    public synchronized CompletableFuture<Void> shutdown() {
        if (!shutdownStarted) {
            shutdownStarted = true;
            int rc = AktNativeJNI.akt_system_shutdown(handle, terminated);
            if (rc != 0 && rc != Errors.ECLOSED) {
                terminated.completeExceptionally(Errors.of(rc, "shutdown of '" + name + "'"));
            }
        }
        return terminated;
    }

    /**
     * A future that completes when the system has shut down.
     *
     * @return the future {@link #shutdown()} returns
     */
    public CompletableFuture<Void> whenTerminated() {
        return terminated;
    }

    /**
     * Shuts down and waits until every actor stopped and every akt thread of this system
     * exited. Called from one of this system's own actors it cannot wait for itself: it
     * starts the shutdown and returns.
     */
    @Override
    public void close() {
        shutdown();
        int rc = AktNativeJNI.akt_system_wait(handle, -1);
        if (rc != 0 && rc != Errors.EDEADLK) {
            throw Errors.of(rc, "close of '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return "ActorSystem[" + name + "]";
    }

    // ---- reports --------------------------------------------------------------------------------

    /** An actor's receive or preStart threw t (where names which). */
    void logFailure(String actor, String where, Throwable t) {
        boolean vmError = t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
        log(vmError ? Level.ERROR : failureLevel, "actor " + actor + " failed in " + where, t);
    }

    /** Logs text and t (with its stack trace). Never throws: it runs where akt called Java,
     *  and a logger that fails must not turn into a failure of its own. */
    void log(Level level, String text, Throwable t) {
        if (level == Level.OFF) {
            return;
        }
        try {
            if (logger.isLoggable(level)) {
                logger.log(level, text + ": " + t, t);
            }
        } catch (RuntimeException | LinkageError e) {
            System.err.println("akt: logging failed (" + e + "): " + text + ": " + t);
        }
    }
}
