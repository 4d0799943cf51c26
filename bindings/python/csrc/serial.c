/* serial.c -- serializers for remoting (akt/remote.h, akt_serializer_*): binding a message
 * type to a serializer by name (the built-in "json", "cbor", "protobuf", or a registered
 * one), and custom serializers written in Python.
 *
 * A Python serializer is a pair of callables: encode(value) -> bytes, called with the value
 * the message carries (the Python object itself when a Python actor sent it, else the value
 * this binding reads from its bytes), and decode(type, data) -> value, whose value becomes
 * the message (a Python object, as if a Python actor had sent it). akt calls both on its
 * remoting thread: they run there with the GIL taken. An exception, or encode returning
 * something without the buffer protocol, refuses that message (AKT_EINVAL: a dead letter,
 * its ask fails); it is reported through sys.unraisablehook, as any error of a callback
 * nobody awaits. */
#include "fastpath.h"

#include <akt/remote.h>
#include <stdlib.h>
#include <string.h>

typedef struct py_serializer {
    akt_py_system *s; /* borrowed: the serializer lives as long as the system */
    PyObject *encode, *decode;
} py_serializer;

static int py_encode(akt_msg *msg, void *data, void **bytes, size_t *len, akt_free_fn *free_fn) {
    py_serializer *ps = data;
    PyGILState_STATE g = PyGILState_Ensure();
    int rc = AKT_EINVAL;
    PyObject *value = akt_py_msg_value(ps->s, msg);
    PyObject *out = value ? PyObject_CallOneArg(ps->encode, value) : NULL;
    Py_buffer view;
    if (out && PyObject_GetBuffer(out, &view, PyBUF_SIMPLE) == 0) {
        void *copy = malloc(view.len ? (size_t)view.len : 1);
        if (copy) {
            memcpy(copy, view.buf, (size_t)view.len);
            *bytes = copy;
            *len = (size_t)view.len;
            *free_fn = free;
            rc = 0;
        } else {
            rc = AKT_ENOMEM;
        }
        PyBuffer_Release(&view);
    }
    if (PyErr_Occurred()) PyErr_WriteUnraisable(ps->encode);
    Py_XDECREF(out);
    Py_XDECREF(value);
    PyGILState_Release(g);
    return rc;
}

static int py_decode(const char *type, const void *bytes, size_t len, void *data, akt_msg **out) {
    py_serializer *ps = data;
    PyGILState_STATE g = PyGILState_Ensure();
    int rc = AKT_EINVAL;
    PyObject *t = PyUnicode_FromString(type);
    PyObject *b = t ? PyBytes_FromStringAndSize(bytes, (Py_ssize_t)len) : NULL;
    PyObject *value = b ? PyObject_CallFunctionObjArgs(ps->decode, t, b, NULL) : NULL;
    if (value && akt_py_msg_new(ps->s, value, t, out) == 0) rc = 0;
    if (PyErr_Occurred()) PyErr_WriteUnraisable(ps->decode);
    Py_XDECREF(value);
    Py_XDECREF(b);
    Py_XDECREF(t);
    PyGILState_Release(g);
    return rc;
}

static void py_serializer_free(void *data) {
    py_serializer *ps = data;
    akt_py_decref_later(ps->encode); /* any thread, no GIL needed */
    akt_py_decref_later(ps->decode);
    free(ps);
}

PyObject *akt_py_serializer_register(akt_py_system *s, PyObject *args) {
    const char *name;
    PyObject *encode, *decode;
    if (!PyArg_ParseTuple(args, "sOO:serializer_register", &name, &encode, &decode)) return NULL;
    if (!PyCallable_Check(encode) || !PyCallable_Check(decode)) {
        PyErr_SetString(PyExc_TypeError, "serializer_register: encode and decode must be callable");
        return NULL;
    }
    py_serializer *ps = malloc(sizeof *ps);
    if (!ps) return PyErr_NoMemory();
    ps->s = s;
    ps->encode = Py_NewRef(encode);
    ps->decode = Py_NewRef(decode);
    akt_serializer ser = {.size = sizeof ser,
                          .name = name,
                          .encode = py_encode,
                          .decode = py_decode,
                          .free = py_serializer_free,
                          .data = ps};
    int rc = akt_serializer_register(s->sys, &ser);
    if (rc) {
        Py_DECREF(ps->encode);
        Py_DECREF(ps->decode);
        free(ps);
        return akt_py_raise(rc, "akt_serializer_register");
    }
    Py_RETURN_NONE;
}

PyObject *akt_py_serializer_bind(akt_py_system *s, PyObject *args) {
    const char *type, *name;
    if (!PyArg_ParseTuple(args, "zz:serializer_bind", &type, &name)) return NULL;
    int rc = akt_serializer_bind(s->sys, type, name);
    if (rc) return akt_py_raise(rc, "akt_serializer_bind");
    Py_RETURN_NONE;
}

PyObject *akt_py_serializer_for(akt_py_system *s, PyObject *type) {
    if (!PyUnicode_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "serializer_for: the type must be a str");
        return NULL;
    }
    const char *t = PyUnicode_AsUTF8(type);
    if (!t) return NULL;
    const char *name = NULL;
    int rc = akt_serializer_for(s->sys, t, &name);
    if (rc) return akt_py_raise(rc, "akt_serializer_for");
    if (!name) Py_RETURN_NONE;
    return PyUnicode_FromString(name);
}
