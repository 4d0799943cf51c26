/* Remote spawn: the C half of ActorSystem.remote_spawn. A kind is a grain kind registered
 * on the other node (register_grain); the call waits, GIL released, for that node's answer.
 * The options are those of a local spawn that are data (akt_remote_spawn_with): what is a
 * Python function (a supervisor's decide, class rules, a mailbox key) cannot cross and is
 * refused here with InvalidArgument (AKT_EINVAL) before anything is sent. */
#include "fastpath.h"

#include "actor.h"

#include <akt/remote.h>
#include <string.h>

/* passivation: None or (strategy, idle_ns, messages), akt.Passivation's fields (checked by
 * the spawning node as akt_passivation_set does). */
static int passivation_arg(PyObject *obj, akt_passivation *out) {
    if (!PyTuple_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "passivation must be an akt.Passivation, not %.100s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    long long idle = 0;
    unsigned long long messages = 0;
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    if (!PyArg_ParseTuple(obj, "iLK:passivation", &out->strategy, &idle, &messages)) return -1;
    out->idle_ns = idle;
    out->messages = messages;
    return 0;
}

/* mailbox: an akt.Mailbox whose order is data: FIFO or FAIR, bounded or not. A priority
 * mailbox (its key is a function) or any key refuses with AKT_EINVAL. */
static int remote_mailbox_arg(PyObject *obj, akt_mailbox_spec *out) {
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    if (akt_py_mailbox_arg(obj, out)) return -1;
    PyObject *key = PyObject_GetAttrString(obj, "key");
    if (!key) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return -1;
        PyErr_Clear();
    }
    int has_key = key && key != Py_None;
    Py_XDECREF(key);
    if (out->kind == AKT_MAILBOX_PRIORITY || has_key) {
        akt_py_raise(AKT_EINVAL, out->kind == AKT_MAILBOX_PRIORITY
                                     ? "remote_spawn: a priority mailbox cannot cross to "
                                       "another node (its key is a function)"
                                     : "remote_spawn: a mailbox with a key cannot cross to "
                                       "another node (a function)");
        return -1;
    }
    return 0;
}

PyObject *akt_py_remote_spawn(akt_py_system *self, PyObject *args, PyObject *kw) {
    static char *names[] = {"address", "kind",        "name",       "timeout",       "supervisor",
                            "mailbox", "passivation", "reentrancy", "max_in_flight", NULL};
    const char *address, *kind, *name;
    double timeout = 10.0;
    PyObject *supervisor = Py_None, *mailbox = Py_None, *passivation = Py_None,
             *reentrancy = Py_None;
    Py_ssize_t max_in_flight = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "sss|d$OOOOn:remote_spawn", names, &address, &kind,
                                     &name, &timeout, &supervisor, &mailbox, &passivation,
                                     &reentrancy, &max_in_flight))
        return NULL;
    if (!self->sys) {
        PyErr_SetString(PyExc_RuntimeError, "the actor system is not initialized");
        return NULL;
    }
    if (!(timeout > 0) || timeout > 1e9) {
        PyErr_SetString(PyExc_ValueError, "timeout must be a positive number of seconds");
        return NULL;
    }
    if (akt_py_max_in_flight_arg(max_in_flight)) return NULL;
    akt_remote_spawn_options o;
    akt_remote_spawn_options_init(&o);
    o.timeout_ns = (int64_t)(timeout * 1e9);
    o.max_in_flight = (uint32_t)max_in_flight;
    if (akt_py_reentrancy_arg(reentrancy, &o.reentrancy)) return NULL;
    akt_supervisor sup;
    akt_mailbox_spec mb;
    akt_passivation pv;
    if (supervisor != Py_None) {
        if (akt_py_supervisor_data(supervisor, &sup)) return NULL;
        o.supervisor = &sup;
    }
    if (mailbox != Py_None) {
        if (remote_mailbox_arg(mailbox, &mb)) return NULL;
        o.mailbox = &mb;
    }
    if (passivation != Py_None) {
        if (passivation_arg(passivation, &pv)) return NULL;
        o.passivation = &pv;
    }
    /* sup's rules table (per thread, see akt_py_supervisor_data) stays valid: this thread
     * waits in the call, which copies the options. */
    akt_pid pid;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_remote_spawn_with(self->sys, address, kind, name, &o, &pid);
    Py_END_ALLOW_THREADS
    if (rc) return akt_py_raise(rc, "remote_spawn");
    return akt_py_pid_new(self, pid.id);
}
