package dev.akt.testkit;

import dev.akt.Actor;
import dev.akt.ActorSystem;
import dev.akt.Context;
import dev.akt.Pid;
import dev.akt.Terminated;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An actor that keeps what it receives for the test to expect: a message within a deadline,
 * no message for a while, a message of a class or matching a predicate, the {@link
 * Terminated} of an actor it watches. Each expectation that does not hold throws an {@link
 * AssertionError} saying what it expected and what came. Get one from {@link AktExtension}
 * as a test parameter, or make one with {@code new TestProbe(system)}.
 *
 * <pre>{@code
 * @ExtendWith(AktExtension.class)
 * class CounterTest {
 *     @Test
 *     void counts(ActorSystem system, TestProbe probe) {
 *         Pid counter = system.spawn("counter", new Counter());
 *         counter.tell(new Get(probe.pid()));
 *         assertEquals(0, probe.expectMessage(Integer.class, Duration.ofSeconds(1)));
 *     }
 * }
 * }</pre>
 */
public final class TestProbe implements AutoCloseable {
    private record Watch(Pid pid) {}

    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    /** The actors whose Terminated the probe has had (guarded by itself). */
    private final Set<Pid> terminated = new HashSet<>();
    private final Pid pid;

    /**
     * A probe spawned in system under an anonymous name.
     *
     * @param system the system the probe lives in
     */
    public TestProbe(ActorSystem system) {
        this(system, null);
    }

    /**
     * A probe spawned in system as /user/name (null: anonymous).
     *
     * @param system the system the probe lives in
     * @param name the probe actor's name, or null
     * @throws dev.akt.ActorNameTakenException if a live actor has this name
     */
    public TestProbe(ActorSystem system, String name) {
        Objects.requireNonNull(system, "system");
        this.pid = system.spawn(name, new Actor() {
            @Override
            public void receive(Context ctx, Object msg) {
                if (msg instanceof Watch w) {
                    ctx.watch(w.pid()); // a gone actor's Terminated comes at once
                    return;
                }
                synchronized (terminated) {
                    // One Terminated per actor: a second watch of it (expectTerminated twice, or
                    // a watch that reached a gone actor) must not leave a stray one behind.
                    if (msg instanceof Terminated t && !terminated.add(t.pid())) return;
                    inbox.add(msg);
                }
            }
        });
    }

    /**
     * The probe's pid: tell it, or give it as the address an actor answers to.
     *
     * @return the probe actor's pid
     */
    public Pid pid() {
        return pid;
    }

    private static String what(Object msg) {
        return msg == null ? "null" : msg.getClass().getSimpleName() + " " + msg;
    }

    private Object next(Duration within) {
        try {
            Object msg = inbox.poll(Math.max(0, within.toNanos()), TimeUnit.NANOSECONDS);
            if (msg == null)
                throw new AssertionError("expected a message within " + within.toMillis() + " ms, got none");
            return msg;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while expecting a message", e);
        }
    }

    /**
     * The next message, within {@code within}.
     *
     * @param within the longest wait
     * @return the message
     * @throws AssertionError if none came in time
     */
    public Object expectMessage(Duration within) {
        return next(within);
    }

    /**
     * The next message, which must be an instance of type.
     *
     * @param <T> the message's type
     * @param type the class the message must be an instance of
     * @param within the longest wait
     * @return the message, cast
     * @throws AssertionError if none came in time, or one of another class
     */
    public <T> T expectMessage(Class<T> type, Duration within) {
        Object msg = next(within);
        if (!type.isInstance(msg))
            throw new AssertionError("expected a " + type.getSimpleName() + ", got " + what(msg));
        return type.cast(msg);
    }

    /**
     * The next message, for which predicate must hold.
     *
     * @param predicate the test the message must pass
     * @param within the longest wait
     * @return the message
     * @throws AssertionError if none came in time, or one that fails the predicate
     */
    public Object expectMatch(Predicate<Object> predicate, Duration within) {
        Object msg = next(within);
        if (!predicate.test(msg)) throw new AssertionError("expected a matching message, got " + what(msg));
        return msg;
    }

    /**
     * No message for {@code duration}.
     *
     * @param duration how long the probe waits (all of it, when the expectation holds)
     * @throws AssertionError if a message came meanwhile (it is taken)
     */
    public void expectNoMessage(Duration duration) {
        Object msg;
        try {
            msg = inbox.poll(Math.max(0, duration.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while expecting no message", e);
        }
        if (msg != null)
            throw new AssertionError("expected no message for " + duration.toMillis() + " ms, got " + what(msg));
    }

    /**
     * Watches watched and expects its Terminated within {@code within}.
     *
     * @param watched the actor that must stop
     * @param within the longest wait
     * @throws AssertionError if no Terminated came in time, or another message came first
     */
    public void expectTerminated(Pid watched, Duration within) {
        synchronized (terminated) {
            boolean waiting = inbox.stream().anyMatch(m -> m instanceof Terminated t && t.pid().equals(watched));
            if (terminated.contains(watched) && !waiting) return; // had and taken already: gone
        }
        pid.tell(new Watch(watched));
        Object msg = next(within);
        if (!(msg instanceof Terminated t && t.pid().equals(watched)))
            throw new AssertionError("expected the Terminated of " + watched + ", got " + what(msg));
    }

    /** Stops the probe's actor. */
    @Override
    public void close() {
        pid.stop();
    }
}
