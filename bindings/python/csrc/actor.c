/* actor.c -- Python actors: spawning, the behaviour callbacks akt calls, supervisors. */
#include "actor.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ binding an instance */

/* Bound method name of actor, or NULL (no error) when it is the no-op of akt.Actor. */
static int bind_optional(PyObject *actor, PyObject *name, PyObject *base, PyObject **out) {
    *out = NULL;
    PyObject *fn = PyObject_GetAttr((PyObject *)Py_TYPE(actor), name);
    if (!fn) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return -1;
        PyErr_Clear();
        return 0;
    }
    int is_base = fn == base;
    Py_DECREF(fn);
    if (is_base) return 0;
    *out = PyObject_GetAttr(actor, name);
    return *out ? 0 : -1;
}

static int cell_bind(akt_py_cell *c, PyObject *actor) {
    int ok = PyObject_IsInstance(actor, akt_py.actor_type);
    if (ok < 0) return -1;
    if (!ok) {
        PyErr_Format(PyExc_TypeError,
                     "an actor must be an akt.Actor instance (or a callable returning one), "
                     "got %.100s",
                     Py_TYPE(actor)->tp_name);
        return -1;
    }
    PyObject *receive = PyObject_GetAttr(actor, akt_py.str_receive);
    if (!receive) return -1;
    PyObject *pre = NULL, *post = NULL;
    if (bind_optional(actor, akt_py.str_pre_start, akt_py.base_pre_start, &pre) ||
        bind_optional(actor, akt_py.str_post_stop, akt_py.base_post_stop, &post)) {
        Py_DECREF(receive);
        Py_XDECREF(pre);
        return -1;
    }
    Py_INCREF(actor);
    Py_XSETREF(c->actor, actor);
    Py_XSETREF(c->receive, receive);
    Py_XSETREF(c->pre_start, pre);
    Py_XSETREF(c->post_stop, post);
    return 0;
}

static void cell_free_now(akt_py_cell *c) {
    Py_XDECREF((PyObject *)c->system);
    Py_XDECREF(c->actor);
    Py_XDECREF(c->factory);
    Py_XDECREF(c->receive);
    Py_XDECREF(c->pre_start);
    Py_XDECREF(c->post_stop);
    Py_XDECREF(c->stack);
    Py_XDECREF(c->deps);
    Py_XDECREF(c->keep);
    Py_XDECREF(c->mailbox_key);
    Py_XDECREF(c->ctx);
    Py_XDECREF(c->self_pid);
    free(c);
}

/* ------------------------------------------------------------------ the context's life */

static akt_py_context *ctx_begin(akt_py_cell *c, akt_ctx *ctx) {
    akt_py_context *cx = (akt_py_context *)c->ctx;
    if (!cx) {
        cx = PyObject_New(akt_py_context, &akt_py_context_type);
        if (!cx) return NULL;
        c->ctx = (PyObject *)cx;
    }
    cx->ctx = ctx;
    cx->cell = c;
    cx->thread = PyThread_get_thread_ident();
    cx->unhandled = 0;
    cx->responded = 0;
    return cx;
}

static void ctx_end(akt_py_cell *c, akt_py_context *cx) {
    cx->ctx = NULL;
    cx->cell = NULL;
    /* Someone kept the context: it stays invalid, and the next callback gets a new one. */
    if (Py_REFCNT(cx) > 1) Py_CLEAR(c->ctx);
}

/* ------------------------------------------------------------------ failures */

int akt_py_fail(akt_py_cell *c, akt_ctx *ctx, const char *where) {
    PyObject *exc = akt_py_take_exception();
    if (!exc) return akt_ctx_fail(ctx, where);
    int interrupt = PyErr_GivenExceptionMatches(exc, PyExc_KeyboardInterrupt);
    /* The reason akt gets is "<type>: <message>" (what deciders, failure events and askers
     * see, as for a C actor's akt_ctx_fail); the Python side keeps the traceback for the
     * failure event and logs it. */
    PyObject *fargs[2] = {c->self_pid ? c->self_pid : Py_None, exc};
    PyObject *text = PyObject_Vectorcall(akt_py.failure_text, fargs, 2, NULL);
    const char *reason = text && PyUnicode_Check(text) ? PyUnicode_AsUTF8(text) : NULL;
    if (!reason) PyErr_Clear();
    akt_py_log_failure(c->self_pid, where, exc);
    /* An asker gets the exception itself too: a Python asker raises it as __cause__. */
    int expected = 0;
    akt_msg *detail = NULL;
    if (akt_ctx_reply_expected(ctx, &expected) == 0 && expected &&
        akt_py_msg_new(c->system, exc, Py_None, &detail) != 0)
        PyErr_Clear(); /* then the asker has the reason only */
    int rc = akt_ctx_fail_with(ctx, reason ? reason : where, detail);
    if (detail) akt_msg_release(detail);
    Py_XDECREF(text);
    Py_DECREF(exc);
    /* Ctrl-C inside an actor on the main thread still stops the program. */
    if (interrupt) PyErr_SetInterrupt();
    return rc ? rc : AKT_EFAILED;
}

