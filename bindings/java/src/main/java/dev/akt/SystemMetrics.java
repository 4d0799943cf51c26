package dev.akt;

import java.time.Duration;

/**
 * A system's metrics ({@link ActorSystem#metrics()}): snapshots of counters the runtime keeps
 * as relaxed atomics, read on demand.
 *
 * @param actorsAlive live actors (the guardian aside)
 * @param actorsSpawned actors spawned since creation
 * @param actorsStopped actors stopped since creation
 * @param restarts restarts of any actor
 * @param failures failures of any actor (receive or preStart)
 * @param deadLetters accepted messages that could not be delivered
 * @param unhandled messages a receive did not handle
 * @param uptime time since the system was created
 */
public record SystemMetrics(long actorsAlive, long actorsSpawned, long actorsStopped, long restarts,
                            long failures, long deadLetters, long unhandled, Duration uptime) {}
