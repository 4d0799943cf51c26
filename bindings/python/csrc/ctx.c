/* ctx.c -- akt.Context: what an actor may do while it handles a callback.
 *
 * A Context is valid only inside the callback that received it, as akt_ctx is; afterwards
 * every method raises akt.ContextError (AKT_EMISUSE) instead of touching a stale akt_ctx. */
#include "actor.h"

#include <string.h>

static akt_py_cell *live(akt_py_context *self) {
    if (self->ctx && self->cell && self->thread == PyThread_get_thread_ident()) return self->cell;
    akt_py_raise(AKT_EMISUSE, "the context is valid only inside the callback that received it, "
                              "on its thread");
    return NULL;
}

#define LIVE(self, c)            \
    akt_py_cell *c = live(self); \
    if (!c) return NULL

static PyObject *check(int rc, const char *what) {
    if (rc) return akt_py_raise(rc, what);
    Py_RETURN_NONE;
}

static PyObject *ctx_get_self(akt_py_context *self, void *closure) {
    LIVE(self, c);
    if (c->self_pid) {
        Py_INCREF(c->self_pid);
        return c->self_pid;
    }
    akt_pid pid;
    int rc = akt_ctx_self(self->ctx, &pid);
    return rc ? akt_py_raise(rc, "self") : akt_py_pid_new(c->system, pid.id);
}

static PyObject *ctx_get_sender(akt_py_context *self, void *closure) {
    LIVE(self, c);
    akt_pid pid;
    int rc = akt_ctx_sender(self->ctx, &pid);
    return rc ? akt_py_raise(rc, "sender") : akt_py_pid_new(c->system, pid.id);
}

static PyObject *ctx_get_parent(akt_py_context *self, void *closure) {
    LIVE(self, c);
    akt_pid pid;
    int rc = akt_ctx_parent(self->ctx, &pid);
    return rc ? akt_py_raise(rc, "parent") : akt_py_pid_new(c->system, pid.id);
}

static PyObject *ctx_get_system(akt_py_context *self, void *closure) {
    LIVE(self, c);
    Py_INCREF(c->system);
    return (PyObject *)c->system;
}

static PyObject *ctx_get_reply_expected(akt_py_context *self, void *closure) {
    LIVE(self, c);
    (void)c;
    int expected = 0;
    int rc = akt_ctx_reply_expected(self->ctx, &expected);
    if (rc) return akt_py_raise(rc, "reply_expected");
    return PyBool_FromLong(expected);
}

static PyObject *ctx_get_actor(akt_py_context *self, void *closure) {
    LIVE(self, c);
    Py_INCREF(c->actor);
    return c->actor;
}

/* Issue 17: a reply goes to whoever asked or told the current message, and who reads it
 * is akt_ctx_asker_reader's answer: Python's own reader (a Python actor, or Python code
 * that asked from outside actors: Pid.ask, ask_batch, grain asks name it) takes any
 * object; akt's relays (NULL: a remote asker, a router) are not judged; any other reader
 * -- a C or other binding's actor, or C code that asked with a plain akt_ask -- reads
 * bytes, so a value without them is refused here (NotSupported, the responder's receive
 * fails unless it catches it, and the asker gets that failure's reason instead of a reply
 * it cannot read). No asker (told from outside actors): nothing to judge. 0, or -1 with
 * the exception set. */
static int reply_reader_check(akt_py_context *self, akt_py_cell *c, akt_msg *m) {
    akt_receive_fn reader = NULL;
    if (akt_ctx_asker_reader(self->ctx, &reader) != 0 || !reader ||
        reader == akt_py_actor_behavior()->receive)
        return 0;
    akt_pid sender = {0};
    char where[256] = "its asker (C code that asked from outside any actor)";
    if (akt_ctx_sender(self->ctx, &sender) == 0 && sender.id)
        akt_pid_path(c->system->sys, sender, where, sizeof where, NULL);
    return akt_py_bytes_check(c->system, m, "respond", where);
}

