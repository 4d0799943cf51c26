"""timers: once, every and cron schedules, in deadline order, cancelled by reference."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Ticker(akt.Actor):
    def __init__(self) -> None:
        self.ticks = 0

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Once"):
            conf.log("once", msg.text)
        elif conf.is_(msg, "conf.Tick"):
            self.ticks += 1
        elif conf.is_(msg, "conf.Count"):
            conf.respond(ctx, "conf.Count", str(self.ticks))
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


def once(system, pid, text, delay_ms, ref):
    try:
        return system.schedule_once(pid, conf.msg("conf.Once", text), delay_ms / 1000,
                                    reference=ref)
    except akt.AktError as e:
        return e.name


system = conf.system_create()
t = system.spawn("ticker", Ticker())

# 1. Fires come in deadline order, not in the order they were made.
conf.say("schedule.once", once(system, t, "a", 600, "once-a"))
conf.say("schedule.once", once(system, t, "b", 200, "once-b"))
conf.say("schedule.once", once(system, t, "c", 400, "once-c"))
conf.wait_log(3)
conf.flush()

# 2. A generated reference is a UUID.
ref = once(system, t, "d", 0, None)
conf.say("reference.generated", f"{len(ref)} chars")
conf.wait_log(1)
conf.flush()

# 3. Every interval until cancelled; nothing after the cancel returned.
conf.say("schedule.every", system.schedule_every(t, conf.msg("conf.Tick"), 0.010, initial_delay=0,
                                                 reference="every"))
wait_ticks(t, 3)
conf.say("every.fired", "at least 3")
conf.say("cancel.every", conf.rc_of(lambda: system.cancel_schedule("every")))
n1 = count(t)
time.sleep(0.05)
n2 = count(t)
conf.say("every.after_cancel", "same" if n1 == n2 else "more")
conf.say("cancel.again", conf.rc_of(lambda: system.cancel_schedule("every")))

# 4. A cancelled schedule never fires: the later one comes first.
once(system, t, "never", 100, "never")
conf.say("cancel.never", conf.rc_of(lambda: system.cancel_schedule("never")))
once(system, t, "e", 150, "once-e")
conf.wait_log(1)
conf.flush()

# 5. References are unique.
r = once(system, t, "x", 3600 * 1000, "dup")
conf.say("schedule.dup", "ok" if r == "dup" else r)
conf.say("duplicate", once(system, t, "x", 0, "dup"))
conf.say("schedules", str(len(system.schedules())))
conf.say("cancel.dup", conf.rc_of(lambda: system.cancel_schedule("dup")))
conf.say("schedules", str(len(system.schedules())))

# 6. On a cron expression, every second: listed with it, fires, cancelled; a bad one names
# its column.
c0 = count(t)
conf.say("schedule.cron", system.schedule_cron(t, conf.msg("conf.Tick"), "* * * * * ?", utc=True,
                                               reference="cron"))
for info in system.schedules():
    if info.kind == "cron":
        conf.say("cron.listed", f'cron "{info.expression}" {"utc" if info.utc else "local"}')
wait_ticks(t, c0 + 2)
conf.say("cron.fired", "at least 2")
conf.say("cancel.cron", conf.rc_of(lambda: system.cancel_schedule("cron")))
try:
    system.schedule_cron(t, conf.msg("conf.Tick"), "0 0 25 * * ?")
    conf.say("cron.bad", "ok")
except akt.CronSyntaxError as e:
    conf.say("cron.bad", f"{e.name} at column {e.column}")
conf.say("schedules", str(len(system.schedules())))

conf.system_finish(system)
