// async_receive: an AsyncActor keeps its message until its stage completes; the order around
// the wait, a failure after it, an A -> B -> A cycle under ALLOW_ALL.
import dev.akt.*;
import java.util.concurrent.CompletionStage;

public class Case {
    static final class Server implements Actor {
        boolean holding;

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Hold")) {
                holding = true;
            } else if (Conf.is(msg, "conf.Release")) {
                holding = false;
                ctx.unstashAll();
            } else if (Conf.is(msg, "conf.Inc")) {
                if (holding) {
                    ctx.stash();
                } else {
                    Conf.respond(ctx, "conf.Done", Conf.text(msg) + "!");
                }
            } else if (Conf.is(msg, "conf.Bounce")) {
                ctx.forward(ctx.sender());
            } else {
                ctx.unhandled();
            }
        }
    }

    static Pid server;

    /** The stage's value is the answer. */
    static final class Worker implements AsyncActor {
        @Override
        public void preStart(Context ctx) {
            Conf.log("pre_start", "ok");
        }

        @Override
        public CompletionStage<?> receiveAsync(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Work")) {
                String t = Conf.text(msg);
                Conf.log("start", t);
                return ctx.request(server, Conf.msg("conf.Inc", t), null).thenApply(reply -> {
                    Conf.log("end", t + " " + Conf.text(reply));
                    return Conf.msg("conf.Done", Conf.text(reply));
                });
            } else if (Conf.is(msg, "conf.Item")) {
                Conf.log("item", Conf.text(msg));
            } else if (Conf.is(msg, "conf.Boom")) {
                return ctx.request(server, Conf.msg("conf.Inc", "boom"), null).thenApply(reply -> {
                    throw new IllegalStateException("boom after await");
                });
            } else if (Conf.is(msg, "conf.Bounce")) {
                Conf.log("bounced", "ok");
                Conf.respond(ctx, "conf.Pong", "");
            } else if (Conf.is(msg, "conf.Cycle")) {
                return ctx.request(server, Conf.msg("conf.Bounce", ""), null)
                        .thenApply(reply -> Conf.msg("conf.Done", ((BytesMessage) reply).type()));
            } else {
                ctx.unhandled();
            }
            return null;
        }
    }

    static void tell(Pid pid, String type, String text) {
        pid.tell(Conf.msg(type, text));
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        server = sys.spawn("server", new Server());

        // 1. The item waits for the end of the work.
        Pid worker = sys.spawn("worker", new Worker());
        Conf.waitLog(1);
        Conf.flush();
        tell(server, "conf.Hold", "");
        tell(worker, "conf.Work", "a");
        tell(worker, "conf.Item", "x");
        Conf.waitLog(1);
        tell(server, "conf.Release", "");
        Conf.waitLog(3);
        Conf.flush();

        // 2. The answer comes after the wait.
        Conf.say("work", Conf.askStr(worker, "conf.Work", "b"));
        Conf.waitLog(2);
        Conf.flush();

        // 3. A failure after the wait restarts the worker.
        Conf.say("boom", Conf.askStr(worker, "conf.Boom", ""));
        Conf.say("work", Conf.askStr(worker, "conf.Work", "c"));
        Conf.waitLog(3);
        Conf.flush();

        // 4. ALLOW_ALL: the bounce runs while the cycle waits.
        Pid allow = sys.spawn("allow", Props.of(new Worker()).withReentrancy(Reentrancy.ALLOW_ALL));
        Conf.say("cycle", Conf.askStr(allow, "conf.Cycle", ""));
        Conf.waitLog(2);
        Conf.flush();

        Conf.finish(sys);
    }
}
