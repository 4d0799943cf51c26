/* Streams: the C half of akt.stream (src/akt/stream.py), registered as akt._stream.
 *
 * The Python layer describes a graph as a list of stage tuples; run() builds the C graph
 * (akt/stream.h) for one system, runs it and returns a Stream object wrapping the handle.
 * Each Python callable becomes a refcounted stage record (pystage) handed to the graph
 * through its data hooks, so it lives until the last stream that may call it is gone.
 * The callbacks run on akt's worker threads and take the GIL for the call. */
#include "fastpath.h"

#include <akt/stream.h>

#include <stdlib.h>
#include <string.h>

typedef struct pystage {
    /* relaxed increments (a reference is made from one already held), acq_rel decrement:
     * the last one frees after every holder is done. */
    atomic_int refs;
    akt_py_system *sys; /* strong */
    PyObject *fn;       /* strong; for unfold: a callable of no arguments */
    PyObject *exc;      /* the last exception fn raised; guarded by the GIL */
} pystage;

static void ps_retain(void *d) {
    atomic_fetch_add_explicit(&((pystage *)d)->refs, 1, memory_order_relaxed);
}

static void ps_release(void *d) {
    pystage *ps = d;
    if (atomic_fetch_sub_explicit(&ps->refs, 1, memory_order_acq_rel) != 1) return;
    /* Any thread, GIL or not: decref_later never waits and never runs __del__ here. */
    akt_py_decref_later(ps->fn);
    akt_py_decref_later((PyObject *)ps->sys);
    if (ps->exc) akt_py_decref_later(ps->exc);
    free(ps);
}

/* Records the pending exception as the stage's failure. GIL held. */
static int failed(pystage *ps) {
    PyObject *exc = akt_py_take_exception();
    Py_XSETREF(ps->exc, exc);
    return AKT_EFAILED;
}

/* fn(value of in), a new reference; NULL with the exception pending. GIL held. */
static PyObject *call_on(pystage *ps, akt_msg *in) {
    PyObject *v = akt_py_msg_value(ps->sys, in);
    PyObject *r = v ? PyObject_CallOneArg(ps->fn, v) : NULL;
    Py_XDECREF(v);
    return r;
}

