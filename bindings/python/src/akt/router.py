"""akt.Router: a router actor's handle (``ActorSystem.spawn_router``).

A router passes each message to one or more routees, keeping the sender and the asker, so
a routee's ``ctx.respond`` answers the original asker directly. A pool router spawns its
routees from a factory (an akt.Actor subclass or any callable returning an instance); a
group router routes to existing pids, of any language. The router drops routees that
stop and stops itself once the last one is gone.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from .pid import Pid

STRATEGIES = {
    "round_robin": 0,
    "random": 1,
    "broadcast": 2,
    "consistent_hash": 3,
    "scatter_gather_first": 4,
    "tail_chopping": 5,
}
FAILURE_POLICIES = {"stop": 0, "restart": 1, "resume": 2}


class Router:
    """The handle of a router actor: tell and ask route a message, ``broadcast`` reaches
    every routee whatever the strategy, ``resize`` changes a pool's size and ``routees``
    lists the live routees. ``pid`` is the router's own pid (watch it, stop it)."""

    __slots__ = ("pid",)

    def __init__(self, pid: Pid) -> None:
        self.pid = pid
        """The router actor's own pid: watch it, stop it, or give it as an address (what it gets is
        routed)."""

    def tell(self, msg: Any, *, type: Optional[str] = None) -> None:
        """Routes ``msg`` by the router's strategy, without waiting; the calling actor, if any, is
        the sender. ActorNotFound once the router stopped."""
        self.pid.tell(msg, type=type)

    def ask(self, msg: Any, timeout: Optional[float] = None, *,
            type: Optional[str] = None) -> "asyncio.Future[Any]":
        """Routes ``msg`` as an ask: an asyncio future of the answer (the first one for
        broadcast and scatter-gather), which a routee's ``ctx.respond`` gives directly;
        AskTimeout after ``timeout`` seconds (None: the system's ask timeout). Needs a
        running event loop (RuntimeError otherwise: use ``ask_sync``)."""
        return self.pid.ask(msg, timeout, type=type)

    def ask_sync(self, msg: Any, timeout: Optional[float] = None, *,
                 type: Optional[str] = None) -> Any:
        """Routes ``msg`` as an ask and waits for the answer (blocking), as ``ask``."""
        return self.pid.ask_sync(msg, timeout, type=type)

    def broadcast(self, msg: Any) -> None:
        """Sends msg to every routee (the calling actor, if any, is the sender)."""
        self.pid.system._router_broadcast(self.pid, msg)

    def resize(self, size: int) -> None:
        """Sets a pool router's size; waits until the router has it. NotSupported for a
        group router."""
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError("the size must be an int")
        self.pid.system._router_resize(self.pid, size)

    def routees(self) -> list[Pid]:
        """The live routees, in routing order."""
        return list(self.pid.system._router_routees(self.pid))

    def stop(self) -> None:
        """Stops the router now (asynchronous); a pool router's routees, its children, stop with it,
        a group's routees go on."""
        self.pid.stop()

    @property
    def is_alive(self) -> bool:
        """True while the router actor runs (it stops itself once its last routee is gone)."""
        return self.pid.is_alive

    def __repr__(self) -> str:
        return f"Router({self.pid!r})"


def _ns(seconds: Optional[float], what: str) -> int:
    if seconds is None:
        return 0
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds <= 0:
        raise ValueError(f"{what} must be a positive number of seconds")
    return int(seconds * 1e9)
