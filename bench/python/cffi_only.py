#!/usr/bin/env python3
"""The design alternative the binding did not take, measured: Python actors written with
cffi alone (a @ffi.def_extern receive callback, messages made and sent through cffi calls).

It builds a tiny cffi module against the libakt that the installed akt package ships, then
runs the same tell benchmark as bench.py (one sender, one counting actor, n small messages)
and a blocking-ask round trip. Prints JSON lines like bench.py with impl "cffi-def_extern".

    python3 bench/python/cffi_only.py [--n 200000]
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CDEF = """
typedef struct akt_system akt_system;
typedef struct akt_msg akt_msg;
typedef struct akt_ctx akt_ctx;
typedef struct akt_future akt_future;
typedef struct akt_pid { uint64_t id; } akt_pid;
typedef struct akt_behavior {
    size_t size;
    int (*receive)(akt_ctx *, akt_msg *, void *);
    int (*pre_start)(akt_ctx *, void *);
    void (*post_stop)(akt_ctx *, void *);
    void (*free_state)(void *);
} akt_behavior;
int akt_system_create(const void *options, akt_system **out);
int akt_system_shutdown(akt_system *system, void *cb, void *data);
int akt_system_wait(akt_system *system, int64_t timeout_ns);
int akt_system_release(akt_system *system);
int akt_spawn(akt_system *system, const akt_behavior *b, void *state, const void *opts,
              akt_pid *out);
int akt_msg_new_bytes(const char *type, const void *data, size_t len, void *free_fn,
                      akt_msg **out);
int akt_msg_release(akt_msg *msg);
int akt_tell(akt_system *system, akt_pid to, akt_msg *msg);
int akt_ask(akt_system *system, akt_pid to, akt_msg *msg, int64_t timeout_ns,
            akt_future **out);
int akt_future_wait(akt_future *f, int64_t timeout_ns, akt_msg **reply);
int akt_future_release(akt_future *f);
int akt_ctx_respond(akt_ctx *ctx, akt_msg *msg);
extern "Python" int py_receive(akt_ctx *, akt_msg *, void *);
"""


def build(tmp: Path):
    import akt  # the installed package: its libakt.so.0 and headers' ABI
    from cffi import FFI

    pkg = Path(akt.__file__).resolve().parent
    ffi = FFI()
    ffi.cdef(CDEF)
    ffi.set_source("_akt_cffi_only", "#include <akt/akt.h>",
                   include_dirs=[str(REPO / "abi/include")],
                   extra_link_args=[str(pkg / "libakt.so.0"), f"-Wl,-rpath,{pkg}"])
    ffi.compile(tmpdir=str(tmp), verbose=False)
    sys.path.insert(0, str(tmp))
    return importlib.import_module("_akt_cffi_only")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--m", type=int, default=5_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        mod = build(Path(tmp))
        ffi, lib = mod.ffi, mod.lib
        actors: dict[int, object] = {}

        class Count:
            def __init__(self, n: int) -> None:
                self.n, self.c, self.done = n, 0, threading.Event()

            def receive(self, ctx, msg) -> int:
                self.c += 1
                if self.c == self.n:
                    self.done.set()
                return 0

        class Echo:
            def receive(self, ctx, msg) -> int:
                r = ffi.new("akt_msg **")
                lib.akt_msg_new_bytes(b"b.Pong", ffi.NULL, 0, ffi.NULL, r)
                return lib.akt_ctx_respond(ctx, r[0])

        @ffi.def_extern()
        def py_receive(ctx, msg, state):
            return ffi.from_handle(state).receive(ctx, msg)

        out = ffi.new("akt_system **")
        assert lib.akt_system_create(ffi.NULL, out) == 0
        sysp = out[0]
        beh = ffi.new("akt_behavior *", {"size": ffi.sizeof("akt_behavior"),
                                         "receive": lib.py_receive})

        def spawn(actor: object):
            h = ffi.new_handle(actor)
            actors[id(h)] = h
            pid = ffi.new("akt_pid *")
            assert lib.akt_spawn(sysp, beh, h, ffi.NULL, pid) == 0
            return pid[0]

        payload = b"x"

        def tell_round() -> float:
            a = Count(args.n)
            pid = spawn(a)
            m = ffi.new("akt_msg **")
            t = time.perf_counter()
            for _ in range(args.n):
                lib.akt_msg_new_bytes(b"b.Msg", payload, 1, ffi.NULL, m)
                lib.akt_tell(sysp, pid, m[0])
            a.done.wait()
            return time.perf_counter() - t

        tell_round()
        rates = [args.n / tell_round() for _ in range(args.rounds)]
        print(json.dumps({"impl": "cffi-def_extern", "bench": "tell", "variant": "workers",
                          "n": args.n, "rounds": [round(r) for r in rates],
                          "msgs_per_s": round(statistics.median(rates))}), flush=True)

        echo = spawn(Echo())
        f = ffi.new("akt_future **")
        reply = ffi.new("akt_msg **")

        def ask_round() -> float:
            m = ffi.new("akt_msg **")
            t = time.perf_counter()
            for _ in range(args.m):
                lib.akt_msg_new_bytes(b"b.Ping", ffi.NULL, 0, ffi.NULL, m)
                lib.akt_ask(sysp, echo, m[0], 5_000_000_000, f)
                lib.akt_future_wait(f[0], -1, reply)
                lib.akt_msg_release(reply[0])
                lib.akt_future_release(f[0])
            return time.perf_counter() - t

        ask_round()
        us = [ask_round() / args.m * 1e6 for _ in range(args.rounds)]
        print(json.dumps({"impl": "cffi-def_extern", "bench": "ask_rtt", "variant": "workers",
                          "n": args.m, "rounds": [round(u, 2) for u in us],
                          "us": round(statistics.median(us), 2)}), flush=True)
        lib.akt_system_shutdown(sysp, ffi.NULL, ffi.NULL)
        lib.akt_system_wait(sysp, -1)
        lib.akt_system_release(sysp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