/* ------------------------------------------------------------------ callbacks */

/* Only receive (and become handlers) may be async: a coroutine from another callback has no
 * message to keep while it waits. Closes it and raises TypeError (a failure); else r. */
static PyObject *refuse_coroutine(PyObject *r, const char *where) {
    if (!r || !PyCoro_CheckExact(r)) return r;
    PyObject *closed = PyObject_CallMethodNoArgs(r, akt_py.str_close);
    Py_XDECREF(closed);
    Py_DECREF(r);
    PyErr_Format(PyExc_TypeError,
                 "%s returned a coroutine: only receive (and become handlers) may be async "
                 "def; define it with def",
                 where);
    return NULL;
}

static int cell_self(akt_py_cell *c, akt_ctx *ctx) {
    if (c->self_pid) return 0;
    akt_pid self;
    int rc = akt_ctx_self(ctx, &self);
    if (rc) return rc;
    c->self_pid = akt_py_pid_new(c->system, self.id);
    if (!c->self_pid) PyErr_Clear();
    return 0;
}

/* An async receive's first step, now (akt._async drives the rest). Takes coro; returns a
 * new reference or NULL with the exception set. A coroutine that does not wait finishes
 * here, in C, without a call into the Python layer or a StopIteration. */
static PyObject *async_start(akt_py_context *cx, PyObject *coro) {
    PyObject *r;
#if PY_VERSION_HEX >= 0x030A0000
    PyObject *yielded = NULL;
    PySendResult sr = PyIter_Send(coro, Py_None, &yielded);
    if (sr == PYGEN_RETURN) {
        Py_DECREF(yielded); /* the coroutine's return value: receive's result is ignored */
        r = Py_NewRef(Py_None);
    } else if (sr == PYGEN_ERROR) {
        r = NULL;
    } else {
        r = PyObject_CallFunctionObjArgs(akt_py.async_start, (PyObject *)cx, coro, yielded, NULL);
        Py_DECREF(yielded);
    }
#else
    r = PyObject_CallFunctionObjArgs(akt_py.async_start, (PyObject *)cx, coro, NULL);
#endif
    Py_DECREF(coro);
    return r;
}

/* Hands one message to handler(ctx, msg). GIL held. Returns 0, AKT_EUNHANDLED or the
 * failure code (the exception is handed to akt_ctx_fail); *responded tells whether the
 * handler answered it. */
static int handle_message(akt_py_cell *c, akt_ctx *ctx, akt_msg *msg, PyObject *handler,
                          int *responded) {
    akt_py_drain(); /* what the previous message left behind */
    int rc;
    Py_INCREF(handler);
    akt_py_context *cx = ctx_begin(c, ctx);
    PyObject *value = cx ? akt_py_msg_value(c->system, msg) : NULL;
    if (!value) {
        rc = akt_py_fail(c, ctx, "receive");
    } else {
        PyObject *args[3] = {NULL, (PyObject *)cx, value};
        PyObject *r = PyObject_Vectorcall(handler, args + 1, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                          NULL);
        Py_DECREF(value);
        if (r && PyCoro_CheckExact(r)) r = async_start(cx, r);
        if (!r) {
            rc = akt_py_fail(c, ctx, "receive");
        } else {
            Py_DECREF(r);
            rc = cx->unhandled ? AKT_EUNHANDLED : 0;
        }
    }
    *responded = cx && cx->responded;
    if (cx) ctx_end(c, cx);
    Py_DECREF(handler);
    return rc;
}

/* A run of the actor's messages: one GIL acquisition for all of them. The first message
 * is pulled before taking the GIL, so a turn that finds the mailbox empty costs none.
 * akt_ctx_next finishes the message before it pulls the next, so each message is released
 * here with the GIL held (decref.c). A failure returns before the next pull: it is the
 * failure of the message being handled, and the rest stay in the mailbox. An unhandled
 * message needs no return code, as ctx.unhandled() told akt already.
 *
 * One exception on akt's workers: after an answer, the GIL is handed back before the next
 * pull. The asker is usually blocked on that answer and needs the GIL next, and the pull
 * may wait a moment for more mail; holding the GIL through it would make the asker sleep
 * on the GIL as well (a second wake-up per round trip). That message is then released
 * without the GIL, as a foreign thread's release. */
static int cb_receive_batch(akt_ctx *ctx, void *state) {
    akt_py_cell *c = state;
    akt_msg *msg;
    if (akt_ctx_next(ctx, &msg) != 0) return 0;
    int entered = akt_py_enter();
    if (entered < 0) return AKT_ECLOSED;
    for (;;) {
        int responded = 0;
        int rc = handle_message(c, ctx, msg, c->receive, &responded);
        if (rc != 0 && rc != AKT_EUNHANDLED) {
            akt_py_leave(entered);
            return rc;
        }
        if (responded && entered == 0) {
            akt_py_drain();
            akt_py_leave(entered);
            if (akt_ctx_next(ctx, &msg) != 0) return 0;
            if ((entered = akt_py_enter()) < 0) return AKT_ECLOSED;
        } else if (akt_ctx_next(ctx, &msg) != 0) {
            break;
        }
    }
    akt_py_drain();
    akt_py_leave(entered);
    return 0;
}