static int py_map(akt_msg *in, akt_msg **out, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    PyObject *r = call_on(ps, in);
    if (!r || akt_py_msg_new(ps->sys, r, NULL, out)) rc = failed(ps);
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

static int py_filter(akt_msg *in, int *keep, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    PyObject *r = call_on(ps, in);
    int t = r ? PyObject_IsTrue(r) : -1;
    if (t < 0)
        rc = failed(ps);
    else
        *keep = t;
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

static int py_flat_map(akt_msg *in, akt_stream_emit_fn emit, void *ectx, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    PyObject *r = call_on(ps, in);
    PyObject *it = r ? PyObject_GetIter(r) : NULL;
    if (!it) {
        rc = failed(ps);
    } else {
        PyObject *x;
        while (rc == 0 && (x = PyIter_Next(it)) != NULL) {
            akt_msg *m;
            if (akt_py_msg_new(ps->sys, x, NULL, &m))
                rc = failed(ps);
            else
                rc = emit(ectx, m);
            Py_DECREF(x);
        }
        if (rc == 0 && PyErr_Occurred()) rc = failed(ps);
        Py_DECREF(it);
    }
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

static int py_fold(akt_msg *acc, akt_msg *in, akt_msg **out, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    PyObject *a = akt_py_msg_value(ps->sys, acc);
    PyObject *v = a ? akt_py_msg_value(ps->sys, in) : NULL;
    PyObject *r = v ? PyObject_CallFunctionObjArgs(ps->fn, a, v, NULL) : NULL;
    if (!r || akt_py_msg_new(ps->sys, r, NULL, out)) rc = failed(ps);
    Py_XDECREF(a);
    Py_XDECREF(v);
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

static int py_each(akt_msg *in, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    PyObject *r = call_on(ps, in);
    if (!r) rc = failed(ps);
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

/* fn() gives the next element; StopIteration ends the stream. */
static int py_unfold(void *data, akt_msg **out) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    *out = NULL;
    PyObject *r = PyObject_CallNoArgs(ps->fn);
    if (!r) {
        if (PyErr_ExceptionMatches(PyExc_StopIteration))
            PyErr_Clear();
        else
            rc = failed(ps);
    } else if (akt_py_msg_new(ps->sys, r, NULL, out)) {
        rc = failed(ps);
    }
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

/* zip: fn(*values) gives the combined element. */
static int py_zip(akt_msg *const *in, size_t n, akt_msg **out, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    PyObject *args = PyTuple_New((Py_ssize_t)n);
    for (size_t k = 0; args && k < n; k++) {
        PyObject *v = akt_py_msg_value(ps->sys, in[k]);
        if (!v) {
            Py_CLEAR(args);
            break;
        }
        PyTuple_SET_ITEM(args, (Py_ssize_t)k, v);
    }
    PyObject *r = args ? PyObject_Call(ps->fn, args, NULL) : NULL;
    if (!r || akt_py_msg_new(ps->sys, r, NULL, out)) rc = failed(ps);
    Py_XDECREF(args);
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

/* partition: fn(value) gives the branch's index (an int; out of range fails the stream). */
static int py_partition(akt_msg *in, size_t *branch, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    PyObject *r = call_on(ps, in);
    Py_ssize_t k = r ? PyNumber_AsSsize_t(r, PyExc_OverflowError) : -1;
    if (k == -1 && PyErr_Occurred())
        rc = failed(ps);
    else
        *branch = k < 0 ? SIZE_MAX : (size_t)k;
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

static akt_stream_graph *build_graph(akt_py_system *sys, PyObject *stages, Py_ssize_t window,
                                     int fusion, int branch, PyObject *keep);

/* flat_map_merge: fn(value) gives the inner source's plan (stages, window, fusion) (the
 * Python layer wraps the user's function, which gives a Source); its graph is built here
 * and akt takes it. */
static int py_flat_merge(akt_msg *in, akt_stream_graph **out, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    PyObject *r = call_on(ps, in);
    PyObject *stages;
    Py_ssize_t window;
    int fusion;
    if (!r || !PyArg_ParseTuple(r, "O!np", &PyList_Type, &stages, &window, &fusion) ||
        !(*out = build_graph(ps->sys, stages, window, fusion, 0, NULL)))
        rc = failed(ps);
    Py_XDECREF(r);
    akt_py_leave(e);
    return rc;
}

/* ---- map_async: a pending call as a Python object ---------------------------------- */

/* What fn(x, done) gets as done: done._complete(value) or done._fail(exception), once. Lost
 * without either (garbage-collected), it fails the element, so the stream never stalls. */
typedef struct {
    PyObject_HEAD akt_stream_async *pending; /* NULL once completed */
    pystage *ps;                             /* a reference */
} py_pending;

static PyTypeObject py_pending_type;

static void pending_finish(py_pending *self, int rc, akt_msg *out) {
    akt_stream_async *p = self->pending;
    self->pending = NULL;
    if (!p) {
        if (out) akt_msg_release(out);
        return;
    }
    Py_BEGIN_ALLOW_THREADS /* it takes the stream's lock: never with the GIL held */
    akt_stream_async_complete(p, rc, out);
    Py_END_ALLOW_THREADS
}

static PyObject *pending_complete(py_pending *self, PyObject *value) {
    if (!self->pending) {
        PyErr_SetString(PyExc_RuntimeError, "this map_async element was already completed");
        return NULL;
    }
    akt_msg *out = NULL;
    if (akt_py_msg_new(self->ps->sys, value, NULL, &out)) {
        failed(self->ps);
        pending_finish(self, AKT_EFAILED, NULL);
        Py_RETURN_NONE;
    }
    pending_finish(self, 0, out);
    Py_RETURN_NONE;
}

static PyObject *pending_fail(py_pending *self, PyObject *exc) {
    if (!self->pending) {
        PyErr_SetString(PyExc_RuntimeError, "this map_async element was already completed");
        return NULL;
    }
    Py_INCREF(exc);
    Py_XSETREF(self->ps->exc, exc);
    pending_finish(self, AKT_EFAILED, NULL);
    Py_RETURN_NONE;
}

static void pending_dealloc(py_pending *self) {
    if (self->pending) {
        PyObject *exc = PyObject_CallFunction(PyExc_RuntimeError, "s",
                                              "a map_async element was never completed");
        if (exc) Py_XSETREF(self->ps->exc, exc);
        PyErr_Clear();
        pending_finish(self, AKT_EFAILED, NULL);
    }
    ps_release(self->ps);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef pending_methods[] = {
    {"_complete", (PyCFunction)pending_complete, METH_O, "the element's result"},
    {"_fail", (PyCFunction)pending_fail, METH_O, "the element failed with an exception"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject py_pending_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "akt._stream.Pending",
    .tp_basicsize = sizeof(py_pending),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)pending_dealloc,
    .tp_methods = pending_methods,
};

/* fn(value, done): starts the work; done completes it later (any thread). */
static int py_async(akt_msg *in, akt_stream_async *pending, void *data) {
    pystage *ps = data;
    int e = akt_py_enter();
    if (e < 0) return AKT_ECLOSED;
    int rc = 0;
    py_pending *d = PyObject_New(py_pending, &py_pending_type);
    if (!d) {
        rc = failed(ps);
        akt_py_leave(e);
        return rc;
    }
    d->pending = NULL;
    d->ps = ps;
    ps_retain(ps);
    PyObject *v = akt_py_msg_value(ps->sys, in);
    if (!v) {
        rc = failed(ps);
        Py_DECREF(d);
        akt_py_leave(e);
        return rc;
    }
    d->pending = pending;
    PyObject *r = PyObject_CallFunctionObjArgs(ps->fn, v, (PyObject *)d, NULL);
    if (!r && d->pending) {
        rc = failed(ps);
        d->pending = NULL; /* not taken: akt keeps it (the contract of a failed call) */
    } else if (!r) {
        PyErr_Clear(); /* it completed before it raised: the completion stands */
    }
    Py_XDECREF(r);
    Py_DECREF(v);
    Py_DECREF(d);
    akt_py_leave(e);
    return rc;
}

/* ---- the Stream object ------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD akt_stream *stream;
    akt_py_system *sys; /* strong */
    PyObject *stages;   /* list of capsules of the pystage records (for their exceptions) */
} py_stream;

static PyTypeObject py_stream_type;

static void stream_dealloc(py_stream *self) {
    if (self->stream) akt_stream_release(self->stream);
    Py_XDECREF(self->stages);
    Py_XDECREF(self->sys);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int live(py_stream *self) {
    if (self->stream) return 0;
    PyErr_SetString(PyExc_RuntimeError, "the stream was released");
    return -1;
}

/* _wait(timeout_s or None) -> code (0, or how it ended; AKT_ETIMEDOUT while running) */
static PyObject *stream_wait(py_stream *self, PyObject *timeout) {
    if (live(self)) return NULL;
    int64_t ns = -1;
    if (timeout != Py_None) {
        double t = PyFloat_AsDouble(timeout);
        if (t == -1.0 && PyErr_Occurred()) return NULL;
        ns = t <= 0 ? 0 : t > 9e9 ? -1 : (int64_t)(t * 1e9);
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_stream_wait(self->stream, ns);
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(rc);
}

static PyObject *stream_cancel(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    int rc = akt_stream_cancel(self->stream);
    if (rc) return akt_py_raise(rc, "cancel");
    Py_RETURN_NONE;
}

static PyObject *stream_drain(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    int rc = akt_stream_drain(self->stream);
    if (rc) return akt_py_raise(rc, "drain");
    Py_RETURN_NONE;
}

static PyObject *stream_reason(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    const char *why = "";
    akt_stream_reason(self->stream, &why);
    return PyUnicode_FromString(why);
}

/* _results() -> list of values (the stream has ended) */
static PyObject *stream_results(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    size_t n = 0;
    int rc = akt_stream_result_count(self->stream, &n);
    if (rc) return akt_py_raise(rc, "results");
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (!list) return NULL;
    for (size_t i = 0; i < n; i++) {
        akt_msg *m = NULL;
        akt_stream_result_at(self->stream, i, &m);
        PyObject *v = akt_py_msg_value(self->sys, m);
        if (!v) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    return list;
}

/* _metrics() -> list of (name, in, out, drops, errors, actor) */
static PyObject *stream_metrics(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    size_t n = 0;
    akt_stream_stage_count(self->stream, &n);
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (!list) return NULL;
    for (size_t i = 0; i < n; i++) {
        akt_stream_stage_metrics m = {.size = sizeof m};
        akt_stream_metrics(self->stream, i, &m);
        PyObject *t = Py_BuildValue("(sKKKKI)", m.name, (unsigned long long)m.in,
                                    (unsigned long long)m.out, (unsigned long long)m.drops,
                                    (unsigned long long)m.errors, (unsigned)m.actor);
        if (!t) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, t);
    }
    return list;
}

/* _branches() -> [(first, n)] per branch of a fan-out sink, or None */
static PyObject *stream_branches(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    PyObject *list = PyList_New(0);
    if (!list) return NULL;
    for (size_t k = 0;; k++) {
        size_t first = 0, n = 0;
        int rc = akt_stream_branch_results(self->stream, k, &first, &n);
        if (rc == AKT_EINVAL) break;
        if (rc) {
            Py_DECREF(list);
            return akt_py_raise(rc, "results");
        }
        PyObject *t = Py_BuildValue("(nn)", (Py_ssize_t)first, (Py_ssize_t)n);
        if (!t || PyList_Append(list, t)) {
            Py_XDECREF(t);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(t);
    }
    return list;
}

static PyObject *stream_actors(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    size_t n = 0;
    akt_stream_actor_count(self->stream, &n);
    return PyLong_FromSize_t(n);
}

/* _exception(stage) -> the last exception stage's callable raised, or None */
static PyObject *stream_exception(py_stream *self, PyObject *index) {
    Py_ssize_t i = PyLong_AsSsize_t(index);
    if (i == -1 && PyErr_Occurred()) return NULL;
    if (i < 0 || i >= PyList_GET_SIZE(self->stages)) Py_RETURN_NONE;
    PyObject *cap = PyList_GET_ITEM(self->stages, i);
    if (PyTuple_Check(cap)) cap = PyTuple_GET_ITEM(cap, 0); /* a junction's function */
    if (!PyCapsule_CheckExact(cap)) Py_RETURN_NONE;
    pystage *ps = PyCapsule_GetPointer(cap, "akt.pystage");
    if (!ps) return NULL;
    PyObject *exc = ps->exc ? ps->exc : Py_None;
    Py_INCREF(exc);
    return exc;
}

/* _keep() -> the stages' entries: a record's capsule, None, or for a junction
 * (capsule or None, [the sub-graphs' entry lists]) */
static PyObject *stream_keep(py_stream *self, PyObject *unused) {
    Py_INCREF(self->stages);
    return self->stages;
}

static PyObject *stream_release(py_stream *self, PyObject *unused) {
    if (self->stream) akt_stream_release(self->stream);
    self->stream = NULL;
    Py_RETURN_NONE;
}

/* _offer(value) -> 0 accepted, AKT_EFULL refused; raises when the queue is closed */
static PyObject *stream_offer(py_stream *self, PyObject *value) {
    if (live(self)) return NULL;
    akt_msg *m = NULL;
    if (akt_py_msg_new(self->sys, value, NULL, &m)) return NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_stream_offer(self->stream, m);
    Py_END_ALLOW_THREADS
    if (rc == AKT_EFULL) {
        akt_msg_release(m);
        return PyLong_FromLong(rc);
    }
    if (rc) {
        akt_msg_release(m);
        return akt_py_raise(rc, "offer");
    }
    return PyLong_FromLong(0);
}

/* The callable a room wait calls with the code (0: room, AKT_ESTOPPED: closed), then drops. */
static void room_called(akt_stream *s, int rc, void *data) {
    (void)s;
    PyObject *fn = data;
    int e = akt_py_enter();
    if (e < 0) return; /* the interpreter is gone; so is fn */
    PyObject *r = PyObject_CallFunction(fn, "i", rc);
    if (!r) PyErr_WriteUnraisable(fn);
    Py_XDECREF(r);
    Py_DECREF(fn);
    akt_py_leave(e);
}

/* _on_room(fn) -> None: fn(code) once there is room in the queue, or it closed. */
static PyObject *stream_on_room(py_stream *self, PyObject *fn) {
    if (live(self)) return NULL;
    if (!PyCallable_Check(fn)) {
        PyErr_SetString(PyExc_TypeError, "_on_room needs a callable");
        return NULL;
    }
    Py_INCREF(fn);
    int rc;
    Py_BEGIN_ALLOW_THREADS /* fn may be called at once, taking the GIL */
    rc = akt_stream_on_room(self->stream, room_called, fn);
    Py_END_ALLOW_THREADS
    if (rc) {
        Py_DECREF(fn);
        return akt_py_raise(rc, "offer");
    }
    Py_RETURN_NONE;
}

static PyObject *stream_queued(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    size_t n = 0;
    int rc = akt_stream_queued(self->stream, &n);
    if (rc) return akt_py_raise(rc, "queued");
    return PyLong_FromSize_t(n);
}

/* streamref begin: the pid and address of an actor source (Source.actor_ref) */
static PyObject *stream_source_pid(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    akt_pid p = {0};
    int rc = akt_stream_source_pid(self->stream, &p);
    if (rc) return akt_py_raise(rc, "source_pid");
    return akt_py_pid_new(self->sys, p.id);
}

static PyObject *stream_source_address(py_stream *self, PyObject *unused) {
    if (live(self)) return NULL;
    char buf[512];
    size_t n = 0;
    int rc = akt_stream_source_address(self->stream, buf, sizeof buf, &n);
    if (rc) return akt_py_raise(rc, "source_address");
    return PyUnicode_FromStringAndSize(buf, (Py_ssize_t)n);
}
/* streamref end */

static PyMethodDef stream_methods[] = {
    {"_wait", (PyCFunction)stream_wait, METH_O, "_wait(timeout) -> code (GIL released)"},
    {"_cancel", (PyCFunction)stream_cancel, METH_NOARGS, "abort"},
    {"_drain", (PyCFunction)stream_drain, METH_NOARGS, "stop the source, finish in-flight"},
    {"_reason", (PyCFunction)stream_reason, METH_NOARGS, "why it failed"},
    {"_results", (PyCFunction)stream_results, METH_NOARGS, "the sink's results"},
    {"_metrics", (PyCFunction)stream_metrics, METH_NOARGS, "per-stage metrics tuples"},
    {"_branches", (PyCFunction)stream_branches, METH_NOARGS, "a fan-out's result ranges"},
    {"_actors", (PyCFunction)stream_actors, METH_NOARGS, "how many actors run it"},
    {"_exception", (PyCFunction)stream_exception, METH_O, "a stage's last exception"},
    {"_keep", (PyCFunction)stream_keep, METH_NOARGS, "the stages' records (exceptions)"},
    {"_release", (PyCFunction)stream_release, METH_NOARGS, "release the handle (cancels)"},
    {"_offer", (PyCFunction)stream_offer, METH_O, "offer to a queue source: 0 or AKT_EFULL"},
    {"_queued", (PyCFunction)stream_queued, METH_NOARGS, "what a queue source holds"},
    {"_on_room", (PyCFunction)stream_on_room, METH_O, "fn(code) once a queue has room"},
    {"_source_pid", (PyCFunction)stream_source_pid, METH_NOARGS, "an actor source's pid"},
    {"_source_address", (PyCFunction)stream_source_address, METH_NOARGS,
     "an actor source's remote address"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject py_stream_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "akt._stream.StreamCore",
    .tp_basicsize = sizeof(py_stream),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_dealloc = (destructor)stream_dealloc,
    .tp_methods = stream_methods,
    .tp_new = NULL,
};

/* ---- building and running --------------------------------------------------------- */

static void capsule_free(PyObject *cap) {
    pystage *ps = PyCapsule_GetPointer(cap, "akt.pystage");
    if (ps)
        ps_release(ps);
    else
        PyErr_Clear();
}

/* A stage record for fn, with one reference for the caller and one for *keep. */
static pystage *pystage_new(akt_py_system *sys, PyObject *fn, PyObject **keep) {
    if (!PyCallable_Check(fn)) {
        PyErr_Format(PyExc_TypeError, "a stream stage needs a callable, not %.100s",
                     Py_TYPE(fn)->tp_name);
        return NULL;
    }
    pystage *ps = calloc(1, sizeof *ps);
    if (!ps) {
        PyErr_NoMemory();
        return NULL;
    }
    atomic_init(&ps->refs, 2);
    Py_INCREF(sys);
    ps->sys = sys;
    Py_INCREF(fn);
    ps->fn = fn;
    *keep = PyCapsule_New(ps, "akt.pystage", capsule_free);
    if (!*keep) {
        ps_release(ps);
        ps_release(ps);
        return NULL;
    }
    return ps;
}

static int msg_of(akt_py_system *sys, PyObject *v, akt_msg **out) {
    return akt_py_msg_new(sys, v, NULL, out);
}

static int check(int rc, const char *what) {
    if (rc == 0) return 0;
    akt_py_raise(rc, what);
    return -1;
}

static akt_stream_graph *build_graph(akt_py_system *sys, PyObject *stages, Py_ssize_t window,
                                     int fusion, int branch, PyObject *keep);

static int is_junction(const char *kind) {
    static const char *const k[] = {"merge", "concat", "zip", "broadcast", "balance", "partition"};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(kind, k[i]) == 0) return 1;
    return 0;
}

/* A junction: a = list of (stages, window, fusion), the inputs or branches; b = the zip or
 * partition callable (None for the others). */
static int add_junction(akt_py_system *sys, akt_stream_graph *g, const char *kind, PyObject *a,
                        PyObject *b, PyObject **keep) {
    int fan_out = kind[0] == 'b' || kind[0] == 'p';
    if (!PyList_Check(a) || PyList_GET_SIZE(a) == 0 || PyList_GET_SIZE(a) > 64) {
        PyErr_Format(PyExc_ValueError, "%s needs 1..64 %s", kind, fan_out ? "sinks" : "sources");
        return -1;
    }
    size_t n = (size_t)PyList_GET_SIZE(a);
    akt_stream_graph **subs = calloc(n, sizeof *subs);
    if (!subs) {
        PyErr_NoMemory();
        return -1;
    }
    /* The sub-graphs' stage records (for their exceptions), one list per sub-graph. */
    PyObject *sub_keeps = PyList_New(0);
    int rc = sub_keeps ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        PyObject *stages;
        Py_ssize_t window;
        int fusion;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(a, (Py_ssize_t)i), "O!np", &PyList_Type, &stages,
                              &window, &fusion)) {
            rc = -1;
            break;
        }
        PyObject *sub_keep = PyList_New(0);
        if (!sub_keep || PyList_Append(sub_keeps, sub_keep)) {
            Py_XDECREF(sub_keep);
            rc = -1;
            break;
        }
        /* Their stage records live through the graph's data hooks. */
        subs[i] = build_graph(sys, stages, window, fusion, fan_out, sub_keep);
        Py_DECREF(sub_keep);
        if (!subs[i]) rc = -1;
    }
    pystage *ps = NULL;
    if (rc == 0 && b != Py_None) {
        Py_DECREF(*keep);
        ps = pystage_new(sys, b, keep);
        if (!ps) {
            *keep = NULL;
            rc = -1;
        }
    }
    if (rc == 0) {
        int r;
        if (strcmp(kind, "merge") == 0)
            r = akt_stream_source_merge(g, subs, n);
        else if (strcmp(kind, "concat") == 0)
            r = akt_stream_source_concat(g, subs, n);
        else if (strcmp(kind, "zip") == 0)
            r = ps ? akt_stream_source_zip(g, subs, n, py_zip, ps) : AKT_EINVAL;
        else if (strcmp(kind, "broadcast") == 0)
            r = akt_stream_sink_broadcast(g, subs, n);
        else if (strcmp(kind, "balance") == 0)
            r = akt_stream_sink_balance(g, subs, n);
        else
            r = ps ? akt_stream_sink_partition(g, subs, n, py_partition, ps) : AKT_EINVAL;
        if (r && ps) ps_release(ps); /* the graph did not take it */
        rc = check(r, kind);
    } else if (ps) {
        ps_release(ps);
    }
    for (size_t i = 0; i < n; i++)
        if (subs[i]) akt_stream_graph_free(subs[i]);
    free(subs);
    /* The junction's entry: (its function's record or None, [the sub-graphs' entries]). */
    if (rc == 0 && *keep) {
        PyObject *t = PyTuple_Pack(2, *keep, sub_keeps);
        if (t) {
            Py_DECREF(*keep);
            *keep = t;
        } else {
            rc = -1;
        }
    }
    Py_XDECREF(sub_keeps);
    return rc;
}

/* Adds one stage tuple (kind, a, b) to g. */
static int add_stage(akt_py_system *sys, akt_stream_graph *g, const char *kind, PyObject *a,
                     PyObject *b, PyObject **keep) {
    *keep = Py_None;
    Py_INCREF(Py_None);
    if (strcmp(kind, "range") == 0) { /* a = (start, end), b = step */
        long long start = PyLong_AsLongLong(PyTuple_GetItem(a, 0));
        long long end = PyErr_Occurred() ? 0 : PyLong_AsLongLong(PyTuple_GetItem(a, 1));
        long long step = PyErr_Occurred() ? 0 : PyLong_AsLongLong(b);
        if (PyErr_Occurred()) return -1;
        return check(akt_stream_source_range(g, start, end, step), "Source.range");
    }
    if (strcmp(kind, "values") == 0) {
        PyObject *seq = PySequence_Fast(a, "Source.of needs a sequence");
        if (!seq) return -1;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
        akt_msg **v = calloc((size_t)n + 1, sizeof *v);
        int rc = v ? 0 : -1;
        if (!v) PyErr_NoMemory();
        Py_ssize_t made = 0;
        for (; rc == 0 && made < n; made++)
            if (msg_of(sys, PySequence_Fast_GET_ITEM(seq, made), &v[made])) rc = -1;
        if (rc == 0) rc = check(akt_stream_source_values(g, v, (size_t)n), "Source.of");
        for (Py_ssize_t i = 0; v && i < made; i++)
            if (v[i]) akt_msg_release(v[i]);
        free(v);
        Py_DECREF(seq);
        return rc;
    }
    if (strcmp(kind, "tick") == 0) { /* a = (delay_ns, interval_ns), b = the tick value */
        long long delay = PyLong_AsLongLong(PyTuple_GetItem(a, 0));
        long long every = PyErr_Occurred() ? 0 : PyLong_AsLongLong(PyTuple_GetItem(a, 1));
        if (PyErr_Occurred()) return -1;
        akt_msg *tick;
        if (msg_of(sys, b, &tick)) return -1;
        int rc = check(akt_stream_source_tick(g, delay, every, tick), "Source.tick");
        akt_msg_release(tick);
        return rc;
    }
    if (strcmp(kind, "dedup") == 0) return check(akt_stream_dedup(g), "dedup");
    if (strcmp(kind, "buffer") == 0) {
        Py_ssize_t n = PyLong_AsSsize_t(a);
        long ov = PyLong_AsLong(b);
        if (PyErr_Occurred()) return -1;
        if (n <= 0) {
            PyErr_SetString(PyExc_ValueError, "buffer size must be positive");
            return -1;
        }
        return check(akt_stream_buffer(g, (size_t)n, (int)ov), "buffer");
    }
    if (strcmp(kind, "throttle") == 0) { /* a = n, b = interval in ns */
        unsigned long n = PyLong_AsUnsignedLong(a);
        long long per = PyErr_Occurred() ? 0 : PyLong_AsLongLong(b);
        if (PyErr_Occurred()) return -1;
        if (n == 0 || n > UINT32_MAX) {
            PyErr_SetString(PyExc_ValueError, "throttle needs 1..2**32-1 elements per interval");
            return -1;
        }
        return check(akt_stream_throttle(g, (uint32_t)n, per), "throttle");
    }
    if (strcmp(kind, "queue") == 0) { /* a = capacity */
        Py_ssize_t n = PyLong_AsSsize_t(a);
        if (PyErr_Occurred()) return -1;
        if (n <= 0) {
            PyErr_SetString(PyExc_ValueError, "queue capacity must be positive");
            return -1;
        }
        return check(akt_stream_source_queue(g, (size_t)n), "Source.queue");
    }
    if (strcmp(kind, "actor_ref") == 0) { /* a = capacity */
        Py_ssize_t n = PyLong_AsSsize_t(a);
        if (PyErr_Occurred()) return -1;
        if (n <= 0 || n > 65536) {
            PyErr_SetString(PyExc_ValueError, "actor_ref capacity must be 1..65536");
            return -1;
        }
        return check(akt_stream_source_actor(g, (size_t)n), "Source.actor_ref");
    }
    if (strcmp(kind, "actor") == 0) { /* a = the target pid, b = (in_flight, on_complete) */
        akt_pid target;
        if (akt_py_pid_arg(sys, a, &target)) return -1;
        Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GetItem(b, 0));
        if (PyErr_Occurred()) return -1;
        if (n <= 0) {
            PyErr_SetString(PyExc_ValueError, "in_flight must be positive");
            return -1;
        }
        PyObject *done = PyTuple_GetItem(b, 1);
        akt_msg *dm = NULL;
        if (done != Py_None && msg_of(sys, done, &dm)) return -1;
        int rc = check(akt_stream_sink_actor(g, target, (size_t)n, dm), "Sink.actor");
        if (dm) akt_msg_release(dm);
        return rc;
    }
    if (strcmp(kind, "collect") == 0) return check(akt_stream_sink_collect(g), "Sink.collect");
    if (strcmp(kind, "first") == 0) return check(akt_stream_sink_first(g), "Sink.first");
    if (strcmp(kind, "ignore") == 0) return check(akt_stream_sink_ignore(g), "Sink.ignore");

    if (is_junction(kind)) return add_junction(sys, g, kind, a, b, keep);
    if (strcmp(kind, "batch") == 0) { /* a = the callable, b = (n, max_wait_ns) */
        Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GetItem(b, 0));
        long long wait = PyErr_Occurred() ? 0 : PyLong_AsLongLong(PyTuple_GetItem(b, 1));
        if (PyErr_Occurred()) return -1;
        if (n <= 0) {
            PyErr_SetString(PyExc_ValueError, "batch size must be positive");
            return -1;
        }
        Py_DECREF(*keep);
        pystage *ps = pystage_new(sys, a, keep);
        if (!ps) {
            *keep = NULL;
            return -1;
        }
        int rc = akt_stream_batch(g, (size_t)n, wait, py_zip, ps);
        if (rc) ps_release(ps);
        return check(rc, "batch");
    }

    /* The rest take a callable (b for the seeded ones, a otherwise). */
    int seeded = strcmp(kind, "scan") == 0 || strcmp(kind, "fold") == 0;
    Py_DECREF(Py_None);
    pystage *ps = pystage_new(sys, seeded ? b : a, keep);
    if (!ps) {
        *keep = NULL;
        return -1;
    }
    int rc;
    if (seeded) {
        akt_msg *seed;
        if (msg_of(sys, a, &seed)) {
            ps_release(ps);
            return -1;
        }
        rc = strcmp(kind, "scan") == 0 ? akt_stream_scan(g, seed, py_fold, ps)
                                       : akt_stream_sink_fold(g, seed, py_fold, ps);
        akt_msg_release(seed);
    } else if (strcmp(kind, "map") == 0) {
        rc = akt_stream_map(g, py_map, ps);
    } else if (strcmp(kind, "filter") == 0) {
        rc = akt_stream_filter(g, py_filter, ps);
    } else if (strcmp(kind, "flat_map") == 0) {
        rc = akt_stream_flat_map(g, py_flat_map, ps);
    } else if (strcmp(kind, "flat_map_merge") == 0) { /* b = breadth */
        Py_ssize_t n = PyLong_AsSsize_t(b);
        if (PyErr_Occurred()) {
            ps_release(ps);
            return -1;
        }
        if (n <= 0 || n > 4096) {
            ps_release(ps);
            PyErr_SetString(PyExc_ValueError, "breadth must be 1..4096");
            return -1;
        }
        rc = akt_stream_flat_map_merge(g, (size_t)n, py_flat_merge, ps);
    } else if (strcmp(kind, "map_async") == 0) { /* b = (parallelism, ordered) */
        Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GetItem(b, 0));
        int ordered = PyErr_Occurred() ? 0 : PyObject_IsTrue(PyTuple_GetItem(b, 1));
        if (PyErr_Occurred()) {
            ps_release(ps);
            return -1;
        }
        if (n <= 0) {
            ps_release(ps);
            PyErr_SetString(PyExc_ValueError, "parallelism must be positive");
            return -1;
        }
        rc = akt_stream_map_async(g, (size_t)n, ordered, py_async, ps);
    } else if (strcmp(kind, "for_each") == 0) {
        rc = akt_stream_sink_for_each(g, py_each, ps);
    } else if (strcmp(kind, "unfold") == 0) {
        rc = akt_stream_source_unfold(g, py_unfold, ps);
    } else {
        ps_release(ps);
        PyErr_Format(PyExc_ValueError, "unknown stream stage %s", kind);
        return -1;
    }
    if (rc) ps_release(ps); /* the graph did not take it */
    return check(rc, kind);
}

/* The end of a stream: its Stream object lets go of the reference that kept it alive while
 * it ran (any thread, GIL or not). */
static void stream_ended(akt_stream *s, int rc, void *data) {
    (void)s;
    (void)rc;
    akt_py_decref_later(data);
}

/* A graph of stages: a list of (kind, a, b, name or None, on_error, retries); a branch graph
 * (no source) if branch. keep (if not NULL) gets one entry per stage: its record's capsule
 * or None. NULL with an exception set on failure. */
static akt_stream_graph *build_graph(akt_py_system *sys, PyObject *stages, Py_ssize_t window,
                                     int fusion, int branch, PyObject *keep) {
    akt_stream_graph *g = NULL;
    if (check(branch ? akt_stream_graph_new_branch(&g) : akt_stream_graph_new(&g), "stream graph"))
        return NULL;
    int rc = 0;
    if (window <= 0) {
        PyErr_SetString(PyExc_ValueError, "window must be positive");
        rc = -1;
    }
    if (rc == 0) rc = check(akt_stream_graph_set_buffer(g, (size_t)window), "window");
    if (rc == 0) rc = check(akt_stream_graph_set_fusion(g, fusion), "fusion");
    if (rc == 0) rc = check(akt_stream_graph_set_data_hooks(g, ps_retain, ps_release), "hooks");
    for (Py_ssize_t i = 0; rc == 0 && i < PyList_GET_SIZE(stages); i++) {
        const char *kind, *name;
        PyObject *a, *b;
        int on_error;
        unsigned retries;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(stages, i), "sOOziI", &kind, &a, &b, &name, &on_error,
                              &retries)) {
            rc = -1;
            break;
        }
        PyObject *k = NULL;
        rc = add_stage(sys, g, kind, a, b, &k);
        if (k) {
            if (keep && PyList_Append(keep, k)) rc = -1;
            Py_DECREF(k);
        }
        if (rc == 0 && name) rc = check(akt_stream_stage_name(g, name), "named");
        if (rc == 0 && (on_error || retries))
            rc = check(akt_stream_stage_on_error(g, on_error, retries), "on_error");
    }
    if (rc) {
        akt_stream_graph_free(g);
        return NULL;
    }
    return g;
}

/* run(system, stages, window, fusion) -> StreamCore. stages: list of
 * (kind, a, b, name or None, on_error, retries); a junction's a is a list of
 * (stages, window, fusion), its inputs or branches. */
static PyObject *stream_run(PyObject *mod, PyObject *args) {
    PyObject *sysobj, *stages;
    Py_ssize_t window;
    int fusion;
    if (!PyArg_ParseTuple(args, "OO!np:run", &sysobj, &PyList_Type, &stages, &window, &fusion))
        return NULL;
    if (!PyObject_TypeCheck(sysobj, &akt_py_system_type)) {
        PyErr_SetString(PyExc_TypeError, "run_with needs an akt.ActorSystem");
        return NULL;
    }
    akt_py_system *sys = (akt_py_system *)sysobj;
    if (!sys->sys) return akt_py_raise(AKT_ECLOSED, "run_with");
    PyObject *keep = PyList_New(0);
    if (!keep) return NULL;
    akt_stream_graph *g = build_graph(sys, stages, window, fusion, 0, keep);
    py_stream *st = NULL;
    if (g) {
        akt_stream *s = NULL;
        if (check(akt_stream_run(sys->sys, g, &s), "run_with") == 0) {
            st = PyObject_New(py_stream, &py_stream_type);
            if (!st) {
                akt_stream_release(s);
            } else {
                st->stream = s;
                Py_INCREF(sys);
                st->sys = sys;
                st->stages = keep;
                keep = NULL;
                /* A stream runs until it ends, whether or not its handle is kept. */
                Py_INCREF(st);
                if (akt_stream_on_complete(s, stream_ended, st) != 0) Py_DECREF(st);
            }
        }
        akt_stream_graph_free(g);
    }
    Py_XDECREF(keep);
    return (PyObject *)st;
}

/* exception_of(entry) -> the last exception of a stage record's callable, or None */
static PyObject *exception_of(PyObject *mod, PyObject *cap) {
    if (PyTuple_Check(cap)) cap = PyTuple_GET_ITEM(cap, 0);
    if (!PyCapsule_CheckExact(cap)) Py_RETURN_NONE;
    pystage *ps = PyCapsule_GetPointer(cap, "akt.pystage");
    if (!ps) return NULL;
    PyObject *exc = ps->exc ? ps->exc : Py_None;
    Py_INCREF(exc);
    return exc;
}

static PyMethodDef stream_functions[] = {
    {"exception_of", exception_of, METH_O, "exception_of(entry) -> a stage's last exception"},
    {"run", stream_run, METH_VARARGS, "run(system, stages, window, fusion) -> StreamCore"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef stream_module = {
    PyModuleDef_HEAD_INIT,
    "akt._stream",
    "The C half of akt.stream.",
    -1,
    stream_functions,
    NULL,
    NULL,
    NULL,
    NULL,
};

int akt_py_stream_install(PyObject *modules) {
    if (PyType_Ready(&py_stream_type) < 0) return -1;
    if (PyType_Ready(&py_pending_type) < 0) return -1;
    PyObject *m = PyModule_Create(&stream_module);
    if (!m) return -1;
    Py_INCREF(&py_stream_type);
    if (PyModule_AddObject(m, "StreamCore", (PyObject *)&py_stream_type) < 0) {
        Py_DECREF(&py_stream_type);
        Py_DECREF(m);
        return -1;
    }
    int rc = PyDict_SetItemString(modules, "akt._stream", m);
    Py_DECREF(m);
    return rc;
}
