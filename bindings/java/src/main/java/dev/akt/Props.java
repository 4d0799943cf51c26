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
 */
public final class Props {
    final Actor instance;
    final Supplier<? extends Actor> factory;
    final SupervisorStrategy supervisor;
    final Map<String, Object> dependencies;
    final Mailbox mailbox; // null: the default unbounded FIFO

    private Props(Actor instance, Supplier<? extends Actor> factory, SupervisorStrategy supervisor,
                  Map<String, Object> dependencies, Mailbox mailbox) {
        this.instance = instance;
        this.factory = factory;
        this.supervisor = supervisor;
        this.dependencies = dependencies;
        this.mailbox = mailbox;
    }

    /** The same instance for the actor's whole life (restarts keep its fields). */
    public static Props of(Actor actor) {
        return new Props(Objects.requireNonNull(actor, "actor"), null, SupervisorStrategy.RESTART, Map.of(), null);
    }

    /** A fresh instance from factory at spawn and at every restart. */
    public static Props create(Supplier<? extends Actor> factory) {
        return new Props(null, Objects.requireNonNull(factory, "factory"), SupervisorStrategy.RESTART, Map.of(), null);
    }

    /** The strategy this actor applies to its children's failures. */
    public Props withSupervisor(SupervisorStrategy strategy) {
        return new Props(instance, factory, Objects.requireNonNull(strategy, "strategy"), dependencies, mailbox);
    }

    /** A dependency the actor reaches by name (a repository, a clock, a client...). */
    public Props withDependency(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, Object> deps = new LinkedHashMap<>(dependencies);
        deps.put(name, value);
        return new Props(instance, factory, supervisor, Collections.unmodifiableMap(deps), mailbox);
    }

    /** The actor's mailbox (the default is an unbounded FIFO). */
    public Props withMailbox(Mailbox mailbox) {
        return new Props(instance, factory, supervisor, dependencies, Objects.requireNonNull(mailbox, "mailbox"));
    }
}
