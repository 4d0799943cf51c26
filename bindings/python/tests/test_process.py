"""The binding inside a process: C actors next to Python ones, many systems, interpreter
exit with live systems, the shipped native library."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import akt
from actors import Counter, Echo


def run_python(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd="/",
                          capture_output=True, text=True, timeout=timeout, env=env)


def test_python_and_c_actors_ask_each_other(any_system: akt.ActorSystem, c_actor: int) -> None:
    c = any_system.spawn_native("c", c_actor)

    class Py(akt.Actor):
        def receive(self, ctx, msg):
            if isinstance(msg, akt.Bytes) and msg.type == "c.Q":
                ctx.respond(akt.Bytes.of("py.A", "py-answer:" + msg.text))
            elif msg == "ask-c":
                # A Python actor waits for the C actor (which runs on akt's workers).
                ctx.respond(c.ask_sync(akt.Bytes.of("c.Echo", "hi"), timeout=5))

    py = any_system.spawn("py", Py())
    # Python -> C, from outside and from inside a Python actor.
    assert c.ask_sync(akt.Bytes.of("c.Echo", "x")) == akt.Bytes("c.Echoed", b"x")
    assert py.ask_sync("ask-c") == akt.Bytes("c.Echoed", b"hi")
    # C -> Python: the C actor asks the Python actor and passes the answer on.
    assert c.ask_sync(akt.Bytes.of("c.AskPy", py.path)) == akt.Bytes.of(
        "py.A", "py-answer:from-c")
    # Python objects reach C as bytes when they have them: the canonical scalars, which
    # the test C actor echoes under the same type name, so they come back as the values.
    assert c.ask_sync("text ✓") == "text ✓"
    assert c.ask_sync(b"\x01\x02") == b"\x01\x02"
    assert c.ask_sync(bytearray(b"ba")) == b"ba"
    # ... and an object without bytes is refused at the sender, never delivered unreadable.
    with pytest.raises(akt.NotSupported, match="refused"):
        c.ask_sync(object())


def test_many_systems_in_one_process() -> None:
    systems = [akt.ActorSystem(f"s{i}", workers=1,
                               dispatcher="workers" if i % 2 else "python") for i in range(12)]
    try:
        pids = [s.spawn("counter", Counter()) for s in systems]
        errors: list[BaseException] = []

        def hammer(pid: akt.Pid) -> None:
            try:
                for _ in range(500):
                    pid.tell("incr")
                assert pid.ask_sync("get", timeout=10) == 500
            except BaseException as e:  # pragma: no cover
                errors.append(e)

        threads = [threading.Thread(target=hammer, args=(p,)) for p in pids]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert {p.path for p in pids} == {f"akt://s{i}/user/counter" for i in range(12)}
    finally:
        assert all(s.shutdown() for s in systems)


def test_interpreter_exit_with_live_systems() -> None:
    done = run_python("""
        import akt

        class Noisy(akt.Actor):
            def post_stop(self, ctx):
                print("post_stop", ctx.self.path, flush=True)
            def receive(self, ctx, msg):
                if msg == "x":
                    ctx.respond(msg)

        threaded = akt.ActorSystem("threaded")
        workers = akt.ActorSystem("workers", dispatcher="workers")
        for s in (threaded, workers):
            pid = s.spawn("noisy", Noisy())
            for i in range(1000):
                pid.tell(i)
            assert pid.ask_sync("x") == "x"
        print("leaving", flush=True)
    """)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "leaving"
    assert sorted(lines[1:]) == ["post_stop akt://threaded/user/noisy",
                                 "post_stop akt://workers/user/noisy"]


def test_interpreter_exit_after_the_loop_closed() -> None:
    done = run_python("""
        import asyncio, akt

        class Noisy(akt.Actor):
            def post_stop(self, ctx):
                print("post_stop", flush=True)
            def receive(self, ctx, msg):
                ctx.respond(msg)

        async def main():
            system = akt.ActorSystem("loop")  # bound to this loop, never shut down
            pid = system.spawn("noisy", Noisy())
            assert await pid.ask("x") == "x"

        asyncio.run(main())
        print("leaving", flush=True)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["leaving", "post_stop"]


def test_exit_while_actors_are_busy() -> None:
    done = run_python("""
        import akt, threading, os

        class Busy(akt.Actor):
            def receive(self, ctx, msg):
                sum(range(1000))

        s = akt.ActorSystem("busy", dispatcher="workers")
        pids = [s.spawn(None, Busy()) for _ in range(8)]
        for _ in range(2000):
            for p in pids:
                p.tell(1)
        os.write(1, b"bye\\n")
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "bye\n"


def test_importable_from_anywhere_without_ld_library_path() -> None:
    done = run_python("""
        import akt, os
        maps = open("/proc/self/maps").read()
        libs = {line.split()[-1] for line in maps.splitlines() if "libakt.so" in line}
        print(akt.__file__)
        print(sorted(libs))
    """)
    assert done.returncode == 0, done.stderr
    init, libs = done.stdout.splitlines()
    pkg = Path(init).parent
    assert libs == str([str(pkg / "libakt.so.0")])
    assert (pkg / "py.typed").exists()


def test_the_package_exports_python_objects_only() -> None:
    # cffi's ffi/lib stay behind akt._lib; everything public is a Python class or function.
    assert not hasattr(akt, "ffi") and not hasattr(akt, "lib")
    for name in akt.__all__:
        assert "_cffi_backend" not in type(getattr(akt, name)).__module__, name


def test_gil_is_free_while_waiting(system: akt.ActorSystem) -> None:
    # A Python thread keeps running while the main thread waits in ask_sync and while an
    # actor on akt's workers blocks in C.
    ticks = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    class Slow(akt.Actor):
        def receive(self, ctx, msg):
            import time

            time.sleep(0.2)
            ctx.respond("done")

    t = threading.Thread(target=ticker)
    t.start()
    try:
        assert system.spawn(None, Slow(), dispatcher="workers").ask_sync("go") == "done"
    finally:
        stop.set()
        t.join()
    assert len(ticks) > 20


def test_echo_under_both_modes_matches(any_system: akt.ActorSystem) -> None:
    e = any_system.spawn(None, Echo())
    assert [e.ask_sync(i) for i in range(50)] == list(range(50))
