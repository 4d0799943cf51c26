// stream_actor: an actor as a stream's source and sink, and the parallel map.
import dev.akt.*;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

public class Case {
    static void mapAsync(ActorSystem system, String step, boolean ordered, long failAt, boolean resume)
            throws Exception {
        java.util.function.Function<Long, java.util.concurrent.CompletionStage<Long>> fn = v ->
                CompletableFuture.supplyAsync(() -> {
                    if (v == failAt) {
                        throw new IllegalStateException("no");
                    }
                    return v * 10;
                });
        Source<Long> src = ordered ? Source.range(1, 7).mapAsync(3, fn) : Source.range(1, 7).mapAsyncUnordered(3, fn);
        if (resume) {
            src = src.onError(Source.OnError.RESUME);
        }
        Stream<List<Long>> s = src.runWith(Sink.collect(), system);
        try {
            List<Long> out = new ArrayList<>(s.result().get(5, TimeUnit.SECONDS));
            if (!ordered) {
                Collections.sort(out);
            }
            Conf.say(step, out.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        } catch (ExecutionException e) {
            Conf.say(step, s.reason());
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();
        Pid target = system.spawn("target", (ctx, msg) -> {
            if ("done".equals(msg)) {
                Conf.log("actor", "done");
                return;
            }
            Conf.log("actor", "got " + msg);
            ctx.respond("ack");
        });

        // 2. queue -> map -> actor
        Stream<Void> s = Source.<Long>queue(4).map(x -> x * 2).runWith(Sink.actor(target, 2, "done"), system);
        for (long x = 1; x <= 10;) {
            if (s.offer(x)) {
                x++;
            } else {
                Thread.onSpinWait(); // full: offer again
            }
        }
        s.complete();
        s.result().get(5, TimeUnit.SECONDS);
        Conf.say("queue.result", "completed");
        Conf.waitLog(11);
        Conf.flush();

        // 3.
        Conf.say("queue.after_complete", Conf.rc(() -> s.offer(99L)));

        // 4-5.
        mapAsync(system, "map_async.ordered", true, -1, false);
        mapAsync(system, "map_async.unordered", false, -1, false);
        mapAsync(system, "map_async.failed", true, 4, false);
        mapAsync(system, "map_async.resume", true, 4, true);

        Conf.finish(system);
    }
}