/* One message for the actor's own receive (akt calls it when it does not run a batch),
 * or for the handler on top of the become stack (state = the cell). */
static int run_receive(akt_ctx *ctx, akt_msg *msg, akt_py_cell *c, int become) {
    int entered = akt_py_enter();
    if (entered < 0) return AKT_ECLOSED;
    PyObject *handler = c->receive;
    if (become && PyList_GET_SIZE(c->stack) > 0)
        handler = PyList_GET_ITEM(c->stack, PyList_GET_SIZE(c->stack) - 1);
    int responded;
    int rc = handle_message(c, ctx, msg, handler, &responded);
    akt_py_leave(entered);
    return rc;
}

static int cb_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return run_receive(ctx, msg, state, 0);
}

int akt_py_become_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return run_receive(ctx, msg, state, 1);
}

/* ------------------------------------------------------------------ requests */

typedef struct py_request {
    akt_py_cell *cell; /* the requester: its continuation runs on its turn, while it lives */
    PyObject *then;    /* strong, or NULL */
} py_request;

void *akt_py_request_new(akt_py_cell *c, PyObject *then) {
    py_request *r = malloc(sizeof *r);
    if (!r) {
        PyErr_NoMemory();
        return NULL;
    }
    r->cell = c;
    r->then = then == Py_None ? NULL : then;
    Py_XINCREF(r->then);
    return r;
}

/* then(ctx, reply, error): reply on success (error None), else None and the exception. */
int akt_py_request_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    py_request *r = data;
    akt_py_cell *c = r->cell;
    PyObject *then = r->then;
    free(r);
    if (!then) return 0;
    int entered = akt_py_enter();
    if (entered < 0) return AKT_ECLOSED; /* Python is gone: so is the callable */
    akt_py_drain();
    int out = 0;
    akt_py_context *cx = ctx_begin(c, ctx);
    PyObject *value = NULL, *err = NULL;
    if (cx) {
        if (rc == 0) {
            value = reply ? akt_py_msg_value(c->system, reply) : Py_NewRef(Py_None);
            err = value ? Py_NewRef(Py_None) : NULL;
        } else {
            err = akt_py_error(rc, "request");
            value = err ? Py_NewRef(Py_None) : NULL;
        }
    }
    if (!value || !err) {
        out = akt_py_fail(c, ctx, "request continuation");
    } else {
        PyObject *args[4] = {NULL, (PyObject *)cx, value, err};
        PyObject *res = PyObject_Vectorcall(then, args + 1, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                            NULL);
        res = refuse_coroutine(res, "a request's then");
        if (!res) out = akt_py_fail(c, ctx, "request continuation");
        Py_XDECREF(res);
    }
    Py_XDECREF(value);
    Py_XDECREF(err);
    if (cx) ctx_end(c, cx);
    Py_DECREF(then);
    akt_py_leave(entered);
    return out;
}

void akt_py_request_drop(void *data) {
    py_request *r = data;
    /* Any thread (a stop, the shutdown's drain): the deferred release. */
    if (r->then) akt_py_decref_later(r->then);
    free(r);
}

int akt_py_reentrancy_arg(PyObject *obj, int *out) {
    *out = AKT_REENTRANCY_DEFAULT;
    if (!obj || obj == Py_None) return 0;
    const char *s = PyUnicode_Check(obj) ? PyUnicode_AsUTF8(obj) : NULL;
    if (!s) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "reentrancy must be a str or None, not %.100s",
                         Py_TYPE(obj)->tp_name);
        return -1;
    }
    if (strcmp(s, "off") == 0)
        *out = AKT_REENTRANCY_OFF;
    else if (strcmp(s, "allow_all") == 0)
        *out = AKT_REENTRANCY_ALLOW_ALL;
    else if (strcmp(s, "stash") == 0)
        *out = AKT_REENTRANCY_STASH;
    else {
        PyErr_Format(PyExc_ValueError, "reentrancy must be 'off', 'allow_all' or 'stash', not %R",
                     obj);
        return -1;
    }
    return 0;
}

/* Calls fn(ctx) if fn is set. Returns 0 or the failure code. */
static int call_hook(akt_py_cell *c, akt_ctx *ctx, PyObject *fn, const char *where) {
    if (!fn) return 0;
    akt_py_context *cx = ctx_begin(c, ctx);
    if (!cx) return akt_py_fail(c, ctx, where);
    Py_INCREF(fn);
    PyObject *r = refuse_coroutine(PyObject_CallOneArg(fn, (PyObject *)cx), where);
    Py_DECREF(fn);
    int rc = r ? 0 : akt_py_fail(c, ctx, where);
    Py_XDECREF(r);
    ctx_end(c, cx);
    return rc;
}

