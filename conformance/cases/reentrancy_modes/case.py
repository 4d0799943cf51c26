"""reentrancy_modes: requests answered on the requester's turn; ALLOW_ALL cycles, STASH
order, a stop cancels; requests by name."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Server(akt.Actor):
    def __init__(self) -> None:
        self.holding = False
        self.served = 0

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
                self.served += 1
                conf.respond(ctx, "conf.Done", msg.text + "!")
        elif conf.is_(msg, "conf.Bounce"):
            ctx.forward(ctx.sender)
        elif conf.is_(msg, "conf.Served"):
            conf.respond(ctx, "conf.Count", str(self.served))
        elif conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


def on_reply(ctx, reply, error):
    conf.log("reply", conf.rc(error) if error is not None else reply.text)


def on_bounce(ctx, reply, error):
    conf.log("bounce", conf.rc(error) if error is not None else reply.type)


class Client(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Go"):
            ctx.request(server, conf.msg("conf.Inc", msg.text), on_reply)
            conf.log("go", msg.text)
        elif conf.is_(msg, "conf.GoNamed"):
            try:
                ctx.request(msg.text, conf.msg("conf.Inc", msg.text), on_reply)
                conf.log("named", "ok")
            except akt.AktError as e:
                conf.log("named", conf.rc(e))
        elif conf.is_(msg, "conf.GoBounce"):
            ctx.request(server, conf.msg("conf.Bounce"), on_bounce)
        elif conf.is_(msg, "conf.Bounce"):
            conf.log("bounced", "ok")
            conf.respond(ctx, "conf.Pong")
        elif conf.is_(msg, "conf.Item"):
            conf.log("item", msg.text)
        else:
            ctx.unhandled()


def tell(pid, type_, text=""):
    pid.tell(conf.msg(type_, text))


system = conf.system_create()
server = system.spawn("server", Server())

# 1. A -> B -> A completes with allow_all.
allow = system.spawn("allow", Client(), reentrancy="allow_all")
tell(allow, "conf.GoBounce")
conf.wait_log(2)
conf.flush()

# 2. stash: the items wait for the answer, in order.
stash = system.spawn("stash", Client(), reentrancy="stash")
tell(server, "conf.Hold")
conf.say("ping", conf.ask_str(server, "conf.Ping"))
tell(stash, "conf.Go", "a")
tell(stash, "conf.Item", "x")
tell(stash, "conf.Item", "y")
conf.wait_log(1)
tell(server, "conf.Release")
conf.wait_log(4)
conf.flush()

# 3. allow_all: the items go first.
tell(server, "conf.Hold")
tell(allow, "conf.Go", "b")
tell(allow, "conf.Item", "x")
tell(allow, "conf.Item", "y")
conf.wait_log(3)
tell(server, "conf.Release")
conf.wait_log(4)
conf.flush()

# 4. A stop cancels: no continuation, and the server skips the abandoned ask.
tell(server, "conf.Hold")
tell(allow, "conf.Go", "c")
conf.wait_log(1)
conf.say("stop", conf.rc_of(lambda: allow.stop_graceful_sync(conf.ASK_S)))
tell(server, "conf.Release")
conf.say("served", conf.ask_str(server, "conf.Served"))
conf.flush()

# 5. Requests by name: each path form, a name nobody has, a name gone with its actor.
tell(stash, "conf.GoNamed", "server")
conf.wait_log(2)
tell(stash, "conf.GoNamed", "akt://conf/user/server")
conf.wait_log(4)
tell(stash, "conf.GoNamed", "nobody")
conf.wait_log(5)
conf.flush()
conf.say("stop", conf.rc_of(lambda: server.stop_graceful_sync(conf.ASK_S)))
tell(stash, "conf.GoNamed", "server")
conf.wait_log(1)
conf.flush()

conf.system_finish(system)
