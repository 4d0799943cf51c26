package dev.akt;

/**
 * An actor: akt calls its methods one at a time, on one of the system's worker threads, never
 * two at once. Implement {@link #receive}; the lifecycle methods are optional.
 *
 * <pre>{@code
 * class Counter implements Actor {
 *     private int n;
 *     public void receive(Context ctx, Object msg) {
 *         if (msg instanceof Integer by) n += by;
 *         else if ("get".equals(msg)) ctx.respond(n);
 *         else ctx.unhandled();
 *     }
 * }
 * }</pre>
 *
 * <p>An exception thrown by any of these methods is a failure of the actor, handled by its
 * parent's {@link SupervisorStrategy} (restart by default), exactly like a failing C actor.
 */
@FunctionalInterface
public interface Actor {
    /**
     * Handles one message. {@code ctx} is valid only during this call.
     *
     * @param ctx what the actor can do while handling msg
     * @param msg the message: as sent for a Java object, a {@link BytesMessage} or scalar from other languages
     * @throws Exception a failure of the actor, for its supervisor
     */
    void receive(Context ctx, Object msg) throws Exception;

    /**
     * Runs before the first message, and again after each restart.
     *
     * @param ctx valid during this call only
     * @throws Exception a failure: the actor stops (its spawn still returns its pid)
     */
    default void preStart(Context ctx) throws Exception {}

    /**
     * Runs when the actor stops (after its children stopped), and before a restart.
     *
     * @param ctx valid during this call only
     * @throws Exception logged (at WARNING); the actor stops all the same
     */
    default void postStop(Context ctx) throws Exception {}
}
