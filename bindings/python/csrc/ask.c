/* ask.c -- akt futures as asyncio futures, and blocking waits.
 *
 * An asked answer completes on whichever thread replies. When that thread holds the GIL
 * (a Python actor answering) the future is settled at once: directly on the thread of the
 * asker's loop, through loop.call_soon_threadsafe from any other; otherwise the completion
 * is queued for the system's service, so akt's threads never wait for the GIL. Which
 * thread owns an asyncio future is known from the ask itself (it needs the running loop of
 * the asking thread), so no loop is looked up per answer. */
#include "fastpath.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void item_free(akt_py_qitem *it) {
    if (it->reply) akt_msg_release(it->reply);
    if (it->detail) akt_msg_release(it->detail);
    free(it->reason);
    Py_XDECREF(it->future);
    Py_XDECREF((PyObject *)it->owner);
    Py_XDECREF(it->asked);
    free(it);
}

void akt_py_ask_discard(akt_py_qitem *it) { item_free(it); }

int akt_py_settle(PyObject *fut, int ok, PyObject *value) {
    PyObject *done = PyObject_CallMethodNoArgs(fut, akt_py.str_done);
    if (!done) return -1;
    int is_done = PyObject_IsTrue(done);
    Py_DECREF(done);
    if (is_done) return is_done < 0 ? -1 : 0;
    PyObject *r = PyObject_CallMethodOneArg(
        fut, ok ? akt_py.str_set_result : akt_py.str_set_exception, value);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

int akt_py_resolve(PyObject *fut, unsigned long thread, int ok, PyObject *value) {
    if (!thread) return akt_py_settle(fut, ok, value);
    int bad;
    if (thread == PyThread_get_thread_ident()) {
        bad = akt_py_settle(fut, ok, value);
    } else {
        PyObject *loop = PyObject_CallMethodNoArgs(fut, akt_py.str_get_loop);
        if (!loop) return -1;
        PyObject *args[5] = {loop, akt_py.settle_fn, fut, ok ? Py_True : Py_False, value};
        PyObject *r = PyObject_VectorcallMethod(akt_py.str_call_soon_threadsafe, args, 5, NULL);
        Py_DECREF(loop);
        Py_XDECREF(r);
        bad = !r;
    }
    if (bad && PyErr_ExceptionMatches(PyExc_RuntimeError)) {
        PyErr_Clear(); /* the loop is closed: nobody waits any more */
        bad = 0;
    }
    return bad ? -1 : 0;
}

/* The exception of a failed ask: error_for's, with the receiver's reason (its `reason`
 * attribute and the end of its message) and, when the receiver was a Python actor of this
 * process, its original exception as __cause__. */
static PyObject *ask_error(akt_py_system *s, int rc, const char *reason, akt_msg *detail,
                           PyObject *asked) {
    PyObject *exc = NULL;
    /* "ask of <path> with <type>": whom it asked and what, from describe_ask. */
    PyObject *what = asked && akt_py.describe_ask ? PyObject_Call(akt_py.describe_ask, asked, NULL)
                                                  : NULL;
    const char *w = what && PyUnicode_Check(what) ? PyUnicode_AsUTF8(what) : NULL;
    if (!w) PyErr_Clear(); /* without it, the plain "ask" */
    exc = akt_py_error(rc, w ? w : "ask");
    Py_XDECREF(what);
    if (!exc || !reason) return exc;
    PyObject *text = PyUnicode_DecodeUTF8(reason, (Py_ssize_t)strlen(reason), "replace");
    PyObject *message = text ? PyUnicode_FromFormat("%S: %U", exc, text) : NULL;
    PyObject *args = message ? PyTuple_Pack(1, message) : NULL;
    Py_XDECREF(message);
    if (!args || PyObject_SetAttrString(exc, "args", args) < 0 ||
        PyObject_SetAttrString(exc, "reason", text) < 0) {
        Py_XDECREF(args);
        Py_XDECREF(text);
        Py_DECREF(exc);
        return NULL;
    }
    Py_DECREF(args);
    Py_DECREF(text);
    PyObject *cause = detail ? akt_py_msg_object(s, detail) : NULL;
    if (cause && PyExceptionInstance_Check(cause)) {
        Py_INCREF((PyObject *)cause);
        PyException_SetCause(exc, (PyObject *)cause); /* steals; sets __suppress_context__ */
    }
    return exc;
}

/* Takes what the receiver of a failed ask said (any thread, no GIL needed). */
static void take_failure(akt_future *f, char **reason, akt_msg **detail) {
    const char *r = NULL;
    if (akt_future_failure(f, &r, detail) != 0) *detail = NULL;
    *reason = r ? strdup(r) : NULL; /* without memory: the error without its reason */
}

/* The answer of a completed future f (rc, and reply on 0, taken): its value, or NULL with
 * the ask's exception raised. */
static PyObject *future_outcome(akt_py_system *s, akt_future *f, int rc, akt_msg *reply,
                                PyObject *asked) {
    if (rc) {
        char *reason = NULL;
        akt_msg *detail = NULL;
        take_failure(f, &reason, &detail);
        PyObject *exc = ask_error(s, rc, reason, detail, asked);
        free(reason);
        if (detail) akt_msg_release(detail);
        if (exc) {
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
            Py_DECREF(exc);
        }
        return NULL;
    }
    PyObject *value = reply ? akt_py_msg_value(s, reply) : (Py_INCREF(Py_None), Py_None);
    if (reply) akt_msg_release(reply);
    return value;
}

void akt_py_ask_settle(akt_py_system *s, akt_py_qitem *it) {
    PyObject *value;
    int ok = it->rc == 0;
    if (ok) {
        value = it->reply ? akt_py_msg_value(s, it->reply) : (Py_INCREF(Py_None), Py_None);
    } else {
        value = ask_error(s, it->rc, it->reason, it->detail, it->asked);
    }
    if (!value) {
        /* The answer could not be read: the asker gets that error. */
        ok = 0;
        value = akt_py_take_exception();
    }
    if (value) {
        if (akt_py_resolve(it->future, it->thread, ok, value)) PyErr_WriteUnraisable(it->future);
        Py_DECREF(value);
    } else {
        PyErr_Clear();
    }
    item_free(it);
}

static void ask_done(akt_future *f, int rc, akt_msg *reply, void *data) {
    akt_py_qitem *it = data;
    it->rc = rc;
    if (rc == 0 && reply && akt_msg_retain(reply) == 0) it->reply = reply;
    if (rc != 0) take_failure(f, &it->reason, &it->detail);
    if (PyGILState_Check() && atomic_load_explicit(&akt_py_alive, memory_order_acquire)) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb); /* settling must not eat the caller's error */
        akt_py_ask_settle(it->owner, it);
        PyErr_Restore(type, value, tb);
    } else {
        akt_py_system_push(it->owner, it);
    }
}

