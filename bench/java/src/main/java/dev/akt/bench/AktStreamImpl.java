package dev.akt.bench;

import dev.akt.ActorSystem;
import dev.akt.Sink;
import dev.akt.Source;

/** akt's Java stream DSL on a system with the default options (one worker per core). */
final class AktStreamImpl implements StreamBench.Impl {
    private final ActorSystem system = ActorSystem.create("stream-bench");
    private final int window;

    AktStreamImpl(int window) {
        this.window = window;
    }

    @Override
    public String name() {
        return "akt-java";
    }

    @Override
    public long run(int n, boolean fused) throws Exception {
        Source<Long> src = Source.range(0, n).map(x -> x + 1).filter(x -> (x & 1) == 0)
                .map(x -> x * 3).window(window).fusion(fused);
        return src.runWith(Sink.fold(0L, (Long a, Long x) -> a + x), system).result()
                .get(StreamBench.TIMEOUT_S, StreamBench.SECONDS);
    }

    @Override
    public void close() {
        system.close();
    }
}
