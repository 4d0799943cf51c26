"""Shared fixtures: a synchronous system per test, and a small C actor library."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

import akt

REPO = Path(__file__).resolve().parents[3]

pytest_plugins = ("akt.testkit",)  # the akt_system and probe fixtures


@pytest.fixture
def system() -> Iterator[akt.ActorSystem]:
    s = akt.ActorSystem("test")
    yield s
    assert s.shutdown(timeout=10), "the test system did not shut down"


@pytest.fixture(params=["python", "workers"])
def any_system(request: Any) -> Iterator[akt.ActorSystem]:
    """A system whose Python actors run on its Python thread, then on akt's workers."""
    s = akt.ActorSystem("test", dispatcher=request.param)
    yield s
    assert s.shutdown(timeout=10)


C_ACTORS = r"""
#include <akt/akt.h>
#include <stdio.h>
#include <string.h>

static int is(akt_msg *m, const char *type) { return strcmp(akt_msg_type(m), type) == 0; }

static int respond_bytes(akt_ctx *ctx, const char *type, const void *data, size_t len) {
    akt_msg *r = NULL;
    int rc = akt_msg_new_bytes(type, data, len, AKT_COPY, &r);
    if (rc == 0 && (rc = akt_ctx_respond(ctx, r)) != 0) akt_msg_release(r);
    return rc;
}

/* c.Fail -> fails with "CError: failed in C"; c.Echo <t> -> c.Echoed <t>; c.AskPy <path> -> asks the actor at <path> "c.Q from-c" and
 * responds with its answer; akt.<Scalar> -> the same type and bytes (a bytes message); anything else -> its bytes as
 * c.Seen, or c.NoBytes. */
static int receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    const void *data = NULL;
    size_t len = 0;
    if (is(msg, "c.AskPy")) {
        akt_system *sys = NULL;
        akt_pid to;
        char path[256];
        akt_msg_bytes(msg, &data, &len);
        if (len >= sizeof path) return AKT_EINVAL;
        memcpy(path, data, len);
        path[len] = 0;
        akt_ctx_system(ctx, &sys);
        int rc = akt_lookup(sys, path, &to);
        if (rc) return rc;
        akt_msg *q = NULL;
        akt_msg_new_bytes("c.Q", "from-c", 6, AKT_COPY, &q);
        akt_future *f = NULL;
        if ((rc = akt_ctx_ask(ctx, to, q, 2000000000LL, &f)) != 0) {
            akt_msg_release(q);
            return rc;
        }
        akt_msg *reply = NULL;
        rc = akt_future_wait(f, -1, &reply); /* blocks this worker: fine in a test */
        if (rc) { /* the answer is why the ask failed: c.AskFailed <reason> */
            const char *why = NULL;
            akt_future_failure(f, &why, NULL);
            if (!why) why = akt_err_name(rc);
            rc = respond_bytes(ctx, "c.AskFailed", why, strlen(why));
            akt_future_release(f);
            return rc;
        }
        akt_future_release(f);
        if ((rc = akt_ctx_respond(ctx, reply)) != 0) akt_msg_release(reply);
        return rc;
    }
    if (is(msg, "c.Fail")) return akt_ctx_fail(ctx, "CError: failed in C");
    int rc = akt_msg_bytes(msg, &data, &len);
    if (is(msg, "c.Echo")) return respond_bytes(ctx, "c.Echoed", data, len);
    if (rc) {
        const char *name = akt_err_name(rc);
        return respond_bytes(ctx, "c.NoBytes", name, strlen(name));
    }
    if (strncmp(akt_msg_type(msg), "akt.", 4) == 0) /* canonical scalars: echoed as bytes */
        return respond_bytes(ctx, akt_msg_type(msg), data, len);
    return respond_bytes(ctx, "c.Seen", data, len);
}

static const akt_behavior behavior = {.size = sizeof(akt_behavior), .receive = receive};
const akt_behavior *test_c_actor(void) { return &behavior; }

/* A grain kind registered in C: its activations are the C actor above. */
static int grain_activate(void *kind_data, const char *name, const akt_behavior **b, void **state) {
    (void)kind_data;
    (void)name;
    *b = &behavior;
    *state = NULL;
    return 0;
}
int test_c_grain_kind(void *system, const char *kind) {
    akt_grain_kind def;
    akt_grain_kind_init(&def);
    def.activate = grain_activate;
    return akt_grain_kind_register((akt_system *)system, kind, &def);
}

/* A plain C thread's ask (issue 17): the calling thread, outside any actor, asks the actor
 * at path "c.Q from-c" with akt_ask and waits. 0 and out = "<type> <bytes>" of the reply
 * (or "<type> NoBytes"), or the failure code and out = its reason. */
int test_c_plain_ask(void *system, const char *path, char *out, size_t cap) {
    akt_system *sys = system;
    akt_pid to;
    int rc = akt_lookup(sys, path, &to);
    if (rc) return rc;
    akt_msg *q = NULL;
    akt_msg_new_bytes("c.Q", "from-c", 6, AKT_COPY, &q);
    akt_future *f = NULL;
    if ((rc = akt_ask(sys, to, q, 5000000000LL, &f)) != 0) {
        akt_msg_release(q);
        return rc;
    }
    akt_msg *reply = NULL;
    rc = akt_future_wait(f, -1, &reply);
    if (rc) {
        const char *why = NULL;
        akt_future_failure(f, &why, NULL);
        snprintf(out, cap, "%s", why ? why : akt_err_name(rc));
    } else {
        const void *data = NULL;
        size_t len = 0;
        if (akt_msg_bytes(reply, &data, &len) == 0)
            snprintf(out, cap, "%s %.*s", akt_msg_type(reply), (int)len, (const char *)data);
        else
            snprintf(out, cap, "%s NoBytes", akt_msg_type(reply));
        akt_msg_release(reply);
    }
    akt_future_release(f);
    return rc;
}
"""


