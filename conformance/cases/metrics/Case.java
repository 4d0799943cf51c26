// metrics: counters of akt/telemetry.h after a scripted scenario.
import dev.akt.*;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

public class Case {
    static final class Counter implements Actor {
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

    static void printActor(Pid pid) {
        ActorMetrics m;
        try {
            m = pid.metrics();
        } catch (ActorNotFoundException e) {
            Conf.say("actor", "not found");
            return;
        }
        Conf.say("actor", "processed=" + m.processed() + " restarts=" + m.restarts() + " failures="
                + m.failures() + " unhandled=" + m.unhandled() + " mailbox=" + m.mailboxSize() + " stash="
                + m.stashSize() + " children=" + m.children());
    }

    static void printSystem(ActorSystem system) {
        SystemMetrics m = system.metrics();
        Conf.say("system", "alive=" + m.actorsAlive() + " spawned=" + m.actorsSpawned() + " stopped="
                + m.actorsStopped() + " restarts=" + m.restarts() + " failures=" + m.failures()
                + " dead_letters=" + m.deadLetters() + " unhandled=" + m.unhandled());
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();

        // 1.
        Pid c = system.spawn("counter", Props.of(new Counter()).withKind(""));
        for (int i = 0; i < 10; i++) c.tell("inc");
        ping(c);
        printActor(c);

        // 2.
        c.tell("fail");
        ping(c);
        String bogus = Conf.futureStr(c.ask("bogus", Conf.ASK));
        Conf.say("bogus", "AKT_EUNHANDLED".equals(bogus) ? "unhandled" : bogus);
        c.tell("stash");
        c.tell("stash");
        ping(c);
        printActor(c);
        printSystem(system);

        // 3.
        c.stopGracefully(Conf.ASK).get();
        printSystem(system);
        printActor(c);

        // 4.
        Pid a = system.spawn("a", Props.of(new Counter()).withKind(""));
        Pid b = system.spawn("b", Props.of(new Counter()).withKind(""));
        a.tell("inc");
        ping(a);
        ping(b);
        List<MetricPoint> points = system.collectMetrics();
        Set<String> names = new LinkedHashSet<>();
        for (MetricPoint p : points) names.add(p.name());
        Conf.say("instruments", String.join(",", names));
        // By actor name: the order of the cells depends on which slots were free.
        points.stream().filter(p -> p.name().equals("actor.processed.count"))
                .sorted(java.util.Comparator.comparing(p -> p.attributes().get("actor.name")))
                .forEach(p -> Conf.say("point", p.attributes().get("actor.name") + " "
                        + p.kind().name().toLowerCase() + " " + String.format("%.0f", p.value())));
        MetricPoint alive = points.stream().filter(p -> p.name().equals("actorsystem.actors.count"))
                .findFirst().orElseThrow();
        Conf.say("alive", String.format("%.0f", alive.value()));

        // 5.
        system.setLowCardinalityMetrics(true);
        List<MetricPoint> low = system.collectMetrics().stream()
                .filter(p -> p.name().equals("actor.processed.count")).toList();
        MetricPoint last = low.get(low.size() - 1);
        Conf.say("low", low.size() + " " + String.format("%.0f", last.value()) + " attrs=" + last.attributes().size());

        Conf.finish(system);
    }
}