static int cb_pre_start(akt_ctx *ctx, void *state) {
    akt_py_cell *c = state;
    int entered = akt_py_enter();
    if (entered < 0) return AKT_ECLOSED;
    akt_py_drain();
    int rc = cell_self(c, ctx);
    if (rc == 0 && c->started && c->factory) {
        /* A restart with a factory gets a fresh instance, as a new actor would. */
        PyObject *fresh = PyObject_CallNoArgs(c->factory);
        if (!fresh || cell_bind(c, fresh)) rc = akt_py_fail(c, ctx, "the actor factory");
        Py_XDECREF(fresh);
    }
    c->started = 1;
    if (PyList_GET_SIZE(c->stack)) PyList_SetSlice(c->stack, 0, PyList_GET_SIZE(c->stack), NULL);
    if (rc == 0) rc = call_hook(c, ctx, c->pre_start, "pre_start");
    akt_py_leave(entered);
    return rc;
}

static void cb_post_stop(akt_ctx *ctx, void *state) {
    akt_py_cell *c = state;
    int entered = akt_py_enter();
    if (entered < 0) return;
    akt_py_drain();
    if (c->post_stop) {
        akt_py_context *cx = ctx_begin(c, ctx);
        PyObject *r = cx ? refuse_coroutine(PyObject_CallOneArg(c->post_stop, (PyObject *)cx),
                                            "post_stop")
                         : NULL;
        /* The actor stops anyway; the failure is logged and reported through akt (an
         * ACTOR_FAILED event), as a C actor's akt_ctx_fail in post_stop is. */
        if (!r && cx)
            akt_py_fail(c, ctx, "post_stop");
        else if (!r)
            akt_py_log_pending(c->self_pid, "post_stop");
        Py_XDECREF(r);
        if (cx) ctx_end(c, cx);
    }
    akt_py_leave(entered);
}

static void cb_free_state(void *state) {
    akt_py_cell *c = state;
    /* Any akt thread, maybe inside akt: hand every reference to the deferred release. */
    PyObject *objs[] = {(PyObject *)c->system,
                        c->actor,
                        c->factory,
                        c->receive,
                        c->pre_start,
                        c->post_stop,
                        c->stack,
                        c->deps,
                        c->keep,
                        c->ctx,
                        c->self_pid};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) akt_py_decref_later(objs[i]);
    free(c);
}

static const akt_behavior py_behavior = {.size = sizeof(akt_behavior),
                                         .receive = cb_receive,
                                         .receive_batch = cb_receive_batch,
                                         .pre_start = cb_pre_start,
                                         .post_stop = cb_post_stop,
                                         .free_state = cb_free_state};

/* For pool routers (router.c): the behaviour of every Python actor, and a cell for a new
 * routee made by factory on a thread that holds the GIL. 0, or -1 with an exception set. */
const akt_behavior *akt_py_actor_behavior(void) { return &py_behavior; }

