/* suspend.c -- async receive: the steps of a coroutine receive on the actor's turn.
 *
 * A receive (or a become handler) that returns a coroutine is driven by the Python layer
 * (akt._async): each step runs coro.send() with the coroutine's Context bound to the
 * message it handles. A coroutine that yields suspends that message (ctx._suspend(), i.e.
 * akt_ctx_suspend): the actor keeps it, its asker still waiting, and takes no other user
 * message meanwhile unless its mode is allow_all. What the coroutine awaited (a request's
 * answer, an asyncio future) later posts the next step (suspension_post, from any thread);
 * akt runs it on the actor's turn, and a step that raises fails the message as receive
 * would. A stop or a restart ends the suspension: steps posted to it are dropped, and the
 * coroutine with them. */
#include "actor.h"

#include <stdlib.h>

/* A suspension handle as Python holds it: (system, pid id, suspension id, cell address).
 * The address is read back only when the step runs, on the actor's turn, which akt allows
 * only while that actor (and so its cell) is live. */
PyObject *akt_py_suspension_handle(akt_py_cell *c, akt_suspension s) {
    return Py_BuildValue("(OKKK)", (PyObject *)c->system, (unsigned long long)s.actor.id,
                         (unsigned long long)s.id, (unsigned long long)(uintptr_t)c);
}

typedef struct py_step {
    akt_py_cell *cell;
    PyObject *context; /* the coroutine's akt.Context, bound to the message while fn runs */
    PyObject *fn;      /* fn() -> None: the step */
} py_step;

static int step_run(akt_ctx *ctx, void *data) {
    py_step *st = data;
    int entered = akt_py_enter();
    if (entered < 0) return AKT_ECLOSED; /* Python is gone: so is the coroutine */
    akt_py_drain();
    akt_py_context *cx = (akt_py_context *)st->context;
    akt_py_cell *c = st->cell;
    int rc;
    if (cx->ctx) { /* bound elsewhere: the coroutine's context was kept by other code */
        PyErr_SetString(PyExc_RuntimeError, "async receive: its context is in use elsewhere");
        rc = akt_py_fail(c, ctx, "receive");
    } else {
        cx->ctx = ctx;
        cx->cell = c;
        cx->thread = PyThread_get_thread_ident();
        cx->unhandled = 0;
        cx->responded = 0;
        PyObject *r = PyObject_CallNoArgs(st->fn);
        rc = r ? (cx->unhandled ? AKT_EUNHANDLED : 0) : akt_py_fail(c, ctx, "receive");
        Py_XDECREF(r);
        cx->ctx = NULL;
        cx->cell = NULL;
    }
    Py_DECREF(st->fn);
    Py_DECREF(st->context);
    free(st);
    akt_py_leave(entered);
    return rc;
}

static void step_drop(void *data) {
    py_step *st = data;
    /* Any thread (a stop, a restart, the shutdown's drain): the deferred release. */
    akt_py_decref_later(st->fn);
    akt_py_decref_later(st->context);
    free(st);
}

/* suspension_post(handle, ctx, fn): runs fn() on the actor's turn with ctx bound to the
 * suspended message. Any thread. Raises akt errors (SystemClosed once it shut down). */
PyObject *akt_py_suspension_post(PyObject *module, PyObject *const *args, Py_ssize_t n) {
    (void)module;
    unsigned long long pid, id, cell;
    PyObject *system;
    if (n != 3 || !PyTuple_Check(args[0]) ||
        !PyArg_ParseTuple(args[0], "OKKK", &system, &pid, &id, &cell) ||
        !PyObject_TypeCheck(args[1], &akt_py_context_type) || !PyCallable_Check(args[2]) ||
        !PyObject_TypeCheck(system, &akt_py_system_type)) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError,
                            "suspension_post(handle, ctx, fn): a handle from ctx._suspend()");
        return NULL;
    }
    py_step *st = malloc(sizeof *st);
    if (!st) return PyErr_NoMemory();
    st->cell = (akt_py_cell *)(uintptr_t)cell;
    st->context = Py_NewRef(args[1]);
    st->fn = Py_NewRef(args[2]);
    akt_suspension s = {{pid}, id};
    int rc = akt_suspension_post(((akt_py_system *)system)->sys, s, step_run, step_drop, st);
    if (rc) {
        Py_DECREF(st->fn);
        Py_DECREF(st->context);
        free(st);
        return akt_py_raise(rc, "async receive: resuming");
    }
    Py_RETURN_NONE;
}