/* respond(msg, *, type=None) */
static PyObject *ctx_respond(akt_py_context *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"msg", "type", "headers", NULL};
    PyObject *msg, *type = Py_None, *headers = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OO:respond", kwlist, &msg, &type, &headers))
        return NULL;
    LIVE(self, c);
    akt_msg *m;
    if (akt_py_msg_new(c->system, msg, type, &m)) return NULL;
    if (akt_py_headers_set(m, headers) || reply_reader_check(self, c, m)) {
        akt_msg_release(m);
        return NULL;
    }
    int rc = akt_ctx_respond(self->ctx, m);
    if (rc)
        akt_msg_release(m);
    else
        self->responded = 1;
    return check(rc, "respond");
}

/* tell(to, msg, *, type=None): with this actor as the sender. */
static PyObject *ctx_tell(akt_py_context *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"to", "msg", "type", "headers", NULL};
    PyObject *to, *msg, *type = Py_None, *headers = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|$OO:tell", kwlist, &to, &msg, &type,
                                     &headers))
        return NULL;
    LIVE(self, c);
    akt_pid pid;
    if (akt_py_pid_arg(c->system, to, &pid)) return NULL;
    akt_msg *m;
    if (akt_py_msg_new(c->system, msg, type, &m)) return NULL;
    if (akt_py_reader_check(c->system, pid, m, "tell") || akt_py_headers_set(m, headers)) {
        akt_msg_release(m);
        return NULL;
    }
    int rc = akt_ctx_tell(self->ctx, pid, m);
    if (rc) akt_msg_release(m);
    return check(rc, "tell");
}

/* ask(to, msg, timeout=None, *, type=None) -> akt.AskFuture, asked with this actor as the
 * sender (akt_ask takes it from the thread). */
static PyObject *ctx_ask(akt_py_context *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"to", "msg", "timeout", "type", NULL};
    PyObject *to, *msg, *timeout = Py_None, *type = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O$O:ask", kwlist, &to, &msg, &timeout,
                                     &type))
        return NULL;
    LIVE(self, c);
    akt_pid pid;
    if (akt_py_pid_arg(c->system, to, &pid)) return NULL;
    return PyObject_CallFunctionObjArgs(akt_py.ctx_ask, to, msg, timeout, type, NULL);
}

/* request(to, msg, then=None, *, timeout=None, reentrancy=None, type=None) -> int: a request
 * whose continuation then(ctx, reply, error) runs on this actor's turn (akt_ctx_request). to
 * is an akt.Pid or a name, a path as system.lookup() reads it (akt_ctx_request_named:
 * resolved now; ActorNotFound if no actor has it).
 * timeout None = no timeout. Returns the request's id, for ctx.cancel_request(). Without
 * then: an akt.Request, whose own completion method is the continuation (await it in an
 * async receive; its id is for cancel_request too). */
