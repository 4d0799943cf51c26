/* schedule.c -- akt.ActorSystem's schedules: akt_schedule_once / every / cron, pause, resume,
 * cancel and the listing. The Python layer (system.py) converts seconds and names the
 * arguments; this file wraps the message and calls akt with the GIL held, which is safe
 * as for a tell: these calls never wait for anything that waits for the GIL (the fire
 * runs on akt's timer thread without Python, and a message it drops there is released
 * through decref.c's queue). */
#include "fastpath.h"

#include <stddef.h>
#include <string.h>

/* _schedule(pid, msg, type, delay_ns, interval_ns, reference, sender[, expr, flags]) -> str.
 * interval_ns 0 = once; an expr (str, already validated by the Python layer) = on that
 * cron expression with flags (AKT_CRON_UTC), delay and interval ignored. */
PyObject *akt_py_schedule(akt_py_system *s, PyObject *args) {
    PyObject *pid, *msg, *type, *ref, *sender, *expr = Py_None;
    long long delay, interval;
    unsigned flags = 0;
    if (!PyArg_ParseTuple(args, "OOOLLOO|OI", &pid, &msg, &type, &delay, &interval, &ref, &sender,
                          &expr, &flags))
        return NULL;
    const char *cron = NULL;
    if (expr != Py_None) {
        if (!PyUnicode_Check(expr)) {
            PyErr_Format(PyExc_TypeError, "a cron expression is a str, not %.100s",
                         Py_TYPE(expr)->tp_name);
            return NULL;
        }
        cron = PyUnicode_AsUTF8(expr);
        if (!cron) return NULL;
    }
    akt_pid to, from = {0};
    if (akt_py_pid_arg(s, pid, &to)) return NULL;
    if (sender != Py_None && akt_py_pid_arg(s, sender, &from)) return NULL;
    akt_schedule_options o = {sizeof o, NULL, from};
    if (ref != Py_None) {
        if (!PyUnicode_Check(ref)) {
            PyErr_Format(PyExc_TypeError, "reference must be a str or None, not %.100s",
                         Py_TYPE(ref)->tp_name);
            return NULL;
        }
        o.reference = PyUnicode_AsUTF8(ref);
        if (!o.reference) return NULL;
        if (!o.reference[0] || strlen(o.reference) > AKT_SCHEDULE_REF_MAX) {
            PyErr_Format(PyExc_ValueError, "reference must be 1 to %d bytes, got %R",
                         AKT_SCHEDULE_REF_MAX, ref);
            return NULL;
        }
    }
    akt_py_drain();
    akt_msg *m;
    if (akt_py_msg_new(s, msg, type == Py_None ? NULL : type, &m)) return NULL;
    /* Issue 17: every fire reads the same message, so a C target is judged once, now. */
    if (akt_py_reader_check(s, to, m, "schedule")) {
        akt_msg_release(m);
        return NULL;
    }
    char out[AKT_SCHEDULE_REF_MAX + 1];
    int rc = cron       ? akt_schedule_cron(s->sys, to, m, cron, flags, &o, out, sizeof out, NULL)
             : interval ? akt_schedule_every(s->sys, to, m, delay, interval, &o, out, sizeof out)
                        : akt_schedule_once(s->sys, to, m, delay, &o, out, sizeof out);
    if (rc) {
        akt_msg_release(m);
        if (rc == AKT_EEXIST) {
            PyObject *what = PyUnicode_FromFormat("schedule %R", ref);
            const char *w = what ? PyUnicode_AsUTF8(what) : NULL;
            if (w) akt_py_raise(rc, w);
            Py_XDECREF(what);
            return NULL;
        }
        return akt_py_raise(rc, "schedule");
    }
    return PyUnicode_FromString(out);
}

/* _schedule_op(op, reference): 0 pause, 1 resume, 2 cancel. */
PyObject *akt_py_schedule_op(akt_py_system *s, PyObject *args) {
    int op;
    PyObject *ref;
    if (!PyArg_ParseTuple(args, "iO", &op, &ref)) return NULL;
    if (!PyUnicode_Check(ref)) {
        PyErr_Format(PyExc_TypeError, "reference must be a str, not %.100s", Py_TYPE(ref)->tp_name);
        return NULL;
    }
    const char *r = PyUnicode_AsUTF8(ref);
    if (!r) return NULL;
    static const char *const names[] = {"pause_schedule", "resume_schedule", "cancel_schedule"};
    if (op < 0 || op > 2) {
        PyErr_SetString(PyExc_ValueError, "bad schedule operation");
        return NULL;
    }
    int rc = op == 0   ? akt_schedule_pause(s->sys, r)
             : op == 1 ? akt_schedule_resume(s->sys, r)
                       : akt_schedule_cancel(s->sys, r);
    akt_py_drain(); /* a cancel may have queued its message's release */
    if (rc) {
        PyObject *what = PyUnicode_FromFormat("%s %R", names[op], ref);
        const char *w = what ? PyUnicode_AsUTF8(what) : NULL;
        if (w) akt_py_raise(rc, w);
        Py_XDECREF(what);
        return NULL;
    }
    Py_RETURN_NONE;
}

typedef struct {
    akt_py_system *s;
    PyObject *list; /* NULL once something failed */
} list_acc;

static void list_one(const akt_schedule_info *info, void *data) {
    list_acc *a = data;
    if (!a->list) return;
    PyObject *target = akt_py_pid_new(a->s, info->target.id);
    PyObject *sender = target ? akt_py_pid_new(a->s, info->sender.id) : NULL;
    int has_cron = info->size >= offsetof(akt_schedule_info, cron_flags) + sizeof info->cron_flags;
    const char *expr = has_cron ? info->expression : NULL;
    PyObject *item = sender ? Py_BuildValue("(sNNiiLzI)", info->reference, target, sender,
                                            info->kind, info->paused, (long long)info->interval_ns,
                                            expr, has_cron ? info->cron_flags : 0u)
                            : NULL;
    if (!sender) Py_XDECREF(target);
    if (!item || PyList_Append(a->list, item)) Py_CLEAR(a->list);
    Py_XDECREF(item);
}

/* _schedules() -> [(reference, target Pid, sender Pid or None, kind, paused, interval_ns,
 *                   expression or None, cron_flags)] */
PyObject *akt_py_schedules(akt_py_system *s) {
    list_acc a = {s, PyList_New(0)};
    if (!a.list) return NULL;
    int rc = akt_schedule_list(s->sys, list_one, &a, NULL);
    if (rc) {
        Py_XDECREF(a.list);
        return akt_py_raise(rc, "schedules");
    }
    return a.list;
}
