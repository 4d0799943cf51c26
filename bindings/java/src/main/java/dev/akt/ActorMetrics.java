package dev.akt;

import java.time.Duration;

/**
 * One actor's metrics ({@link Pid#metrics()}, {@link ActorSystem#actorMetrics()}), of its
 * current incarnation (a restart keeps them).
 *
 * @param path the actor's address, e.g. akt://demo/user/counter
 * @param processed messages that reached receive (handled, unhandled or failed)
 * @param restarts restarts by its supervisor
 * @param failures receive or preStart failures
 * @param unhandled messages receive did not handle
 * @param mailboxSize messages waiting in its mailbox
 * @param stashSize messages in its stash
 * @param children live children
 * @param lastProcessingDuration the last timed receive (the first message of each turn)
 * @param uptime time since its spawn
 * @param deadLetters messages to this incarnation that went to dead letters (actor.deadletters.count)
 * @param reinstates its reinstates after a suspension (actor.reinstate.count)
 * @param kind its kind ({@link Props#withKind}, by default its class name, the actor.kind
 *     attribute); null without one
 */
public record ActorMetrics(String path, long processed, long restarts, long failures, long unhandled,
                           long mailboxSize, long stashSize, long children,
                           Duration lastProcessingDuration, Duration uptime, long deadLetters,
                           long reinstates, String kind) {
    static ActorMetrics of(String path, long[] v, String kind) {
        return new ActorMetrics(path, v[0], v[1], v[2], v[3], v[4], v[5], v[6], Duration.ofNanos(v[7]),
                                Duration.ofNanos(v[8]), v[9], v[10],
                                kind == null || kind.isEmpty() ? null : kind);
    }
}
