/* Grains (virtual actors): the C half of akt.Grain (src/akt/grains.py). A kind's factory
 * makes a Python actor for each activation, called with the grain's name on the kind's
 * dispatcher (the system's Python thread, or akt's workers). */
#include "fastpath.h"

#include <stdlib.h>
#include <string.h>

/* A kind's data, kept until the system is freed (kind_data_free). */
typedef struct grain_kind_data {
    akt_py_system *s; /* strong */
    PyObject *binder; /* strong: binder(name) -> a callable making the actor (no arguments) */
    int mode;         /* AKT_PY_MODE_* of the activations */
} grain_kind_data;

static void kind_data_free(void *data) {
    grain_kind_data *d = data;
    /* Any akt thread: the references go through the deferred release. */
    akt_py_decref_later((PyObject *)d->s);
    akt_py_decref_later(d->binder);
    free(d);
}

/* The activation's first turn, on the kind's dispatcher: a Python actor for name. */
static int grain_activate(void *data, const char *name, const akt_behavior **b, void **state) {
    grain_kind_data *d = data;
    int entered = akt_py_enter();
    if (entered < 0) return AKT_ECLOSED;
    int rc = 0;
    /* The cell's factory makes the actor (and would on a restart): the kind's factory
     * bound to name. */
    PyObject *bound = NULL;
    PyObject *pyname = PyUnicode_DecodeUTF8(name, (Py_ssize_t)strlen(name), "replace");
    if (pyname) bound = PyObject_CallOneArg(d->binder, pyname);
    if (!bound || akt_py_routee_cell(d->s, bound, d->mode, state)) {
        PyErr_WriteUnraisable(d->binder);
        rc = AKT_EFAILED;
    } else {
        *b = akt_py_actor_behavior();
    }
    Py_XDECREF(bound);
    Py_XDECREF(pyname);
    akt_py_leave(entered);
    return rc;
}

static const char *str_arg(PyObject *o, const char *what, Py_ssize_t max) {
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "a grain %s must be a str, not %.100s", what,
                     Py_TYPE(o)->tp_name);
        return NULL;
    }
    Py_ssize_t n;
    const char *t = PyUnicode_AsUTF8AndSize(o, &n);
    if (t && (n == 0 || n > max || (Py_ssize_t)strlen(t) != n)) {
        PyErr_Format(PyExc_ValueError, "a grain %s is 1..%zd bytes of UTF-8 without NUL", what,
                     max);
        return NULL;
    }
    return t;
}

/* _grain_register(kind, binder, deactivate_after_ns, dispatcher) */
PyObject *akt_py_grain_register(akt_py_system *s, PyObject *args) {
    PyObject *kind, *factory, *dispatcher;
    long long after;
    if (!PyArg_ParseTuple(args, "OOLO:_grain_register", &kind, &factory, &after, &dispatcher))
        return NULL;
    if (after < 0) {
        PyErr_SetString(PyExc_ValueError, "deactivate_after must be >= 0 seconds");
        return NULL;
    }
    const char *k = str_arg(kind, "kind", 255);
    if (!k) return NULL;
    if (!PyCallable_Check(factory)) {
        PyErr_SetString(PyExc_TypeError, "a grain factory must be callable");
        return NULL;
    }
    grain_kind_data *d = calloc(1, sizeof *d);
    if (!d) return PyErr_NoMemory();
    if (akt_py_mode_arg(s, dispatcher, -1, &d->mode)) {
        free(d);
        return NULL;
    }
    akt_grain_kind def;
    akt_grain_kind_init(&def);
    def.activate = grain_activate;
    def.kind_data = d;
    def.free_kind_data = kind_data_free;
    def.deactivate_after_ns = after;
    def.dispatcher = d->mode == AKT_PY_MODE_PYTHON ? s->disp : NULL;
    Py_INCREF(s);
    d->s = s;
    Py_INCREF(factory);
    d->binder = factory;
    int rc = akt_grain_kind_register(s->sys, k, &def);
    if (rc) {
        Py_DECREF(d->s);
        Py_DECREF(d->binder);
        free(d);
        return akt_py_raise(rc, "register_grain");
    }
    Py_RETURN_NONE;
}

/* _grain_send(kind, name, msg, type, ask, timeout, fut): ask False: a tell (None
 * returned); else with fut None an ask waited for (the answer returned), with fut a
 * concurrent future an ask that settles it (an AskHandle returned). */
PyObject *akt_py_grain_send(akt_py_system *s, PyObject *args) {
    PyObject *kind, *name, *msg, *type, *timeout, *fut;
    int ask;
    if (!PyArg_ParseTuple(args, "OOOOpOO:_grain_send", &kind, &name, &msg, &type, &ask, &timeout,
                          &fut))
        return NULL;
    const char *k = str_arg(kind, "kind", 255), *n = k ? str_arg(name, "name", 1024) : NULL;
    if (!n) return NULL;
    int64_t ns = 0;
    if (ask && akt_py_timeout_arg(s, timeout, &ns)) return NULL;
    akt_py_drain();
    akt_msg *m;
    if (akt_py_msg_new(s, msg, type == Py_None ? NULL : type, &m)) return NULL;
    akt_future *f = NULL;
    int rc = ask ? akt_grain_ask(s->sys, k, n, m, ns, &f) : akt_grain_tell(s->sys, k, n, m);
    if (rc) {
        akt_msg_release(m);
        return akt_py_raise(rc, ask ? "grain ask" : "grain tell");
    }
    if (!ask) Py_RETURN_NONE;
    if (fut != Py_None) return akt_py_ask_handle(s, f, fut, NULL);
    return akt_py_future_result(s, f, NULL);
}
