// interop: a C actor (peer.h, loaded from a native library) and Java actors in one system.
import dev.akt.*;

public class Case {
    /** host: conf.Start "<t>" -> tells peer conf.Question "<t>" as itself, responds
     *  conf.Started; conf.Answer -> journal; conf.Watch -> watches peer; Terminated -> journal. */
    static void host(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Start")) {
            Pid peer = ctx.system().lookup("peer");
            peer.tell(Conf.msg("conf.Question", Conf.text(msg))); // sender: this actor
            Conf.respond(ctx, "conf.Started", "");
        } else if (Conf.is(msg, "conf.Answer")) {
            Pid sender = ctx.sender();
            Conf.log("host", Conf.replyStr(msg) + " from=" + (sender == null ? "-" : Conf.path(sender)));
        } else if (Conf.is(msg, "conf.Watch")) {
            Conf.respond(ctx, "conf.Done", Conf.rc(() -> ctx.watch(ctx.system().lookup("peer"))));
        } else if (msg instanceof Terminated) {
            // The only actor host watches is peer, which had this path.
            Conf.log("terminated", "akt://conf/user/peer");
        } else {
            ctx.unhandled();
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. The C actor answers a bytes question.
        Pid peer = CPeer.spawn(sys, "peer");
        Conf.say("ask.peer", Conf.askStr(peer, "conf.Question", "hello"));

        // 2. A Java actor tells the C actor as itself; the C actor answers the Java actor.
        Pid host = sys.spawn("host", Case::host);
        Conf.say("start.host", Conf.askStr(host, "conf.Start", "from-host"));
        Conf.waitLog(1);
        Conf.flush();

        // 3. A Java String reaches C as its UTF-8 bytes ...
        Conf.say("object.text", Conf.futureStr(peer.ask("text-object", Conf.ASK)));
        // 4. ... and a tell of an object with no bytes to it is refused at the sender.
        String rc = Conf.rc(() -> peer.tell(new Object()));
        Conf.say("object.opaque", rc.equals("ok") ? "accepted" : "refused " + rc);

        // 5. Death watch across the language line.
        Conf.say("watch.peer", Conf.askStr(host, "conf.Watch", ""));
        Conf.say("stop.peer", Conf.stopGraceful(peer));
        Conf.waitLog(1);
        Conf.flush();

        Conf.finish(sys);
    }
}
