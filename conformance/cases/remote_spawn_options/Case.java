// remote_spawn_options: a remote spawn carries the supervisor, the mailbox, the passivation
// and the reentrancy to the spawning node (remoteSpawn with Props.remote()); a function (a
// decider, a priority comparator) cannot cross and is refused here, leaving nothing there.
import dev.akt.*;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Case {
    /** child: conf.Question "<t>" -> conf.Answer "c:<t>"; conf.Fail "<r>" fails with r. */
    static final class Child implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Fail")) {
                throw new IllegalStateException(Conf.text(msg));
            }
            if (Conf.is(msg, "conf.Question")) {
                Conf.respond(ctx, "conf.Answer", "c:" + Conf.text(msg));
            } else {
                ctx.unhandled();
            }
        }
    }

    /** boss: conf.Question "<t>" -> conf.Answer "<name>:<t>"; conf.Spawn spawns the child "c". */
    static final class Boss implements Actor {
        private final String name;

        Boss(String name) {
            this.name = name;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Spawn")) {
                String rc = Conf.rc(() -> ctx.spawn("c", new Child()));
                Conf.respond(ctx, "conf.Answer", rc.equals("ok") ? "spawned" : rc);
            } else if (Conf.is(msg, "conf.Question")) {
                Conf.respond(ctx, "conf.Answer", name + ":" + Conf.text(msg));
            } else {
                ctx.unhandled();
            }
        }
    }

    /** Waits until peer has no actor at path. */
    static void waitGone(ActorSystem peer, String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Conf.rc(() -> peer.lookup(path)).equals("ok")) {
            if (System.nanoTime() > deadline) {
                throw Conf.fatal(path + " did not stop");
            }
            Thread.sleep(10);
        }
    }

    static Pid strict, lenient, p;

    public static void main(String[] args) throws InterruptedException {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");
        Duration wait = Duration.ofSeconds(10);

        // 1. Remoting on both nodes; the peer registers the kind.
        sys.remoteStart("127.0.0.1", 0);
        String peerAddress = peer.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        peer.registerGrain("boss", Boss::new, GrainOptions.defaults().longLived());

        // 2. A supervisor that stops, against the default that restarts.
        Props stop = Props.remote().withSupervisor(SupervisorStrategy.oneForOne(Directive.STOP));
        Conf.say("spawn.strict",
                Conf.rc(() -> strict = sys.remoteSpawn(peerAddress, "boss", "strict", stop, wait)));
        Conf.say("spawn.lenient",
                Conf.rc(() -> lenient = sys.remoteSpawn(peerAddress, "boss", "lenient", wait)));
        Conf.say("child.strict", Conf.askStr(strict, "conf.Spawn", ""));
        Conf.say("child.lenient", Conf.askStr(lenient, "conf.Spawn", ""));
        Conf.tell(peer.lookup("/user/strict/c"), "conf.Fail", "boom");
        Conf.tell(peer.lookup("/user/lenient/c"), "conf.Fail", "boom");
        waitGone(peer, "/user/strict/c");
        Conf.say("supervise.strict", "stopped");
        Conf.say("supervise.lenient",
                Conf.askStr(peer.lookup("/user/lenient/c"), "conf.Question", "after"));

        // 3. Passivated after two messages.
        Props brief = Props.remote().withPassivation(Passivation.afterMessages(2));
        Conf.say("spawn.brief",
                Conf.rc(() -> p = sys.remoteSpawn(peerAddress, "boss", "brief", brief, wait)));
        Conf.say("brief.first", Conf.askStr(p, "conf.Question", "one"));
        Conf.say("brief.second", Conf.askStr(p, "conf.Question", "two"));
        waitGone(peer, "/user/brief");
        Conf.say("passivate.brief", "ok");

        // 4. A bounded mailbox crosses; a priority one (a comparator) cannot.
        Props bounded = Props.remote().withMailbox(Mailbox.bounded(4, Mailbox.WhenFull.FAIL));
        Conf.say("spawn.bounded",
                Conf.rc(() -> p = sys.remoteSpawn(peerAddress, "boss", "bounded", bounded, wait)));
        Conf.say("ask.bounded", Conf.askStr(p, "conf.Question", "hi"));
        Props ranked = Props.remote().withMailbox(Mailbox.priority((a, b) -> 0));
        Conf.say("spawn.priority",
                Conf.rc(() -> sys.remoteSpawn(peerAddress, "boss", "ranked", ranked, wait)));

        // 5. Reentrancy.
        Props reentrant = Props.remote().withReentrancy(Reentrancy.ALLOW_ALL).withMaxInFlight(4);
        Conf.say("spawn.reentrant",
                Conf.rc(() -> p = sys.remoteSpawn(peerAddress, "boss", "reentrant", reentrant, wait)));
        Conf.say("ask.reentrant", Conf.askStr(p, "conf.Question", "hi"));

        // 6. A decider cannot cross: refused here, nothing there.
        Props decided = Props.remote()
                .withSupervisor(SupervisorStrategy.oneForOne(failure -> Directive.RESTART));
        Conf.say("spawn.decided",
                Conf.rc(() -> sys.remoteSpawn(peerAddress, "boss", "decided", decided, wait)));
        Conf.say("decided.there", Conf.rc(() -> peer.lookup("/user/decided")));

        Conf.finish(sys);
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
    }
}
