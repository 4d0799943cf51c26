/* Remote spawn: the C half of ActorSystem.remote_spawn. A kind is a grain kind registered
 * on the other node (register_grain); the call waits, GIL released, for that node's answer. */
#include "fastpath.h"

#include <akt/remote.h>
#include <string.h>

PyObject *akt_py_remote_spawn(akt_py_system *self, PyObject *args, PyObject *kw) {
    static char *names[] = {"address", "kind", "name", "timeout", NULL};
    const char *address, *kind, *name;
    double timeout = 10.0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "sss|d:remote_spawn", names, &address, &kind, &name,
                                     &timeout))
        return NULL;
    if (!self->sys) {
        PyErr_SetString(PyExc_RuntimeError, "the actor system is not initialized");
        return NULL;
    }
    if (!(timeout > 0) || timeout > 1e9) {
        PyErr_SetString(PyExc_ValueError, "timeout must be a positive number of seconds");
        return NULL;
    }
    akt_pid pid;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_remote_spawn(self->sys, address, kind, name, (int64_t)(timeout * 1e9), &pid);
    Py_END_ALLOW_THREADS
    if (rc) return akt_py_raise(rc, "remote_spawn");
    return akt_py_pid_new(self, pid.id);
}
