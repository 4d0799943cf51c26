package dev.akt;

/** What a supervisor does with a failed child (one-for-one: only that child). */
public enum Directive {
    /** postStop, then preStart again; the mailbox is kept. */
    RESTART(0),
    /** Keep the state and go on with the next message. */
    RESUME(1),
    /** Stop the child and its children. */
    STOP(2),
    /** The parent fails with the child's failure. */
    ESCALATE(3),
    /**
     * Keep the state and the mailbox but handle nothing until {@link Pid#reinstate()}; tells
     * and asks to the child throw {@link ActorSuspendedException} meanwhile.
     */
    SUSPEND(4);

    final int code;

    Directive(int code) {
        this.code = code;
    }
}
