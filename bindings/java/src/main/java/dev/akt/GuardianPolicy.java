package dev.akt;

/**
 * What a top-level actor's escalation does ({@link ActorSystem#setGuardianPolicy}): the
 * system supervisor chose {@link Directive#ESCALATE} and there is no parent left to fail.
 */
public enum GuardianPolicy {
    /** The actor stops; the system goes on (the default). */
    STOP_ACTOR(0),
    /** The actor stops and the whole system shuts down, as {@link ActorSystem#shutdown()}. */
    SHUTDOWN(1);

    final int code;

    GuardianPolicy(int code) {
        this.code = code;
    }
}
