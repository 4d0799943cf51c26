// timers: once and every schedules, in deadline order, cancelled by reference.
import dev.akt.*;
import java.time.Duration;

public class Case {
    static final class Ticker implements Actor {
        long ticks;

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Once")) {
                Conf.log("once", Conf.text(msg));
            } else if (Conf.is(msg, "conf.Tick")) {
                ticks++;
            } else if (Conf.is(msg, "conf.Count")) {
                Conf.respond(ctx, "conf.Count", Long.toString(ticks));
            } else {
                ctx.unhandled();
            }
        }
    }

    static long count(Pid pid) throws Exception {
        return Conf.num(pid.ask(Conf.msg("conf.Count", ""), Conf.ASK).get());
    }

    static void waitTicks(Pid pid, long k) throws Exception {
        for (int i = 0; i < 5000; i++) {
            if (count(pid) >= k) {
                return;
            }
            Thread.sleep(2);
        }
        throw Conf.fatal("waited 10 s for " + k + " ticks");
    }

    static String once(ActorSystem system, Pid pid, String text, long delayMs, String ref) {
        try {
            return system.scheduleOnce(pid, Conf.msg("conf.Once", text), Duration.ofMillis(delayMs),
                    ScheduleOptions.defaults().withReference(ref));
        } catch (RuntimeException e) {
            return Conf.errorName(e);
        }
    }

    public static void main(String[] args) throws Exception {
        // Kinds before the system: run.py --remote's node B spawns them by name.
        Conf.kind("ticker", Ticker::new);
        ActorSystem system = Conf.system();
        Pid t = Conf.spawn(system, "ticker");

        // 1. Fires come in deadline order, not in the order they were made.
        Conf.say("schedule.once", once(system, t, "a", 600, "once-a"));
        Conf.say("schedule.once", once(system, t, "b", 200, "once-b"));
        Conf.say("schedule.once", once(system, t, "c", 400, "once-c"));
        Conf.waitLog(3);
        Conf.flush();

        // 2. A generated reference is a UUID.
        String ref = once(system, t, "d", 0, null);
        Conf.say("reference.generated", ref.length() + " chars");
        Conf.waitLog(1);
        Conf.flush();

        // 3. Every interval until cancelled; nothing after the cancel returned.
        Conf.say("schedule.every", system.scheduleEvery(t, Conf.msg("conf.Tick", ""), Duration.ZERO,
                Duration.ofMillis(10), ScheduleOptions.defaults().withReference("every")));
        waitTicks(t, 3);
        Conf.say("every.fired", "at least 3");
        Conf.say("cancel.every", Conf.rc(() -> system.cancelSchedule("every")));
        long n1 = count(t);
        Thread.sleep(50);
        long n2 = count(t);
        Conf.say("every.after_cancel", n1 == n2 ? "same" : "more");
        Conf.say("cancel.again", Conf.rc(() -> system.cancelSchedule("every")));

        // 4. A cancelled schedule never fires: the later one comes first.
        once(system, t, "never", 100, "never");
        Conf.say("cancel.never", Conf.rc(() -> system.cancelSchedule("never")));
        once(system, t, "e", 150, "once-e");
        Conf.waitLog(1);
        Conf.flush();

        // 5. References are unique.
        String r = once(system, t, "x", 3600L * 1000, "dup");
        Conf.say("schedule.dup", r.equals("dup") ? "ok" : r);
        Conf.say("duplicate", once(system, t, "x", 0, "dup"));
        Conf.say("schedules", Integer.toString(system.schedules().size()));
        Conf.say("cancel.dup", Conf.rc(() -> system.cancelSchedule("dup")));
        Conf.say("schedules", Integer.toString(system.schedules().size()));

        // 6. On a cron expression, every second: listed with it, fires, cancelled; a bad one
        // names its column.
        long c0 = count(t);
        Conf.say("schedule.cron", system.scheduleCron(t, Conf.msg("conf.Tick", ""), "* * * * * ?", true,
                ScheduleOptions.defaults().withReference("cron")));
        for (ScheduleInfo info : system.schedules()) {
            if (info.kind() == ScheduleInfo.Kind.CRON) {
                Conf.say("cron.listed", "cron \"" + info.expression() + "\" " + (info.utc() ? "utc" : "local"));
            }
        }
        waitTicks(t, c0 + 2);
        Conf.say("cron.fired", "at least 2");
        Conf.say("cancel.cron", Conf.rc(() -> system.cancelSchedule("cron")));
        try {
            system.scheduleCron(t, Conf.msg("conf.Tick", ""), "0 0 25 * * ?");
            Conf.say("cron.bad", "ok");
        } catch (CronSyntaxException e) {
            Conf.say("cron.bad", Conf.errorName(e) + " at column " + e.column());
        }
        Conf.say("schedules", Integer.toString(system.schedules().size()));

        Conf.finish(system);
    }
}
