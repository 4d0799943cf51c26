"""Async receive: ``async def receive(self, ctx, msg)`` driven on the actor's own turn.

A receive that returns a coroutine runs its first step at once. Each time the coroutine
waits, the message is *suspended* (akt keeps it, its asker still waiting); what it waits for
later posts the next step, which akt runs on the actor's turn with ``ctx`` bound to that
message again, so ``ctx.respond()``, ``ctx.sender`` and ``ctx.request()`` work after an
``await``. The actor's reentrancy mode says whether other messages may start meanwhile:
by default (``"off"``, and ``"stash"``) none does, one message at a time and in order;
``reentrancy="allow_all"`` lets the next ones start (an A -> B -> A request cycle needs it).
An exception raised after an await fails the message as one raised before it would: the
asker gets it and the parent's supervisor decides; a restart or a stop drops the coroutine.

A coroutine may await ``ctx.request(to, msg)`` (an akt.Request), ``asyncio.sleep(0)`` (a
bare yield: it goes on at the actor's next turn, in every placement) and asyncio futures (and
what awaits them, e.g. ``asyncio.sleep``) of a running loop: the system's, when actors run
on its loop (``dispatcher="python"`` inside ``async with``), or any other running loop, the
wake-up then going through ``call_soon_threadsafe``. On akt's workers, or a system with a
thread of its own, there is no running loop in the actor's thread: ``asyncio.sleep`` there
raises RuntimeError (a failure), while ``ctx.request`` works everywhere.

An akt.Request also composes with asyncio where a loop runs in the actor's thread (the
system's loop): ``asyncio.gather(ctx.request(a, x), ctx.request(b, y))``,
``asyncio.wait_for(ctx.request(a, x), 0.5)``, ``asyncio.ensure_future(...)``. Inside such an
asyncio task the request waits on a future of that loop; a task cancelled before the reply
(wait_for's timeout, ``task.cancel()``) cancels the akt request (the callee skips the message
if it has not started it), at the actor's next step, on its own turn.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from typing import TYPE_CHECKING, Any, Coroutine, Generator, Optional

from ._lib import _fast
from .errors import ActorNotFound, SystemClosed

if TYPE_CHECKING:
    from ._fast import Context


class Request:
    """A request in flight, from ``ctx.request(to, msg)`` without ``then``: ``await`` it
    inside an async receive for the reply (or the error, raised: AskTimeout, Cancelled,
    Unhandled, ActorFailed, ...), or give it to ``ctx.cancel_request()``."""

    __slots__ = ("id", "_done", "_value", "_error", "_waiter", "_ctx")

    def __init__(self) -> None:
        self.id = 0
        """The request's id, set before ``ctx.request`` returns this Request (0 until then):
        what ``ctx.cancel_request()`` takes, as it takes the Request itself."""
        self._done = False
        self._value: Any = None
        self._error: Optional[BaseException] = None
        self._waiter: Optional[Any] = None
        self._ctx: Optional["Context"] = None  # the requesting actor's (set by ctx.request)

    def done(self) -> bool:
        """True once the reply (or the error) came."""
        return self._done

    def _complete(self, ctx: "Context", reply: Any, error: Optional[BaseException]) -> None:
        # The request's continuation, on the actor's turn.
        self._done, self._value, self._error = True, reply, error
        if _to_cancel:
            _forget_cancel(self)
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            waiter()

    def __await__(self) -> Generator[Any, None, Any]:
        if not self._done:
            loop = asyncio._get_running_loop()
            if loop is not None and asyncio.current_task(loop) is not None:
                yield from self._in_task(loop)  # gather, wait_for, ensure_future
            else:
                yield self  # awaited by the async receive itself: akt's driver resumes it
        if not self._done:
            raise RuntimeError("an akt.Request is awaited directly in an async receive "
                               "(not through asyncio tasks)")
        if self._error is not None:
            raise self._error
        return self._value

    def __repr__(self) -> str:
        return f"<akt.Request #{self.id} {'done' if self._done else 'pending'}>"

    def _in_task(self, loop: asyncio.AbstractEventLoop) -> Generator[Any, None, None]:
        """Waits in an asyncio task: on a future of its loop, set by the continuation."""
        if self._waiter is not None:
            raise RuntimeError("an akt.Request is awaited by one coroutine at a time")
        fut = loop.create_future()

        def wake() -> None:  # the continuation, on the actor's turn
            if asyncio._get_running_loop() is loop:
                _set_none(fut)
            else:
                loop.call_soon_threadsafe(_set_none, fut)

        self._waiter = wake
        try:
            yield from fut
        except asyncio.CancelledError:
            if self._waiter is wake:
                self._waiter = None
            if not self._done:
                _cancel_later(self)
            raise


def _set_none(fut: "asyncio.Future[Any]") -> None:
    if not fut.done():
        fut.set_result(None)


# Requests whose asyncio task was cancelled off the actor's turn: akt cancels a request only
# on its actor's turn, so the next step of that actor's coroutine does it (_step).
_to_cancel: list[Request] = []
_to_cancel_lock = threading.Lock()


def _cancel_later(req: Request) -> None:
    with _to_cancel_lock:
        _to_cancel.append(req)


def _forget_cancel(req: Request) -> None:
    with _to_cancel_lock:
        try:
            _to_cancel.remove(req)
        except ValueError:
            pass


def _cancel_pending(ctx: "Context") -> None:
    with _to_cancel_lock:
        mine = [r for r in _to_cancel if r._ctx is ctx]
        for r in mine:
            _to_cancel.remove(r)
    for r in mine:
        if not r._done:
            ctx.cancel_request(r)


_NOT_STARTED = object()


def _step(ctx: "Context", coro: Coroutine[Any, Any, Any]) -> None:
    """Runs the coroutine up to its next wait, on the actor's turn (ctx bound)."""
    if _to_cancel:
        _cancel_pending(ctx)
    try:
        awaited = coro.send(None)
    except StopIteration:
        return  # the message is finished
    _wait(ctx, coro, awaited)


