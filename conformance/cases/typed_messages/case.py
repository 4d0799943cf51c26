"""typed_messages: a registered class's messages carry its interned type; a receive
switches on ctx.type_id; an unregistered type still works by name."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Order:
    """A conf.Order message: its payload is the amount."""

    __akt_type__ = "conf.Order"
    __slots__ = ("amount",)

    def __init__(self, amount: int) -> None:
        self.amount = amount


ORDER = 0  # set before the actor is spawned


class Shop(akt.Actor):
    def __init__(self) -> None:
        self.orders = self.notes = self.sum = 0

    def receive(self, ctx, msg):
        tid = ctx.type_id
        if tid == ORDER:  # one integer compare
            self.orders += 1
            self.sum += msg.amount if isinstance(msg, Order) else conf.num(msg)
        elif tid == 0 and conf.is_(msg, "conf.Note"):
            self.notes += 1
        elif tid == 0 and conf.is_(msg, "conf.Get"):
            conf.respond(ctx, "conf.Totals", f"orders={self.orders} notes={self.notes} sum={self.sum}")
        else:
            ctx.unhandled()


system = conf.system_create()

ORDER = system.register_type(Order)
conf.say("register", "ok" if 1 <= ORDER <= 4095 else "bad id")
conf.say("register.again", "same id" if system.register_type("conf.Order") == ORDER else "different id")
conf.say("lookup.unregistered", str(akt.type_id("conf.Note")))

shop = system.spawn("shop", Shop())
for amount in (2, 3, 5):
    shop.tell(Order(amount))
for _ in range(2):
    shop.tell(conf.msg("conf.Note"))
conf.say("totals", conf.ask_str(shop, "conf.Get"))

shop.tell(conf.msg("conf.Order", "7"))
conf.say("totals.by_name", conf.ask_str(shop, "conf.Get"))

conf.system_finish(system)
