"""Message values that are not plain Python objects: typed bytes and system messages.

Between Python actors a message is any Python object, passed as is (no copy, no pickle).
What C actors and other languages send are bytes with a type name; they arrive in Python
as ``Bytes``, and a ``Bytes`` sent from Python reaches them as exactly that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Union

from ._lib import _fast

if TYPE_CHECKING:
    from .pid import Pid


class Bytes(NamedTuple):
    """A typed bytes message, e.g. ``Bytes("shop.OrderPlaced", payload)``."""

    type: str
    data: bytes

    @property
    def text(self) -> str:
        """The payload decoded as UTF-8."""
        return bytes(self.data).decode("utf-8")

    @classmethod
    def of(cls, type: str, text: str) -> "Bytes":
        """A message whose payload is ``text`` in UTF-8."""
        return cls(type, text.encode("utf-8"))


class Message(NamedTuple):
    """A message with headers: ``pid.tell(akt.Message(order, headers={"tenant": "acme"}))``.

    Any send takes it (tell, ask, respond, batches); the receiver gets ``value`` and reads
    the headers from ``ctx.headers``. Header names are 1..255 visible ASCII characters,
    values str (sent as UTF-8) or bytes, at most 8 KiB each, 64 headers and 64 KiB in all
    (``akt.InvalidArgument`` beyond).
    """

    value: Any
    headers: dict[str, Union[str, bytes]]


class Terminated(NamedTuple):
    """A watched actor stopped (see ``Context.watch``)."""

    pid: "Pid"


# NamedTuple makes __new__ in a module of its own ("namedtuple_Message"): name this one, so
# that tools that look a function's module up by name (inspect.getmodule, pdoc) resolve
# the fields' annotations (Any, Union, Pid) in the module where they were written.
Message.__new__.__module__ = __name__
Terminated.__new__.__module__ = __name__


TERMINATED_TYPE = "akt.Terminated"


def type_name(message: object) -> str:
    """The akt type name a message gets when sent: the ``__akt_type__`` of its class if it
    has one, else ``module.QualName`` (``str``, ``int``, ... for builtins)."""
    return _fast.type_name(message)


def type_id(name: str) -> int:
    """The id of a registered message type name (ActorSystem.register_type), 0 if that
    name was never registered."""
    return _fast.type_id(name)


def wire_bytes(message: object) -> bytes:
    """The bytes a C actor reads for this message: str as UTF-8, bytes and bytearray as
    they are; other objects raise NotSupported (they have no bytes form)."""
    return _fast.wire_bytes(message)
