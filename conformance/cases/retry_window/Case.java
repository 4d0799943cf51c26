// retry_window: with a budget of 2 retries in the window, the third failure stops the child.
import dev.akt.*;
import java.time.Duration;

public class Case {
    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. A parent with a retry budget, and an observer.
        Pid boss = sys.spawn("boss", Props.of(new Supervised.Manager())
                .withSupervisor(SupervisorStrategy.RESTART.withRetries(2, Duration.ofSeconds(60))));
        Pid observer = sys.spawn("observer", new Supervised.Observer());

        // 2. The child, watched.
        Conf.say("spawn.w", Conf.askStr(boss, "conf.SpawnWorker", "w"));
        Pid w = sys.lookup("boss/w");
        Conf.say("watch.w", Conf.askStr(observer, "conf.Watch", "boss/w"));
        Conf.waitLog(2); // pre_start of boss and of w: w starts after SpawnWorker answers
        Conf.flushSorted();

        // 3. Three failures in the window: restart, restart, stop.
        String[][] tells = {{"conf.Incr", ""}, {"conf.Fail", "one"}, {"conf.Incr", ""},
            {"conf.Fail", "two"}, {"conf.Incr", ""}, {"conf.Fail", "three"}, {"conf.Incr", ""}};
        for (String[] t : tells) {
            w.tell(Conf.msg(t[0], t[1]));
        }
        Conf.waitLog(9); // 3 x (fail, post_stop), 2 pre_starts, terminated
        Conf.flush();

        // 4. Out of retries: stopped.
        Conf.say("alive.w", w.isAlive() ? "1" : "0");

        Conf.finish(sys);
    }
}
