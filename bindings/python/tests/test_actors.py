"""What an actor does through its context, supervision, lifecycle and events."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

import akt
from akt.testkit import TestProbe
from actors import Counter, Echo, Recorder, wait_for


def test_context_identity(any_system: akt.ActorSystem) -> None:
    class Who(akt.Actor):
        def receive(self, ctx, msg):
            if msg == "who":
                ctx.respond((ctx.self, ctx.sender, ctx.parent, ctx.system, ctx.actor))
            else:  # a tuple (target, payload): ask target with self as sender
                ctx.tell(msg[0], msg[1])

    who = any_system.spawn("who", Who())
    me, sender, parent, system, actor = who.ask_sync("who")
    assert me == who and sender is None and system is any_system
    assert isinstance(actor, Who)
    assert parent is None or parent.path == "akt://test/user"


def test_respond_goes_to_the_sender(any_system: akt.ActorSystem) -> None:
    rec = Recorder(want=1)
    sink = any_system.spawn("sink", rec)

    class Client(akt.Actor):
        def receive(self, ctx, msg):
            if msg == "go":
                ctx.tell(echo, "ping")  # with self as sender
                ctx.respond("started")
            else:
                sink.tell((msg, ctx.sender))

    echo = any_system.spawn("echo", Echo())
    client = any_system.spawn("client", Client())
    assert client.ask_sync("go") == "started"
    assert rec.ready.wait(5)
    assert rec.got == [("ping", echo)]


class Go:
    """A message for Pinger: tell msgs to target with pid.tell (or one tell_batch)."""

    def __init__(self, target: akt.Pid, *msgs: Any, batch: bool = False) -> None:
        self.target, self.msgs, self.batch = target, msgs, batch


class Pinger(akt.Actor):
    """Tells what a Go says with the target's own pid.tell; keeps (reply, sender) pairs."""

    def __init__(self) -> None:
        self.got: list[tuple[Any, Any]] = []

    def receive(self, ctx, msg):
        if isinstance(msg, Go):
            if msg.batch:
                msg.target.tell_batch(list(msg.msgs))
            else:
                for m in msg.msgs:
                    msg.target.tell(m)
        else:
            self.got.append((msg, ctx.sender))


class Ponger(akt.Actor):
    """Keeps (message, sender) pairs and answers ("pong", message) when there is a sender."""

    def __init__(self) -> None:
        self.got: list[tuple[Any, Any]] = []

    def receive(self, ctx, msg):
        self.got.append((msg, ctx.sender))
        if ctx.sender is not None:
            ctx.respond(("pong", msg))


@pytest.mark.parametrize("where", ["python", "workers"])
def test_pid_tell_inside_an_actor_is_sent_by_it(any_system: akt.ActorSystem, c_actor: int,
                                                where: str) -> None:
    """pid.tell/tell_batch in a callback have the actor as sender, as ctx.tell has: Python
    receivers on either placement and a C actor can respond to it."""
    pinger_actor, ponger_actor = Pinger(), Ponger()
    pinger = any_system.spawn("pinger", pinger_actor)
    ponger = any_system.spawn("ponger", ponger_actor, dispatcher=where)
    c = any_system.spawn_native("c", c_actor)
    pinger.tell(Go(ponger, "a", "b"))
    pinger.tell(Go(ponger, "c", "d", batch=True))
    pinger.tell(Go(c, akt.Bytes.of("c.Echo", "hi")))
    assert wait_for(lambda: len(pinger_actor.got) == 5)
    assert [g for g in pinger_actor.got if g[1] == ponger] == [
        (("pong", m), ponger) for m in "abcd"]
    assert (akt.Bytes.of("c.Echoed", "hi"), c) in pinger_actor.got
    assert ponger_actor.got == [(m, pinger) for m in "abcd"]
    # Outside any actor there is no sender: nothing to respond to.
    ponger.tell("outside")
    assert wait_for(lambda: len(ponger_actor.got) == 5)
    assert ponger_actor.got[4] == ("outside", None)


