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
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any, Coroutine, Generator, Optional

from ._lib import _fast
from .errors import ActorNotFound, SystemClosed

if TYPE_CHECKING:
    from ._fast import Context


class Request:
    """A request in flight, from ``ctx.request(to, msg)`` without ``then``: ``await`` it
    inside an async receive for the reply (or the error, raised: AskTimeout, Cancelled,
    Unhandled, ActorFailed, ...), or give it to ``ctx.cancel_request()``."""

    __slots__ = ("id", "_done", "_value", "_error", "_waiter")

    def __init__(self) -> None:
        self.id = 0
        """The request's id, set before ``ctx.request`` returns this Request (0 until then):
        what ``ctx.cancel_request()`` takes, as it takes the Request itself."""
        self._done = False
        self._value: Any = None
        self._error: Optional[BaseException] = None
        self._waiter: Optional[Any] = None

    def done(self) -> bool:
        """True once the reply (or the error) came."""
        return self._done

    def _complete(self, ctx: "Context", reply: Any, error: Optional[BaseException]) -> None:
        # The request's continuation, on the actor's turn.
        self._done, self._value, self._error = True, reply, error
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            waiter()

    def __await__(self) -> Generator["Request", None, Any]:
        if not self._done:
            yield self
        if not self._done:
            raise RuntimeError("an akt.Request is awaited directly in an async receive "
                               "(not through asyncio tasks)")
        if self._error is not None:
            raise self._error
        return self._value

    def __repr__(self) -> str:
        return f"<akt.Request #{self.id} {'done' if self._done else 'pending'}>"


_NOT_STARTED = object()


def _step(ctx: "Context", coro: Coroutine[Any, Any, Any]) -> None:
    """Runs the coroutine up to its next wait, on the actor's turn (ctx bound)."""
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
