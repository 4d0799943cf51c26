import dev.akt.*;
import java.util.ArrayList;
import java.util.List;

/**
 * The actors of the supervision cases (supervision_all_for_one, retry_window, backoff,
 * error_rules, supervision, suspend_reinstate): a worker, a manager that spawns workers, an observer that logs the end of the
 * actors it watches. Each case brings only its supervisor (C: conformance/c/conf_supervised.c).
 */
public final class Supervised {
    private Supervised() {}

    /** The kind "invalid" (error_rules). */
    public static class InvalidInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidInput(String m) {
            super(m);
        }
    }

    /** The kind "fatal": an InvalidInput too, with a rule of its own (error_rules). */
    public static final class Fatal extends InvalidInput {
        private static final long serialVersionUID = 1L;

        Fatal(String m) {
            super(m);
        }
    }

    /** Counts conf.Incr (conf.Get answers conf.Count); conf.Fail fails; conf.Mark logs handled. */
    public static final class Worker implements Actor {
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
            } else if (Conf.is(msg, "conf.Mark")) {
                Conf.log("handled", Conf.selfPath(ctx) + " " + Conf.text(msg) + " n=" + n);
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

    /**
     * conf.SpawnWorker "<name>" spawns a Worker child named so; conf.SpawnManager "<name>" spawns
     * a Manager child named so whose children the child supervisor supervises.
     */
    public static final class Manager implements Actor {
        private final SupervisorStrategy childSupervisor;

        public Manager() {
            this(null);
        }

        /** childSupervisor: for the children of the managers it spawns (null: the default). */
        public Manager(SupervisorStrategy childSupervisor) {
            this.childSupervisor = childSupervisor;
        }

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
            } else if (Conf.is(msg, "conf.SpawnManager")) {
                Props props = childSupervisor == null ? Props.of(new Manager())
                        : Props.of(new Manager()).withSupervisor(childSupervisor);
                Conf.respond(ctx, "conf.Done", Conf.rc(() -> ctx.spawn(Conf.text(msg), props)));
            } else {
                ctx.unhandled();
            }
        }
    }

    /** conf.Watch "<path>" watches that actor; its Terminated logs terminated "<path>". */
    public static final class Observer implements Actor {
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
}