static PyObject *ctx_request(akt_py_context *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"to", "msg", "then", "timeout", "reentrancy", "type", NULL};
    PyObject *to, *msg, *then = Py_None, *timeout = Py_None, *mode = Py_None, *type = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O$OOO:request", kwlist, &to, &msg, &then,
                                     &timeout, &mode, &type))
        return NULL;
    LIVE(self, c);
    if (then != Py_None && !PyCallable_Check(then)) {
        PyErr_SetString(PyExc_TypeError, "then must be callable(ctx, reply, error) or None");
        return NULL;
    }
    akt_request_options o;
    akt_request_options_init(&o);
    if (timeout != Py_None && akt_py_timeout_arg(c->system, timeout, &o.timeout_ns)) return NULL;
    if (akt_py_reentrancy_arg(mode, &o.mode)) return NULL;
    akt_pid pid = {0};
    const char *path = NULL; /* to is a name: akt_ctx_request_named */
    if (PyUnicode_Check(to)) {
        Py_ssize_t n;
        path = PyUnicode_AsUTF8AndSize(to, &n);
        if (!path) return NULL;
        if ((size_t)n != strlen(path)) {
            PyErr_SetString(PyExc_ValueError, "request: the name contains a NUL character");
            return NULL;
        }
        /* Only for the reader check: the request looks the name up again (a name nobody
         * has is its ActorNotFound). */
        if (akt_lookup(c->system->sys, path, &pid)) pid.id = 0;
    } else if (!PyObject_TypeCheck(to, &akt_py_pid_type)) {
        PyErr_Format(PyExc_TypeError, "request: to must be an akt.Pid or a name (str), not %.100s",
                     Py_TYPE(to)->tp_name);
        return NULL;
    } else if (akt_py_pid_arg(c->system, to, &pid)) {
        return NULL;
    }
    PyObject *awaitable = NULL; /* the akt.Request, without then */
    if (then == Py_None) {
        awaitable = PyObject_CallNoArgs(akt_py.request_type);
        then = awaitable ? PyObject_GetAttrString(awaitable, "_complete") : NULL;
        if (!then) {
            Py_XDECREF(awaitable);
            return NULL;
        }
    } else {
        Py_INCREF(then);
    }
    akt_msg *m;
    void *data = NULL;
    if (akt_py_msg_new(c->system, msg, type, &m)) {
        m = NULL;
    } else if (pid.id && akt_py_reader_check(c->system, pid, m, "ask")) {
        akt_msg_release(m);
        m = NULL;
    } else if (!(data = akt_py_request_new(c, then))) {
        akt_msg_release(m);
        m = NULL;
    }
    Py_DECREF(then);
    if (!m) {
        Py_XDECREF(awaitable);
        return NULL;
    }
    o.then = akt_py_request_then;
    o.drop = akt_py_request_drop;
    o.data = data;
    akt_request *req = NULL;
    int rc = path ? akt_ctx_request_named(self->ctx, path, m, &o, &req)
                  : akt_ctx_request(self->ctx, pid, m, &o, &req);
    if (rc) {
        akt_msg_release(m);
        akt_py_request_drop(data);
        Py_XDECREF(awaitable);
        if (path && (rc == AKT_ENOTFOUND || rc == AKT_EINVAL)) {
            PyObject *what = PyUnicode_FromFormat("request %R", to);
            const char *w = what ? PyUnicode_AsUTF8(what) : NULL;
            if (w) akt_py_raise(rc, w);
            Py_XDECREF(what);
            return NULL;
        }
        return akt_py_raise(rc,
                            rc == AKT_EBUSY ? "request: too many requests in flight" : "request");
    }
    PyObject *id = PyLong_FromUnsignedLongLong((unsigned long long)(uintptr_t)req);
    if (!awaitable || !id) return id;
    int bad = PyObject_SetAttrString(awaitable, "id", id);
    Py_DECREF(id);
    /* ft begin: the requesting context, for a cancel made by an asyncio task off its turn */
    if (!bad) bad = PyObject_SetAttrString(awaitable, "_ctx", (PyObject *)self);
    /* ft end */
    if (bad) Py_CLEAR(awaitable); /* cannot happen for akt.Request; the request goes on */
    return awaitable;
}

/* cancel_request(id) -> bool: True while the request was in flight (its continuation then
 * gets akt.Cancelled unless the answer came first), False once it is over. */
static PyObject *ctx_cancel_request(akt_py_context *self, PyObject *id) {
    LIVE(self, c);
    (void)c;
    if (PyObject_TypeCheck(id, (PyTypeObject *)akt_py.request_type)) {
        PyObject *v = PyObject_GetAttrString(id, "id");
        if (!v) return NULL;
        PyObject *r = ctx_cancel_request(self, v);
        Py_DECREF(v);
        return r;
    }
    unsigned long long v = PyLong_Check(id) ? PyLong_AsUnsignedLongLong(id) : 0;
    if (PyErr_Occurred()) return NULL;
    if (!v) {
        PyErr_SetString(PyExc_TypeError, "cancel_request takes the id ctx.request() returned");
        return NULL;
    }
    int rc = akt_request_cancel(self->ctx, (akt_request *)(uintptr_t)v);
    if (rc == AKT_ENOTFOUND) Py_RETURN_FALSE;
    if (rc) return akt_py_raise(rc, "cancel_request");
    Py_RETURN_TRUE;
}

/* _suspend() -> handle: keeps the current message once this callback returns (async
 * receive, akt._async); the actor's reentrancy mode says whether others may start. */
