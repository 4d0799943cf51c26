// supervision_all_for_one: one child of a one-for-all parent fails, all three restart.
import dev.akt.*;
import java.util.ArrayList;
import java.util.List;

public class Case {
    static final String[] NAMES = {"a", "b", "c"};

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. A parent whose children are supervised one-for-all.
        Pid boss = sys.spawn("boss",
                Props.of(new Supervised.Manager()).withSupervisor(SupervisorStrategy.RESTART.oneForAll()));

        // 2. Three children with different counts.
        List<Pid> workers = new ArrayList<>();
        for (String name : NAMES) {
            Conf.say("spawn." + name, Conf.askStr(boss, "conf.SpawnWorker", name));
            workers.add(sys.lookup("boss/" + name));
        }
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k <= i; k++) {
                workers.get(i).tell(Conf.msg("conf.Incr", ""));
            }
        }
        for (int i = 0; i < 3; i++) {
            Conf.say("count." + NAMES[i], Conf.askStr(workers.get(i), "conf.Get", ""));
        }
        Conf.flushSorted();

        // 3. One fails: every child of boss restarts.
        workers.get(1).tell(Conf.msg("conf.Fail", "boom"));
        Conf.waitLog(7); // fail, 3 post_stops, 3 pre_starts
        Conf.flushSorted();

        // 4. All three start from zero and are alive.
        for (int i = 0; i < 3; i++) {
            Conf.say("after." + NAMES[i], Conf.askStr(workers.get(i), "conf.Get", ""));
        }
        for (int i = 0; i < 3; i++) {
            Conf.say("alive." + NAMES[i], workers.get(i).isAlive() ? "1" : "0");
        }

        Conf.finish(sys);
    }
}