def test_a_tell_to_another_systems_actor_has_no_sender(any_system: akt.ActorSystem) -> None:
    """The sender is an actor of the receiver's own system; the object itself still
    arrives (by reference) on the other system's thread."""
    with akt.ActorSystem("other") as other:
        remote_actor = Ponger()
        remote = other.spawn("remote", remote_actor)
        pinger = any_system.spawn("pinger", Pinger())
        payload = object()
        pinger.tell(Go(remote, payload))
        assert wait_for(lambda: remote_actor.got)
        assert remote_actor.got[0][0] is payload and remote_actor.got[0][1] is None


def test_forward_keeps_the_asker(any_system: akt.ActorSystem) -> None:
    back = any_system.spawn("back", Echo())

    class Front(akt.Actor):
        def receive(self, ctx, msg):
            ctx.forward(back)

    assert any_system.spawn("front", Front()).ask_sync("q") == "q"


def test_children_and_stop(any_system: akt.ActorSystem) -> None:
    stopped: list[str] = []

    class Child(akt.Actor):
        def post_stop(self, ctx):
            stopped.append(ctx.self.path)

        def receive(self, ctx, msg):
            if msg == "stop-yourself":
                ctx.stop()
            ctx.respond(ctx.parent)

    class Parent(akt.Actor):
        def pre_start(self, ctx):
            self.kids = [ctx.spawn("k1", Child()), ctx.spawn("k2", Child)]

        def post_stop(self, ctx):
            stopped.append(ctx.self.path)

        def receive(self, ctx, msg):
            if msg == "stop-k1":
                ctx.stop(self.kids[0])
                ctx.respond("ok")
            elif msg == "stop-stranger":
                try:
                    ctx.stop(stranger)
                except akt.InvalidArgument:
                    ctx.respond("refused")
            else:
                ctx.respond(self.kids)

    stranger = any_system.spawn(None, Counter())
    parent = any_system.spawn("p", Parent())
    k1, k2 = parent.ask_sync("kids")
    assert k1.path == "akt://test/user/p/k1" and k2.ask_sync("parent?") == parent
    assert parent.ask_sync("stop-stranger") == "refused"
    assert parent.ask_sync("stop-k1") == "ok"
    assert wait_for(lambda: not k1.is_alive)
    assert k2.ask_sync("stop-yourself") == parent
    assert wait_for(lambda: not k2.is_alive)
    parent.stop_graceful_sync(5)
    assert stopped == ["akt://test/user/p/k1", "akt://test/user/p/k2", "akt://test/user/p"]


def test_become_and_stacked(any_system: akt.ActorSystem) -> None:
    class Moody(akt.Actor):
        def receive(self, ctx, msg):
            self.handle("happy", ctx, msg)

        def handle(self, mood, ctx, msg):
            if msg == "get":
                ctx.respond(mood)
            elif msg[0] == "become":
                ctx.become(lambda c, m, new=msg[1]: self.handle(new, c, m))
                ctx.respond("ok")
            elif msg[0] == "push":
                ctx.become(lambda c, m, new=msg[1]: self.handle(new, c, m), stacked=True)
                ctx.respond("ok")
            elif msg == ("pop",):
                try:
                    ctx.unbecome_stacked()
                    ctx.respond("ok")
                except akt.ContextError:
                    ctx.respond("empty")
            elif msg == ("reset",):
                ctx.unbecome()
                ctx.respond("ok")

    pid = any_system.spawn(None, Moody())
    steps = [("get", "happy"), (("push", "angry"), "ok"), ("get", "angry"),
             (("push", "calm"), "ok"), ("get", "calm"), (("pop",), "ok"), ("get", "angry"),
             (("pop",), "ok"), (("pop",), "empty"), ("get", "happy"),
             (("become", "sad"), "ok"), (("push", "x"), "ok"), (("become", "y"), "ok"),
             ("get", "y"), (("reset",), "ok"), ("get", "happy")]
    for msg, want in steps:
        assert pid.ask_sync(msg) == want, msg

    class BadBecome(akt.Actor):
        def receive(self, ctx, msg):
            try:
                ctx.become(42)
            except TypeError:
                ctx.respond("TypeError")

    assert any_system.spawn(None, BadBecome()).ask_sync("x") == "TypeError"


