"""Bad input and failed operations raise Python exceptions; nothing crashes."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

import akt
from actors import Counter
from akt import _lib

HEADER = Path(__file__).resolve().parents[3] / "abi" / "include" / "akt" / "akt.h"
_ROW = re.compile(r'XX\(\s*(E[A-Z0-9_]+)\s*,\s*(-?\d+)\s*,\s*"([^"]*)"\s*\)')


def test_ask_outcomes(any_system: akt.ActorSystem) -> None:
    class Quiet(akt.Actor):
        def receive(self, ctx, msg):
            if msg == "fail":
                raise RuntimeError("nope")
            if msg != "ignore":
                ctx.unhandled()

    pid = any_system.spawn(None, Quiet())
    with pytest.raises(akt.AskTimeout) as e:
        pid.ask_sync("ignore", timeout=0.05)
    assert isinstance(e.value, TimeoutError) and e.value.name == "AKT_ETIMEDOUT"
    with pytest.raises(akt.Unhandled):
        pid.ask_sync("other")
    with pytest.raises(akt.ActorFailed):
        pid.ask_sync("fail")
    pid.stop_graceful_sync(5)
    with pytest.raises(akt.ActorNotFound) as nf:
        pid.ask_sync("anything")
    assert isinstance(nf.value, LookupError)
    with pytest.raises(akt.ActorNotFound):
        pid.tell("x")


def test_bad_arguments(system: akt.ActorSystem) -> None:
    pid = system.spawn(None, Counter())
    with pytest.raises(TypeError, match="akt.Actor"):
        system.spawn(None, object())
    with pytest.raises(TypeError, match="akt.Actor"):
        system.spawn(None, lambda: 42)
    with pytest.raises(TypeError):
        system.spawn(7, Counter())
    with pytest.raises(ValueError, match="invalid actor name"):
        system.spawn("a/b", Counter())
    with pytest.raises(ValueError, match="dispatcher"):
        system.spawn(None, Counter(), dispatcher="gpu")
    with pytest.raises(TypeError, match="dependencies"):
        system.spawn(None, Counter(), dependencies=[1])
    with pytest.raises(ValueError, match="timeout"):
        pid.ask_sync("get", timeout=-1)
    with pytest.raises(TypeError, match="timeout"):
        pid.ask_sync("get", timeout="soon")
    with pytest.raises(ValueError, match="type"):
        pid.tell("x", type="")
    with pytest.raises(ValueError, match="type"):
        pid.tell("x", type="t" * 300)
    with pytest.raises(TypeError, match="type"):
        pid.tell("x", type=5)
    with pytest.raises(TypeError):
        pid.tell()
    with pytest.raises(TypeError):
        pid.tell("x", colour="red")
    with pytest.raises(TypeError):
        pid.tell_batch(5)
    with pytest.raises(TypeError):
        akt.ActorSystem(42)
    with pytest.raises(ValueError):
        akt.ActorSystem("x", dispatcher="elsewhere")
    with pytest.raises(ValueError):
        akt.ActorSystem("x", workers=-1)
    with pytest.raises(akt.InvalidArgument):
        akt.ActorSystem("bad name!")
    assert pid.ask_sync("get") == 0  # all of that left the actor alone


def test_ask_needs_a_loop(system: akt.ActorSystem) -> None:
    pid = system.spawn(None, Counter())
    with pytest.raises(RuntimeError, match="ask_sync"):
        pid.ask("get")


def test_context_outside_its_callback(system: akt.ActorSystem) -> None:
    kept: list[akt.Context] = []

    class Keeper(akt.Actor):
        def receive(self, ctx, msg):
            kept.append(ctx)
            ctx.respond("ok")

    pid = system.spawn(None, Keeper())
    pid.ask_sync("first")
    with pytest.raises(akt.ContextError):
        kept[0].respond("late")
    with pytest.raises(akt.ContextError):
        kept[0].self
    pid.ask_sync("second")
    assert kept[0] is not kept[1]  # a kept context is never reused
    assert "expired" in repr(kept[0])


def test_context_from_another_thread(any_system: akt.ActorSystem) -> None:
    import threading

    class Leaky(akt.Actor):
        def receive(self, ctx, msg):
            errors = []

            def use() -> None:
                try:
                    ctx.respond("from another thread")
                except akt.ContextError as e:
                    errors.append(e)

            t = threading.Thread(target=use)
            t.start()
            t.join()
            ctx.respond(len(errors))

    assert any_system.spawn(None, Leaky()).ask_sync("go") == 1


def test_pids_of_another_system(system: akt.ActorSystem) -> None:
    with akt.ActorSystem("other") as other:
        foreign = other.spawn(None, Counter())

        class Teller(akt.Actor):
            def receive(self, ctx, msg):
                try:
                    ctx.tell(foreign, "incr")
                except ValueError as e:
                    ctx.respond(str(e))

        assert "another actor system" in system.spawn(None, Teller()).ask_sync("go")
        foreign.tell("incr")  # a pid's own methods use its own system
        assert foreign.ask_sync("get") == 1


def test_async_receive_bad_await_is_a_failure(system: akt.ActorSystem) -> None:
    class Coro(akt.Actor):
        async def receive(self, ctx, msg):  # type: ignore[override]
            await Odd()  # neither an akt.Request nor an asyncio future

    class Odd:
        def __await__(self):  # type: ignore[no-untyped-def]
            yield "something"

    with pytest.raises(akt.ActorFailed, match="async receive awaited"):
        system.spawn(None, Coro()).ask_sync("x", timeout=5)


def test_system_closed(system: akt.ActorSystem) -> None:
    pid = system.spawn(None, Counter())
    assert system.shutdown()
    assert not system.is_running
    with pytest.raises((akt.SystemClosed, akt.ActorNotFound)):
        pid.tell("incr")
    with pytest.raises(akt.SystemClosed):
        system.spawn(None, Counter())
    assert system.shutdown()  # twice is fine


def test_garbage_does_not_crash(system: akt.ActorSystem) -> None:
    pid = system.spawn(None, Counter())
    bad_values = [None, 0, -1, 2**70, 1.5, "", "x" * 1000, b"\x00", object(), [], {}, pid]
    calls = [
        lambda v: pid.tell(v, type=v),
        lambda v: pid.ask_sync(v, v),
        lambda v: pid.tell_batch(v),
        lambda v: pid.ask_batch_sync(v, v),
        lambda v: system.spawn(v, v),
        lambda v: system.spawn(None, Counter(), supervisor=v),
        lambda v: system.spawn(None, Counter(), dependencies=v),
        lambda v: system.lookup(v),
        lambda v: system.subscribe(v, v),
        lambda v: akt.ActorSystem("g", workers=v) if isinstance(v, int) and v > 64 else None,
        lambda v: akt.Supervisor(directive=v),
    ]
    for call in calls:
        for v in bad_values:
            try:
                r = call(v)
                if isinstance(r, akt.ActorSystem):
                    r.shutdown()
            except (TypeError, ValueError, LookupError, OverflowError, akt.AktError):
                pass
    assert pid.ask_sync("get") == 0


def _errno_table() -> list[tuple[str, int, str]]:
    """The rows XX(NAME, value, "text") of AKT_ERRNO_MAP in the public header."""
    lines = HEADER.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if "#define AKT_ERRNO_MAP(XX)" in line)
    table = []
    for line in lines[start:]:
        table.append(line)
        if not line.rstrip().endswith("\\"):
            break
    rows = [(m[1], int(m[2]), m[3]) for m in _ROW.finditer("\n".join(table))]
    assert len(rows) == sum("XX(" in line for line in table[1:]), "an unparsed row"
    return rows


def test_every_row_of_the_error_table_has_its_exception_class() -> None:
    rows = _errno_table()
    assert len(rows) >= 18
    classes = set()
    for name, value, text in rows:
        assert getattr(_lib.lib, f"AKT_{name}") == value  # the constant errors.py reads
        err = akt.error_for(value, "op")
        cls = type(err)
        assert cls is not akt.AktError, f"AKT_{name} ({value}) has no exception class"
        assert cls.code == err.code == value
        assert err.name == f"AKT_{name}"
        assert str(err) == f"op: {text} (AKT_{name})"
        assert getattr(akt, cls.__name__) is cls  # exported
        classes.add(cls)
    assert len(classes) == len(rows)
    # and no class stands for a code the header does not have
    assert {c.code for c in akt.AktError.__subclasses__()} == {v for _, v, _ in rows}
    assert type(akt.error_for(-999, "op")) is akt.AktError


def test_sync_ask_inside_receive_never_deadlocks(system: akt.ActorSystem) -> None:
    other = system.spawn("other", Counter(), dispatcher="python")

    class Asker(akt.Actor):
        def receive(self, ctx, msg):
            try:
                ctx.respond(("ok", msg.ask_sync("get", timeout=2)))
            except akt.AktError as e:
                ctx.respond(("error", type(e)))

    asker = system.spawn(None, Asker(), dispatcher="python")
    # Both on the system's Python thread: waiting would wait for itself, so it raises.
    assert asker.ask_sync(other) == ("error", akt.DeadlockError)
    # Asking itself raises too.
    assert asker.ask_sync(asker) == ("error", akt.DeadlockError)
    # An actor on akt's workers can wait for a Python-thread actor, and the other way.
    w_asker = system.spawn(None, Asker(), dispatcher="workers")
    assert w_asker.ask_sync(other) == ("ok", 0)
    w_other = system.spawn(None, Counter(), dispatcher="workers")
    assert asker.ask_sync(w_other) == ("ok", 0)


def test_ask_sync_on_the_loop_thread_runs_the_actors() -> None:
    async def main() -> int:
        async with akt.ActorSystem("loop") as system:
            pid = system.spawn(None, Counter())
            pid.tell("incr")
            # Blocking the loop would starve the actor: ask_sync runs it meanwhile.
            return pid.ask_sync("get", timeout=5)

    assert asyncio.run(main()) == 1