static PyObject *ctx_suspend(akt_py_context *self, PyObject *unused) {
    (void)unused;
    LIVE(self, c);
    akt_suspension s;
    int rc = akt_ctx_suspend(self->ctx, AKT_REENTRANCY_DEFAULT, &s);
    if (rc == AKT_EMISUSE)
        return akt_py_raise(rc, "an async callback is only supported for receive (and become "
                                "handlers): a coroutine there has no message to keep");
    return rc ? akt_py_raise(rc, "async receive") : akt_py_suspension_handle(c, s);
}

/* A started pipe (akt_ctx_pipe_start) as a capsule: completed once by pipe_complete, or
 * as a failure (AKT_ECANCELED) when the capsule goes without it (a future never done). It
 * holds the system so that the pipe completes before the system's last release. */
typedef struct {
    akt_pipe *pipe; /* NULL once completed */
    akt_py_system *system;
    akt_pid to; /* the target, when given by pid (self included) */
    char *path; /* or the path it is looked up at (PyMem, NUL-terminated), or NULL */
} akt_py_pipe;

static const char akt_py_pipe_name[] = "akt.pipe";

static void pipe_capsule_free(PyObject *capsule) {
    akt_py_pipe *h = PyCapsule_GetPointer(capsule, akt_py_pipe_name);
    if (!h) {
        PyErr_Clear();
        return;
    }
    if (h->pipe) akt_pipe_complete(h->pipe, AKT_ECANCELED, NULL);
    Py_XDECREF((PyObject *)h->system);
    PyMem_Free(h->path);
    PyMem_Free(h);
}

/* pipe_complete(pipe, code, value): code 0 delivers value as a message; a negative code is
 * the task's failure (a dead letter "pipe_to: task failed"). Once per pipe. */
PyObject *akt_py_pipe_complete(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "pipe_complete(pipe, code, value)");
        return NULL;
    }
    akt_py_pipe *h = PyCapsule_GetPointer(args[0], akt_py_pipe_name);
    if (!h) return NULL;
    long code = PyLong_AsLong(args[1]);
    if (code == -1 && PyErr_Occurred()) return NULL;
    if (!h->pipe) return akt_py_raise(AKT_EMISUSE, "pipe_complete: the pipe completed already");
    akt_pipe *p = h->pipe;
    h->pipe = NULL;
    if (code != 0) {
        akt_pipe_complete(p, code < 0 ? (int)code : AKT_EFAILED, NULL);
        Py_RETURN_NONE;
    }
    akt_msg *m;
    if (akt_py_msg_new(h->system, args[2], Py_None, &m)) {
        akt_pipe_complete(p, AKT_EINVAL, NULL); /* not a message: the task failed */
        return NULL;
    }
    /* Issue 17: a result the target cannot read fails the pipe (its dead letter says "task
     * failed") and raises here, as a tell of it would. A target looked up by path is judged
     * as it is now; akt looks it up again at delivery. */
    akt_pid to = h->to;
    if (h->path && akt_lookup(h->system->sys, h->path, &to) != 0) to.id = 0;
    if (to.id && akt_py_reader_check(h->system, to, m, "pipe_to")) {
        akt_msg_release(m);
        akt_pipe_complete(p, AKT_ENOTSUP, NULL);
        return NULL;
    }
    int rc = akt_pipe_complete(p, 0, m);
    return check(rc, "pipe_complete");
}

/* The target of a pipe: to (a pid), or name (a path), or this actor. */
static int pipe_target(akt_py_context *self, akt_py_cell *c, PyObject *to, PyObject *name,
                       akt_pid *pid, const char **path) {
    *path = NULL;
    pid->id = 0;
    if (to != Py_None && name != Py_None) {
        akt_py_raise(AKT_EINVAL, "pipe_to: give to or name, not both");
        return -1;
    }
    if (name != Py_None) {
        if (!PyUnicode_Check(name)) {
            PyErr_Format(PyExc_TypeError, "pipe_to: name must be a str, not %.100s",
                         Py_TYPE(name)->tp_name);
            return -1;
        }
        *path = PyUnicode_AsUTF8(name);
        if (!*path) return -1;
        if (!**path) {
            akt_py_raise(AKT_EINVAL, "pipe_to: name must not be empty");
            return -1;
        }
        return 0;
    }
    if (to != Py_None) return akt_py_pid_arg(c->system, to, pid);
    int rc = akt_ctx_self(self->ctx, pid);
    if (rc) akt_py_raise(rc, "pipe_to");
    return rc ? -1 : 0;
}

