package dev.akt;

import java.util.Set;

/** Kinds of events on a system's event stream. */
public enum EventKind {
    /** A spawned actor started: its preStart ran (a restart is {@link #ACTOR_RESTARTED}). */
    ACTOR_STARTED(0x01),
    /** An actor stopped: its children stopped and its postStop ran. */
    ACTOR_STOPPED(0x02),
    /** A supervisor restarted a failed actor: postStop, then preStart again; same pid and mailbox. */
    ACTOR_RESTARTED(0x04),
    /** A message nobody could take: its receiver was gone or stopped first. */
    DEAD_LETTER(0x08),
    /** A receive left a message unhandled. */
    UNHANDLED(0x10),
    /** A receive (or preStart, or postStop) failed. */
    ACTOR_FAILED(0x20),
    /** A supervisor suspended the actor ({@link Directive#SUSPEND}). */
    ACTOR_SUSPENDED(0x40),
    /** A suspended actor was reinstated ({@link Pid#reinstate()}). */
    ACTOR_REINSTATED(0x80),
    /** Passivation stopped an idle actor ({@link Passivation}); ACTOR_STOPPED follows. */
    ACTOR_PASSIVATED(0x100);

    final int bit;

    EventKind(int bit) {
        this.bit = bit;
    }

    static int mask(Set<EventKind> kinds) {
        int m = 0;
        for (EventKind k : kinds) {
            m |= k.bit;
        }
        return m;
    }

    static EventKind of(int bit) {
        for (EventKind k : values()) {
            if (k.bit == bit) {
                return k;
            }
        }
        throw new IllegalArgumentException("akt: unknown event kind " + bit);
    }
}
