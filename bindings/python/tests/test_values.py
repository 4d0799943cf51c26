"""Values a C actor cannot read are refused at the sender (issue 17): tell, ask and
tell_batch raise, and nothing reaches the C actor; readable values still arrive as bytes,
and Python actors still get the objects themselves."""

from __future__ import annotations

import math
import threading

import pytest

import akt

ASK_S = 5.0


class Opaque:
    """A Python object with no byte form."""


class Keep(akt.Actor):
    def __init__(self) -> None:
        self.got: list[object] = []
        self.seen = threading.Event()

    def receive(self, ctx: akt.Context, msg: object) -> None:
        self.got.append(msg)
        self.seen.set()
        ctx.respond("kept")


REFUSED = [
    (Opaque(), akt.NotSupported, "no byte form"),
    ({1, 2}, akt.NotSupported, "no byte form"),
    (2**64, akt.InvalidArgument, "cannot be encoded"),
    ({"x": {1}}, akt.InvalidArgument, "cannot be encoded"),
    ([math.nan], akt.InvalidArgument, "cannot be encoded"),
]


@pytest.mark.parametrize(("value", "error", "why"), REFUSED)
def test_a_value_without_bytes_is_refused_at_the_sender(any_system: akt.ActorSystem,
                                                        c_actor: int, value: object,
                                                        error: type, why: str) -> None:
    c = any_system.spawn_native("c", c_actor)
    with pytest.raises(error, match=f"tell of a value of class .* to akt://.*/user/c refused.*{why}"):
        c.tell(value)
    with pytest.raises(error, match="ask of a"):
        c.ask_sync(value, ASK_S)
    with pytest.raises(error, match="tell_batch of a"):
        c.tell_batch([akt.Bytes.of("c.Echo", "first"), value])
    # Nothing of the refused sends was delivered: the next answer is the first one's.
    assert c.ask_sync(akt.Bytes.of("c.Echo", "after"), ASK_S) == akt.Bytes.of("c.Echoed",
                                                                              "after")


def test_a_python_actor_refused_from_inside_receive(any_system: akt.ActorSystem,
                                                    c_actor: int) -> None:
    c = any_system.spawn_native("c", c_actor)
    errors: list[BaseException] = []

    class Sender(akt.Actor):
        def receive(self, ctx: akt.Context, msg: object) -> None:
            for send in (lambda: ctx.tell(c, Opaque()), lambda: ctx.ask(c, Opaque())):
                try:
                    send()
                except akt.NotSupported as e:
                    errors.append(e)
            ctx.respond(len(errors))

    s = any_system.spawn("s", Sender())
    assert s.ask_sync("go", ASK_S) == 2
    assert all("akt://" in str(e) and "/user/c" in str(e) for e in errors)


READABLE = ["text ✓", b"\x00raw", bytearray(b"ba"), 7, -(2**63), 2.5, True, None,
            {"k": [1, "v"]}, [1, 2]]


@pytest.mark.parametrize("value", READABLE)
def test_readable_values_still_reach_the_c_actor(any_system: akt.ActorSystem, c_actor: int,
                                                 value: object) -> None:
    c = any_system.spawn_native("c", c_actor)
    back = c.ask_sync(value, ASK_S)
    assert back == (bytes(value) if isinstance(value, bytearray) else value)
    c.tell(value)  # a tell too: accepted


def test_python_actors_still_get_objects_by_reference(any_system: akt.ActorSystem) -> None:
    keep = Keep()
    p = any_system.spawn("p", keep)
    values = [Opaque(), {1, 2}, 2**64, [math.nan]]
    for v in values:
        assert p.ask_sync(v, ASK_S) == "kept"
    assert all(a is b for a, b in zip(keep.got, values))


def test_relays_are_not_judged(any_system: akt.ActorSystem) -> None:
    """A router passes messages on: a Python routee still gets the object."""
    keep = Keep()
    r = any_system.spawn_router(routees=[any_system.spawn("w", keep)])
    o = Opaque()
    r.tell(o)
    assert keep.seen.wait(ASK_S)
    assert keep.got[0] is o
