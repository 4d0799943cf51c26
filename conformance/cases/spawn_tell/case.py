"""spawn_tell: named and anonymous actors, a duplicate name, tells and asks, lookup."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Counter(akt.Actor):
    """conf.Incr "<k>" adds k; conf.Get answers conf.Count "<n>"."""

    def __init__(self) -> None:
        self.n = 0

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Incr"):
            self.n += conf.num(msg)
        elif conf.is_(msg, "conf.Get"):
            conf.respond(ctx, "conf.Count", str(self.n))
        else:
            ctx.unhandled()


system = conf.system_create()

named = system.spawn("counter", Counter())
conf.say("spawn.named", conf.path(named))

anonymous = system.spawn(None, Counter())
conf.say("spawn.anonymous", conf.path(anonymous))

conf.say("spawn.duplicate", conf.rc_of(lambda: system.spawn("counter", Counter())))

for _ in range(10):
    named.tell(conf.msg("conf.Incr", "1"))
conf.say("count.named", conf.ask_str(named, "conf.Get"))

for _ in range(3):
    anonymous.tell(conf.msg("conf.Incr", "5"))
conf.say("count.anonymous", conf.ask_str(anonymous, "conf.Get"))

conf.say("count.named_again", conf.ask_str(named, "conf.Get"))

found = system.lookup("counter")
conf.say("lookup.named", "same pid" if found == named else "different pid")
conf.say("alive.named", "1" if named.is_alive else "0")

conf.system_finish(system)
