// routers: round-robin order, broadcast, consistent hash, scatter-gather-first.
import dev.akt.*;
import java.time.Duration;
import java.util.List;

public class Case {
    /** A worker: conf.Who -> conf.Me <path>; conf.Note <t> -> journal; conf.Race -> only w1
     *  answers. */
    static void worker(Context ctx, Object msg) {
        String me = Conf.selfPath(ctx);
        if (Conf.is(msg, "conf.Who")) {
            Conf.respond(ctx, "conf.Me", me);
        } else if (Conf.is(msg, "conf.Note")) {
            Conf.log("note", me + " " + Conf.text(msg));
        } else if (Conf.is(msg, "conf.Race")) {
            if (me.endsWith("/w1")) {
                Conf.respond(ctx, "conf.Me", me);
            }
        } else {
            ctx.unhandled();
        }
    }

    static Router router(ActorSystem sys, String name, Router.Strategy s, List<Pid> w) {
        return sys.spawnRouter(w, new Router.Options().name(name).strategy(s).within(Duration.ofSeconds(2)));
    }

    public static void main(String[] args) {
        // Kinds before the system: run.py --remote's node B spawns them by name.
        Conf.kind("worker", () -> Case::worker);
        ActorSystem sys = Conf.system();
        List<Pid> w = List.of(Conf.spawn(sys, "w0", "worker"), Conf.spawn(sys, "w1", "worker"),
                Conf.spawn(sys, "w2", "worker"));

        // 1. Round-robin: in routee order.
        Router rr = router(sys, "rr", Router.Strategy.ROUND_ROBIN, w);
        for (int i = 0; i < 4; i++) {
            Conf.say("rr", Conf.askStr(rr.pid(), "conf.Who", ""));
        }

        // 2. Broadcast: every routee.
        rr.broadcast(Conf.msg("conf.Note", "hello"));
        Conf.waitLog(3);
        Conf.flushSorted();

        // 3. Consistent hash: one key, one routee.
        Router ch = router(sys, "ch", Router.Strategy.CONSISTENT_HASH, w);
        for (String key : List.of("k1", "k2")) {
            String a = Conf.askStr(ch.pid(), "conf.Who", key);
            String b = Conf.askStr(ch.pid(), "conf.Who", key);
            Conf.say("ch." + key, a.equals(b) ? "same" : "different");
        }

        // 4. Scatter-gather-first: the first (here the only) reply answers.
        Router sg = router(sys, "sg", Router.Strategy.SCATTER_GATHER_FIRST, w);
        Conf.say("sg", Conf.askStr(sg.pid(), "conf.Race", ""));

        // 5. The routees.
        Conf.say("routees", String.valueOf(rr.routees().size()));

        Conf.finish(sys);
    }
}
