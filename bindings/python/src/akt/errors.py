"""Exceptions raised by akt: one class per akt error code, all subclasses of AktError."""

from __future__ import annotations

from ._lib import lib, text


class AktError(Exception):
    """An akt call failed. ``code`` is the negative AKT_E* code, ``name`` its name.

    ``reason``: for an ask whose receiver failed, the reason it gave (for a Python actor
    ``"<exception type>: <message>"``), else None. When that receiver was a Python actor of
    this process, its exception is this one's ``__cause__``."""

    code: int = 0
    """The negative AKT_E* code of the failure (``akt_strerror`` describes it); 0 only for an
    AktError made without one."""
    reason: str | None = None
    """For an ask whose receiver failed: the reason the receiver gave (a Python actor's is
    ``"<exception type>: <message>"``); None for every other failure."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def name(self) -> str:
        """The code's name, e.g. ``"AKT_ENOTFOUND"``."""
        return text(lib.akt_err_name(self.code))


class InvalidArgument(AktError, ValueError):
    """An argument is missing, out of range or malformed (a bad name, a negative timeout, a
    value of the wrong shape); nothing was changed. Also a ValueError."""

    code = lib.AKT_EINVAL
    """``AKT_EINVAL`` (-1)."""


class OutOfMemory(AktError, MemoryError):
    """An allocation inside akt failed; the call changed nothing. Also a MemoryError."""

    code = lib.AKT_ENOMEM
    """``AKT_ENOMEM`` (-2)."""


class ActorNotFound(AktError, LookupError):
    """No live actor for this pid or path."""

    code = lib.AKT_ENOTFOUND
    """``AKT_ENOTFOUND`` (-3)."""


class ActorStopped(AktError):
    """The actor stopped before it handled the request."""

    code = lib.AKT_ESTOPPED
    """``AKT_ESTOPPED`` (-4)."""


class AskTimeout(AktError, TimeoutError):
    """An ask (or a graceful stop) got no answer in time."""

    code = lib.AKT_ETIMEDOUT
    """``AKT_ETIMEDOUT`` (-5)."""


class Cancelled(AktError):
    """The operation was cancelled before it completed: an ask whose future was cancelled
    (``AskFuture.cancel()``), a request given to ``ctx.cancel_request()``, an aborted stream."""

    code = lib.AKT_ECANCELED
    """``AKT_ECANCELED`` (-6)."""


class NameTaken(AktError):
    """An actor with this name already exists under the same parent."""

    code = lib.AKT_EEXIST
    """``AKT_EEXIST`` (-7)."""


class MailboxFull(AktError):
    """A bounded mailbox is full and refused the message: with ``when_full="fail"``, and with
    ``"block"`` from inside an actor (which never waits there). The message was not sent.
    Also exported as ``akt.MailboxFullError``."""

    code = lib.AKT_EFULL
    """``AKT_EFULL`` (-8)."""


class ContextError(AktError, RuntimeError):
    """A call that is not allowed here, e.g. a Context used after its callback."""

    code = lib.AKT_EMISUSE
    """``AKT_EMISUSE`` (-9)."""


class SystemClosed(AktError, RuntimeError):
    """The actor system is shutting down or shut down."""

    code = lib.AKT_ECLOSED
    """``AKT_ECLOSED`` (-10)."""


class Unhandled(AktError):
    """The asked actor did not handle the message."""

    code = lib.AKT_EUNHANDLED
    """``AKT_EUNHANDLED`` (-11)."""


class ActorFailed(AktError):
    """The asked actor's receive failed (raised, or returned a failure code). ``reason``
    says why; ``__cause__`` is the actor's exception when it ran in this process."""

    code = lib.AKT_EFAILED
    """``AKT_EFAILED`` (-12)."""


class NotReady(AktError):
    """Not ready yet, try again: a result asked for before it exists (a future still pending),
    or work that is not finished."""

    code = lib.AKT_EAGAIN
    """``AKT_EAGAIN`` (-13)."""


class NotSupported(AktError):
    """E.g. the bytes of a message that has none (a Python object a C actor cannot read)."""

    code = lib.AKT_ENOTSUP
    """``AKT_ENOTSUP`` (-14)."""


class WrongType(AktError, TypeError):
    """The message is not of the kind the call asked for. Also a TypeError."""

    code = lib.AKT_ETYPE
    """``AKT_ETYPE`` (-15)."""


class DeadlockError(AktError, RuntimeError):
    """Waiting here would deadlock (a blocking ask on the thread that must answer it)."""

    code = lib.AKT_EDEADLK
    """``AKT_EDEADLK`` (-16)."""


class BufferTooSmall(AktError):
    """A buffer is too small for the result; the C call reports the size it needs (the
    binding sizes its own buffers, so this reaching Python is unusual)."""

    code = lib.AKT_ERANGE
    """``AKT_ERANGE`` (-17)."""


class Busy(AktError):
    """The object is in use and refused the call: a dispatcher another thread is running, too
    many requests in flight (``ctx.request`` beyond ``max_in_flight``), a subscription's
    ``close()`` while another thread's waits, an open circuit breaker (BreakerOpen)."""

    code = lib.AKT_EBUSY
    """``AKT_EBUSY`` (-18)."""


class Unreachable(AktError, ConnectionError):
    """A remote node cannot be reached (refused, or its connection was lost)."""

    code = lib.AKT_EUNREACHABLE
    """``AKT_EUNREACHABLE`` (-19)."""


class ProtocolError(AktError):
    """A remote node broke or refused the wire protocol (another version, another name)."""

    code = lib.AKT_EPROTO
    """``AKT_EPROTO`` (-20)."""


class ActorSuspended(AktError):
    """The actor is suspended (Directive.SUSPEND) until reinstated: tells and asks to it
    are refused."""

    code = lib.AKT_ESUSPENDED
    """``AKT_ESUSPENDED`` (-21)."""


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
