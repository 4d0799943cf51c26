"""akt.Pid: an actor's address. What talks to akt lives in C (akt._fast.PidBase): tell,
ask, stop, poison, stop_graceful, path; the Python-only conveniences are here."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import TYPE_CHECKING, Any, Generic, Iterable, Optional, Sequence

from ._lib import _fast
from ._typing import M, T
from .errors import AktError

if TYPE_CHECKING:
    from .metrics import ActorMetrics


class AskFuture(concurrent.futures.Future):  # type: ignore[type-arg]
    """The answer of ``Pid.ask_future``: a thread-safe future usable from any thread.

    ``cancel()`` cancels the ask itself: the future then fails with akt.Cancelled
    (AKT_ECANCELED) and a late reply goes to dead letters."""

    _handle: Any = None

    def cancel(self) -> bool:
        return bool(self._handle is not None and self._handle.cancel())

    def result(self, timeout: Optional[float] = None) -> Any:
        """The answer, waiting up to ``timeout`` seconds (TimeoutError after it; the ask's
        own timeout gives akt.AskTimeout). Works on any thread, also inside receive for an
        actor of another dispatcher; waiting there for an actor that only this thread runs
        raises akt.DeadlockError at once (use ``ctx.ask`` + ``ctx.pipe_to``)."""
        self._wait(timeout)
        return super().result(0 if self.done() else timeout)

    def exception(self, timeout: Optional[float] = None) -> Optional[BaseException]:
        self._wait(timeout)
        return super().exception(0 if self.done() else timeout)

    def _wait(self, timeout: Optional[float]) -> None:
        # The answer is waited for here, not through the system's service, which may be
        # the very thread that waits.
        if not self.done() and self._handle is not None:
            self._handle.wait(timeout)


class Pid(_fast.PidBase, Generic[M]):
    """An actor's address: a value, compared and hashed by system and id.

    ``tell(msg)`` sends without waiting; ``await ask(msg, timeout)`` and ``ask_sync`` wait
    for the answer; both have batch forms. A pid of a stopped actor stays a valid value:
    sending to it raises ActorNotFound.

    Typed: ``Pid[M]`` is the address of an actor that accepts messages of type M, and a
    type checker (mypy, pyright) refuses a ``tell``/``ask`` of anything else to it. A bare
    ``Pid`` is ``Pid[Any]`` and accepts everything. ``spawn`` of an ``akt.Actor[M]``
    subclass returns a ``Pid[M]``; ``akt.typed(pid, M)`` (or an annotation
    ``pid: akt.Pid[M] = ...``) types a pid from lookup or elsewhere. The type parameter is
    contravariant, as an address is something messages go into: a ``Pid[object]`` may be
    used where a ``Pid[Cmd]`` is expected, not the other way round. Typing only: at run time
    every pid is the same class and akt checks no message against M.
    """

    __slots__ = ()

    if TYPE_CHECKING:  # implemented in C (PidBase); declared here with the message type
        def tell(self, msg: M, *, type: Optional[str] = None,
                 headers: Optional[dict[str, "str | bytes"]] = None) -> None: ...

        def tell_batch(self, msgs: Sequence[M], *, type: Optional[str] = None) -> None: ...

        def ask(self, msg: M, timeout: Optional[float] = None, *,
                type: Optional[str] = None) -> asyncio.Future[Any]: ...

        def ask_sync(self, msg: M, timeout: Optional[float] = None, *,
                     type: Optional[str] = None) -> Any: ...

    def metrics(self) -> "ActorMetrics":
        """This actor's metrics (akt.ActorMetrics); ActorNotFound once it stopped."""
        from .metrics import pid_metrics

        return pid_metrics(self)

    async def ask_batch(self, msgs: Iterable[M], timeout: Optional[float] = None, *,
                        type: Optional[str] = None,
                        return_exceptions: bool = False) -> list[Any]:
        """Asks every message in order (one operation) and gathers the answers."""
        futures = self._ask_batch_futures(list(msgs), timeout, type=type)
        return list(await asyncio.gather(*futures, return_exceptions=return_exceptions))

    def ask_batch_sync(self, msgs: Iterable[M], timeout: Optional[float] = None, *,
                       type: Optional[str] = None,
                       return_exceptions: bool = False) -> list[Any]:
        """Blocking form of ask_batch."""
        results = self._ask_batch_results(list(msgs), timeout, type=type)
        if not return_exceptions:
            for r in results:
                if isinstance(r, AktError):
                    raise r
        return results

    def ask_future(self, msg: M, timeout: Optional[float] = None, *,
                   type: Optional[str] = None) -> AskFuture:
        """Asks without waiting, from any thread, and returns a future of the answer."""
        fut = AskFuture()
        fut._handle = self._ask_into(fut, msg, timeout, type)
        return fut

    def __repr__(self) -> str:
        try:
            where = self.path
        except AktError:
            where = f"#{self.id:x} (stopped)"
        return f"Pid({where})"

    def __reduce__(self) -> Any:
        raise TypeError("an akt.Pid is valid only in its own process and cannot be pickled")


def typed(pid: Pid[Any], message_type: "type[T]") -> Pid[T]:
    """``pid`` as a ``Pid[message_type]``, for a type checker: ``akt.typed(system.lookup(
    "/user/orders"), OrderCmd)`` then refuses a ``tell`` of anything but an OrderCmd. It
    returns ``pid`` itself: akt checks nothing about the actor behind it (what it accepts
    is the caller's promise). TypeError if ``pid`` is not an akt.Pid."""
    if not isinstance(pid, Pid):
        raise TypeError(f"akt.typed: expected an akt.Pid, got {type(pid).__name__}")
    return pid
