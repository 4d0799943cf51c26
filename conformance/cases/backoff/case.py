"""backoff: restarts wait on akt's timer; messages sent meanwhile are handled after them."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from conf_supervised import Manager  # noqa: E402


system = conf.system_create()

# 1. A parent whose restarts back off.
boss = system.spawn("boss", Manager(),
                    supervisor=akt.Supervisor(backoff=akt.Backoff(0.1, 1.0, multiplier=2)))

# 2. The child.
conf.say("spawn.w", conf.ask_str(boss, "conf.SpawnWorker", "w"))
w = system.lookup("boss/w")
conf.wait_log(2)  # pre_start of boss and of w: w starts after SpawnWorker answers
conf.flush_sorted()

# 3. The first restart waits; what is sent meanwhile is handled after it.
w.tell(conf.msg("conf.Incr"))
w.tell(conf.msg("conf.Fail", "first"))
conf.wait_log(1)
w.tell(conf.msg("conf.Incr"))
w.tell(conf.msg("conf.Mark", "during"))
conf.wait_log(4)
conf.flush()

# 4. The second restart waits longer; the order is the same.
w.tell(conf.msg("conf.Fail", "second"))
conf.wait_log(1)
w.tell(conf.msg("conf.Mark", "again"))
conf.wait_log(4)
conf.flush()

# 5. Restarted, alive.
conf.say("count.w", conf.ask_str(w, "conf.Get"))
conf.say("alive.w", "1" if w.is_alive else "0")

conf.system_finish(system)
