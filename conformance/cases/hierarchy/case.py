"""hierarchy: children, paths, lookups, and a tree that stops children first."""
import threading
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

CHILDREN = {"parent": ["a", "b"], "a": ["x"]}
ranks: dict[str, int] = {}
rank_lock = threading.Lock()


class Node(akt.Actor):
    def __init__(self, name: str) -> None:
        self.name = name

    def pre_start(self, ctx):
        for child in CHILDREN.get(self.name, []):
            ctx.spawn(child, Node(child))

    def post_stop(self, ctx):
        me = ctx.self.path
        with rank_lock:
            ranks[me] = len(ranks) + 1
        conf.log("post_stop", me)

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        elif conf.is_(msg, "conf.Parent"):
            conf.respond(ctx, "conf.Path", conf.path(ctx.parent))
        else:
            ctx.unhandled()


system = conf.system_create()

parent = system.spawn("parent", Node("parent"))
conf.say("spawn.parent", conf.path(parent))
conf.say("ping.parent", conf.ask_str(parent, "conf.Ping"))

a = system.lookup("parent/a")
conf.say("path.a", conf.path(a))
conf.say("ping.a", conf.ask_str(a, "conf.Ping"))
conf.say("path.b", conf.path(system.lookup("/user/parent/b")))
x = system.lookup("akt://conf/user/parent/a/x")
conf.say("path.x", conf.path(x))
conf.say("lookup.relative", "same pid" if system.lookup("parent/a/x") == x else "different pid")
conf.say("lookup.absolute",
         "same pid" if system.lookup("/user/parent/a/x") == x else "different pid")
conf.say("lookup.missing", conf.rc_of(lambda: system.lookup("parent/c")))

conf.say("parent.of_x", conf.ask_str(x, "conf.Parent"))
conf.say("parent.of_a", conf.ask_str(a, "conf.Parent"))

parent.stop_graceful_sync(conf.ASK_S)
conf.say("stop.parent", "ok")
conf.flush_sorted()
root = "akt://conf/user/parent"
conf.say("order.x_before_a", "yes" if ranks[root + "/a/x"] < ranks[root + "/a"] else "no")
conf.say("order.a_before_parent", "yes" if ranks[root + "/a"] < ranks[root] else "no")
conf.say("order.b_before_parent", "yes" if ranks[root + "/b"] < ranks[root] else "no")
conf.say("alive.x", "1" if x.is_alive else "0")
conf.say("lookup.after_stop", conf.rc_of(lambda: system.lookup("parent/a/x")))

conf.system_finish(system)
