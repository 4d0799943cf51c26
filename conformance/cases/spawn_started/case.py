"""spawn_started: spawn returns after pre_start; its children are visible at once."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Child(akt.Actor):
    def receive(self, ctx, msg):
        ctx.unhandled()


class Parent(akt.Actor):
    def pre_start(self, ctx):
        conf.log("pre_start", conf.path(ctx.self))
        child = ctx.spawn("child", Child())
        conf.log("spawned", conf.path(child))

    def receive(self, ctx, msg):
        ctx.unhandled()


def spawn_and_look(system, name, step):
    system.spawn(name, Parent())
    conf.flush()  # pre_start ran before the spawn returned
    try:
        conf.say(step, conf.path(system.lookup(f"{name}/child")))
    except akt.AktError as e:
        conf.say(step, conf.rc(e))


system = conf.system_create()
spawn_and_look(system, "parent", "lookup.child")
spawn_and_look(system, "other", "lookup.other")
conf.system_finish(system)
