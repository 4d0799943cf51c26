import dev.akt.*;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** remote_compress: frame compression between a zstd node and peers of each method. */
public class Case {
    static final String T = "compress me ".repeat(250);

    static void echo(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Question")) {
            Conf.respond(ctx, "conf.Answer", "re:" + Conf.text(msg));
        } else {
            ctx.unhandled();
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        sys.remoteStart("127.0.0.1", 0, 0, RemoteCompression.ZSTD);
        Conf.say("remote.start", "ok");
        RemoteCompression[] methods = {RemoteCompression.ZSTD, RemoteCompression.GZIP,
            RemoteCompression.BROTLI, RemoteCompression.NONE};
        for (RemoteCompression m : methods) {
            ActorSystem peer = ActorSystem.create("peer");
            String address = peer.remoteStart("127.0.0.1", 0, 0, m);
            peer.spawn("echo", Case::echo);
            String got = Conf.askStr(sys.remoteLookup(address + "/user/echo"), "conf.Question", T);
            Conf.say("ask." + m.name().toLowerCase(),
                    got.equals("conf.Answer re:" + T) ? "intact" : got);
            try {
                peer.shutdown().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw Conf.fatal("the peer's shutdown did not complete: " + e);
            }
            peer.close();
        }
        try {
            sys.remoteStart("127.0.0.1", 0, 0, null);
            Conf.say("start.bad_method", "accepted");
        } catch (NullPointerException e) {
            Conf.say("start.bad_method", "refused");
        }
        Conf.finish(sys);
    }
}