/* Settles fut (owned by thread's loop, or thread-safe for 0) with the answer of f. Does
 * not take f. Returns 0, or -1 with an exception set. */
static int ask_register(akt_py_system *s, akt_future *f, PyObject *fut, unsigned long thread,
                        PyObject *asked) {
    akt_py_qitem *it = calloc(1, sizeof *it);
    if (!it) {
        PyErr_NoMemory();
        return -1;
    }
    it->owner = s;
    it->future = fut;
    it->thread = thread;
    it->asked = asked;
    Py_XINCREF(asked);
    Py_INCREF(s);
    Py_INCREF(fut);
    int rc = akt_future_on_complete(f, ask_done, it); /* may settle at once, here */
    if (rc) {
        item_free(it);
        akt_py_raise(rc, "akt_future_on_complete");
        return -1;
    }
    return 0;
}

PyObject *akt_py_ask_async(akt_py_system *s, akt_future *f, PyObject *loop, PyObject *asked) {
    PyObject *fut = PyObject_CallMethodNoArgs(loop, akt_py.str_create_future);
    if (fut && ask_register(s, f, fut, PyThread_get_thread_ident(), asked)) Py_CLEAR(fut);
    akt_future_release(f); /* a pending ask keeps its own reference */
    return fut;
}

/* ------------------------------------------------------------------ AskHandle */

/* Owns the caller's reference to an akt_future so that it can be cancelled later (the
 * future an ask_future() returns holds one). */
typedef struct {
    PyObject_HEAD akt_future *future;
    akt_py_system *system; /* strong: reads the reply in wait() */
    PyObject *fut;         /* strong: the thread-safe future wait() settles */
    PyObject *asked;       /* strong or NULL: (pid, msg, type), for a failure's text */
} ask_handle;

/* wait(timeout=None) -> bool: waits for the answer itself, without the GIL, and settles the
 * future with it; False if the timeout (seconds) ran out first. The completion callback
 * alone would settle it through the system's service, which never runs when the waiter is
 * the thread running it (a Python actor calling ask_future(...).result() in receive). */
