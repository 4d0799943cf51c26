// tls: remoting over mutual TLS between two systems of one process; a node with a
// certificate of an untrusted CA and a plaintext node are refused.
import dev.akt.*;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

public class Case {
    static Path certs;

    /** conf.Note "<n>" -> journals it; conf.Question "<t>" -> conf.Answer "re:<t>". */
    static void echo(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Note")) {
            Conf.log("peer.note", Conf.text(msg));
        } else if (Conf.is(msg, "conf.Question")) {
            Conf.respond(ctx, "conf.Answer", "re:" + Conf.text(msg));
        } else {
            ctx.unhandled();
        }
    }

    /** The mutual TLS settings of {@code who} ("node" or "rogue"). */
    static RemoteTls mutual(String who) {
        return RemoteTls.builder(certs.resolve(who + ".pem"), certs.resolve(who + ".key"))
                .trust(certs.resolve("ca.pem")).requireClientCertificate(true).build();
    }

    static void end(ActorSystem node) {
        try {
            node.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("a node's shutdown did not complete: " + e);
        }
        node.close();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        // 1. The certificates, made for this run.
        certs = Files.createTempDirectory("akt-conf-tls-");
        Process p = new ProcessBuilder("sh", "certs.sh", certs.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw Conf.fatal("certs.sh failed");
        }
        Conf.say("certs", "ok");

        // 2. Mutual TLS on both nodes.
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");
        sys.remoteStart("127.0.0.1", 0, mutual("node"));
        String peerAddress = peer.remoteStart("127.0.0.1", 0, mutual("node"));
        Conf.say("remote.start", "ok");
        peer.spawn("echo", Case::echo);
        String echoAddress = peerAddress + "/user/echo";

        // 3. An ask over mutual TLS.
        Pid echo = sys.remoteLookup(echoAddress);
        Conf.say("ask.mtls", Conf.askStr(echo, "conf.Question", "hello"));

        // 4. Tells arrive in the order sent.
        for (String n : new String[] {"1", "2", "3"}) {
            Conf.tell(echo, "conf.Note", n);
        }
        Conf.waitLog(3);
        Conf.flush();

        // 5. A certificate of another CA: refused.
        ActorSystem rogue = ActorSystem.create("rogue");
        rogue.remoteStart("127.0.0.1", 0, mutual("rogue"));
        Conf.say("ask.untrusted",
                Conf.askStr(rogue.remoteLookup(echoAddress), "conf.Question", "let me in"));

        // 6. No TLS at all: refused.
        ActorSystem plain = ActorSystem.create("plain");
        plain.remoteStart("127.0.0.1", 0);
        Conf.say("ask.plaintext",
                Conf.askStr(plain.remoteLookup(echoAddress), "conf.Question", "let me in"));

        // 7. The peer still serves its own.
        Conf.say("ask.again", Conf.askStr(echo, "conf.Question", "still here"));

        // 8. The other nodes go.
        end(plain);
        end(rogue);
        end(peer);
        Conf.say("peers.shutdown", "ok");

        Conf.finish(sys);
        try (Stream<Path> files = Files.walk(certs)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
