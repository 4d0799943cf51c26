// reentrancy_modes: requests answered on the requester's turn; ALLOW_ALL cycles, STASH
// order, a stop cancels; requests by name.
import dev.akt.*;

public class Case {
    static final class Server implements Actor {
        boolean holding;
        int served;

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Hold")) {
                holding = true;
            } else if (Conf.is(msg, "conf.Release")) {
                holding = false;
                ctx.unstashAll();
            } else if (Conf.is(msg, "conf.Inc")) {
                if (holding) {
                    ctx.stash();
                } else {
                    served++;
                    Conf.respond(ctx, "conf.Done", Conf.text(msg) + "!");
                }
            } else if (Conf.is(msg, "conf.Bounce")) {
                ctx.forward(ctx.sender());
            } else if (Conf.is(msg, "conf.Served")) {
                Conf.respond(ctx, "conf.Count", Integer.toString(served));
            } else if (Conf.is(msg, "conf.Ping")) {
                Conf.respond(ctx, "conf.Pong", "");
            } else {
                ctx.unhandled();
            }
        }
    }

    static Pid server;

    static final class Client implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Go")) {
                String t = Conf.text(msg);
                ctx.request(server, Conf.msg("conf.Inc", t), null).whenComplete((reply, error) ->
                        Conf.log("reply", error != null ? Conf.errorName(error) : Conf.text(reply)));
                Conf.log("go", t);
            } else if (Conf.is(msg, "conf.GoNamed")) {
                String t = Conf.text(msg);
                Conf.log("named", Conf.rc(() -> ctx.request(t, Conf.msg("conf.Inc", t), null).whenComplete((reply, error) ->
                        Conf.log("reply", error != null ? Conf.errorName(error) : Conf.text(reply)))));
            } else if (Conf.is(msg, "conf.GoBounce")) {
                ctx.request(server, Conf.msg("conf.Bounce", ""), null).whenComplete((reply, error) ->
                        Conf.log("bounce", error != null ? Conf.errorName(error) : ((BytesMessage) reply).type()));
            } else if (Conf.is(msg, "conf.Bounce")) {
                Conf.log("bounced", "ok");
                Conf.respond(ctx, "conf.Pong", "");
            } else if (Conf.is(msg, "conf.Item")) {
                Conf.log("item", Conf.text(msg));
            } else {
                ctx.unhandled();
            }
        }
    }

    static void tell(Pid pid, String type, String text) {
        pid.tell(Conf.msg(type, text));
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        server = sys.spawn("server", new Server());

        // 1. A -> B -> A completes with ALLOW_ALL.
        Pid allow = sys.spawn("allow", Props.of(new Client()).withReentrancy(Reentrancy.ALLOW_ALL));
        tell(allow, "conf.GoBounce", "");
        Conf.waitLog(2);
        Conf.flush();

        // 2. STASH: the items wait for the answer, in order.
        Pid stash = sys.spawn("stash", Props.of(new Client()).withReentrancy(Reentrancy.STASH));
        tell(server, "conf.Hold", "");
        Conf.say("ping", Conf.askStr(server, "conf.Ping", ""));
        tell(stash, "conf.Go", "a");
        tell(stash, "conf.Item", "x");
        tell(stash, "conf.Item", "y");
        Conf.waitLog(1);
        tell(server, "conf.Release", "");
        Conf.waitLog(4);
        Conf.flush();

        // 3. ALLOW_ALL: the items go first.
        tell(server, "conf.Hold", "");
        tell(allow, "conf.Go", "b");
        tell(allow, "conf.Item", "x");
        tell(allow, "conf.Item", "y");
        Conf.waitLog(3);
        tell(server, "conf.Release", "");
        Conf.waitLog(4);
        Conf.flush();

        // 4. A stop cancels: no continuation, and the server skips the abandoned ask.
        tell(server, "conf.Hold", "");
        tell(allow, "conf.Go", "c");
        Conf.waitLog(1);
        Conf.say("stop", Conf.stopGraceful(allow));
        tell(server, "conf.Release", "");
        Conf.say("served", Conf.askStr(server, "conf.Served", ""));
        Conf.flush();

        // 5. Requests by name: each path form, a name nobody has, a name gone with its actor.
        tell(stash, "conf.GoNamed", "server");
        Conf.waitLog(2);
        tell(stash, "conf.GoNamed", "akt://conf/user/server");
        Conf.waitLog(4);
        tell(stash, "conf.GoNamed", "nobody");
        Conf.waitLog(5);
        Conf.flush();
        Conf.say("stop", Conf.stopGraceful(server));
        tell(stash, "conf.GoNamed", "server");
        Conf.waitLog(1);
        Conf.flush();

        Conf.finish(sys);
    }
}
