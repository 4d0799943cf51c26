"""akt: actors for Python on a fast C runtime.

    import akt

    class Counter(akt.Actor):
        def pre_start(self, ctx): self.n = 0
        def receive(self, ctx, msg):
            if msg == "incr": self.n += 1
            elif msg == "get": ctx.respond(self.n)
            else: ctx.unhandled()

    with akt.ActorSystem("demo") as system:
        pid = system.spawn("counter", Counter())
        pid.tell("incr")
        print(pid.ask_sync("get", timeout=1.0))
"""

from . import _lib
from ._lib import _fast
from .actor import Actor, Decider, Directive, Strategy, Supervisor
from .cron import CronSyntaxError, cron_next, validate_cron
from .errors import (
    ActorFailed,
    ActorNotFound,
    ActorStopped,
    AktError,
    AskTimeout,
    BufferTooSmall,
    Busy,
    Cancelled,
    ContextError,
    DeadlockError,
    InvalidArgument,
    MailboxFull,
    NameTaken,
    NotReady,
    NotSupported,
    OutOfMemory,
    SystemClosed,
    Unhandled,
    WrongType,
    error_for,
)
from .events import Event, EventKind
from .grains import Grain
from .messages import Bytes, Terminated, type_name, wire_bytes
from .pid import AskFuture, Pid
from .router import Router
from .system import ActorSystem
from .topics import Topic, TopicSubscription

Context = _fast.Context
Subscription = _fast.Subscription

__version__ = _lib.text(_lib.lib.akt_version_string())

__all__ = [
    "Actor", "ActorFailed", "AskFuture", "ActorNotFound", "ActorStopped", "ActorSystem", "AktError",
    "AskTimeout", "BufferTooSmall", "Busy", "Bytes", "Cancelled", "Context", "ContextError",
    "CronSyntaxError", "DeadlockError", "Decider", "Directive", "Event", "EventKind", "Grain",
    "InvalidArgument", "MailboxFull", "NameTaken", "NotReady", "NotSupported", "OutOfMemory",
    "Pid", "Router", "Strategy", "Subscription", "Supervisor", "SystemClosed", "Terminated",
    "Topic", "TopicSubscription", "Unhandled", "WrongType",
    "cron_next", "error_for", "type_name", "validate_cron", "wire_bytes",
]
