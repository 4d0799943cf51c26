"""supervision_all_for_one: one child of a one-for-all parent fails, all three restart."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from conf_supervised import Manager  # noqa: E402


NAMES = ("a", "b", "c")


system = conf.system_create()

# 1. A parent whose children are supervised one-for-all.
boss = system.spawn("boss", Manager(),
                    supervisor=akt.Supervisor(strategy=akt.Strategy.ONE_FOR_ALL))

# 2. Three children with different counts.
workers = []
for name in NAMES:
    conf.say(f"spawn.{name}", conf.ask_str(boss, "conf.SpawnWorker", name))
    workers.append(system.lookup(f"boss/{name}"))
for i, worker in enumerate(workers):
    for _ in range(i + 1):
        worker.tell(conf.msg("conf.Incr"))
for name, worker in zip(NAMES, workers):
    conf.say(f"count.{name}", conf.ask_str(worker, "conf.Get"))
conf.flush_sorted()

# 3. One fails: every child of boss restarts.
workers[1].tell(conf.msg("conf.Fail", "boom"))
conf.wait_log(7)
conf.flush_sorted()

# 4. All three start from zero and are alive.
for name, worker in zip(NAMES, workers):
    conf.say(f"after.{name}", conf.ask_str(worker, "conf.Get"))
for name, worker in zip(NAMES, workers):
    conf.say(f"alive.{name}", "1" if worker.is_alive else "0")

conf.system_finish(system)