int akt_py_routee_cell(akt_py_system *s, PyObject *factory, int mode, void **out) {
    akt_py_cell *c = calloc(1, sizeof *c);
    if (!c) {
        PyErr_NoMemory();
        return -1;
    }
    Py_INCREF(s);
    c->system = s;
    c->mode = mode;
    Py_INCREF(factory);
    c->factory = factory; /* a restart makes a fresh instance, as for spawn(factory) */
    PyObject *first = NULL;
    int failed = !(c->stack = PyList_New(0)) || !(first = PyObject_CallNoArgs(factory)) ||
                 cell_bind(c, first);
    Py_XDECREF(first);
    if (failed) {
        cell_free_now(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* ------------------------------------------------------------------ supervisors */

static int cb_decide(int code, const char *reason, void *data) {
    int entered = akt_py_enter();
    if (entered < 0) return -1;
    int directive = -1;
    PyObject *args[2] = {PyLong_FromLong(code),
                         reason
                             ? PyUnicode_DecodeUTF8(reason, (Py_ssize_t)strlen(reason), "replace")
                             : (Py_INCREF(Py_None), Py_None)};
    if (args[0] && args[1]) {
        PyObject *r = PyObject_Vectorcall((PyObject *)data, args, 2, NULL);
        if (r) {
            directive = (int)PyLong_AsLong(r);
            Py_DECREF(r);
        }
    }
    if (PyErr_Occurred()) {
        PyErr_WriteUnraisable((PyObject *)data);
        directive = -1;
    }
    Py_XDECREF(args[0]);
    Py_XDECREF(args[1]);
    akt_py_leave(entered);
    return directive;
}

/* obj.name, a missing attribute reported as what it means here: obj is no Supervisor. */
static PyObject *supervisor_attr(PyObject *obj, const char *name) {
    PyObject *v = PyObject_GetAttrString(obj, name);
    if (!v && PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "supervisor must be an akt.Supervisor, not %.100s",
                     Py_TYPE(obj)->tp_name);
    }
    return v;
}

/* obj.backoff: None or an akt.Backoff (checked by its __post_init__; the core checks
 * again): ._ns = (initial, maximum, reset_after) in ns, .multiplier, .jitter. */
static int backoff_fill(PyObject *obj, akt_supervisor *out) {
    PyObject *b = supervisor_attr(obj, "backoff");
    if (!b) return -1;
    int rc = 0;
    if (b != Py_None) {
        PyObject *ns = PyObject_GetAttrString(b, "_ns");
        PyObject *m = PyObject_GetAttrString(b, "multiplier");
        PyObject *j = PyObject_GetAttrString(b, "jitter");
        long long lo = 0, hi = 0, reset = 0;
        rc = !ns || !m || !j || !PyArg_ParseTuple(ns, "LLL", &lo, &hi, &reset) ? -1 : 0;
        double mult = rc ? 0 : PyFloat_AsDouble(m), jit = rc ? 0 : PyFloat_AsDouble(j);
        if (!rc && PyErr_Occurred()) rc = -1;
        Py_XDECREF(ns);
        Py_XDECREF(m);
        Py_XDECREF(j);
        if (!rc) {
            out->backoff_min_ns = lo;
            out->backoff_max_ns = hi;
            out->backoff_reset_ns = reset;
            out->backoff_multiplier = mult;
            out->backoff_jitter = jit;
        }
    }
    Py_DECREF(b);
    return rc;
}

/* obj._code_rules: ((code, directive), ...), at most 64 (Supervisor checks it). The table
 * lives in a per-thread buffer until the next fill on this thread: akt copies it in the
 * akt_spawn / akt_system_create that follows. */
static int code_rules_fill(PyObject *obj, akt_supervisor *out) {
    static _Thread_local akt_supervisor_rule table[64];
    PyObject *rules = supervisor_attr(obj, "_code_rules");
    if (!rules) return -1;
    int rc = PyTuple_Check(rules) && PyTuple_GET_SIZE(rules) <= 64 ? 0 : -1;
    if (rc) PyErr_SetString(PyExc_ValueError, "invalid supervisor rules");
    Py_ssize_t n = rc ? 0 : PyTuple_GET_SIZE(rules);
    for (Py_ssize_t i = 0; i < n && !rc; i++)
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(rules, i), "ii", &table[i].code,
                              &table[i].directive))
            rc = -1;
    Py_DECREF(rules);
    if (!rc && n > 0) {
        out->rules = table;
        out->rule_count = (size_t)n;
    }
    return rc;
}

/* obj: None or an akt.Supervisor with .directive (int) and ._decide (callable or None). */
static int supervisor_fill(PyObject *obj, akt_supervisor *out, PyObject **decide) {
    *decide = NULL;
    PyObject *d = supervisor_attr(obj, "directive");
    if (!d) return -1;
    long directive = PyLong_AsLong(d);
    Py_DECREF(d);
    if (directive == -1 && PyErr_Occurred()) return -1;
    if (directive < AKT_DIRECTIVE_RESTART || directive > AKT_DIRECTIVE_SUSPEND) {
        PyErr_Format(PyExc_ValueError, "unknown supervisor directive %ld", directive);
        return -1;
    }
    PyObject *fn = supervisor_attr(obj, "_decide");
    if (!fn) return -1;
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->strategy = AKT_STRATEGY_ONE_FOR_ONE;
    out->default_directive = (int)directive;
    /* Checked by Supervisor.__post_init__; the core checks them again (AKT_EINVAL). */
    static const char *const ints[4] = {"strategy", "max_retries", "_within_ns", "_exhausted"};
    long long v[4];
    for (int i = 0; i < 4; i++) {
        PyObject *o = supervisor_attr(obj, ints[i]);
        if (!o) {
            Py_DECREF(fn);
            return -1;
        }
        v[i] = PyLong_AsLongLong(o);
        Py_DECREF(o);
        if (v[i] == -1 && PyErr_Occurred()) {
            Py_DECREF(fn);
            return -1;
        }
    }
    if (v[0] != AKT_STRATEGY_ONE_FOR_ONE && v[0] != AKT_STRATEGY_ONE_FOR_ALL) {
        Py_DECREF(fn);
        PyErr_Format(PyExc_ValueError, "unknown supervisor strategy %lld", v[0]);
        return -1;
    }
    if (v[1] < 0 || v[1] > (long long)UINT32_MAX || v[2] < 0 || (v[1] > 0 && v[2] == 0)) {
        Py_DECREF(fn);
        PyErr_SetString(PyExc_ValueError, "invalid supervisor retry budget");
        return -1;
    }
    out->strategy = (int)v[0];
    out->max_retries = (uint32_t)v[1];
    out->within_ns = (int64_t)v[2];
    out->on_retries_exhausted = (int)v[3]; /* AKT_EXHAUSTED_*; the core checks it */
    if (backoff_fill(obj, out) || code_rules_fill(obj, out)) {
        Py_DECREF(fn);
        return -1;
    }
    if (fn != Py_None) {
        out->decide = cb_decide;
        out->decide_data = fn;
        *decide = fn; /* the caller keeps it alive as long as akt may call it */
    } else {
        Py_DECREF(fn);
    }
    return 0;
}

