"""akt.Grain: virtual actors, addressed by kind and name.

``system.register_grain("counter", Counter)`` registers a kind; ``system.grain("counter",
"alice")`` names one grain of it. The first message to a grain activates it: the factory
is called with the grain's name and returns the akt.Actor that handles its messages. An idle
grain deactivates after ``deactivate_after`` seconds (its ``post_stop`` runs) and the next
message activates a fresh one. Options of a kind apply to each activation (GoAkt's grain
options): ``mailbox=akt.Bounded(n)`` (a full grain raises MailboxFullError, the message is
not sent; ``when_full="block"`` waits up to its timeout), ``dependencies={name: value}``
(``ctx.dependency(name)``), ``reentrancy=`` and ``max_in_flight=`` for ``ctx.request``.
``system.grain(kind, name, deactivate_after=..., mailbox=..., dependencies=...,
reentrancy=..., max_in_flight=...)`` gives options for the activation its sends make (GoAkt's
GrainIdentity options): they override the kind's for that grain (``dependencies`` replace the
kind's whole dict); a grain already active keeps its own.
There is never more than one activation of a grain at a time, whichever threads send to it, and a message racing a deactivation reaches the next
activation.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any, Callable, Optional

from ._lib import lib
from .errors import InvalidArgument
from .mailbox import Mailbox
from .pid import AskFuture

if TYPE_CHECKING:
    from .actor import Actor
    from .system import ActorSystem

#: GoAkt's default idle time before a grain deactivates, in seconds.
DEFAULT_DEACTIVATE_AFTER = 120.0


def _binder(factory: Callable[[str], "Actor"]) -> Callable[[str], Callable[[], "Actor"]]:
    # The C side calls binder(name) on the activation's thread and keeps the result as the
    # actor's factory (akt's Python actors are made by a callable without arguments).
    return lambda name: functools.partial(factory, name)


def _after_ns(deactivate_after: Optional[float]) -> int:
    if deactivate_after is None:
        return 0
    if (not isinstance(deactivate_after, (int, float)) or isinstance(deactivate_after, bool)
            or deactivate_after < 0):
        raise ValueError("deactivate_after must be a number of seconds >= 0, or None")
    ns = int(deactivate_after * 1e9)
    return 1 if deactivate_after > 0 and ns == 0 else ns


def _mailbox_spec(mailbox: Optional["Mailbox"]) -> Any:
    if mailbox is None:
        return None
    if not isinstance(mailbox, Mailbox):
        raise TypeError(f"mailbox must be an akt.Bounded mailbox, not {type(mailbox).__name__}")
    if mailbox.kind != lib.AKT_MAILBOX_FIFO:
        raise InvalidArgument("a grain's mailbox is a FIFO: akt.Bounded(capacity, ...)")
    if mailbox.capacity and mailbox.when_full == "drop":
        raise InvalidArgument("a grain's mailbox refuses when full ('fail' or 'block'): a "
                              "grain never drops what it accepted")
    return mailbox._spec()


class _FromKind:
    """The default of system.grain's options: the kind's value."""

    def __repr__(self) -> str:
        return "FROM_KIND"


#: system.grain(..., deactivate_after=FROM_KIND): the kind's (the default).
FROM_KIND: Any = _FromKind()


def _activation_options(deactivate_after: Any, mailbox: Optional["Mailbox"],
                        reentrancy: Optional[str], max_in_flight: Optional[int],
                        dependencies: Optional[dict[str, Any]] = None) -> Any:
    # (after_ns | -1, mailbox spec | None, reentrancy | None, max_in_flight | -1,
    # dependencies | None) for _grain_send, -1 and None meaning the kind's; None when every
    # one is the kind's. The dependencies are copied once, here: the system keeps the
    # values for its life (akt borrows them), so the handle's sends share one copy.
    if dependencies is not None:
        if not isinstance(dependencies, dict):
            raise TypeError("dependencies must be a dict of name -> value")
        for k in dependencies:
            if not isinstance(k, str):
                raise TypeError(f"a dependency name must be a str, not {type(k).__name__}")
            if not 0 < len(k.encode("utf-8", "surrogatepass")) <= 255 or "\0" in k:
                raise ValueError(f"a dependency name is 1..255 bytes of UTF-8 without NUL: {k!r}")
        dependencies = dict(dependencies) or None  # {}: the kind's
    if (deactivate_after is FROM_KIND and mailbox is None and reentrancy is None
            and max_in_flight is None and dependencies is None):
        return None
    ns = -1 if deactivate_after is FROM_KIND else _after_ns(deactivate_after)
    if max_in_flight is None:
        mif = -1
    elif not isinstance(max_in_flight, int) or isinstance(max_in_flight, bool):
        raise TypeError("max_in_flight must be an int")
    elif max_in_flight < 0:
        raise ValueError(f"max_in_flight must be >= 0 (0: no limit), got {max_in_flight}")
    else:
        mif = max_in_flight
    if reentrancy is not None and not isinstance(reentrancy, str):
        raise TypeError(f"reentrancy must be a str or None, not {type(reentrancy).__name__}")
    return (ns, _mailbox_spec(mailbox), reentrancy, mif, dependencies)


def _register(system: "ActorSystem", kind: str, factory: Callable[[str], "Actor"],
              deactivate_after: Optional[float], dispatcher: Optional[str],
              mailbox: Optional["Mailbox"] = None,
              dependencies: Optional[dict[str, Any]] = None,
              reentrancy: Optional[str] = None, max_in_flight: int = 0) -> None:
    if not isinstance(kind, str):
        raise TypeError(f"a grain kind must be a str, not {type(kind).__name__}")
    if "/" in kind:
        raise ValueError("a grain kind cannot contain '/'")
    if not callable(factory):
        raise TypeError("a grain factory must be callable (it gets the grain's name)")
    ns = _after_ns(deactivate_after)
    spec = _mailbox_spec(mailbox)
    if dependencies is not None and not isinstance(dependencies, dict):
        raise TypeError("dependencies must be a dict of name -> value")
    if not isinstance(max_in_flight, int) or isinstance(max_in_flight, bool):
        raise TypeError("max_in_flight must be an int")
    system._grain_register(kind, _binder(factory), ns, dispatcher, spec, dependencies,
                           reentrancy, max_in_flight)


class Grain:
    """One grain of a system (``system.grain(kind, name)``): a value, cheap to make. Sending
    to it activates it if it is not active. Tell and ask as for a Pid; the sender is the
    calling actor, if any."""

    __slots__ = ("_system", "kind", "name", "_opts")

    def __init__(self, system: "ActorSystem", kind: str, name: str, _opts: Any = None) -> None:
        for what, v in (("kind", kind), ("name", name)):
            if not isinstance(v, str):
                raise TypeError(f"a grain {what} must be a str, not {type(v).__name__}")
        self._system = system
        self.kind = kind
        """The grain's kind, as registered with ``system.register_grain``."""
        self.name = name
        """The grain's name within its kind: any str (``identity`` is ``kind/name``)."""
        self._opts = _opts  # for the activation a send makes (system.grain's options)

    @property
    def identity(self) -> str:
        """``kind/name``."""
        return f"{self.kind}/{self.name}"

    def tell(self, msg: Any, *, type: Optional[str] = None) -> None:
        """Sends msg; ActorNotFound if the kind is not registered."""
        self._system._grain_send(self.kind, self.name, msg, type, False, None, None,
                                 self._opts)

    def ask_sync(self, msg: Any, timeout: Optional[float] = None, *,
                 type: Optional[str] = None) -> Any:
        """Asks and waits for the answer (the system's ask timeout when timeout is None)."""
        return self._system._grain_send(self.kind, self.name, msg, type, True, timeout, None,
                                        self._opts)

    def ask_future(self, msg: Any, timeout: Optional[float] = None, *,
                   type: Optional[str] = None) -> AskFuture:
        """Asks; a thread-safe future of the answer."""
        fut = AskFuture()
        fut._handle = self._system._grain_send(self.kind, self.name, msg, type, True, timeout,
                                               fut, self._opts)
        return fut

    async def ask(self, msg: Any, timeout: Optional[float] = None, *,
                  type: Optional[str] = None) -> Any:
        """Awaitable ask."""
        return await asyncio.wrap_future(self.ask_future(msg, timeout, type=type))

    def __repr__(self) -> str:
        return f"Grain({self.identity!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Grain) and other._system is self._system
                and other.kind == self.kind and other.name == self.name)

    def __hash__(self) -> int:
        return hash((id(self._system), self.kind, self.name))
