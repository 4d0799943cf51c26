// watch: death watch, unwatch, watching an actor that is already gone.
import dev.akt.*;
import java.util.LinkedHashMap;
import java.util.Map;

public class Case {
    /** The watcher remembers, for each name it was asked to watch, the pid and the path it had
     *  then: a stopped actor has no path any more, so Terminated is matched by pid. */
    static final class Watcher implements Actor {
        record Watched(Pid pid, String path) {}

        final Map<String, Watched> watched = new LinkedHashMap<>();

        /** conf.Watch "<name>": look the name up, remember it, watch it -> conf.Done "<ok|error>".
         *  conf.Unwatch "<name>": unwatch the remembered pid. conf.Rewatch "<name>": watch the
         *  remembered pid again. Terminated -> journal "terminated: <remembered path>". */
        @Override
        public void receive(Context ctx, Object msg) {
            if (msg instanceof Terminated t) {
                for (Watched w : watched.values()) {
                    if (w.pid().equals(t.pid())) {
                        Conf.log("terminated", w.path());
                        return;
                    }
                }
                Conf.log("terminated", "an actor that was never watched");
            } else if (Conf.is(msg, "conf.Watch")) {
                String name = Conf.text(msg);
                Conf.respond(ctx, "conf.Done", Conf.rc(() -> {
                    Pid pid = ctx.system().lookup(name);
                    watched.put(name, new Watched(pid, Conf.path(pid)));
                    ctx.watch(pid);
                }));
            } else if (Conf.is(msg, "conf.Unwatch") || Conf.is(msg, "conf.Rewatch")) {
                Watched w = watched.get(Conf.text(msg));
                String rc = w == null ? "AKT_ENOTFOUND"
                        : Conf.is(msg, "conf.Unwatch") ? Conf.rc(() -> ctx.unwatch(w.pid()))
                        : Conf.rc(() -> ctx.watch(w.pid()));
                Conf.respond(ctx, "conf.Done", rc);
            } else if (Conf.is(msg, "conf.Ping")) {
                Conf.respond(ctx, "conf.Pong", "");
            } else {
                ctx.unhandled();
            }
        }
    }

    static void step(Pid pid, String name, String type, String text) {
        Conf.say(name, Conf.askStr(pid, type, text));
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Pid watcher = sys.spawn("watcher", new Watcher());
        // The watched actors do nothing but exist.
        Pid w1 = sys.spawn("w1", (ctx, msg) -> ctx.unhandled());
        Pid w2 = sys.spawn("w2", (ctx, msg) -> ctx.unhandled());
        Pid w3 = sys.spawn("w3", (ctx, msg) -> ctx.unhandled());

        // 1. Watch w1 and w2, then unwatch w2; a name that is no actor cannot be watched.
        step(watcher, "watch.w1", "conf.Watch", "w1");
        step(watcher, "watch.w2", "conf.Watch", "w2");
        step(watcher, "unwatch.w2", "conf.Unwatch", "w2");
        step(watcher, "watch.nobody", "conf.Watch", "nobody");

        // 2. The unwatched w2 stops first; only w1's Terminated arrives.
        Conf.say("stop.w2", Conf.stopGraceful(w2));
        Conf.say("stop.w1", Conf.stopGraceful(w1));
        Conf.waitLog(1);
        step(watcher, "ping", "conf.Ping", "");
        Conf.flush();

        // 3. Watching twice is one watch: one Terminated for w3.
        step(watcher, "watch.w3", "conf.Watch", "w3");
        step(watcher, "rewatch.w3", "conf.Rewatch", "w3");
        Conf.say("stop.w3", Conf.rc(() -> w3.stop()));
        Conf.waitLog(1);
        step(watcher, "ping", "conf.Ping", "");
        Conf.flush();

        // 4. Watching an actor that is already gone: Terminated at once.
        step(watcher, "rewatch.w1", "conf.Rewatch", "w1");
        Conf.waitLog(1);
        Conf.flush();

        Conf.finish(sys);
    }
}
