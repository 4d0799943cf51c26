"""error_rules: rules by exception class answer before the decider, the most specific first."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from conf_supervised import Fatal, InvalidInput, Manager, Observer  # noqa: E402


def judge(error: akt.AktError, reason):
    conf.log("decide", f"{error.name} -> restart")
    return akt.Directive.RESTART


system = conf.system_create()

# 1. A parent with rules and a decider, and an observer.
boss = system.spawn("boss", Manager(), supervisor=akt.Supervisor(
    decide=judge, rules={InvalidInput: akt.Directive.RESUME, Fatal: akt.Directive.STOP}))
observer = system.spawn("observer", Observer())

# 2. The child, watched.
conf.say("spawn.w", conf.ask_str(boss, "conf.SpawnWorker", "w"))
w = system.lookup("boss/w")
conf.say("watch.w", conf.ask_str(observer, "conf.Watch", "boss/w"))
conf.wait_log(2)  # pre_start of boss and of w: w starts after SpawnWorker answers
conf.flush_sorted()

# 3. A rule resumes, without the decider.
for type_, text in [("conf.Incr", ""), ("conf.Fail", "invalid"), ("conf.Incr", "")]:
    w.tell(conf.msg(type_, text))
conf.say("count.resumed", conf.ask_str(w, "conf.Get"))
conf.flush()

# 4. No rule: the decider restarts.
w.tell(conf.msg("conf.Fail", "other"))
w.tell(conf.msg("conf.Incr"))
conf.say("count.restarted", conf.ask_str(w, "conf.Get"))
conf.flush()

# 5. A rule stops (Fatal's own rule, not InvalidInput's).
w.tell(conf.msg("conf.Fail", "fatal"))
conf.wait_log(3)
conf.flush()
conf.say("alive.w", "1" if w.is_alive else "0")

conf.system_finish(system)