int akt_py_supervisor_arg(akt_py_system *s, PyObject *obj, akt_supervisor *out) {
    if (!obj || obj == Py_None) return 1;
    PyObject *decide;
    if (supervisor_fill(obj, out, &decide)) return -1;
    if (decide) {
        int bad = PyList_Append(s->keep, decide);
        Py_DECREF(decide);
        if (bad) return -1;
    }
    return 0;
}

/* For a remote spawn (remote2.c): obj, an akt.Supervisor, as data only, since a function
 * cannot cross to another node. A decide, or a rule by a class that is no akt error class
 * (only those have a code), raises InvalidArgument (AKT_EINVAL); rules by akt error class
 * cross as akt's rules by code. The rules table is valid as after code_rules_fill. */
int akt_py_supervisor_data(PyObject *obj, akt_supervisor *out) {
    PyObject *user = supervisor_attr(obj, "decide");
    if (!user) return -1;
    int has_decide = user != Py_None;
    Py_DECREF(user);
    if (has_decide) {
        akt_py_raise(AKT_EINVAL, "remote_spawn: a supervisor with decide cannot cross to "
                                 "another node (a function); use its directive and rules by "
                                 "akt error class");
        return -1;
    }
    PyObject *rules = supervisor_attr(obj, "rules");
    if (!rules) return -1;
    PyObject *codes = rules != Py_None ? supervisor_attr(obj, "_code_rules") : NULL;
    Py_ssize_t n_rules = codes ? PyObject_Length(rules) : 0;
    Py_ssize_t n_codes = codes ? PyObject_Length(codes) : 0;
    int missing = rules != Py_None && !codes;
    Py_DECREF(rules);
    Py_XDECREF(codes);
    if (missing || n_rules < 0 || n_codes < 0) return -1;
    if (n_rules != n_codes) {
        akt_py_raise(AKT_EINVAL, "remote_spawn: a supervisor's rules cannot cross to another "
                                 "node unless each is by an akt error class (its code: a rule "
                                 "by another exception class needs this process)");
        return -1;
    }
    PyObject *decide;
    if (supervisor_fill(obj, out, &decide)) return -1;
    /* Without a user decide, _decide is only the matcher of class rules (here all by code,
     * which akt's rules table holds): none crosses. */
    Py_XDECREF(decide);
    out->decide = NULL;
    out->decide_data = NULL;
    return 0;
}

/* ------------------------------------------------------------------ spawning */

int akt_py_max_in_flight_arg(Py_ssize_t max_in_flight) {
    if (max_in_flight >= 0 && (uint64_t)max_in_flight <= UINT32_MAX) return 0;
    PyErr_Format(PyExc_ValueError, "max_in_flight must be >= 0 (0: no limit), got %zd",
                 max_in_flight);
    return -1;
}

int akt_py_mode_arg(akt_py_system *s, PyObject *obj, int inherit, int *mode) {
    if (!obj || obj == Py_None) {
        *mode = inherit >= 0 ? inherit : s->default_mode;
        return 0;
    }
    if (PyUnicode_Check(obj)) {
        if (PyUnicode_CompareWithASCIIString(obj, "python") == 0) {
            *mode = AKT_PY_MODE_PYTHON;
            return 0;
        }
        if (PyUnicode_CompareWithASCIIString(obj, "workers") == 0) {
            *mode = AKT_PY_MODE_WORKERS;
            return 0;
        }
    }
    PyErr_Format(PyExc_ValueError, "dispatcher must be 'python', 'workers' or None, not %R", obj);
    return -1;
}

/* Fills the dependency arrays from a mapping; values stay alive in c->deps. */
static int deps_arg(akt_py_cell *c, PyObject *deps, const char ***names, void ***values,
                    size_t *count) {
    *names = NULL;
    *values = NULL;
    *count = 0;
    if (!deps || deps == Py_None) return 0;
    if (!PyDict_Check(deps)) {
        PyErr_SetString(PyExc_TypeError, "dependencies must be a dict of name -> value");
        return -1;
    }
    c->deps = PyDict_Copy(deps);
    if (!c->deps) return -1;
    Py_ssize_t n = PyDict_GET_SIZE(c->deps);
    *names = PyMem_Calloc((size_t)(n ? n : 1), sizeof **names);
    *values = PyMem_Calloc((size_t)(n ? n : 1), sizeof **values);
    if (!*names || !*values) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t pos = 0, i = 0;
    PyObject *k, *v;
    while (PyDict_Next(c->deps, &pos, &k, &v)) {
        if (!PyUnicode_Check(k)) {
            PyErr_SetString(PyExc_TypeError, "dependency names must be str");
            return -1;
        }
        (*names)[i] = PyUnicode_AsUTF8(k);
        if (!(*names)[i]) return -1;
        (*values)[i] = v;
        i++;
    }
    *count = (size_t)n;
    return 0;
}