static PyObject *handle_wait(ask_handle *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs > 1) {
        PyErr_SetString(PyExc_TypeError, "wait() takes an optional timeout");
        return NULL;
    }
    if (!self->future) return PyErr_Format(PyExc_RuntimeError, "the ask handle was released");
    int64_t deadline = -1;
    if (nargs == 1 && args[0] != Py_None) {
        double t = PyFloat_AsDouble(args[0]);
        if (t == -1.0 && PyErr_Occurred()) return NULL;
        if (!(t >= 0) || t > 1e9) return PyErr_Format(PyExc_ValueError, "bad timeout %R", args[0]);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        deadline = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec + (int64_t)(t * 1e9);
    }
    akt_msg *reply = NULL;
    int rc;
    for (;;) {
        int64_t slice = AKT_PY_WAIT_SLICE_NS;
        if (deadline >= 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t left = deadline - ((int64_t)now.tv_sec * 1000000000LL + now.tv_nsec);
            if (left <= 0) left = 0;
            if (left < slice) slice = left;
        }
        Py_BEGIN_ALLOW_THREADS
        rc = akt_future_wait(self->future, slice, &reply);
        Py_END_ALLOW_THREADS
        if (rc != AKT_EAGAIN) break;
        if (slice < AKT_PY_WAIT_SLICE_NS) Py_RETURN_FALSE;
        if (PyErr_CheckSignals() < 0) return NULL;
    }
    if (rc == AKT_EDEADLK)
        return akt_py_raise(rc, "ask_future(...).result() inside receive waits for an actor "
                                "that only this thread runs (use ctx.ask(...) with "
                                "ctx.pipe_to(...), or await pid.ask() in async code)");
    PyObject *value = future_outcome(self->system, self->future, rc, reply, self->asked);
    int ok = value != NULL && rc == 0;
    if (!value) value = akt_py_take_exception();
    if (!value) return NULL;
    int bad = akt_py_settle(self->fut, ok, value);
    Py_DECREF(value);
    if (bad) {
        /* The completion callback settled it in between: its answer is the same one. */
        PyObject *done = PyObject_CallMethodNoArgs(self->fut, akt_py.str_done);
        int is_done = done ? PyObject_IsTrue(done) : -1;
        Py_XDECREF(done);
        if (is_done != 1) return NULL;
        PyErr_Clear();
    }
    Py_RETURN_TRUE;
}

static PyObject *handle_cancel(ask_handle *self, PyObject *unused) {
    int rc = self->future ? akt_future_cancel(self->future) : AKT_EMISUSE;
    return PyBool_FromLong(rc == 0);
}

static void handle_dealloc(ask_handle *self) {
    if (self->future) akt_future_release(self->future);
    Py_XDECREF((PyObject *)self->system);
    Py_XDECREF(self->fut);
    Py_XDECREF(self->asked);
    PyObject_Free(self);
}

static PyMethodDef handle_methods[] = {
    {"cancel", (PyCFunction)handle_cancel, METH_NOARGS,
     "Complete the ask with AKT_ECANCELED; False if it had completed already."},
    {"wait", (PyCFunction)(void (*)(void))handle_wait, METH_FASTCALL,
     "wait(timeout=None) -> bool: wait for the answer here and settle the future with it."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject akt_py_ask_handle_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "akt._fast.AskHandle",
    .tp_basicsize = sizeof(ask_handle),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The akt future behind an ask_future().",
    .tp_dealloc = (destructor)handle_dealloc,
    .tp_methods = handle_methods,
};

PyObject *akt_py_ask_handle(akt_py_system *s, akt_future *f, PyObject *fut, PyObject *asked) {
    ask_handle *h = PyObject_New(ask_handle, &akt_py_ask_handle_type);
    if (!h) {
        akt_future_cancel(f);
        akt_future_release(f);
        return NULL;
    }
    h->future = f; /* owns the caller's reference from here */
    h->system = s;
    h->fut = fut;
    h->asked = asked;
    Py_INCREF(s);
    Py_INCREF(fut);
    Py_XINCREF(asked);
    if (ask_register(s, f, fut, 0, asked)) {
        akt_future_cancel(f);
        Py_DECREF(h);
        return NULL;
    }
    return (PyObject *)h;
}

/* While pumping the service, how long to look at the future between two runs. */
#define PUMP_SLICE_NS (200LL * 1000)

int akt_py_pumps(const akt_py_system *s) {
    return s->service_thread == PyThread_get_thread_ident() && !akt_py_in_run;
}

PyObject *akt_py_future_result(akt_py_system *s, akt_future *f, PyObject *asked) {
    return akt_py_future_result_from(s, f, AKT_EAGAIN, NULL, asked);
}

PyObject *akt_py_future_result_from(akt_py_system *s, akt_future *f, int rc, akt_msg *reply,
                                    PyObject *asked) {
    /* On the thread that runs this system's Python actors (outside a run), nobody else
     * would run them: keep running them while waiting. */
    int pump = akt_py_pumps(s);
    while (rc == AKT_EAGAIN) {
        if (pump) {
            int more = 0;
            rc = akt_future_wait(f, 0, &reply);
            if (rc != AKT_EAGAIN) break;
            akt_py_system_service(s, 256, &more);
            if (PyErr_Occurred()) break;
            if (more) continue;
        }
        Py_BEGIN_ALLOW_THREADS
        rc = akt_future_wait(f, pump ? PUMP_SLICE_NS : AKT_PY_WAIT_SLICE_NS, &reply);
        Py_END_ALLOW_THREADS
        if (rc != AKT_EAGAIN) break;
        if (PyErr_CheckSignals() < 0) break;
    }
    if (PyErr_Occurred()) {
        if (rc == 0 && reply) akt_msg_release(reply);
        akt_future_cancel(f);
        akt_future_release(f);
        return NULL;
    }
    if (rc == AKT_EDEADLK) {
        akt_future_release(f);
        return akt_py_raise(rc, "ask_sync would wait for an actor that only this thread "
                                "runs (use ctx.ask() with ctx.pipe_to() inside receive, "
                                "await pid.ask() in async code)");
    }
    PyObject *value = future_outcome(s, f, rc, reply, asked);
    akt_future_release(f);
    return value;
}
