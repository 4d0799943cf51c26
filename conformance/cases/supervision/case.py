"""supervision: restart (mailbox kept), resume, stop and escalate; deciders."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from conf_supervised import Manager, Observer  # noqa: E402


def judge(error: akt.AktError, reason):
    reason = reason or ""
    for word, directive in (("resume", akt.Directive.RESUME), ("stop", akt.Directive.STOP),
                            ("escalate", akt.Directive.ESCALATE)):
        if word in reason:
            break
    else:
        directive = akt.Directive.RESTART
    conf.log("decide", f"judge {error.name} -> {directive.name.lower()}")
    return directive


def court(error: akt.AktError, reason):
    conf.log("decide", f"court {error.name} -> stop")
    return akt.Directive.STOP


def ask(step: str, pid: akt.Pid, type_: str, text: str = "") -> None:
    conf.say(step, conf.ask_str(pid, type_, text))


def alive(pid: akt.Pid) -> str:
    return "1" if pid.is_alive else "0"


system = conf.system_create()

# 1. Restart (the default): the mailbox is kept, pre_start resets n.
boss = system.spawn("boss", Manager())
ask("spawn.w1", boss, "conf.SpawnWorker", "w1")
w1 = system.lookup("boss/w1")
for m in ["conf.Incr"] * 3 + ["conf.Fail restart"] + ["conf.Incr"] * 2:
    type_, _, text = m.partition(" ")
    w1.tell(conf.msg(type_, text))
ask("count.w1", w1, "conf.Get")
conf.flush()

# 2. Resume: the state is kept.
court_pid = system.spawn("court", Manager(child_supervisor=akt.Supervisor(decide=judge)),
                         supervisor=akt.Supervisor(decide=court))
ask("spawn.judge", court_pid, "conf.SpawnManager", "judge")
judge_pid = system.lookup("court/judge")
ask("spawn.w2", judge_pid, "conf.SpawnWorker", "w2")
w2 = system.lookup("court/judge/w2")
for m in ["conf.Incr"] * 2 + ["conf.Fail resume", "conf.Incr"]:
    type_, _, text = m.partition(" ")
    w2.tell(conf.msg(type_, text))
ask("count.w2", w2, "conf.Get")
conf.flush()
w2.stop_graceful_sync(conf.ASK_S)
conf.say("stop.w2", "ok")
conf.flush()

# 3. Stop.
observer = system.spawn("observer", Observer())
ask("spawn.w3", judge_pid, "conf.SpawnWorker", "w3")
w3 = system.lookup("court/judge/w3")
w3.tell(conf.msg("conf.Incr"))
ask("count.w3", w3, "conf.Get")
ask("watch.w3", observer, "conf.Watch", "court/judge/w3")
conf.flush()
w3.tell(conf.msg("conf.Fail", "stop"))
conf.wait_log(4)
conf.flush()
conf.say("alive.w3", alive(w3))

# 4. Escalate: the judge fails with w4's error and the court stops it.
ask("spawn.w4", judge_pid, "conf.SpawnWorker", "w4")
w4 = system.lookup("court/judge/w4")
ask("count.w4", w4, "conf.Get")
ask("watch.judge", observer, "conf.Watch", "court/judge")
conf.flush()
w4.tell(conf.msg("conf.Fail", "escalate"))
conf.wait_log(6)
conf.flush()
conf.say("alive.judge", alive(judge_pid))
conf.say("alive.court", alive(court_pid))

conf.system_finish(system)
