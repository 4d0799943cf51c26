package dev.akt.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import scala.concurrent.Await;

/**
 * Pekko Streams' Java DSL, the default configuration (default dispatcher) but for the input
 * buffers: initial and max both {@code window}, as akt's credit window. Unfused: an async
 * boundary ({@code .async()}) after the source and after each middle stage, so that each of
 * the 5 stages runs in an actor of its own, as akt with fusion off.
 */
final class PekkoStreamImpl implements StreamBench.Impl {
    private final ActorSystem system;

    PekkoStreamImpl(int window) {
        Config c = ConfigFactory.parseString("pekko.stream.materializer.initial-input-buffer-size = "
                + window + "\npekko.stream.materializer.max-input-buffer-size = " + window
                + "\npekko.loglevel = WARNING").withFallback(ConfigFactory.load());
        system = ActorSystem.create("stream-bench", c);
    }

    @Override
    public String name() {
        return "pekko";
    }

    @Override
    public long run(int n, boolean fused) throws Exception {
        Source<Long, ?> src;
        if (fused) {
            src = Source.range(0, n - 1).map(x -> x + 1L).filter(x -> (x & 1) == 0).map(x -> x * 3);
        } else {
            src = Source.range(0, n - 1).async().map(x -> x + 1L).async().filter(x -> (x & 1) == 0)
                    .async().map(x -> x * 3).async();
        }
        return src.runWith(Sink.fold(0L, (Long a, Long x) -> a + x), system).toCompletableFuture()
                .get(StreamBench.TIMEOUT_S, StreamBench.SECONDS);
    }

    @Override
    public void close() {
        system.terminate();
        try {
            Await.result(system.whenTerminated(), scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            // shutting down anyway
        }
    }
}
