"""akt.stream against an asyncio queue pipeline, the same 5 stages in one run:
range -> map(x+1) -> filter(even) -> map(x*3) -> fold(sum). Prints JSON lines and the
ratio akt/asyncio. Usage: python3 bench/stream/stream_py.py [N] (default 200000)."""

from __future__ import annotations

import asyncio
import json
import sys
import time

import akt
from akt.stream import Sink, Source


def emit(bench: str, value: float, unit: str, n: int) -> None:
    print(json.dumps({"impl": "akt-python", "bench": bench, "value": round(value, 3),
                      "unit": unit, "n": n}))


def run_akt(system: akt.ActorSystem, n: int, fusion: bool) -> tuple[float, int]:
    src = (Source.range(0, n).map(lambda x: x + 1).filter(lambda x: x % 2 == 0)
           .map(lambda x: x * 3).window(256).fusion(fusion))
    t0 = time.perf_counter()
    total = src.run_with(Sink.fold(0, lambda a, x: a + x), system).result(timeout=600)
    return n / (time.perf_counter() - t0), total


async def run_asyncio(n: int) -> tuple[float, int]:
    """Each stage a task, bounded queues between them (the same backpressure)."""
    end = object()
    q1, q2, q3, q4 = (asyncio.Queue(256) for _ in range(4))

    async def source() -> None:
        for i in range(n):
            await q1.put(i)
        await q1.put(end)

    async def stage(src: asyncio.Queue, dst: asyncio.Queue, fn, keep) -> None:
        while (x := await src.get()) is not end:
            y = fn(x)
            if keep(y):
                await dst.put(y)
        await dst.put(end)

    async def fold() -> int:
        acc = 0
        while (x := await q4.get()) is not end:
            acc += x
        return acc

    t0 = time.perf_counter()
    tasks = [asyncio.create_task(c) for c in (
        source(),
        stage(q1, q2, lambda x: x + 1, lambda y: True),
        stage(q2, q3, lambda x: x, lambda y: y % 2 == 0),
        stage(q3, q4, lambda x: x * 3, lambda y: True))]
    total = await fold()
    await asyncio.gather(*tasks)
    return n / (time.perf_counter() - t0), total


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    with akt.ActorSystem("stream-bench", dispatcher="workers") as system:
        fused, r1 = run_akt(system, n, True)
        unfused, r2 = run_akt(system, n, False)
    peer, r3 = asyncio.run(run_asyncio(n))
    if not r1 == r2 == r3:
        raise SystemExit(f"results differ: {r1} {r2} {r3}")
    emit("stream5_fused", fused, "elements/s", n)
    emit("stream5_unfused", unfused, "elements/s", n)
    emit("stream5_asyncio_queues", peer, "elements/s", n)
    emit("stream5_fused_over_asyncio", fused / peer, "ratio", n)
    emit("stream5_unfused_over_asyncio", unfused / peer, "ratio", n)


if __name__ == "__main__":
    main()
