/* module.c -- the akt._fast module: made by akt_py_fastpath_install(), which the Python
 * layer calls once through cffi, and registered in sys.modules. */
#include "fastpath.h"

#include <string.h>

akt_py_config akt_py;

PyObject *akt_py_error(int rc, const char *what) {
    if (!akt_py.error_for) {
        PyErr_Format(PyExc_RuntimeError, "%s: %s (%s)", what, akt_strerror(rc), akt_err_name(rc));
        return NULL;
    }
    PyObject *args[2] = {PyLong_FromLong(rc),
                         PyUnicode_DecodeUTF8(what, (Py_ssize_t)strlen(what), "replace")};
    PyObject *exc = args[0] && args[1] ? PyObject_Vectorcall(akt_py.error_for, args, 2, NULL)
                                       : NULL;
    Py_XDECREF(args[0]);
    Py_XDECREF(args[1]);
    return exc;
}

PyObject *akt_py_raise(int rc, const char *what) {
    PyObject *exc = akt_py_error(rc, what);
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

PyObject *akt_py_take_exception(void) {
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    if (tb && exc) PyException_SetTraceback(exc, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return exc;
}

void akt_py_log_failure(PyObject *pid, const char *where, PyObject *exc) {
    PyObject *w = PyUnicode_FromString(where);
    if (w) {
        PyObject *args[3] = {pid ? pid : Py_None, w, exc};
        PyObject *r = PyObject_Vectorcall(akt_py.log_failure, args, 3, NULL);
        Py_XDECREF(r);
        Py_DECREF(w);
    }
    PyErr_Clear();
}

void akt_py_log_pending(PyObject *pid, const char *where) {
    PyObject *exc = akt_py_take_exception();
    if (exc) {
        akt_py_log_failure(pid, where, exc);
        Py_DECREF(exc);
    }
    PyErr_Clear();
}

static int set_obj(PyObject *kwargs, const char *key, PyObject **slot) {
    PyObject *v = PyDict_GetItemString(kwargs, key);
    if (!v) {
        PyErr_Format(PyExc_TypeError, "configure() needs %s", key);
        return -1;
    }
    Py_INCREF(v);
    Py_XSETREF(*slot, v);
    return 0;
}

static int intern(PyObject **slot, const char *s) {
    if (*slot) return 0;
    *slot = PyUnicode_InternFromString(s);
    return *slot ? 0 : -1;
}

static PyObject *fast_configure(PyObject *module, PyObject *args, PyObject *kwargs) {
    if (PyTuple_GET_SIZE(args) || !kwargs) {
        PyErr_SetString(PyExc_TypeError, "configure() takes keyword arguments only");
        return NULL;
    }
    if (set_obj(kwargs, "bytes_type", &akt_py.bytes_type) ||
        set_obj(kwargs, "terminated_type", &akt_py.terminated_type) ||
        set_obj(kwargs, "pid_type", &akt_py.pid_type) ||
        set_obj(kwargs, "error_for", &akt_py.error_for) ||
        set_obj(kwargs, "failure_text", &akt_py.failure_text) ||
        set_obj(kwargs, "log_failure", &akt_py.log_failure) ||
        set_obj(kwargs, "get_running_loop", &akt_py.get_running_loop) ||
        set_obj(kwargs, "event_type", &akt_py.event_type) ||
        set_obj(kwargs, "ctx_ask", &akt_py.ctx_ask) ||
        set_obj(kwargs, "pipe_to", &akt_py.pipe_to) ||
        set_obj(kwargs, "pipe_prepare", &akt_py.pipe_prepare) ||
        set_obj(kwargs, "describe_ask", &akt_py.describe_ask) ||
        set_obj(kwargs, "actor_type", &akt_py.actor_type) ||
        set_obj(kwargs, "message_type", &akt_py.message_type) ||
        set_obj(kwargs, "async_start", &akt_py.async_start) ||
        set_obj(kwargs, "request_type", &akt_py.request_type))
        return NULL;
    if (!PyType_Check(akt_py.pid_type) ||
        !PyType_IsSubtype((PyTypeObject *)akt_py.pid_type, &akt_py_pid_type) ||
        !PyType_Check(akt_py.bytes_type) ||
        !PyType_IsSubtype((PyTypeObject *)akt_py.bytes_type, &PyTuple_Type) ||
        !PyType_Check(akt_py.terminated_type) ||
        !PyType_IsSubtype((PyTypeObject *)akt_py.terminated_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "configure(): pid_type must subclass PidBase, "
                                         "bytes_type and terminated_type must be tuples");
        return NULL;
    }
    Py_CLEAR(akt_py.base_pre_start);
    Py_CLEAR(akt_py.base_post_stop);
    akt_py.base_pre_start = PyObject_GetAttrString(akt_py.actor_type, "pre_start");
    akt_py.base_post_stop = PyObject_GetAttrString(akt_py.actor_type, "post_stop");
    if (!akt_py.base_pre_start || !akt_py.base_post_stop) return NULL;
    Py_RETURN_NONE;
}

static PyObject *fast_drain(PyObject *module, PyObject *unused) {
    akt_py_drain();
    Py_RETURN_NONE;
}

/* _settle(fut, ok, value): what call_soon_threadsafe runs on the loop of fut. */
static PyObject *fast_settle(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "_settle(fut, ok, value)");
        return NULL;
    }
    int ok = PyObject_IsTrue(args[1]);
    if (ok < 0 || akt_py_settle(args[0], ok, args[2])) return NULL;
    Py_RETURN_NONE;
}

