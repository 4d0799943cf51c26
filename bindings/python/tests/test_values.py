"""Values a C actor cannot read are refused at the sender (issue 17): tell, ask and
tell_batch raise, and nothing reaches the C actor; readable values still arrive as bytes,
and Python actors still get the objects themselves."""

from __future__ import annotations

import math
import threading
from typing import Any

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


def test_a_python_grain_still_answers_a_python_ask_with_objects(
        any_system: akt.ActorSystem) -> None:
    """A grain ask from outside actors names Python as its reader: the object comes back."""

    class Echo(akt.Actor):
        def receive(self, ctx: akt.Context, msg: object) -> None:
            ctx.respond(msg)

    any_system.register_grain("pyecho", lambda name: Echo())
    o = Opaque()
    assert any_system.grain("pyecho", "g").ask_sync(o, ASK_S) is o


# ---- the other send paths: schedules, grains of a C kind, pipes, replies to a C sender ----

def test_a_schedule_to_a_c_actor_refuses_a_value_without_bytes(any_system: akt.ActorSystem,
                                                                c_actor: int) -> None:
    c = any_system.spawn_native("c", c_actor)
    for schedule in (lambda: any_system.schedule_once(c, Opaque(), 0.01),
                     lambda: any_system.schedule_every(c, Opaque(), 0.01),
                     lambda: any_system.schedule_cron(c, Opaque(), "* * * * * ?")):
        with pytest.raises(akt.NotSupported,
                           match="schedule of a value of class .*Opaque.* to akt://.*/user/c refused"):
            schedule()
    assert any_system.schedules() == []  # nothing was scheduled
    # A readable value is scheduled as before, and a Python target takes any object.
    any_system.cancel_schedule(any_system.schedule_every(c, "tick", 60.0))
    p = any_system.spawn("p", Keep())
    any_system.cancel_schedule(any_system.schedule_every(p, Opaque(), 60.0))


def test_a_grain_of_a_c_kind_refuses_a_value_without_bytes(any_system: akt.ActorSystem,
                                                            c_grain_kind: object) -> None:
    c_grain_kind(any_system, "cgrain")  # type: ignore[operator]
    g = any_system.grain("cgrain", "g1")
    with pytest.raises(akt.NotSupported,
                       match="grain tell of a value of class .*Opaque.* to the grain cgrain/g1 refused"):
        g.tell(Opaque())
    with pytest.raises(akt.InvalidArgument, match="grain ask of a value .* cannot be encoded"):
        g.ask_sync(2**64, ASK_S)
    # Readable values reach the C grain, as bytes.
    assert g.ask_sync(akt.Bytes.of("c.Echo", "hi"), ASK_S) == akt.Bytes.of("c.Echoed", "hi")
    assert g.ask_sync("text", ASK_S) == "text"


def test_a_grain_of_a_python_kind_still_gets_objects(any_system: akt.ActorSystem) -> None:
    keep = Keep()
    any_system.register_grain("pygrain", lambda name: keep)
    o = Opaque()
    assert any_system.grain("pygrain", "g").ask_sync(o, ASK_S) == "kept"
    assert keep.got[0] is o


def test_a_pipe_to_a_c_actor_refuses_a_result_without_bytes(any_system: akt.ActorSystem,
                                                             c_actor: int) -> None:
    c = any_system.spawn_native("c", c_actor)

    class Piper(akt.Actor):
        def receive(self, ctx: akt.Context, msg: object) -> None:
            if msg == "go":
                try:
                    ctx.pipe_to(lambda: Opaque(), c)
                except akt.NotSupported as e:
                    ctx.respond(str(e))
                    return
                ctx.respond("piped")
            elif msg == "by-name":
                try:
                    ctx.pipe_to(lambda: {1, 2}, name=c.path)
                except akt.NotSupported as e:
                    ctx.respond(str(e))
                    return
                ctx.respond("piped")

    p = any_system.spawn("piper", Piper())
    said = p.ask_sync("go", ASK_S)
    assert "pipe_to of a value of class" in said and "/user/c refused" in said
    said = p.ask_sync("by-name", ASK_S)
    assert "pipe_to of a value of class set" in said and "/user/c refused" in said


def test_a_reply_to_a_c_asker_refuses_a_value_without_bytes(any_system: akt.ActorSystem,
                                                             c_actor: int) -> None:
    """The C actor asks the Python actor (c.AskPy) and answers with what it got, or with
    c.AskFailed and the failure's reason: the refusal is the responder's failure, so the C
    asker reads why instead of a reply it could not read."""
    c = any_system.spawn_native("c", c_actor)

    class Answer(akt.Actor):
        def receive(self, ctx: akt.Context, msg: object) -> None:
            if isinstance(msg, akt.Bytes) and msg.type == "c.Q":
                ctx.respond(Opaque() if self.opaque else "readable")
            elif msg == "opaque":
                self.opaque = True
                ctx.respond("ok")

        opaque = False

    py = any_system.spawn("py", Answer())
    assert c.ask_sync(akt.Bytes.of("c.AskPy", py.path), ASK_S) == "readable"
    assert py.ask_sync("opaque", ASK_S) == "ok"
    got = c.ask_sync(akt.Bytes.of("c.AskPy", py.path), ASK_S)
    assert isinstance(got, akt.Bytes) and got.type == "c.AskFailed", got
    assert "respond of a value of class" in got.text and "Opaque" in got.text
    assert "/user/c refused" in got.text
    # A Python asker still gets the object itself.
    o = Opaque()

    class Echo(akt.Actor):
        def receive(self, ctx: akt.Context, msg: object) -> None:
            ctx.respond(msg)

    e = any_system.spawn("echo", Echo())
    assert e.ask_sync(o, ASK_S) is o


def test_a_reply_to_a_plain_c_thread_refuses_a_value_without_bytes(any_system: akt.ActorSystem,
                                                                   c_plain_ask: Any) -> None:
    """A plain C thread asks with akt_ask (no sender pid): its answer is read by C code, so
    an object without bytes is refused at the Python responder (its receive fails, the C
    asker gets that failure), and a readable answer still arrives as bytes."""
    errors: list[str] = []

    class Answer(akt.Actor):
        opaque = False

        def receive(self, ctx: akt.Context, msg: object) -> None:
            if isinstance(msg, akt.Bytes) and msg.type == "c.Q":
                if not self.opaque:
                    ctx.respond("readable")
                    return
                try:
                    ctx.respond(Opaque())
                except akt.NotSupported as e:
                    errors.append(str(e))
                    raise
            elif msg == "opaque":
                self.opaque = True
                ctx.respond("ok")

    py = any_system.spawn("py", Answer())
    rc, text = c_plain_ask(any_system, "/user/py")
    assert (rc, text) == (0, "akt.String readable")
    assert py.ask_sync("opaque", ASK_S) == "ok"
    rc, text = c_plain_ask(any_system, "/user/py")
    assert rc != 0, text
    assert "respond of a value of class" in text and "Opaque" in text, text
    assert "from outside any actor" in text, text
    assert len(errors) == 1 and "Opaque" in errors[0]
    # Python's own asks from outside actors still get the object itself.
    o = Opaque()

    class Echo(akt.Actor):
        def receive(self, ctx: akt.Context, msg: object) -> None:
            ctx.respond(msg)

    e = any_system.spawn("echo", Echo())
    assert e.ask_sync(o, ASK_S) is o
    assert all(r is o for r in e.ask_batch_sync([o, o], ASK_S))
