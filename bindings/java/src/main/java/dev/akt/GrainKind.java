package dev.akt;

import java.util.function.Function;

/** A registered grain kind: akt holds it (a global reference) and asks it for the cell of
 *  each activation, on the worker that runs the activation's first turn. */
final class GrainKind {
    private final ActorSystem system;
    private final String kind;
    private final Function<String, ? extends Actor> factory;

    GrainKind(ActorSystem system, String kind, Function<String, ? extends Actor> factory) {
        this.system = system;
        this.kind = kind;
        this.factory = factory;
    }

    /** The cell of a new activation of name, or null (reported) if the factory failed. */
    ActorCell cell(String name) {
        try {
            Actor a = factory.apply(name);
            if (a == null) {
                throw new NullPointerException("akt: the grain factory of '" + kind + "' returned null");
            }
            return new ActorCell(system, Props.of(a));
        } catch (Throwable t) {
            system.log(System.Logger.Level.WARNING,
                    "the grain factory of '" + kind + "' failed for '" + name + "'", t);
            return null;
        }
    }
}
