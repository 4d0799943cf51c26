"""retry_window: with a budget of 2 retries in the window, the third failure stops the child."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from conf_supervised import Manager, Observer  # noqa: E402


system = conf.system_create()

# 1. A parent with a retry budget, and an observer.
boss = system.spawn("boss", Manager(), supervisor=akt.Supervisor(max_retries=2, within=60))
observer = system.spawn("observer", Observer())

# 2. The child, watched.
conf.say("spawn.w", conf.ask_str(boss, "conf.SpawnWorker", "w"))
w = system.lookup("boss/w")
conf.say("watch.w", conf.ask_str(observer, "conf.Watch", "boss/w"))
conf.wait_log(2)  # pre_start of boss and of w: w starts after SpawnWorker answers
conf.flush_sorted()

# 3. Three failures in the window: restart, restart, stop.
for type_, text in [("conf.Incr", ""), ("conf.Fail", "one"), ("conf.Incr", ""), ("conf.Fail", "two"),
                    ("conf.Incr", ""), ("conf.Fail", "three"), ("conf.Incr", "")]:
    w.tell(conf.msg(type_, text))
conf.wait_log(9)
conf.flush()

# 4. Out of retries: stopped.
conf.say("alive.w", "1" if w.is_alive else "0")

conf.system_finish(system)