def test_stash(any_system: akt.ActorSystem) -> None:
    class Gate(akt.Actor):
        def __init__(self) -> None:
            self.open = False
            self.log: list[str] = []

        def receive(self, ctx, msg):
            if msg == "open":
                self.open = True
                ctx.unstash_all()
            elif msg == "one":
                ctx.respond(ctx.unstash())
            elif msg == "log":
                ctx.respond(self.log)
            elif not self.open:
                ctx.stash()
            else:
                self.log.append(msg)

    gate = any_system.spawn(None, Gate())
    for m in "abc":
        gate.tell(m)
    gate.tell("open")
    gate.tell("d")
    assert gate.ask_sync("log") == ["a", "b", "c", "d"]
    assert gate.ask_sync("one") is False


def test_watch_and_unwatch(any_system: akt.ActorSystem) -> None:
    probe = TestProbe(any_system)

    class Watcher(akt.Actor):
        def receive(self, ctx, msg):
            if isinstance(msg, akt.Terminated):
                probe.pid.tell(msg.pid)
            elif msg[0] == "watch":
                ctx.watch(msg[1])
                ctx.respond("ok")
            elif msg[0] == "unwatch":
                ctx.unwatch(msg[1])
                ctx.respond("ok")

    watcher = any_system.spawn(None, Watcher())
    a, b = any_system.spawn(None, Counter()), any_system.spawn(None, Counter())
    watcher.ask_sync(("watch", a))
    watcher.ask_sync(("watch", b))
    watcher.ask_sync(("unwatch", b))
    a.stop()
    b.stop()
    assert probe.expect_message(within=5.0) == a
    probe.expect_no_message(for_=0.05)  # b was unwatched
    watcher.ask_sync(("watch", a))  # already gone: Terminated at once
    assert probe.expect_message(within=5.0) == a


def test_dependencies(any_system: akt.ActorSystem) -> None:
    db = {"k": "v"}

    class UsesDb(akt.Actor):
        def receive(self, ctx, msg):
            try:
                ctx.respond(ctx.dependency(msg))
            except KeyError as e:
                ctx.respond(("missing", str(e)))

    pid = any_system.spawn(None, UsesDb(), dependencies={"db": db})
    assert pid.ask_sync("db") is db
    assert pid.ask_sync("cache")[0] == "missing"
    with pytest.raises(akt.ActorFailed):
        any_system.spawn(None, UsesDb(), dependencies={"db": db}).ask_sync(5)


def test_failure_restarts_and_keeps_the_mailbox(any_system: akt.ActorSystem) -> None:
    pid = any_system.spawn(None, Counter())
    pid.tell("incr")
    pid.tell("boom")
    pid.tell("incr")
    assert pid.ask_sync("get") == 1  # restarted: pre_start reset n, the next incr stayed


def test_factory_gives_a_fresh_instance_on_restart(any_system: akt.ActorSystem) -> None:
    made: list[Counter] = []

    def make() -> Counter:
        made.append(Counter())
        return made[-1]

    pid = any_system.spawn(None, make)
    pid.tell("boom")
    pid.ask_sync("get")
    assert len(made) == 2 and made[0] is not made[1]


def test_supervisor_directives(any_system: akt.ActorSystem) -> None:
    decisions: list[tuple[str, Any]] = []

    def decide(error: akt.AktError, reason: Any) -> akt.Directive:
        decisions.append((error.name, reason))
        return akt.Directive.RESUME if "resume" in reason else akt.Directive.STOP

    class Worker(akt.Actor):
        def __init__(self) -> None:
            self.n = 0

        def receive(self, ctx, msg):
            if msg == "get":
                ctx.respond(self.n)
            elif msg == "incr":
                self.n += 1
            else:
                raise RuntimeError(msg)

    class Boss(akt.Actor):
        def receive(self, ctx, msg):
            ctx.respond(ctx.spawn(msg, Worker()))

    boss = any_system.spawn(None, Boss(), supervisor=akt.Supervisor(decide=decide))
    w = boss.ask_sync("w")
    w.tell("incr")
    w.tell("please resume")
    assert w.ask_sync("get") == 1  # resumed: state kept
    w.tell("now stop")
    assert wait_for(lambda: not w.is_alive)
    assert decisions == [("AKT_EFAILED", "RuntimeError: please resume"),
                         ("AKT_EFAILED", "RuntimeError: now stop")]

    top = akt.ActorSystem("sup", supervisor=akt.Supervisor(akt.Directive.STOP))
    try:
        t = top.spawn(None, Counter())
        t.tell("boom")
        assert wait_for(lambda: not t.is_alive)
    finally:
        top.shutdown()


