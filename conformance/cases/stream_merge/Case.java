// stream_merge: flatMap merge with a breadth, and the room signal of a queue source.
import dev.akt.*;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

public class Case {
    static Stream<List<Long>> merge(ActorSystem system, int breadth, boolean withFailure, boolean resume) {
        Source<Long> src = Source.range(1, 6).flatMapMerge(breadth, x -> {
            Source<Long> in = Source.range(x * 10, x * 10 + x);
            return withFailure && x == 3 ? in.map(v -> {
                if (v == 31) {
                    throw new IllegalStateException("31");
                }
                return v;
            }) : in;
        });
        if (resume) {
            src = src.onError(Source.OnError.RESUME);
        }
        return src.runWith(Sink.collect(), system);
    }

    static String joined(List<Long> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    static List<Long> sorted(List<Long> xs) {
        List<Long> l = new ArrayList<>(xs);
        Collections.sort(l);
        return l;
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();

        // 1.
        List<Long> out = merge(system, 3, false, false).result().get(5, TimeUnit.SECONDS);
        boolean ordered = true;
        for (int i = 0; i < out.size(); i++) {
            for (int j = i + 1; j < out.size(); j++) {
                if (out.get(i) / 10 == out.get(j) / 10 && out.get(i) > out.get(j)) {
                    ordered = false;
                }
            }
        }
        Conf.say("merge.sorted", joined(sorted(out)));
        Conf.say("merge.per_inner_order", ordered ? "yes" : "no");

        // 2.
        Conf.say("merge.breadth1", joined(merge(system, 1, false, false).result().get(5, TimeUnit.SECONDS)));

        // 3.
        Stream<List<Long>> f = merge(system, 3, true, false);
        try {
            f.result().get(5, TimeUnit.SECONDS);
            Conf.say("merge.failed", "completed");
        } catch (ExecutionException e) {
            Conf.say("merge.failed", f.reason());
        }
        Conf.say("merge.resume", joined(sorted(merge(system, 3, true, true).result().get(5, TimeUnit.SECONDS))));

        // 4.
        Stream<List<Long>> q = Source.<Long>queue(2).runWith(Sink.collect(), system);
        for (long x = 1; x <= 20; x++) {
            q.offerAsync(x).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        q.complete();
        Conf.say("queue.result", joined(q.result().get(5, TimeUnit.SECONDS)));
        Conf.say("queue.after_complete", Conf.rc(() -> q.offerAsync(99L).toCompletableFuture().join()));

        Conf.finish(system);
    }
}
