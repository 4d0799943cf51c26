/* Grains (virtual actors): the C half of akt.Grain (src/akt/grains.py). A kind's factory
 * makes a Python actor for each activation, called with the grain's name on the kind's
 * dispatcher (the system's Python thread, or akt's workers). */
#include "fastpath.h"

#include "actor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A kind's data, kept until the system is freed (kind_data_free). */
typedef struct grain_kind_data {
    akt_py_system *s;       /* strong */
    PyObject *binder;       /* strong: binder(name) -> a callable making the actor (no arguments) */
    PyObject *deps;         /* strong: dict name -> value shared by every activation, or NULL */
    const char **dep_names; /* the dict's keys (UTF-8 kept by deps), for the C kind */
    void **dep_values;
    int mode; /* AKT_PY_MODE_* of the activations */
} grain_kind_data;

static void kind_data_free(void *data) {
    grain_kind_data *d = data;
    /* Any akt thread: the references go through the deferred release. */
    akt_py_decref_later((PyObject *)d->s);
    akt_py_decref_later(d->binder);
    if (d->deps) akt_py_decref_later(d->deps);
    free(d->dep_names);
    free(d->dep_values);
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
        if (d->deps) { /* ctx.dependency() reads the cell's own dict */
            akt_py_cell *c = *state;
            Py_INCREF(d->deps);
            c->deps = d->deps;
        }
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

/* A kind's dependencies: a copy of the dict, and the arrays the C kind reads. */
static int deps_fill(grain_kind_data *d, PyObject *deps) {
    if (deps == Py_None) return 0;
    if (!PyDict_Check(deps)) {
        PyErr_SetString(PyExc_TypeError, "dependencies must be a dict of name -> value");
        return -1;
    }
    if (!(d->deps = PyDict_Copy(deps))) return -1;
    Py_ssize_t n = PyDict_GET_SIZE(d->deps), pos = 0, i = 0;
    d->dep_names = calloc((size_t)(n ? n : 1), sizeof *d->dep_names);
    d->dep_values = calloc((size_t)(n ? n : 1), sizeof *d->dep_values);
    if (!d->dep_names || !d->dep_values) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *k, *v;
    while (PyDict_Next(d->deps, &pos, &k, &v)) {
        if (!PyUnicode_Check(k) || !(d->dep_names[i] = str_arg(k, "dependency name", 255))) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "dependency names must be str");
            return -1;
        }
        d->dep_values[i++] = v;
    }
    return 0;
}

/* _grain_register(kind, binder, deactivate_after_ns, dispatcher, mailbox, dependencies,
 * reentrancy, max_in_flight): mailbox None or (kind, capacity, when_full, timeout_ns), a
 * FIFO; dependencies None or a dict. */
