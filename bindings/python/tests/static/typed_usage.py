"""Typed references as users write them: must pass ``mypy --strict`` with no error
(test_typed_refs.py runs it). Checked, not run."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Union

import akt


@dataclass(frozen=True)
class Deposit:
    amount: int


@dataclass(frozen=True)
class Balance:
    pass


Cmd = Union[Deposit, Balance]


class Account(akt.Actor[Cmd]):
    def __init__(self) -> None:
        self.total = 0

    def receive(self, ctx: akt.Context, msg: Cmd) -> None:
        if isinstance(msg, Deposit):
            self.total += msg.amount
        elif isinstance(msg, Balance):
            ctx.respond(self.total)
        else:
            ctx.unhandled()


class Untyped(akt.Actor):  # a bare Actor is Actor[Any], as before
    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.respond(msg)


class Teller(akt.Actor[str]):
    def __init__(self, account: akt.Pid[Cmd]) -> None:
        self.account = account

    def receive(self, ctx: akt.Context, msg: str) -> None:
        ctx.tell(self.account, Deposit(len(msg)))  # the context's sends are typed too
        child: akt.Pid[Cmd] = ctx.spawn(None, Account())
        ctx.tell(child, Balance())


def use(system: akt.ActorSystem) -> int:
    account = system.spawn("account", Account())  # Pid[Deposit | Balance]
    account.tell(Deposit(5))
    account.tell_batch([Deposit(1), Balance()])
    total: int = account.ask_sync(Balance(), timeout=1)
    future: akt.AskFuture = account.ask_future(Balance())
    from_factory: akt.Pid[Cmd] = system.spawn(None, Account)  # a factory types it as well

    anything = system.spawn(None, Untyped())  # Pid[Any]: takes every message
    anything.tell(1)
    anything.tell("one")
    bare: akt.Pid = account  # a bare Pid annotation still takes every pid
    bare.tell("whatever")

    looked_up = akt.typed(system.lookup("/user/account"), Deposit)  # Pid[Deposit]
    looked_up.tell(Deposit(2))
    annotated: akt.Pid[Cmd] = system.lookup("/user/account")
    annotated.tell(Balance())

    wide: akt.Pid[object] = anything
    narrow: akt.Pid[Deposit] = wide  # contravariant: what takes anything takes a Deposit
    narrow.tell(Deposit(3))
    system.spawn(None, Teller(account)).tell("hello")
    del from_factory, future
    return total


async def use_async(pid: akt.Pid[Cmd]) -> int:
    n: int = await pid.ask(Balance(), 1.0)
    answers: list[Any] = await pid.ask_batch([Balance(), Balance()])
    fut: asyncio.Future[Any] = pid.ask(Deposit(1))
    fut.cancel()
    return n + len(answers)
