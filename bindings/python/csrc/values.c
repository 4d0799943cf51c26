/* values.c -- a value that a C actor (or another binding's) could not read is refused at
 * the sender (issue 17), never accepted and then unreadable there.
 *
 * Between Python actors a message is the object itself, and nothing is checked. Only a
 * value that may have no bytes (anything but bytes, ASCII str, bool, None and float: an
 * int beyond int64, a dict or list that JSON refuses, any other object) pays one lock-free
 * look at who reads the target's messages (akt_pid_receive): Python's own receive takes
 * the object; akt's relays (a router, a topic, a remote pid: remoting has its serializer
 * rules) say NULL and are not judged here. Any other reader reads bytes, so they are made
 * now (akt_msg_bytes caches them for that reader) and a failure raises NotSupported or
 * InvalidArgument naming the type and the target. The sends judged: tell, ask, tell_batch,
 * ctx.tell/ask, schedules (schedule.c), grains of a kind Python did not register
 * (grains.c), pipe results (ctx.c, at completion) and replies (ctx.c: to whoever
 * akt_ctx_asker_reader names, C code that asked with a plain akt_ask too). */
#include "fastpath.h"

#include <stdio.h>

/* 1 if obj always has bytes (its to_bytes cannot fail): no need to look at the target. */
static int always_bytes(PyObject *o) {
    PyTypeObject *t = Py_TYPE(o);
    return t == &PyBytes_Type || t == &PyByteArray_Type || t == &PyBool_Type ||
           t == &PyFloat_Type || o == Py_None ||
           (t == &PyUnicode_Type && PyUnicode_IS_COMPACT_ASCII(o));
}

int akt_py_reader_check(akt_py_system *s, akt_pid to, akt_msg *m, const char *op) {
    PyObject *obj = akt_py_msg_object(s, m);
    if (!obj || always_bytes(obj)) return 0; /* a bytes message, or bytes that can be made */
    akt_receive_fn reader = NULL;
    if (!s || !s->sys || akt_pid_receive(s->sys, to, &reader) != 0) return 0; /* tell says */
    if (!reader || reader == akt_py_actor_behavior()->receive) return 0;
    char path[256] = "?";
    akt_pid_path(s->sys, to, path, sizeof path, NULL);
    return akt_py_bytes_check(s, m, op, path);
}

int akt_py_bytes_check(akt_py_system *s, akt_msg *m, const char *op, const char *where) {
    PyObject *obj = akt_py_msg_object(s, m);
    if (!obj || always_bytes(obj)) return 0;
    const void *data = NULL;
    size_t len = 0;
    int rc = akt_msg_bytes(m, &data, &len); /* to_bytes takes the GIL we hold: reentrant */
    if (rc == 0) return 0;
    char what[1536];
    snprintf(what, sizeof what,
             "%s of a value of class %.100s (type %.255s) to %.1100s refused: that actor is not "
             "a Python actor and "
             "reads bytes, and this value has none (%s); send bytes, str, int64, float, bool, "
             "None, a JSON-able dict or list, or an akt.Bytes",
             op, Py_TYPE(obj)->tp_name, akt_msg_type(m), where,
             rc == AKT_ENOTSUP ? "no byte form" : "it cannot be encoded");
    akt_py_raise(rc, what);
    return -1;
}