/* A priority mailbox's order: key(a) < key(b) first. Runs on the actor's runner thread
 * (a worker or the Python thread), so it takes the GIL; a key that raises counts as equal
 * (arrival order) and is reported as unraisable. */
static int py_mailbox_compare(akt_msg *a, akt_msg *b, void *data) {
    akt_py_cell *c = data;
    PyGILState_STATE g = PyGILState_Ensure();
    int r = 0;
    PyObject *va = akt_py_msg_value(c->system, a);
    PyObject *vb = va ? akt_py_msg_value(c->system, b) : NULL;
    PyObject *ka = vb ? PyObject_CallOneArg(c->mailbox_key, va) : NULL;
    PyObject *kb = ka ? PyObject_CallOneArg(c->mailbox_key, vb) : NULL;
    if (kb) {
        int lt = PyObject_RichCompareBool(ka, kb, Py_LT);
        int gt = lt == 0 ? PyObject_RichCompareBool(kb, ka, Py_LT) : 0;
        r = lt == 1 ? -1 : gt == 1 ? 1 : 0;
    }
    if (PyErr_Occurred()) PyErr_WriteUnraisable(c->mailbox_key);
    Py_XDECREF(va);
    Py_XDECREF(vb);
    Py_XDECREF(ka);
    Py_XDECREF(kb);
    PyGILState_Release(g);
    return r;
}

/* An akt.Mailbox (its _spec(): kind, capacity, when_full, timeout in ns) into spec. */
int akt_py_mailbox_arg(PyObject *mailbox, akt_mailbox_spec *spec) {
    PyObject *t = PyObject_CallMethod(mailbox, "_spec", NULL);
    if (!t) {
        if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "mailbox must be an akt mailbox (akt.Bounded, "
                         "akt.Fair), not %.100s",
                         Py_TYPE(mailbox)->tp_name);
        }
        return -1;
    }
    long long timeout = 0;
    unsigned int capacity = 0;
    int ok = PyArg_ParseTuple(t, "iIiL", &spec->kind, &capacity, &spec->when_full, &timeout);
    Py_DECREF(t);
    if (!ok) return -1;
    spec->capacity = capacity;
    spec->block_timeout_ns = timeout;
    return 0;
}

