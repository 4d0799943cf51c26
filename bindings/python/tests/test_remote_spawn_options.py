"""remote_spawn with options: the supervisor, mailbox, passivation, reentrancy and
max_in_flight take effect on the spawning node; what is a function cannot cross and is
refused here, leaving nothing there."""
from __future__ import annotations

import socket
import threading
import time
from typing import Any, Callable, Iterator, Optional

import pytest

import akt
from akt.mailbox import Mailbox

# Per actor name: set once the actor is inside a blocking receive / lets it go on.
_started: dict[str, threading.Event] = {}
_gates: dict[str, threading.Event] = {}


class Child(akt.Actor):
    """"fail" raises; anything else answers "c:<msg>"."""

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "fail":
            raise RuntimeError("boom")
        ctx.respond(f"c:{msg}")


class Boss(akt.Actor):
    """The kind spawned remotely: "spawn" spawns the child "c" (default options); "block"
    waits for its gate; ("go", pid) makes two requests to pid (the second one may be Busy);
    anything else answers "<name>:<msg>"."""

    def __init__(self, name: str) -> None:
        self.name = name

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "spawn":
            ctx.spawn("c", Child())
            ctx.respond("spawned")
        elif msg == "block":
            _started[self.name].set()
            _gates[self.name].wait(10)
        elif isinstance(msg, tuple) and msg[0] == "go":
            ctx.request(msg[1], "q", lambda ctx, reply, error: None, timeout=10)
            try:
                ctx.request(msg[1], "q2", lambda ctx, reply, error: None, timeout=10)
                ctx.respond("two in flight")
            except akt.Busy:
                ctx.respond("busy")
        else:
            ctx.respond(f"{self.name}:{msg}")


class Hold(akt.Actor):
    """Answers "q" once its gate opens (run on akt's workers: it blocks)."""

    def __init__(self, gate: threading.Event) -> None:
        self.gate = gate

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        self.gate.wait(10)
        ctx.respond("a")


@pytest.fixture
def nodes() -> Iterator[tuple[akt.ActorSystem, akt.ActorSystem, str]]:
    """(here, peer, the peer's address); the peer registers "boss" (long-lived) and
    "gated" (the same, on akt's workers)."""
    a, b = akt.ActorSystem("pyalpha"), akt.ActorSystem("pybeta")
    try:
        addr = b.remote_start("127.0.0.1", 0)
        a.remote_start("127.0.0.1", 0)
        b.register_grain("boss", Boss, deactivate_after=None)
        b.register_grain("gated", Boss, deactivate_after=None, dispatcher="workers")
        yield a, b, addr
    finally:
        for gate in _gates.values():
            gate.set()
        assert a.shutdown(timeout=10)
        assert b.shutdown(timeout=10)
        _gates.clear()
        _started.clear()


