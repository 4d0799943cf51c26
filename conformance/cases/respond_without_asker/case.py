"""respond_without_asker: a reply nobody waits for is a dead letter; the actor goes on."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


def yes_no(ctx: akt.Context) -> str:
    return "yes" if ctx.reply_expected else "no"


class Account(akt.Actor):
    def __init__(self) -> None:
        self.balance = 0

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Deposit"):
            n = conf.num(msg)
            self.balance += n
            conf.log("deposit", f"{n} reply_expected={yes_no(ctx)}")
        elif conf.is_(msg, "conf.Balance"):
            conf.log("balance", f"reply_expected={yes_no(ctx)}")
        else:
            ctx.unhandled()
            return
        # Answered whether or not someone asked: a reply to a tell is a dead letter.
        conf.respond(ctx, "conf.Balance", str(self.balance))


def on_dead_letter(event: akt.Event) -> None:
    m = event.message
    if not isinstance(m, akt.Bytes) or not m.type.startswith("conf."):
        return
    conf.log("dead_letter", f"{m.type} {m.text} to={event.path or '-'} "
                            f"from={conf.path(event.sender)} reason={event.reason or '-'}")


system = conf.system_create()
subscription = system.on_dead_letter(on_dead_letter)
account = system.spawn("account", Account())

# 2. Five deposits told from outside: nobody asked, so every reply is a dead letter.
for _ in range(5):
    account.tell(conf.msg("conf.Deposit", "10"))

# 3. The account kept every deposit.
conf.say("balance", conf.ask_str(account, "conf.Balance"))

# 4. Five deposits, five dead letters and the balance.
conf.wait_log(11)
conf.flush_sorted()

subscription.close()
conf.system_finish(system)
