/* scalars.c -- Python values <-> akt's canonical scalar types (akt.h, AKT_TYPE_STRING ...).
 *
 * Sending: the exact builtin classes get the canonical type names (str -> akt.String,
 * bytes/bytearray -> akt.Bytes, int -> akt.Int64, float -> akt.Float64, bool -> akt.Bool,
 * None -> akt.Null, dict/list -> akt.Json). The message still carries the object itself:
 * Python actors get it by reference, and its bytes are made only when a C actor or another
 * binding asks for them (akt_py_scalar_bytes). An int outside int64 has no Int64 bytes:
 * AKT_EINVAL for whoever asks (the message cannot cross), never a silent JSON switch, so a
 * receiver always finds the encoding its type name says.
 * Receiving: a foreign message with a canonical name becomes the native value; a payload
 * that does not match its name raises (that message fails, nothing crashes). */
#include "fastpath.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static PyObject *json_dumps, *json_loads; /* json.dumps / json.loads, imported once (GIL) */

static int json_load_module(void) {
    if (json_dumps) return 0;
    PyObject *m = PyImport_ImportModule("json");
    if (!m) return -1;
    json_dumps = PyObject_GetAttrString(m, "dumps");
    json_loads = json_dumps ? PyObject_GetAttrString(m, "loads") : NULL;
    Py_DECREF(m);
    if (!json_loads) {
        Py_CLEAR(json_dumps);
        return -1;
    }
    return 0;
}

const char *akt_py_scalar_type(PyObject *cls) {
    PyTypeObject *t = (PyTypeObject *)cls;
    if (t == &PyUnicode_Type) return AKT_TYPE_STRING;
    if (t == &PyBytes_Type || t == &PyByteArray_Type) return AKT_TYPE_BYTES;
    if (t == &PyBool_Type) return AKT_TYPE_BOOL;
    if (t == &PyLong_Type) return AKT_TYPE_INT64;
    if (t == &PyFloat_Type) return AKT_TYPE_FLOAT64;
    if (t == Py_TYPE(Py_None)) return AKT_TYPE_NULL;
    if (t == &PyDict_Type || t == &PyList_Type) return AKT_TYPE_JSON;
    return NULL;
}

static void put_le64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static int owned(const void *src, size_t n, void **data, size_t *len, akt_free_fn *free_fn) {
    void *copy = malloc(n ? n : 1);
    if (!copy) return AKT_ENOMEM;
    memcpy(copy, src, n);
    *data = copy;
    *len = n;
    *free_fn = free;
    return 0;
}

static const unsigned char bool_bytes[2] = {0, 1};

int akt_py_scalar_bytes(PyObject *o, void **data, size_t *len, akt_free_fn *free_fn) {
    *free_fn = AKT_BORROW;
    if (o == Py_None) {
        *data = (void *)bool_bytes; /* any valid pointer: 0 bytes */
        *len = 0;
        return 0;
    }
    if (PyBool_Check(o)) {
        *data = (void *)&bool_bytes[o == Py_True];
        *len = 1;
        return 0;
    }
    unsigned char b[8];
    if (PyFloat_CheckExact(o)) {
        double d = PyFloat_AS_DOUBLE(o);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        put_le64(b, bits);
        return owned(b, 8, data, len, free_fn);
    }
    if (PyLong_CheckExact(o)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow) return AKT_EINVAL; /* no int64 form: documented, see above */
        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return AKT_EINVAL;
        }
        put_le64(b, (uint64_t)v);
        return owned(b, 8, data, len, free_fn);
    }
    if (PyDict_CheckExact(o) || PyList_CheckExact(o)) {
        if (json_load_module() < 0) {
            PyErr_Clear();
            return AKT_ENOMEM;
        }
        PyObject *args = PyTuple_Pack(1, o);
        PyObject *kw = args ? Py_BuildValue("{s:O,s:O,s:(ss)}", "ensure_ascii", Py_False,
                                            "allow_nan", Py_False, "separators", ",", ":")
                            : NULL;
        PyObject *text = kw ? PyObject_Call(json_dumps, args, kw) : NULL;
        Py_XDECREF(args);
        Py_XDECREF(kw);
        if (!text) {
            PyErr_Clear();
            return AKT_EINVAL; /* not JSON-able (a set, NaN, a cycle ...) */
        }
        Py_ssize_t n = 0;
        const char *utf8 = PyUnicode_AsUTF8AndSize(text, &n);
        int rc = utf8 ? owned(utf8, (size_t)n, data, len, free_fn) : AKT_EINVAL;
        if (!utf8) PyErr_Clear();
        Py_DECREF(text);
        return rc;
    }
    return AKT_ENOTSUP;
}

static PyObject *malformed(const char *type, size_t len, const char *want) {
    PyErr_Format(PyExc_ValueError, "malformed %s message: %zu bytes, expected %s", type, len, want);
    return NULL;
}

PyObject *akt_py_scalar_value(const char *type, const void *data, size_t len, int *matched) {
    *matched = 1;
    const unsigned char *p = data;
    if (strncmp(type, "akt.", 4) != 0) goto none;
    const char *t = type + 4;
    if (strcmp(t, "String") == 0) return PyUnicode_DecodeUTF8(data, (Py_ssize_t)len, "strict");
    if (strcmp(t, "Bytes") == 0) return PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
    if (strcmp(t, "Int64") == 0) {
        if (len != 8) return malformed(type, len, "8");
        return PyLong_FromLongLong((long long)get_le64(p));
    }
    if (strcmp(t, "Float64") == 0) {
        if (len != 8) return malformed(type, len, "8");
        uint64_t bits = get_le64(p);
        double d;
        memcpy(&d, &bits, 8);
        return PyFloat_FromDouble(d);
    }
    if (strcmp(t, "Bool") == 0) {
        if (len != 1 || p[0] > 1) return malformed(type, len, "1 byte, 0 or 1");
        return PyBool_FromLong(p[0]);
    }
    if (strcmp(t, "Null") == 0) {
        if (len != 0) return malformed(type, len, "0");
        Py_RETURN_NONE;
    }
    if (strcmp(t, "Json") == 0) {
        if (json_load_module() < 0) return NULL;
        PyObject *text = PyUnicode_DecodeUTF8(data, (Py_ssize_t)len, "strict");
        if (!text) return NULL;
        PyObject *v = PyObject_CallOneArg(json_loads, text);
        Py_DECREF(text);
        return v; /* json.JSONDecodeError (a ValueError) on bad JSON */
    }
none:
    *matched = 0;
    return NULL;
}