def test_one_for_all_restarts_every_sibling(any_system: akt.ActorSystem) -> None:
    class Group(akt.Actor):
        def receive(self, ctx, msg):
            ctx.respond([ctx.spawn(f"m{i}", Counter()) for i in range(3)])

    boss = any_system.spawn(None, Group(), supervisor=akt.Supervisor(
        strategy=akt.Strategy.ONE_FOR_ALL))
    members = boss.ask_sync("spawn")
    for m in members:
        m.tell("incr")
        assert m.ask_sync("get") == 1
    restarted: list[akt.Event] = []
    any_system.subscribe(restarted.append, akt.EventKind.ACTOR_RESTARTED)
    members[1].tell("boom")
    assert wait_for(lambda: {e.pid for e in restarted} == set(members))
    assert [m.ask_sync("get") for m in members] == [0, 0, 0]  # every pre_start ran again
    assert all(m.is_alive for m in members) and boss.is_alive


def test_retry_budget_stops_the_child(any_system: akt.ActorSystem) -> None:
    class Boss(akt.Actor):
        def receive(self, ctx, msg):
            ctx.respond(ctx.spawn(None, Counter()))

    boss = any_system.spawn(None, Boss(), supervisor=akt.Supervisor(max_retries=1, within=60))
    w = boss.ask_sync("spawn")
    w.tell("boom")
    w.tell("incr")
    assert w.ask_sync("get") == 1  # restarted once
    w.tell("boom")  # the second failure within a minute: stopped
    assert wait_for(lambda: not w.is_alive)
    assert boss.is_alive


def test_retry_budget_can_suspend_the_child(any_system: akt.ActorSystem) -> None:
    events: list = []
    sub = any_system.subscribe(events.append, akt.EventKind.ACTOR_SUSPENDED
                               | akt.EventKind.ACTOR_REINSTATED | akt.EventKind.ACTOR_RESTARTED)

    def count(kind: akt.EventKind, pid: akt.Pid) -> int:
        return sum(1 for e in list(events) if e.kind == kind and e.pid == pid)

    class Boss(akt.Actor):
        def receive(self, ctx, msg):
            ctx.respond(ctx.spawn(None, Counter()))

    sup = akt.Supervisor(max_retries=1, within=60, on_retries_exhausted=akt.Directive.SUSPEND)
    boss = any_system.spawn(None, Boss(), supervisor=sup)
    w = boss.ask_sync("spawn")
    w.tell("boom")
    w.tell("incr")
    assert w.ask_sync("get") == 1  # restarted once
    w.tell("boom")  # the second failure within a minute: suspended, not stopped
    assert wait_for(lambda: count(akt.EventKind.ACTOR_SUSPENDED, w) == 1)
    with pytest.raises(akt.ActorSuspended):
        w.tell("incr")
    assert w.is_alive and boss.is_alive
    w.reinstate()
    assert wait_for(lambda: count(akt.EventKind.ACTOR_REINSTATED, w) == 1)
    assert w.ask_sync("get") == 1  # the state was kept
    w.tell("boom")  # a fresh budget after the reinstatement: restarted again
    assert w.ask_sync("get") == 0
    assert wait_for(lambda: count(akt.EventKind.ACTOR_RESTARTED, w) == 2)
    assert count(akt.EventKind.ACTOR_SUSPENDED, w) == 1
    w.tell("boom")
    assert wait_for(lambda: count(akt.EventKind.ACTOR_SUSPENDED, w) == 2)
    assert w.is_alive
    sub.close()


