// stream_fan: fan-in (merge, concat, zip) and fan-out (broadcast, balance, partition).
import dev.akt.*;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

public class Case {
    static String listed(List<?> values) {
        return values.isEmpty() ? "-" : values.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    static <R> R result(Stream<R> s) throws Exception {
        return s.result().get(5, TimeUnit.SECONDS);
    }

    /** {error name, reason} of how it ended. */
    static String[] outcome(Stream<?> s) {
        try {
            s.result().get(5, TimeUnit.SECONDS);
            return new String[] {"ok", ""};
        } catch (Exception e) {
            return new String[] {Conf.errorName(e), s.reason()};
        }
    }

    static Function<Long, Long> failOn(long k) {
        return x -> {
            if (x == k) throw new IllegalStateException("no " + k);
            return x;
        };
    }

    static boolean sorted(List<Long> l) {
        List<Long> c = new ArrayList<>(l);
        c.sort(null);
        return c.equals(l);
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();

        // 1. merge
        List<Long> got = result(Source.merge(Source.range(0, 5), Source.range(10, 15), Source.of(100L, 101L))
                .runWith(Sink.collect(), system));
        List<Long> all = new ArrayList<>(got);
        all.sort(null);
        Conf.say("merge", listed(all));
        boolean ordered = sorted(got.stream().filter(x -> x < 10).toList())
                && sorted(got.stream().filter(x -> x >= 10 && x < 100).toList())
                && sorted(got.stream().filter(x -> x >= 100).toList());
        Conf.say("merge.ordered", ordered ? "yes" : "no");

        // 2. concat
        Conf.say("concat", listed(result(Source.<Object>concat(Source.range(1, 4), Source.of("a", "b"),
                Source.range(7, 9)).runWith(Sink.collect(), system))));

        // 3. zip
        Conf.say("zip", listed(result(Source.zip(xs -> xs.get(0) + "-" + xs.get(1), Source.range(1, 4),
                Source.of("x", "y", "z", "w")).runWith(Sink.collect(), system))));

        // 4. broadcast
        List<Object> b = result(Source.range(1, 6).runWith(Sink.broadcast(Sink.collect(),
                StreamFlow.<Long>create().map(x -> x * x).to(Sink.fold(0L, (a, x) -> a + x)), Sink.first()),
                system));
        Conf.say("broadcast.0", listed((List<?>) b.get(0)));
        Conf.say("broadcast.1", String.valueOf(b.get(1)));
        Conf.say("broadcast.2", String.valueOf(b.get(2)));

        // 5. balance
        List<Object> parts = result(Source.range(0, 100).runWith(
                Sink.balance(Sink.collect(), Sink.collect(), Sink.collect()), system));
        List<Long> together = new ArrayList<>();
        for (Object part : parts) {
            for (Object x : (List<?>) part) {
                together.add((Long) x);
            }
        }
        together.sort(null);
        boolean once = together.size() == 100;
        for (int i = 0; once && i < 100; i++) {
            once = together.get(i) == i;
        }
        Conf.say("balance.total", String.valueOf(together.size()));
        Conf.say("balance.each_once", once ? "yes" : "no");

        // 6. partition
        List<Object> p = result(Source.range(0, 10).runWith(
                Sink.partition(x -> (int) (x % 3), Sink.collect(), Sink.collect(), Sink.collect()), system));
        for (int k = 0; k < 3; k++) {
            Conf.say("partition." + k, listed((List<?>) p.get(k)));
        }

        // 7. partition.bad
        String[] o = outcome(Source.range(0, 5).runWith(
                Sink.partition(x -> (int) (long) x, Sink.collect(), Sink.collect()), system));
        Conf.say("partition.bad", o[0]);
        Conf.say("partition.bad.reason", o[1]);

        // 8. branch.fail
        o = outcome(Source.range(0, 10).runWith(Sink.broadcast(Sink.collect(),
                StreamFlow.<Long>create().map(failOn(3)).to(Sink.ignore())), system));
        Conf.say("branch.fail", o[0]);
        Conf.say("branch.fail.reason", o[1]);

        // 9. input.fail
        o = outcome(Source.merge(Source.range(0, 10), Source.range(0, 10).map(failOn(4)))
                .runWith(Sink.ignore(), system));
        Conf.say("input.fail", o[0]);
        Conf.say("input.fail.reason", o[1]);

        // 10. paced
        AtomicLong made = new AtomicLong(), fast = new AtomicLong(), slow = new AtomicLong(),
                worst = new AtomicLong();
        result(Source.<Long, Long>unfold(0L, n -> {
            if (n >= 200) return null;
            made.set(n + 1);
            return new Object[] {n + 1, n};
        }).window(4).runWith(Sink.broadcast(
                StreamFlow.<Long>create().window(4).to(Sink.forEach(x -> fast.incrementAndGet())),
                StreamFlow.<Long>create().window(4).to(Sink.forEach(x -> {
                    worst.accumulateAndGet(made.get() - slow.get(), Math::max);
                    slow.incrementAndGet();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }))), system));
        Conf.say("paced.fast", String.valueOf(fast.get()));
        Conf.say("paced.slow", String.valueOf(slow.get()));
        Conf.say("paced.bounded", worst.get() <= 16 ? "yes" : "no");

        Conf.finish(system);
    }
}
