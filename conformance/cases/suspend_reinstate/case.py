"""suspend_reinstate: a suspended child refuses tells and asks until reinstated by name."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from conf_supervised import Manager  # noqa: E402


def on_event(ev: akt.Event) -> None:
    kind = "suspended" if ev.kind == akt.EventKind.ACTOR_SUSPENDED else "reinstated"
    conf.log(kind, ev.path or "?")


system = conf.system_create()
sub = system.subscribe(on_event, akt.EventKind.ACTOR_SUSPENDED | akt.EventKind.ACTOR_REINSTATED)

# 1. A failure suspends w; the message queued behind it stays.
boss = system.spawn("boss", Manager(), supervisor=akt.Supervisor(directive=akt.Directive.SUSPEND))
conf.say("spawn.w", conf.ask_str(boss, "conf.SpawnWorker", "w"))
w = system.lookup("boss/w")
for type_, text in [("conf.Incr", ""), ("conf.Incr", ""), ("conf.Fail", "suspend"),
                    ("conf.Incr", "")]:
    w.tell(conf.msg(type_, text))
conf.wait_log(4)
conf.flush()

# 2. Refused while suspended.
conf.say("tell.w", conf.rc_of(lambda: w.tell(conf.msg("conf.Incr"))))
conf.say("ask.w", conf.ask_str(w, "conf.Get"))

# 3. Reinstated by name: the state was kept, the queued message handled.
system.reinstate_named("boss/w")
conf.wait_log(1)
conf.flush()
conf.say("count.w", conf.ask_str(w, "conf.Get"))

# 4. Suspended again, then stopped.
w.tell(conf.msg("conf.Fail", "again"))
conf.wait_log(2)
conf.flush()
w.stop()
conf.wait_log(1)
conf.flush()

sub.close()
conf.system_finish(system)
