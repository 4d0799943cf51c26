// telemetry_trace: a request through three actors is one trace; spans by stable labels.
import dev.akt.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public class Case {
    static final List<Span> SPANS = new ArrayList<>();
    static String cSaw = "";

    static void waitSpans(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        synchronized (SPANS) {
            while (SPANS.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw Conf.fatal("only " + SPANS.size() + " spans of " + n);
                SPANS.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        ActorSystem sys = Conf.system();
        Tracing.setSink(sys, s -> {
            synchronized (SPANS) {
                SPANS.add(s);
                SPANS.notifyAll();
            }
        });
        Pid c = sys.spawn("c", (ctx, msg) -> {
            synchronized (SPANS) {
                cSaw = ctx.headers().getOrDefault(Tracing.HEADER, "");
            }
        });
        Pid b = sys.spawn("b", (ctx, msg) -> ctx.tell(c, Conf.msg("conf.Step", "")));
        Pid a = sys.spawn("a", (ctx, msg) -> ctx.tell(b, Conf.msg("conf.Step", "")));
        a.tell(Conf.msg("conf.Go", ""));
        waitSpans(3);
        List<Span> got;
        synchronized (SPANS) {
            got = new ArrayList<>(SPANS.subList(0, 3));
        }
        List<Span> order = new ArrayList<>();
        for (Span s : got) if (s.parentId() == null) order.add(s);
        while (!order.isEmpty() && order.size() < 3) {
            String last = order.get(order.size() - 1).spanId();
            Optional<Span> next = got.stream().filter(s -> last.equals(s.parentId())).findFirst();
            if (next.isEmpty()) break;
            order.add(next.get());
        }
        if (order.size() != 3) throw Conf.fatal("the spans are not one chain");
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 3; i++) labels.put(order.get(i).spanId(), "S" + (i + 1));
        for (int i = 0; i < 3; i++) {
            Span s = order.get(i);
            String path = s.actorPath().substring(s.actorPath().indexOf("/user"));
            String parent = s.parentId() == null ? "none" : labels.getOrDefault(s.parentId(), "none");
            String trace = s.traceId().equals(order.get(0).traceId()) ? "T1" : "T2";
            Conf.say("span", "S" + (i + 1) + " " + s.name() + " " + path + " parent=" + parent
                    + " trace=" + trace + " status=" + s.status());
        }
        String saw;
        synchronized (SPANS) {
            saw = cSaw;
        }
        Conf.say("c.saw", Tracing.parseTraceparent(saw).map(t -> labels.getOrDefault(t.spanId(), "?")).orElse("?"));
        c.tell(Conf.msg("conf.Step", ""), Map.of(Tracing.HEADER, "00-bad"));
        waitSpans(4);
        Span fourth;
        synchronized (SPANS) {
            fourth = SPANS.get(3);
        }
        Conf.say("invalid", Tracing.invalidCount(sys) + " root=" + (fourth.parentId() == null ? "yes" : "no"));
        Conf.finish(sys);
    }
}
