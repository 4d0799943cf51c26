"""async_receive: an async def receive keeps its message while it awaits a request; the
order around the await, a failure after it, an A -> B -> A cycle under allow_all."""
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
        elif conf.is_(msg, "conf.Bounce"):
            ctx.forward(ctx.sender)
        else:
            ctx.unhandled()


class Worker(akt.Actor):
    def pre_start(self, ctx):
        conf.log("pre_start", "ok")

    async def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Work"):
            conf.log("start", msg.text)
            reply = await ctx.request(server, conf.msg("conf.Inc", msg.text))
            conf.log("end", f"{msg.text} {reply.text}")
            conf.respond(ctx, "conf.Done", reply.text)
        elif conf.is_(msg, "conf.Item"):
            conf.log("item", msg.text)
        elif conf.is_(msg, "conf.Boom"):
            await ctx.request(server, conf.msg("conf.Inc", "boom"))
            raise RuntimeError("boom after await")
        elif conf.is_(msg, "conf.Bounce"):
            conf.log("bounced", "ok")
            conf.respond(ctx, "conf.Pong")
        elif conf.is_(msg, "conf.Cycle"):
            reply = await ctx.request(server, conf.msg("conf.Bounce"))
            conf.respond(ctx, "conf.Done", reply.type)
        else:
            ctx.unhandled()


def tell(pid, type_, text=""):
    pid.tell(conf.msg(type_, text))


system = conf.system_create()
server = system.spawn("server", Server())

# 1. The item waits for the end of the work.
worker = system.spawn("worker", Worker())
conf.wait_log(1)
conf.flush()
tell(server, "conf.Hold")
tell(worker, "conf.Work", "a")
tell(worker, "conf.Item", "x")
conf.wait_log(1)
tell(server, "conf.Release")
conf.wait_log(3)
conf.flush()

# 2. The answer comes after the await.
conf.say("work", conf.ask_str(worker, "conf.Work", "b"))
conf.wait_log(2)
conf.flush()

# 3. A failure after the await restarts the worker.
conf.say("boom", conf.ask_str(worker, "conf.Boom"))
conf.say("work", conf.ask_str(worker, "conf.Work", "c"))
conf.wait_log(3)
conf.flush()

# 4. allow_all: the bounce runs while the cycle awaits.
allow = system.spawn("allow", Worker(), reentrancy="allow_all")
conf.say("cycle", conf.ask_str(allow, "conf.Cycle"))
conf.wait_log(2)
conf.flush()

conf.system_finish(system)
