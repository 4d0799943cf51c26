package dev.akt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to make an actor: its instance (or a factory, called again on every restart), the
 * strategy for its children, and named dependencies it reaches with
 * {@link Context#dependency}. Immutable: each {@code with*} returns a new Props.
 * {@link #remote()} gives props without an actor, for
 * {@link ActorSystem#remoteSpawn(String, String, String, Props, java.time.Duration)}.
 */
public final class Props {
    final Actor instance;
    final Supplier<? extends Actor> factory;
    final SupervisorStrategy supervisor;
    final Map<String, Object> dependencies;
    final Mailbox mailbox; // null: the default unbounded FIFO
    final Reentrancy reentrancy; // null: the default (OFF)
    final int maxInFlight;
    final Passivation passivation; // null: the system's default
    final String kind; // null: the actor's class name; "": none

    private Props(Actor instance, Supplier<? extends Actor> factory, SupervisorStrategy supervisor,
                  Map<String, Object> dependencies) {
        this(null, instance, factory, supervisor, dependencies, null, null, 0, null);
    }

    private Props(String kind, Actor instance, Supplier<? extends Actor> factory,
                  SupervisorStrategy supervisor, Map<String, Object> dependencies, Mailbox mailbox,
                  Reentrancy reentrancy, int maxInFlight, Passivation passivation) {
        this.kind = kind;
        this.instance = instance;
        this.factory = factory;
        this.supervisor = supervisor;
        this.dependencies = dependencies;
        this.mailbox = mailbox;
        this.reentrancy = reentrancy;
        this.maxInFlight = maxInFlight;
        this.passivation = passivation;
    }

    /**
     * What the actor does while its requests are in flight (default {@link Reentrancy#OFF}).
     *
     * @param mode the reentrancy of {@link Context#request}
     * @return new props with the mode
     */
    public Props withReentrancy(Reentrancy mode) {
        return new Props(kind, instance, factory, supervisor, dependencies, mailbox,
                Objects.requireNonNull(mode, "mode"), maxInFlight, passivation);
    }

    /**
     * The most requests in flight at once (a BUSY {@link AktException} beyond); 0 = no limit.
     *
     * @param n the limit, {@code >= 0}
     * @return new props with the limit
     * @throws IllegalArgumentException if n is negative
     */
    public Props withMaxInFlight(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("akt: maxInFlight must be >= 0, not " + n);
        }
        return new Props(kind, instance, factory, supervisor, dependencies, mailbox, reentrancy, n, passivation);
    }

    /**
     * The same instance for the actor's whole life (restarts keep its fields).
     *
     * @param actor the instance
     * @return props with the default supervisor, mailbox and no dependencies
     */
    public static Props of(Actor actor) {
        return new Props(Objects.requireNonNull(actor, "actor"), null, SupervisorStrategy.RESTART, Map.of());
    }

    /**
     * A fresh instance from factory at spawn and at every restart.
     *
     * @param factory makes the actor; called on the spawning thread, then on the actor's worker for a restart
     * @return props with the default supervisor, mailbox and no dependencies
     */
    public static Props create(Supplier<? extends Actor> factory) {
        return new Props(null, Objects.requireNonNull(factory, "factory"), SupervisorStrategy.RESTART, Map.of());
    }

    /**
     * Props without an actor, for a remote spawn
     * ({@link ActorSystem#remoteSpawn(String, String, String, Props, java.time.Duration)}): the kind
     * registered on the other node makes the actor, and these props carry only the options
     * that can cross to it, {@link #withSupervisor} (one without a decider, whose rules name
     * akt's exception classes with a code), {@link #withMailbox} (FIFO or fair, bounded or
     * not: not a priority one), {@link #withPassivation}, {@link #withReentrancy} and
     * {@link #withMaxInFlight}. A local spawn refuses them ({@link IllegalArgumentException}).
     *
     * @return props with no actor, the default supervisor, mailbox and passivation
     */
    public static Props remote() {
        return new Props(null, null, SupervisorStrategy.RESTART, Map.of());
    }

    /** True for {@link #remote()} props (no instance, no factory). */
    boolean hasActor() {
        return instance != null || factory != null;
    }

    /**
     * Why these props cannot cross to another node (a remote spawn), or null when they can:
     * what is a function or an object of this JVM stays here.
     */
    String remoteRefusal() {
        if (hasActor()) {
            return "props with an actor cannot cross (the kind registered on that node makes it:"
                    + " use Props.remote())";
        }
        if (!dependencies.isEmpty()) {
            return "dependencies (objects of this JVM) cannot cross";
        }
        if (kind != null) {
            return "a kind (withKind) cannot cross: the actor's kind there is the one spawned";
        }
        if (supervisor.decider != null) {
            return "a supervisor with a decider (a Java function) cannot cross";
        }
        for (Map.Entry<Class<? extends Throwable>, Directive> r : supervisor.rules) {
            if (Errors.codeOf(r.getKey()) == null) {
                return "a supervisor rule for " + r.getKey().getName() + " cannot cross (only rules"
                        + " for akt's exception classes with a code do)";
            }
        }
        if (mailbox != null && mailbox.comparator != null) {
            return "a priority mailbox (its comparator is a Java function) cannot cross";
        }
        return null;
    }

    /**
     * The strategy this actor applies to its children's failures.
     *
     * @param strategy the strategy for this actor's children
     * @return new props with the strategy
     */
    public Props withSupervisor(SupervisorStrategy strategy) {
        return new Props(kind, instance, factory, Objects.requireNonNull(strategy, "strategy"), dependencies,
                mailbox, reentrancy, maxInFlight, passivation);
    }

    /**
     * A dependency the actor reaches by name (a repository, a clock, a client...).
     *
     * @param name the dependency's name; given again, it replaces the value
     * @param value the dependency, shared with whoever else holds it
     * @return new props with the dependency
     */
    public Props withDependency(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, Object> deps = new LinkedHashMap<>(dependencies);
        deps.put(name, value);
        return new Props(kind, instance, factory, supervisor, Collections.unmodifiableMap(deps), mailbox,
                reentrancy, maxInFlight, passivation);
    }

    /**
     * The actor's mailbox (the default is an unbounded FIFO).
     *
     * @param mailbox the mailbox
     * @return new props with the mailbox
     */
    public Props withMailbox(Mailbox mailbox) {
        return new Props(kind, instance, factory, supervisor, dependencies,
                Objects.requireNonNull(mailbox, "mailbox"), reentrancy, maxInFlight, passivation);
    }

    /**
     * When the actor passivates (default: the system's, none unless set).
     *
     * @param passivation when an idle actor stops
     * @return new props with the passivation
     */
    public Props withPassivation(Passivation passivation) {
        return new Props(kind, instance, factory, supervisor, dependencies, mailbox, reentrancy, maxInFlight,
                Objects.requireNonNull(passivation, "passivation"));
    }

    /**
     * The actor's kind: what sort of actor it is, the {@code actor.kind} attribute of its
     * metrics (GoAkt's actor.kind). By default the actor's class, {@link Class#getName()}
     * (none for a lambda, whose class is hidden); {@code ""} gives none.
     *
     * @param kind at most 255 bytes of UTF-8
     * @return new props with the kind
     * @throws IllegalArgumentException if kind is longer than 255 bytes
     */
    public Props withKind(String kind) {
        Objects.requireNonNull(kind, "kind");
        int bytes = kind.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > 255) {
            throw new IllegalArgumentException("akt: kind must be at most 255 bytes (UTF-8), got " + bytes);
        }
        return new Props(kind, instance, factory, supervisor, dependencies, mailbox, reentrancy,
                maxInFlight, passivation);
    }
}
