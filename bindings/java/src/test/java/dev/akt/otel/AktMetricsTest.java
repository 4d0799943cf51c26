package dev.akt.otel;

import static org.junit.jupiter.api.Assertions.*;

import dev.akt.Actor;
import dev.akt.ActorSystem;
import dev.akt.MetricPoint;
import dev.akt.Pid;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AktMetrics: GoAkt's instrument names and the system's readings, through the OTel SDK. */
class AktMetricsTest {
    static final Duration T = Duration.ofSeconds(5);
    static final Actor COUNTER = (ctx, msg) -> {
        if ("get".equals(msg)) ctx.respond("ok");
        else if (!"inc".equals(msg)) ctx.unhandled();
    };
    ActorSystem system;
    InMemoryMetricReader reader;
    SdkMeterProvider provider;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("otelm").workers(2).build();
        reader = InMemoryMetricReader.create();
        provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    }

    @AfterEach
    void stop() {
        provider.close();
        system.close();
    }

    static Map<String, MetricData> collect(InMemoryMetricReader reader) {
        return reader.collectAllMetrics().stream().collect(Collectors.toMap(MetricData::getName, m -> m));
    }

    static PointData only(MetricData m) {
        assertEquals(1, m.getData().getPoints().size(), m.toString());
        return m.getData().getPoints().iterator().next();
    }

    @Test
    void instrumentsAreGoAktsAndReadTheSystem() throws Exception {
        Pid a = system.spawn("a", COUNTER);
        for (int i = 0; i < 5; i++) a.tell("inc");
        assertEquals("ok", a.ask("get", T).get(5, TimeUnit.SECONDS));
        BatchCallback cb = AktMetrics.register(system, provider.get(AktMetrics.SCOPE));

        Map<String, MetricData> got = collect(reader);
        Set<String> names = system.collectMetrics().stream().map(MetricPoint::name).collect(Collectors.toSet());
        assertEquals(names, got.keySet());
        assertTrue(names.containsAll(Set.of("actorsystem.actors.count", "actorsystem.deadletters.count",
                "actor.processed.count", "actor.mailbox.size", "actor.uptime")), names.toString());
        MetricData processed = got.get("actor.processed.count");
        assertEquals(AktMetrics.SCOPE, processed.getInstrumentationScopeInfo().getName());
        assertEquals(MetricDataType.LONG_SUM, processed.getType());
        assertTrue(processed.getLongSumData().isMonotonic());
        assertEquals("1", processed.getUnit());
        assertEquals("messages processed", processed.getDescription());
        assertEquals(6L, processed.getLongSumData().getPoints().iterator().next().getValue());
        assertEquals(Attributes.builder().put("actor.system", "otelm").put("actor.name", "a")
                .put("actor.address", "akt://otelm/user/a").build(), only(processed).getAttributes());
        MetricData alive = got.get("actorsystem.actors.count");
        assertEquals(MetricDataType.DOUBLE_GAUGE, alive.getType());
        assertEquals(1.0, alive.getDoubleGaugeData().getPoints().iterator().next().getValue());
        assertEquals(Attributes.empty(), only(alive).getAttributes());
        assertEquals("s", got.get("actorsystem.uptime").getUnit());

        Pid b = system.spawn("b", COUNTER);
        for (int i = 0; i < 4; i++) a.tell("inc");
        assertEquals("ok", a.ask("get", T).get(5, TimeUnit.SECONDS));
        a.tell(42); // unhandled
        assertEquals("ok", b.ask("get", T).get(5, TimeUnit.SECONDS));
        assertEquals("ok", a.ask("get", T).get(5, TimeUnit.SECONDS));
        got = collect(reader);
        Map<String, Long> perActor = got.get("actor.processed.count").getLongSumData().getPoints().stream()
                .collect(Collectors.toMap(p -> p.getAttributes().get(io.opentelemetry.api.common.AttributeKey
                        .stringKey("actor.name")), p -> p.getValue()));
        assertEquals(Map.of("a", 13L, "b", 1L), perActor); // 6 + 4 inc, 2 get, 42
        assertEquals(2.0, got.get("actorsystem.actors.count").getDoubleGaugeData().getPoints().iterator().next().getValue());
        assertEquals(1L, got.get("actorsystem.unhandled.count").getLongSumData().getPoints().iterator().next().getValue());

        cb.close();
        assertEquals(Map.of(), collect(reader));
    }

    @Test
    void underTheLowCardinalitySwitchAnActorInstrumentIsOnePoint() throws Exception {
        Pid a = system.spawn("a", COUNTER);
        Pid b = system.spawn("b", COUNTER);
        a.tell("inc");
        assertEquals("ok", a.ask("get", T).get(5, TimeUnit.SECONDS));
        assertEquals("ok", b.ask("get", T).get(5, TimeUnit.SECONDS));
        AktMetrics.register(system, provider.get(AktMetrics.SCOPE));
        system.setLowCardinalityMetrics(true);
        PointData p = only(collect(reader).get("actor.processed.count"));
        assertEquals(Attributes.empty(), p.getAttributes());
        assertEquals(3L, ((io.opentelemetry.sdk.metrics.data.LongPointData) p).getValue());
    }

    @Test
    void aClosedSystemReportsItsLastReadingsAndNullsAreRefused() {
        system.spawn("a", COUNTER);
        AktMetrics.register(system, provider.get(AktMetrics.SCOPE));
        system.close();
        Map<String, MetricData> got = collect(reader);
        assertFalse(got.containsKey("actor.processed.count"), got.keySet().toString());
        assertEquals(0.0, got.get("actorsystem.actors.count").getDoubleGaugeData().getPoints().iterator().next().getValue());
        assertEquals(1L, got.get("actor.stopped.count").getLongSumData().getPoints().iterator().next().getValue());
        assertThrows(NullPointerException.class, () -> AktMetrics.register(null, provider.get("x")));
        assertThrows(NullPointerException.class, () -> AktMetrics.register(system, null));
    }
}
