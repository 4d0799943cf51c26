/* router.c -- routers for Python (akt.h section 11): pools of Python actors made by a
 * factory, group routers over pids, broadcast, resize, routees. The router itself is a C
 * actor on akt's workers; its routees are Python actors like any other. */
#include "fastpath.h"

#include <stdlib.h>
#include <string.h>

/* What the router's callbacks need, kept until the router is gone (routee_data_free). */
typedef struct router_data {
    akt_py_system *s;  /* strong */
    PyObject *factory; /* strong, or NULL for a group */
    PyObject *key;     /* strong, or NULL */
    int mode;          /* AKT_PY_MODE_* of the routees */
} router_data;

static void router_data_free(void *data) {
    router_data *d = data;
    /* Any akt thread: the references go through the deferred release. */
    akt_py_decref_later((PyObject *)d->s);
    akt_py_decref_later(d->factory);
    akt_py_decref_later(d->key);
    free(d);
}

/* The router's worker thread: a fresh routee from the factory. */
static int routee_state(void *data, size_t index, void **state) {
    router_data *d = data;
    int entered = akt_py_enter();
    if (entered < 0) return AKT_ECLOSED;
    int rc = 0;
    if (akt_py_routee_cell(d->s, d->factory, d->mode, state)) {
        PyErr_WriteUnraisable(d->factory);
        rc = AKT_EFAILED;
    }
    akt_py_leave(entered);
    return rc;
}

