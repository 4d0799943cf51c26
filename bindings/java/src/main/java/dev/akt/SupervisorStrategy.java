package dev.akt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a parent handles the failures of its children. One-for-one (the default): only the
 * failing child is affected; {@link #oneForAll()}: a restart or stop applies to every child of
 * the same parent (for top-level actors it acts as one-for-one). {@link #withRetries} adds a
 * budget: a child failing more than n times within the window is stopped (or suspended, see
 * {@link #onRetriesExhausted}). Give one to a
 * parent with {@link Props#withSupervisor} (or to a system for its top-level actors with
 * {@link ActorSystem.Builder#supervisor}). Instances are immutable.
 */
public final class SupervisorStrategy {
    /** Restart every failing child: the default. */
    public static final SupervisorStrategy RESTART = oneForOne(Directive.RESTART);

    final Directive directive;
    final Function<Failure, Directive> decider;
    final int strategy; /* AKT_STRATEGY_* */
    final long maxRetries;
    final long withinNanos;
    /* {minNs, maxNs, multiplier, jitter, resetNs}, or null: no backoff */
    final double[] backoff;
    /* withRule: (exception class, directive), in the order given; immutable */
    final List<Map.Entry<Class<? extends Throwable>, Directive>> rules;
    /* onRetriesExhausted: STOP or SUSPEND */
    final Directive exhausted;

    private SupervisorStrategy(Directive directive, Function<Failure, Directive> decider) {
        this(directive, decider, 0, 0, 0, null, List.of(), Directive.STOP);
    }

    private SupervisorStrategy(Directive directive, Function<Failure, Directive> decider,
            int strategy, long maxRetries, long withinNanos, double[] backoff,
            List<Map.Entry<Class<? extends Throwable>, Directive>> rules, Directive exhausted) {
        this.directive = directive;
        this.decider = decider;
        this.strategy = strategy;
        this.maxRetries = maxRetries;
        this.withinNanos = withinNanos;
        this.backoff = backoff;
        this.rules = rules;
        this.exhausted = exhausted;
    }

    /**
     * The same strategy, applied to every child of the parent (one-for-all).
     *
     * @return a one-for-all copy of this strategy
     */
    public SupervisorStrategy oneForAll() {
        return new SupervisorStrategy(directive, decider, 1, maxRetries, withinNanos, backoff, rules,
                exhausted);
    }

    private static long nanos(Duration d, String what) {
        if (d.isNegative() || d.isZero())
            throw new IllegalArgumentException(what + " must be positive: " + d);
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The same strategy with exponential backoff: the n-th consecutive restart of a child waits
     * {@code min(initial * multiplier^(n-1), max)}, less up to {@code jitter} (0..1) of it at
     * random, on akt's timer; messages sent meanwhile are handled after the restart, a stop
     * meanwhile stops the child. The count starts again after {@code resetAfter} without a
     * failure ({@code null}: never).
     *
     * @param initial the wait before the first restart
     * @param max the longest wait
     * @param multiplier the growth of the wait per consecutive restart, {@code >= 1}
     * @param jitter the share of the wait taken off at random, 0..1
     * @param resetAfter the quiet time after which the count starts again, or null
     * @return a copy of this strategy with the backoff
     * @throws IllegalArgumentException if a duration is not positive, max is below initial,
     *     multiplier is below 1 or jitter is outside 0..1
     * @throws NullPointerException if initial or max is null
     */
    public SupervisorStrategy withBackoff(Duration initial, Duration max, double multiplier,
            double jitter, Duration resetAfter) {
        long lo = nanos(Objects.requireNonNull(initial, "initial"), "initial");
        long hi = nanos(Objects.requireNonNull(max, "max"), "max");
        if (hi < lo) throw new IllegalArgumentException("max must not be below initial: " + max);
        if (!(multiplier >= 1)) throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
        if (!(jitter >= 0 && jitter <= 1))
            throw new IllegalArgumentException("jitter must be in 0..1: " + jitter);
        long reset = resetAfter == null ? 0 : nanos(resetAfter, "resetAfter");
        return new SupervisorStrategy(directive, decider, strategy, maxRetries, withinNanos,
                new double[] {lo, hi, multiplier, jitter, reset}, rules, exhausted);
    }

    /**
     * True for a one-for-all strategy.
     *
     * @return whether a restart or stop applies to every child
     */
    public boolean isOneForAll() {
        return strategy == 1;
    }

    /**
     * The same strategy with a retry budget: a child failing more than {@code maxRetries}
     * times within {@code within} is stopped.
     *
     * @param maxRetries the failures allowed within the window
     * @param within the window
     * @return a copy of this strategy with the budget
     * @throws IllegalArgumentException if maxRetries is negative or too large (over 2^32-1),
     *     or within is not positive
     * @throws NullPointerException if within is null
     */
    public SupervisorStrategy withRetries(long maxRetries, Duration within) {
        Objects.requireNonNull(within, "within");
        if (maxRetries < 0 || maxRetries > 0xFFFF_FFFFL)
            throw new IllegalArgumentException("maxRetries must be in 0..2^32-1: " + maxRetries);
        if (within.isNegative() || within.isZero())
            throw new IllegalArgumentException("within must be positive: " + within);
        long ns;
        try {
            ns = within.toNanos();
        } catch (ArithmeticException e) {
            ns = Long.MAX_VALUE;
        }
        return new SupervisorStrategy(directive, decider, strategy, maxRetries, ns, backoff, rules,
                exhausted);
    }

    /**
     * The same strategy with what a child gets once its retry budget ({@link #withRetries}) is
     * spent: {@link Directive#STOP} (the default) or {@link Directive#SUSPEND}, which suspends
     * it as that directive does (tells and asks to it throw {@link ActorSuspendedException}
     * until {@link Pid#reinstate}) and clears its failure count, so that once reinstated it
     * has a fresh budget. With one-for-all only that child is stopped or suspended.
     *
     * @param directive {@link Directive#STOP} or {@link Directive#SUSPEND}
     * @return a copy of this strategy with that escalation
     * @throws IllegalArgumentException for another directive
     * @throws NullPointerException if directive is null
     */
    public SupervisorStrategy onRetriesExhausted(Directive directive) {
        Objects.requireNonNull(directive, "directive");
        if (directive != Directive.STOP && directive != Directive.SUSPEND)
            throw new IllegalArgumentException(
                    "onRetriesExhausted takes STOP or SUSPEND, not " + directive);
        return new SupervisorStrategy(this.directive, decider, strategy, maxRetries, withinNanos,
                backoff, rules, directive);
    }

    /**
     * What a child whose retry budget is spent gets.
     *
     * @return {@link Directive#STOP} (the default) or {@link Directive#SUSPEND}
     */
    public Directive retriesExhausted() {
        return exhausted;
    }

    /**
     * The same directive for every failure.
     *
     * @param directive what every failure gets
     * @return a one-for-one strategy
     */
    public static SupervisorStrategy oneForOne(Directive directive) {
        return new SupervisorStrategy(Objects.requireNonNull(directive, "directive"), null);
    }

    /**
     * A decider chooses per failure; it runs on the parent's worker thread and must not
     * block. Returning null (or throwing) means {@link Directive#RESTART}.
     *
     * @param decider gives the directive for a failure
     * @return a one-for-one strategy
     */
    public static SupervisorStrategy oneForOne(Function<Failure, Directive> decider) {
        return new SupervisorStrategy(Directive.RESTART, Objects.requireNonNull(decider, "decider"));
    }

    /**
     * The same strategy with a rule: a child that threw an instance of {@code type} gets
     * {@code directive} without the decider being called. Among the rules whose class the
     * exception is an instance of, the nearest superclass wins (an interface counts after
     * every class); equal distances go to the rule added first. One of akt's exception
     * classes with a code (e.g. {@link AskTimeoutException}) is also a rule by that code, which
     * akt applies itself to any child failing with it ({@link ActorFailedException}: every
     * Java failure, whose code is AKT_EFAILED).
     *
     * @param type the exception class (and its subclasses)
     * @param directive what such a failure gets
     * @return a copy of this strategy with the rule added after the others
     * @throws NullPointerException if type or directive is null
     */
    public SupervisorStrategy withRule(Class<? extends Throwable> type, Directive directive) {
        List<Map.Entry<Class<? extends Throwable>, Directive>> next = new ArrayList<>(rules);
        next.add(Map.entry(Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(directive, "directive")));
        return new SupervisorStrategy(this.directive, decider, strategy, maxRetries, withinNanos,
                backoff, List.copyOf(next), exhausted);
    }

    /**
     * What the native side reads after the retry budget: the backoff {minNs, maxNs,
     * multiplier, jitter, resetNs} (zeros: none), then what a child out of retries gets
     * (AKT_EXHAUSTED_*: 0 stop, 1 suspend), then (code, directive) pairs of the rules whose
     * class is one of akt's exceptions with a code of its own (for non-Java children failing
     * with that code); just the backoff (or null) when the rest is the default.
     */
    double[] nativeTuning() {
        List<double[]> codes = new ArrayList<>();
        for (Map.Entry<Class<? extends Throwable>, Directive> r : rules) {
            Integer code = Errors.codeOf(r.getKey());
            if (code != null) {
                codes.add(new double[] {code, r.getValue().code});
            }
        }
        if (codes.isEmpty() && exhausted == Directive.STOP) {
            return backoff;
        }
        double[] out = new double[6 + 2 * Math.min(codes.size(), 64)];
        if (backoff != null) {
            System.arraycopy(backoff, 0, out, 0, 5);
        }
        out[5] = exhausted == Directive.SUSPEND ? 1 : 0;
        for (int i = 0; i < codes.size() && i < 64; i++) {
            out[6 + 2 * i] = codes.get(i)[0];
            out[7 + 2 * i] = codes.get(i)[1];
        }
        return out;
    }

    /** True when akt must call {@link #decide} (a decider or rules). */
    boolean decides() {
        return decider != null || !rules.isEmpty();
    }

    /* The classes of recent failures by their reason (what decide gets), so that class rules
     * can match the exception a child threw; bounded, least recent dropped first. */
    private static final int RECENT_MAX = 1024;
    private static final Map<String, Class<?>> RECENT = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Class<?>> eldest) {
            return size() > RECENT_MAX;
        }
    };

    /** Called by Context.fail: the class of the Throwable behind reason. */
    static void remember(String reason, Class<?> type) {
        synchronized (RECENT) {
            RECENT.put(reason, type);
        }
    }

    private static int distance(Class<?> from, Class<?> to) {
        int d = 0;
        for (Class<?> c = from; c != null; c = c.getSuperclass(), d++) {
            if (c == to) {
                return d;
            }
        }
        return to.isAssignableFrom(from) ? Integer.MAX_VALUE - 1 : -1; // an interface
    }

    /** The directive of the nearest matching rule for a failure of reason, or null. */
    private Directive ruleFor(String reason) {
        if (rules.isEmpty() || reason == null) {
            return null;
        }
        Class<?> type;
        synchronized (RECENT) {
            type = RECENT.get(reason);
        }
        if (type == null) {
            return null;
        }
        Directive best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Map.Entry<Class<? extends Throwable>, Directive> r : rules) {
            int d = distance(type, r.getKey());
            if (d >= 0 && d < bestDistance) {
                best = r.getValue();
                bestDistance = d;
            }
        }
        return best;
    }

    /** Called by akt (Upcalls.decide): the directive's akt code. */
    int decide(int code, String reason) {
        Directive d = ruleFor(reason);
        if (d != null) {
            return d.code;
        }
        if (decider == null) {
            return directive.code;
        }
        try {
            d = decider.apply(new Failure(code, Errors.name(code), reason));
        } catch (RuntimeException e) {
            d = null;
        }
        return (d != null ? d : directive).code;
    }
}
