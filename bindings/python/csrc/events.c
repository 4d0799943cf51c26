/* events.c -- akt's event stream delivered to Python callables.
 *
 * akt calls an event callback on the thread where the event happens, before that thread
 * goes on (a dead letter is reported before the stopping actor's next step, an unhandled
 * message before the actor's next message). The Python subscriber is called there too,
 * taking the GIL if that thread does not hold it, so Python sees events in the same order
 * as a C subscriber would. This is the one place besides actor callbacks where an akt
 * thread waits for the GIL; it is safe because akt publishes without its structure lock,
 * and the only calls that wait for publishers (subscribe, unsubscribe) release the GIL
 * first. A subscriber must not block, as in C. */
#include "fastpath.h"

#include <string.h>

typedef struct akt_py_sub {
    PyObject_HEAD
    akt_py_system *system;   /* strong */
    PyObject *callback;      /* NULL once closed */
    akt_subscription *sub;   /* NULL once closed */
} akt_py_sub;

static PyObject *text_or_none(const char *s) {
    if (!s) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

static void deliver(akt_py_sub *sub, const akt_event *ev) {
    akt_py_system *s = sub->system;
    PyObject *message = Py_None;
    Py_INCREF(Py_None);
    if (ev->msg) {
        PyObject *v = akt_py_msg_value(s, ev->msg);
        if (v)
            Py_SETREF(message, v);
        else
            PyErr_Clear(); /* an unreadable foreign object: the event says only its kind */
    }
    PyObject *args[7] = {PyLong_FromUnsignedLong(ev->kind), akt_py_pid_new(s, ev->pid.id),
                         text_or_none(ev->path), akt_py_pid_new(s, ev->sender.id), message,
                         PyLong_FromLong(ev->code), text_or_none(ev->reason)};
    int ok = 1;
    for (int i = 0; i < 7; i++) ok &= args[i] != NULL;
    PyObject *event = ok ? PyObject_Vectorcall(akt_py.event_type, args, 7, NULL) : NULL;
    for (int i = 0; i < 7; i++) Py_XDECREF(args[i]);
    if (!event) {
        akt_py_log_pending(NULL, "event subscriber");
        return;
    }
    PyObject *cb = sub->callback;
    Py_INCREF(cb);
    PyObject *r = PyObject_CallOneArg(cb, event);
    if (!r) akt_py_log_pending(NULL, "event subscriber");
    Py_XDECREF(r);
    Py_DECREF(cb);
    Py_DECREF(event);
}

static void event_cb(const akt_event *ev, void *data) {
    akt_py_sub *sub = data;
    int entered = akt_py_enter();
    if (entered < 0) return; /* the interpreter is gone */
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb); /* an event inside a failing call must not eat its error */
    if (sub->callback) deliver(sub, ev);
    PyErr_Restore(type, value, tb);
    akt_py_leave(entered);
}

/* ------------------------------------------------------------------ Subscription type */

static int sub_close(akt_py_sub *self) {
    akt_subscription *sub = self->sub;
    if (!sub) return 0;
    self->sub = NULL;
    int rc;
    /* Waits for a running event_cb to return; event_cb never waits for the GIL. */
    Py_BEGIN_ALLOW_THREADS
    rc = akt_unsubscribe(sub);
    Py_END_ALLOW_THREADS
    Py_CLEAR(self->callback);
    return rc;
}

static PyObject *sub_close_py(akt_py_sub *self, PyObject *unused) {
    int rc = sub_close(self);
    if (rc) return akt_py_raise(rc, "unsubscribe");
    Py_RETURN_NONE;
}

static PyObject *sub_enter(akt_py_sub *self, PyObject *unused) {
    Py_INCREF(self);
    return (PyObject *)self;
}

static PyObject *sub_exit(akt_py_sub *self, PyObject *args) {
    if (sub_close(self) && !PyErr_Occurred()) PyErr_Clear();
    Py_RETURN_FALSE;
}

static PyObject *sub_get_active(akt_py_sub *self, void *closure) {
    return PyBool_FromLong(self->sub != NULL);
}

static int sub_traverse(akt_py_sub *self, visitproc visit, void *arg) {
    Py_VISIT(self->callback);
    Py_VISIT(self->system);
    return 0;
}

static void sub_dealloc(akt_py_sub *self) {
    PyObject_GC_UnTrack(self);
    /* Still subscribed means akt still points here: the system holds a reference until
     * close(), so this runs only after it. */
    Py_CLEAR(self->callback);
    Py_CLEAR(self->system);
    PyObject_GC_Del(self);
}

static PyMethodDef sub_methods[] = {
    {"close", (PyCFunction)sub_close_py, METH_NOARGS, "End the subscription."},
    {"__enter__", (PyCFunction)sub_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)sub_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef sub_getset[] = {
    {"active", (getter)sub_get_active, NULL, "True until close()", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject akt_py_subscription_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "akt.Subscription",
    .tp_basicsize = sizeof(akt_py_sub),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "An event-stream subscription; close() ends it.",
    .tp_dealloc = (destructor)sub_dealloc,
    .tp_traverse = (traverseproc)sub_traverse,
    .tp_methods = sub_methods,
    .tp_getset = sub_getset,
};

PyObject *akt_py_subscribe(akt_py_system *s, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"callback", "mask", NULL};
    PyObject *callback;
    unsigned int mask = AKT_EVENT_ALL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|I:subscribe", kwlist, &callback, &mask))
        return NULL;
    if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "subscribe() needs a callable(event)");
        return NULL;
    }
    akt_py_sub *sub = PyObject_GC_New(akt_py_sub, &akt_py_subscription_type);
    if (!sub) return NULL;
    Py_INCREF(s);
    sub->system = s;
    Py_INCREF(callback);
    sub->callback = callback;
    sub->sub = NULL;
    PyObject_GC_Track(sub);
    akt_subscription *handle = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_subscribe(s->sys, mask, event_cb, sub, &handle);
    Py_END_ALLOW_THREADS
    if (rc) {
        Py_DECREF(sub);
        return akt_py_raise(rc, "subscribe");
    }
    sub->sub = handle;
    /* akt points at sub until close(): the system's keep list holds it so far. */
    if (PyList_Append(s->keep, (PyObject *)sub)) {
        sub_close(sub);
        Py_DECREF(sub);
        return NULL;
    }
    return (PyObject *)sub;
}
