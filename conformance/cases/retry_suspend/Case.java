// retry_suspend: a child out of retries is suspended, then reinstated with a fresh budget.
import dev.akt.*;
import java.time.Duration;
import java.util.EnumSet;

public class Case {
    public static void main(String[] args) {
        ActorSystem sys = Conf.system();
        Subscription sub = sys.subscribe(EnumSet.of(EventKind.ACTOR_SUSPENDED, EventKind.ACTOR_REINSTATED),
                ev -> Conf.log(ev.kind() == EventKind.ACTOR_SUSPENDED ? "suspended" : "reinstated",
                        ev.path() != null ? ev.path() : "?"));

        // 1. A parent with a budget of 1 retry whose exhaustion suspends, and its child.
        Pid boss = sys.spawn("boss", Props.of(new Supervised.Manager())
                .withSupervisor(SupervisorStrategy.RESTART.withRetries(1, Duration.ofSeconds(60))
                        .onRetriesExhausted(Directive.SUSPEND)));
        Conf.say("spawn.w", Conf.askStr(boss, "conf.SpawnWorker", "w"));
        Pid w = sys.lookup("boss/w");
        Conf.waitLog(2);
        Conf.flushSorted();

        // 2. The first failure restarts, the second is out of retries: suspended.
        String[][] tells = {{"conf.Incr", ""}, {"conf.Fail", "one"}, {"conf.Incr", ""},
            {"conf.Fail", "two"}, {"conf.Incr", ""}};
        for (String[] t : tells) {
            w.tell(Conf.msg(t[0], t[1]));
        }
        Conf.waitLog(5);
        Conf.flush();

        // 3. Refused while suspended.
        Conf.say("tell.w", Conf.rc(() -> w.tell(Conf.msg("conf.Incr", ""))));
        Conf.say("ask.w", Conf.askStr(w, "conf.Get", ""));

        // 4. Reinstated by name: the state was kept, the queued message handled.
        sys.reinstateNamed("boss/w");
        Conf.waitLog(1);
        Conf.flush();
        Conf.say("count.w", Conf.askStr(w, "conf.Get", ""));

        // 5. A fresh budget: the next failure restarts again, the one after suspends.
        w.tell(Conf.msg("conf.Fail", "three"));
        w.tell(Conf.msg("conf.Incr", ""));
        Conf.waitLog(3);
        Conf.flush();
        Conf.say("count.w", Conf.askStr(w, "conf.Get", ""));
        w.tell(Conf.msg("conf.Fail", "four"));
        Conf.waitLog(2);
        Conf.flush();
        Conf.say("alive.w", w.isAlive() ? "1" : "0");

        sub.close();
        Conf.finish(sys);
    }
}
