/* pid.c -- akt._fast.PidBase: an actor's address and the sending methods (tell, ask).
 *
 * The hot path of the binding: pid.tell(obj) wraps obj (a reference, no copy) and hands
 * it to akt_tell while holding the GIL, which is safe because akt_tell never blocks and
 * no akt callback that akt_tell may run waits for the GIL (fastpath.h).
 *
 * One path for every caller: akt_tell, akt_tell_batch and akt_ask take the sender from
 * the thread, so pid.tell() inside an actor's callback (on either placement) sends with
 * that actor as the sender, exactly as ctx.tell(pid, ...) does, and the receiver can
 * respond; from anywhere else (and to another system's actor) there is no sender. */
#include "fastpath.h"

#include <string.h>

#include <math.h>
#include <stdlib.h>

PyObject *akt_py_pid_new(akt_py_system *s, uint64_t id) {
    if (id == AKT_PID_NONE_ID) Py_RETURN_NONE;
    PyTypeObject *t = (PyTypeObject *)(akt_py.pid_type ? akt_py.pid_type
                                                       : (PyObject *)&akt_py_pid_type);
    akt_py_pid *p = (akt_py_pid *)t->tp_alloc(t, 0);
    if (!p) return NULL;
    Py_INCREF(s);
    p->system = s;
    p->id = id;
    return (PyObject *)p;
}

int akt_py_pid_arg(akt_py_system *s, PyObject *obj, akt_pid *out) {
    if (!PyObject_TypeCheck(obj, &akt_py_pid_type)) {
        PyErr_Format(PyExc_TypeError, "expected an akt.Pid, got %.100s", Py_TYPE(obj)->tp_name);
        return -1;
    }
    akt_py_pid *p = (akt_py_pid *)obj;
    if (s && p->system != s) {
        PyErr_SetString(PyExc_ValueError, "the pid belongs to another actor system");
        return -1;
    }
    out->id = p->id;
    return 0;
}

int akt_py_timeout_arg(akt_py_system *s, PyObject *timeout, int64_t *out_ns) {
    if (!timeout || timeout == Py_None) {
        *out_ns = s->ask_timeout_ns;
        return 0;
    }
    if (!PyFloat_Check(timeout) && !PyLong_Check(timeout)) {
        PyErr_Format(PyExc_TypeError, "timeout must be a number of seconds or None, not %.100s",
                     Py_TYPE(timeout)->tp_name);
        return -1;
    }
    double t = PyFloat_AsDouble(timeout);
    if (t == -1.0 && PyErr_Occurred()) return -1;
    if (!(t > 0) || !isfinite(t) || t > 1e9) {
        PyErr_Format(PyExc_ValueError, "timeout must be > 0 seconds, got %R", timeout);
        return -1;
    }
    *out_ns = (int64_t)(t * 1e9);
    if (*out_ns < 1) *out_ns = 1;
    return 0;
}

/* Positional msg plus keyword-only type (and timeout for asks). */
/* The headers= of the send being parsed (tell, ask, ask_sync), or NULL. */
static PyObject *parse_send_headers(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    if (!kwnames) return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++)
        if (PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, i), "headers") == 0)
            return args[nargs + i];
    return NULL;
}

static int parse_send(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, const char *fname,
                      int allow_timeout, PyObject **msg, PyObject **type, PyObject **timeout) {
    *type = NULL;
    if (timeout) *timeout = NULL;
    Py_ssize_t npos = nargs;
    if (npos < 1 || npos > (allow_timeout ? 2 : 1)) {
        PyErr_Format(PyExc_TypeError, "%s() takes the message%s as positional arguments", fname,
                     allow_timeout ? " and an optional timeout" : "");
        return -1;
    }
    *msg = args[0];
    if (allow_timeout && npos == 2) *timeout = args[1];
    if (kwnames) {
        Py_ssize_t nk = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t i = 0; i < nk; i++) {
            PyObject *k = PyTuple_GET_ITEM(kwnames, i);
            PyObject *v = args[nargs + i];
            if (PyUnicode_CompareWithASCIIString(k, "type") == 0) {
                *type = v == Py_None ? NULL : v;
            } else if (PyUnicode_CompareWithASCIIString(k, "headers") == 0 &&
                       strcmp(fname, "tell") == 0) {
                /* read by pid_tell (parse_send_headers) */
            } else if (allow_timeout && PyUnicode_CompareWithASCIIString(k, "timeout") == 0 &&
                       !*timeout) {
                *timeout = v;
            } else {
                PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument %R", fname,
                             k);
                return -1;
            }
        }
    }
    return 0;
}

