import dev.akt.*;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** remote_chunk: a message larger than the frame limit crosses in chunks, both ways. */
public class Case {
    static final String T = "chunk me ".repeat(700000);

    static void echo(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Question")) {
            Conf.respond(ctx, "conf.Answer", "re:" + Conf.text(msg));
        } else {
            ctx.unhandled();
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        sys.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        ActorSystem peer = ActorSystem.create("peer");
        String address = peer.remoteStart("127.0.0.1", 0);
        peer.spawn("echo", Case::echo);
        Pid echo = sys.remoteLookup(address + "/user/echo");
        String got = Conf.askStr(echo, "conf.Question", T, Duration.ofSeconds(10));
        Conf.say("ask.big", got.equals("conf.Answer re:" + T)
                ? "intact" : got.substring(0, Math.min(200, got.length())));
        Conf.say("ask.small", Conf.askStr(echo, "conf.Question", "small"));
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
        Conf.finish(sys);
    }
}
