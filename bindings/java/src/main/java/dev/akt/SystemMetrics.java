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
 * @param grains grain activations now (actorsystem.grains.count)
 * @param peers remote connections open now, handshake done, either direction (actorsystem.peers.count)
 * @param passivated actors passivated since creation, of every kind (actor.passivated.count, per actor.kind)
 * @param scheduled schedules made since creation (scheduler.scheduled.count)
 * @param cancelled schedules ended by cancelSchedule (scheduler.cancelled.count)
 */
public record SystemMetrics(long actorsAlive, long actorsSpawned, long actorsStopped, long restarts,
                            long failures, long deadLetters, long unhandled, Duration uptime,
                            long grains, long peers, long passivated, long scheduled,
                            long cancelled) {}