PyObject *akt_py_spawn(akt_py_system *s, akt_ctx *ctx, akt_py_cell *parent, PyObject *args,
                       PyObject *kwargs) {
    static char *kwlist[] = {"name",    "actor",      "dispatcher",    "supervisor", "dependencies",
                             "mailbox", "reentrancy", "max_in_flight", "kind",       NULL};
    PyObject *name = Py_None, *actor = NULL, *dispatcher = Py_None, *supervisor = Py_None,
             *deps = Py_None, *mailbox = Py_None, *reentrancy = Py_None, *kind = Py_None;
    Py_ssize_t max_in_flight = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|$OOOOOnO:spawn", kwlist, &name, &actor,
                                     &dispatcher, &supervisor, &deps, &mailbox, &reentrancy,
                                     &max_in_flight, &kind))
        return NULL;
    if (kind != Py_None && !PyUnicode_Check(kind)) {
        PyErr_Format(PyExc_TypeError, "kind must be a str or None, not %.100s",
                     Py_TYPE(kind)->tp_name);
        return NULL;
    }
    int mode_re;
    if (akt_py_reentrancy_arg(reentrancy, &mode_re)) return NULL;
    if (akt_py_max_in_flight_arg(max_in_flight)) return NULL;
    akt_mailbox_spec mbspec = {.size = sizeof mbspec};
    if (mailbox != Py_None && akt_py_mailbox_arg(mailbox, &mbspec)) return NULL;
    const char *cname = NULL;
    if (name != Py_None) {
        if (!PyUnicode_Check(name)) {
            PyErr_Format(PyExc_TypeError, "the actor name must be a str or None, not %.100s",
                         Py_TYPE(name)->tp_name);
            return NULL;
        }
        cname = PyUnicode_AsUTF8(name);
        if (!cname) return NULL;
        if (!*cname || strchr(cname, '/')) {
            PyErr_Format(PyExc_ValueError, "invalid actor name %R (empty or with '/')", name);
            return NULL;
        }
    }
    akt_py_cell *c = calloc(1, sizeof *c);
    if (!c) return PyErr_NoMemory();
    Py_INCREF(s);
    c->system = s;
    const char **dep_names = NULL;
    void **dep_values = NULL;
    akt_spawn_options opts;
    akt_spawn_options_init(&opts);
    akt_supervisor sup;
    PyObject *decide = NULL;
    int failed = akt_py_mode_arg(s, dispatcher, parent ? parent->mode : -1, &c->mode) ||
                 !(c->stack = PyList_New(0));
    if (!failed) {
        int is_actor = PyObject_IsInstance(actor, akt_py.actor_type);
        if (is_actor < 0) {
            failed = 1;
        } else if (is_actor) {
            failed = cell_bind(c, actor) != 0;
        } else if (PyCallable_Check(actor)) {
            Py_INCREF(actor);
            c->factory = actor;
            PyObject *first = PyObject_CallNoArgs(actor);
            failed = !first || cell_bind(c, first);
            Py_XDECREF(first);
        } else {
            failed = cell_bind(c, actor) != 0; /* raises the TypeError */
        }
    }
    if (!failed && supervisor != Py_None) {
        failed = supervisor_fill(supervisor, &sup, &decide) != 0;
        if (!failed) {
            opts.supervisor = &sup;
            c->keep = decide; /* takes the reference (or NULL) */
        }
    }
    if (!failed) failed = deps_arg(c, deps, &dep_names, &dep_values, &opts.dependency_count);
    if (failed) {
        PyMem_Free(dep_names);
        PyMem_Free(dep_values);
        cell_free_now(c);
        return NULL;
    }
    opts.name = cname;
    if (mailbox != Py_None) opts.mailbox = &mbspec;
    if (mailbox != Py_None && mbspec.kind == AKT_MAILBOX_PRIORITY) {
        c->mailbox_key = PyObject_GetAttrString(mailbox, "key");
        if (!c->mailbox_key || !PyCallable_Check(c->mailbox_key)) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "a priority key must be callable");
            PyMem_Free(dep_names);
            PyMem_Free(dep_values);
            cell_free_now(c);
            return NULL;
        }
        mbspec.compare = py_mailbox_compare;
        mbspec.compare_data = c;
    }
    opts.reentrancy = mode_re;
    opts.max_in_flight = (uint32_t)max_in_flight;
    /* The actor's kind (actor.kind in the metrics): the one given, else its class,
     * module-qualified ("pkg.mod.Counter"); akt interns it, so this text lives only for the
     * call. */
    PyObject *kind_text = NULL;
    if (kind != Py_None) {
        Py_INCREF(kind);
        kind_text = kind;
    } else {
        PyObject *cls = (PyObject *)Py_TYPE(c->actor);
        PyObject *mod = PyObject_GetAttrString(cls, "__module__");
        PyObject *qual = mod ? PyObject_GetAttrString(cls, "__qualname__") : NULL;
        if (qual && PyUnicode_Check(mod) && PyUnicode_Check(qual))
            kind_text = PyUnicode_FromFormat("%U.%U", mod, qual);
        else if (qual && PyUnicode_Check(qual))
            kind_text = Py_NewRef(qual);
        Py_XDECREF(mod);
        Py_XDECREF(qual);
        PyErr_Clear(); /* no kind rather than no actor */
    }
    opts.kind = kind_text ? PyUnicode_AsUTF8(kind_text) : NULL;
    if (kind_text && !opts.kind) PyErr_Clear();
    if (kind != Py_None && opts.kind && strlen(opts.kind) > 255) {
        Py_DECREF(kind_text);
        PyMem_Free(dep_names);
        PyMem_Free(dep_values);
        cell_free_now(c);
        PyErr_Format(PyExc_ValueError, "kind must be at most 255 bytes (UTF-8), got %zu",
                     strlen(kind != Py_None ? PyUnicode_AsUTF8(kind) : ""));
        return NULL;
    }
    if (opts.kind && strlen(opts.kind) > 255) opts.kind = NULL; /* a derived name too long */
    opts.dispatcher = c->mode == AKT_PY_MODE_PYTHON ? s->disp : NULL;
    opts.dependency_names = dep_names;
    opts.dependency_values = dep_values;
    akt_pid pid = {0};
    int rc;
    if (ctx) {
        rc = akt_ctx_spawn(ctx, &py_behavior, c, &opts, &pid);
    } else if (opts.dispatcher) { /* this system's service runs it: akt_spawn returns at once */
        rc = akt_spawn(s->sys, &py_behavior, c, &opts, &pid);
    } else {
        /* akt_spawn waits for the pre_start of an actor on akt's workers, which needs the
         * GIL; nothing here touches Python until it returns. */
        Py_BEGIN_ALLOW_THREADS
        rc = akt_spawn(s->sys, &py_behavior, c, &opts, &pid);
        Py_END_ALLOW_THREADS
    }
    PyMem_Free(dep_names);
    PyMem_Free(dep_values);
    Py_XDECREF(kind_text);
    if (rc) {
        cell_free_now(c);
        if (rc == AKT_EEXIST && name != Py_None) {
            char what[300];
            snprintf(what, sizeof what, "spawn: the name '%s' is taken", cname);
            return akt_py_raise(rc, what);
        }
        return akt_py_raise(rc, "spawn");
    }
    /* From here the cell belongs to akt (freed by cb_free_state). */
    return akt_py_pid_new(s, pid.id);
}