/* pipe_to(future, to=None, *, name=None, timeout=None, breaker=None): future's result is
 * delivered to `to` (a pid), or the actor at path `name`, or this actor, as a message whose
 * sender is this actor; a failure, timeout or gone target is a dead letter with a reason
 * (akt_ctx_pipe_start). future may be a callable, called once the pipe started. An open
 * breaker raises akt.BreakerOpen and nothing is awaited or called. */
static PyObject *ctx_pipe_to(akt_py_context *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"future", "to", "name", "timeout", "breaker", NULL};
    PyObject *fut, *to = Py_None, *name = Py_None, *timeout = Py_None, *breaker = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O$OOO:pipe_to", kwlist, &fut, &to, &name,
                                     &timeout, &breaker))
        return NULL;
    LIVE(self, c);
    akt_pid pid;
    const char *path;
    if (pipe_target(self, c, to, name, &pid, &path)) return NULL;
    akt_pipe_options o;
    akt_pipe_options_init(&o);
    if (timeout != Py_None && akt_py_timeout_arg(c->system, timeout, &o.timeout_ns)) return NULL;
    /* validates the future, and gives the breaker's address (0: none) */
    PyObject *addr = PyObject_CallFunctionObjArgs(akt_py.pipe_prepare, fut, breaker, NULL);
    if (!addr) return NULL;
    o.breaker = (akt_breaker *)PyLong_AsVoidPtr(addr);
    Py_DECREF(addr);
    if (PyErr_Occurred()) return NULL;
    akt_py_pipe *h = PyMem_Calloc(1, sizeof *h);
    if (!h) return PyErr_NoMemory();
    h->to = pid;
    if (path) {
        size_t n = strlen(path) + 1;
        if (!(h->path = PyMem_Malloc(n))) {
            PyMem_Free(h);
            return PyErr_NoMemory();
        }
        memcpy(h->path, path, n);
    }
    int rc = akt_ctx_pipe_start(self->ctx, pid, path, &o, &h->pipe);
    if (rc) {
        PyMem_Free(h->path);
        PyMem_Free(h);
        PyObject *code = PyLong_FromLong(rc);
        if (!code) return NULL;
        /* raises the refusal (akt.BreakerOpen for AKT_EBUSY), closing a coroutine that will
         * never run */
        PyObject *r = PyObject_CallFunctionObjArgs(akt_py.pipe_to, fut, code, NULL);
        Py_DECREF(code);
        Py_XDECREF(r);
        return r ? akt_py_raise(rc, "pipe_to") : NULL;
    }
    Py_INCREF((PyObject *)c->system);
    h->system = c->system;
    PyObject *capsule = PyCapsule_New(h, akt_py_pipe_name, pipe_capsule_free);
    if (!capsule) {
        akt_pipe_complete(h->pipe, AKT_ENOMEM, NULL);
        Py_DECREF((PyObject *)h->system);
        PyMem_Free(h->path);
        PyMem_Free(h);
        return NULL;
    }
    PyObject *r = PyObject_CallFunctionObjArgs(akt_py.pipe_to, fut, capsule, NULL);
    Py_DECREF(capsule);
    return r;
}

static PyObject *ctx_forward(akt_py_context *self, PyObject *to) {
    LIVE(self, c);
    akt_pid pid;
    if (akt_py_pid_arg(c->system, to, &pid)) return NULL;
    return check(akt_ctx_forward(self->ctx, pid), "forward");
}

static PyObject *ctx_unhandled(akt_py_context *self, PyObject *unused) {
    LIVE(self, c);
    (void)c;
    int rc = akt_ctx_unhandled(self->ctx);
    if (rc == 0 || rc == AKT_EUNHANDLED) {
        self->unhandled = 1;
        Py_RETURN_NONE;
    }
    return check(rc, "unhandled");
}

static PyObject *ctx_spawn(akt_py_context *self, PyObject *args, PyObject *kwargs) {
    LIVE(self, c);
    return akt_py_spawn(c->system, self->ctx, c, args, kwargs);
}

