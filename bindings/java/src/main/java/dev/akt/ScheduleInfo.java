package dev.akt;

import java.time.Duration;

/**
 * A schedule that has not ended, as {@link ActorSystem#schedules()} lists it.
 *
 * @param reference its reference
 * @param target the actor it sends to
 * @param sender the sender of its fires, or null
 * @param kind once, every interval or on a cron expression
 * @param paused true while paused
 * @param interval the interval of an {@link Kind#EVERY} schedule, else null
 * @param expression the cron expression of a {@link Kind#CRON} schedule, else null
 * @param utc true for a {@link Kind#CRON} schedule that fires in UTC
 */
public record ScheduleInfo(String reference, Pid target, Pid sender, Kind kind, boolean paused,
        Duration interval, String expression, boolean utc) {
    /**
     * A once or every-interval schedule (no cron expression).
     *
     * @param reference its reference
     * @param target the actor it sends to
     * @param sender the sender of its fires, or null
     * @param kind once or every interval
     * @param paused true while paused
     * @param interval the interval of an {@link Kind#EVERY} schedule, else null
     */
    public ScheduleInfo(String reference, Pid target, Pid sender, Kind kind, boolean paused,
            Duration interval) {
        this(reference, target, sender, kind, paused, interval, null, false);
    }

    /** What a schedule does. */
    public enum Kind {
        /** One message after a delay. */
        ONCE,
        /** A message every interval. */
        EVERY,
        /** A message at every fire time of a cron expression. */
        CRON
    }
}
