package dev.akt;

import java.time.Duration;

/**
 * A schedule that has not ended, as {@link ActorSystem#schedules()} lists it.
 *
 * @param reference its reference
 * @param target the actor it sends to
 * @param sender the sender of its fires, or null
 * @param kind once or every interval
 * @param paused true while paused
 * @param interval the interval of an {@link Kind#EVERY} schedule, else null
 */
public record ScheduleInfo(String reference, Pid target, Pid sender, Kind kind, boolean paused,
        Duration interval) {
    /** What a schedule does. */
    public enum Kind {
        /** One message after a delay. */
        ONCE,
        /** A message every interval. */
        EVERY
    }
}
