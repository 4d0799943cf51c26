// remote_tell_ask: two systems of one process over 127.0.0.1; ordered tells, an ask, an
// unknown path, an ask after the peer shut down.
import dev.akt.*;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Case {
    static boolean senderIs(Pid pid, String prefix, String suffix) {
        return pid != null && pid.path().startsWith(prefix) && pid.path().endsWith(suffix);
    }

    /** conf.Note "<n>" -> journals it; conf.Question "<t>" -> conf.Answer "re:<t>";
     *  conf.Ping -> journals whether its sender is the remote pinger, responds conf.Pong. */
    static void echo(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Note")) {
            Conf.log("peer.note", Conf.text(msg));
        } else if (Conf.is(msg, "conf.Question")) {
            Conf.respond(ctx, "conf.Answer", "re:" + Conf.text(msg));
        } else if (Conf.is(msg, "conf.Ping")) {
            boolean remote = senderIs(ctx.sender(), "akt://conf@", "/user/pinger");
            Conf.log("sender.remote", remote ? "yes" : "no");
            Conf.respond(ctx, "conf.Pong", "");
        } else {
            ctx.unhandled();
        }
    }

    /** The remote echo pid -> tells it conf.Ping as itself; conf.Pong -> journals whether
     *  it came from the remote echo. */
    static void pinger(Context ctx, Object msg) {
        if (msg instanceof Pid echo) {
            ctx.tell(echo, Conf.msg("conf.Ping", ""));
        } else if (Conf.is(msg, "conf.Pong")) {
            boolean back = senderIs(ctx.sender(), "akt://peer@", "/user/echo");
            Conf.log("sender.reply", back ? "yes" : "no");
        } else {
            ctx.unhandled();
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");

        // 1. Remoting on both nodes, 127.0.0.1, an ephemeral port.
        sys.remoteStart("127.0.0.1", 0);
        String peerAddress = peer.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        peer.spawn("echo", Case::echo);

        // 2. One pid per address, and its path is the address.
        Pid echo = sys.remoteLookup(peerAddress + "/user/echo");
        Pid again = sys.remoteLookup(peerAddress + "/user/echo");
        Conf.say("lookup.same", echo.equals(again) ? "same pid" : "different pid");
        Conf.say("lookup.path", echo.path().equals(peerAddress + "/user/echo") ? "yes" : "no");

        // 3. Tells arrive in the order sent.
        for (String n : new String[] {"1", "2", "3"}) {
            Conf.tell(echo, "conf.Note", n);
        }
        Conf.waitLog(3);
        Conf.flush();

        // 4. An ask round trip.
        Conf.say("ask.reply", Conf.askStr(echo, "conf.Question", "hello"));

        // The sender crosses both ways: the echo sees the pinger, the pinger the echo.
        sys.spawn("pinger", Case::pinger).tell(echo);
        Conf.waitLog(2);
        Conf.flush();

        // 5. An unknown path: the peer answers AKT_ENOTFOUND.
        Pid nobody = sys.remoteLookup(peerAddress + "/user/nobody");
        Conf.say("ask.unknown", Conf.askStr(nobody, "conf.Question", "anyone?"));

        // 6. The peer goes away ...
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
        Conf.say("peer.shutdown", "ok");

        // 7. ... and an ask to it fails with AKT_EUNREACHABLE.
        Conf.say("ask.after_shutdown", Conf.askStr(echo, "conf.Question", "still there?"));

        Conf.finish(sys);
    }
}
