// events: started, failed, restarted and stopped events on the event stream.
import dev.akt.*;
import java.util.EnumSet;

public class Case {
    /** ev: conf.Ping -> conf.Pong; conf.Fail fails (the default supervisor restarts it). */
    static void ev(Context ctx, Object msg) {
        if (Conf.is(msg, "conf.Ping")) {
            Conf.respond(ctx, "conf.Pong", "");
        } else if (Conf.is(msg, "conf.Fail")) {
            throw new IllegalStateException("boom");
        } else {
            ctx.unhandled();
        }
    }

    /** A parent whose preStart spawns one child, "c". */
    static final class Parent implements Actor {
        @Override
        public void preStart(Context ctx) {
            ctx.spawn("c", Case::ev);
        }

        @Override
        public void receive(Context ctx, Object msg) {
            ev(ctx, msg);
        }
    }

    /** Journal the lifecycle events of the case's own actors (paths under /user/ev). */
    static void onEvent(Event ev) {
        if (ev.path() == null || !ev.path().startsWith("akt://conf/user/ev")) {
            return;
        }
        switch (ev.kind()) {
            case ACTOR_STARTED -> Conf.log("event", "started " + ev.path());
            case ACTOR_FAILED -> Conf.log("event", "failed " + ev.path() + " " + ev.errorName());
            case ACTOR_RESTARTED -> Conf.log("event", "restarted " + ev.path());
            case ACTOR_STOPPED -> Conf.log("event", "stopped " + ev.path());
            default -> Conf.log("event", "unexpected kind " + ev.kind() + " " + ev.path());
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Subscription sub = sys.subscribe(EnumSet.of(EventKind.ACTOR_STARTED, EventKind.ACTOR_FAILED,
                EventKind.ACTOR_RESTARTED, EventKind.ACTOR_STOPPED), Case::onEvent);

        // 1. Started.
        Pid ev1 = sys.spawn("ev1", Case::ev);
        Conf.waitLog(1);
        Conf.flush();

        // 2. A failure, then the restart that handles it.
        ev1.tell(Conf.msg("conf.Fail", ""));
        Conf.waitLog(2);
        Conf.flush();
        Conf.say("ping.ev1", Conf.askStr(ev1, "conf.Ping", ""));

        // 3. Stopped.
        Conf.say("stop.ev1", Conf.stopGraceful(ev1));
        Conf.waitLog(1);
        Conf.flush();

        // 4. A parent and its child start concurrently (sorted) and stop child first.
        Pid ev2 = sys.spawn("ev2", new Parent());
        Conf.waitLog(2);
        Conf.flushSorted();
        Conf.say("stop.ev2", Conf.stopGraceful(ev2));
        Conf.waitLog(2);
        Conf.flush();

        // 5. After unsubscribing, nothing more is journaled.
        Conf.say("unsubscribe", Conf.rc(sub::close));
        Pid ev3 = sys.spawn("ev3", Case::ev);
        Conf.say("ping.ev3", Conf.askStr(ev3, "conf.Ping", ""));
        Conf.say("stop.ev3", Conf.stopGraceful(ev3));
        Conf.say("journal.after_unsubscribe", Integer.toString(Conf.logCount()));

        Conf.finish(sys);
    }
}
