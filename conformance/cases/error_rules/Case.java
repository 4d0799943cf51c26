// error_rules: rules by exception class answer before the decider, the most specific first.
import dev.akt.*;

public class Case {
    static final SupervisorStrategy RULES = SupervisorStrategy.oneForOne(f -> {
        Conf.log("decide", f.errorName() + " -> restart");
        return Directive.RESTART;
    }).withRule(Supervised.InvalidInput.class, Directive.RESUME).withRule(Supervised.Fatal.class, Directive.STOP);

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. A parent with rules and a decider, and an observer.
        Pid boss = sys.spawn("boss", Props.of(new Supervised.Manager()).withSupervisor(RULES));
        Pid observer = sys.spawn("observer", new Supervised.Observer());

        // 2. The child, watched.
        Conf.say("spawn.w", Conf.askStr(boss, "conf.SpawnWorker", "w"));
        Pid w = sys.lookup("boss/w");
        Conf.say("watch.w", Conf.askStr(observer, "conf.Watch", "boss/w"));
        Conf.waitLog(2); // pre_start of boss and of w: w starts after SpawnWorker answers
        Conf.flushSorted();

        // 3. A rule resumes, without the decider.
        w.tell(Conf.msg("conf.Incr", ""));
        w.tell(Conf.msg("conf.Fail", "invalid"));
        w.tell(Conf.msg("conf.Incr", ""));
        Conf.say("count.resumed", Conf.askStr(w, "conf.Get", ""));
        Conf.flush();

        // 4. No rule: the decider restarts.
        w.tell(Conf.msg("conf.Fail", "other"));
        w.tell(Conf.msg("conf.Incr", ""));
        Conf.say("count.restarted", Conf.askStr(w, "conf.Get", ""));
        Conf.flush();

        // 5. A rule stops (Fatal's own rule, not InvalidInput's).
        w.tell(Conf.msg("conf.Fail", "fatal"));
        Conf.waitLog(3); // fail, post_stop, terminated
        Conf.flush();
        Conf.say("alive.w", w.isAlive() ? "1" : "0");

        Conf.finish(sys);
    }
}
