#!/usr/bin/env python3
"""Python actor benchmarks: akt's Python binding against Pykka and Ray, in one run.

Prints one JSON object per line:
  {"impl": "akt-python"|"pykka"|"ray", "bench": "tell"|"ask_rtt", "variant": ...,
   "n": messages per round, "rounds": [...], "msgs_per_s" | "us": median of the rounds}
and, last, {"bench": ..., "variant": ..., "vs": "pykka", "ratio": ...} lines.

tell:    one sender tells n small messages (a prebuilt list, the same for every impl) to
         one actor that counts them; a round is timed from the first tell until the actor
         has handled the last. Pykka and Ray tell one message per call; akt does both
         (tell) and batches of 1000 (tell_batch). Rounds of all contenders are interleaved
         so that a busy machine slows them alike; the first round of each is a warm-up.
ask_rtt: one caller asks an echo actor m times in sequence; mean round trip in us.
akt variants: "thread" (Python actors on the system's service thread, blocking asks),
"asyncio" (on the running asyncio loop, awaited asks), "workers" (on akt's worker threads).

    python3 bench/python/bench.py            # full run (about a minute, Ray's start-up included)
    python3 bench/python/bench.py --quick    # smaller n, fewer rounds
    python3 bench/python/bench.py --no-ray
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time
from typing import Any, Callable, Optional

BATCH = 1000


def emit(obj: dict[str, Any]) -> None:
    print(json.dumps(obj), flush=True)


def report_tell(impl: str, variant: str, n: int, secs: list[float]) -> float:
    rates = [n / s for s in secs]
    med = statistics.median(rates)
    emit({"impl": impl, "bench": "tell", "variant": variant, "n": n,
          "rounds": [round(r) for r in rates], "msgs_per_s": round(med)})
    return med


def report_ask(impl: str, variant: str, m: int, secs: list[float]) -> float:
    us = [s / m * 1e6 for s in secs]
    med = statistics.median(us)
    emit({"impl": impl, "bench": "ask_rtt", "variant": variant, "n": m,
          "rounds": [round(u, 2) for u in us], "us": round(med, 2)})
    return med


# ------------------------------------------------------------------------------ contenders
#
# Each contender is a pair of functions, one timed tell round and one timed ask round, each
# returning seconds. The rounds of all contenders are interleaved (contender A, B, C, then
# A, B, C again ...) so that the load of a shared machine falls on all of them alike.

Round = Callable[[], float]


def akt_contenders(n: int, m: int, stack: list[Callable[[], None]]) -> dict[str, tuple]:
    import akt

    msgs = list(range(n))
    chunks = [msgs[i:i + BATCH] for i in range(0, n, BATCH)]

    class Count(akt.Actor):
        def __init__(self, n: int, done: Any) -> None:
            self.n, self.c, self.done = n, 0, done

        def receive(self, ctx: akt.Context, msg: Any) -> None:
            self.c += 1
            if self.c == self.n:
                self.done()

    class Echo(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            ctx.respond(msg)

    def send(pid: Any, batched: bool) -> None:
        if batched:
            for c in chunks:
                pid.tell_batch(c)
        else:
            tell = pid.tell
            for x in msgs:
                tell(x)

    out: dict[str, tuple] = {}
    for variant in ("thread", "workers"):
        system = akt.ActorSystem("bench-" + variant,
                                 dispatcher="workers" if variant == "workers" else "python")
        stack.append(system.shutdown)
        echo = system.spawn(None, Echo())

        def tell_round(system: Any = system, batched: bool = False) -> float:
            done = threading.Event()
            pid = system.spawn(None, Count(n, done.set))
            t = time.perf_counter()
            send(pid, batched)
            done.wait()
            dt = time.perf_counter() - t
            pid.stop()
            return dt

        def ask_round(echo: Any = echo) -> float:
            ask = echo.ask_sync
            t = time.perf_counter()
            for i in range(m):
                ask(i)
            return time.perf_counter() - t

        out[variant] = (tell_round, ask_round)
        out[variant + "+batch"] = (lambda tr=tell_round: tr(batched=True), None)

    def on_loop(batched: Optional[bool]) -> float:
        async def one() -> float:
            async with akt.ActorSystem("bench-asyncio") as system:
                loop = asyncio.get_running_loop()
                if batched is None:  # an ask round
                    echo = system.spawn(None, Echo())
                    await echo.ask(0)
                    ask = echo.ask
                    t = time.perf_counter()
                    for i in range(m):
                        await ask(i)
                    return time.perf_counter() - t
                done = loop.create_future()
                pid = system.spawn(None, Count(n, lambda: done.set_result(None)))
                await pid.ask_batch([])  # started
                t = time.perf_counter()
                send(pid, batched)
                await done
                return time.perf_counter() - t

        return asyncio.run(one())

    out["asyncio"] = (lambda: on_loop(False), lambda: on_loop(None))
    out["asyncio+batch"] = (lambda: on_loop(True), None)
    return out


def pykka_contender(n: int, m: int, stack: list[Callable[[], None]]) -> tuple:
    import pykka

    msgs = list(range(n))

    class Count(pykka.ThreadingActor):
        def __init__(self, n: int, done: threading.Event) -> None:
            super().__init__()
            self.n, self.c, self.done = n, 0, done

        def on_receive(self, message: Any) -> Any:
            self.c += 1
            if self.c == self.n:
                self.done.set()

    class Echo(pykka.ThreadingActor):
        def on_receive(self, message: Any) -> Any:
            return message

    def tell_round() -> float:
        done = threading.Event()
        ref = Count.start(n, done)
        t = time.perf_counter()
        tell = ref.tell
        for x in msgs:
            tell(x)
        done.wait()
        dt = time.perf_counter() - t
        ref.stop()
        return dt

    echo = Echo.start()
    stack.append(pykka.ActorRegistry.stop_all)

    def ask_round() -> float:
        ask = echo.ask
        t = time.perf_counter()
        for i in range(m):
            ask(i)
        return time.perf_counter() - t

    return tell_round, ask_round


def ray_contender(n: int, m: int, stack: list[Callable[[], None]]) -> Optional[tuple]:
    try:
        import ray
    except ImportError:
        emit({"impl": "ray", "skipped": "ray is not installed"})
        return None
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    stack.append(ray.shutdown)

    @ray.remote
    class Count:
        def __init__(self) -> None:
            self.c = 0

        def tell(self, msg: Any) -> None:
            self.c += 1

        def get(self) -> int:
            return self.c

    msgs = list(range(n))

    def tell_round() -> float:
        actor = Count.remote()
        ray.get(actor.get.remote())  # started
        t = time.perf_counter()
        tell = actor.tell.remote
        for x in msgs:
            tell(x)
        assert ray.get(actor.get.remote()) == n  # answered after every tell, in order
        dt = time.perf_counter() - t
        ray.kill(actor)
        return dt

    echo = Count.remote()

    def ask_round() -> float:
        get = echo.get.remote
        t = time.perf_counter()
        for _ in range(m):
            ray.get(get())
        return time.perf_counter() - t

    return tell_round, ask_round


# ------------------------------------------------------------------------------ main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller runs")
    ap.add_argument("--no-ray", action="store_true", help="skip Ray")
    ap.add_argument("--rounds", type=int, default=0)
    args = ap.parse_args()
    rounds = args.rounds or (3 if args.quick else 7)
    n, m = (100_000, 5_000) if args.quick else (500_000, 20_000)
    ray_n, ray_m = max(n // 100, 2000), max(m // 20, 200)
    emit({"machine": {"python": sys.version.split()[0], "cpus": _cpus()},
          "n_tell": n, "n_ask": m, "n_tell_ray": ray_n, "n_ask_ray": ray_m, "rounds": rounds})
    stack: list[Callable[[], None]] = []
    contenders: list[tuple[str, str, int, int, Optional[Round], Optional[Round]]] = []
    try:
        for variant, (tell, ask) in akt_contenders(n, m, stack).items():
            contenders.append(("akt-python", variant, n, m, tell, ask))
        contenders.append(("pykka", "thread", n, m, *pykka_contender(n, m, stack)))
        if not args.no_ray:
            ray_rounds = ray_contender(ray_n, ray_m, stack)
            if ray_rounds:
                contenders.append(("ray", "actor", ray_n, ray_m, *ray_rounds))
        tells: dict[tuple[str, str], list[float]] = {}
        asks: dict[tuple[str, str], list[float]] = {}
        for r in range(rounds + 1):  # round 0 warms up and is not kept
            for impl, variant, cn, cm, tell, ask in contenders:
                if tell:
                    dt = tell()
                    if r:
                        tells.setdefault((impl, variant), []).append(dt)
                if ask:
                    dt = ask()
                    if r:
                        asks.setdefault((impl, variant), []).append(dt)
    finally:
        for undo in reversed(stack):
            undo()
    results: dict[tuple[str, str, str], float] = {}
    sizes = {(impl, variant): (cn, cm) for impl, variant, cn, cm, _, _ in contenders}
    for (impl, variant), secs in tells.items():
        results[impl, "tell", variant] = report_tell(impl, variant, sizes[impl, variant][0], secs)
    for (impl, variant), secs in asks.items():
        results[impl, "ask_rtt", variant] = report_ask(impl, variant, sizes[impl, variant][1],
                                                       secs)
    pykka_tell = results.get(("pykka", "tell", "thread"))
    pykka_ask = results.get(("pykka", "ask_rtt", "thread"))
    for (impl, bench, variant), value in sorted(results.items()):
        if impl != "akt-python":
            continue
        if bench == "tell" and pykka_tell:
            emit({"bench": "tell", "variant": variant, "vs": "pykka",
                  "ratio": round(value / pykka_tell, 2)})
        if bench == "ask_rtt" and pykka_ask:
            emit({"bench": "ask_rtt", "variant": variant, "vs": "pykka",
                  "speedup": round(pykka_ask / value, 2)})
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    sys.exit(main())
