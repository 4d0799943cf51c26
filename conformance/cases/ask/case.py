"""ask: a reply, a timeout, unhandled, failed, a stopped actor, a stop before handling."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Boom(Exception):
    pass


class Echo(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Question"):
            conf.respond(ctx, "conf.Answer", "re:" + msg.text)
        elif conf.is_(msg, "conf.Ignore"):
            pass
        elif conf.is_(msg, "conf.Boom"):
            raise Boom("boom")
        else:
            ctx.unhandled()


class Keeper(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Question"):
            ctx.stash()  # never answered
        elif conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


system = conf.system_create()

echo = system.spawn("echo", Echo())
conf.say("ask.reply", conf.ask_str(echo, "conf.Question", "hello"))
conf.say("ask.timeout", conf.ask_str(echo, "conf.Ignore", timeout=0.1))
conf.say("ask.unhandled", conf.ask_str(echo, "conf.Other"))
conf.say("ask.failed", conf.ask_str(echo, "conf.Boom"))
conf.say("ask.after_failure", conf.ask_str(echo, "conf.Question", "again"))

echo.stop_graceful_sync(conf.ASK_S)
conf.say("stop.echo", "ok")
conf.say("ask.stopped_actor", conf.ask_str(echo, "conf.Question", "anyone?"))

keeper = system.spawn("keeper", Keeper())
question = keeper.ask_future(conf.msg("conf.Question", "held"), conf.ASK_S)
conf.say("keeper.ping", conf.ask_str(keeper, "conf.Ping"))
conf.say("ask.pending", "no" if question.done() else "yes")
keeper.stop()
conf.say("ask.stopped_before_handling", conf.rc(question.exception(conf.WAIT_LIMIT_S)))

conf.system_finish(system)