/* stop(pid=None): this actor, or one of its children. */
static PyObject *ctx_stop(akt_py_context *self, PyObject *const *args, Py_ssize_t nargs) {
    LIVE(self, c);
    if (nargs > 1) {
        PyErr_SetString(PyExc_TypeError, "stop() takes at most one pid");
        return NULL;
    }
    akt_pid pid;
    if (nargs == 0 || args[0] == Py_None) {
        int rc = akt_ctx_self(self->ctx, &pid);
        if (rc) return akt_py_raise(rc, "stop");
    } else if (akt_py_pid_arg(c->system, args[0], &pid)) {
        return NULL;
    }
    int rc = akt_ctx_stop(self->ctx, pid);
    if (rc == AKT_EINVAL)
        return akt_py_raise(rc, "ctx.stop() stops this actor or one of its children; "
                                "use pid.stop() for others");
    return check(rc, "stop");
}

/* become(handler, *, stacked=False): handler(ctx, msg) receives from now on. */
static PyObject *ctx_become(akt_py_context *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"handler", "stacked", NULL};
    PyObject *handler;
    int stacked = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$p:become", kwlist, &handler, &stacked))
        return NULL;
    LIVE(self, c);
    if (!PyCallable_Check(handler)) {
        PyErr_Format(PyExc_TypeError, "become() needs a callable handler(ctx, msg), got %.100s",
                     Py_TYPE(handler)->tp_name);
        return NULL;
    }
    int rc = akt_ctx_become(self->ctx, akt_py_become_receive, c, stacked);
    if (rc) return akt_py_raise(rc, "become");
    if (!stacked && PyList_SetSlice(c->stack, 0, PyList_GET_SIZE(c->stack), NULL)) return NULL;
    if (PyList_Append(c->stack, handler)) return NULL;
    Py_RETURN_NONE;
}

static PyObject *ctx_unbecome(akt_py_context *self, PyObject *unused) {
    LIVE(self, c);
    int rc = akt_ctx_unbecome(self->ctx);
    if (rc) return akt_py_raise(rc, "unbecome");
    if (PyList_SetSlice(c->stack, 0, PyList_GET_SIZE(c->stack), NULL)) return NULL;
    Py_RETURN_NONE;
}

static PyObject *ctx_unbecome_stacked(akt_py_context *self, PyObject *unused) {
    LIVE(self, c);
    int rc = akt_ctx_unbecome_stacked(self->ctx);
    if (rc == AKT_EMISUSE) return akt_py_raise(rc, "unbecome_stacked: no handler is stacked");
    if (rc) return akt_py_raise(rc, "unbecome_stacked");
    Py_ssize_t n = PyList_GET_SIZE(c->stack);
    if (n && PyList_SetSlice(c->stack, n - 1, n, NULL)) return NULL;
    Py_RETURN_NONE;
}

static PyObject *ctx_stash(akt_py_context *self, PyObject *unused) {
    LIVE(self, c);
    (void)c;
    return check(akt_ctx_stash(self->ctx), "stash");
}

/* unstash() -> bool: False when the stash was empty. */
static PyObject *ctx_unstash(akt_py_context *self, PyObject *unused) {
    LIVE(self, c);
    (void)c;
    int rc = akt_ctx_unstash(self->ctx);
    if (rc == AKT_EAGAIN) Py_RETURN_FALSE;
    if (rc) return akt_py_raise(rc, "unstash");
    Py_RETURN_TRUE;
}

static PyObject *ctx_unstash_all(akt_py_context *self, PyObject *unused) {
    LIVE(self, c);
    (void)c;
    return check(akt_ctx_unstash_all(self->ctx), "unstash_all");
}

static PyObject *ctx_watch(akt_py_context *self, PyObject *pid_obj) {
    LIVE(self, c);
    akt_pid pid;
    if (akt_py_pid_arg(c->system, pid_obj, &pid)) return NULL;
    return check(akt_ctx_watch(self->ctx, pid), "watch");
}

