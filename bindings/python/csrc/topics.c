/* Topics (publish / subscribe): the C half of akt.Topic (src/akt/topics.py). */
#include "fastpath.h"

#include <string.h>

static const char *topic_arg(PyObject *topic) {
    if (!PyUnicode_Check(topic)) {
        PyErr_Format(PyExc_TypeError, "a topic must be a str, not %.100s", Py_TYPE(topic)->tp_name);
        return NULL;
    }
    Py_ssize_t n;
    const char *t = PyUnicode_AsUTF8AndSize(topic, &n);
    if (t && (n == 0 || n > 255 || (Py_ssize_t)strlen(t) != n)) {
        PyErr_SetString(PyExc_ValueError, "a topic is 1..255 bytes of UTF-8 without NUL");
        return NULL;
    }
    return t;
}

/* _topic_publish(topic, msg, type=None) */
PyObject *akt_py_topic_publish(akt_py_system *self, PyObject *args) {
    PyObject *topic, *msg, *type = Py_None;
    if (!PyArg_ParseTuple(args, "OO|O:publish", &topic, &msg, &type)) return NULL;
    const char *t = topic_arg(topic);
    if (!t) return NULL;
    akt_py_drain();
    akt_msg *m;
    if (akt_py_msg_new(self, msg, type == Py_None ? NULL : type, &m)) return NULL;
    int rc = akt_topic_publish(self->sys, t, m);
    if (rc) {
        akt_msg_release(m);
        return akt_py_raise(rc, "publish");
    }
    Py_RETURN_NONE;
}

/* _topic_op(op, topic, pid, timeout, fut): op "subscribe", "unsubscribe" or "count"; pid
 * None for count. fut: a concurrent future the count settles (an AskHandle is returned),
 * or None: a subscribe / unsubscribe is then fire and forget (None returned) and a count
 * waits for its answer (the int returned). */
PyObject *akt_py_topic_op(akt_py_system *self, PyObject *args) {
    PyObject *op, *topic, *pid, *timeout, *fut;
    if (!PyArg_ParseTuple(args, "UOOOO:_topic_op", &op, &topic, &pid, &timeout, &fut)) return NULL;
    const char *t = topic_arg(topic);
    if (!t) return NULL;
    int64_t ns;
    if (akt_py_timeout_arg(self, timeout, &ns)) return NULL;
    akt_pid p = {0};
    int count = PyUnicode_CompareWithASCIIString(op, "count") == 0;
    int sub = PyUnicode_CompareWithASCIIString(op, "subscribe") == 0;
    if (!count && akt_py_pid_arg(self, pid, &p)) return NULL;
    akt_future *f = NULL;
    akt_future **want = fut != Py_None || count ? &f : NULL;
    int rc = count ? akt_topic_count(self->sys, t, ns, &f)
             : sub ? akt_topic_subscribe(self->sys, t, p, ns, want)
                   : akt_topic_unsubscribe(self->sys, t, p, ns, want);
    if (rc) return akt_py_raise(rc, count ? "topic count" : sub ? "subscribe" : "unsubscribe");
    if (fut != Py_None) return akt_py_ask_handle(self, f, fut, NULL);
    if (count) return akt_py_future_result(self, f, NULL);
    Py_RETURN_NONE;
}
