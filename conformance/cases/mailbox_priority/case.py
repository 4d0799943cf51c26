"""mailbox_priority: a priority mailbox orders the waiting messages; ties keep arrival order."""
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

SENT = ["3:a", "1:b", "2:c", "1:d", "3:e", "1:f", "2:g"]


class Sink(akt.Actor):
    """conf.Hold waits for release; anything else is recorded."""

    def __init__(self) -> None:
        self.held = threading.Event()
        self.release = threading.Event()
        self.seen: list[str] = []

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Hold"):
            self.held.set()
            self.release.wait()
        else:
            self.seen.append(msg.text)


def wait_until(cond) -> None:
    while not cond():
        time.sleep(0.001)


system = conf.system_create()
sink = Sink()
# On akt's workers: the held sink must not keep the Python runner (this thread's) busy.
pid = system.spawn(None, sink, dispatcher="workers",
                   mailbox=akt.Priority(key=lambda m: int(m.text.split(":")[0])))
pid.tell(conf.msg("conf.Hold"))
sink.held.wait()
for text in SENT:
    pid.tell(conf.msg("conf.N", text))
conf.say("priority.sent", " ".join(SENT))
sink.release.set()
wait_until(lambda: len(sink.seen) >= len(SENT))
conf.say("priority.received", " ".join(sink.seen))

pid.tell(conf.msg("conf.N", "0:h"))
wait_until(lambda: len(sink.seen) >= len(SENT) + 1)
conf.say("priority.after", " ".join(sink.seen[len(SENT):]))

conf.system_finish(system)
