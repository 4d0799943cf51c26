// backoff: restarts wait on akt's timer; messages sent meanwhile are handled after them.
import dev.akt.*;
import java.time.Duration;

public class Case {
    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. A parent whose restarts back off.
        Pid boss = sys.spawn("boss", Props.of(new Supervised.Manager()).withSupervisor(SupervisorStrategy.RESTART
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2, 0, null)));

        // 2. The child.
        Conf.say("spawn.w", Conf.askStr(boss, "conf.SpawnWorker", "w"));
        Pid w = sys.lookup("boss/w");
        Conf.waitLog(2); // pre_start of boss and of w: w starts after SpawnWorker answers
        Conf.flushSorted();

        // 3. The first restart waits; what is sent meanwhile is handled after it.
        w.tell(Conf.msg("conf.Incr", ""));
        w.tell(Conf.msg("conf.Fail", "first"));
        Conf.waitLog(1); // the fail
        w.tell(Conf.msg("conf.Incr", ""));
        w.tell(Conf.msg("conf.Mark", "during"));
        Conf.waitLog(4); // fail, post_stop, pre_start, handled
        Conf.flush();

        // 4. The second restart waits longer; the order is the same.
        w.tell(Conf.msg("conf.Fail", "second"));
        Conf.waitLog(1);
        w.tell(Conf.msg("conf.Mark", "again"));
        Conf.waitLog(4);
        Conf.flush();

        // 5. Restarted, alive.
        Conf.say("count.w", Conf.askStr(w, "conf.Get", ""));
        Conf.say("alive.w", w.isAlive() ? "1" : "0");

        Conf.finish(sys);
    }
}
