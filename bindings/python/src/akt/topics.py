"""akt.Topic: publish / subscribe through the system's topic actor.

``system.topic("news")`` names a topic; it exists while it has subscribers. Subscribers
are actors of any language; an actor that stops leaves its topics by itself. Everything
goes through one topic actor per system, so what one thread does takes effect in the
order it did it: a ``publish`` made after ``subscribe`` on the same thread reaches the new
subscriber without waiting for the acknowledgement.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Callable, Optional

from .actor import Actor
from .pid import AskFuture, Pid

if TYPE_CHECKING:
    from ._fast import Context
    from .system import ActorSystem


class Topic:
    """A named topic of one system (``system.topic(name)``); a value, cheap to make."""

    __slots__ = ("_system", "name")

    def __init__(self, system: "ActorSystem", name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"a topic name must be a str, not {type(name).__name__}")
        self._system = system
        self.name = name
        """The topic's name: any str; two Topic values of one system with the same name are the
        same topic."""

    def publish(self, msg: Any, *, type: Optional[str] = None) -> None:
        """Sends ``msg`` to every current subscriber (the message itself, with the calling
        actor as sender). A topic without subscribers drops it: that is not an error."""
        self._system._topic_publish(self.name, msg, type)

    def subscribe(self, pid: Pid, timeout: Optional[float] = None) -> AskFuture:
        """Subscribes ``pid`` (twice is once). Returns a future of the topic's subscriber
        count once the subscription is in effect; ignoring it is fine."""
        return self._op("subscribe", pid, timeout)

    def unsubscribe(self, pid: Pid, timeout: Optional[float] = None) -> AskFuture:
        """Ends ``pid``'s subscription; a future of the subscriber count after it."""
        return self._op("unsubscribe", pid, timeout)

    def count_sync(self, timeout: Optional[float] = None) -> int:
        """The number of subscribers, once what was queued before took effect."""
        return int(self._system._topic_op("count", self.name, None, timeout, None))

    async def count(self, timeout: Optional[float] = None) -> int:
        """Awaitable form of count_sync."""
        return int(await asyncio.wrap_future(self._op("count", None, timeout)))

    def subscribe_callback(self, callback: Callable[[Any], Any]) -> "TopicSubscription":
        """Calls ``callback(msg)`` for every message published to the topic, one at a time
        and in publishing order, on the system's Python thread (it runs as a small actor).
        Returns a TopicSubscription: ``close()`` it, or use ``with``."""
        if not callable(callback):
            raise TypeError("callback must be callable")
        pid = self._system.spawn(None, _CallbackSubscriber(callback))
        self._system._topic_op("subscribe", self.name, pid, None, None)
        return TopicSubscription(self, pid)

    def _op(self, op: str, pid: Optional[Pid], timeout: Optional[float]) -> AskFuture:
        fut = AskFuture()
        fut._handle = self._system._topic_op(op, self.name, pid, timeout, fut)
        return fut

    def __repr__(self) -> str:
        return f"Topic({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Topic) and other._system is self._system
                and other.name == self.name)

    def __hash__(self) -> int:
        return hash((id(self._system), self.name))


class TopicSubscription:
    """A callback subscription (Topic.subscribe_callback)."""

    __slots__ = ("topic", "pid")

    def __init__(self, topic: Topic, pid: Pid) -> None:
        self.topic = topic
        """The topic the callback is subscribed to."""
        self.pid = pid
        """The small actor that runs the callback: the topic's subscriber. ``close()`` stops it."""

    def close(self) -> None:
        """Ends it: no call starts after the subscription's actor is gone. Idempotent."""
        if self.pid.is_alive:
            try:
                self.pid.stop()
            except Exception:  # stopped meanwhile, or the system is gone
                pass

    def __enter__(self) -> "TopicSubscription":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _CallbackSubscriber(Actor):
    def __init__(self, callback: Callable[[Any], Any]) -> None:
        self._callback = callback

    def receive(self, ctx: "Context", msg: Any) -> None:
        self._callback(msg)
