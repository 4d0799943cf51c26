package dev.akt;

import java.util.Map;

/**
 * One OpenTelemetry-shaped data point ({@link ActorSystem#collectMetrics()}), named as GoAkt's
 * instruments (actor.processed.count, actorsystem.deadletters.count, ...). Map it to an
 * OpenTelemetry meter's observable counters and gauges by {@link #kind()}.
 *
 * @param name the instrument
 * @param kind counter (monotonic) or gauge
 * @param unit UCUM: "1", "s", "ms"
 * @param description one line
 * @param attributes actor.system, actor.name, actor.address for per-actor points (none under
 *     the low-cardinality switch and for system points)
 * @param value the reading
 */
public record MetricPoint(String name, Kind kind, String unit, String description,
                          Map<String, String> attributes, double value) {
    /** An instrument's kind. */
    public enum Kind {
        /** A monotonic sum (an observable counter). */
        COUNTER,
        /** A value at the time of reading (an observable gauge). */
        GAUGE
    }
}
