package dev.akt;

import java.util.Map;

/**
 * Carries context (a trace, a tenant, a deadline) from the message an actor is handling to
 * the messages it sends, in headers: GoAkt's ContextPropagator. Given to a system with
 * {@link ActorSystem.Builder#propagator}.
 *
 * <p>At each message's first send ({@code tell}, {@code ask}, {@code respond}, from an actor
 * or from outside) {@link #inject} gets the headers of the message the sending actor is
 * handling (an empty map outside actors) and returns the headers to add to the outgoing
 * message, or null for none. A header the sender set itself is kept; a forward is not
 * injected again. Receivers read them with {@link Context#headers()}. It runs on the sending
 * thread, any thread: keep it short, never block, never send. What it throws is logged and
 * adds nothing; the message is sent either way (as are headers akt refuses: a bad name,
 * more than 64).
 */
@FunctionalInterface
public interface ContextPropagator {
    /**
     * The headers to add to the outgoing message.
     *
     * @param headers the headers of the message being handled (unmodifiable; empty outside
     *     actors)
     * @return the headers to add, or null for none
     */
    Map<String, String> inject(Map<String, String> headers);
}
