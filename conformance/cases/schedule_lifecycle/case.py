"""schedule_lifecycle: pause/resume, listing, sender, the end of a stopped actor's
schedules, dead letters for a gone target, shutdown."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Worker(akt.Actor):
    def __init__(self) -> None:
        self.ticks = 0

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Tick"):
            self.ticks += 1
        elif conf.is_(msg, "conf.Count"):
            conf.respond(ctx, "conf.Count", str(self.ticks))
        elif conf.is_(msg, "conf.Hello"):
            conf.log("hello", f"from={conf.path(ctx.sender)}")
        else:
            ctx.unhandled()


def count(pid: akt.Pid) -> int:
    return conf.num(pid.ask_sync(conf.msg("conf.Count"), conf.ASK_S))


def wait_ticks(pid: akt.Pid, k: int) -> None:
    for _ in range(5000):
        if count(pid) >= k:
            return
        time.sleep(0.002)
    conf.fatal(f"waited 10 s for {k} ticks")


def show(system: akt.ActorSystem) -> None:
    for info in system.schedules():
        conf.say("schedule", f"{info.reference} {info.kind} paused={'yes' if info.paused else 'no'}")


system = conf.system_create()
w = system.spawn("worker", Worker())
g = system.spawn("greeter", Worker())

# 1. Pause keeps the reference and stops the fires; resume starts them again.
system.schedule_every(w, conf.msg("conf.Tick"), 0.010, initial_delay=0, reference="beat")
wait_ticks(w, 2)
conf.say("pause", conf.rc_of(lambda: system.pause_schedule("beat")))
conf.say("pause.again", conf.rc_of(lambda: system.pause_schedule("beat")))
show(system)
n1 = count(w)
time.sleep(0.06)
n2 = count(w)
conf.say("paused.quiet", "yes" if n1 == n2 else "no")
conf.say("resume", conf.rc_of(lambda: system.resume_schedule("beat")))
wait_ticks(w, n1 + 1)
conf.say("resumed", "yes")
show(system)

# 2. Unknown references.
conf.say("pause.unknown", conf.rc_of(lambda: system.pause_schedule("nope")))
conf.say("resume.unknown", conf.rc_of(lambda: system.resume_schedule("nope")))
conf.say("cancel.unknown", conf.rc_of(lambda: system.cancel_schedule("nope")))
# ft begin: the schedule errors carry the reference
try:
    system.cancel_schedule("nope")
except akt.ScheduleNotFound as e:
    conf.say("unknown.reference", e.reference)
try:
    system.schedule_once(w, conf.msg("conf.Tick"), 3600, reference="beat")
except akt.ScheduleExists as e:
    conf.say("taken", f"{e.name} {e.reference}")
# ft end

# 3. The fires' sender.
system.schedule_once(w, conf.msg("conf.Hello"), 0, reference="hello", sender=g)
conf.wait_log(1)
conf.flush()

# 4. The schedules of an actor that stops end with it, paused ones too.
system.schedule_once(w, conf.msg("conf.Tick"), 3600, reference="later")
system.pause_schedule("later")
show(system)
conf.say("stop.worker", conf.rc_of(lambda: w.stop_graceful_sync(conf.ASK_S)))
for i in range(5001):
    if not system.schedules():
        break
    if i == 5000:
        conf.fatal("the stopped worker's schedules did not end")
    time.sleep(0.002)
conf.say("after.stop", "0 schedules")
conf.say("cancel.beat", conf.rc_of(lambda: system.cancel_schedule("beat")))


# 5. A fire whose target is gone is a dead letter, and ends its schedule.
def on_dead_letter(event: akt.Event) -> None:
    m = event.message
    if isinstance(m, akt.Bytes) and m.type.startswith("conf."):
        conf.log("dead_letter", f"{m.type} {m.text} to={'worker' if event.pid == w else 'other'}")


subscription = system.on_dead_letter(on_dead_letter)
conf.say("schedule.stopped", conf.rc_of(
    lambda: system.schedule_once(w, conf.msg("conf.Late", "gone"), 0, reference="ghost")))
conf.wait_log(1)
conf.flush()
conf.say("schedules", str(len(system.schedules())))
subscription.close()

# 6. A cron schedule (every second) pauses, resumes and cancels like the others.
conf.say("schedule.cron", system.schedule_cron(g, conf.msg("conf.Tick"), "* * * * * ?", utc=True,
                                               reference="cron"))
show(system)
wait_ticks(g, 1)
conf.say("pause.cron", conf.rc_of(lambda: system.pause_schedule("cron")))
show(system)
c1 = count(g)
time.sleep(1.5)
c2 = count(g)
conf.say("paused.quiet.cron", "yes" if c1 == c2 else "no")
conf.say("resume.cron", conf.rc_of(lambda: system.resume_schedule("cron")))
wait_ticks(g, c1 + 1)
conf.say("resumed.cron", "yes")
conf.say("cancel.cron", conf.rc_of(lambda: system.cancel_schedule("cron")))
conf.say("after.cancel", f"{len(system.schedules())} schedules")

# 7. Shutdown ends what is still pending.
system.schedule_once(g, conf.msg("conf.Tick"), 3600, reference="pending")
conf.system_finish(system)
