// retry_window: with a budget of 2 retries in the window, the third failure stops the child.
import dev.akt.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class Case {
    /** worker: counts conf.Incr; conf.Fail "<reason>" fails with that reason. */
    static final class Worker implements Actor {
        long n;

        @Override
        public void preStart(Context ctx) {
            n = 0; // a restart starts from a fresh count
            Conf.log("pre_start", Conf.selfPath(ctx));
        }

        @Override
        public void postStop(Context ctx) {
            Conf.log("post_stop", Conf.selfPath(ctx) + " n=" + n);
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Incr")) {
                n++;
            } else if (Conf.is(msg, "conf.Get")) {
                Conf.respond(ctx, "conf.Count", Long.toString(n));
            } else if (Conf.is(msg, "conf.Fail")) {
                String text = Conf.text(msg);
                Conf.log("fail", Conf.selfPath(ctx) + " " + text);
                throw new RuntimeException(text); // the message is the failure's reason
            } else {
                ctx.unhandled();
            }
        }
    }

    /** manager: spawns workers. */
    static final class Manager implements Actor {
        @Override
        public void preStart(Context ctx) {
            Conf.log("pre_start", Conf.selfPath(ctx));
        }

        @Override
        public void postStop(Context ctx) {
            Conf.log("post_stop", Conf.selfPath(ctx));
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.SpawnWorker")) {
                Conf.respond(ctx, "conf.Done", Conf.rc(() -> ctx.spawn(Conf.text(msg), new Worker())));
            } else {
                ctx.unhandled();
            }
        }
    }

    /** observer: watches actors by path so that main can wait for their end. */
    static final class Observer implements Actor {
        final List<Pid> pids = new ArrayList<>();
        final List<String> paths = new ArrayList<>();

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Watch")) {
                Conf.respond(ctx, "conf.Done", Conf.rc(() -> {
                    Pid pid = ctx.system().lookup(Conf.text(msg));
                    pids.add(pid);
                    paths.add(Conf.path(pid));
                    ctx.watch(pid);
                }));
            } else if (msg instanceof Terminated t) {
                for (int i = 0; i < pids.size(); i++) {
                    if (pids.get(i).equals(t.pid())) {
                        Conf.log("terminated", paths.get(i));
                    }
                }
            } else {
                ctx.unhandled();
            }
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. A parent with a retry budget, and an observer.
        Pid boss = sys.spawn("boss", Props.of(new Manager())
                .withSupervisor(SupervisorStrategy.RESTART.withRetries(2, Duration.ofSeconds(60))));
        Pid observer = sys.spawn("observer", new Observer());

        // 2. The child, watched.
        Conf.say("spawn.w", Conf.askStr(boss, "conf.SpawnWorker", "w"));
        Pid w = sys.lookup("boss/w");
        Conf.say("watch.w", Conf.askStr(observer, "conf.Watch", "boss/w"));
        Conf.flushSorted();

        // 3. Three failures in the window: restart, restart, stop.
        String[][] tells = {{"conf.Incr", ""}, {"conf.Fail", "one"}, {"conf.Incr", ""},
            {"conf.Fail", "two"}, {"conf.Incr", ""}, {"conf.Fail", "three"}, {"conf.Incr", ""}};
        for (String[] t : tells) {
            w.tell(Conf.msg(t[0], t[1]));
        }
        Conf.waitLog(9); // 3 x (fail, post_stop), 2 pre_starts, terminated
        Conf.flush();

        // 4. Out of retries: stopped.
        Conf.say("alive.w", w.isAlive() ? "1" : "0");

        Conf.finish(sys);
    }
}
