"""ctx.pipe_to on akt_ctx_pipe_start: results as messages from the piping actor, failures,
timeouts and gone targets as dead letters with a reason, the breaker, bad input."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Callable

import pytest

import akt

WAIT_S = 5.0


class Sink(akt.Actor):
    """Hands (message, sender path) to a future."""

    def __init__(self, got: "concurrent.futures.Future[Any]") -> None:
        self.got = got

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if not self.got.done():
            self.got.set_result((msg, ctx.sender.path if ctx.sender else None))


class Piper(akt.Actor):
    """Runs pipe(ctx) for a message and answers "ok" or the exception's type name; what
    else it receives goes to got, with its sender's path."""

    def __init__(self, got: "concurrent.futures.Future[Any] | None" = None) -> None:
        self.got = got

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if callable(msg):
            try:
                msg(ctx)
                ctx.respond("ok")
            except Exception as e:
                ctx.respond(type(e).__name__)
        elif self.got is not None and not self.got.done():
            self.got.set_result((msg, ctx.sender.path if ctx.sender else None))


def done(value: Any) -> "concurrent.futures.Future[Any]":
    f: concurrent.futures.Future[Any] = concurrent.futures.Future()
    f.set_result(value)
    return f


def failed(exc: BaseException) -> "concurrent.futures.Future[Any]":
    f: concurrent.futures.Future[Any] = concurrent.futures.Future()
    f.set_exception(exc)
    return f


def dead_letters(system: akt.ActorSystem) -> tuple[Any, "concurrent.futures.Future[akt.Event]"]:
    got: concurrent.futures.Future[akt.Event] = concurrent.futures.Future()

    def on_dead(event: akt.Event) -> None:
        if event.reason and event.reason.startswith("pipe_to") and not got.done():
            got.set_result(event)

    return system.on_dead_letter(on_dead), got


def run(piper: akt.Pid, pipe: Callable[[akt.Context], Any]) -> Any:
    return piper.ask_sync(pipe, timeout=WAIT_S)


def test_a_result_comes_to_self_with_self_as_sender(any_system: akt.ActorSystem) -> None:
    got: concurrent.futures.Future[Any] = concurrent.futures.Future()
    piper = any_system.spawn("piper", Piper(got))
    assert run(piper, lambda ctx: ctx.pipe_to(done("hello"))) == "ok"
    assert got.result(WAIT_S) == ("hello", piper.path)


def test_to_a_pid_and_to_a_name(system: akt.ActorSystem) -> None:
    by_pid: concurrent.futures.Future[Any] = concurrent.futures.Future()
    by_name: concurrent.futures.Future[Any] = concurrent.futures.Future()
    a = system.spawn("a", Sink(by_pid))
    system.spawn("b", Sink(by_name))
    piper = system.spawn("piper", Piper())
    assert run(piper, lambda ctx: ctx.pipe_to(done(1), to=a)) == "ok"
    assert run(piper, lambda ctx: ctx.pipe_to(lambda: 2, name="/user/b")) == "ok"
    assert by_pid.result(WAIT_S) == (1, piper.path)
    assert by_name.result(WAIT_S) == (2, piper.path)


def test_a_failed_future_is_a_dead_letter(system: akt.ActorSystem) -> None:
    subscription, dead = dead_letters(system)
    got: concurrent.futures.Future[Any] = concurrent.futures.Future()
    piper = system.spawn("piper", Piper(got))
    assert run(piper, lambda ctx: ctx.pipe_to(failed(KeyError("x")))) == "ok"
    event = dead.result(WAIT_S)
    subscription.close()
    assert (event.reason, event.path, event.sender) == ("pipe_to: task failed", piper.path, piper)
    assert event.code == akt.ActorFailed.code  # AKT_EFAILED: not an akt error
    assert not got.done()


def test_a_timeout_is_a_dead_letter_and_the_late_result_is_dropped(
        system: akt.ActorSystem) -> None:
    subscription, dead = dead_letters(system)
    got: concurrent.futures.Future[Any] = concurrent.futures.Future()
    piper = system.spawn("piper", Piper(got))
    late: concurrent.futures.Future[Any] = concurrent.futures.Future()
    assert run(piper, lambda ctx: ctx.pipe_to(late, timeout=0.05)) == "ok"
    event = dead.result(WAIT_S)
    subscription.close()
    assert event.reason == "pipe_to: timed out" and event.code == akt.AskTimeout.code
    late.set_result("late")
    assert run(piper, lambda ctx: None) == "ok"  # a turn after the late result
    assert not got.done()


