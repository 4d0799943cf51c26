/* events.c -- akt's event stream delivered to Python callables.
 *
 * akt calls an event callback on the thread where the event happens, before that thread
 * goes on (a dead letter is reported before the stopping actor's next step, an unhandled
 * message before the actor's next message). The Python subscriber is called there too,
 * taking the GIL if that thread does not hold it, so Python sees events in the same order
 * as a C subscriber would. This is the one place besides actor callbacks where an akt
 * thread waits for the GIL; it is safe because akt publishes without its structure lock,
 * and the only calls that wait for publishers (subscribe, unsubscribe) release the GIL
 * first. A subscriber must not block, as in C.
 *
 * close() is akt_unsubscribe: when it returns, the callback runs on no other thread and
 * is not called again. akt refuses it with AKT_EDEADLK when that wait could never end (two
 * callbacks, on two threads, each closing the other's subscription: the second one is
 * refused); then nothing changed, the subscription keeps its callback and stays active,
 * and close() raises akt.DeadlockError so that the caller can close it later. */
#include "fastpath.h"

#include <string.h>

typedef struct akt_py_sub {
    PyObject_HEAD akt_py_system *system; /* strong */
    PyObject *callback;                  /* NULL once closed */
    akt_subscription *sub;               /* NULL once closed */
    int closing; /* a close() is waiting in akt_unsubscribe (GIL released) */
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
    PyObject *args[7] = {PyLong_FromUnsignedLong(ev->kind),
                         akt_py_pid_new(s, ev->pid.id),
                         text_or_none(ev->path),
                         akt_py_pid_new(s, ev->sender.id),
                         message,
                         PyLong_FromLong(ev->code),
                         text_or_none(ev->reason)};
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
    /* The callback may close its own subscription, which drops the system's reference. */
    Py_INCREF(sub);
    if (sub->callback) deliver(sub, ev);
    Py_DECREF(sub);
    PyErr_Restore(type, value, tb);
    akt_py_leave(entered);
}

/* ------------------------------------------------------------------ Subscription type */

/* Drops the reference of the system's keep list (taken while akt points at sub). */
static void unkeep(akt_py_sub *self) {
    PyObject *keep = self->system->keep;
    for (Py_ssize_t i = keep ? PyList_GET_SIZE(keep) : 0; i-- > 0;) {
        if (PyList_GET_ITEM(keep, i) == (PyObject *)self) {
            if (PyList_SetSlice(keep, i, i + 1, NULL)) PyErr_Clear(); /* cannot fail */
            return;
        }
    }
}

/* Ends the subscription: 0 (also when it had ended already), or the akt code with nothing
 * changed. A thread whose close() is waiting has the GIL released: a second close() of the
 * same subscription meanwhile (from a callback running on another thread, say) cannot wait
 * for it without risking that very wait, and gets AKT_EBUSY. */
static int sub_close(akt_py_sub *self) {
    if (!self->sub) return 0;
    if (self->closing) return AKT_EBUSY;
    akt_subscription *handle = self->sub;
    int rc;
    self->closing = 1;
    Py_INCREF(self); /* the keep list's reference may go while the GIL is released */
    /* Waits for the calls running on other threads: event_cb never waits for this. */
    Py_BEGIN_ALLOW_THREADS
    rc = akt_unsubscribe(handle);
    Py_END_ALLOW_THREADS
    self->closing = 0;
    if (rc == 0) {
        self->sub = NULL;
        Py_CLEAR(self->callback);
        unkeep(self);
    }
    Py_DECREF(self);
    return rc;
}

static PyObject *sub_close_py(akt_py_sub *self, PyObject *unused) {
    int rc = sub_close(self);
    if (rc == AKT_EDEADLK)
        return akt_py_raise(rc, "close: a callback of this subscription runs on a thread that "
                                "is itself closing a subscription whose callback runs here; "
                                "the subscription is still active, close it later");
    if (rc == AKT_EBUSY)
        return akt_py_raise(rc, "close: another thread is closing this subscription");
    if (rc) return akt_py_raise(rc, "unsubscribe");
    Py_RETURN_NONE;
}

static PyObject *sub_enter(akt_py_sub *self, PyObject *unused) {
    Py_INCREF(self);
    return (PyObject *)self;
}

static PyObject *sub_exit(akt_py_sub *self, PyObject *args) {
    PyObject *r = sub_close_py(self, NULL);
    if (!r) return NULL;
    Py_DECREF(r);
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
    /* Still subscribed means akt still points here: the system's keep list holds a
     * reference until close() succeeded, so this runs only after it (or with the system,
     * whose akt side frees what is left). */
    Py_CLEAR(self->callback);
    Py_CLEAR(self->system);
    PyObject_GC_Del(self);
}

static PyMethodDef sub_methods[] = {
    {"close", (PyCFunction)sub_close_py, METH_NOARGS,
     "End the subscription: afterwards its callback runs on no other thread and is not "
     "called again. DeadlockError (nothing changed, still active) when called in an event "
     "callback while the thread running this subscription's callback is itself closing a "
     "subscription whose callback runs here; Busy while another thread's close() waits."},
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
    sub->closing = 0;
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
        /* Out of memory: end it again. Should akt refuse, sub stays (leaked) rather than
         * freed under akt's pointer. */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        if (sub_close(sub) == 0) Py_DECREF(sub);
        PyErr_Restore(type, value, tb);
        return NULL;
    }
    return (PyObject *)sub;
}
