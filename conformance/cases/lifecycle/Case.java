// lifecycle: preStart/postStop, stop, poison pill after queued messages, graceful stop.
import dev.akt.*;
import java.util.EnumSet;

public class Case {
    static final class Life implements Actor {
        @Override
        public void preStart(Context ctx) {
            Conf.log("pre_start", Conf.selfPath(ctx));
        }

        @Override
        public void postStop(Context ctx) {
            Conf.log("post_stop", Conf.selfPath(ctx));
        }

        /** conf.Work "<t>" -> journal "receive: <path> <t>"; conf.Ping -> conf.Pong. */
        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Work")) {
                Conf.log("receive", Conf.selfPath(ctx) + " " + Conf.text(msg));
            } else if (Conf.is(msg, "conf.Ping")) {
                Conf.respond(ctx, "conf.Pong", "");
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
        // The stopped event tells main that a stop (not otherwise awaitable) has completed.
        Subscription sub = sys.subscribe(EnumSet.of(EventKind.ACTOR_STOPPED), ev -> {
            if (ev.path() != null && ev.path().startsWith("akt://conf/user/")) {
                Conf.log("event.stopped", ev.path());
            }
        });

        // 1. preStart runs before the first message.
        Pid life1 = sys.spawn("life1", new Life());
        Conf.say("ping.life1", Conf.askStr(life1, "conf.Ping", ""));
        Conf.flush();

        // 2. Messages are handled in the order they were told.
        tell(life1, "conf.Work", "a");
        tell(life1, "conf.Work", "b");
        Conf.say("ping.life1", Conf.askStr(life1, "conf.Ping", ""));
        Conf.flush();

        // 3. stop: postStop runs, then the actor is gone.
        Conf.say("stop.life1", Conf.rc(() -> life1.stop()));
        Conf.waitLog(2); // postStop + stopped event
        Conf.flush();
        Conf.say("alive.life1", life1.isAlive() ? "1" : "0");
        Conf.say("tell.after_stop", Conf.tell(life1, "conf.Work", "late"));

        // 4. A poison pill is handled after the messages queued before it.
        Pid life2 = sys.spawn("life2", new Life());
        tell(life2, "conf.Work", "1");
        tell(life2, "conf.Work", "2");
        tell(life2, "conf.Work", "3");
        Conf.say("poison.life2", Conf.rc(() -> life2.poison()));
        Conf.waitLog(6); // preStart, 3 receives, postStop, stopped event
        Conf.flush();

        // 5. A graceful stop is a poison pill with a future.
        Pid life3 = sys.spawn("life3", new Life());
        tell(life3, "conf.Work", "x");
        tell(life3, "conf.Work", "y");
        Conf.say("graceful.life3", Conf.stopGraceful(life3));
        Conf.waitLog(5); // the stopped event may trail the future
        Conf.flush();
        Conf.say("graceful.again", Conf.stopGraceful(life3));

        sub.close();
        Conf.finish(sys);
    }
}
