"""forward: a forwarded message keeps its original sender and asker."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Back(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Question"):
            conf.log("back", f"{msg.text} from={conf.path(ctx.sender)}")
            conf.respond(ctx, "conf.Answer", "back:" + msg.text)
        else:
            ctx.unhandled()


class Front(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Question"):
            conf.log("front", msg.text)
            ctx.forward(ctx.system.lookup("back"))
        else:
            ctx.unhandled()


class Client(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Start"):
            ctx.tell(ctx.system.lookup("front"), conf.msg("conf.Question", msg.text))
            conf.respond(ctx, "conf.Started")
        elif conf.is_(msg, "conf.Answer"):
            conf.log("client", f"{conf.reply_str(msg)} from={conf.path(ctx.sender)}")
        else:
            ctx.unhandled()


system = conf.system_create()
system.spawn("back", Back())
front = system.spawn("front", Front())
client = system.spawn("client", Client())

conf.say("ask.front", conf.ask_str(front, "conf.Question", "q1"))
conf.flush()
conf.say("start.client", conf.ask_str(client, "conf.Start", "q2"))
conf.wait_log(3)
conf.flush()

conf.system_finish(system)
