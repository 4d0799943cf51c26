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
from .actor import Actor, Backoff, Decider, Directive, Strategy, Supervisor
from .breaker import BreakerMetrics, BreakerOpen, BreakerState, CircuitBreaker, ManualClock
from .passivation import Passivation
from .cron import CronSyntaxError, cron_next, validate_cron
from .errors import (
    ActorFailed,
    ActorSuspended,
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
    ProtocolError,
    SystemClosed,
    Unhandled,
    Unreachable,
    WrongType,
    error_for,
)
from .events import Event, EventKind
from .grains import Grain
from .mailbox import Bounded, Fair, Mailbox, Priority
from .metrics import ActorMetrics, MetricPoint, SystemMetrics
from .messages import Bytes, Message, Terminated, type_id, type_name, wire_bytes
from .pid import AskFuture, Pid, typed
from .router import Router
from .schedule import ScheduleExists, ScheduleInfo, ScheduleNotFound
from .system import ActorSystem
from ._async import Request
from .topics import Topic, TopicSubscription

MailboxFullError = MailboxFull  # the name the mailbox docs use
"""Another name of MailboxFull (the exception a full bounded mailbox raises), the one the
mailbox docs use."""

Context = _fast.Context
Subscription = _fast.Subscription

__version__ = _lib.text(_lib.lib.akt_version_string())

__all__ = [
    "Actor", "ActorFailed", "ActorMetrics", "ActorSuspended", "Backoff", "Bounded", "Fair",
    "Mailbox", "MailboxFullError", "MetricPoint", "Priority", "AskFuture", "ActorNotFound",
    "ActorStopped", "ActorSystem", "AktError", "SystemMetrics",
    "AskTimeout", "BufferTooSmall", "Busy", "Bytes", "Cancelled", "Context", "ContextError",
    "CronSyntaxError", "DeadlockError", "Decider", "Directive", "Event", "EventKind", "Grain",
    "InvalidArgument", "MailboxFull", "Message", "NameTaken", "NotReady", "NotSupported", "OutOfMemory",
    "Pid", "ProtocolError", "Router", "ScheduleInfo", "Strategy", "Subscription", "Supervisor",
    "SystemClosed", "Terminated", "Topic", "TopicSubscription", "Unhandled", "Unreachable",
    "WrongType", "cron_next", "error_for", "type_id", "type_name", "typed", "validate_cron",
    "wire_bytes",
    "Request",
    "BreakerMetrics", "BreakerOpen", "BreakerState", "CircuitBreaker", "ManualClock",
    "Passivation",
    "ScheduleExists", "ScheduleNotFound",
]
