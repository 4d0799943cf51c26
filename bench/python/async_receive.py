#!/usr/bin/env python3
"""Async receive throughput: an akt actor with ``async def receive`` against a plain asyncio
queue consumer (Pykka has no async receive), in one run, rounds interleaved.

Prints one JSON object per line:
  {"impl": "akt-python"|"asyncio", "bench": "async_receive", "variant": ..., "n": ...,
   "rounds": [...], "msgs_per_s": median}
and, last, {"bench": "async_receive", "variant": ..., "vs": "asyncio", "ratio": ...} lines
(akt / asyncio: above 1 is akt faster).

variant "plain":   each message's handler awaits nothing (akt: the coroutine finishes in its
                   first step; asyncio: ``await queue.get()`` per message).
variant "request": each message's handler awaits a round trip to a second actor (akt:
                   ``await ctx.request(echo, msg)``; asyncio: a second consumer task that
                   resolves a future per message through its own queue).
Both sides run on one asyncio loop (akt: actors on the system's loop, dispatcher "python").

    python3 bench/python/async_receive.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

import akt


def emit(obj: dict[str, Any]) -> None:
    print(json.dumps(obj), flush=True)


class Echo(akt.Actor):
    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.respond(msg)


class Counter(akt.Actor):
    def __init__(self, echo: Any, n: int) -> None:
        self.echo, self.n, self.seen = echo, n, 0
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
        if self.echo is not None:
            await ctx.request(self.echo, msg)
        self.seen += 1
        if self.seen == self.n:
            self.done.set_result(None)


async def akt_round(system: akt.ActorSystem, n: int, request: bool) -> float:
    echo = system.spawn(None, Echo()) if request else None
    counter = Counter(echo, n)
    pid = system.spawn(None, counter)
    msgs = list(range(n))
    t0 = time.perf_counter()
    pid.tell_batch(msgs)
    await counter.done
    took = time.perf_counter() - t0
    pid.stop()
    if echo is not None:
        echo.stop()
    return took


async def asyncio_round(n: int, request: bool) -> float:
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[Any] = asyncio.Queue()
    echo_q: asyncio.Queue[Any] = asyncio.Queue()
    done = loop.create_future()

    async def echo() -> None:
        while True:
            msg, fut = await echo_q.get()
            fut.set_result(msg)

    async def consumer() -> None:
        for _ in range(n):
            msg = await inbox.get()
            if request:
                fut = loop.create_future()
                echo_q.put_nowait((msg, fut))
                await fut
        done.set_result(None)

    tasks = [loop.create_task(consumer()), loop.create_task(echo())]
    t0 = time.perf_counter()
    for i in range(n):
        inbox.put_nowait(i)
    await done
    took = time.perf_counter() - t0
    for t in tasks:
        t.cancel()
    return took


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n, rounds = (20_000, 3) if args.quick else (200_000, 5)
    async with akt.ActorSystem("bench", dispatcher="python") as system:
        for variant, request in (("plain", False), ("request", True)):
            m = n if not request else n // 4
            secs: dict[str, list[float]] = {"akt-python": [], "asyncio": []}
            for r in range(rounds + 1):  # the first round of each is a warm-up
                a = await akt_round(system, m, request)
                b = await asyncio_round(m, request)
                if r:
                    secs["akt-python"].append(a)
                    secs["asyncio"].append(b)
            med = {}
            for impl, s in secs.items():
                rates = [m / x for x in s]
                med[impl] = statistics.median(rates)
                emit({"impl": impl, "bench": "async_receive", "variant": variant, "n": m,
                      "rounds": [round(x) for x in rates], "msgs_per_s": round(med[impl])})
            emit({"bench": "async_receive", "variant": variant, "vs": "asyncio",
                  "ratio": round(med["akt-python"] / med["asyncio"], 2)})
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