def _until(cond: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not cond():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _exists(system: akt.ActorSystem, path: str) -> bool:
    try:
        system.lookup(path)
        return True
    except akt.ActorNotFound:
        return False


def test_a_supervisor_that_stops_crosses(nodes: Any) -> None:
    a, b, addr = nodes
    strict = a.remote_spawn(addr, "boss", "strict", supervisor=akt.Supervisor(akt.Directive.STOP))
    lenient = a.remote_spawn(addr, "boss", "lenient")
    assert strict.ask_sync("spawn", timeout=10) == "spawned"
    assert lenient.ask_sync("spawn", timeout=10) == "spawned"
    b.lookup("/user/strict/c").tell("fail")
    b.lookup("/user/lenient/c").tell("fail")
    _until(lambda: not _exists(b, "/user/strict/c"), "the strict child did not stop")
    # The default restarts: the child is there and answers.
    assert b.lookup("/user/lenient/c").ask_sync("after", timeout=10) == "c:after"


def test_rules_by_akt_error_class_cross_as_codes(nodes: Any) -> None:
    a, b, addr = nodes
    # A Python child's exception fails it with AKT_EFAILED: akt.ActorFailed's code.
    sup = akt.Supervisor(akt.Directive.RESTART, rules={akt.ActorFailed: akt.Directive.STOP})
    p = a.remote_spawn(addr, "boss", "ruled", supervisor=sup)
    assert p.ask_sync("spawn", timeout=10) == "spawned"
    b.lookup("/user/ruled/c").tell("fail")
    _until(lambda: not _exists(b, "/user/ruled/c"), "the rule by code did not stop the child")


def test_passivation_after_two_messages(nodes: Any) -> None:
    a, b, addr = nodes
    p = a.remote_spawn(addr, "boss", "brief", passivation=akt.Passivation.after_messages(2))
    assert p.ask_sync("one", timeout=10) == "brief:one"
    time.sleep(0.2)
    assert _exists(b, "/user/brief"), "passivated after one message"
    assert p.ask_sync("two", timeout=10) == "brief:two"
    _until(lambda: not _exists(b, "/user/brief"), "not passivated after its second message")
    # LONG_LIVED crosses too (no passivation): still there after two.
    q = a.remote_spawn(addr, "boss", "lasting", passivation=akt.Passivation.LONG_LIVED)
    assert q.ask_sync("one", timeout=10) == "lasting:one"
    assert q.ask_sync("two", timeout=10) == "lasting:two"
    time.sleep(0.2)
    assert _exists(b, "/user/lasting")


def test_idle_passivation(nodes: Any) -> None:
    a, b, addr = nodes
    p = a.remote_spawn(addr, "boss", "idler", passivation=akt.Passivation.idle(0.1))
    assert p.ask_sync("x", timeout=10) == "idler:x"
    _until(lambda: not _exists(b, "/user/idler"), "not passivated when idle")


@pytest.mark.parametrize("mailbox", [akt.Bounded(2), akt.Fair(2), None])
def test_a_bounded_mailbox_crosses(nodes: Any, mailbox: Optional[Mailbox]) -> None:
    a, b, addr = nodes
    _started["m"], _gates["m"] = threading.Event(), threading.Event()
    p = a.remote_spawn(addr, "gated", "m", mailbox=mailbox)
    assert p.ask_sync("hi", timeout=10) == "m:hi"
    there = b.lookup("/user/m")
    there.tell("block")
    assert _started["m"].wait(10)
    there.tell("x")
    there.tell("y")
    if mailbox is None:  # the default is unbounded
        there.tell("z")
    else:
        with pytest.raises(akt.MailboxFull):
            there.tell("z")
    _gates["m"].set()
    # The queued x and y are taken once the gate opens; until then an ask may find it full.
    deadline = time.monotonic() + 10
    while True:
        try:
            assert p.ask_sync("after", timeout=10) == "m:after"
            break
        except akt.MailboxFull:
            assert mailbox is not None and time.monotonic() < deadline
            time.sleep(0.01)


def test_reentrancy_and_max_in_flight_cross(nodes: Any) -> None:
    a, b, addr = nodes
    gate = threading.Event()
    _gates["hold"] = gate
    hold = b.spawn("hold", Hold(gate), dispatcher="workers")
    p = a.remote_spawn(addr, "boss", "r", reentrancy="stash", max_in_flight=1)
    assert p.ask_sync("hi", timeout=10) == "r:hi"
    there = b.lookup("/user/r")
    assert there.ask_sync(("go", hold), timeout=10) == "busy"  # max_in_flight=1
    # "stash": user messages wait while the request is in flight.
    ping = there.ask_future("ping", timeout=10)
    time.sleep(0.3)
    assert not ping.done(), "answered while its stash request was in flight"
    gate.set()
    assert ping.result(10) == "r:ping"


def test_default_reentrancy_keeps_handling(nodes: Any) -> None:
    a, b, addr = nodes
    gate = threading.Event()
    _gates["hold"] = gate
    hold = b.spawn("hold", Hold(gate), dispatcher="workers")
    p = a.remote_spawn(addr, "boss", "r", reentrancy="allow_all")
    there = b.lookup("/user/r")
    assert there.ask_sync(("go", hold), timeout=10) == "two in flight"
    assert p.ask_sync("ping", timeout=10) == "r:ping"  # not stashed
    gate.set()


def _decide(error: akt.AktError, reason: Optional[str]) -> akt.Directive:
    return akt.Directive.RESTART


@pytest.mark.parametrize("options", [
    {"supervisor": akt.Supervisor(decide=_decide)},
    {"supervisor": akt.Supervisor(rules={ValueError: akt.Directive.STOP})},
    {"supervisor": akt.Supervisor(rules={akt.AskTimeout: akt.Directive.STOP,
                                         KeyError: akt.Directive.RESUME})},
    {"mailbox": akt.Priority(key=lambda m: m)},
    {"mailbox": Mailbox(akt.Fair().kind, key=len)},
    {"passivation": akt.Passivation(99)},  # refused by the spawning node
], ids=["decide", "class_rule", "mixed_rules", "priority", "fair_key", "bad_passivation"])
def test_what_cannot_cross_is_refused(nodes: Any, options: dict[str, Any]) -> None:
    a, b, addr = nodes
    with pytest.raises(akt.InvalidArgument) as err:
        a.remote_spawn(addr, "boss", "refused", **options)
    assert err.value.code == akt.InvalidArgument.code
    assert err.value.name == "AKT_EINVAL"
    assert isinstance(err.value, ValueError)
    with pytest.raises(akt.ActorNotFound):
        b.lookup("/user/refused")
    # The name is free: the same spawn without the option works.
    assert a.remote_spawn(addr, "boss", "refused").ask_sync("x", timeout=10) == "refused:x"


@pytest.mark.parametrize("options, error", [
    ({"supervisor": "stop"}, TypeError),
    ({"supervisor": akt.Directive.STOP}, TypeError),
    ({"mailbox": 4}, TypeError),
    ({"passivation": 2}, TypeError),
    ({"passivation": (2, 0, 2)}, TypeError),
    ({"reentrancy": 1}, TypeError),
    ({"reentrancy": "sometimes"}, ValueError),
    ({"max_in_flight": "4"}, TypeError),
    ({"max_in_flight": -1}, ValueError),
    ({"max_in_flight": 2**40}, ValueError),
    ({"timeout": "10"}, TypeError),
    ({"timeout": -1.0}, ValueError),
])
def test_wrong_types_raise(nodes: Any, options: dict[str, Any], error: type) -> None:
    a, b, addr = nodes
    with pytest.raises(error):
        a.remote_spawn(addr, "boss", "typed", **options)
    with pytest.raises(akt.ActorNotFound):
        b.lookup("/user/typed")


def test_the_call_does_not_hold_the_gil(nodes: Any) -> None:
    a, b, addr = nodes
    ticks = [0]
    stop = threading.Event()

    def tick() -> None:
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.001)

    # A port that accepts and never answers: the call waits its whole timeout.
    with socket.socket() as mute:
        mute.bind(("127.0.0.1", 0))
        mute.listen(4)
        t = threading.Thread(target=tick)
        t.start()
        t0 = time.monotonic()
        try:
            with pytest.raises(akt.AktError):
                a.remote_spawn(f"akt://nobody@127.0.0.1:{mute.getsockname()[1]}", "boss", "x",
                               timeout=0.5, supervisor=akt.Supervisor(akt.Directive.STOP),
                               mailbox=akt.Bounded(4), passivation=akt.Passivation.idle(5))
        finally:
            stop.set()
            t.join()
    assert time.monotonic() - t0 >= 0.4
    assert ticks[0] > 20


def test_a_remote_pids_reinstate_reinstates_it_there(nodes: Any) -> None:
    a, b, addr = nodes
    keeper = a.remote_spawn(addr, "boss", "keeper",
                            supervisor=akt.Supervisor(akt.Directive.SUSPEND))
    assert keeper.ask_sync("spawn", timeout=10) == "spawned"
    child = a.remote_lookup(f"{addr}/user/keeper/c")
    here = b.lookup("/user/keeper/c")
    child.tell("fail")

    def suspended() -> bool:
        try:
            here.tell("probe")
            return False
        except akt.ActorSuspended:
            return True

    _until(suspended, "the child was not suspended")
    with pytest.raises(akt.ActorSuspended):
        child.ask_sync("while", timeout=10)
    child.reinstate()  # akt_reinstate of the remote pid: on its node
    _until(lambda: not suspended(), "the child was not reinstated")
    assert child.ask_sync("back", timeout=10) == "c:back"
    keeper.reinstate()  # not suspended: left as it is
    assert keeper.ask_sync("still", timeout=10) == "keeper:still"
