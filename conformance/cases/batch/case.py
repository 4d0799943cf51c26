"""batch: tell_batch in order and all-or-nothing; ask_batch with per-message results."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Adder(akt.Actor):
    def __init__(self) -> None:
        self.items: list[str] = []

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Add"):
            self.items.append(msg.text)
        elif conf.is_(msg, "conf.List"):
            conf.respond(ctx, "conf.Items", ",".join(self.items))
        elif conf.is_(msg, "conf.Double"):
            conf.respond(ctx, "conf.Doubled", str(2 * conf.num(msg)))
        else:
            ctx.unhandled()


def adds(*texts: str) -> list[akt.Bytes]:
    return [conf.msg("conf.Add", t) for t in texts]


system = conf.system_create()
adder = system.spawn("adder", Adder())

adder.tell_batch(adds("1", "2", "3", "4", "5"))
conf.say("tell_batch", "ok")
conf.say("list", conf.ask_str(adder, "conf.List"))

adder.tell(conf.msg("conf.Add", "6"))
adder.tell_batch(adds("7", "8"))
conf.say("tell_batch", "ok")
adder.tell(conf.msg("conf.Add", "9"))
conf.say("list", conf.ask_str(adder, "conf.List"))

results = adder.ask_batch_sync(
    [conf.msg("conf.Double", "1"), conf.msg("conf.Nope", "x"), conf.msg("conf.Double", "3")],
    conf.ASK_S, return_exceptions=True)
conf.say("ask_batch", "ok")
for i, result in enumerate(results):
    conf.say(f"ask_batch.{i}", conf.result_str(result))

gone = system.spawn("gone", Adder())
gone.stop_graceful_sync(conf.ASK_S)
conf.say("stop.gone", "ok")
conf.say("tell_batch.stopped", conf.rc_of(lambda: gone.tell_batch(adds("1", "2"))))
conf.say("ask_batch.stopped",
         conf.rc_of(lambda: gone.ask_batch_sync(adds("1", "2"), conf.ASK_S)))

conf.system_finish(system)
