// stream_backpressure: bounded in-flight elements, buffer overflow strategies, drain and
// cancel.
import dev.akt.*;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

public class Case {
    /** The slow sink: records what it sees, 1 ms per element. */
    static final class Slow {
        final List<Long> seen = new CopyOnWriteArrayList<>();

        void accept(Long x) {
            seen.add(x);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean fromZero() {
            for (int i = 0; i < seen.size(); i++) {
                if (seen.get(i) != i) return false;
            }
            return true;
        }

        boolean increasing() {
            for (int i = 1; i < seen.size(); i++) {
                if (seen.get(i) <= seen.get(i - 1)) return false;
            }
            return true;
        }
    }

    static void awaitSink(Stream<?> s, int sink, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.metrics().get(sink).elementsIn() < n) {
            if (System.nanoTime() > deadline) throw Conf.fatal("the sink never received " + n);
            Thread.sleep(1);
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();

        // 1. slow sink, fast source; the sink samples the metrics at each element.
        Slow slow = new Slow();
        AtomicReference<Stream<Void>> ref = new AtomicReference<>();
        AtomicLong worst = new AtomicLong();
        Stream<Void> s = Source.range(0, 200).map(x -> x).window(4).fusion(false).runWith(Sink.forEach((Long x) -> {
            Stream<Void> st = ref.get();
            if (st != null) {
                List<StageMetrics> m = st.metrics();
                worst.accumulateAndGet(m.get(0).elementsOut() - m.get(2).elementsIn(), Math::max);
            }
            slow.accept(x);
        }), system);
        ref.set(s);
        s.result().get(60, TimeUnit.SECONDS);
        Conf.say("slow.seen", String.valueOf(slow.seen.size()));
        Conf.say("slow.order", slow.fromZero() ? "kept" : "broken");
        Conf.say("slow.in_flight", worst.get() > 0 && worst.get() <= 10 ? "bounded" : "unbounded");

        // 2-3. buffers
        String[] names = {"drop_tail", "drop_head", "backpressure"};
        Source.Overflow[] kinds = {Source.Overflow.DROP_TAIL, Source.Overflow.DROP_HEAD, Source.Overflow.BACKPRESSURE};
        for (int i = 0; i < names.length; i++) {
            Slow k = new Slow();
            Stream<Void> b = Source.range(0, 300).buffer(4, kinds[i]).runWith(Sink.forEach(k::accept), system);
            b.result().get(100, TimeUnit.SECONDS);
            long drops = b.metrics().get(1).drops();
            if (kinds[i] == Source.Overflow.BACKPRESSURE) {
                Conf.say(names[i], "seen " + k.seen.size() + " dropped " + drops);
                continue;
            }
            Conf.say(names[i], "seen+dropped " + (k.seen.size() + drops));
            Conf.say(names[i] + ".order", k.increasing() ? "kept" : "broken");
        }

        // 4. drain
        AtomicLong counter = new AtomicLong();
        Stream<List<Long>> d = Source.<Object, Long>unfold(null, st -> new Object[] {st, counter.getAndIncrement()})
                .runWith(Sink.collect(), system);
        awaitSink(d, 1, 50);
        d.drain();
        List<Long> got = List.of();
        try {
            got = d.result().get(5, TimeUnit.SECONDS);
            Conf.say("drain", "ok");
        } catch (Exception e) {
            Conf.say("drain", Conf.errorName(e));
        }
        Conf.say("drain.lost", String.valueOf(d.metrics().get(0).elementsOut() - got.size()));
        boolean kept = true;
        for (int i = 0; i < got.size(); i++) kept &= got.get(i) == i;
        Conf.say("drain.order", kept ? "kept" : "broken");

        // 5. cancel
        Stream<Void> c = Source.<Object, Long>unfold(null, st -> new Object[] {st, counter.getAndIncrement()})
                .runWith(Sink.ignore(), system);
        awaitSink(c, 1, 50);
        c.cancel();
        try {
            c.result().get(5, TimeUnit.SECONDS);
            Conf.say("cancel", "ok");
        } catch (Exception e) {
            Conf.say("cancel", Conf.errorName(e));
        }

        Conf.finish(system);
    }
}
