// spawn_tell: spawn a named and an anonymous actor, tell them increments, ask the count.
import dev.akt.*;

public class Case {
    /** conf.Incr "<k>" adds k; conf.Get answers conf.Count "<n>". */
    static final class Counter implements Actor {
        long n;

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Incr")) {
                n += Conf.num(msg);
            } else if (Conf.is(msg, "conf.Get")) {
                Conf.respond(ctx, "conf.Count", Long.toString(n));
            } else {
                ctx.unhandled();
            }
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. A named actor lives at /user/<name>.
        Pid named = sys.spawn("counter", new Counter());
        Conf.say("spawn.named", Conf.path(named));

        // 2. Without a name it gets "$<n>" (printed as $N).
        Pid anonymous = sys.spawn(new Counter());
        Conf.say("spawn.anonymous", Conf.path(anonymous));

        // 3. A taken name is refused.
        Conf.say("spawn.duplicate", Conf.rc(() -> sys.spawn("counter", new Counter())));

        // 4. Tells from one sender arrive in order; the ask comes after all ten.
        for (int i = 0; i < 10; i++) {
            named.tell(Conf.msg("conf.Incr", "1"));
        }
        Conf.say("count.named", Conf.askStr(named, "conf.Get", ""));

        for (int i = 0; i < 3; i++) {
            anonymous.tell(Conf.msg("conf.Incr", "5"));
        }
        Conf.say("count.anonymous", Conf.askStr(anonymous, "conf.Get", ""));

        // 5. The two actors have separate state: the first one still counts 10.
        Conf.say("count.named_again", Conf.askStr(named, "conf.Get", ""));

        // 6. Looking the name up gives the same pid back.
        Pid found = sys.lookup("counter");
        Conf.say("lookup.named", found.equals(named) ? "same pid" : "different pid");
        Conf.say("alive.named", named.isAlive() ? "1" : "0");

        Conf.finish(sys);
    }
}
