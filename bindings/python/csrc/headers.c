/* Message headers and extensions: a mapping of str -> str | bytes set on an outgoing
 * message (akt_msg_set_header), read back as a dict in receive (ctx.headers). */
#include "fastpath.h"

int akt_py_headers_set(akt_msg *m, PyObject *headers) {
    if (!headers || headers == Py_None) return 0;
    if (!PyDict_Check(headers)) {
        PyErr_SetString(PyExc_TypeError, "headers must be a dict of str -> str or bytes");
        return -1;
    }
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(headers, &pos, &k, &v)) {
        if (!PyUnicode_Check(k)) {
            PyErr_SetString(PyExc_TypeError, "header names must be str");
            return -1;
        }
        const char *key = PyUnicode_AsUTF8(k);
        if (!key) return -1;
        const char *data;
        Py_ssize_t len;
        if (PyUnicode_Check(v)) {
            data = PyUnicode_AsUTF8AndSize(v, &len);
            if (!data) return -1;
        } else if (PyBytes_Check(v)) {
            data = PyBytes_AS_STRING(v);
            len = PyBytes_GET_SIZE(v);
        } else {
            PyErr_Format(PyExc_TypeError, "header %R: the value must be str or bytes, not %s", k,
                         Py_TYPE(v)->tp_name);
            return -1;
        }
        int rc = akt_msg_set_header(m, key, data, (size_t)len);
        if (rc) {
            akt_py_raise(rc, "header");
            return -1;
        }
    }
    return 0;
}

PyObject *akt_py_headers_dict(const akt_msg *m) {
    PyObject *d = PyDict_New();
    size_t n = 0;
    if (!d || akt_msg_header_count(m, &n)) return d;
    for (size_t i = 0; i < n; i++) {
        const char *key;
        const void *value;
        size_t len;
        if (akt_msg_header_at(m, i, &key, &value, &len)) continue;
        PyObject *v = PyUnicode_DecodeUTF8(value, (Py_ssize_t)len, NULL);
        if (!v) { /* not text: its bytes */
            PyErr_Clear();
            v = PyBytes_FromStringAndSize(value, (Py_ssize_t)len);
        }
        if (!v || PyDict_SetItemString(d, key, v)) {
            Py_XDECREF(v);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(v);
    }
    return d;
}