static int pid_live_system(akt_py_pid *self) {
    if (self->system->sys) return 0;
    PyErr_SetString(PyExc_RuntimeError, "the pid's actor system is not initialized");
    return -1;
}

static PyObject *pid_tell(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames) {
    PyObject *msg, *type;
    if (parse_send(args, nargs, kwnames, "tell", 0, &msg, &type, NULL)) return NULL;
    if (pid_live_system(self)) return NULL;
    akt_py_drain();
    akt_msg *m;
    if (akt_py_msg_new(self->system, msg, type, &m)) return NULL;
    if (akt_py_reader_check(self->system, (akt_pid){self->id}, m, "tell") ||
        akt_py_headers_set(m, parse_send_headers(args, nargs, kwnames))) {
        akt_msg_release(m);
        return NULL;
    }
    int rc = akt_tell(self->system->sys, (akt_pid){self->id}, m);
    if (rc) {
        akt_msg_release(m);
        return akt_py_raise(rc, "tell");
    }
    Py_RETURN_NONE;
}

/* Messages of a sequence as akt messages; *n gets the count. Caller frees the array and,
 * on failure of what follows, releases the messages. */
static akt_msg **batch_msgs(akt_py_system *system, uint64_t to, PyObject *seq, PyObject *type,
                            Py_ssize_t *n) {
    PyObject *fast = PySequence_Fast(seq, "expected an iterable of messages");
    if (!fast) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(fast);
    akt_msg **msgs = PyMem_Malloc((size_t)(count ? count : 1) * sizeof *msgs);
    if (!msgs) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return NULL;
    }
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < count; i++) {
        int bad = akt_py_msg_new(system, items[i], type, &msgs[i]);
        if (!bad && akt_py_reader_check(system, (akt_pid){to}, msgs[i], "tell_batch")) {
            akt_msg_release(msgs[i]);
            bad = 1;
        }
        if (bad) {
            while (i--) akt_msg_release(msgs[i]);
            PyMem_Free(msgs);
            Py_DECREF(fast);
            return NULL;
        }
    }
    Py_DECREF(fast);
    *n = count;
    return msgs;
}

static PyObject *pid_tell_batch(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                                PyObject *kwnames) {
    PyObject *seq, *type;
    if (parse_send(args, nargs, kwnames, "tell_batch", 0, &seq, &type, NULL)) return NULL;
    if (pid_live_system(self)) return NULL;
    akt_py_drain();
    Py_ssize_t n = 0;
    akt_msg **msgs = batch_msgs(self->system, self->id, seq, type, &n);
    if (!msgs) return NULL;
    int rc = n ? akt_tell_batch(self->system->sys, (akt_pid){self->id}, msgs, (size_t)n) : 0;
    if (rc)
        for (Py_ssize_t i = 0; i < n; i++) akt_msg_release(msgs[i]);
    PyMem_Free(msgs);
    if (rc) return akt_py_raise(rc, "tell_batch");
    Py_RETURN_NONE;
}

/* The running loop of this thread, for an awaitable answer. A system whose Python actors ran
 * on another loop that has ended since (a second asyncio.run()) is moved onto this one
 * first (ActorSystem._rebind_loop), or nobody would run its actors and settle the answer. */
static PyObject *running_loop(akt_py_system *s, const char *fname) {
    PyObject *loop = PyObject_CallNoArgs(akt_py.get_running_loop);
    if (!loop) {
        if (PyErr_ExceptionMatches(PyExc_RuntimeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_RuntimeError,
                         "%s() needs a running asyncio event loop; use %s_sync() in "
                         "synchronous code",
                         fname, fname);
        }
        return NULL;
    }
    PyObject *bound = PyObject_GetAttr((PyObject *)s, akt_py.str_loop);
    if (!bound) PyErr_Clear(); /* a bare SystemCore: no loop of its own */
    if (bound && bound != Py_None && bound != loop) {
        PyObject *r = PyObject_CallMethodOneArg((PyObject *)s, akt_py.str_rebind_loop, loop);
        if (!r) Py_CLEAR(loop);
        Py_XDECREF(r);
    }
    Py_XDECREF(bound);
    return loop;
}

