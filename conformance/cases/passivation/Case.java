// passivation: after n messages, after an idle time, never; the system default.
import dev.akt.*;
import java.time.Duration;
import java.util.EnumSet;

public class Case {
    static final class Worker implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Ping")) {
                Conf.respond(ctx, "conf.Pong", "");
            } else {
                ctx.unhandled();
            }
        }

        @Override
        public void postStop(Context ctx) {
            Conf.log("post_stop", Conf.selfPath(ctx));
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Subscription sub = sys.subscribe(EnumSet.of(EventKind.ACTOR_PASSIVATED), ev -> {
            if (ev.path() != null && ev.path().startsWith("akt://conf/user/")) {
                Conf.log("passivated", ev.path());
            }
        });

        Pid counted = sys.spawn("counted", Props.of(new Worker()).withPassivation(Passivation.afterMessages(3)));
        for (int i = 1; i <= 3; i++) {
            Conf.say("ask." + i, Conf.askStr(counted, "conf.Ping", ""));
        }
        Conf.waitLog(2);
        Conf.flushSorted();

        Duration idleTime = Duration.ofMillis(500);
        Pid idle = sys.spawn("idle", Props.of(new Worker()).withPassivation(Passivation.idle(idleTime)));
        Pid keeper = sys.spawn("keeper", Props.of(new Worker()).withPassivation(Passivation.LONG_LIVED));
        Pid plain = sys.spawn("plain", new Worker());
        Conf.say("idle", Conf.askStr(idle, "conf.Ping", ""));
        Conf.say("keeper", Conf.askStr(keeper, "conf.Ping", ""));
        Conf.say("plain", Conf.askStr(plain, "conf.Ping", ""));
        Conf.waitLog(2);
        Conf.flushSorted();
        Conf.say("keeper.again", Conf.askStr(keeper, "conf.Ping", ""));
        Conf.say("plain.again", Conf.askStr(plain, "conf.Ping", ""));

        sys.setDefaultPassivation(Passivation.idle(idleTime));
        Pid late = sys.spawn("late", new Worker());
        Conf.say("late", Conf.askStr(late, "conf.Ping", ""));
        Conf.waitLog(2);
        Conf.flushSorted();
        sys.setDefaultPassivation(null);

        sub.close();
        Conf.finish(sys);
    }
}