def test_system_supervisor_can_suspend_on_exhaustion() -> None:
    sup = akt.Supervisor(max_retries=1, within=60, on_retries_exhausted=akt.Directive.SUSPEND)
    with akt.ActorSystem("exhausted", supervisor=sup) as s:
        t = s.spawn(None, Counter())
        t.tell("boom")
        assert t.ask_sync("get") == 0
        t.tell("incr")
        t.tell("boom")
        assert wait_for(lambda: _suspended(t))
        assert t.is_alive
        t.reinstate()  # asynchronous
        assert wait_for(lambda: not _suspended(t))
        assert t.ask_sync("get") == 1  # the state was kept (no restart)


def _suspended(pid: akt.Pid) -> bool:
    try:
        pid.tell("noop")
    except akt.ActorSuspended:
        return True
    return False


def test_retries_exhausted_option_is_checked() -> None:
    assert akt.Supervisor().on_retries_exhausted is akt.Directive.STOP
    for value, error in [(akt.Directive.RESTART, ValueError), (akt.Directive.RESUME, ValueError),
                         (akt.Directive.ESCALATE, ValueError), (9, ValueError),
                         ("suspend", TypeError), (True, TypeError), (None, TypeError)]:
        with pytest.raises(error):
            akt.Supervisor(max_retries=1, within=1, on_retries_exhausted=value)
    s = akt.Supervisor(max_retries=1, within=1, on_retries_exhausted=int(akt.Directive.SUSPEND))
    assert s.on_retries_exhausted is akt.Directive.SUSPEND


class Raiser(akt.Actor):
    """("raise", exception) raises it; "get" answers how many messages it handled."""

    def pre_start(self, ctx: akt.Context) -> None:
        self.n = 0

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        self.n += 1
        if isinstance(msg, tuple) and msg[0] == "raise":
            raise msg[1]
        if msg == "get":
            ctx.respond(self.n)


def test_supervisor_rules_by_exception_class(any_system: akt.ActorSystem) -> None:
    decided: list[str] = []

    def decide(error: akt.AktError, reason: Any) -> akt.Directive:
        decided.append(reason)
        return akt.Directive.RESTART

    class Boss(akt.Actor):
        def receive(self, ctx, msg):
            ctx.respond(ctx.spawn(None, Raiser()))

    rules = {LookupError: akt.Directive.STOP, KeyError: akt.Directive.RESUME,
             ValueError: akt.Directive.RESUME}
    boss = any_system.spawn(None, Boss(), supervisor=akt.Supervisor(decide=decide, rules=rules))
    w = boss.ask_sync("spawn")
    w.tell(("raise", ValueError("bad value")))   # rule: resume
    w.tell(("raise", KeyError("k")))             # the most specific rule: resume, not stop
    assert w.ask_sync("get") == 3                # resumed twice: the state is kept
    assert decided == []                         # rules answer without the decider
    w.tell(("raise", OSError("no rule")))        # the decider: restart
    assert w.ask_sync("get") == 1
    assert decided == ["OSError: no rule"]
    w.tell(("raise", IndexError("i")))           # a LookupError: stop
    assert wait_for(lambda: not w.is_alive)
    assert boss.is_alive and len(decided) == 1


def test_supervisor_code_rules_reach_c_children(c_actor: int) -> None:
    """An akt error class in rules is a code rule: akt applies it to a C actor failing with
    that code, without calling the decider."""
    decided: list[Any] = []

    def decide(error: akt.AktError, reason: Any) -> akt.Directive:
        decided.append(reason)
        return akt.Directive.RESTART

    sup = akt.Supervisor(decide=decide, rules={akt.ActorFailed: akt.Directive.STOP})
    with akt.ActorSystem("rules", supervisor=sup) as s:
        c = s.spawn_native("c", c_actor)
        c.tell(akt.Bytes.of("c.Fail", ""))  # AKT_EFAILED from akt_ctx_fail
        assert wait_for(lambda: not c.is_alive)
        assert decided == []


