/* msg.c -- Python values as akt messages and back.
 *
 * Between Python actors a message is the Python object itself: an akt object message
 * whose object pointer is a strong reference. Its bytes (asked for by C actors or other
 * bindings) are the object's own bytes for bytes and str, a copy for bytearray, and
 * AKT_ENOTSUP for anything else. akt.Bytes values travel as plain bytes messages, so a
 * typed payload from a C actor keeps its type on a round trip through Python.
 *
 * Passing by reference needs no look at where the receiver runs (akt_pid_runs_on), unlike
 * bindings whose values belong to one thread: every Python actor of every system in the
 * process runs in this one interpreter, under the GIL, whatever its dispatcher, so the
 * object is as valid on akt's workers or another system's thread as on the sender's.
 * Nothing else can reach the object: akt_msg_object hands it out only for these ops, so a
 * C actor or another binding reads bytes (to_bytes, below; scalars.c for the canonical
 * akt.Int64 ... encodings of int, float, bool, None, dict, list) or gets AKT_ENOTSUP; and the
 * last release goes through decref.c: on the thread that drops it, or, for a system whose
 * actors run on its Python thread, on that thread (the system's ops, release_on). A check
 * per tell would cost a cell lookup and protect nothing. Each system has its ops (the
 * owner tag akt checks): a message is made for the system it is sent in, and read there. */
#include "fastpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void obj_release(void *object, void *ops_data) {
    (void)ops_data;
    akt_py_decref_later((PyObject *)object);
}

static int obj_to_bytes_gil(PyObject *o, void **data, size_t *len, akt_free_fn *free_fn) {
    if (PyUnicode_Check(o)) {
        Py_ssize_t n = 0;
        const char *utf8 = PyUnicode_AsUTF8AndSize(o, &n); /* cached in the str */
        if (!utf8) {
            PyErr_Clear();
            return AKT_EINVAL; /* lone surrogates cannot be UTF-8 */
        }
        *data = (void *)utf8;
        *len = (size_t)n;
        return 0;
    }
    if (PyBytes_Check(o)) {
        *data = PyBytes_AS_STRING(o);
        *len = (size_t)PyBytes_GET_SIZE(o);
        return 0;
    }
    /* bytearray: mutable, so C gets a snapshot. */
    size_t n = (size_t)PyByteArray_GET_SIZE(o);
    void *copy = malloc(n ? n : 1);
    if (!copy) return AKT_ENOMEM;
    memcpy(copy, PyByteArray_AS_STRING(o), n);
    *data = copy;
    *len = n;
    *free_fn = free;
    return 0;
}

static int obj_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                        akt_free_fn *free_fn) {
    (void)ops_data;
    PyObject *o = object;
    *free_fn = AKT_BORROW;
    /* Immutable objects whose buffer is ready need no GIL: we hold a reference. */
    if (PyBytes_CheckExact(o)) {
        *data = PyBytes_AS_STRING(o);
        *len = (size_t)PyBytes_GET_SIZE(o);
        return 0;
    }
    if (PyUnicode_CheckExact(o) && PyUnicode_IS_COMPACT_ASCII(o)) {
        *data = PyUnicode_DATA(o);
        *len = (size_t)PyUnicode_GET_LENGTH(o);
        return 0;
    }
    int text = PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o);
    int scalar = !text && akt_py_scalar_type((PyObject *)Py_TYPE(o));
    if (!text && !scalar && !akt_py_pb_any()) return AKT_ENOTSUP;
    int entered = akt_py_enter();
    if (entered < 0) return AKT_ECLOSED;
    int rc = text     ? obj_to_bytes_gil(o, data, len, free_fn)
             : scalar ? akt_py_scalar_bytes(o, data, len, free_fn)
                      : akt_py_pb_bytes(o, data, len, free_fn);
    akt_py_leave(entered);
    return rc;
}

const akt_object_ops akt_py_object_ops = {
    .size = sizeof(akt_object_ops), .release = obj_release, .to_bytes = obj_to_bytes};

void akt_py_msg_ops_init(akt_py_system *s) {
    s->ops = akt_py_object_ops;
    if (s->default_mode == AKT_PY_MODE_PYTHON) s->ops.release_on = s->disp;
}

PyObject *akt_py_msg_object(akt_py_system *s, akt_msg *msg) {
    void *obj = NULL;
    if (s && akt_msg_object(msg, &s->ops, &obj) == 0) return obj;
    if (akt_msg_object(msg, &akt_py_object_ops, &obj) == 0) return obj;
    return NULL;
}

/* "module.qualname" of a class ("str" for builtins), or its __akt_type__. Cached per
 * class: the returned bytes object is borrowed from the cache. */
