import dev.akt.*;
import java.util.Map;

/** propagation: a user propagator carries a tenant header from hop to hop. */
public final class Case {
    public static void main(String[] args) {
        ActorSystem sys = ActorSystem.builder("conf")
                .propagator(h -> Map.of("tenant", h.getOrDefault("tenant", "none"))).build();
        Pid last = sys.spawn("last", (ctx, msg) -> {
            if (Conf.is(msg, "conf.Hop")) {
                Conf.log("got", Conf.text(msg) + " tenant=" + ctx.headers().getOrDefault("tenant", "-"));
            } else {
                ctx.unhandled();
            }
        });
        Pid mid = sys.spawn("mid", (ctx, msg) -> {
            if (Conf.is(msg, "conf.Hop")) {
                ctx.tell(last, Conf.msg("conf.Hop", Conf.text(msg)));
            } else if (Conf.is(msg, "conf.Own")) {
                ctx.tell(last, Conf.msg("conf.Hop", Conf.text(msg)), Map.of("tenant", "mine"));
            } else {
                ctx.unhandled();
            }
        });
        Pid first = sys.spawn("first", (ctx, msg) -> {
            if (Conf.is(msg, "conf.Hop")) {
                ctx.tell(mid, Conf.msg("conf.Hop", Conf.text(msg)));
            } else {
                ctx.unhandled();
            }
        });

        // 1. Two hops on.
        first.tell(Conf.msg("conf.Hop", "a"), Map.of("tenant", "acme"));
        Conf.waitLog(1);
        Conf.flush();
        // 2. Injected at the send from outside.
        first.tell(Conf.msg("conf.Hop", "b"));
        Conf.waitLog(1);
        Conf.flush();
        // 3. The sender's own header wins.
        mid.tell(Conf.msg("conf.Own", "c"), Map.of("tenant", "acme"));
        Conf.waitLog(1);
        Conf.flush();

        Conf.finish(sys);
    }
}
