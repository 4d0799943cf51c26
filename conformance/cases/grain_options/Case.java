// grain_options: a grain kind's bounded mailbox, dependencies and reentrancy.
import dev.akt.*;

public class Case {
    static final class Server implements Actor {
        boolean holding;

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
                    Conf.respond(ctx, "conf.Done", Conf.text(msg) + "!");
                }
            } else if (Conf.is(msg, "conf.Ping")) {
                Conf.respond(ctx, "conf.Pong", "");
            } else {
                ctx.unhandled();
            }
        }
    }

    static final class Box implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Go")) {
                String t = Conf.text(msg);
                ctx.request(ctx.dependency("server", Pid.class), Conf.msg("conf.Inc", t), null)
                        .whenComplete((reply, error) ->
                                Conf.log("reply", error != null ? Conf.errorName(error) : Conf.text(reply)));
                Conf.log("go", t);
            } else if (Conf.is(msg, "conf.Item")) {
                Conf.log("item", Conf.text(msg));
            } else if (Conf.is(msg, "conf.Greet")) {
                Conf.respond(ctx, "conf.Greeting", ctx.dependency("greeting", String.class));
            } else {
                ctx.unhandled();
            }
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Pid server = sys.spawn("server", new Server());
        java.util.function.Function<Mailbox.WhenFull, GrainOptions> options = whenFull -> GrainOptions.defaults()
                .longLived()
                .mailbox(Mailbox.bounded(2, whenFull))
                .withDependency("server", server)
                .withDependency("greeting", "hello")
                .withReentrancy(Reentrancy.STASH);
        Grain box = sys.grain("box", "b");

        // 1. Kinds with options; a dropping mailbox is refused.
        Conf.say("register.box", Conf.rc(() ->
                sys.registerGrain("box", name -> new Box(), options.apply(Mailbox.WhenFull.FAIL))));
        Conf.say("register.drop", Conf.rc(() ->
                sys.registerGrain("drop", name -> new Box(), options.apply(Mailbox.WhenFull.DROP))));

        // 2. The server holds its requests.
        server.tell(Conf.msg("conf.Hold", ""));
        Conf.say("ping", Conf.askStr(server, "conf.Ping", ""));

        // 3. A request in flight: STASH keeps what follows in the mailbox.
        box.tell(Conf.msg("conf.Go", "a"));
        Conf.waitLog(1);
        Conf.flush();

        // 4. Two fit, the third is refused.
        for (String t : new String[] {"x", "y", "z"}) {
            Conf.say("tell." + t, Conf.rc(() -> box.tell(Conf.msg("conf.Item", t))));
        }

        // 5. The answer, then the kept items in order.
        server.tell(Conf.msg("conf.Release", ""));
        Conf.waitLog(3);
        Conf.flush();

        // 6. A dependency by name.
        String greet;
        try {
            greet = Conf.futureStr(box.ask(Conf.msg("conf.Greet", ""), Conf.ASK));
        } catch (RuntimeException e) {
            greet = Conf.errorName(e);
        }
        Conf.say("ask.greet", greet);

        // 7. Options per activation: a bound and STASH for plain/p only.
        Conf.say("register.plain", Conf.rc(() -> sys.registerGrain("plain", name -> new Box(),
                GrainOptions.defaults().longLived().withDependency("server", server)
                        .withDependency("greeting", "hello"))));
        server.tell(Conf.msg("conf.Hold", ""));
        Conf.say("hold", Conf.askStr(server, "conf.Ping", ""));
        Grain p = sys.grain("plain", "p", GrainActivation.kinds()
                .mailbox(Mailbox.bounded(1, Mailbox.WhenFull.FAIL)).withReentrancy(Reentrancy.STASH));
        p.tell(Conf.msg("conf.Go", "c"));
        Conf.waitLog(1);
        Conf.flush();
        for (String t : new String[] {"u", "v"}) {
            Conf.say("tell." + t, Conf.rc(() -> p.tell(Conf.msg("conf.Item", t))));
        }
        sys.grain("plain", "q").tell(Conf.msg("conf.Item", "w"));
        Conf.waitLog(1);
        Conf.flush();
        server.tell(Conf.msg("conf.Release", ""));
        Conf.waitLog(2);
        Conf.flush();

        // 8. Dependencies per activation: plain/d's own; a live activation keeps them.
        for (String[] step : new String[][] {{"ask.own", "d", "hi"}, {"ask.again", "d", "hey"},
                {"ask.kind", "e", null}}) {
            Grain g = step[2] == null ? sys.grain("plain", step[1])
                    : sys.grain("plain", step[1], GrainActivation.kinds().withDependency("server", server)
                            .withDependency("greeting", step[2]));
            String reply;
            try {
                reply = Conf.futureStr(g.ask(Conf.msg("conf.Greet", ""), Conf.ASK));
            } catch (RuntimeException e) {
                reply = Conf.errorName(e);
            }
            Conf.say(step[0], reply);
        }

        Conf.finish(sys);
    }
}
