"""grain_options: a grain kind's bounded mailbox, dependencies and reentrancy."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Server(akt.Actor):
    def __init__(self) -> None:
        self.holding = False

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Hold"):
            self.holding = True
        elif conf.is_(msg, "conf.Release"):
            self.holding = False
            ctx.unstash_all()
        elif conf.is_(msg, "conf.Inc"):
            if self.holding:
                ctx.stash()
            else:
                conf.respond(ctx, "conf.Done", msg.text + "!")
        elif conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


def on_reply(ctx, reply, error):
    conf.log("reply", conf.rc(error) if error is not None else reply.text)


class Box(akt.Actor):
    def __init__(self, name: str) -> None:
        self.name = name

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Go"):
            ctx.request(ctx.dependency("server"), conf.msg("conf.Inc", msg.text), on_reply)
            conf.log("go", msg.text)
        elif conf.is_(msg, "conf.Item"):
            conf.log("item", msg.text)
        elif conf.is_(msg, "conf.Greet"):
            conf.respond(ctx, "conf.Greeting", ctx.dependency("greeting"))
        else:
            ctx.unhandled()


system = conf.system_create()
server = system.spawn("server", Server())


def register(kind, when_full):
    system.register_grain(kind, Box, deactivate_after=None,
                          mailbox=akt.Bounded(2, when_full=when_full),
                          dependencies={"server": server, "greeting": "hello"},
                          reentrancy="stash")


def tell_box(type_, text=""):
    return conf.rc_of(lambda: system.grain("box", "b").tell(conf.msg(type_, text)))


# 1. Kinds with options; a dropping mailbox is refused.
conf.say("register.box", conf.rc_of(lambda: register("box", "fail")))
conf.say("register.drop", conf.rc_of(lambda: register("drop", "drop")))

# 2. The server holds its requests.
server.tell(conf.msg("conf.Hold"))
conf.say("ping", conf.ask_str(server, "conf.Ping"))

# 3. A request in flight: stash keeps what follows in the mailbox.
if tell_box("conf.Go", "a") != "ok":
    conf.fatal("tell conf.Go failed")
conf.wait_log(1)
conf.flush()

# 4. Two fit, the third is refused.
for t in ("x", "y", "z"):
    conf.say(f"tell.{t}", tell_box("conf.Item", t))

# 5. The answer, then the kept items in order.
server.tell(conf.msg("conf.Release"))
conf.wait_log(3)
conf.flush()

# 6. A dependency by name.
try:
    conf.say("ask.greet", conf.reply_str(system.grain("box", "b").ask_sync(conf.msg("conf.Greet"),
                                                                           conf.ASK_S)))
except akt.AktError as e:
    conf.say("ask.greet", e.name)

# 7. Options per activation: a bound and stash for plain/p only.
conf.say("register.plain", conf.rc_of(lambda: system.register_grain(
    "plain", Box, deactivate_after=None, dependencies={"server": server, "greeting": "hello"})))
server.tell(conf.msg("conf.Hold"))
conf.say("hold", conf.ask_str(server, "conf.Ping"))
p = system.grain("plain", "p", mailbox=akt.Bounded(1), reentrancy="stash")
if conf.rc_of(lambda: p.tell(conf.msg("conf.Go", "c"))) != "ok":
    conf.fatal("tell conf.Go failed")
conf.wait_log(1)
conf.flush()
for t in ("u", "v"):
    conf.say(f"tell.{t}", conf.rc_of(lambda: p.tell(conf.msg("conf.Item", t))))
system.grain("plain", "q").tell(conf.msg("conf.Item", "w"))
conf.wait_log(1)
conf.flush()
server.tell(conf.msg("conf.Release"))
conf.wait_log(2)
conf.flush()


# 8. Dependencies per activation: plain/d's own; a live activation keeps them.
def ask_greet(step, name, greeting):
    deps = {"server": server, "greeting": greeting} if greeting is not None else None
    g = system.grain("plain", name, dependencies=deps)
    try:
        conf.say(step, conf.reply_str(g.ask_sync(conf.msg("conf.Greet"), conf.ASK_S)))
    except akt.AktError as e:
        conf.say(step, e.name)


ask_greet("ask.own", "d", "hi")
ask_greet("ask.again", "d", "hey")
ask_greet("ask.kind", "e", None)

conf.system_finish(system)
