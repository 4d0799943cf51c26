package dev.akt;

import java.util.concurrent.CompletionStage;

/**
 * An actor whose handler returns a {@link CompletionStage}: akt keeps the message until the
 * stage completes, and by default starts no other message meanwhile (one at a time, in
 * order; {@link Props#withReentrancy} {@code ALLOW_ALL} lets the next ones start, which an
 * A -> B -> A request cycle needs). System messages and request answers still come, so a
 * stage built on {@link Context#request} completes on the actor's own turn.
 *
 * <p>When the stage completes with a value and someone waits for an answer, the value is
 * the answer; completing exceptionally is a failure of the message, exactly like a throw from
 * {@link Actor#receive}: the asker gets it, the parent's supervisor decides. A stop or a
 * restart drops the pending stage (its completion is then ignored). The Context is live
 * while receiveAsync runs and inside request stages (which run on the actor's turn); answer
 * through the stage's value rather than {@code ctx.respond} from a later stage.
 *
 * <pre>{@code
 * class Front implements AsyncActor {
 *     public CompletionStage<?> receiveAsync(Context ctx, Object msg) {
 *         return ctx.request(backend, msg, Duration.ofSeconds(1)).thenApply(r -> "got " + r);
 *     }
 * }
 * }</pre>
 */
public interface AsyncActor extends Actor {
    /**
     * Handles one message; null or a completed stage finishes it at once.
     *
     * @param ctx live during this call and inside request stages
     * @param msg the message, as {@link Actor#receive} gets it
     * @return the stage whose completion finishes the message, or null
     * @throws Exception a failure of the message, as from {@link Actor#receive}
     */
    CompletionStage<?> receiveAsync(Context ctx, Object msg) throws Exception;

    /** Not called by akt for an AsyncActor: {@link #receiveAsync} is. */
    @Override
    default void receive(Context ctx, Object msg) throws Exception {
        throw new UnsupportedOperationException("akt: an AsyncActor handles messages in receiveAsync");
    }
}
