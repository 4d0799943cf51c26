"""The helpers the Python conformance cases share: the Python side of conformance/c/conf.h.

Cases are synchronous scripts: the main thread prints, actors (on the system's Python
thread) write to the journal, and the main thread waits with blocking asks, futures and
wait_log(). See conformance/README.md for the rules this follows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Optional

import akt

import conf_split  # noqa: E402 - the folder of this module is on sys.path

SYSTEM = "conf"
ASK_S = 5.0
WAIT_LIMIT_S = 10.0

REPO = Path(__file__).resolve().parents[3]

# ---------------------------------------------------------------------------- failures


def fatal(text: str) -> None:
    """Ends the program (exit 1) with a message on stderr: the scenario was violated."""
    sys.stdout.flush()
    print(f"conformance: {text}", file=sys.stderr, flush=True)
    os._exit(1)


def rc(error: Optional[BaseException]) -> str:
    """"ok" for None, else the AKT_E* name of an akt error."""
    if error is None:
        return "ok"
    if isinstance(error, akt.AktError):
        return error.name
    fatal(f"unexpected {type(error).__name__}: {error}")
    return ""  # not reached


def rc_of(fn: Callable[[], Any]) -> str:
    """Runs fn; "ok" or the error name of the akt error it raised."""
    try:
        fn()
    except akt.AktError as e:
        return e.name
    return "ok"


# ---------------------------------------------------------------------------- journal

_lock = threading.Condition()
_lines: list[str] = []


def say(step: str, fact: str) -> None:
    """The main flow prints "<step>: <fact>" now."""
    with _lock:
        print(f"{step}: {fact}", flush=True)


def log(step: str, fact: str) -> None:
    """Callbacks append "<step>: <fact>" to the journal (any thread)."""
    if conf_split.MODE == "host":  # run.py --remote, node B: the line goes to the driver
        conf_split.host_send(f"log {step}: {fact}")
        return
    _append(f"{step}: {fact}")


def _append(line: str) -> None:
    with _lock:
        _lines.append(line)
        _lock.notify_all()


def wait_log(n: int) -> None:
    """Waits until the journal holds at least n lines (10 s, then the program fails)."""
    with _lock:
        if not _lock.wait_for(lambda: len(_lines) >= n, timeout=WAIT_LIMIT_S):
            for i, line in enumerate(_lines):
                print(f"journal[{i}] = {line}", file=sys.stderr)
            fatal(f"waited {WAIT_LIMIT_S:.0f} s for {n} journal lines, have {len(_lines)}")


def log_count() -> int:
    with _lock:
        return len(_lines)


def _flush(sorted_: bool) -> None:
    with _lock:
        lines = sorted(_lines, key=lambda s: s.encode()) if sorted_ else list(_lines)
        _lines.clear()
        for line in lines:
            print(line)
        sys.stdout.flush()


def flush() -> None:
    """Prints the journal in append order, then empties it."""
    _barrier()
    _flush(False)


def flush_sorted() -> None:
    """Prints the journal sorted bytewise (for concurrent effects), then empties it."""
    _barrier()
    _flush(True)


def _barrier() -> None:
    """run.py --remote: the lines node B journaled before now are in first."""
    if _driver[0] is not None:
        _driver[0].barrier()


# ---------------------------------------------------------------------------- system


# run.py --remote, node A: the driver of node B (conf_split.Driver), once the system is made.
_driver: list = [None]


def system_create() -> akt.ActorSystem:
    """A system named "conf" with default options. In run.py's remote mode, node B serves
    here and never returns; node A starts B and gets a system whose spawn goes to B."""
    if conf_split.MODE == "host":
        conf_split.host_serve(akt.ActorSystem(SYSTEM), fatal)
    if conf_split.MODE == "driver":
        system = conf_split.driver_system(SYSTEM, _driver)
        _driver[0] = conf_split.Driver(system, _append, fatal)
        return system
    return akt.ActorSystem(SYSTEM)


def system_finish(system: akt.ActorSystem) -> None:
    """Shuts down, waits, prints the journal sorted and "end: shutdown complete"."""
    if _driver[0] is not None:  # node B's actors stop first; their lines come before "down"
        _driver[0].finish()
    if not system.shutdown(timeout=WAIT_LIMIT_S):
        fatal("the shutdown did not complete")
    _flush(True)
    say("end", "shutdown complete")


# ---------------------------------------------------------------------------- messages


def msg(type: str, text: str = "") -> akt.Bytes:
    """A bytes message with this type and text."""
    return akt.Bytes.of(type, text)


def is_(m: Any, type: str) -> bool:
    return isinstance(m, akt.Bytes) and m.type == type


def text(m: akt.Bytes) -> str:
    return m.text


def num(m: akt.Bytes) -> int:
    try:
        return int(m.text)
    except ValueError:
        return 0


def respond(ctx: akt.Context, type: str, text: str = "") -> None:
    ctx.respond(msg(type, text))


# ---------------------------------------------------------------------------- paths

_ANON = re.compile(r"\$[0-9]+")


def path(pid: Optional[akt.Pid]) -> str:
    """The pid's path with anonymous names written $N, or the error name if it has none."""
    if pid is None:
        return "-"
    try:
        p = conf_split.local_path(pid.path) if _driver[0] is not None else pid.path
        return _ANON.sub("$N", p)
    except akt.AktError as e:
        return e.name