/* resolve(fut, ok, value, thread): akt_py_resolve for the Python layer. */
static PyObject *fast_resolve(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "resolve(fut, ok, value, thread)");
        return NULL;
    }
    int ok = PyObject_IsTrue(args[1]);
    unsigned long thread = PyLong_AsUnsignedLong(args[3]);
    if (ok < 0 || (thread == (unsigned long)-1 && PyErr_Occurred()) ||
        akt_py_resolve(args[0], thread, ok, args[2]))
        return NULL;
    Py_RETURN_NONE;
}

/* Called at interpreter exit after every system stopped: from now on akt's threads leave
 * Python alone. */
static PyObject *fast_teardown(PyObject *module, PyObject *unused) {
    akt_py_drain();
    atomic_store_explicit(&akt_py_alive, 0, memory_order_release);
    Py_RETURN_NONE;
}

static PyObject *fast_type_name(PyObject *module, PyObject *obj) {
    akt_msg *m;
    if (akt_py_msg_new(NULL, obj, NULL, &m)) return NULL;
    PyObject *name = PyUnicode_FromString(akt_msg_type(m));
    akt_msg_release(m);
    return name;
}

/* to_bytes as a C actor would see it: for tests and for serializing at the boundary. */
static PyObject *fast_wire_bytes(PyObject *module, PyObject *obj) {
    akt_msg *m;
    if (akt_py_msg_new(NULL, obj, NULL, &m)) return NULL;
    const void *data = NULL;
    size_t len = 0;
    int rc;
    Py_BEGIN_ALLOW_THREADS /* to_bytes may take the GIL itself, as on a worker */
    rc = akt_msg_bytes(m, &data, &len);
    Py_END_ALLOW_THREADS
    PyObject *r = rc ? akt_py_raise(rc, "message bytes")
                     : PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
    akt_msg_release(m);
    return r;
}

static PyObject *fast_in_run(PyObject *module, PyObject *unused) {
    return PyBool_FromLong(akt_py_in_run);
}