/* (pid, msg, type) of an ask, kept for the text of its failure (one small tuple per ask;
 * the text itself is made only on failure). NULL (no error set) without memory. */
static PyObject *asked_of(akt_py_pid *self, PyObject *msg, PyObject *type) {
    PyObject *t = PyTuple_Pack(3, (PyObject *)self, msg ? msg : Py_None, type ? type : Py_None);
    if (!t) PyErr_Clear();
    return t;
}

/* The i-th message of a batch the caller passed (a list from the Python layer), or None. */
static PyObject *batch_item(PyObject *seq, Py_ssize_t i) {
    return PyList_Check(seq) && i < PyList_GET_SIZE(seq) ? PyList_GET_ITEM(seq, i) : Py_None;
}

/* The message and timeout of an ask, checked as a tell to a Python reader. */
static int ask_args(akt_py_pid *self, PyObject *msg, PyObject *type, PyObject *timeout, akt_msg **m,
                    int64_t *ns) {
    if (pid_live_system(self) || akt_py_timeout_arg(self->system, timeout, ns)) return -1;
    akt_py_drain();
    if (akt_py_msg_new(self->system, msg, type, m)) return -1;
    if (akt_py_reader_check(self->system, (akt_pid){self->id}, *m, "ask")) {
        akt_msg_release(*m);
        return -1;
    }
    return 0;
}

static int start_ask(akt_py_pid *self, PyObject *msg, PyObject *type, PyObject *timeout,
                     akt_future **f) {
    int64_t ns;
    akt_msg *m;
    if (ask_args(self, msg, type, timeout, &m, &ns)) return -1;
    /* Python reads the answer (issue 17): a Python actor may answer with any object. */
    int rc = akt_ask_as(self->system->sys, (akt_pid){self->id}, m, ns,
                        akt_py_actor_behavior()->receive, f);
    if (rc) {
        akt_msg_release(m);
        akt_py_raise(rc, "ask");
        return -1;
    }
    return 0;
}

static PyObject *pid_ask(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames) {
    PyObject *msg, *type, *timeout;
    if (parse_send(args, nargs, kwnames, "ask", 1, &msg, &type, &timeout)) return NULL;
    PyObject *loop = running_loop(self->system, "ask");
    if (!loop) return NULL;
    akt_future *f;
    PyObject *fut = NULL;
    if (start_ask(self, msg, type, timeout, &f) == 0) {
        PyObject *asked = asked_of(self, msg, type);
        fut = akt_py_ask_async(self->system, f, loop, asked);
        Py_XDECREF(asked);
    }
    Py_DECREF(loop);
    return fut;
}

/* _ask_into(fut, msg, timeout=None, type=None) -> AskHandle: fut gets the answer. */
static PyObject *pid_ask_into(akt_py_pid *self, PyObject *args) {
    PyObject *fut, *msg, *timeout = Py_None, *type = Py_None;
    if (!PyArg_ParseTuple(args, "OO|OO:_ask_into", &fut, &msg, &timeout, &type)) return NULL;
    akt_future *f;
    if (start_ask(self, msg, type == Py_None ? NULL : type, timeout, &f)) return NULL;
    PyObject *asked = asked_of(self, msg, type == Py_None ? NULL : type);
    PyObject *h = akt_py_ask_handle(self->system, f, fut, asked);
    Py_XDECREF(asked);
    return h;
}

