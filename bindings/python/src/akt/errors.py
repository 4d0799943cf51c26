"""Exceptions raised by akt: one class per akt error code, all subclasses of AktError."""

from __future__ import annotations

from ._lib import lib, text


class AktError(Exception):
    """An akt call failed. ``code`` is the negative AKT_E* code, ``name`` its name.

    ``reason``: for an ask whose receiver failed, the reason it gave (for a Python actor
    ``"<exception type>: <message>"``), else None. When that receiver was a Python actor of
    this process, its exception is this one's ``__cause__``."""

    code: int = 0
    reason: str | None = None

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def name(self) -> str:
        """The code's name, e.g. ``"AKT_ENOTFOUND"``."""
        return text(lib.akt_err_name(self.code))


class InvalidArgument(AktError, ValueError):
    code = lib.AKT_EINVAL


class OutOfMemory(AktError, MemoryError):
    code = lib.AKT_ENOMEM


class ActorNotFound(AktError, LookupError):
    """No live actor for this pid or path."""

    code = lib.AKT_ENOTFOUND


class ActorStopped(AktError):
    """The actor stopped before it handled the request."""

    code = lib.AKT_ESTOPPED


class AskTimeout(AktError, TimeoutError):
    """An ask (or a graceful stop) got no answer in time."""

    code = lib.AKT_ETIMEDOUT


class Cancelled(AktError):
    code = lib.AKT_ECANCELED


class NameTaken(AktError):
    """An actor with this name already exists under the same parent."""

    code = lib.AKT_EEXIST


class MailboxFull(AktError):
    code = lib.AKT_EFULL


class ContextError(AktError, RuntimeError):
    """A call that is not allowed here, e.g. a Context used after its callback."""

    code = lib.AKT_EMISUSE


class SystemClosed(AktError, RuntimeError):
    """The actor system is shutting down or shut down."""

    code = lib.AKT_ECLOSED


class Unhandled(AktError):
    """The asked actor did not handle the message."""

    code = lib.AKT_EUNHANDLED


class ActorFailed(AktError):
    """The asked actor's receive failed (raised, or returned a failure code). ``reason``
    says why; ``__cause__`` is the actor's exception when it ran in this process."""

    code = lib.AKT_EFAILED


class NotReady(AktError):
    code = lib.AKT_EAGAIN


class NotSupported(AktError):
    """E.g. the bytes of a message that has none (a Python object a C actor cannot read)."""

    code = lib.AKT_ENOTSUP


class WrongType(AktError, TypeError):
    code = lib.AKT_ETYPE


class DeadlockError(AktError, RuntimeError):
    """Waiting here would deadlock (a blocking ask on the thread that must answer it)."""

    code = lib.AKT_EDEADLK


class BufferTooSmall(AktError):
    code = lib.AKT_ERANGE


class Busy(AktError):
    code = lib.AKT_EBUSY


class Unreachable(AktError, ConnectionError):
    """A remote node cannot be reached (refused, or its connection was lost)."""

    code = lib.AKT_EUNREACHABLE


class ProtocolError(AktError):
    """A remote node broke or refused the wire protocol (another version, another name)."""

    code = lib.AKT_EPROTO


class ActorSuspended(AktError):
    """The actor is suspended (Directive.SUSPEND) until reinstated: tells and asks to it
    are refused."""

    code = lib.AKT_ESUSPENDED


# Every class above, by its code. Read off the subclasses (at import, so only this
# module's classes) rather than listed again: a new code needs only its class.
_BY_CODE: dict[int, type[AktError]] = {cls.code: cls for cls in AktError.__subclasses__()}
assert len(_BY_CODE) == len(AktError.__subclasses__()), "two error classes share a code"


def error_for(code: int, what: str) -> AktError:
    """The exception for an akt error code: ``"<what>: <description> (<AKT_E name>)"``."""
    cls = _BY_CODE.get(code, AktError)
    desc = text(lib.akt_strerror(code))
    name = text(lib.akt_err_name(code))
    return cls(f"{what}: {desc} ({name})", code)
