// stream_basic: the linear DSL, sinks, fusion and per-stage metrics.
import dev.akt.*;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

public class Case {
    static String listed(List<?> values) {
        return values.isEmpty() ? "-" : values.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    static <R> R result(Stream<R> s) throws Exception {
        return s.result().get(5, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();

        // 1-2. collect, and the metrics of that stream.
        Stream<List<Long>> s = Source.range(1, 11).map(x -> x * 2).filter(x -> x % 3 != 0)
                .runWith(Sink.collect(), system);
        Conf.say("collect", listed(result(s)));
        Conf.say("metrics", s.metrics().stream()
                .map(m -> m.name() + " in " + m.elementsIn() + " out " + m.elementsOut())
                .collect(Collectors.joining(", ")));

        // 3-7.
        Conf.say("fold", String.valueOf(result(Source.range(1, 101).runWith(Sink.fold(0L, (a, x) -> a + x), system))));
        Conf.say("scan", listed(result(Source.range(1, 6).scan(0L, (a, x) -> a + x).runWith(Sink.collect(), system))));
        Conf.say("dedup", listed(result(Source.of(1L, 1L, 2L, 3L, 3L, 3L, 1L).dedup().runWith(Sink.collect(), system))));
        Conf.say("flat_map", listed(result(Source.range(1, 4).flatMap(x -> List.of(x, x * 10))
                .runWith(Sink.collect(), system))));
        Conf.say("strings", listed(result(Source.of("x", "y").map(t -> t + "!").runWith(Sink.collect(), system))));

        // 8. first
        Conf.say("first", String.valueOf(result(Source.range(7, Long.MAX_VALUE).runWith(Sink.first(), system))));
        Object empty = result(Source.of().runWith(Sink.first(), system));
        Conf.say("first.empty", empty == null ? "none" : "some");

        // 9. fusion on and off
        Source<Long> pipeline = Source.range(0, 1000).map(x -> x + 1).filter(x -> x % 2 == 0).map(x -> x * 3);
        for (boolean on : new boolean[] {true, false}) {
            Stream<Long> f = pipeline.fusion(on).runWith(Sink.fold(0L, (a, x) -> a + x), system);
            Conf.say(on ? "fusion.on" : "fusion.off", result(f) + " actors " + f.actors());
        }

        // 10. range.down
        Conf.say("range.down", listed(result(Source.range(10, 0, -3).runWith(Sink.collect(), system))));

        // 11. throttle
        long t0 = System.nanoTime();
        List<Long> throttled = result(Source.range(0, 20).throttle(5, java.time.Duration.ofMillis(50))
                .runWith(Sink.collect(), system));
        long took = System.nanoTime() - t0;
        Conf.say("throttle", listed(throttled));
        Conf.say("throttle.paced", took >= TimeUnit.MILLISECONDS.toNanos(150) ? "yes" : "no");

        // 12. tick
        long t1 = System.nanoTime();
        Long ticked = result(Source.tick(java.time.Duration.ZERO, java.time.Duration.ofMillis(10), "t")
                .scan(0L, (a, x) -> a + 1).filter(n -> n >= 3).runWith(Sink.first(), system));
        long tookTick = System.nanoTime() - t1;
        Conf.say("tick", String.valueOf(ticked));
        Conf.say("tick.paced", tookTick >= TimeUnit.MILLISECONDS.toNanos(20) ? "yes" : "no");

        // 13. batch
        List<List<Long>> batches = result(Source.range(0, 10).batch(4, java.time.Duration.ofSeconds(10))
                .runWith(Sink.collect(), system));
        Conf.say("batch", batches.stream().map(b -> b.stream().map(String::valueOf)
                .collect(Collectors.joining(","))).collect(Collectors.joining(" ")));

        Conf.finish(system);
    }
}
