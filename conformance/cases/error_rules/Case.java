// error_rules: rules by exception class answer before the decider, the most specific first.
import dev.akt.*;
import java.util.ArrayList;
import java.util.List;

public class Case {
    /** The kind "invalid". */
    static class InvalidInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidInput(String m) {
            super(m);
        }
    }

    /** The kind "fatal": an InvalidInput too, with a rule of its own. */
    static final class Fatal extends InvalidInput {
        private static final long serialVersionUID = 1L;

        Fatal(String m) {
            super(m);
        }
    }

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
                throw switch (text) {
                    case "invalid" -> new InvalidInput(text);
                    case "fatal" -> new Fatal(text);
                    default -> new RuntimeException(text);
                };
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

    static final SupervisorStrategy RULES = SupervisorStrategy.oneForOne(f -> {
        Conf.log("decide", f.errorName() + " -> restart");
        return Directive.RESTART;
    }).withRule(InvalidInput.class, Directive.RESUME).withRule(Fatal.class, Directive.STOP);

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. A parent with rules and a decider, and an observer.
        Pid boss = sys.spawn("boss", Props.of(new Manager()).withSupervisor(RULES));
        Pid observer = sys.spawn("observer", new Observer());

        // 2. The child, watched.
        Conf.say("spawn.w", Conf.askStr(boss, "conf.SpawnWorker", "w"));
        Pid w = sys.lookup("boss/w");
        Conf.say("watch.w", Conf.askStr(observer, "conf.Watch", "boss/w"));
        Conf.flushSorted();

        // 3. A rule resumes, without the decider.
        w.tell(Conf.msg("conf.Incr", ""));
        w.tell(Conf.msg("conf.Fail", "invalid"));
        w.tell(Conf.msg("conf.Incr", ""));
        Conf.say("count.resumed", Conf.askStr(w, "conf.Get", ""));
        Conf.flush();

        // 4. No rule: the decider restarts.
        w.tell(Conf.msg("conf.Fail", "other"));
        w.tell(Conf.msg("conf.Incr", ""));
        Conf.say("count.restarted", Conf.askStr(w, "conf.Get", ""));
        Conf.flush();

        // 5. A rule stops (Fatal's own rule, not InvalidInput's).
        w.tell(Conf.msg("conf.Fail", "fatal"));
        Conf.waitLog(3); // fail, post_stop, terminated
        Conf.flush();
        Conf.say("alive.w", w.isAlive() ? "1" : "0");

        Conf.finish(sys);
    }
}