static PyObject *pid_ask_sync(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kwnames) {
    PyObject *msg, *type, *timeout;
    if (parse_send(args, nargs, kwnames, "ask_sync", 1, &msg, &type, &timeout)) return NULL;
    akt_future *f;
    if (akt_py_pumps(self->system)) { /* serving its actors while it waits */
        if (start_ask(self, msg, type, timeout, &f)) return NULL;
        PyObject *asked = asked_of(self, msg, type);
        PyObject *v = akt_py_future_result(self->system, f, asked);
        Py_XDECREF(asked);
        return v;
    }
    /* The ask and its first wait (one slice) in one call: an idle actor on akt's workers
     * then runs its turn on this thread (it takes the GIL for it), no worker is woken. */
    int64_t ns;
    akt_msg *m, *reply = NULL;
    if (ask_args(self, msg, type, timeout, &m, &ns)) return NULL;
    PyObject *asked = asked_of(self, msg, type);
    akt_system *sys = self->system->sys;
    akt_pid to = {self->id};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_ask_wait(sys, to, m, ns, akt_py_actor_behavior()->receive, AKT_PY_WAIT_SLICE_NS, &f,
                      &reply);
    Py_END_ALLOW_THREADS
    if (!f) {
        akt_msg_release(m);
        Py_XDECREF(asked);
        return akt_py_raise(rc, "ask");
    }
    if (rc == AKT_EAGAIN && PyErr_CheckSignals() < 0) {
        akt_future_cancel(f);
        akt_future_release(f);
        Py_XDECREF(asked);
        return NULL;
    }
    PyObject *v = akt_py_future_result_from(self->system, f, rc, reply, asked);
    Py_XDECREF(asked);
    return v;
}

/* Starts asks of every message at once; futures[i] answers msgs[i]. */
static akt_future **start_batch(akt_py_pid *self, PyObject *seq, PyObject *type, PyObject *timeout,
                                Py_ssize_t *n) {
    int64_t ns;
    if (pid_live_system(self) || akt_py_timeout_arg(self->system, timeout, &ns)) return NULL;
    akt_py_drain();
    akt_msg **msgs = batch_msgs(self->system, self->id, seq, type, n);
    if (!msgs) return NULL;
    akt_future **futures = PyMem_Malloc((size_t)(*n ? *n : 1) * sizeof *futures);
    int rc = futures
                 ? (*n ? akt_ask_batch_as(self->system->sys, (akt_pid){self->id}, msgs, (size_t)*n,
                                          ns, akt_py_actor_behavior()->receive, futures)
                       : 0)
                 : AKT_ENOMEM;
    if (rc)
        for (Py_ssize_t i = 0; i < *n; i++) akt_msg_release(msgs[i]);
    PyMem_Free(msgs);
    if (rc) {
        PyMem_Free(futures);
        akt_py_raise(rc, "ask_batch");
        return NULL;
    }
    return futures;
}

static PyObject *pid_ask_batch_futures(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                                       PyObject *kwnames) {
    PyObject *seq, *type, *timeout;
    if (parse_send(args, nargs, kwnames, "ask_batch", 1, &seq, &type, &timeout)) return NULL;
    PyObject *loop = running_loop(self->system, "ask_batch");
    if (!loop) return NULL;
    Py_ssize_t n = 0;
    akt_future **futures = start_batch(self, seq, type, timeout, &n);
    PyObject *list = futures ? PyList_New(n) : NULL;
    for (Py_ssize_t i = 0; i < n && futures; i++) {
        PyObject *asked = list ? asked_of(self, batch_item(seq, i), type) : NULL;
        PyObject *fut = list ? akt_py_ask_async(self->system, futures[i], loop, asked) : NULL;
        Py_XDECREF(asked);
        if (!fut) {
            for (Py_ssize_t j = i + (list ? 1 : 0); j < n; j++) {
                akt_future_cancel(futures[j]);
                akt_future_release(futures[j]);
            }
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, i, fut);
    }
    PyMem_Free(futures);
    Py_DECREF(loop);
    return list;
}

/* Blocking batch: a list with each answer, or the exception instance for failed ones. */
static PyObject *pid_ask_batch_results(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                                       PyObject *kwnames) {
    PyObject *seq, *type, *timeout;
    if (parse_send(args, nargs, kwnames, "ask_batch_sync", 1, &seq, &type, &timeout)) return NULL;
    Py_ssize_t n = 0;
    akt_future **futures = start_batch(self, seq, type, timeout, &n);
    if (!futures) return NULL;
    PyObject *list = PyList_New(n);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!list) {
            akt_future_release(futures[i]);
            continue;
        }
        PyObject *asked = asked_of(self, batch_item(seq, i), type);
        PyObject *v = akt_py_future_result(self->system, futures[i], asked);
        Py_XDECREF(asked);
        if (!v) {
            if (!PyErr_ExceptionMatches(PyExc_Exception)) { /* Ctrl-C: stop here */
                for (Py_ssize_t j = i + 1; j < n; j++) akt_future_release(futures[j]);
                Py_CLEAR(list);
                break;
            }
            PyObject *t, *tb;
            PyErr_Fetch(&t, &v, &tb);
            PyErr_NormalizeException(&t, &v, &tb);
            Py_XDECREF(t);
            Py_XDECREF(tb);
        }
        PyList_SET_ITEM(list, i, v);
    }
    PyMem_Free(futures);
    return list;
}

