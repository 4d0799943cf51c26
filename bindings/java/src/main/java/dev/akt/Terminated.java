package dev.akt;

/** Delivered to an actor that {@link Context#watch watches} {@code pid} when it stops. */
public record Terminated(Pid pid) {}
