"""akt in one page, in Python: spawn, tell, ask, a crashing child restarted by its
supervisor, become, and death watch. The same steps as examples/c/demo.c.

Run it after installing the binding (bindings/python/test.sh, or pip install ./bindings/python):
    python3 examples/python/demo.py
"""

import asyncio
import logging
from typing import Any

import akt


# ---- a counter: tell "incr", ask "get" ---------------------------------------------------
class Counter(akt.Actor[str]):
    def pre_start(self, ctx: akt.Context) -> None:
        self.n = 0

    def receive(self, ctx: akt.Context, msg: str) -> None:
        if msg == "incr":
            self.n += 1
        elif msg == "get":
            ctx.respond(self.n)
        else:
            ctx.unhandled()


# ---- a worker that fails on "boom"; its parent restarts it -------------------------------
class Worker(akt.Actor):
    def __init__(self) -> None:
        self.starts = 0  # spawned as an instance, the worker keeps it across restarts

    def pre_start(self, ctx: akt.Context) -> None:
        self.starts += 1
        print(f"  worker: pre_start (start #{self.starts})")

    def post_stop(self, ctx: akt.Context) -> None:
        print("  worker: post_stop")

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "boom":
            # Any exception is a failure: the asker gets ActorFailed, and the parent's
            # supervisor (one-for-one Restart by default) runs post_stop, then pre_start.
            raise RuntimeError("boom requested")
        print(f"  worker: got {msg}")
        ctx.respond("ok")


class Supervisor(akt.Actor):
    """Spawns the worker as its child and passes work on to it."""

    def pre_start(self, ctx: akt.Context) -> None:
        self.worker = ctx.spawn("worker", Worker())

    def post_stop(self, ctx: akt.Context) -> None:
        print("  supervisor: post_stop (its child stopped first)")

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.forward(self.worker)  # the worker answers the original asker


# ---- become: a light switch --------------------------------------------------------------
class Switch(akt.Actor):
    def receive(self, ctx: akt.Context, msg: Any) -> None:  # starts off
        ctx.respond("was off, now on")
        ctx.become(self.on)

    def on(self, ctx: akt.Context, msg: Any) -> None:
        ctx.respond("was on, now off")
        ctx.unbecome()  # back to receive


# ---- a watcher: reports when the watched actor terminates --------------------------------
class Watcher(akt.Actor):
    def __init__(self) -> None:
        # A stopped actor has no path any more: remember it while alive.
        self.paths: dict[akt.Pid, str] = {}

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if isinstance(msg, akt.Terminated):
            print(f"  watcher: {self.paths.pop(msg.pid)} terminated")
        elif isinstance(msg, akt.Pid):  # Python objects travel as themselves, pids too
            self.paths[msg] = msg.path
            ctx.watch(msg)
            ctx.respond("yes")
        elif msg == "report":
            ctx.respond("watcher is up to date")
        else:
            ctx.unhandled()


async def ask_print(pid: akt.Pid, msg: Any, label: str) -> None:
    try:
        print(f"{label}: {await pid.ask(msg, timeout=1.0)}")
    except akt.AktError as e:
        print(f"{label}: {type(e).__name__} ({e.name})")


def on_event(event: akt.Event) -> None:
    # Called on the thread where the event happened: keep it short, never block.
    if event.kind == akt.EventKind.ACTOR_RESTARTED:
        print(f"  event: restarted {event.path}")
    else:
        print(f"  event: {event.path} failed ({event.reason})")


async def main() -> None:
    print(f"akt {akt.__version__} demo\n")
    # A failing actor's traceback is logged on the "akt" logger (and is in Event.traceback);
    # this demo prints the failure event instead.
    logging.getLogger("akt").setLevel(logging.CRITICAL)
    # Created inside the running loop, the system runs its Python actors on this loop.
    async with akt.ActorSystem("demo") as system:
        system.subscribe(on_event, akt.EventKind.ACTOR_RESTARTED | akt.EventKind.ACTOR_FAILED)

        print("1. spawn a counter, tell it 1000 times, ask for the count")
        counter = system.spawn("counter", Counter)
        for _ in range(1000):
            counter.tell("incr")
        # Messages from one sender arrive in order: the ask sees all 1000 increments.
        await ask_print(counter, "get", "count")

        print("\n2. a supervisor with a worker child; the child crashes and is restarted")
        supervisor = system.spawn("supervisor", Supervisor)
        await ask_print(supervisor, "job-1", "job-1")
        await ask_print(supervisor, "boom", "boom")
        await ask_print(supervisor, "job-2", "job-2")
        print(f"lookup: {system.lookup('supervisor/worker').path} is still alive")

        print("\n3. become: a switch changes its behaviour with each message")
        switch = system.spawn("switch", Switch)
        for _ in range(3):
            await ask_print(switch, "flip", "flip")

        print("\n4. watch: a watcher learns that the counter stopped")
        watcher = system.spawn("watcher", Watcher)
        await ask_print(watcher, counter, "watching")
        await counter.stop_graceful(timeout=1.0)
        # The Terminated was queued before the stop completed, so it is handled first.
        await ask_print(watcher, "report", "report")
        try:
            counter.tell("incr")
        except akt.ActorNotFound as e:
            print(f"tell to the stopped counter: ActorNotFound ({e.name})")

        print("\n5. shutdown: children stop before parents")
    print("done")  # leaving `async with` shut the system down


asyncio.run(main())
