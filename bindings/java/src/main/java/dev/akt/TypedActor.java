package dev.akt;

import java.util.Objects;

/**
 * An actor that accepts messages of one class (its behaviour typed as in Akka Typed):
 * spawning it ({@link ActorSystem#spawn(String, TypedActor)}, {@link Context#spawn(String,
 * TypedActor)}) returns an {@link ActorRef}{@code <M>}, to which the compiler lets only M
 * be sent.
 *
 * <pre>{@code
 * class Account extends TypedActor<Cmd> {
 *     private int total;
 *     Account() { super(Cmd.class); }
 *     protected void onMessage(Context ctx, Cmd msg) {
 *         if (msg instanceof Deposit d) total += d.amount();
 *         else ctx.respond(total); // a Balance
 *     }
 * }
 * ActorRef<Cmd> account = system.spawn("account", new Account());
 * }</pre>
 *
 * <p>akt still delivers whatever reaches the actor: its pid may be used untyped, and
 * signals ({@link Terminated}) and messages from other languages arrive too. Those that are
 * not instances of M go to {@link #onOther}, which by default marks them unhandled (an
 * asker then fails with {@link UnhandledMessageException}).
 *
 * @param <M> the type of the messages the actor accepts
 */
public abstract class TypedActor<M> implements Actor {
    private final Class<M> messageClass;

    /**
     * An actor of messageClass messages.
     *
     * @param messageClass the class of the messages it accepts (M's class; a primitive class
     *     accepts its wrapper)
     * @throws NullPointerException if messageClass is null
     */
    protected TypedActor(Class<M> messageClass) {
        this.messageClass = ActorRef.boxed(Objects.requireNonNull(messageClass, "messageClass"));
    }

    /**
     * A typed actor from a handler: {@code TypedActor.of(Cmd.class, (ctx, msg) -> ...)}.
     *
     * @param <M> the message type
     * @param messageClass the class of the messages it accepts
     * @param handler what it does with each one (other messages are unhandled)
     * @return the actor, to spawn
     * @throws NullPointerException if messageClass or handler is null
     */
    public static <M> TypedActor<M> of(Class<M> messageClass, Handler<M> handler) {
        Objects.requireNonNull(handler, "handler");
        return new TypedActor<>(messageClass) {
            @Override
            protected void onMessage(Context ctx, M msg) throws Exception {
                handler.onMessage(ctx, msg);
            }
        };
    }

    /**
     * What a typed actor does with one of its messages.
     *
     * @param <M> the message type
     */
    @FunctionalInterface
    public interface Handler<M> {
        /**
         * Handles msg, as {@link Actor#receive} does.
         *
         * @param ctx valid during this call only
         * @param msg the message
         * @throws Exception a failure of the actor, for its supervisor
         */
        void onMessage(Context ctx, M msg) throws Exception;
    }

    /**
     * The class of the messages this actor accepts.
     *
     * @return M's class
     */
    public final Class<M> messageClass() {
        return messageClass;
    }

    /**
     * Handles one message of type M.
     *
     * @param ctx valid during this call only
     * @param msg the message
     * @throws Exception a failure of the actor, for its supervisor
     */
    protected abstract void onMessage(Context ctx, M msg) throws Exception;

    /**
     * Handles a message that is not an M (a signal such as {@link Terminated}, or a message
     * sent through the untyped pid or from another language); by default {@link
     * Context#unhandled()}.
     *
     * @param ctx valid during this call only
     * @param msg the message
     * @throws Exception a failure of the actor, for its supervisor
     */
    protected void onOther(Context ctx, Object msg) throws Exception {
        ctx.unhandled();
    }

    /** Dispatches msg to {@link #onMessage} if it is an M, else to {@link #onOther}. */
    @Override
    public final void receive(Context ctx, Object msg) throws Exception {
        if (messageClass.isInstance(msg)) {
            onMessage(ctx, messageClass.cast(msg));
        } else {
            onOther(ctx, msg);
        }
    }
}
