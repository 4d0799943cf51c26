package dev.akt.otel;

import dev.akt.ActorSystem;
import dev.akt.MetricPoint;
import dev.akt.SystemClosedException;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.metrics.ObservableMeasurement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hands a system's metrics ({@link ActorSystem#collectMetrics()}) to an OpenTelemetry
 * {@link Meter}: one observable instrument per name, named as GoAkt's
 * ({@code actor.processed.count}, {@code actorsystem.deadletters.count}, ...), counters as
 * long observable counters and gauges as double observable gauges. One batch callback reads the
 * system once per collection of the SDK. Needs {@code io.opentelemetry:opentelemetry-api} on the
 * class or module path (an optional dependency of akt).
 */
public final class AktMetrics {
    /** GoAkt's instrumentation scope, the name to ask a meter provider's meter of. */
    public static final String SCOPE = "github.com/Tochemey/goakt/v4/telemetry";

    private AktMetrics() {
    }

    /**
     * Registers system's instruments with meter; the names are those system reports now (the
     * per-actor ones once an actor lives). Close the returned callback to unregister them; a
     * collection after the system closed records nothing.
     *
     * @param system the system read at each collection
     * @param meter the meter the instruments are made with, e.g. of {@link #SCOPE}
     * @return the callback that observes them
     * @throws IllegalStateException if the system reports no metrics
     * @throws dev.akt.SystemClosedException if the system has shut down
     */
    public static BatchCallback register(ActorSystem system, Meter meter) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(meter, "meter");
        Map<String, ObservableMeasurement> byName = new LinkedHashMap<>();
        for (MetricPoint p : system.collectMetrics()) {
            if (byName.containsKey(p.name())) continue;
            byName.put(p.name(), p.kind() == MetricPoint.Kind.COUNTER
                    ? meter.counterBuilder(p.name()).setUnit(p.unit()).setDescription(p.description()).buildObserver()
                    : meter.gaugeBuilder(p.name()).setUnit(p.unit()).setDescription(p.description()).buildObserver());
        }
        ObservableMeasurement[] all = byName.values().toArray(new ObservableMeasurement[0]);
        if (all.length == 0) throw new IllegalStateException(system + " reports no metrics");
        return meter.batchCallback(() -> observe(system, byName), all[0],
                Arrays.copyOfRange(all, 1, all.length));
    }

    private static void observe(ActorSystem system, Map<String, ObservableMeasurement> byName) {
        List<MetricPoint> points;
        try {
            points = system.collectMetrics();
        } catch (SystemClosedException closed) { // nothing left to record
            return;
        }
        for (MetricPoint p : points) {
            // An SDK's measurement may implement both interfaces: the kind decides which one.
            ObservableMeasurement m = byName.get(p.name());
            if (m == null) continue; // a name that appeared after register
            if (p.kind() == MetricPoint.Kind.COUNTER) {
                ((ObservableLongMeasurement) m).record(Math.round(p.value()), attributes(p));
            } else {
                ((ObservableDoubleMeasurement) m).record(p.value(), attributes(p));
            }
        }
    }

    private static Attributes attributes(MetricPoint p) {
        AttributesBuilder b = Attributes.builder();
        p.attributes().forEach(b::put);
        return b.build();
    }
}