def test_a_gone_target_is_a_dead_letter_with_the_result(system: akt.ActorSystem) -> None:
    subscription, dead = dead_letters(system)
    target = system.spawn("target", Sink(concurrent.futures.Future()))
    piper = system.spawn("piper", Piper())
    later: concurrent.futures.Future[Any] = concurrent.futures.Future()
    assert run(piper, lambda ctx: ctx.pipe_to(later, to=target)) == "ok"
    target.stop_graceful_sync(WAIT_S)
    later.set_result(akt.Bytes.of("t.Result", "r"))
    event = dead.result(WAIT_S)
    subscription.close()
    assert event.reason == "pipe_to: target gone"
    assert isinstance(event.message, akt.Bytes) and event.message.type == "t.Result"


def test_an_open_breaker_refuses_and_calls_nothing(system: akt.ActorSystem) -> None:
    breaker = akt.CircuitBreaker(min_requests=1, half_open_max_calls=1, open_timeout=60.0)
    subscription, dead = dead_letters(system)
    piper = system.spawn("piper", Piper())
    assert run(piper, lambda ctx: ctx.pipe_to(failed(KeyError("x")), breaker=breaker)) == "ok"
    dead.result(WAIT_S)
    subscription.close()
    assert breaker.state == akt.BreakerState.OPEN
    called = threading.Event()

    def task() -> Any:
        called.set()
        return 1

    assert run(piper, lambda ctx: ctx.pipe_to(task, breaker=breaker)) == "BreakerOpen"

    async def never() -> int:
        return 1

    coroutine = never()
    assert run(piper, lambda ctx: ctx.pipe_to(coroutine, breaker=breaker)) == "BreakerOpen"
    assert coroutine.cr_frame is None  # closed: no "never awaited" warning
    assert not called.is_set()


def test_an_async_receive_pipes_a_coroutine() -> None:
    async def main() -> Any:
        system = akt.ActorSystem("test", dispatcher="python")  # actors on this loop
        got: concurrent.futures.Future[Any] = concurrent.futures.Future()

        class AsyncPiper(akt.Actor):
            async def receive(self, ctx: akt.Context, msg: Any) -> None:
                if msg == "go":
                    async def compute() -> str:
                        await asyncio.sleep(0.01)
                        return "computed"
                    ctx.pipe_to(compute())
                elif not got.done():
                    got.set_result((msg, ctx.sender == ctx.self))

        system.spawn("p", AsyncPiper()).tell("go")
        try:
            return await asyncio.wrap_future(got)
        finally:
            system.shutdown(timeout=WAIT_S)

    assert asyncio.run(main()) == ("computed", True)


def test_an_awaitable_without_a_running_loop_fails_the_pipe() -> None:
    system = akt.ActorSystem("test", dispatcher="workers")
    subscription, dead = dead_letters(system)
    piper = system.spawn("piper", Piper())

    async def compute() -> int:
        return 1

    assert run(piper, lambda ctx: ctx.pipe_to(compute())) == "RuntimeError"
    assert dead.result(WAIT_S).reason == "pipe_to: task failed"
    subscription.close()
    assert system.shutdown(timeout=WAIT_S)


@pytest.mark.parametrize("pipe,error", [
    (lambda ctx: ctx.pipe_to(42), "TypeError"),
    (lambda ctx: ctx.pipe_to(done(1), to=ctx.self, name="/user/x"), "InvalidArgument"),
    (lambda ctx: ctx.pipe_to(done(1), name=""), "InvalidArgument"),
    (lambda ctx: ctx.pipe_to(done(1), name=3), "TypeError"),
    (lambda ctx: ctx.pipe_to(done(1), to="nobody"), "TypeError"),
    (lambda ctx: ctx.pipe_to(done(1), timeout=-1), "ValueError"),
    (lambda ctx: ctx.pipe_to(done(1), timeout="1"), "TypeError"),
    (lambda ctx: ctx.pipe_to(done(1), breaker=object()), "TypeError"),
])
def test_bad_input_is_refused(system: akt.ActorSystem, pipe: Any, error: str) -> None:
    piper = system.spawn("piper", Piper())
    assert run(piper, pipe) == error
    assert run(piper, lambda ctx: ctx.pipe_to(done(1))) == "ok"  # still alive


def test_pipe_to_outside_the_callback_is_a_context_error(system: akt.ActorSystem) -> None:
    kept: list[akt.Context] = []
    piper = system.spawn("piper", Piper())
    assert run(piper, kept.append) == "ok"
    with pytest.raises(akt.ContextError):
        kept[0].pipe_to(done(1))
