package dev.akt;

/**
 * What an actor does while its requests ({@link Context#request}) are in flight.
 * {@link #OFF} and {@link #ALLOW_ALL} keep handling messages, so an A -> B -> A call cycle
 * completes; {@link #STASH} keeps user messages waiting, in order, until the last STASH
 * request of the actor was answered.
 */
public enum Reentrancy {
    OFF(1),
    ALLOW_ALL(2),
    STASH(3);

    final int code;

    Reentrancy(int code) {
        this.code = code;
    }
}
