package dev.akt;

/** A message handler an actor switches to with {@link Context#become(Behavior)}. */
@FunctionalInterface
public interface Behavior {
    /** Handles one message, as {@link Actor#receive} does. */
    void receive(Context ctx, Object msg) throws Exception;
}
