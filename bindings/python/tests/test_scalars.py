"""Canonical scalar types (akt.String, akt.Int64, ...): Python values cross to C actors
and other bindings in one encoding each, and come back as the same Python values."""

from __future__ import annotations

import math
import struct

import pytest

import akt

ASK_S = 5.0

SCALARS = [
    ("", "akt.String", b""),
    ("héllo ✓", "akt.String", "héllo ✓".encode()),
    (b"", "akt.Bytes", b""),
    (b"\x00\xffraw", "akt.Bytes", b"\x00\xffraw"),
    (-(2**63), "akt.Int64", struct.pack("<q", -(2**63))),
    (2**63 - 1, "akt.Int64", struct.pack("<q", 2**63 - 1)),
    (0, "akt.Int64", bytes(8)),
    (-0.0, "akt.Float64", struct.pack("<d", -0.0)),
    (1e308, "akt.Float64", struct.pack("<d", 1e308)),
    (True, "akt.Bool", b"\x01"),
    (False, "akt.Bool", b"\x00"),
    (None, "akt.Null", b""),
    ({"a": [1, 2.5, None, True, "é"], "b": {}}, "akt.Json",
     '{"a":[1,2.5,null,true,"é"],"b":{}}'.encode()),
    ([], "akt.Json", b"[]"),
]


@pytest.mark.parametrize(("value", "type", "wire"), SCALARS)
def test_each_scalar_has_its_name_and_one_encoding(value: object, type: str,
                                                   wire: bytes) -> None:
    assert akt.type_name(value) == type
    assert akt.wire_bytes(value) == wire


def test_bytearray_is_bytes() -> None:
    assert akt.type_name(bytearray(b"x")) == "akt.Bytes"
    assert akt.wire_bytes(bytearray(b"x")) == b"x"


def test_nan_keeps_its_bits() -> None:
    assert akt.wire_bytes(math.nan) == struct.pack("<d", math.nan)


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, {"x": {1, 2}}, [math.nan]])
def test_values_without_a_canonical_form_cannot_cross(value: object) -> None:
    """An int beyond int64 (or a dict/list that is not JSON) has no bytes: a C actor or
    another binding asking for them gets AKT_EINVAL; Python actors still get the object."""
    with pytest.raises(akt.AktError) as e:
        akt.wire_bytes(value)
    assert e.value.name == "AKT_EINVAL"


@pytest.mark.parametrize(("value", "type", "wire"), SCALARS)
def test_a_c_actor_reads_the_encoding_and_answers_in_it(any_system: akt.ActorSystem,
                                                        c_actor: int, value: object,
                                                        type: str, wire: bytes) -> None:
    """Python -> C (bytes made on demand) -> Python (a foreign bytes message decoded)."""
    c = any_system.spawn_native("c", c_actor)
    back = c.ask_sync(value, ASK_S)
    assert back == value and builtins_type(back) is builtins_type(value)
    if isinstance(value, float):
        assert math.copysign(1, back) == math.copysign(1, value)


def test_nan_round_trips_through_c(any_system: akt.ActorSystem, c_actor: int) -> None:
    c = any_system.spawn_native("c", c_actor)
    assert math.isnan(c.ask_sync(math.nan, ASK_S))


def builtins_type(v: object) -> type:
    return bytes if isinstance(v, (bytes, bytearray)) else type(v)


class Keep(akt.Actor):
    def __init__(self) -> None:
        self.got: list[object] = []

    def receive(self, ctx: akt.Context, msg: object) -> None:
        self.got.append(msg)
        ctx.respond(("got", msg))


@pytest.mark.parametrize(("value", "type", "wire"), SCALARS)
def test_foreign_bytes_with_a_canonical_name_arrive_as_native_values(
        any_system: akt.ActorSystem, value: object, type: str, wire: bytes) -> None:
    """A bytes message (what C, Node or Java send) named akt.X becomes the Python value."""
    p = any_system.spawn("p", Keep())
    assert p.ask_sync(akt.Bytes(type, wire), ASK_S) == ("got", value)


def test_python_values_between_python_actors_pass_by_reference(
        any_system: akt.ActorSystem) -> None:
    keep = Keep()
    p = any_system.spawn("p", keep)
    big, doc = 2**100, {"k": [1]}
    p.ask_sync(big, ASK_S)
    p.ask_sync(doc, ASK_S)
    assert keep.got[0] is big and keep.got[1] is doc


@pytest.mark.parametrize(("type", "wire"), [
    ("akt.Int64", b"1234567"),
    ("akt.Int64", b"123456789"),
    ("akt.Float64", b""),
    ("akt.Bool", b"\x00\x01"),
    ("akt.Bool", b"\x02"),
    ("akt.Null", b"x"),
    ("akt.String", b"\xff\xfe"),
    ("akt.Json", b"{bad"),
    ("akt.Json", b"\xff"),
])
def test_a_malformed_payload_fails_that_message_only(any_system: akt.ActorSystem, type: str,
                                                     wire: bytes) -> None:
    keep = Keep()
    p = any_system.spawn("p", keep)
    with pytest.raises(akt.ActorFailed, match="ValueError|UnicodeDecodeError|JSONDecodeError"):
        p.ask_sync(akt.Bytes(type, wire), ASK_S)
    # The actor lives on (restarted by its supervisor) and takes the next message.
    assert p.ask_sync("next", ASK_S) == ("got", "next")
    assert keep.got == ["next"]


def test_a_malformed_reply_fails_the_ask(any_system: akt.ActorSystem, c_actor: int) -> None:
    c = any_system.spawn_native("c", c_actor)
    with pytest.raises(ValueError, match="malformed akt.Int64"):
        c.ask_sync(akt.Bytes("akt.Int64", b"short"), ASK_S)