def test_supervisor_rules_are_checked() -> None:
    for rules, error in [({"ValueError": akt.Directive.STOP}, TypeError),
                         ({int: akt.Directive.STOP}, TypeError),
                         ({ValueError: "stop"}, TypeError), ({ValueError: 9}, ValueError),
                         ([(ValueError, akt.Directive.STOP)], TypeError)]:
        with pytest.raises(error):
            akt.Supervisor(rules=rules)
    # akt error classes also go to akt's code table: a C child failing with the code.
    s = akt.Supervisor(rules={akt.AskTimeout: akt.Directive.RESUME, ValueError: akt.Directive.STOP})
    assert s._code_rules == ((akt.AskTimeout.code, int(akt.Directive.RESUME)),)


def test_supervisor_options_are_checked() -> None:
    for kwargs, error in [({"strategy": 7}, ValueError), ({"strategy": "all"}, TypeError),
                          ({"max_retries": -1}, ValueError), ({"max_retries": 2}, ValueError),
                          ({"max_retries": 1.5, "within": 1}, TypeError),
                          ({"max_retries": 2, "within": 0}, ValueError),
                          ({"max_retries": 2, "within": -1.0}, ValueError),
                          ({"within": float("nan")}, ValueError),
                          ({"within": "1s"}, TypeError)]:
        with pytest.raises(error):
            akt.Supervisor(**kwargs)
    s = akt.Supervisor(strategy=akt.Strategy.ONE_FOR_ALL, max_retries=3, within=0.5)
    assert s.strategy is akt.Strategy.ONE_FOR_ALL and s.max_retries == 3 and s.within == 0.5


def test_failures_reach_events_and_the_log(any_system: akt.ActorSystem,
                                           caplog: pytest.LogCaptureFixture) -> None:
    events: list[akt.Event] = []
    any_system.subscribe(events.append, akt.EventKind.ACTOR_FAILED)
    pid = any_system.spawn("failing", Counter())
    with caplog.at_level(logging.ERROR, logger="akt"):
        pid.tell("boom")
        pid.ask_sync("get")
        assert wait_for(lambda: events)
    ev = events[0]
    assert ev.kind == akt.EventKind.ACTOR_FAILED and ev.path == "akt://test/user/failing"
    assert ev.reason == "ValueError: boom" and ev.error is not None and ev.error.name == "AKT_EFAILED"
    assert ev.traceback and "Traceback" in ev.traceback and "ValueError: boom" in ev.traceback
    assert "in receive" in ev.traceback
    assert any("failing" in r.getMessage() and r.exc_info for r in caplog.records)


def test_post_stop_failure_is_a_failure_event(any_system: akt.ActorSystem) -> None:
    events: list[akt.Event] = []
    any_system.subscribe(events.append, akt.EventKind.ACTOR_FAILED)

    class Untidy(Counter):
        def post_stop(self, ctx):
            raise OSError("cleanup failed")

    pid = any_system.spawn("untidy", Untidy())
    assert pid.ask_sync("get") == 0
    pid.stop()
    assert wait_for(lambda: not pid.is_alive)  # the failure does not block the stop
    assert wait_for(lambda: events)
    assert events[0].path == "akt://test/user/untidy"
    assert events[0].reason == "OSError: cleanup failed"
    assert events[0].error is not None and events[0].error.name == "AKT_EFAILED"


def test_pre_start_failure(any_system: akt.ActorSystem) -> None:
    events: list[akt.Event] = []
    any_system.subscribe(events.append, akt.EventKind.ACTOR_FAILED)

    class Broken(akt.Actor):
        def pre_start(self, ctx):
            raise OSError("no disk")

    any_system.spawn("broken", Broken())
    assert wait_for(lambda: events)
    assert events[0].reason == "OSError: no disk"


