// remote_reinstate: a child suspended on its node by the supervisor a remote spawn carried
// (directive SUSPEND) refuses messages from both nodes until reinstate() of its remote pid
// reinstates it there.
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

    static Pid keeper, child;

    public static void main(String[] args) throws InterruptedException {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");
        Duration wait = Duration.ofSeconds(10);

        // 1. Remoting on both nodes; the peer registers the kind.
        sys.remoteStart("127.0.0.1", 0);
        String peerAddress = peer.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        peer.registerGrain("boss", Boss::new, GrainOptions.defaults().longLived());

        // 2. A boss whose children are suspended when they fail; its child, by remote pid.
        Props suspend = Props.remote().withSupervisor(SupervisorStrategy.oneForOne(Directive.SUSPEND));
        Conf.say("spawn.keeper",
                Conf.rc(() -> keeper = sys.remoteSpawn(peerAddress, "boss", "keeper", suspend, wait)));
        Conf.say("child.keeper", Conf.askStr(keeper, "conf.Spawn", ""));
        Conf.say("lookup.c", Conf.rc(() -> child = sys.remoteLookup(peerAddress + "/user/keeper/c")));

        // 3. It fails: suspended there.
        Conf.tell(child, "conf.Fail", "boom");
        Pid here = peer.lookup("/user/keeper/c");
        String rc;
        long deadline = System.nanoTime() + wait.toNanos();
        while (!(rc = Conf.tell(here, "conf.Probe", "")).equals("AKT_ESUSPENDED")) {
            if (System.nanoTime() > deadline) {
                throw Conf.fatal("the child was not suspended: " + rc);
            }
            Thread.sleep(10);
        }
        Conf.say("suspended.c", rc);

        // 4. An ask from the other node is refused too.
        Conf.say("ask.suspended", Conf.askStr(child, "conf.Question", "while"));

        // 5. Reinstated from the other node: it answers again.
        Conf.say("reinstate.c", Conf.rc(() -> child.reinstate()));
        deadline = System.nanoTime() + wait.toNanos();
        while (Conf.tell(here, "conf.Probe", "").equals("AKT_ESUSPENDED")) {
            if (System.nanoTime() > deadline) {
                throw Conf.fatal("the child was not reinstated");
            }
            Thread.sleep(10);
        }
        Conf.say("ask.reinstated", Conf.askStr(child, "conf.Question", "back"));

        // 6. Reinstating an actor that is not suspended leaves it as it is.
        Conf.say("reinstate.running", Conf.rc(() -> keeper.reinstate()));
        Conf.say("ask.running", Conf.askStr(keeper, "conf.Question", "still"));

        Conf.finish(sys);
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
    }
}
