// headers: metadata told with a message, read in receive, kept by forward, refused when bad.
import dev.akt.*;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

public class Case {
    static String headersText(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return "none";
        }
        return new TreeMap<>(headers).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    static String note(Pid pid, Map<String, String> headers) {
        return Conf.rc(() -> pid.tell(Conf.msg("conf.Note", ""), headers));
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        String[] kept = {"none"};
        Pid sink = sys.spawn("sink", (ctx, msg) -> {
            if (Conf.is(msg, "conf.Note")) {
                kept[0] = headersText(ctx.headers());
            } else if (Conf.is(msg, "conf.Get")) {
                Conf.respond(ctx, "conf.Headers", kept[0]);
            } else {
                ctx.unhandled();
            }
        });
        Pid relay = sys.spawn("relay", (ctx, msg) -> ctx.forward(sink));

        note(sink, Map.of("trace", "t1", "tenant", "acme"));
        Conf.say("direct", Conf.askStr(sink, "conf.Get", ""));
        note(sink, Map.of());
        Conf.say("none", Conf.askStr(sink, "conf.Get", ""));
        note(relay, Map.of("trace", "t2"));
        Conf.say("forwarded", Conf.askStr(relay, "conf.Get", ""));
        Conf.say("bad.name", note(sink, Map.of("a key", "v")));
        Conf.say("bad.size", note(sink, Map.of("big", "x".repeat(8193))));
        Conf.say("after_bad", Conf.askStr(sink, "conf.Get", ""));

        Conf.finish(sys);
    }
}
