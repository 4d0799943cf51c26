"""retry_suspend: a child out of retries is suspended, then reinstated with a fresh budget."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from conf_supervised import Manager  # noqa: E402


def on_event(ev: akt.Event) -> None:
    kind = "suspended" if ev.kind == akt.EventKind.ACTOR_SUSPENDED else "reinstated"
    conf.log(kind, ev.path or "?")


def tell(pid: akt.Pid, type_: str, text: str = "") -> None:
    pid.tell(conf.msg(type_, text))


system = conf.system_create()
sub = system.subscribe(on_event, akt.EventKind.ACTOR_SUSPENDED | akt.EventKind.ACTOR_REINSTATED)

# 1. A parent with a budget of 1 retry whose exhaustion suspends, and its child.
budget = akt.Supervisor(max_retries=1, within=60, on_retries_exhausted=akt.Directive.SUSPEND)
boss = system.spawn("boss", Manager(), supervisor=budget)
conf.say("spawn.w", conf.ask_str(boss, "conf.SpawnWorker", "w"))
w = system.lookup("boss/w")
conf.wait_log(2)
conf.flush_sorted()

# 2. The first failure restarts, the second is out of retries: suspended.
for type_, text in [("conf.Incr", ""), ("conf.Fail", "one"), ("conf.Incr", ""),
                    ("conf.Fail", "two"), ("conf.Incr", "")]:
    tell(w, type_, text)
conf.wait_log(5)
conf.flush()

# 3. Refused while suspended.
conf.say("tell.w", conf.rc_of(lambda: tell(w, "conf.Incr")))
conf.say("ask.w", conf.ask_str(w, "conf.Get"))

# 4. Reinstated by name: the state was kept, the queued message handled.
system.reinstate_named("boss/w")
conf.wait_log(1)
conf.flush()
conf.say("count.w", conf.ask_str(w, "conf.Get"))

# 5. A fresh budget: the next failure restarts again, the one after suspends.
tell(w, "conf.Fail", "three")
tell(w, "conf.Incr")
conf.wait_log(3)
conf.flush()
conf.say("count.w", conf.ask_str(w, "conf.Get"))
tell(w, "conf.Fail", "four")
conf.wait_log(2)
conf.flush()
conf.say("alive.w", "1" if w.is_alive else "0")

sub.close()
conf.system_finish(system)
