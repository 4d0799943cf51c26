"""Serializers for remoting: dicts and lists as CBOR or JSON, custom serializers written in
Python, and the refusals (no serializer, a failing encode, an unknown name)."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

import akt
from actors import Echo


class Point:
    __akt_type__ = "py.Point"

    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y


class Opaque:
    pass


def encode_point(p: Point) -> bytes:
    return bytes([p.x, p.y])


def decode_point(type: str, data: bytes) -> Point:
    assert type == "py.Point"
    return Point(data[0], data[1])


@pytest.fixture
def nodes() -> Iterator[tuple[akt.ActorSystem, akt.ActorSystem, akt.Pid]]:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        for s in (a, b):
            s.serializer_register("point", encode_point, decode_point)
            s.serializer_bind("py.Point", "point")
        addr_b = b.remote_start()
        a.remote_start()
        b.spawn("echo", Echo())
        yield a, b, a.remote_lookup(addr_b + "/user/echo")


DOCS: list[Any] = [{"a": [1, 2.5, None, True, "é"], "b": {}}, [], [{"x": [-7]}],
                   {"big": 2**63 - 1, "neg": -(2**63)}]


@pytest.mark.parametrize("name", ["cbor", "json"])
def test_trees_cross_as_cbor_and_json(nodes: Any, name: str) -> None:
    a, b, echo = nodes
    for s in (a, b):
        s.serializer_bind("akt.Json", name)
    assert a.serializer_for("akt.Json") == name
    for doc in DOCS:
        assert echo.ask_sync(doc, timeout=10) == doc
    # Scalars still cross as themselves.
    assert a.serializer_for("akt.String") is None
    assert echo.ask_sync("text", timeout=10) == "text"


def test_custom_serializer_round_trip(nodes: Any) -> None:
    a, b, echo = nodes
    back = echo.ask_sync(Point(3, 250), timeout=10)
    assert isinstance(back, Point) and (back.x, back.y) == (3, 250)


# A failing encode or decode is reported through sys.unraisablehook, as it should be.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_refusals_on_the_sender(nodes: Any) -> None:
    a, b, echo = nodes
    with pytest.raises(akt.NotSupported):
        echo.ask_sync(Opaque(), timeout=10)  # no serializer, no bytes
    with pytest.raises(akt.InvalidArgument):
        echo.ask_sync(Point(300, 1), timeout=10)  # encode raises: bytes([300]) is a ValueError
    a.serializer_bind("akt.Json", "cbor")
    with pytest.raises(akt.ActorNotFound):
        a.serializer_bind("py.Other", "nobody")
    with pytest.raises(akt.NameTaken):
        a.serializer_register("point", encode_point, decode_point)
    with pytest.raises(TypeError):
        a.serializer_register("p2", 1, decode_point)
    with pytest.raises(akt.InvalidArgument):
        a.serializer_register("bad name", encode_point, decode_point)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_undecodable_on_the_receiver_is_a_dead_letter(nodes: Any) -> None:
    a, b, echo = nodes
    b.serializer_register("broken", encode_point, lambda type, data: 1 / 0)
    a.serializer_register("broken", encode_point, decode_point)
    a.serializer_bind("py.Broken", "broken")

    class Broken(Point):
        __akt_type__ = "py.Broken"

    with pytest.raises(akt.InvalidArgument):
        echo.ask_sync(Broken(1, 2), timeout=10)