# ---------------------------------------------------------------------------- asks


def reply_str(reply: Any) -> str:
    """"<type> <text>", or just "<type>" for an empty payload."""
    if not isinstance(reply, akt.Bytes):
        fatal(f"a reply that is not bytes: {reply!r}")
    return f"{reply.type} {reply.text}" if reply.data else reply.type


def ask_str(pid: akt.Pid, type: str, text: str = "", timeout: float = ASK_S) -> str:
    """Asks and formats the reply, or the error name of whatever failed."""
    try:
        return reply_str(pid.ask_sync(msg(type, text), timeout))
    except akt.AktError as e:
        return e.name


def result_str(value: Any) -> str:
    """A reply or an exception (ask_batch results) formatted like ask_str."""
    return rc(value) if isinstance(value, BaseException) else reply_str(value)


# ---------------------------------------------------------------------------- interop


def peer_behavior() -> Any:
    """The interop case's C actor (conformance/cases/interop/peer.h), compiled into a small
    shared library on first use and linked against the libakt the akt package ships."""
    return int(ffi_cast_behavior(_peer_lib().akt_conf_peer()))


def echo_behavior() -> Any:
    """The C echo actor of peer.h (conf_echo()), from the same library: the scalars case."""
    return int(ffi_cast_behavior(_peer_lib().akt_conf_echo()))


def ffi_cast_behavior(ptr: Any) -> int:
    return _ffi[0].cast("uintptr_t", ptr)


_ffi: list[Any] = []


def _peer_lib() -> Any:
    """Builds (when its sources changed) and loads libakt_conf_peer.so, once per process."""
    if _keep:
        return _keep[0]
    import cffi

    pkg = Path(akt.__file__).resolve().parent
    out_dir = Path(os.environ.get("AKT_PY_CONF_BUILD", REPO / "bindings/python/build/conf"))
    lib = out_dir / "libakt_conf_peer.so"
    interop = REPO / "conformance/cases/interop"
    sources = [Path(__file__), interop / "peer.h", REPO / "conformance/c/conf.c",
               REPO / "conformance/c/conf.h", pkg / "libakt.so.0"]
    if not lib.exists() or any(s.stat().st_mtime > lib.stat().st_mtime for s in sources):
        out_dir.mkdir(parents=True, exist_ok=True)
        src = out_dir / "peer_lib.c"
        src.write_text('#include "peer.h"\n'
                       "const akt_behavior *akt_conf_peer(void) { return &conf_peer_behavior; }\n"
                       "const akt_behavior *akt_conf_echo(void) { return conf_echo(); }\n")
        tmp = lib.with_suffix(f".{os.getpid()}.tmp")
        subprocess.run(
            [os.environ.get("CC", "cc"), "-shared", "-fPIC", "-std=gnu11", "-O1",
             "-o", str(tmp), str(src), str(REPO / "conformance/c/conf.c"),
             f"-I{REPO / 'abi/include'}", f"-I{REPO / 'conformance/c'}", f"-I{interop}",
             str(pkg / "libakt.so.0"), f"-Wl,-rpath,{pkg}"],
            check=True,
        )
        os.replace(tmp, lib)
    ffi = cffi.FFI()
    ffi.cdef("const void *akt_conf_peer(void);\nconst void *akt_conf_echo(void);")
    handle = ffi.dlopen(str(lib))
    _ffi.append(ffi)
    _keep.append(handle)
    return handle


_keep: list[Any] = []