static PyObject *ctx_unwatch(akt_py_context *self, PyObject *pid_obj) {
    LIVE(self, c);
    akt_pid pid;
    if (akt_py_pid_arg(c->system, pid_obj, &pid)) return NULL;
    return check(akt_ctx_unwatch(self->ctx, pid), "unwatch");
}

/* dependency(name): a value given at spawn (dependencies={...}). KeyError if none. */
static PyObject *ctx_dependency(akt_py_context *self, PyObject *name) {
    LIVE(self, c);
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "a dependency name is a str");
        return NULL;
    }
    const char *cname = PyUnicode_AsUTF8(name);
    if (!cname) return NULL;
    void *value = NULL;
    int rc = akt_ctx_dependency(self->ctx, cname, &value);
    if (rc == AKT_ENOTFOUND) {
        PyErr_Format(PyExc_KeyError, "no dependency named %R", name);
        return NULL;
    }
    if (rc) return akt_py_raise(rc, "dependency");
    /* akt hands back the pointer given at spawn; only this actor's own values are Python
     * objects, so check it is one of them before using it as one. */
    PyObject *mine = c->deps ? PyDict_GetItemWithError(c->deps, name) : NULL;
    if ((!mine || (void *)mine != value) && !PyErr_Occurred()) {
        /* a grain activation's own (system.grain(..., dependencies=)) */
        PyObject *own = akt_py_grain_dependency(c->system, value);
        if (own) return own;
    }
    if (!mine || (void *)mine != value) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_KeyError, "dependency %R was not given to this Python actor", name);
        return NULL;
    }
    Py_INCREF(mine);
    return mine;
}

/* extension(name): a value given to the system (extensions={...}). KeyError if none. */
static PyObject *ctx_extension(akt_py_context *self, PyObject *name) {
    LIVE(self, c);
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "an extension name is a str");
        return NULL;
    }
    const char *cname = PyUnicode_AsUTF8(name);
    if (!cname) return NULL;
    void *value = NULL;
    int rc = akt_ctx_extension(self->ctx, cname, &value);
    if (rc == AKT_ENOTFOUND) {
        PyErr_Format(PyExc_KeyError, "no extension named %R", name);
        return NULL;
    }
    if (rc) return akt_py_raise(rc, "extension");
    /* akt hands back the pointer given at creation: the system's own dict holds it. */
    PyObject *d = c->system->extensions;
    PyObject *mine = d ? PyDict_GetItemWithError(d, name) : NULL;
    if (!mine || (void *)mine != value) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_KeyError, "no extension named %R", name);
        return NULL;
    }
    Py_INCREF(mine);
    return mine;
}

/* headers: the current message's headers, a new dict (empty when it has none). */
static PyObject *ctx_get_headers(akt_py_context *self, void *closure) {
    LIVE(self, c);
    (void)c;
    akt_msg *m = NULL;
    int rc = akt_ctx_message(self->ctx, &m);
    if (rc == AKT_EMISUSE) return PyDict_New(); /* pre_start / post_stop: no message */
    if (rc) return akt_py_raise(rc, "headers");
    return akt_py_headers_dict(m);
}

/* perf begin: the current message's registered type id (akt_msg_type_id), 0 if none */
static PyObject *ctx_get_type_id(akt_py_context *self, void *closure) {
    LIVE(self, c);
    (void)c;
    akt_msg *m = NULL;
    if (akt_ctx_message(self->ctx, &m)) return PyLong_FromLong(0);
    return PyLong_FromUnsignedLong(akt_msg_type_id(m));
}
/* perf end */

static PyObject *ctx_repr(akt_py_context *self) {
    return PyUnicode_FromFormat("<akt.Context %s>", self->ctx ? "active" : "expired");
}

#define KW(fn) (PyCFunction)(void (*)(void))(fn), METH_VARARGS | METH_KEYWORDS