PyObject *akt_py_grain_register(akt_py_system *s, PyObject *args) {
    PyObject *kind, *factory, *dispatcher, *mailbox = Py_None, *deps = Py_None,
                                           *reentrancy = Py_None;
    long long after;
    Py_ssize_t max_in_flight = 0;
    if (!PyArg_ParseTuple(args, "OOLO|OOOn:_grain_register", &kind, &factory, &after, &dispatcher,
                          &mailbox, &deps, &reentrancy, &max_in_flight))
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
    int re;
    if (akt_py_reentrancy_arg(reentrancy, &re)) return NULL;
    if (max_in_flight < 0 || (uint64_t)max_in_flight > UINT32_MAX) {
        PyErr_Format(PyExc_ValueError, "max_in_flight must be >= 0 (0: no limit), got %zd",
                     max_in_flight);
        return NULL;
    }
    akt_mailbox_spec mb = {.size = sizeof mb};
    if (mailbox != Py_None) {
        unsigned int capacity = 0;
        long long timeout = 0;
        if (!PyArg_ParseTuple(mailbox, "iIiL", &mb.kind, &capacity, &mb.when_full, &timeout))
            return NULL;
        mb.capacity = capacity;
        mb.block_timeout_ns = timeout;
    }
    grain_kind_data *d = calloc(1, sizeof *d);
    if (!d) return PyErr_NoMemory();
    if (akt_py_mode_arg(s, dispatcher, -1, &d->mode) || deps_fill(d, deps)) {
        Py_XDECREF(d->deps);
        free(d->dep_names);
        free(d->dep_values);
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
    def.mailbox = mailbox != Py_None ? &mb : NULL;
    def.dependency_names = d->dep_names;
    def.dependency_values = d->dep_values;
    def.dependency_count = d->deps ? (size_t)PyDict_GET_SIZE(d->deps) : 0;
    def.reentrancy = re;
    def.max_in_flight = (uint32_t)max_in_flight;
    Py_INCREF(s);
    d->s = s;
    Py_INCREF(factory);
    d->binder = factory;
    if (!s->grain_kinds && !(s->grain_kinds = PySet_New(NULL))) {
        Py_DECREF(d->s);
        Py_DECREF(d->binder);
        Py_XDECREF(d->deps);
        free(d->dep_names);
        free(d->dep_values);
        free(d);
        return NULL;
    }
    int rc = akt_grain_kind_register(s->sys, k, &def);
    if (rc == 0 && PySet_Add(s->grain_kinds, kind)) return NULL; /* registered; only MemoryError */
    if (rc) {
        Py_DECREF(d->s);
        Py_DECREF(d->binder);
        Py_XDECREF(d->deps);
        free(d->dep_names);
        free(d->dep_values);
        free(d);
        return akt_py_raise(rc, "register_grain");
    }
    Py_RETURN_NONE;
}

/* local begin: options per activation */
/* The arrays of an activation's dependencies (deps: a dict of str -> value, not empty),
 * for one send: the names borrowed from deps' keys, the values registered in
 * s->grain_deps so that they outlive every activation (akt borrows them for the system's
 * life) and ctx.dependency knows them as Python objects. */
typedef struct activation_deps {
    const char **names;
    void **values;
    size_t n;
} activation_deps;

static int activation_deps_of(akt_py_system *s, PyObject *deps, activation_deps *out) {
    if (!PyDict_Check(deps)) {
        PyErr_SetString(PyExc_TypeError, "dependencies must be a dict of name -> value");
        return -1;
    }
    Py_ssize_t n = PyDict_GET_SIZE(deps), pos = 0, i = 0;
    if (n == 0) return 0; /* the kind's */
    if (!s->grain_deps && !(s->grain_deps = PyDict_New())) return -1;
    out->names = calloc((size_t)n, sizeof *out->names);
    out->values = calloc((size_t)n, sizeof *out->values);
    if (!out->names || !out->values) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *k, *v;
    while (PyDict_Next(deps, &pos, &k, &v)) {
        if (!(out->names[i] = str_arg(k, "dependency name", 255))) return -1;
        PyObject *id = PyLong_FromVoidPtr(v);
        int bad = !id || PyDict_SetItem(s->grain_deps, id, v);
        Py_XDECREF(id);
        if (bad) return -1;
        out->values[i++] = v;
    }
    out->n = (size_t)n;
    return 0;
}

static void activation_deps_free(activation_deps *d) {
    free(d->names);
    free(d->values);
}

/* A dependency value akt handed back to ctx.dependency, as the Python object given for a
 * grain activation (a new reference), or NULL (no exception) if it is none of those. */
PyObject *akt_py_grain_dependency(akt_py_system *s, void *value) {
    if (!s->grain_deps) return NULL;
    PyObject *id = PyLong_FromVoidPtr(value);
    PyObject *v = id ? PyDict_GetItemWithError(s->grain_deps, id) : NULL;
    Py_XDECREF(id);
    if (!v) {
        PyErr_Clear();
        return NULL;
    }
    Py_INCREF(v);
    return v;
}

/* opts (None, or (after_ns | -1, mailbox | None, reentrancy | None, max_in_flight | -1,
 * dependencies | None), made by grains.py's _activation_options) into *o: 1 if given, 0
 * for None, -1 raised. */
static int activation_options(akt_py_system *s, PyObject *opts, akt_grain_options *o,
                              akt_mailbox_spec *mb, activation_deps *deps) {
    akt_grain_options_init(o);
    if (!opts || opts == Py_None) return 0;
    PyObject *mailbox, *reentrancy, *dependencies = Py_None;
    long long after, mif;
    if (!PyArg_ParseTuple(opts, "LOOL|O:grain options", &after, &mailbox, &reentrancy, &mif,
                          &dependencies))
        return -1;
    if (dependencies != Py_None) {
        if (activation_deps_of(s, dependencies, deps)) return -1;
        o->dependency_names = deps->names;
        o->dependency_values = deps->values;
        o->dependency_count = deps->n;
    }
    o->deactivate_after_ns = after;
    o->max_in_flight = mif;
    if (reentrancy != Py_None && akt_py_reentrancy_arg(reentrancy, &o->reentrancy)) return -1;
    if (mailbox != Py_None) {
        unsigned int capacity = 0;
        long long timeout = 0;
        *mb = (akt_mailbox_spec){.size = sizeof *mb};
        if (!PyArg_ParseTuple(mailbox, "iIiL", &mb->kind, &capacity, &mb->when_full, &timeout))
            return -1;
        mb->capacity = capacity;
        mb->block_timeout_ns = timeout;
        o->mailbox = mb;
    }
    return 1;
}
/* local end */

/* Issue 17: a kind that Python did not register (one registered in C, or by another
 * binding) makes activations whose receive reads bytes, so a value without bytes is refused
 * here as for a tell to a C actor. A kind Python registered takes the object itself; an
 * unknown kind is akt_grain_tell's AKT_ENOTFOUND. 0, or -1 with the exception set. */
static int foreign_kind(akt_py_system *s, PyObject *kind, const char *k, const char *n, akt_msg *m,
                        int ask) {
    int ours = s->grain_kinds ? PySet_Contains(s->grain_kinds, kind) : 0;
    if (ours != 0) return ours < 0 ? -1 : 0;
    char where[1300];
    snprintf(where, sizeof where, "the grain %.255s/%.1024s", k, n);
    return akt_py_bytes_check(s, m, ask ? "grain ask" : "grain tell", where);
}

/* _grain_send(kind, name, msg, type, ask, timeout, fut, opts=None): ask False: a tell (None
 * returned); else with fut None an ask waited for (the answer returned), with fut a
 * concurrent future an ask that settles it (an AskHandle returned). opts: the options of
 * the activation it may make (activation_options). */
PyObject *akt_py_grain_send(akt_py_system *s, PyObject *args) {
    PyObject *kind, *name, *msg, *type, *timeout, *fut, *opts = Py_None;
    int ask;
    if (!PyArg_ParseTuple(args, "OOOOpOO|O:_grain_send", &kind, &name, &msg, &type, &ask, &timeout,
                          &fut, &opts))
        return NULL;
    const char *k = str_arg(kind, "kind", 255), *n = k ? str_arg(name, "name", 1024) : NULL;
    if (!n) return NULL;
    akt_grain_options go;
    akt_mailbox_spec gmb;
    activation_deps deps = {0};
    int has = activation_options(s, opts, &go, &gmb, &deps);
    int64_t ns = 0;
    if (has < 0 || (ask && akt_py_timeout_arg(s, timeout, &ns))) {
        activation_deps_free(&deps);
        return NULL;
    }
    akt_py_drain();
    akt_msg *m;
    if (akt_py_msg_new(s, msg, type == Py_None ? NULL : type, &m)) {
        activation_deps_free(&deps);
        return NULL;
    }
    if (foreign_kind(s, kind, k, n, m, ask)) {
        activation_deps_free(&deps);
        akt_msg_release(m);
        return NULL;
    }
    akt_future *f = NULL;
    const akt_grain_options *gop = has ? &go : NULL;
    int rc = ask ? akt_grain_ask_as(s->sys, k, n, m, ns, gop, akt_py_actor_behavior()->receive, &f)
                 : akt_grain_tell_with(s->sys, k, n, m, gop);
    activation_deps_free(&deps); /* akt copied the names; the values live in s->grain_deps */
    if (rc) {
        akt_msg_release(m);
        return akt_py_raise(rc, ask ? "grain ask" : "grain tell");
    }
    if (!ask) Py_RETURN_NONE;
    if (fut != Py_None) return akt_py_ask_handle(s, f, fut, NULL);
    return akt_py_future_result(s, f, NULL);
}
