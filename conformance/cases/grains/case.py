"""grains: activation on first message, single activation, deactivation and reactivation
with state reset, ask by identity, an unknown kind."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


def counter_kind(kind: str):
    class Counter(akt.Actor):
        def __init__(self, name: str) -> None:
            self.name = name
            self.count = 0

        def pre_start(self, ctx):
            conf.log("activate", f"{kind}/{self.name}")

        def post_stop(self, ctx):
            conf.log("deactivate", f"{kind}/{self.name} count={self.count}")

        def receive(self, ctx, msg):
            if conf.is_(msg, "conf.Inc"):
                self.count += 1
            elif conf.is_(msg, "conf.Get"):
                conf.respond(ctx, "conf.Count", f"{self.name} {self.count}")
            else:
                ctx.unhandled()

    return Counter


def get(system: akt.ActorSystem, kind: str, name: str) -> str:
    try:
        return conf.reply_str(system.grain(kind, name).ask_sync(conf.msg("conf.Get"), conf.ASK_S))
    except akt.AktError as e:
        return conf.rc(e)


system = conf.system_create()

# 1. Kinds, registered by name.
conf.say("register.counter", conf.rc_of(
    lambda: system.register_grain("counter", counter_kind("counter"), deactivate_after=None)))
conf.say("register.session", conf.rc_of(
    lambda: system.register_grain("session", counter_kind("session"), deactivate_after=0.3)))
conf.say("register.counter.again", conf.rc_of(
    lambda: system.register_grain("counter", counter_kind("counter"), deactivate_after=None)))

# 2. The first message activates; the grain keeps its state.
alice = system.grain("counter", "alice")
for _ in range(3):
    alice.tell(conf.msg("conf.Inc"))
conf.say("ask.alice", get(system, "counter", "alice"))
conf.wait_log(1)
conf.flush()

# 3. Another name, another grain.
conf.say("ask.bob", get(system, "counter", "bob"))
conf.wait_log(1)
conf.flush()

# 4. Many messages before the first is handled: one activation.
carol = system.grain("counter", "carol")
for _ in range(100):
    carol.tell(conf.msg("conf.Inc"))
conf.say("ask.carol", get(system, "counter", "carol"))
conf.wait_log(1)
conf.flush()

# 5. An idle session deactivates.
s1 = system.grain("session", "s1")
s1.tell(conf.msg("conf.Inc"))
s1.tell(conf.msg("conf.Inc"))
conf.say("ask.s1", get(system, "session", "s1"))
conf.wait_log(2)
conf.flush()

# 6. The next message activates a fresh one.
conf.say("ask.s1.again", get(system, "session", "s1"))
conf.wait_log(1)
conf.flush()

# 7. An unknown kind.
conf.say("tell.nokind", conf.rc_of(lambda: system.grain("nokind", "x").tell(conf.msg("conf.Inc"))))

conf.system_finish(system)
