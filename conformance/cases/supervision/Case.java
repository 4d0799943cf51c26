// supervision: restart (the default) keeps the mailbox, resume keeps the state, stop,
// escalate to the grandparent.
import dev.akt.*;

public class Case {
    static final String[] DIRECTIVE_NAMES = {"restart", "resume", "stop", "escalate"};

    static String name(Directive d) {
        return DIRECTIVE_NAMES[d.ordinal()];
    }

    /** The judge picks the directive named in the reason. */
    static final SupervisorStrategy JUDGE = SupervisorStrategy.oneForOne(f -> {
        String reason = f.reason() != null ? f.reason() : "";
        Directive d = reason.contains("resume") ? Directive.RESUME
                : reason.contains("stop") ? Directive.STOP
                : reason.contains("escalate") ? Directive.ESCALATE
                : Directive.RESTART;
        Conf.log("decide", "judge " + f.errorName() + " -> " + name(d));
        return d;
    });

    /** The court stops. */
    static final SupervisorStrategy COURT = SupervisorStrategy.oneForOne(f -> {
        Conf.log("decide", "court " + f.errorName() + " -> stop");
        return Directive.STOP;
    });

    static void askStep(Pid pid, String step, String type, String text) {
        Conf.say(step, Conf.askStr(pid, type, text));
    }

    static void tellN(Pid pid, String type, String text, int n) {
        for (int i = 0; i < n; i++) {
            pid.tell(Conf.msg(type, text));
        }
    }

    public static void main(String[] args) {
        ActorSystem sys = Conf.system();

        // 1. Restart, the default directive: fresh state, and the mailbox is kept.
        Pid boss = sys.spawn("boss", new Supervised.Manager());
        askStep(boss, "spawn.w1", "conf.SpawnWorker", "w1");
        Pid w1 = sys.lookup("boss/w1");
        tellN(w1, "conf.Incr", "", 3);
        tellN(w1, "conf.Fail", "restart", 1);
        tellN(w1, "conf.Incr", "", 2);
        askStep(w1, "count.w1", "conf.Get", "");
        Conf.flush();

        // 2. Resume: the state survives the failure.
        Pid court = sys.spawn("court", Props.of(new Supervised.Manager(JUDGE)).withSupervisor(COURT));
        askStep(court, "spawn.judge", "conf.SpawnManager", "judge");
        Pid judge = sys.lookup("court/judge");
        askStep(judge, "spawn.w2", "conf.SpawnWorker", "w2");
        Pid w2 = sys.lookup("court/judge/w2");
        tellN(w2, "conf.Incr", "", 2);
        tellN(w2, "conf.Fail", "resume", 1);
        tellN(w2, "conf.Incr", "", 1);
        askStep(w2, "count.w2", "conf.Get", "");
        Conf.flush();
        Conf.say("stop.w2", Conf.stopGraceful(w2));
        Conf.flush();

        // 3. Stop: the failing child stops.
        Pid observer = sys.spawn("observer", new Supervised.Observer());
        askStep(judge, "spawn.w3", "conf.SpawnWorker", "w3");
        Pid w3 = sys.lookup("court/judge/w3");
        tellN(w3, "conf.Incr", "", 1);
        askStep(w3, "count.w3", "conf.Get", "");
        askStep(observer, "watch.w3", "conf.Watch", "court/judge/w3");
        Conf.flush();
        tellN(w3, "conf.Fail", "stop", 1);
        Conf.waitLog(4); // fail, decide, post_stop, terminated
        Conf.flush();
        Conf.say("alive.w3", w3.isAlive() ? "1" : "0");

        // 4. Escalate: the judge fails with w4's error; the court stops the judge, w4 first.
        askStep(judge, "spawn.w4", "conf.SpawnWorker", "w4");
        Pid w4 = sys.lookup("court/judge/w4");
        askStep(w4, "count.w4", "conf.Get", "");
        askStep(observer, "watch.judge", "conf.Watch", "court/judge");
        Conf.flush();
        tellN(w4, "conf.Fail", "escalate", 1);
        Conf.waitLog(6); // fail, 2 decides, 2 post_stops, terminated
        Conf.flush();
        Conf.say("alive.judge", judge.isAlive() ? "1" : "0");
        Conf.say("alive.court", court.isAlive() ? "1" : "0");

        Conf.finish(sys);
    }
}