static PyMethodDef fast_functions[] = {
    {"in_run", fast_in_run, METH_NOARGS,
     "True inside a callback run by a system's Python thread (dispatcher run)."},
    {"configure", (PyCFunction)(void (*)(void))fast_configure, METH_VARARGS | METH_KEYWORDS,
     "Hand the Python-level classes and helpers to the C side (once, at import)."},
    {"drain", fast_drain, METH_NOARGS, "Release Python objects akt let go of meanwhile."},
    {"_settle", (PyCFunction)(void (*)(void))fast_settle, METH_FASTCALL,
     "_settle(fut, ok, value): settle fut on this thread unless it is done."},
    {"resolve", (PyCFunction)(void (*)(void))fast_resolve, METH_FASTCALL,
     "resolve(fut, ok, value, thread): settle fut, which the asyncio loop of thread owns "
     "(0: a thread-safe future), from any thread."},
    {"teardown", fast_teardown, METH_NOARGS, "Interpreter exit: stop calling into Python."},
    {"type_name", fast_type_name, METH_O, "The akt type name a message gets."},
    /* perf begin: */
    {"register_type", akt_py_register_type, METH_VARARGS,
     "register_type(system, cls_or_name) -> id: messages of it carry an interned type."},
    {"type_id", akt_py_type_id, METH_O, "The id of a registered type name, 0 if none."},
    /* perf end */
    {"wire_bytes", fast_wire_bytes, METH_O, "The bytes a C actor reads for a message."},
    {"protobuf_register", akt_py_pb_register, METH_VARARGS,
     "protobuf_register(cls, full_name): instances of a generated protobuf class travel as "
     "messages of full_name with their protobuf encoding, and arrive as cls."},
    {"suspension_post", (PyCFunction)(void (*)(void))akt_py_suspension_post, METH_FASTCALL,
     "suspension_post(handle, ctx, fn): run fn() on the actor's turn for a suspended message "
     "(async receive), from any thread."},
    {"pipe_complete", (PyCFunction)(void (*)(void))akt_py_pipe_complete, METH_FASTCALL,
     "pipe_complete(pipe, code, value): complete a ctx.pipe_to pipe (code 0: deliver value, "
     "< 0: the task failed), from any thread."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef fast_module = {
    PyModuleDef_HEAD_INIT,
    "akt._fast",
    "The C fast path of akt's Python binding (see fastpath.h).",
    -1,
    fast_functions,
    NULL,
    NULL,
    NULL,
    NULL,
};

static int add_type(PyObject *m, PyTypeObject *t, const char *name) {
    if (PyType_Ready(t) < 0) return -1;
    Py_INCREF(t);
    if (PyModule_AddObject(m, name, (PyObject *)t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    return 0;
}

static int install(void) {
    PyObject *modules = PyImport_GetModuleDict();
    if (PyDict_GetItemString(modules, "akt._fast")) return 0;
    if (intern(&akt_py.str_receive, "receive") || intern(&akt_py.str_pre_start, "pre_start") ||
        intern(&akt_py.str_post_stop, "post_stop") ||
        intern(&akt_py.str_create_future, "create_future") ||
        intern(&akt_py.str_akt_type, "__akt_type__") || intern(&akt_py.str_module, "__module__") ||
        intern(&akt_py.str_qualname, "__qualname__") || intern(&akt_py.str_builtins, "builtins") ||
        intern(&akt_py.str_done, "done") || intern(&akt_py.str_set_result, "set_result") ||
        intern(&akt_py.str_set_exception, "set_exception") ||
        intern(&akt_py.str_get_loop, "get_loop") ||
        intern(&akt_py.str_call_soon_threadsafe, "call_soon_threadsafe") ||
        intern(&akt_py.str_close, "close") || intern(&akt_py.str_loop, "_loop") ||
        intern(&akt_py.str_rebind_loop, "_rebind_loop"))
        return -1;
    if (!akt_py.type_names && !(akt_py.type_names = PyDict_New())) return -1;
    PyObject *m = PyModule_Create(&fast_module);
    if (!m) return -1;
    if (add_type(m, &akt_py_system_type, "SystemCore") ||
        add_type(m, &akt_py_pid_type, "PidBase") || add_type(m, &akt_py_context_type, "Context") ||
        add_type(m, &akt_py_subscription_type, "Subscription") ||
        add_type(m, &akt_py_ask_handle_type, "AskHandle") ||
        PyModule_AddIntConstant(m, "MODE_PYTHON", AKT_PY_MODE_PYTHON) ||
        PyModule_AddIntConstant(m, "MODE_WORKERS", AKT_PY_MODE_WORKERS) ||
        PyDict_SetItemString(modules, "akt._fast", m) || akt_py_stream_install(modules) ||
        !(akt_py.settle_fn = PyObject_GetAttrString(m, "_settle"))) {
        Py_DECREF(m);
        return -1;
    }
    Py_DECREF(m);
    atomic_store_explicit(&akt_py_alive, 1, memory_order_release);
    return 0;
}

/* Exported to Python through cffi (declared in the cdef). cffi releases the GIL around
 * the call, so take it back here. Returns 0, or -1 with the error printed. */
int akt_py_fastpath_install(void) {
    PyGILState_STATE g = PyGILState_Ensure();
    int rc = install();
    if (rc) PyErr_Print();
    PyGILState_Release(g);
    return rc;
}
