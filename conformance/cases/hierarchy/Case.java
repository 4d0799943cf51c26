// hierarchy: children, paths, lookup by relative and absolute paths, stopping a parent.
import dev.akt.*;
import java.util.concurrent.atomic.AtomicInteger;

public class Case {
    static final AtomicInteger STOPS_SEEN = new AtomicInteger();

    /** One behaviour for every node of the tree; a node knows its children. */
    static final class Node implements Actor {
        final String[] childNames;
        final Node[] children;
        /** 1 for the first postStop of the run, 2 for the next, ... */
        volatile int stopRank;

        Node(String[] childNames, Node[] children) {
            this.childNames = childNames;
            this.children = children;
        }

        /** Children are spawned before the node handles its first message. */
        @Override
        public void preStart(Context ctx) {
            for (int i = 0; i < childNames.length; i++) {
                ctx.spawn(childNames[i], children[i]);
            }
        }

        /** conf.Ping -> conf.Pong; conf.Parent -> conf.Path "<parent's path>". */
        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Ping")) {
                Conf.respond(ctx, "conf.Pong", "");
            } else if (Conf.is(msg, "conf.Parent")) {
                Conf.respond(ctx, "conf.Path", Conf.path(ctx.parent()));
            } else {
                ctx.unhandled();
            }
        }

        @Override
        public void postStop(Context ctx) {
            stopRank = STOPS_SEEN.incrementAndGet();
            Conf.log("post_stop", Conf.selfPath(ctx));
        }
    }

    static String same(Pid a, Pid b) {
        return a.equals(b) ? "same pid" : "different pid";
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    public static void main(String[] args) {
        // parent -> {a -> {x}, b}
        Node x = new Node(new String[0], new Node[0]);
        Node b = new Node(new String[0], new Node[0]);
        Node a = new Node(new String[] {"x"}, new Node[] {x});
        Node parent = new Node(new String[] {"a", "b"}, new Node[] {a, b});
        ActorSystem sys = Conf.system();

        // 1. The parent spawns a and b in its preStart; a spawns x in its own.
        Pid parentPid = sys.spawn("parent", parent);
        Conf.say("spawn.parent", Conf.path(parentPid));
        Conf.say("ping.parent", Conf.askStr(parentPid, "conf.Ping", ""));

        // 2. Paths by lookup: relative to /user, absolute, and with the system's address.
        Pid aPid = sys.lookup("parent/a");
        Conf.say("path.a", Conf.path(aPid));
        Conf.say("ping.a", Conf.askStr(aPid, "conf.Ping", ""));
        Pid bPid = sys.lookup("/user/parent/b");
        Conf.say("path.b", Conf.path(bPid));
        Pid xPid = sys.lookup("akt://conf/user/parent/a/x");
        Conf.say("path.x", Conf.path(xPid));
        Conf.say("lookup.relative", same(sys.lookup("parent/a/x"), xPid));
        Conf.say("lookup.absolute", same(sys.lookup("/user/parent/a/x"), xPid));
        Conf.say("lookup.missing", Conf.rc(() -> sys.lookup("parent/c")));

        // 3. A child knows its parent.
        Conf.say("parent.of_x", Conf.askStr(xPid, "conf.Parent", ""));
        Conf.say("parent.of_a", Conf.askStr(aPid, "conf.Parent", ""));

        // 4. Stopping the parent stops the children first.
        Conf.say("stop.parent", Conf.stopGraceful(parentPid));
        Conf.flushSorted(); // a's subtree and b stop concurrently: sorted
        Conf.say("order.x_before_a", yesNo(x.stopRank < a.stopRank));
        Conf.say("order.a_before_parent", yesNo(a.stopRank < parent.stopRank));
        Conf.say("order.b_before_parent", yesNo(b.stopRank < parent.stopRank));
        Conf.say("alive.x", xPid.isAlive() ? "1" : "0");
        Conf.say("lookup.after_stop", Conf.rc(() -> sys.lookup("parent/a/x")));

        Conf.finish(sys);
    }
}
