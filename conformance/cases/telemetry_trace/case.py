"""telemetry_trace: a request through three actors is one trace; spans by stable labels."""
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from akt import tracing  # noqa: E402

lock = threading.Lock()
spans: list = []
c_saw = [""]


def sink(s: tracing.Span) -> None:
    with lock:
        spans.append(s)


def wait_spans(n: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with lock:
            if len(spans) >= n:
                return
        time.sleep(0.001)
    conf.fatal(f"only {len(spans)} spans of {n}")


class Relay(akt.Actor):
    def __init__(self, to: akt.Pid) -> None:
        self.to = to

    def receive(self, ctx, msg):
        ctx.tell(self.to, conf.msg("conf.Step"))


class Keeper(akt.Actor):
    def receive(self, ctx, msg):
        with lock:
            c_saw[0] = ctx.headers.get("traceparent", "")


system = conf.system_create()
tracing.set_sink(system, sink)
c = system.spawn("c", Keeper())
b = system.spawn("b", Relay(c))
a = system.spawn("a", Relay(b))
a.tell(conf.msg("conf.Go"))
wait_spans(3)
with lock:
    got = list(spans[:3])
order = [s for s in got if s.parent_id is None]
while 0 < len(order) < 3:
    nxt = [s for s in got if s.parent_id == order[-1].span_id]
    if not nxt:
        break
    order.append(nxt[0])
if len(order) != 3:
    conf.fatal("the spans are not one chain")
labels = {s.span_id: f"S{i + 1}" for i, s in enumerate(order)}
for i, s in enumerate(order):
    path = s.actor_path[s.actor_path.find("/user"):]
    parent = labels.get(s.parent_id, "none") if s.parent_id else "none"
    trace = "T1" if s.trace_id == order[0].trace_id else "T2"
    conf.say("span", f"S{i + 1} {s.name} {path} parent={parent} trace={trace} status={s.status}")
with lock:
    saw = tracing.parse_traceparent(c_saw[0])
conf.say("c.saw", labels.get(saw.span_id, "?") if saw else "?")
c.tell(conf.msg("conf.Step"), headers={"traceparent": "00-bad"})
wait_spans(4)
with lock:
    fourth = spans[3]
conf.say("invalid", f"{tracing.invalid_count(system)} root={'yes' if fourth.parent_id is None else 'no'}")
conf.system_finish(system)