def test_lifecycle_stop_poison_graceful(any_system: akt.ActorSystem) -> None:
    log: list[str] = []

    class Life(akt.Actor):
        def pre_start(self, ctx):
            log.append("start")

        def post_stop(self, ctx):
            log.append("stop")

        def receive(self, ctx, msg):
            log.append(msg)

    a = any_system.spawn(None, Life())
    for m in "xyz":
        a.tell(m)
    a.poison()
    assert wait_for(lambda: log == ["start", "x", "y", "z", "stop"])
    b = any_system.spawn(None, Life())
    b.tell("w")
    b.stop_graceful_sync(5)
    assert log[-3:] == ["start", "w", "stop"] and not b.is_alive
    with pytest.raises(akt.ActorNotFound):
        b.stop_graceful_sync(5)


def test_events_and_dead_letters(any_system: akt.ActorSystem) -> None:
    events: list[akt.Event] = []
    dead: list[akt.Event] = []
    with any_system.subscribe(events.append,
                              akt.EventKind.ACTOR_STARTED | akt.EventKind.ACTOR_STOPPED) as sub:
        any_system.on_dead_letter(dead.append)
        pid = any_system.spawn("ev", Recorder())
        pid.ask_sync("dump")
        pid.stop_graceful_sync(5)
        assert wait_for(lambda: len(events) == 2)
        assert [e.kind for e in events] == [akt.EventKind.ACTOR_STARTED,
                                            akt.EventKind.ACTOR_STOPPED]
        assert events[0].pid == pid and events[0].path == "akt://test/user/ev"

        class Hoarder(akt.Actor):
            def receive(self, ctx, msg):
                if msg == "ping":
                    ctx.respond("pong")
                else:
                    ctx.stash()

        h = any_system.spawn(None, Hoarder())
        payload = object()
        h.tell(payload)
        h.ask_sync("ping")
        h.stop()
        assert wait_for(lambda: dead)
        assert dead[0].message is payload and dead[0].kind == akt.EventKind.DEAD_LETTER
        assert wait_for(lambda: len(events) == 4)  # the hoarder started and stopped
    assert not sub.active
    any_system.spawn(None, Counter()).ask_sync("get")
    any_system.spawn(None, Counter()).stop_graceful_sync(5)
    assert len(events) == 4