/* ------------------------------------------------------------------ lifecycle */

static PyObject *pid_stop(akt_py_pid *self, PyObject *unused) {
    if (pid_live_system(self)) return NULL;
    int rc = akt_stop(self->system->sys, (akt_pid){self->id});
    if (rc) return akt_py_raise(rc, "stop");
    Py_RETURN_NONE;
}

static PyObject *pid_reinstate(akt_py_pid *self, PyObject *unused) {
    if (pid_live_system(self)) return NULL;
    int rc = akt_reinstate(self->system->sys, (akt_pid){self->id});
    if (rc) return akt_py_raise(rc, "reinstate");
    Py_RETURN_NONE;
}

static PyObject *pid_poison(akt_py_pid *self, PyObject *unused) {
    if (pid_live_system(self)) return NULL;
    int rc = akt_poison(self->system->sys, (akt_pid){self->id});
    if (rc) return akt_py_raise(rc, "poison");
    Py_RETURN_NONE;
}

/* stop_graceful(timeout=None) and its _sync form: the poison pill and its future. */
static int start_graceful(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames, const char *fname, akt_future **f) {
    static const char *const kw[] = {"timeout"};
    PyObject *timeout = nargs > 0 ? args[0] : NULL;
    Py_ssize_t nk = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    if (nargs > 1 || nargs + nk > 1 ||
        (nk && PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, 0), kw[0]) != 0)) {
        PyErr_Format(PyExc_TypeError, "%s() takes one optional argument, timeout", fname);
        return -1;
    }
    if (nk) timeout = args[nargs];
    int64_t ns;
    if (pid_live_system(self) || akt_py_timeout_arg(self->system, timeout, &ns)) return -1;
    int rc = akt_stop_graceful(self->system->sys, (akt_pid){self->id}, ns, f);
    if (rc) {
        akt_py_raise(rc, "stop_graceful");
        return -1;
    }
    return 0;
}

static PyObject *pid_stop_graceful(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames) {
    PyObject *loop = running_loop(self->system, "stop_graceful");
    if (!loop) return NULL;
    akt_future *f;
    PyObject *fut = NULL;
    if (start_graceful(self, args, nargs, kwnames, "stop_graceful", &f) == 0)
        fut = akt_py_ask_async(self->system, f, loop, NULL);
    Py_DECREF(loop);
    return fut;
}

static PyObject *pid_stop_graceful_sync(akt_py_pid *self, PyObject *const *args, Py_ssize_t nargs,
                                        PyObject *kwnames) {
    akt_future *f;
    if (start_graceful(self, args, nargs, kwnames, "stop_graceful_sync", &f)) return NULL;
    return akt_py_future_result(self->system, f, NULL);
}

/* ------------------------------------------------------------------ value */

static PyObject *pid_get_path(akt_py_pid *self, void *closure) {
    if (pid_live_system(self)) return NULL;
    char small[256];
    char *buf = small;
    size_t needed = 0;
    int rc = akt_pid_path(self->system->sys, (akt_pid){self->id}, buf, sizeof small, &needed);
    if (rc == AKT_ERANGE) {
        if (!(buf = PyMem_Malloc(needed + 1))) return PyErr_NoMemory();
        rc = akt_pid_path(self->system->sys, (akt_pid){self->id}, buf, needed + 1, &needed);
    }
    PyObject *path = rc ? akt_py_raise(rc, "path") : PyUnicode_FromString(buf);
    if (buf != small) PyMem_Free(buf);
    return path;
}

static PyObject *pid_get_is_alive(akt_py_pid *self, void *closure) {
    if (pid_live_system(self)) return NULL;
    return PyBool_FromLong(akt_pid_is_alive(self->system->sys, (akt_pid){self->id}));
}

