// telemetry_metrics: the OpenTelemetry-shaped export after a fixed scenario, and the
// per-stage metrics of a stream with a resumed stage.
import dev.akt.*;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

public class Case {
    static final Set<String> TIMES = Set.of("actorsystem.uptime", "actor.uptime", "actor.last.received.duration");

    static final class Worker implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            if ("fail".equals(msg)) throw new IllegalStateException("fail");
            if ("stash".equals(msg)) ctx.stash();
            else if ("ping".equals(msg)) ctx.respond("pong");
            else if (!"inc".equals(msg)) ctx.unhandled();
        }
    }

    static void ping(Pid pid) throws Exception {
        Object got = pid.ask("ping", Conf.ASK).get();
        if (!"pong".equals(got)) throw Conf.fatal("ping: " + got);
    }

    static String value(MetricPoint p) {
        return String.format("%.0f", p.value());
    }

    /** Sorted as byte strings: the lines are ASCII, where UTF-16 code units are the bytes. */
    static void saySorted(String step, List<String> lines) {
        Collections.sort(lines);
        for (String line : lines) Conf.say(step, line);
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();

        // 1.
        Pid w1 = system.spawn("w1", Props.of(new Worker()).withKind("worker"));
        Pid w2 = system.spawn("w2", Props.of(new Worker()).withKind("worker"));
        Pid w3 = system.spawn("w3", Props.of(new Worker()).withKind("worker"));
        for (int i = 0; i < 5; i++) w1.tell("inc");
        for (int i = 0; i < 3; i++) w2.tell("inc");
        for (Pid w : List.of(w1, w2, w3)) ping(w);

        // 2.
        w2.tell("fail");
        ping(w2);
        String bogus = Conf.futureStr(w1.ask("bogus", Conf.ASK));
        Conf.say("bogus", "AKT_EUNHANDLED".equals(bogus) ? "unhandled" : bogus);
        ping(w1);
        w3.tell("stash");
        w3.tell("stash");
        ping(w3);

        // 3.
        w3.stopGracefully(Conf.ASK).get();
        Conf.say("stop", "ok");

        // 4. One collection, printed sorted: the order of the cells depends on free slots.
        List<MetricPoint> points = system.collectMetrics();
        Map<String, MetricPoint> first = new LinkedHashMap<>();
        for (MetricPoint p : points) first.putIfAbsent(p.name(), p);
        List<String> lines = new ArrayList<>();
        for (MetricPoint p : first.values()) {
            lines.add(p.name() + " " + p.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + p.unit());
        }
        saySorted("instrument", lines);
        lines = new ArrayList<>();
        for (MetricPoint p : points) {
            if (p.attributes().isEmpty() && !TIMES.contains(p.name())) lines.add(p.name() + " " + value(p));
        }
        saySorted("system", lines);
        Set<String> mine = Set.of("w1", "w2");
        List<MetricPoint> ours = points.stream()
                .filter(p -> mine.contains(p.attributes().getOrDefault("actor.name", ""))).toList();
        lines = new ArrayList<>();
        for (MetricPoint p : ours) {
            if (!TIMES.contains(p.name())) lines.add(p.attributes().get("actor.name") + " " + p.name() + " " + value(p));
        }
        saySorted("point", lines);
        for (String who : List.of("w1", "w2")) {
            MetricPoint p = ours.stream()
                    .filter(q -> who.equals(q.attributes().get("actor.name")) && q.name().equals("actor.processed.count"))
                    .findFirst().orElseThrow(() -> Conf.fatal("no actor.processed.count point for " + who));
            Map<String, String> a = p.attributes();
            Conf.say("attrs", who + " system=" + a.getOrDefault("actor.system", "?") + " address="
                    + a.getOrDefault("actor.address", "?") + " kind=" + a.getOrDefault("actor.kind", "?")
                    + " n=" + a.size());
        }

        // 5.
        Stream<Long> s = Source.range(0, 10).map(x -> {
            if (x % 2 == 1) throw new IllegalStateException("odd");
            return x;
        }).onError(Source.OnError.RESUME).filter(x -> x % 4 == 0)
                .runWith(Sink.fold(0L, (Long acc, Long x) -> acc + x), system);
        Conf.say("stream", String.valueOf(s.result().get(Conf.ASK.toMillis(), TimeUnit.MILLISECONDS)));
        List<StageMetrics> stages = s.metrics();
        for (int i = 0; i < stages.size(); i++) {
            StageMetrics m = stages.get(i);
            Conf.say("stage", i + " " + m.name() + " in " + m.elementsIn() + " out " + m.elementsOut()
                    + " drops " + m.drops() + " errors " + m.errors());
        }

        // 6.
        Pid p1 = system.spawn("p1", Props.of(new Worker()).withKind("session")
                .withPassivation(Passivation.afterMessages(1)));
        p1.tell("inc");
        for (int i = 0; i < 1000 && system.metrics().passivated() < 1; i++) Thread.sleep(5);
        Conf.say("passivated", system.metrics().passivated() == 1 ? "ok" : "no");
        java.time.Duration minute = java.time.Duration.ofSeconds(60);
        system.scheduleEvery(w1, "inc", minute, minute, ScheduleOptions.defaults().withReference("tick"));
        system.cancelSchedule("tick");
        Set<String> afterNames = Set.of("actor.passivated.count", "actorsystem.grains.count",
                "actorsystem.peers.count", "scheduler.cancelled.count", "scheduler.scheduled.count");
        List<String> after = new ArrayList<>();
        for (MetricPoint p : system.collectMetrics()) {
            String kd = p.attributes().getOrDefault("actor.kind", "-");
            if (afterNames.contains(p.name()) && Set.of("-", "worker", "session").contains(kd))
                after.add(p.name() + " kind=" + kd + " " + String.format("%.0f", p.value()));
        }
        saySorted("after", after);

        Conf.finish(system);
    }
}
