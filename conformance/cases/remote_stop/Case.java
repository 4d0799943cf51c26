// remote_stop: graceful stop of a remote pid (ok, AKT_ETIMEDOUT, AKT_EUNREACHABLE) and a
// Close frame's reason reaching the peer (a tell's dead letter, an ask's failure).
import dev.akt.*;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Case {
    static final String BIG = "x".repeat(16384);
    static final Duration LONG = Duration.ofSeconds(10);

    /** sink: conf.Note "<n>" -> journals it. */
    static void sink(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Note")) {
            Conf.log("peer.note", Conf.text(msg));
        } else {
            ctx.unhandled();
        }
    }

    /** holder: conf.Hold -> journals it, then takes 1 s. */
    static void holder(Context ctx, Object msg) throws InterruptedException {
        if (Conf.is(msg, "conf.Hold")) {
            Conf.log("peer.hold", "started");
            Thread.sleep(1000);
        } else {
            ctx.unhandled();
        }
    }

    /** A close reason as the transcript writes it: its fixed part, or the reason as it is. */
    static String closeReason(String reason) {
        if (reason != null && reason.contains("remote peer closed the connection: ")
                && reason.contains("over this node's message limit of 2048")) {
            return "closed by peer: over this node's message limit of 2048";
        }
        return reason != null ? reason : "(none)";
    }

    /** A graceful stop with a timeout, waited for: "ok" or the error name. */
    static String stopGraceful(Pid pid, Duration timeout) {
        try {
            pid.stopGracefully(timeout).get(30, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            return Conf.errorName(e);
        } catch (InterruptedException | TimeoutException e) {
            throw Conf.fatal("a graceful stop did not complete: " + e);
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");

        // 1. Remoting on both nodes: conf chunks at 1024 bytes, the peer takes 2048 at most.
        sys.remoteStart(RemoteOptions.builder().host("127.0.0.1").heartbeat(Duration.ZERO, 0)
                .chunkBytes(1024).build());
        String peerAddress = peer.remoteStart(RemoteOptions.builder().host("127.0.0.1")
                .heartbeat(Duration.ZERO, 0).maxFrameBytes(2048).maxMessageBytes(2048).build());
        Conf.say("remote.start", "ok");
        peer.spawn("sink", Case::sink);
        peer.spawn("holder", Case::holder);
        peer.spawn("echo", (ctx, msg) -> ctx.respond(msg));
        Subscription sub = sys.deadLetters(ev -> {
            if (Conf.is(ev.message(), "conf.Big")) {
                Conf.log("dead.letter", "conf.Big (" + closeReason(ev.reason()) + ")");
            }
        });

        // 2. A graceful stop after three tells.
        Pid sink = sys.remoteLookup(peerAddress + "/user/sink");
        for (String n : new String[] {"1", "2", "3"}) {
            Conf.tell(sink, "conf.Note", n);
        }
        Conf.say("stop.sink", stopGraceful(sink, LONG));
        Conf.waitLog(3);
        Conf.flush();

        // 3. A graceful stop that times out behind a message that takes 1 s.
        Pid holder = sys.remoteLookup(peerAddress + "/user/holder");
        Conf.tell(holder, "conf.Hold", "");
        Conf.say("stop.holder", stopGraceful(holder, Duration.ofMillis(100)));
        Conf.waitLog(1);
        Conf.flush();

        // 4. No such actor there: nothing to stop.
        Conf.say("stop.nobody", stopGraceful(sys.remoteLookup(peerAddress + "/user/nobody"), LONG));

        // 5. A tell too large for the peer: its Close frame's reason reaches the dead letter.
        Pid echo = sys.remoteLookup(peerAddress + "/user/echo");
        echo.tell(Conf.msg("conf.Big", BIG));
        Conf.waitLog(1);
        Conf.flush();

        // 6. An ask too large for the peer fails with the Close frame's reason.
        CompletableFuture<Object> f = echo.ask(Conf.msg("conf.Big", BIG), LONG);
        try {
            f.get(30, TimeUnit.SECONDS);
            Conf.say("ask.big", "ok");
        } catch (ExecutionException e) {
            Conf.say("ask.big", Conf.errorName(e) + " (" + closeReason(e.getCause().getMessage())
                    + ")");
        } catch (InterruptedException | TimeoutException e) {
            throw Conf.fatal("the ask did not complete: " + e);
        }

        // 7. The connection comes back.
        Conf.say("ask.small", Conf.askStr(echo, "conf.Small", "hi"));

        // 8. The peer goes away: a graceful stop of its pid cannot reach it.
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
        Conf.say("peer.shutdown", "ok");
        Conf.say("stop.gone", stopGraceful(echo, LONG));

        sub.close();
        Conf.finish(sys);
    }
}
