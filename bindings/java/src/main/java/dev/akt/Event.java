package dev.akt;

/**
 * One event of the event stream.
 *
 * @param kind what happened
 * @param pid the actor concerned (the intended receiver for dead letters)
 * @param path its path, or null if unknown
 * @param sender dead letter / unhandled: the message's sender, or null
 * @param message dead letter / unhandled: the message (a Java object as itself), or null
 * @param code failed: the akt failure code, else 0
 * @param reason failed: the reason ({@code "<type>: <message>"}, a Java exception's
 *     {@code toString()}), or null; dead letter: why it is one (a reply nobody waits for),
 *     or null
 */
public record Event(EventKind kind, Pid pid, String path, Pid sender, Object message, int code,
                   String reason) {
    /**
     * The failure code's name (e.g. {@code "Errors.EFAILED"}), or null when code is 0.
     *
     * @return the name, or null
     */
    public String errorName() {
        return code == 0 ? null : Errors.name(code);
    }
}
