package dev.akt;

/**
 * What an actor does while its requests ({@link Context#request}) are in flight.
 * {@link #OFF} and {@link #ALLOW_ALL} keep handling messages, so an A -> B -> A call cycle
 * completes; {@link #STASH} keeps user messages waiting, in order, until the last STASH
 * request of the actor was answered.
 */
public enum Reentrancy {
    /** The default: user messages keep flowing; the answer comes on a later turn. */
    OFF(1),
    /** As OFF: other messages, a request back from the callee too, are handled meanwhile. */
    ALLOW_ALL(2),
    /** User messages wait in the mailbox, in order; answers and system messages still come. */
    STASH(3);

    final int code;

    Reentrancy(int code) {
        this.code = code;
    }
}