static PyObject *type_name_lookup(PyObject *cls) {
    PyObject *name = PyDict_GetItemWithError(akt_py.type_names, cls);
    if (name || PyErr_Occurred()) return name;
    PyObject *text = NULL;
    const char *scalar = akt_py_scalar_type(cls);
    if (scalar) {
        name = PyBytes_FromString(scalar);
        if (!name) return NULL;
        int bad = PyDict_SetItem(akt_py.type_names, cls, name);
        Py_DECREF(name); /* the cache holds it */
        return bad ? NULL : name;
    }
    PyObject *explicit = PyObject_GetAttr(cls, akt_py.str_akt_type);
    if (explicit) {
        if (!PyUnicode_Check(explicit)) {
            PyErr_Format(PyExc_TypeError, "%R.__akt_type__ must be a str", cls);
            Py_DECREF(explicit);
            return NULL;
        }
        text = explicit;
    } else {
        PyErr_Clear();
        PyObject *module = PyObject_GetAttr(cls, akt_py.str_module);
        PyObject *qual = module ? PyObject_GetAttr(cls, akt_py.str_qualname) : NULL;
        if (!qual) {
            Py_XDECREF(module);
            return NULL;
        }
        if (PyUnicode_Check(module) && PyUnicode_Compare(module, akt_py.str_builtins) != 0)
            text = PyUnicode_FromFormat("%U.%U", module, qual);
        else
            text = PyUnicode_FromFormat("%S", qual);
        Py_DECREF(module);
        Py_DECREF(qual);
        if (!text) return NULL;
    }
    name = PyUnicode_AsUTF8String(text);
    Py_DECREF(text);
    if (!name) return NULL;
    if (PyBytes_GET_SIZE(name) == 0 || PyBytes_GET_SIZE(name) > 255 ||
        strlen(PyBytes_AS_STRING(name)) != (size_t)PyBytes_GET_SIZE(name)) {
        PyErr_Format(PyExc_ValueError, "message type name %R must be 1..255 bytes without NUL",
                     name);
        Py_DECREF(name);
        return NULL;
    }
    int bad = PyDict_SetItem(akt_py.type_names, cls, name);
    Py_DECREF(name); /* the cache holds it */
    return bad ? NULL : name;
}

/* One entry in front of the dict: senders mostly repeat one class. The dict keeps every
 * cached class alive, so a class address cannot be reused while it is remembered here.
 * Guarded by the GIL. */
static PyObject *last_cls, *last_name;
/* perf begin: the registered type of last_cls's name (NULL: by name) */
static const akt_type *last_type;
/* perf end */

static PyObject *type_name_of(PyObject *cls) {
    if (cls == last_cls) return last_name;
    PyObject *name = type_name_lookup(cls);
    if (name) {
        last_cls = cls;
        last_name = name;
        /* perf begin: a registered name is sent by handle (no copy of the name) */
        if (akt_type_lookup(PyBytes_AS_STRING(name), &last_type)) last_type = NULL;
        /* perf end */
    }
    return name;
}

/* A type name given by the caller: str, 1..255 UTF-8 bytes, no NUL. Borrowed pointer into
 * the str's UTF-8 cache. */
static const char *type_arg(PyObject *type) {
    if (!PyUnicode_Check(type)) {
        PyErr_Format(PyExc_TypeError, "message type must be a str, not %.100s",
                     Py_TYPE(type)->tp_name);
        return NULL;
    }
    Py_ssize_t n = 0;
    const char *s = PyUnicode_AsUTF8AndSize(type, &n);
    if (!s) return NULL;
    if (n == 0 || n > 255 || strlen(s) != (size_t)n) {
        PyErr_Format(PyExc_ValueError, "message type %R must be 1..255 bytes without NUL", type);
        return NULL;
    }
    return s;
}

/* perf begin: one entry, as for classes: the last type str of a bytes message (held, so
 * its address is not reused while remembered) and its registered type, NULL if none.
 * Guarded by the GIL; register_type forgets it. */
static PyObject *last_str;
static const akt_type *last_str_type;

static const akt_type *str_type_of(PyObject *t, const char *name) {
    if (t == last_str) return last_str_type;
    const akt_type *typed;
    if (akt_type_lookup(name, &typed)) typed = NULL;
    Py_INCREF(t);
    Py_XSETREF(last_str, t);
    last_str_type = typed;
    return typed;
}
/* perf end */

static int bytes_msg_new(PyObject *obj, PyObject *type, akt_msg **out) {
    PyObject *t = type ? type : PyTuple_GET_ITEM(obj, 0);
    const char *name = type_arg(t);
    if (!name) return -1;
    const akt_type *typed = str_type_of(t, name); /* perf */
    Py_buffer view;
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(obj, 1), &view, PyBUF_SIMPLE) < 0) return -1;
    int rc = typed ? akt_msg_new_typed(typed, view.buf, (size_t)view.len, AKT_COPY, out)
                   : akt_msg_new_bytes(name, view.buf, (size_t)view.len, AKT_COPY, out);
    PyBuffer_Release(&view);
    if (rc) {
        akt_py_raise(rc, "akt_msg_new_bytes");
        return -1;
    }
    return 0;
}

/* perf begin: _fast.register_type(system, cls_or_name) -> id: interns the name (a class's
 * akt type name) so that messages of it carry the handle. */