static PyMethodDef ctx_methods[] = {
    {"respond", KW(ctx_respond),
     "respond(msg, *, type=None): reply to the current message (a dead letter when nobody "
     "waits for it, see reply_expected)."},
    {"tell", KW(ctx_tell), "tell(to, msg, *, type=None): send with this actor as sender."},
    {"ask", KW(ctx_ask),
     "ask(to, msg, timeout=None, *, type=None) -> akt.AskFuture: ask with this actor as "
     "sender, without waiting; hand the future to pipe_to() (do not wait in receive)."},
    {"request", KW(ctx_request),
     "request(to, msg, then=None, *, timeout=None, reentrancy=None, type=None) -> int: ask "
     "without waiting; then(ctx, reply, error) runs on this actor's turn. to is an akt.Pid "
     "or a name (a path as ActorSystem.lookup reads it; akt.ActorNotFound if no actor has "
     "it)."},
    {"cancel_request", (PyCFunction)ctx_cancel_request, METH_O,
     "cancel_request(id) -> bool: cancel a request still in flight."},
    {"pipe_to", KW(ctx_pipe_to),
     "pipe_to(future, to=None, *, name=None, timeout=None, breaker=None): deliver future's "
     "result to `to` (default: self) with this actor as sender; what fails is a dead letter "
     "with a reason."},
    {"forward", (PyCFunction)ctx_forward, METH_O,
     "forward(to): pass the current message on, keeping its sender and asker."},
    {"unhandled", (PyCFunction)ctx_unhandled, METH_NOARGS, "Mark the current message unhandled."},
    {"spawn", KW(ctx_spawn),
     "spawn(name, actor, *, dispatcher=None, supervisor=None, dependencies=None) -> Pid "
     "of a child."},
    {"stop", (PyCFunction)(void (*)(void))ctx_stop, METH_FASTCALL,
     "stop(pid=None): stop this actor or one of its children."},
    {"become", KW(ctx_become), "become(handler, *, stacked=False)"},
    {"unbecome", (PyCFunction)ctx_unbecome, METH_NOARGS, "Back to receive()."},
    {"unbecome_stacked", (PyCFunction)ctx_unbecome_stacked, METH_NOARGS,
     "Pop the handler pushed last by become(..., stacked=True)."},
    {"stash", (PyCFunction)ctx_stash, METH_NOARGS, "Keep the current message for later."},
    {"unstash", (PyCFunction)ctx_unstash, METH_NOARGS,
     "Put back the oldest stashed message; False if none."},
    {"unstash_all", (PyCFunction)ctx_unstash_all, METH_NOARGS, "Put back every stashed message."},
    {"watch", (PyCFunction)ctx_watch, METH_O, "Get akt.Terminated(pid) when pid stops."},
    {"unwatch", (PyCFunction)ctx_unwatch, METH_O, "Stop watching pid."},
    {"dependency", (PyCFunction)ctx_dependency, METH_O, "A value given at spawn, by name."},
    {"extension", (PyCFunction)ctx_extension, METH_O, "A value given to the system, by name."},
    {"_suspend", (PyCFunction)ctx_suspend, METH_NOARGS,
     "Keep the current message past this callback (async receive; akt._async uses it)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef ctx_getset[] = {
    {"self", (getter)ctx_get_self, NULL, "this actor's pid", NULL},
    {"sender", (getter)ctx_get_sender, NULL, "the sender of the current message, or None", NULL},
    {"headers", (getter)ctx_get_headers, NULL, "the current message's headers (a new dict)", NULL},
    /* perf begin: */
    {"type_id", (getter)ctx_get_type_id, NULL,
     "the current message's registered type id (akt.register_type), 0 if its type is not "
     "registered",
     NULL},
    /* perf end */
    {"parent", (getter)ctx_get_parent, NULL, "the parent's pid, or None", NULL},
    {"system", (getter)ctx_get_system, NULL, "the actor system", NULL},
    {"actor", (getter)ctx_get_actor, NULL, "the akt.Actor instance running", NULL},
    {"reply_expected", (getter)ctx_get_reply_expected, NULL,
     "True if someone waits for a reply to the current message (an asker or a sender "
     "actor); a reply to a plain tell from outside goes to dead letters",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject akt_py_context_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "akt.Context",
    .tp_basicsize = sizeof(akt_py_context),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "What an actor may do inside receive, pre_start and post_stop.",
    .tp_dealloc = (destructor)PyObject_Free,
    .tp_repr = (reprfunc)ctx_repr,
    .tp_methods = ctx_methods,
    .tp_getset = ctx_getset,
};
