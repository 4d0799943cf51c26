"""akt.Pid: an actor's address. tell/ask live in C (akt._fast.PidBase); the rest here."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any, Generator, Iterable, Optional

from ._lib import _fast, ffi, lib
from .errors import AktError, check


def c_pid(pid_id: int) -> Any:
    """An akt_pid struct value for cffi calls."""
    p = ffi.new("akt_pid *")
    p.id = pid_id
    return p[0]


class AskFuture(concurrent.futures.Future):  # type: ignore[type-arg]
    """The answer of ``Pid.ask_future``: a thread-safe future usable from any thread.

    ``cancel()`` cancels the ask itself: the future then fails with akt.Cancelled
    (AKT_ECANCELED) and a late reply goes to dead letters."""

    _handle: Any = None

    def cancel(self) -> bool:
        return bool(self._handle is not None and self._handle.cancel())


class Pid(_fast.PidBase):
    """An actor's address: a value, compared and hashed by system and id.

    ``tell(msg)`` sends without waiting; ``await ask(msg, timeout)`` and ``ask_sync`` wait
    for the answer; both have batch forms. A pid of a stopped actor stays a valid value:
    sending to it raises ActorNotFound.
    """

    __slots__ = ()

    @property
    def path(self) -> str:
        """The actor's path, e.g. ``akt://demo/user/counter`` (ActorNotFound if stopped)."""
        csys = self.system._csys
        needed = ffi.new("size_t *")
        buf = ffi.new("char[]", 256)
        rc = lib.akt_pid_path(csys, c_pid(self.id), buf, 256, needed)
        if rc == lib.AKT_ERANGE:
            buf = ffi.new("char[]", needed[0] + 1)
            rc = lib.akt_pid_path(csys, c_pid(self.id), buf, needed[0] + 1, needed)
        check(rc, "path")
        return ffi.string(buf).decode("utf-8")

    @property
    def is_alive(self) -> bool:
        """True while the actor runs."""
        return bool(lib.akt_pid_is_alive(self.system._csys, c_pid(self.id)))

    def stop(self) -> None:
        """Stops the actor now: queued messages go to dead letters (asynchronous)."""
        check(lib.akt_stop(self.system._csys, c_pid(self.id)), "stop")

    def poison(self) -> None:
        """The actor handles the messages sent before this one, then stops."""
        check(lib.akt_poison(self.system._csys, c_pid(self.id)), "poison")

    def _graceful(self, timeout: Optional[float]) -> int:
        seconds = self.system.ask_timeout if timeout is None else float(timeout)
        if not seconds > 0:
            raise ValueError(f"timeout must be > 0 seconds, got {timeout!r}")
        out = ffi.new("akt_future **")
        check(lib.akt_stop_graceful(self.system._csys, c_pid(self.id), int(seconds * 1e9),
                                    out), "stop_graceful")
        return int(ffi.cast("uintptr_t", out[0]))

    async def stop_graceful(self, timeout: Optional[float] = None) -> None:
        """Poisons the actor and waits until it stopped; after ``timeout`` it is stopped at
        once and AskTimeout is raised."""
        loop = asyncio.get_running_loop()
        await self.system._future_async(self._graceful(timeout), loop)

    def stop_graceful_sync(self, timeout: Optional[float] = None) -> None:
        """Blocking form of stop_graceful."""
        self.system._future_wait(self._graceful(timeout))

    async def ask_batch(self, msgs: Iterable[Any], timeout: Optional[float] = None, *,
                        type: Optional[str] = None,
                        return_exceptions: bool = False) -> list[Any]:
        """Asks every message in order (one operation) and gathers the answers."""
        futures = self._ask_batch_futures(list(msgs), timeout, type=type)
        return list(await asyncio.gather(*futures, return_exceptions=return_exceptions))

    def ask_batch_sync(self, msgs: Iterable[Any], timeout: Optional[float] = None, *,
                       type: Optional[str] = None,
                       return_exceptions: bool = False) -> list[Any]:
        """Blocking form of ask_batch."""
        results = self._ask_batch_results(list(msgs), timeout, type=type)
        if not return_exceptions:
            for r in results:
                if isinstance(r, AktError):
                    raise r
        return results

    def ask_future(self, msg: Any, timeout: Optional[float] = None, *,
                   type: Optional[str] = None) -> AskFuture:
        """Asks without waiting, from any thread, and returns a future of the answer."""
        fut = AskFuture()
        fut._handle = self._ask_into(fut, msg, timeout, type)
        return fut

    def __await__(self) -> Generator[Any, None, "Pid"]:
        # spawn() returns at once; awaiting its pid is allowed so that
        # ``pid = await system.spawn(...)`` reads as in asynchronous code.
        return self
        yield  # pragma: no cover  (makes this a generator)

    def __repr__(self) -> str:
        try:
            where = self.path
        except AktError:
            where = f"#{self.id:x} (stopped)"
        return f"Pid({where})"

    def __reduce__(self) -> Any:
        raise TypeError("an akt.Pid is valid only in its own process and cannot be pickled")