static PyObject *pid_richcompare(PyObject *a, PyObject *b, int op) {
    if ((op != Py_EQ && op != Py_NE) || !PyObject_TypeCheck(b, &akt_py_pid_type))
        Py_RETURN_NOTIMPLEMENTED;
    akt_py_pid *x = (akt_py_pid *)a, *y = (akt_py_pid *)b;
    int eq = x->system == y->system && x->id == y->id;
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static Py_hash_t pid_hash(akt_py_pid *self) {
    Py_uhash_t h = (Py_uhash_t)self->id * 0x9E3779B97F4A7C15ull;
    h ^= (Py_uhash_t)(uintptr_t)self->system >> 4;
    return h == (Py_uhash_t)-1 ? -2 : (Py_hash_t)h;
}

static int pid_traverse(akt_py_pid *self, visitproc visit, void *arg) {
    Py_VISIT(self->system);
    return 0;
}

static int pid_clear(akt_py_pid *self) {
    Py_CLEAR(self->system);
    return 0;
}

static void pid_dealloc(akt_py_pid *self) {
    PyObject_GC_UnTrack(self);
    pid_clear(self);
    /* A Python subclass's dealloc drops the reference to its type, not this one. */
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *pid_get_id(akt_py_pid *self, void *closure) {
    return PyLong_FromUnsignedLongLong(self->id);
}

static PyObject *pid_get_system(akt_py_pid *self, void *closure) {
    if (!self->system) Py_RETURN_NONE;
    Py_INCREF(self->system);
    return (PyObject *)self->system;
}

#define FASTKW(fn) (PyCFunction)(void (*)(void))(fn), METH_FASTCALL | METH_KEYWORDS

static PyMethodDef pid_methods[] = {
    {"tell", FASTKW(pid_tell),
     "tell(msg, *, type=None): send msg, without waiting. Inside an actor's callback the "
     "actor is the sender (the receiver can respond)."},
    {"tell_batch", FASTKW(pid_tell_batch),
     "tell_batch(msgs, *, type=None): send every message, in order, as one operation."},
    {"ask", FASTKW(pid_ask),
     "ask(msg, timeout=None, *, type=None) -> asyncio.Future of the answer."},
    {"ask_sync", FASTKW(pid_ask_sync),
     "ask_sync(msg, timeout=None, *, type=None): wait for the answer (blocking)."},
    {"_ask_batch_futures", FASTKW(pid_ask_batch_futures), NULL},
    {"_ask_into", (PyCFunction)pid_ask_into, METH_VARARGS, NULL},
    {"_ask_batch_results", FASTKW(pid_ask_batch_results), NULL},
    {"stop", (PyCFunction)pid_stop, METH_NOARGS,
     "Stops the actor now: queued messages go to dead letters (asynchronous)."},
    {"reinstate", (PyCFunction)pid_reinstate, METH_NOARGS,
     "Resumes an actor its supervisor suspended (Directive.SUSPEND), on its own node for a "
     "remote pid; no-op otherwise."},
    {"poison", (PyCFunction)pid_poison, METH_NOARGS,
     "The actor handles the messages sent before this one, then stops."},
    {"stop_graceful", FASTKW(pid_stop_graceful),
     "stop_graceful(timeout=None) -> asyncio.Future: poisons the actor and completes once "
     "it stopped; after timeout it is stopped at once and the future fails with AskTimeout."},
    {"stop_graceful_sync", FASTKW(pid_stop_graceful_sync),
     "stop_graceful_sync(timeout=None): blocking form of stop_graceful."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef pid_getset[] = {
    {"id", (getter)pid_get_id, NULL, "the pid's 64-bit value (index and generation)", NULL},
    {"system", (getter)pid_get_system, NULL, "the actor system of this pid", NULL},
    {"path", (getter)pid_get_path, NULL,
     "the actor's path, e.g. akt://demo/user/counter (ActorNotFound if it stopped)", NULL},
    {"is_alive", (getter)pid_get_is_alive, NULL, "True while the actor runs", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject akt_py_pid_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "akt._fast.PidBase",
    .tp_basicsize = sizeof(akt_py_pid),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "An actor's address.",
    .tp_dealloc = (destructor)pid_dealloc,
    .tp_traverse = (traverseproc)pid_traverse,
    .tp_clear = (inquiry)pid_clear,
    .tp_richcompare = pid_richcompare,
    .tp_hash = (hashfunc)pid_hash,
    .tp_methods = pid_methods,
    .tp_getset = pid_getset,
};
