// remote_spawn: an actor of a kind registered on the peer, spawned from this node; the
// errors of a taken name, an unknown kind and a bad name; a spawn again after a stop.
import dev.akt.*;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Case {
    /** counter: conf.Question "<t>" -> conf.Answer "<name>:<t>". */
    static final class Counter implements Actor {
        private final String name;

        Counter(String name) {
            this.name = name;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Question")) {
                Conf.respond(ctx, "conf.Answer", name + ":" + Conf.text(msg));
            } else {
                ctx.unhandled();
            }
        }
    }

    static Pid c1;

    public static void main(String[] args) throws InterruptedException {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");
        Duration wait = Duration.ofSeconds(10);

        // 1. Remoting on both nodes; the peer registers the kind.
        sys.remoteStart("127.0.0.1", 0);
        String peerAddress = peer.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        peer.registerGrain("counter", Counter::new, GrainOptions.defaults().longLived());

        // 2. A remote spawn, and the pid's path.
        Runnable spawnC1 = () -> c1 = sys.remoteSpawn(peerAddress, "counter", "c1", wait);
        Conf.say("spawn.c1", Conf.rc(spawnC1));
        Conf.say("spawn.path", c1.path().equals(peerAddress + "/user/c1") ? "yes" : "no");

        // 3. It answers, from here and on the peer itself.
        Conf.say("ask.reply", Conf.askStr(c1, "conf.Question", "hello"));
        Conf.say("ask.again", Conf.askStr(peer.lookup("/user/c1"), "conf.Question", "again"));

        // 4. The errors come back as codes.
        Conf.say("spawn.duplicate", Conf.rc(() -> sys.remoteSpawn(peerAddress, "counter", "c1", wait)));
        Conf.say("spawn.unknown_kind",
                Conf.rc(() -> sys.remoteSpawn(peerAddress, "nosuch", "c2", wait)));
        Conf.say("spawn.bad_name", Conf.rc(() -> sys.remoteSpawn(peerAddress, "counter", "a/b", wait)));

        // 5. A remote stop, then the name is free again.
        c1.stop();
        long deadline = System.nanoTime() + wait.toNanos();
        while (Conf.rc(() -> peer.lookup("/user/c1")).equals("ok")) {
            if (System.nanoTime() > deadline) {
                throw Conf.fatal("the remote c1 did not stop");
            }
            Thread.sleep(10);
        }
        Conf.say("stop.c1", "ok");
        Conf.say("spawn.after_stop", Conf.rc(spawnC1));
        Conf.say("ask.after_stop", Conf.askStr(c1, "conf.Question", "fresh"));

        Conf.finish(sys);
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
    }
}
