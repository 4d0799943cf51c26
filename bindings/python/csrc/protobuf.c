/* protobuf.c -- protobuf messages as the generated class (the `protobuf` package).
 *
 * system.serializer_protobuf(cls) registers a generated message class here, process-wide,
 * by its full protobuf name (cls.DESCRIPTOR.full_name): its instances are sent as messages
 * of that type name whose bytes are msg.SerializeToString() (what akt's built-in
 * "protobuf" serializer carries, and what every other language's runtime reads), and a
 * bytes message of that type arriving at a Python actor becomes cls.FromString(bytes).
 * Both maps are touched with the GIL held only. */
#include "fastpath.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static PyObject *pb_by_class; /* dict: class -> None */
static PyObject *pb_by_type;  /* dict: str type name -> class */
/* How many classes were registered: read without the GIL by obj_to_bytes to skip the look-up
 * when none was. relaxed is enough: a class is registered before any of its instances is
 * sent (the registering thread's sends follow it; others are ordered by the GIL they took
 * to make the instance). */
static atomic_int pb_count;

int akt_py_pb_any(void) { return atomic_load_explicit(&pb_count, memory_order_relaxed) > 0; }

int akt_py_pb_bytes(PyObject *o, void **data, size_t *len, akt_free_fn *free_fn) {
    if (!pb_by_class) return AKT_ENOTSUP;
    PyObject *hit = PyDict_GetItemWithError(pb_by_class, (PyObject *)Py_TYPE(o));
    if (!hit) {
        PyErr_Clear();
        return AKT_ENOTSUP;
    }
    PyObject *b = PyObject_CallMethod(o, "SerializeToString", NULL);
    if (!b || !PyBytes_Check(b)) {
        if (PyErr_Occurred()) PyErr_WriteUnraisable(o);
        Py_XDECREF(b);
        return AKT_EINVAL;
    }
    size_t n = (size_t)PyBytes_GET_SIZE(b);
    void *copy = malloc(n ? n : 1);
    if (!copy) {
        Py_DECREF(b);
        return AKT_ENOMEM;
    }
    memcpy(copy, PyBytes_AS_STRING(b), n);
    Py_DECREF(b);
    *data = copy;
    *len = n;
    *free_fn = free;
    return 0;
}

PyObject *akt_py_pb_value(const char *type, const void *data, size_t len, int *matched) {
    *matched = 0;
    if (!pb_by_type || PyDict_GET_SIZE(pb_by_type) == 0) return NULL;
    PyObject *cls = PyDict_GetItemString(pb_by_type, type); /* borrowed */
    if (!cls) return NULL;
    *matched = 1;
    return PyObject_CallMethod(cls, "FromString", "y#", (const char *)data, (Py_ssize_t)len);
}

PyObject *akt_py_pb_register(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *cls, *name;
    if (!PyArg_ParseTuple(args, "OU:protobuf_register", &cls, &name)) return NULL;
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "protobuf_register: cls must be a class");
        return NULL;
    }
    Py_ssize_t n = 0;
    const char *utf8 = PyUnicode_AsUTF8AndSize(name, &n);
    if (!utf8) return NULL;
    if (n == 0 || n > 255 || (Py_ssize_t)strlen(utf8) != n) {
        PyErr_Format(PyExc_ValueError, "protobuf full name %R must be 1..255 bytes", name);
        return NULL;
    }
    if (!pb_by_class && !(pb_by_class = PyDict_New())) return NULL;
    if (!pb_by_type && !(pb_by_type = PyDict_New())) return NULL;
    PyObject *wire = PyBytes_FromStringAndSize(utf8, n);
    if (!wire) return NULL;
    /* The type name its instances are sent with (the cache type_name_of reads first). */
    int bad = PyDict_SetItem(akt_py.type_names, cls, wire) ||
              PyDict_SetItem(pb_by_class, cls, Py_None) || PyDict_SetItem(pb_by_type, name, cls);
    Py_DECREF(wire);
    if (bad) return NULL;
    atomic_fetch_add_explicit(&pb_count, 1, memory_order_relaxed);
    Py_RETURN_NONE;
}
