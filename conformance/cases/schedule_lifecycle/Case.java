// schedule_lifecycle: pause/resume, listing, sender, the end of a stopped actor's
// schedules, dead letters for a gone target, shutdown.
import dev.akt.*;
import java.time.Duration;

public class Case {
    static final class Worker implements Actor {
        long ticks;

        @Override
        public void receive(Context ctx, Object msg) {
            if (Conf.is(msg, "conf.Tick")) {
                ticks++;
            } else if (Conf.is(msg, "conf.Count")) {
                Conf.respond(ctx, "conf.Count", Long.toString(ticks));
            } else if (Conf.is(msg, "conf.Hello")) {
                Pid sender = ctx.sender();
                Conf.log("hello", "from=" + (sender != null ? Conf.path(sender) : "-"));
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

    static void show(ActorSystem system) {
        for (ScheduleInfo info : system.schedules()) {
            Conf.say("schedule", info.reference() + " "
                    + switch (info.kind()) {
                        case EVERY -> "every";
                        case CRON -> "cron";
                        default -> "once";
                    }
                    + " paused=" + (info.paused() ? "yes" : "no"));
        }
    }

    static ScheduleOptions ref(String reference) {
        return ScheduleOptions.defaults().withReference(reference);
    }

    public static void main(String[] args) throws Exception {
        ActorSystem system = Conf.system();
        Pid w = system.spawn("worker", new Worker());
        Pid g = system.spawn("greeter", new Worker());

        // 1. Pause keeps the reference and stops the fires; resume starts them again.
        system.scheduleEvery(w, Conf.msg("conf.Tick", ""), Duration.ZERO, Duration.ofMillis(10), ref("beat"));
        waitTicks(w, 2);
        Conf.say("pause", Conf.rc(() -> system.pauseSchedule("beat")));
        Conf.say("pause.again", Conf.rc(() -> system.pauseSchedule("beat")));
        show(system);
        long n1 = count(w);
        Thread.sleep(60);
        long n2 = count(w);
        Conf.say("paused.quiet", n1 == n2 ? "yes" : "no");
        Conf.say("resume", Conf.rc(() -> system.resumeSchedule("beat")));
        waitTicks(w, n1 + 1);
        Conf.say("resumed", "yes");
        show(system);

        // 2. Unknown references.
        Conf.say("pause.unknown", Conf.rc(() -> system.pauseSchedule("nope")));
        Conf.say("resume.unknown", Conf.rc(() -> system.resumeSchedule("nope")));
        Conf.say("cancel.unknown", Conf.rc(() -> system.cancelSchedule("nope")));
        // ft begin: the schedule errors carry the reference
        try {
            system.cancelSchedule("nope");
        } catch (ScheduleNotFoundException e) {
            Conf.say("unknown.reference", e.reference());
        }
        try {
            system.scheduleOnce(w, Conf.msg("conf.Tick", ""), Duration.ofHours(1), ref("beat"));
        } catch (ScheduleExistsException e) {
            Conf.say("taken", e.codeName() + " " + e.reference());
        }
        // ft end

        // 3. The fires' sender.
        system.scheduleOnce(w, Conf.msg("conf.Hello", ""), Duration.ZERO, ref("hello").withSender(g));
        Conf.waitLog(1);
        Conf.flush();

        // 4. The schedules of an actor that stops end with it, paused ones too.
        system.scheduleOnce(w, Conf.msg("conf.Tick", ""), Duration.ofHours(1), ref("later"));
        system.pauseSchedule("later");
        show(system);
        Conf.say("stop.worker", Conf.stopGraceful(w));
        for (int i = 0; !system.schedules().isEmpty(); i++) {
            if (i == 5000) {
                throw Conf.fatal("the stopped worker's schedules did not end");
            }
            Thread.sleep(2);
        }
        Conf.say("after.stop", "0 schedules");
        Conf.say("cancel.beat", Conf.rc(() -> system.cancelSchedule("beat")));

        // 5. A fire whose target is gone is a dead letter, and ends its schedule.
        try (Subscription s = system.deadLetters(ev -> {
            if (ev.message() instanceof BytesMessage m && m.type().startsWith("conf.")) {
                Conf.log("dead_letter", m.type() + " " + Conf.text(m) + " to=" + (w.equals(ev.pid()) ? "worker" : "other"));
            }
        })) {
            Conf.say("schedule.stopped", Conf.rc(() -> system.scheduleOnce(w, Conf.msg("conf.Late", "gone"),
                    Duration.ZERO, ref("ghost"))));
            Conf.waitLog(1);
            Conf.flush();
            Conf.say("schedules", Integer.toString(system.schedules().size()));
        }

        // 6. A cron schedule (every second) pauses, resumes and cancels like the others.
        Conf.say("schedule.cron", system.scheduleCron(g, Conf.msg("conf.Tick", ""), "* * * * * ?", true, ref("cron")));
        show(system);
        waitTicks(g, 1);
        Conf.say("pause.cron", Conf.rc(() -> system.pauseSchedule("cron")));
        show(system);
        long c1 = count(g);
        Thread.sleep(1500);
        long c2 = count(g);
        Conf.say("paused.quiet.cron", c1 == c2 ? "yes" : "no");
        Conf.say("resume.cron", Conf.rc(() -> system.resumeSchedule("cron")));
        waitTicks(g, c1 + 1);
        Conf.say("resumed.cron", "yes");
        Conf.say("cancel.cron", Conf.rc(() -> system.cancelSchedule("cron")));
        Conf.say("after.cancel", system.schedules().size() + " schedules");

        // 7. Shutdown ends what is still pending.
        system.scheduleOnce(g, Conf.msg("conf.Tick", ""), Duration.ofHours(1), ref("pending"));
        Conf.finish(system);
    }
}