/* FNV-1a: a key that is the same in every process (Python's hash() of str is not). */
static uint64_t fnv1a(const char *p, Py_ssize_t n) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (Py_ssize_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* The router's worker thread: key(message) as a ring position (int, str or bytes). */
static uint64_t route_key(const akt_msg *msg, void *data) {
    router_data *d = data;
    int entered = akt_py_enter();
    if (entered < 0) return 0;
    uint64_t k = 0;
    PyObject *v = akt_py_msg_value(d->s, (akt_msg *)msg);
    PyObject *r = v ? PyObject_CallOneArg(d->key, v) : NULL;
    if (r && PyLong_Check(r)) {
        k = PyLong_AsUnsignedLongLongMask(r);
    } else if (r && PyUnicode_Check(r)) {
        Py_ssize_t n;
        const char *u = PyUnicode_AsUTF8AndSize(r, &n);
        if (u) k = fnv1a(u, n);
    } else if (r && PyBytes_Check(r)) {
        k = fnv1a(PyBytes_AS_STRING(r), PyBytes_GET_SIZE(r));
    } else if (r) {
        PyErr_Format(PyExc_TypeError, "a router key must be an int, str or bytes, not %.100s",
                     Py_TYPE(r)->tp_name);
    }
    if (PyErr_Occurred()) PyErr_WriteUnraisable(d->key);
    Py_XDECREF(r);
    Py_XDECREF(v);
    akt_py_leave(entered);
    return k;
}

/* _router_spawn(name, factory, size, strategy, routees, key, within_ns, interval_ns,
 *               failure, max_retries, retry_within_ns, seed, dispatcher) -> Pid */
PyObject *akt_py_router_spawn(akt_py_system *s, PyObject *args) {
    PyObject *name, *factory, *routees, *key, *dispatcher;
    Py_ssize_t size;
    int strategy, failure;
    long long within, interval, retry_within;
    unsigned int max_retries;
    unsigned long long seed;
    if (!PyArg_ParseTuple(args, "OOniOOLLiILKO:_router_spawn", &name, &factory, &size, &strategy,
                          &routees, &key, &within, &interval, &failure, &max_retries, &retry_within,
                          &seed, &dispatcher))
        return NULL;
    const char *cname = NULL;
    if (name != Py_None && !(cname = PyUnicode_AsUTF8(name))) return NULL;
    akt_router_options o;
    akt_router_options_init(&o);
    o.strategy = strategy;
    o.within_ns = within;
    o.interval_ns = interval;
    o.failure_policy = failure;
    o.max_retries = max_retries;
    o.retry_within_ns = retry_within;
    o.seed = seed;
    router_data *d = calloc(1, sizeof *d);
    if (!d) return PyErr_NoMemory();
    akt_pid *pids = NULL;
    if (akt_py_mode_arg(s, dispatcher, -1, &d->mode)) goto fail;
    if (routees != Py_None) {
        PyObject *seq = PySequence_Fast(routees, "routees must be a sequence of akt.Pid");
        if (!seq) goto fail;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
        pids = calloc((size_t)(n ? n : 1), sizeof *pids);
        int bad = !pids;
        for (Py_ssize_t i = 0; i < n && !bad; i++)
            bad = akt_py_pid_arg(s, PySequence_Fast_GET_ITEM(seq, i), &pids[i]) != 0;
        Py_DECREF(seq);
        if (bad) {
            if (!pids) PyErr_NoMemory();
            goto fail;
        }
        o.routees = pids;
        o.routee_count = (size_t)n;
    } else {
        o.pool_size = size < 0 ? 0 : (size_t)size;
        o.routee_behavior = akt_py_actor_behavior();
        o.routee_state = routee_state;
        o.routee_dispatcher = d->mode == AKT_PY_MODE_PYTHON ? s->disp : NULL;
        Py_INCREF(factory);
        d->factory = factory;
    }
    if (key != Py_None) {
        Py_INCREF(key);
        d->key = key;
        o.key = route_key;
        o.key_data = d;
    }
    Py_INCREF(s);
    d->s = s;
    o.routee_state_data = d;
    o.routee_data_free = router_data_free;
    akt_pid pid = {0};
    int rc = akt_router_spawn(s->sys, NULL, cname, &o, &pid);
    free(pids);
    pids = NULL;
    if (rc) {
        Py_CLEAR(d->s);
        Py_CLEAR(d->factory);
        Py_CLEAR(d->key);
        free(d);
        return akt_py_raise(rc, "spawn_router");
    }
    return akt_py_pid_new(s, pid.id);
fail:
    free(pids);
    Py_XDECREF(d->factory);
    Py_XDECREF(d->key);
    free(d);
    return NULL;
}

/* _router_broadcast(pid, msg) */
PyObject *akt_py_router_broadcast(akt_py_system *s, PyObject *args) {
    PyObject *p, *obj;
    if (!PyArg_ParseTuple(args, "OO:broadcast", &p, &obj)) return NULL;
    akt_pid pid;
    akt_msg *m;
    if (akt_py_pid_arg(s, p, &pid) || akt_py_msg_new(s, obj, NULL, &m)) return NULL;
    int rc = akt_router_broadcast(s->sys, pid, m);
    if (rc) {
        akt_msg_release(m);
        return akt_py_raise(rc, "broadcast");
    }
    Py_RETURN_NONE;
}

/* _router_resize(pid, n): waits for the router with the GIL released (its new routees'
 * factory needs it). */
PyObject *akt_py_router_resize(akt_py_system *s, PyObject *args) {
    PyObject *p;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On:resize", &p, &n)) return NULL;
    akt_pid pid;
    if (akt_py_pid_arg(s, p, &pid)) return NULL;
    if (n <= 0) return akt_py_raise(AKT_EINVAL, "resize: the size must be at least 1");
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_router_resize(s->sys, pid, (size_t)n);
    Py_END_ALLOW_THREADS
    if (rc) return akt_py_raise(rc, "resize");
    Py_RETURN_NONE;
}

/* _router_routees(pid) -> list of Pid */
PyObject *akt_py_router_routees(akt_py_system *s, PyObject *p) {
    akt_pid pid;
    if (akt_py_pid_arg(s, p, &pid)) return NULL;
    size_t cap = 16, n = 0;
    akt_pid *pids = NULL;
    int rc;
    for (;;) {
        akt_pid *grown = realloc(pids, cap * sizeof *pids);
        if (!grown) {
            free(pids);
            return PyErr_NoMemory();
        }
        pids = grown;
        Py_BEGIN_ALLOW_THREADS
        rc = akt_router_routees(s->sys, pid, pids, cap, &n);
        Py_END_ALLOW_THREADS
        if (rc != AKT_ERANGE) break;
        cap = n; /* the router may grow meanwhile: ask again */
    }
    if (rc) {
        free(pids);
        return akt_py_raise(rc, "routees");
    }
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *item = akt_py_pid_new(s, pids[i].id);
        if (!item) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    free(pids);
    return list;
}
