"""Replies nobody waits for, ctx.reply_expected, and what the asker of a failed actor sees."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import akt
from actors import wait_for

NOBODY_ASKED = "reply to a message nobody asked (no sender, no asker)"


class Overdrawn(Exception):
    pass


class Account(akt.Actor):
    """A bank account that answers every message with its balance, asked or not."""

    def __init__(self, balance: int = 0) -> None:
        self.balance = balance
        self.expected: list[bool] = []
        self.raised: list[BaseException] = []

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        kind, amount = msg
        self.expected.append(ctx.reply_expected)
        if kind == "deposit":
            self.balance += amount
        elif kind == "withdraw" and amount > self.balance:
            err = Overdrawn(f"balance {self.balance}, asked {amount}")
            self.raised.append(err)
            raise err
        elif kind == "withdraw":
            self.balance -= amount
        ctx.respond(self.balance)


def test_respond_to_a_tell_is_a_dead_letter_and_keeps_the_state(
        any_system: akt.ActorSystem) -> None:
    dead: list[akt.Event] = []
    failed: list[akt.Event] = []
    any_system.on_dead_letter(dead.append)
    any_system.subscribe(failed.append, akt.EventKind.ACTOR_FAILED)
    account = Account()
    pid = any_system.spawn("account", account)
    for _ in range(5):
        pid.tell(("deposit", 10))
    # Before the fix every respond raised ActorNotFound inside receive: five restarts, and
    # the balance started over each time.
    assert pid.ask_sync(("deposit", 0)) == 50
    assert account.expected == [False] * 5 + [True]
    assert not failed
    replies = [e for e in dead if e.sender == pid]
    assert [e.message for e in replies] == [10, 20, 30, 40, 50]
    assert {e.reason for e in replies} == {NOBODY_ASKED}


def test_reply_expected_for_an_actor_sender(system: akt.ActorSystem) -> None:
    account = Account()
    pid = system.spawn("account", account)

    class Teller(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            if msg == "go":
                ctx.tell(pid, ("deposit", 1))  # the account answers this actor
                ctx.respond("sent")

    teller = system.spawn("teller", Teller())
    assert teller.ask_sync("go") == "sent"
    assert pid.ask_sync(("deposit", 0)) == 1
    assert account.expected == [True, True]


def test_failed_ask_has_the_reason_and_the_original_exception(
        any_system: akt.ActorSystem) -> None:
    account = Account(50)
    pid = any_system.spawn("account", account)
    with pytest.raises(akt.ActorFailed) as e:
        pid.ask_sync(("withdraw", 80))
    reason = f"{__name__}.Overdrawn: balance 50, asked 80"
    assert e.value.reason == reason
    assert reason in str(e.value) and e.value.name == "AKT_EFAILED"
    assert e.value.__cause__ is account.raised[0]

    async def main() -> None:
        with pytest.raises(akt.ActorFailed) as again:
            await pid.ask(("withdraw", 70))
        assert again.value.reason == f"{__name__}.Overdrawn: balance 50, asked 70"
        assert isinstance(again.value.__cause__, Overdrawn)
        assert str(again.value.__cause__) == "balance 50, asked 70"

    asyncio.run(main())


def test_failure_reason_names_the_type(any_system: akt.ActorSystem) -> None:
    events: list[akt.Event] = []
    any_system.subscribe(events.append, akt.EventKind.ACTOR_FAILED)

    class Picky(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            raise KeyError("k") if msg == "key" else ValueError()

    pid = any_system.spawn("picky", Picky())
    with pytest.raises(akt.ActorFailed) as e:
        pid.ask_sync("key")
    assert e.value.reason == "KeyError: 'k'"  # builtins go without their module
    with pytest.raises(akt.ActorFailed) as e:
        pid.ask_sync("empty")
    assert e.value.reason == "ValueError"  # no message: just the type
    # Events reach a Python subscriber after the asker may have resumed: wait for both.
    assert wait_for(lambda: len(events) >= 2)
    assert [ev.reason for ev in events] == ["KeyError: 'k'", "ValueError"]


def test_failed_c_actor_gives_its_reason_without_a_cause(any_system: akt.ActorSystem,
                                                       c_actor: int) -> None:
    c = any_system.spawn_native("c", c_actor)
    with pytest.raises(akt.ActorFailed) as e:
        c.ask_sync(akt.Bytes.of("c.Fail", ""))
    assert e.value.reason == "CError: failed in C"
    assert e.value.__cause__ is None


def test_other_errors_have_no_reason(system: akt.ActorSystem) -> None:
    class Deaf(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            ctx.unhandled()

    pid = system.spawn(None, Deaf())
    with pytest.raises(akt.Unhandled) as e:
        pid.ask_sync("x")
    assert e.value.reason is None and e.value.__cause__ is None
