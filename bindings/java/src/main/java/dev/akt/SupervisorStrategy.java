package dev.akt;

import java.util.Objects;
import java.util.function.Function;

/**
 * How a parent handles the failures of its children. akt supervises one-for-one: only the
 * failing child is affected. Give one to a parent with {@link Props#withSupervisor} (or to a
 * system for its top-level actors with {@link ActorSystem.Builder#supervisor}).
 */
public final class SupervisorStrategy {
    /** Restart every failing child: the default. */
    public static final SupervisorStrategy RESTART = oneForOne(Directive.RESTART);

    final Directive directive;
    final Function<Failure, Directive> decider;

    private SupervisorStrategy(Directive directive, Function<Failure, Directive> decider) {
        this.directive = directive;
        this.decider = decider;
    }

    /** The same directive for every failure. */
    public static SupervisorStrategy oneForOne(Directive directive) {
        return new SupervisorStrategy(Objects.requireNonNull(directive, "directive"), null);
    }

    /**
     * A decider chooses per failure; it runs on the parent's worker thread and must not
     * block. Returning null (or throwing) means {@link Directive#RESTART}.
     */
    public static SupervisorStrategy oneForOne(Function<Failure, Directive> decider) {
        return new SupervisorStrategy(Directive.RESTART, Objects.requireNonNull(decider, "decider"));
    }

    /** Called by akt (Upcalls.decide): the directive's akt code. */
    int decide(int code, String reason) {
        Directive d;
        try {
            d = decider.apply(new Failure(code, Errors.name(code), reason));
        } catch (RuntimeException e) {
            d = null;
        }
        return (d != null ? d : directive).code;
    }
}
