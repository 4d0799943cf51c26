"""Typed references misused: ``mypy --strict`` must report an error on exactly the lines
marked ``# error`` (test_typed_refs.py runs it). If one of them passes, typing was lost."""

from __future__ import annotations

from dataclasses import dataclass

import akt


@dataclass(frozen=True)
class Deposit:
    amount: int


class Account(akt.Actor[Deposit]):
    def receive(self, ctx: akt.Context, msg: Deposit) -> None:
        ctx.respond(msg.amount)


class Teller(akt.Actor[str]):
    def __init__(self, account: akt.Pid[Deposit]) -> None:
        self.account = account

    def receive(self, ctx: akt.Context, msg: str) -> None:
        ctx.tell(self.account, "five")  # error
        ctx.ask(self.account, 5)  # error


def misuse(system: akt.ActorSystem) -> None:
    account = system.spawn("account", Account())
    account.tell("five")  # error
    account.ask_sync(5)  # error
    account.ask(None)  # error
    account.tell_batch([Deposit(1), "two"])  # error
    account.ask_future(b"x")  # error
    typed = akt.typed(system.lookup("/user/account"), Deposit)
    typed.tell(3.5)  # error
    strings: akt.Pid[str] = account  # error
    del strings
