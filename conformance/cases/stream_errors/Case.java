// stream_errors: failing stages, resume and retry.
import dev.akt.*;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

public class Case {
    static String listed(List<?> values) {
        return values.isEmpty() ? "-" : values.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    /** {error name, reason} of how it ended. */
    static String[] outcome(Stream<?> s) {
        try {
            s.result().get(5, TimeUnit.SECONDS);
            return new String[] {"ok", ""};
        } catch (Exception e) {
            Throwable c = e.getCause();
            String reason = c instanceof ActorFailedException f && f.reason() != null ? f.reason() : "";
            return new String[] {Conf.errorName(e), reason};
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();

        // 1. fail
        Stream<List<Long>> s = Source.range(0, 100).map(x -> {
            if (x == 5) throw new IllegalStateException("no 5");
            return x;
        }).named("boom").runWith(Sink.collect(), system);
        String[] o = outcome(s);
        Conf.say("fail", o[0]);
        Conf.say("fail.reason", o[1]);
        StageMetrics m = s.metrics().get(1);
        Conf.say("fail.metrics", "in " + m.elementsIn() + " out " + m.elementsOut() + " errors " + m.errors());

        // 2. resume
        s = Source.range(0, 10).map(x -> {
            if (x % 2 == 1) throw new IllegalStateException("odd");
            return x;
        }).onError(Source.OnError.RESUME).runWith(Sink.collect(), system);
        Conf.say("resume", listed(s.result().get(5, TimeUnit.SECONDS)));
        m = s.metrics().get(1);
        Conf.say("resume.metrics", "errors " + m.errors() + " drops " + m.drops());

        // 3-4. retry within and beyond its budget
        for (int budget = 2; budget >= 1; budget--) {
            long[] calls = {0};
            s = Source.range(0, 4).map(x -> {
                if (calls[0]++ % 3 != 0) throw new IllegalStateException("not yet");
                return x;
            }).onError(Source.OnError.RETRY, budget).runWith(Sink.collect(), system);
            if (budget == 2) {
                Conf.say("retry", listed(s.result().get(5, TimeUnit.SECONDS)));
                Conf.say("retry.errors", String.valueOf(s.metrics().get(1).errors()));
            } else {
                Conf.say("retry.exhausted", outcome(s)[0]);
                Conf.say("retry.exhausted.errors", String.valueOf(s.metrics().get(1).errors()));
            }
        }

        // 5. filter
        o = outcome(Source.range(0, 10).filter(x -> {
            if (x == 3) throw new IllegalStateException("three");
            return true;
        }).runWith(Sink.collect(), system));
        Conf.say("filter", o[0]);
        Conf.say("filter.reason", o[1]);

        // 6. fold
        o = outcome(Source.range(1, 11).runWith(Sink.fold(0L, (Long acc, Long x) -> {
            if (acc > 10) throw new ArithmeticException("too much");
            return acc + x;
        }), system));
        Conf.say("fold", o[0]);
        Conf.say("fold.reason", o[1]);

        // 7. unfold with resume
        Iterable<Long> counting = () -> new Iterator<>() {
            long n;

            @Override
            public boolean hasNext() {
                return n <= 5;
            }

            @Override
            public Long next() {
                long v = n++;
                if (v == 3) throw new IllegalStateException("three");
                if (v > 5) throw new NoSuchElementException();
                return v;
            }
        };
        Stream<List<Long>> u = Source.fromIterable(counting).onError(Source.OnError.RESUME)
                .runWith(Sink.collect(), system);
        Conf.say("unfold.resume", listed(u.result().get(5, TimeUnit.SECONDS)));
        Conf.say("unfold.resume.drops", String.valueOf(u.metrics().get(0).drops()));

        Conf.finish(system);
    }
}