PyObject *akt_py_register_type(PyObject *module, PyObject *args) {
    PyObject *sysobj, *what;
    if (!PyArg_ParseTuple(args, "O!O", &akt_py_system_type, &sysobj, &what)) return NULL;
    akt_py_system *s = (akt_py_system *)sysobj;
    const char *name;
    if (PyUnicode_Check(what)) {
        name = type_arg(what);
    } else if (PyType_Check(what)) {
        PyObject *b = type_name_lookup(what);
        name = b ? PyBytes_AS_STRING(b) : NULL;
    } else {
        PyErr_Format(PyExc_TypeError, "register_type takes a class or a str, not %.100s",
                     Py_TYPE(what)->tp_name);
        return NULL;
    }
    if (!name) return NULL;
    if (!s->sys) return akt_py_raise(AKT_ECLOSED, "register_type");
    const akt_type *t;
    int rc = akt_type_register(s->sys, name, &t);
    if (rc) return akt_py_raise(rc, "akt_type_register");
    last_cls = NULL; /* the one-entry caches look the handle up again */
    Py_CLEAR(last_str);
    return PyLong_FromUnsignedLong(akt_type_id(t));
}

/* _fast.type_id(name) -> the id of a registered name, 0 if it is not registered. */
PyObject *akt_py_type_id(PyObject *module, PyObject *name) {
    const char *n = type_arg(name);
    if (!n) return NULL;
    const akt_type *t;
    return PyLong_FromUnsignedLong(akt_type_lookup(n, &t) ? 0 : akt_type_id(t));
}
/* perf end */

int akt_py_msg_new(akt_py_system *s, PyObject *obj, PyObject *type, akt_msg **out) {
    if (type == Py_None) type = NULL;
    if (Py_TYPE(obj) == (PyTypeObject *)akt_py.bytes_type) return bytes_msg_new(obj, type, out);
    if (Py_TYPE(obj) == (PyTypeObject *)akt_py.message_type && PyTuple_GET_SIZE(obj) == 2) {
        /* akt.Message(value, headers): the value is the message, the headers go on it. */
        if (akt_py_msg_new(s, PyTuple_GET_ITEM(obj, 0), type, out)) return -1;
        if (akt_py_headers_set(*out, PyTuple_GET_ITEM(obj, 1))) {
            akt_msg_release(*out);
            return -1;
        }
        return 0;
    }
    const char *name;
    const akt_type *typed = NULL; /* perf */
    if (type) {
        name = type_arg(type);
    } else {
        PyObject *cached = type_name_of((PyObject *)Py_TYPE(obj));
        name = cached ? PyBytes_AS_STRING(cached) : NULL;
        typed = last_type; /* perf: last_cls is obj's class now */
    }
    if (!name) return -1;
    Py_INCREF(obj);
    const akt_object_ops *ops = s ? &s->ops : &akt_py_object_ops;
    int rc = typed ? akt_msg_new_typed_object(typed, obj, ops, out) /* perf */
                   : akt_msg_new_object(name, obj, ops, out);
    if (rc) {
        Py_DECREF(obj);
        akt_py_raise(rc, "akt_msg_new_object");
        return -1;
    }
    return 0;
}

/* A tuple subclass instance (a NamedTuple) built without running its Python __new__. */
static PyObject *tuple_of(PyObject *cls, Py_ssize_t n, PyObject **items) {
    PyObject *t = ((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, n);
    if (!t) {
        for (Py_ssize_t i = 0; i < n; i++) Py_DECREF(items[i]);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) PyTuple_SET_ITEM(t, i, items[i]);
    return t;
}

PyObject *akt_py_msg_value(akt_py_system *s, akt_msg *msg) {
    PyObject *obj = akt_py_msg_object(s, msg);
    if (obj) {
        Py_INCREF(obj);
        return obj;
    }
    const char *type = akt_msg_type(msg);
    if (!type) return akt_py_raise(AKT_EINVAL, "akt_msg_type");
    akt_pid pid;
    if (strcmp(type, AKT_TYPE_TERMINATED) == 0 && akt_msg_pid(msg, &pid) == 0) {
        PyObject *p = akt_py_pid_new(s, pid.id);
        if (!p) return NULL;
        return tuple_of(akt_py.terminated_type, 1, &p);
    }
    const void *data = NULL;
    size_t len = 0;
    int rc = akt_msg_bytes(msg, &data, &len);
    if (rc) {
        char what[320];
        snprintf(what, sizeof what, "a message of type '%s' has no bytes a Python actor can read",
                 type);
        return akt_py_raise(rc, what);
    }
    int matched = 0;
    PyObject *scalar = akt_py_scalar_value(type, data, len, &matched);
    if (matched) return scalar;
    PyObject *pb = akt_py_pb_value(type, data, len, &matched);
    if (matched) return pb;
    PyObject *items[2];
    items[0] = PyUnicode_FromString(type);
    items[1] = PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
    if (!items[0] || !items[1]) {
        Py_XDECREF(items[0]);
        Py_XDECREF(items[1]);
        return NULL;
    }
    return tuple_of(akt_py.bytes_type, 2, items);
}
