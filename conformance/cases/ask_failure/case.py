"""ask_failure: the asker of a failed receive gets the code and the failure's reason."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Overdrawn(Exception):
    pass


class InvalidAmount(Exception):
    pass


class Account(akt.Actor):
    def __init__(self) -> None:
        self.balance = 50

    def receive(self, ctx, msg):
        if not conf.is_(msg, "conf.Withdraw"):
            ctx.unhandled()
            return
        n = conf.num(msg)
        if n < 0:
            raise InvalidAmount()
        if n > self.balance:
            raise Overdrawn(f"balance {self.balance}, asked {n}")
        self.balance -= n
        conf.respond(ctx, "conf.Balance", str(self.balance))


def on_failed(event: akt.Event) -> None:
    if event.path and event.path.startswith("akt://conf/user/"):
        conf.log("failed", f"{event.path} {conf.rc(event.error)} reason={event.reason or '-'}")


def withdraw(account: akt.Pid, amount: str) -> None:
    """Asks conf.Withdraw and prints the reply, or the error name and the reason."""
    try:
        conf.say(f"withdraw.{amount}",
                 conf.reply_str(account.ask_sync(conf.msg("conf.Withdraw", amount), conf.ASK_S)))
    except akt.AktError as e:
        conf.say(f"withdraw.{amount}", e.name)
        conf.say(f"withdraw.{amount}.reason", e.reason or "-")


system = conf.system_create()
subscription = system.subscribe(on_failed, akt.EventKind.ACTOR_FAILED)
account = system.spawn("account", Account())

withdraw(account, "80")  # 2. more than the balance
withdraw(account, "-1")  # 3. an exception without a message
withdraw(account, "20")  # 4. the restarted account answers

# 5. The supervisor saw the same reasons, in order.
conf.wait_log(2)
conf.flush()

subscription.close()
conf.system_finish(system)
