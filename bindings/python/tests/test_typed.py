"""Registered message types: ActorSystem.register_type, akt.type_id, ctx.type_id."""

from __future__ import annotations

import pytest

import akt


class Tick:
    __akt_type__ = "test.typed.Tick"


_fresh = iter(range(1_000_000))


def fresh_class() -> type:
    """A class of a type name nobody registered yet (types are never unregistered)."""
    return type("Other", (), {"__akt_type__": f"test.typed.Other{next(_fresh)}"})


class Types(akt.Actor):
    """Answers "get" with the type ids of the messages seen before it."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def receive(self, ctx, msg):
        if msg == "get":
            ctx.respond(list(self.seen))
        else:
            self.seen.append(ctx.type_id)


def test_register_gives_one_id_per_name(any_system: akt.ActorSystem) -> None:
    tid = any_system.register_type(Tick)
    assert 1 <= tid <= 4095
    assert any_system.register_type("test.typed.Tick") == tid
    assert any_system.register_type(Tick) == tid
    assert akt.type_id("test.typed.Tick") == tid
    assert akt.type_id("test.typed.never") == 0


def test_receive_sees_the_id_of_class_and_bytes_messages(any_system: akt.ActorSystem) -> None:
    Other = fresh_class()
    pid = any_system.spawn("types", Types())
    pid.tell(Other())  # handled before its type is registered: by name, id 0
    assert pid.ask_sync("get", timeout=5) == [0]
    tid = any_system.register_type(Other)
    pid.tell(Other())  # by handle now
    pid.tell(akt.Bytes.of(Other.__akt_type__, "x"))  # by name: the registered type's id
    pid.tell(akt.Bytes.of("test.typed.bytes-never", "x"))
    assert pid.ask_sync("get", timeout=5) == [0, tid, tid, 0]


def test_register_type_bad_arguments(any_system: akt.ActorSystem) -> None:
    with pytest.raises(TypeError):
        any_system.register_type(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        any_system.register_type("")
    with pytest.raises(ValueError):
        any_system.register_type("x" * 256)
    with pytest.raises(TypeError):
        akt.type_id(b"bytes")  # type: ignore[arg-type]
