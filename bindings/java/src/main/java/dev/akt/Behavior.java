package dev.akt;

/** A message handler an actor switches to with {@link Context#become(Behavior)}. */
@FunctionalInterface
public interface Behavior {
    /**
     * Handles one message, as {@link Actor#receive} does.
     *
     * @param ctx valid during this call only
     * @param msg the message
     * @throws Exception a failure of the actor, for its supervisor
     */
    void receive(Context ctx, Object msg) throws Exception;
}
