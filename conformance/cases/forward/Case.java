// forward: a forwarded message keeps its original sender and asker.
import dev.akt.*;

public class Case {
    static String senderPath(Context ctx) {
        Pid sender = ctx.sender();
        return sender == null ? "-" : Conf.path(sender);
    }

    /** back: conf.Question "<t>" -> journal "back: <t> from=<sender>", responds
     *  conf.Answer "back:<t>". */
    static void back(Context ctx, Object msg) {
        if (!Conf.is(msg, "conf.Question")) {
            ctx.unhandled();
            return;
        }
        String text = Conf.text(msg);
        Conf.log("back", text + " from=" + senderPath(ctx));
        Conf.respond(ctx, "conf.Answer", "back:" + text);
    }

    /** front: conf.Question "<t>" -> journal "front: <t>", forwards it to back. */
    static void front(Context ctx, Object msg) {
        if (!Conf.is(msg, "conf.Question")) {
            ctx.unhandled();
            return;
        }
        Pid back = ctx.system().lookup("back");
        Conf.log("front", Conf.text(msg));
        ctx.forward(back);
    }

    /** client: conf.Start "<t>" -> tells front conf.Question "<t>" as itself, responds
     *  conf.Started; conf.Answer -> journal "client: <answer> from=<sender>". */
    static void client(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Start")) {
            Pid front = ctx.system().lookup("front");
            ctx.tell(front, Conf.msg("conf.Question", Conf.text(msg)));
            Conf.respond(ctx, "conf.Started", "");
        } else if (Conf.is(msg, "conf.Answer")) {
            Conf.log("client", Conf.replyStr(msg) + " from=" + senderPath(ctx));
        } else {
            ctx.unhandled();
        }
    }

    public static void main(String[] args) {
        // Kinds before the system: run.py --remote's node B spawns them by name.
        Conf.kind("back", () -> Case::back);
        Conf.kind("front", () -> Case::front);
        Conf.kind("client", () -> Case::client);
        ActorSystem sys = Conf.system();
        Conf.spawn(sys, "back");
        Pid front = Conf.spawn(sys, "front");
        Pid client = Conf.spawn(sys, "client");

        // 1. Ask front; back answers the asker directly.
        Conf.say("ask.front", Conf.askStr(front, "conf.Question", "q1"));
        Conf.flush();

        // 2. The client tells front; back sees the client as sender and answers it.
        Conf.say("start.client", Conf.askStr(client, "conf.Start", "q2"));
        Conf.waitLog(3);
        Conf.flush();

        Conf.finish(sys);
    }
}
