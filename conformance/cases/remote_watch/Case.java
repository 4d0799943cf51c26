// remote_watch: a watched remote actor that is stopped, one poisoned behind tells, and one
// whose node goes away: each sends Terminated to its watcher.
import dev.akt.*;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Case {
    /** target, sink, other: conf.Note "<n>" -> journals it. */
    static void noter(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Note")) {
            Conf.log("peer.note", Conf.text(msg));
        } else {
            ctx.unhandled();
        }
    }

    /** conf.Watch "<address>" -> watches that remote pid; Terminated -> journals the last
     *  segment of the path it had (a remote pid's path is its address). */
    static final class Watcher implements Actor {
        private final Map<Pid, String> names = new HashMap<>();

        @Override
        public void receive(Context ctx, Object msg) {
            if (msg instanceof Terminated t) {
                Conf.log("terminated", names.getOrDefault(t.pid(), "?"));
            } else if (Conf.is(msg, "conf.Watch")) {
                String result = Conf.rc(() -> {
                    Pid pid = ctx.system().remoteLookup(Conf.text(msg));
                    String path = pid.path();
                    names.put(pid, path.substring(path.lastIndexOf('/') + 1));
                    ctx.watch(pid);
                });
                Conf.respond(ctx, "conf.Done", result);
            } else {
                ctx.unhandled();
            }
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        ActorSystem peer = ActorSystem.create("peer");

        // 1. Remoting on both nodes; three actors on the peer.
        sys.remoteStart("127.0.0.1", 0);
        String peerAddress = peer.remoteStart("127.0.0.1", 0);
        Conf.say("remote.start", "ok");
        for (String name : new String[] {"target", "sink", "other"}) {
            peer.spawn(name, Case::noter);
        }

        // 2. The watcher watches the three remote pids.
        Pid watcher = sys.spawn("watcher", new Watcher());
        for (String name : new String[] {"target", "sink", "other"}) {
            Conf.say("watch." + name,
                    Conf.askStr(watcher, "conf.Watch", peerAddress + "/user/" + name));
        }

        // 3. A remote stop: the peer stops its actor, the watcher gets Terminated.
        Pid target = sys.remoteLookup(peerAddress + "/user/target");
        Conf.say("stop.target", Conf.rc(target::stop));
        Conf.waitLog(1);
        Conf.flush();

        // 4. A remote poison behind three tells.
        Pid sink = sys.remoteLookup(peerAddress + "/user/sink");
        for (String n : new String[] {"1", "2", "3"}) {
            Conf.tell(sink, "conf.Note", n);
        }
        Conf.say("poison.sink", Conf.rc(sink::poison));
        Conf.waitLog(4);
        Conf.flush();

        // 5. The peer goes away: its watched actor is terminated.
        try {
            peer.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw Conf.fatal("the peer's shutdown did not complete: " + e);
        }
        peer.close();
        Conf.say("peer.shutdown", "ok");
        Conf.waitLog(1);
        Conf.flush();

        Conf.finish(sys);
    }
}