def test_closing_each_others_subscriptions_from_two_callbacks(system: akt.ActorSystem,
                                                             c_actor: int) -> None:
    """Two callbacks running at once on two threads each close the other's subscription:
    the first close waits for the other callback, the second is refused (DeadlockError),
    and the subscription it meant to end stays active, callback and all, until a close
    from outside."""
    barrier = threading.Barrier(2, timeout=10)
    subs: dict[str, Any] = {}
    seen: dict[str, list[str]] = {"a": [], "b": []}
    outcome: dict[str, str] = {}

    def callback(mine: str, other: str) -> Any:
        def on_event(event: akt.Event) -> None:
            seen[mine].append(event.path.rsplit("/", 1)[-1])
            if event.path.endswith("/" + mine) and mine not in outcome:
                barrier.wait()  # both callbacks are running now, one on each thread
                try:
                    subs[other].close()
                    outcome[mine] = "closed"
                except akt.DeadlockError:
                    outcome[mine] = "refused"
        return on_event

    subs["a"] = system.subscribe(callback("a", "b"), akt.EventKind.ACTOR_STARTED)
    subs["b"] = system.subscribe(callback("b", "a"), akt.EventKind.ACTOR_STARTED)
    # A C actor without pre_start: its start event is published on the spawning thread.
    threads = [threading.Thread(target=system.spawn_native, args=(name, c_actor))
               for name in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(outcome.values()) == ["closed", "refused"]
    refused = "a" if outcome["a"] == "refused" else "b"
    kept = "b" if refused == "a" else "a"  # the subscription the refused close meant to end
    assert subs[kept].active and not subs[refused].active
    before = {k: len(v) for k, v in seen.items()}
    system.spawn_native("later", c_actor)
    assert seen[kept][before[kept]:] == ["later"] and len(seen[refused]) == before[refused]
    subs[kept].close()
    assert not subs[kept].active
    system.spawn_native("last", c_actor)
    assert "last" not in seen[kept]


def test_a_closed_subscription_is_let_go(system: akt.ActorSystem) -> None:
    import sys

    sub = system.subscribe(lambda event: None)
    refs = sys.getrefcount(sub)
    with sub:
        pass
    assert not sub.active and sys.getrefcount(sub) == refs - 1  # the system let it go
    sub.close()  # closing again does nothing


def test_a_failing_subscriber_is_logged(any_system: akt.ActorSystem,
                                        caplog: pytest.LogCaptureFixture) -> None:
    def bad(event: akt.Event) -> None:
        raise KeyError("subscriber bug")

    with caplog.at_level(logging.ERROR, logger="akt"):
        any_system.subscribe(bad, akt.EventKind.ACTOR_STARTED)
        any_system.spawn(None, Counter()).ask_sync("get")
        assert wait_for(lambda: any("event subscriber" in r.getMessage()
                                    for r in caplog.records))
    assert any_system.spawn(None, Counter()).ask_sync("get") == 0


def test_shutdown_from_inside_an_actor() -> None:
    system = akt.ActorSystem("inner")

    class Quitter(akt.Actor):
        def receive(self, ctx, msg):
            ctx.respond(ctx.system.shutdown())

    assert system.spawn(None, Quitter()).ask_sync("quit") is False
    assert wait_for(lambda: not system.is_running)
    assert system.shutdown()


def test_stop_graceful_async(any_system: akt.ActorSystem) -> None:
    import asyncio

    pid = any_system.spawn(None, Counter())

    async def main() -> None:
        await pid.stop_graceful(5)

    asyncio.run(main())
    assert not pid.is_alive


def test_backoff_delays_the_restart_and_keeps_the_mailbox(any_system: akt.ActorSystem) -> None:
    import time

    class Boss(akt.Actor):
        def receive(self, ctx, msg):
            ctx.respond(ctx.spawn(None, Counter()))

    sup = akt.Supervisor(backoff=akt.Backoff(0.05, maximum=1.0, multiplier=2.0))
    boss = any_system.spawn(None, Boss(), supervisor=sup)
    w = boss.ask_sync("spawn")
    w.tell("incr")
    t0 = time.monotonic()
    w.tell("boom")
    w.tell("incr")  # queued during the wait, handled after the restart
    assert w.ask_sync("get") == 1
    assert time.monotonic() - t0 >= 0.05


def test_backoff_options_are_checked() -> None:
    for kwargs, error in [({"initial": 0}, ValueError), ({"initial": "1"}, TypeError),
                          ({"initial": 1, "maximum": 0.5}, ValueError),
                          ({"initial": 1, "multiplier": 0.5}, ValueError),
                          ({"initial": 1, "jitter": 2}, ValueError),
                          ({"initial": 1, "jitter": float("nan")}, ValueError),
                          ({"initial": 1, "reset_after": -1}, ValueError)]:
        with pytest.raises(error):
            akt.Backoff(**kwargs)
    with pytest.raises(TypeError):
        akt.Supervisor(backoff=1.0)  # type: ignore[arg-type]


def test_suspend_refuses_until_reinstated(any_system: akt.ActorSystem) -> None:
    events: list = []
    sub = any_system.subscribe(
        events.append, akt.EventKind.ACTOR_SUSPENDED | akt.EventKind.ACTOR_REINSTATED)

    class Boss(akt.Actor):
        def receive(self, ctx, msg):
            ctx.respond(ctx.spawn("w", Counter()))

    boss = any_system.spawn("boss", Boss(),
                            supervisor=akt.Supervisor(directive=akt.Directive.SUSPEND))
    w = boss.ask_sync("spawn")
    w.tell("incr")
    w.tell("boom")
    assert wait_for(lambda: any(e.kind == akt.EventKind.ACTOR_SUSPENDED for e in events))
    with pytest.raises(akt.ActorSuspended):
        w.tell("incr")
    with pytest.raises(akt.ActorSuspended):
        w.ask_sync("get")
    any_system.reinstate_named("boss/w")  # asynchronous: done once the event is out
    assert wait_for(lambda: any(e.kind == akt.EventKind.ACTOR_REINSTATED for e in events))
    assert w.ask_sync("get") == 1  # the state was kept
    w.reinstate()  # not suspended: nothing happens
    sub.close()