_C_LIB: dict[str, Any] = {}  # the test library's (ffi, handle), kept loaded


@pytest.fixture(scope="session")
def c_actor(tmp_path_factory: Any) -> int:
    """The address of a C actor's akt_behavior, from a library built for the tests."""
    import cffi

    pkg = Path(akt.__file__).resolve().parent
    out = tmp_path_factory.mktemp("cactor")
    src = out / "c_actor.c"
    src.write_text(C_ACTORS)
    lib = out / "libtest_c_actor.so"
    subprocess.run([os.environ.get("CC", "cc"), "-shared", "-fPIC", "-std=c11", "-Wall",
                    "-Werror", "-o", str(lib), str(src), f"-I{REPO / 'abi/include'}",
                    str(pkg / "libakt.so.0"), f"-Wl,-rpath,{pkg}"], check=True)
    ffi = cffi.FFI()
    ffi.cdef("const void *test_c_actor(void); int test_c_grain_kind(void *, const char *);"
             "int test_c_plain_ask(void *, const char *, char *, size_t);")
    handle = ffi.dlopen(str(lib))
    c_actor._keep = (ffi, handle)  # type: ignore[attr-defined]
    _C_LIB["lib"] = (ffi, handle)
    return int(ffi.cast("uintptr_t", handle.test_c_actor()))


@pytest.fixture(scope="session")
def c_grain_kind(c_actor: int) -> Any:
    """register(system, kind): registers a grain kind in C whose activations are the C
    actor of c_actor (test_c_grain_kind of the same library)."""
    ffi, handle = _C_LIB["lib"]

    def register(system: akt.ActorSystem, kind: str) -> None:
        rc = handle.test_c_grain_kind(ffi.cast("void *", system._address), kind.encode())
        assert rc == 0, rc

    return register


@pytest.fixture(scope="session")
def c_plain_ask(c_actor: int) -> Any:
    """ask(system, path) -> (rc, text): this thread, outside any actor, asks the actor at
    path with a plain C akt_ask (test_c_plain_ask of the library of c_actor): rc 0 and
    "<type> <bytes>" of the reply, or the failure code and its reason."""
    ffi, handle = _C_LIB["lib"]

    def ask(system: akt.ActorSystem, path: str) -> tuple[int, str]:
        buf = ffi.new("char[]", 2048)
        rc = handle.test_c_plain_ask(ffi.cast("void *", system._address), path.encode(), buf,
                                     2048)
        return int(rc), ffi.string(buf).decode()

    return ask
