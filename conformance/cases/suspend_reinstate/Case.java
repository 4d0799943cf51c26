// suspend_reinstate: a suspended child refuses tells and asks until reinstated by name.
import dev.akt.*;
import java.util.EnumSet;

public class Case {
    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Subscription sub = sys.subscribe(EnumSet.of(EventKind.ACTOR_SUSPENDED, EventKind.ACTOR_REINSTATED),
                ev -> Conf.log(ev.kind() == EventKind.ACTOR_SUSPENDED ? "suspended" : "reinstated",
                        ev.path() != null ? ev.path() : "?"));

        // 1. A failure suspends w; the message queued behind it stays.
        Pid boss = sys.spawn("boss", Props.of(new Supervised.Manager())
                .withSupervisor(SupervisorStrategy.oneForOne(Directive.SUSPEND)));
        Conf.say("spawn.w", Conf.askStr(boss, "conf.SpawnWorker", "w"));
        Pid w = sys.lookup("boss/w");
        w.tell(Conf.msg("conf.Incr", ""));
        w.tell(Conf.msg("conf.Incr", ""));
        w.tell(Conf.msg("conf.Fail", "suspend"));
        w.tell(Conf.msg("conf.Incr", ""));
        Conf.waitLog(4);
        Conf.flush();

        // 2. Refused while suspended.
        Conf.say("tell.w", Conf.rc(() -> w.tell(Conf.msg("conf.Incr", ""))));
        Conf.say("ask.w", Conf.askStr(w, "conf.Get", ""));

        // 3. Reinstated by name: the state was kept, the queued message handled.
        sys.reinstateNamed("boss/w");
        Conf.waitLog(1);
        Conf.flush();
        Conf.say("count.w", Conf.askStr(w, "conf.Get", ""));

        // 4. Suspended again, then stopped.
        w.tell(Conf.msg("conf.Fail", "again"));
        Conf.waitLog(2);
        Conf.flush();
        w.stop();
        Conf.waitLog(1);
        Conf.flush();

        sub.close();
        Conf.finish(sys);
    }
}
