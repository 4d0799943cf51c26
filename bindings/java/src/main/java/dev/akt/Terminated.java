package dev.akt;

/**
 * Delivered to an actor that {@link Context#watch watches} {@code pid} when it stops.
 *
 * @param pid the actor that stopped
 */
public record Terminated(Pid pid) {}
