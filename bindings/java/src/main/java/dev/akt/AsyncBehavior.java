package dev.akt;

import java.util.concurrent.CompletionStage;

/**
 * A behaviour whose handler returns a {@link CompletionStage}, with {@link
 * AsyncActor#receiveAsync}'s semantics: akt keeps the message until the stage completes; by
 * default no other message starts meanwhile (one at a time, in order; the actor's {@link
 * Props#withReentrancy} mode decides, {@code ALLOW_ALL} lets the next ones start). The
 * stage's value is the answer when someone waits for one; completing exceptionally is the
 * message's failure, as a throw is. Install it with {@link Context#becomeAsync} (a lambda),
 * or pass an instance to {@link Context#become} / {@link Context#becomeStacked}.
 *
 * <pre>{@code
 * ctx.becomeAsync((c, m) -> c.request(backend, m, Duration.ofSeconds(1)).thenApply(r -> "got " + r));
 * }</pre>
 */
@FunctionalInterface
public interface AsyncBehavior extends Behavior {
    /**
     * Handles one message; null or a completed stage finishes it at once.
     *
     * @param ctx the actor's context, valid during this call (use the stage's own callbacks
     *     through {@link Context#request} continuations, which run on the actor's turn)
     * @param msg the message
     * @return the stage that finishes the message (its value answers an asker), or null
     * @throws Exception the message's failure, handled by the supervisor as a throw from
     *     {@link Actor#receive}
     */
    CompletionStage<?> receiveAsync(Context ctx, Object msg) throws Exception;

    /** Not called by akt for an AsyncBehavior: {@link #receiveAsync} is. */
    @Override
    default void receive(Context ctx, Object msg) throws Exception {
        throw new UnsupportedOperationException("akt: an AsyncBehavior handles messages in receiveAsync");
    }
}