def _wait(ctx: "Context", coro: Coroutine[Any, Any, Any], awaited: Any) -> None:
    """The coroutine yielded awaited: keeps the message and arranges the next step."""
    if isinstance(awaited, Request) and awaited._waiter is not None:
        coro.close()
        raise RuntimeError("an akt.Request is awaited by one coroutine at a time")
    handle = ctx._suspend()
    resume = functools.partial(_fast.suspension_post, handle, ctx,
                               functools.partial(_step, ctx, coro))
    if isinstance(awaited, Request):
        awaited._waiter = resume
        return
    if awaited is None:  # a bare yield (asyncio.sleep(0)): go on at the actor's next turn
        resume()
        return
    if getattr(awaited, "_asyncio_future_blocking", None) is not None:
        awaited._asyncio_future_blocking = False  # as an asyncio Task does
        loop = awaited.get_loop()

        def done(_fut: "asyncio.Future[Any]") -> None:
            try:
                resume()
            except (SystemClosed, ActorNotFound):
                pass  # the system shut down meanwhile: the message went with it

        if asyncio._get_running_loop() is loop:
            awaited.add_done_callback(done)
        else:
            loop.call_soon_threadsafe(awaited.add_done_callback, done)
        return
    coro.close()
    raise TypeError(f"async receive awaited {awaited!r}: await ctx.request(...) or an "
                    "asyncio future (of a running loop) there")


def start(ctx: "Context", coro: Coroutine[Any, Any, Any], awaited: Any = _NOT_STARTED) -> None:
    """An async receive (called by akt inside receive): its first step, or what that step
    yielded when akt ran it already."""
    if awaited is _NOT_STARTED:
        _step(ctx, coro)
    else:
        _wait(ctx, coro, awaited)
