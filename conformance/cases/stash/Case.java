// stash: stash while closed, unstash one, unstash all, and their place in the mailbox.
import dev.akt.*;

public class Case {
    /** conf.Item is handled when the gate is open and stashed when it is closed; the journal
     *  tells the story in the order the gate saw it. */
    static final class Gate implements Actor {
        boolean open; // starts closed

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Item")) {
                String text = Conf.text(msg);
                if (open) {
                    Conf.log("handled", text);
                } else {
                    Conf.log("stashed", text);
                    ctx.stash();
                }
            } else if (Conf.is(msg, "conf.Open") || Conf.is(msg, "conf.Close")) {
                open = Conf.is(msg, "conf.Open");
                Conf.log(open ? "open" : "close", "ok");
            } else if (Conf.is(msg, "conf.Unstash")) {
                Conf.log("unstash", ctx.unstash() ? "ok" : "AKT_EAGAIN");
            } else if (Conf.is(msg, "conf.UnstashAll")) {
                Conf.log("unstash_all", Conf.rc(ctx::unstashAll));
            } else if (Conf.is(msg, "conf.Ping")) {
                Conf.respond(ctx, "conf.Pong", "");
            } else {
                ctx.unhandled();
            }
        }
    }

    /** All tells come from main, so the gate sees them in this order. */
    static void tell(Pid pid, String type, String text) {
        pid.tell(Conf.msg(type, text));
    }

    static void syncAndPrint(Pid pid) {
        Conf.say("ping", Conf.askStr(pid, "conf.Ping", ""));
        Conf.flush();
    }

    public static void main(String[] args) {
        // Kinds before the system: run.py --remote's node B spawns them by name.
        Conf.kind("gate", Gate::new);
        ActorSystem sys = Conf.system();
        Pid pid = Conf.spawn(sys, "gate");

        // 1. Closed: everything is stashed.
        tell(pid, "conf.Item", "a");
        tell(pid, "conf.Item", "b");
        tell(pid, "conf.Item", "c");
        syncAndPrint(pid);

        // 2. Unstash takes the oldest; unstash all the rest, in order; then nothing is left.
        tell(pid, "conf.Open", "");
        tell(pid, "conf.Unstash", "");
        tell(pid, "conf.Item", "d");
        tell(pid, "conf.UnstashAll", "");
        tell(pid, "conf.Unstash", "");
        syncAndPrint(pid);

        // 3. Unstashed messages go before the ones already waiting in the mailbox.
        tell(pid, "conf.Close", "");
        tell(pid, "conf.Item", "e");
        tell(pid, "conf.Item", "f");
        tell(pid, "conf.Open", "");
        tell(pid, "conf.Item", "g");
        tell(pid, "conf.UnstashAll", "");
        tell(pid, "conf.Item", "h");
        syncAndPrint(pid);

        Conf.finish(sys);
    }
}
