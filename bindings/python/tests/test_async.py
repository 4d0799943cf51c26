"""Async receive: ``async def receive`` is driven on the actor's own turn. One message at a
time by default (the next waits for the coroutine), ``await ctx.request()`` resolves on the
actor's turn, respond/sender work after an await, a failure after an await is a failure for
the supervisor, allow_all lets an A -> B -> A cycle complete, asyncio futures of the
system's loop can be awaited, a stop or a restart drops the coroutine."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Optional

import pytest

import akt
from actors import wait_for


class Server(akt.Actor):
    """("inc", n) -> n + 1 (after the gate, if any); ("call", pid[, timeout]): asks pid
    "ping" by an async request and answers ("b", reply)."""

    def __init__(self, gate: Optional[threading.Event] = None) -> None:
        self.gate = gate

    async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
        if isinstance(msg, tuple) and msg[0] == "inc":
            if self.gate is not None:
                assert self.gate.wait(10)
            ctx.respond(msg[1] + 1)
        elif isinstance(msg, tuple) and msg[0] == "call":
            reply = await ctx.request(msg[1], "ping", timeout=msg[2] if len(msg) > 2 else 5)
            ctx.respond(("b", reply))
        else:
            ctx.unhandled()


class Worker(akt.Actor):
    """("work", n): requests ("inc", n) from the server, then logs and answers the reply;
    "boom-later": fails after an await; "ping": answers "pong" at once; "go" (allow_all
    cycle): asks the server to call back."""

    def __init__(self, server: akt.Pid) -> None:
        self.server = server
        self.log: list[Any] = []
        self.starts = 0
        self.inside = 0
        self.overlaps = 0

    def pre_start(self, ctx: akt.Context) -> None:
        self.starts += 1

    async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
        self.inside += 1
        if self.inside > 1:
            self.overlaps += 1
        try:
            if isinstance(msg, tuple) and msg[0] == "work":
                self.log.append(("start", msg[1]))
                self.inside -= 1
                reply = await ctx.request(self.server, ("inc", msg[1]))
                self.inside += 1
                self.log.append(("end", msg[1], reply))
                if ctx.reply_expected:
                    ctx.respond(reply)
            elif msg == "boom-later":
                self.inside -= 1
                await ctx.request(self.server, ("inc", 0))
                self.inside += 1
                raise ValueError("after an await")
            elif msg == "ping":
                ctx.respond("pong")
            elif msg == "go" or msg == "go-short":
                self.inside -= 1
                call = ("call", ctx.self) if msg == "go" else ("call", ctx.self, 0.2)
                got = await ctx.request(self.server, call, timeout=5)
                self.inside += 1
                ctx.respond(got)
            elif msg == "cancel":
                req = ctx.request(self.server, ("inc", 1))
                assert ctx.cancel_request(req) is True
                self.inside -= 1
                try:
                    await req
                except akt.Cancelled:
                    self.log.append("cancelled")
                self.inside += 1
                ctx.respond("ok")
            else:
                self.log.append(msg)
        finally:
            self.inside -= 1


def test_one_message_at_a_time_in_order(any_system: akt.ActorSystem) -> None:
    server = any_system.spawn(None, Server())
    worker = Worker(server)
    pid = any_system.spawn(None, worker)
    for i in range(20):
        pid.tell(("work", i))
    pid.tell("last")
    assert wait_for(lambda: worker.log[-1:] == ["last"])
    want: list[Any] = []
    for i in range(20):
        want += [("start", i), ("end", i, i + 1)]
    assert worker.log == want + ["last"]
    assert worker.overlaps == 0


def test_respond_after_await(any_system: akt.ActorSystem) -> None:
    server = any_system.spawn(None, Server())
    pid = any_system.spawn(None, Worker(server))
    assert pid.ask_sync(("work", 41), timeout=5) == 42


def test_failure_after_await_restarts(any_system: akt.ActorSystem) -> None:
    server = any_system.spawn(None, Server())
    worker = Worker(server)
    pid = any_system.spawn(None, worker)
    with pytest.raises(akt.ActorFailed, match="after an await"):
        pid.ask_sync("boom-later", timeout=5)
    assert pid.ask_sync(("work", 1), timeout=5) == 2  # restarted, and serving
    assert worker.starts == 2


def test_cycle_completes_with_allow_all(any_system: akt.ActorSystem) -> None:
    server = any_system.spawn(None, Server())
    pid = any_system.spawn(None, Worker(server), reentrancy="allow_all")
    assert pid.ask_sync("go", timeout=5) == ("b", "pong")


def test_cycle_without_allow_all_times_out(system: akt.ActorSystem) -> None:
    server = system.spawn(None, Server())
    pid = system.spawn(None, Worker(server))
    # The worker holds "go" while the server's "ping" waits behind it: the server's request
    # times out (a failure of the server), and the worker fails with that as its answer.
    with pytest.raises(akt.ActorFailed, match="actor failed"):
        pid.ask_sync("go-short", timeout=10)


def test_allow_all_interleaves(system: akt.ActorSystem) -> None:
    gate = threading.Event()
    server = system.spawn(None, Server(gate), dispatcher="workers")
    worker = Worker(server)
    pid = system.spawn(None, worker, reentrancy="allow_all")
    pid.tell(("work", 1))
    pid.tell("m")
    assert wait_for(lambda: worker.log == [("start", 1), "m"])
    gate.set()
    assert wait_for(lambda: len(worker.log) == 3)
    assert worker.log[2] == ("end", 1, 2)


def test_cancel_an_awaited_request(any_system: akt.ActorSystem) -> None:
    server = any_system.spawn(None, Server())
    worker = Worker(server)
    pid = any_system.spawn(None, worker)
    assert pid.ask_sync("cancel", timeout=5) == "ok"
    assert worker.log == ["cancelled"]


def test_stop_drops_the_coroutine(system: akt.ActorSystem) -> None:
    gate = threading.Event()
    server = system.spawn(None, Server(gate), dispatcher="workers")
    worker = Worker(server)
    pid = system.spawn(None, worker)
    got: list[BaseException] = []

    def asker() -> None:
        try:
            pid.ask_sync(("work", 1), timeout=5)
        except akt.AktError as e:
            got.append(e)

    t = threading.Thread(target=asker)
    t.start()
    assert wait_for(lambda: worker.log == [("start", 1)])
    pid.stop()
    t.join(10)
    assert len(got) == 1 and isinstance(got[0], akt.ActorStopped)
    gate.set()
    assert server.ask_sync(("inc", 0), timeout=5) == 1
    assert worker.log == [("start", 1)]  # the coroutine never went on


def test_asyncio_sleep_on_the_systems_loop() -> None:
    class Sleeper(akt.Actor):
        def __init__(self) -> None:
            self.log: list[str] = []

        async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
            self.log.append(f"start {msg}")
            await asyncio.sleep(0.01)
            self.log.append(f"end {msg}")
            ctx.respond(msg)

    sleeper = Sleeper()

    async def main() -> Any:
        async with akt.ActorSystem("aio", dispatcher="python") as system:
            pid = system.spawn(None, sleeper)
            pid.tell("a")
            return await pid.ask("b", timeout=5)

    assert asyncio.run(main()) == "b"
    assert sleeper.log == ["start a", "end a", "start b", "end b"]


def test_asyncio_sleep_on_workers_is_a_clear_failure(system: akt.ActorSystem) -> None:
    class Sleeper(akt.Actor):
        async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
            await asyncio.sleep(0.01)

    pid = system.spawn(None, Sleeper(), dispatcher="workers")
    with pytest.raises(akt.ActorFailed, match="no running event loop"):
        pid.ask_sync("x", timeout=5)


def test_a_request_without_then_is_an_akt_request(system: akt.ActorSystem) -> None:
    server = system.spawn(None, Server())

    class Plain(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            req = ctx.request(server, ("inc", 1))
            ctx.respond((type(req).__name__, req.done(), req.id > 0))

    assert system.spawn(None, Plain()).ask_sync("go", timeout=5) == ("Request", False, True)


def test_only_receive_may_be_async(system: akt.ActorSystem) -> None:
    failures: list[akt.Event] = []
    system.subscribe(failures.append, akt.EventKind.ACTOR_FAILED)
    server = system.spawn(None, Server())

    class AsyncThen(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            async def then(ctx: akt.Context, reply: Any, error: Any) -> None:
                pass

            ctx.request(server, ("inc", 1), then)

    pid = system.spawn(None, AsyncThen())
    pid.tell("go")
    assert wait_for(lambda: any("only receive" in (e.reason or "") for e in failures))

    class AsyncStop(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            ctx.respond("ok")

        async def post_stop(self, ctx: akt.Context) -> None:  # type: ignore[override]
            pass

    stopper = system.spawn(None, AsyncStop())
    assert stopper.ask_sync("x", timeout=5) == "ok"
    stopper.stop()
    assert wait_for(lambda: any("post_stop returned a coroutine" in (e.reason or "")
                                for e in failures))


def test_sleep_zero_yields_to_the_next_turn(any_system: akt.ActorSystem) -> None:
    class Yielder(akt.Actor):
        def __init__(self) -> None:
            self.log: list[str] = []

        async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
            self.log.append(f"start {msg}")
            await asyncio.sleep(0)
            self.log.append(f"end {msg}")
            ctx.respond(msg)

    y = Yielder()
    pid = any_system.spawn(None, y)
    pid.tell("a")
    assert pid.ask_sync("b", timeout=5) == "b"
    assert y.log == ["start a", "end a", "start b", "end b"]


def test_await_a_future_of_another_loop_from_workers() -> None:
    class Waiter(akt.Actor):
        async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
            ctx.respond(await msg)  # a future of the main thread's loop

    async def main() -> Any:
        loop = asyncio.get_running_loop()
        async with akt.ActorSystem("aio2", dispatcher="workers") as system:
            pid = system.spawn(None, Waiter())
            fut = loop.create_future()
            answer = pid.ask(fut, timeout=5)
            await asyncio.sleep(0.02)
            fut.set_result("set on the main loop")
            return await answer

    assert asyncio.run(main()) == "set on the main loop"


def test_stop_while_awaiting_a_loop_future() -> None:
    class Sleeper(akt.Actor):
        def __init__(self) -> None:
            self.ended = False

        async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
            await asyncio.sleep(0.05)
            self.ended = True

    sleeper = Sleeper()

    async def main() -> None:
        async with akt.ActorSystem("aio3", dispatcher="python") as system:
            pid = system.spawn(None, sleeper)
            pid.tell("x")
            await asyncio.sleep(0.01)
            pid.stop()
            await asyncio.sleep(0.1)  # the sleep ends after the stop: its step drops

    asyncio.run(main())
    assert not sleeper.ended


def test_a_request_awaited_twice_at_once_is_refused(system: akt.ActorSystem) -> None:
    gate = threading.Event()
    server = system.spawn(None, Server(gate), dispatcher="workers")
    shared: list[Any] = []
    first_got: list[BaseException] = []

    class Twice(akt.Actor):
        async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
            if msg == "first":
                shared.append(ctx.request(server, ("inc", 1)))
            ctx.respond(await shared[0])

    def ask_first() -> None:
        try:
            pid.ask_sync("first", timeout=5)
        except akt.AktError as e:
            first_got.append(e)

    pid = system.spawn(None, Twice(), reentrancy="allow_all")
    first = threading.Thread(target=ask_first)
    first.start()
    assert wait_for(lambda: len(shared) == 1)
    with pytest.raises(akt.ActorFailed, match="one coroutine at a time"):
        pid.ask_sync("second", timeout=5)
    first.join(10)
    # The failure restarted the actor, which ended the first message too.
    assert len(first_got) == 1 and isinstance(first_got[0], akt.Cancelled)
    gate.set()


# ft begin: akt.Request through asyncio.gather / asyncio.wait_for
class Slow(akt.Actor):
    """Logs what it handles; "block" waits for the gate; ("inc", n) -> n + 1."""

    def __init__(self, gate: threading.Event) -> None:
        self.gate = gate
        self.log: list[Any] = []

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        self.log.append(msg)
        if msg == "block":
            assert self.gate.wait(10)
        elif isinstance(msg, tuple) and msg[0] == "inc":
            ctx.respond(msg[1] + 1)
        elif msg == "ping":
            ctx.respond("pong")
        else:
            ctx.unhandled()


class Composer(akt.Actor):
    def __init__(self, fast: akt.Pid, slow: akt.Pid) -> None:
        self.fast, self.slow = fast, slow

    async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
        if msg == "gather":
            got = await asyncio.gather(ctx.request(self.fast, ("inc", 1)),
                                       ctx.request(self.fast, ("inc", 10)))
            ctx.respond(tuple(got))
        elif msg == "gather-failure":
            try:
                await asyncio.gather(ctx.request(self.fast, ("inc", 1)),
                                     ctx.request(self.fast, "nonsense"))
            except akt.Unhandled as e:
                ctx.respond(type(e).__name__)
        elif msg == "wait_for":
            ctx.respond(await asyncio.wait_for(ctx.request(self.fast, ("inc", 2)), 5))
        elif msg == "wait_for-timeout":
            req = ctx.request(self.slow, ("inc", 3))
            try:
                await asyncio.wait_for(req, 0.05)
            except asyncio.TimeoutError:
                ctx.respond("timed out")  # and the task's cancel cancelled the request


def test_requests_compose_with_gather_and_wait_for() -> None:
    gate = threading.Event()

    async def main() -> list[Any]:
        async with akt.ActorSystem("compose", dispatcher="python") as system:
            fast = system.spawn(None, Server())
            slow_actor = Slow(gate)
            slow = system.spawn(None, slow_actor, dispatcher="workers")
            pid = system.spawn(None, Composer(fast, slow))
            out = [await pid.ask("gather", timeout=5),
                   await pid.ask("gather-failure", timeout=5),
                   await pid.ask("wait_for", timeout=5)]
            slow.tell("block")
            assert await asyncio.to_thread(wait_for, lambda: slow_actor.log == ["block"])
            out.append(await pid.ask("wait_for-timeout", timeout=5))
            gate.set()
            out.append(await slow.ask("ping", timeout=5))
            out.append(list(slow_actor.log))  # ("inc", 3) was skipped: its asker gave up
            return out

    assert asyncio.run(main()) == [(2, 11), "Unhandled", 3, "timed out", "pong",
                                   ["block", "ping"]]
# ft end
