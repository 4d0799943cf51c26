/* system.c -- akt._fast.SystemCore: the C half of akt.ActorSystem.
 *
 * It owns the akt_system reference, the external dispatcher on which "python" actors run,
 * and the service: one eventfd that wakes whoever runs this system's Python side (the
 * asyncio loop, or the system's service thread) and a queue of work that akt threads hand
 * over without waiting for the GIL (completed asks; the end of shutdown is a flag). */
#include "fastpath.h"

#include <akt/remote.h>

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

_Thread_local int akt_py_in_run;

void akt_py_system_signal(akt_py_system *s) {
    /* acq_rel: pairs with the service's exchange, so work published before this signal is
     * seen by the run that follows the service's clear. */
    if (!atomic_exchange_explicit(&s->signaled, 1, memory_order_acq_rel)) {
        uint64_t one = 1;
        ssize_t n = write(s->efd, &one, sizeof one);
        (void)n; /* EAGAIN: the counter is already non-zero, which is all we need */
    }
}

static void notify_cb(void *data) { akt_py_system_signal(data); }

static void shutdown_cb(akt_system *system, void *data) {
    (void)system;
    akt_py_system *s = data;
    /* release: whoever sees done also sees every effect of the shutdown. */
    atomic_store_explicit(&s->shutdown_done, 1, memory_order_release);
    akt_py_system_signal(s);
}

void akt_py_system_push(akt_py_system *s, akt_py_qitem *item) {
    item->next = NULL;
    pthread_mutex_lock(&s->qlock);
    if (s->qtail)
        s->qtail->next = item;
    else
        s->qhead = item;
    s->qtail = item;
    pthread_mutex_unlock(&s->qlock);
    akt_py_system_signal(s);
}

static akt_py_qitem *take_queue(akt_py_system *s) {
    pthread_mutex_lock(&s->qlock);
    akt_py_qitem *head = s->qhead;
    s->qhead = s->qtail = NULL;
    pthread_mutex_unlock(&s->qlock);
    return head;
}

static void run_queue(akt_py_system *s) {
    for (akt_py_qitem *it = take_queue(s); it;) {
        akt_py_qitem *next = it->next;
        akt_py_ask_settle(s, it);
        it = next;
    }
}

int akt_py_system_service(akt_py_system *s, size_t budget, int *more) {
    *more = 0;
    atomic_exchange_explicit(&s->signaled, 0, memory_order_acq_rel);
    uint64_t count;
    ssize_t n = read(s->efd, &count, sizeof count);
    (void)n;
    akt_py_drain();
    run_queue(s);
    if (s->disp && budget) {
        size_t done = 0;
        akt_py_in_run++;
        int rc = akt_dispatcher_run(s->disp, budget, &done);
        akt_py_in_run--;
        *more = rc == AKT_EAGAIN;
        akt_py_drain();
        run_queue(s);
    }
    return 0;
}

/* ------------------------------------------------------------------ Python type */

/* local begin: the user's propagator (akt_system_options.propagator): inject(headers)
 * gets the headers of the message being handled by the sending actor ({} outside actors)
 * and returns the headers to add to the outgoing message (a dict, or None); a header the
 * sender set itself is kept. Runs on the sending thread with the GIL; what it raises is
 * reported as unraisable and adds nothing. data: the callable, kept in the system's keep
 * list as long as the system. */
static void py_inject(akt_ctx *ctx, akt_msg *msg, void *data) {
    int entered = akt_py_enter();
    if (entered < 0) return;
    akt_msg *cur = NULL;
    PyObject *in = ctx && akt_ctx_message(ctx, &cur) == 0 && cur ? akt_py_headers_dict(cur)
                                                                 : PyDict_New();
    PyObject *out = in ? PyObject_CallOneArg((PyObject *)data, in) : NULL;
    PyObject *add = NULL;
    if (out && out != Py_None && !PyDict_Check(out)) {
        PyErr_Format(PyExc_TypeError, "a propagator returns a dict of headers or None, not %.100s",
                     Py_TYPE(out)->tp_name);
    } else if (out && out != Py_None && (add = PyDict_New())) {
        PyObject *k, *v;
        Py_ssize_t pos = 0;
        while (PyDict_Next(out, &pos, &k, &v)) {
            const char *key = PyUnicode_Check(k) ? PyUnicode_AsUTF8(k) : NULL;
            const void *had;
            size_t len;
            if (key && akt_msg_header(msg, key, &had, &len) == 0) continue; /* the sender's */
            if (PyDict_SetItem(add, k, v)) break;
        }
        if (!PyErr_Occurred()) akt_py_headers_set(msg, add);
    }
    if (PyErr_Occurred()) PyErr_WriteUnraisable((PyObject *)data);
    Py_XDECREF(add);
    Py_XDECREF(out);
    Py_XDECREF(in);
    akt_py_leave(entered);
}
/* local end */

static int system_init(akt_py_system *self, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"name",        "workers",    "throughput", "mode", "supervisor",
                             "ask_timeout", "extensions", "propagator", NULL};
    const char *name = "akt";
    int workers = 0, throughput = 0, mode = AKT_PY_MODE_PYTHON;
    PyObject *supervisor = Py_None, *extensions = Py_None, *propagator = Py_None;
    double ask_timeout = 10.0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|s$iiiOdOO", kwlist, &name, &workers,
                                     &throughput, &mode, &supervisor, &ask_timeout, &extensions,
                                     &propagator))
        return -1;
    if (propagator != Py_None && !PyCallable_Check(propagator)) {
        PyErr_SetString(PyExc_TypeError,
                        "a propagator is callable: inject(headers) -> dict | None");
        return -1;
    }
    if (extensions != Py_None && !PyDict_Check(extensions)) {
        PyErr_SetString(PyExc_TypeError, "extensions must be a dict of name -> value");
        return -1;
    }
    if (self->sys) {
        PyErr_SetString(PyExc_RuntimeError, "the actor system is already initialized");
        return -1;
    }
    if (workers < 0 || throughput < 0) {
        PyErr_SetString(PyExc_ValueError, "workers and throughput must be >= 0");
        return -1;
    }
    if (mode != AKT_PY_MODE_PYTHON && mode != AKT_PY_MODE_WORKERS) {
        PyErr_SetString(PyExc_ValueError, "unknown dispatch mode");
        return -1;
    }
    if (!(ask_timeout > 0) || ask_timeout > 1e9) {
        PyErr_SetString(PyExc_ValueError, "ask_timeout must be a positive number of seconds");
        return -1;
    }
    self->default_mode = mode;
    self->ask_timeout_ns = (int64_t)(ask_timeout * 1e9);
    if (!self->keep && !(self->keep = PyList_New(0))) return -1;

    akt_system_options opts;
    akt_system_options_init(&opts);
    opts.name = name;
    opts.workers = workers;
    opts.throughput = throughput;
    opts.thread_start = akt_py_thread_start;
    opts.thread_stop = akt_py_thread_stop;
    /* A thread waiting for an ask may run its idle target's turn (akt_ask_wait, ask_sync):
     * a Python actor's turn takes the GIL on any thread (gil.c). */
    opts.waiters_run_turns = 1;
    akt_supervisor sup;
    int has = akt_py_supervisor_arg(self, supervisor, &sup);
    if (has < 0) return -1;
    if (has == 0) opts.supervisor = &sup;
    akt_propagator prop = {.size = sizeof prop, .inject = py_inject, .data = propagator};
    if (propagator != Py_None) {
        if (PyList_Append(self->keep, propagator)) return -1; /* alive as long as the system */
        opts.propagator = &prop;
    }

    /* Extensions: names copied by akt, values kept alive by a dict of our own. */
    Py_ssize_t next = extensions == Py_None ? 0 : PyDict_Size(extensions);
    const char **ext_names = NULL;
    void **ext_values = NULL;
    if (next) {
        PyObject *own = PyDict_Copy(extensions);
        ext_names = PyMem_Calloc((size_t)next, sizeof *ext_names);
        ext_values = PyMem_Calloc((size_t)next, sizeof *ext_values);
        if (!own || !ext_names || !ext_values) {
            Py_XDECREF(own);
            PyMem_Free(ext_names);
            PyMem_Free(ext_values);
            PyErr_NoMemory();
            return -1;
        }
        Py_XSETREF(self->extensions, own);
        PyObject *k, *v;
        Py_ssize_t pos = 0, i = 0;
        while (PyDict_Next(own, &pos, &k, &v)) {
            ext_names[i] = PyUnicode_Check(k) ? PyUnicode_AsUTF8(k) : NULL;
            if (!ext_names[i]) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_TypeError, "extension names must be str");
                PyMem_Free(ext_names);
                PyMem_Free(ext_values);
                return -1;
            }
            ext_values[i++] = v;
        }
        opts.extension_names = ext_names;
        opts.extension_values = ext_values;
        opts.extension_count = (size_t)next;
    }

    self->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (self->efd < 0) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    akt_system *sys = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_system_create(&opts, &sys);
    Py_END_ALLOW_THREADS
    PyMem_Free(ext_names);
    PyMem_Free(ext_values);
    if (rc) {
        akt_py_raise(rc, "akt_system_create");
        return -1;
    }
    self->sys = sys;
    rc = akt_dispatcher_create_external(sys, notify_cb, self, &self->disp);
    if (rc) {
        akt_py_raise(rc, "akt_dispatcher_create_external");
        return -1;
    }
    akt_py_msg_ops_init(self);
    return 0;
}

static PyObject *system_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    akt_py_system *self = (akt_py_system *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    self->efd = -1;
    pthread_mutex_init(&self->qlock, NULL);
    return (PyObject *)self;
}

static int system_traverse(akt_py_system *self, visitproc visit, void *arg) {
    Py_VISIT(self->keep);
    Py_VISIT(self->extensions);
    Py_VISIT(self->grain_deps);
    Py_VISIT(self->grain_kinds);
    Py_VISIT(self->dict);
    return 0;
}

static int system_clear(akt_py_system *self) {
    Py_CLEAR(self->keep);
    Py_CLEAR(self->extensions);
    Py_CLEAR(self->grain_deps);
    Py_CLEAR(self->grain_kinds);
    Py_CLEAR(self->dict);
    return 0;
}

static void system_dealloc(akt_py_system *self) {
    PyObject_GC_UnTrack(self);
    if (self->weakrefs) PyObject_ClearWeakRefs((PyObject *)self);
    akt_system *sys = self->sys;
    self->sys = NULL;
    if (sys) {
        /* The Python layer keeps a running system alive until its shutdown completed, so
         * this is the end of a finished system: drop its memory. (Queued asks hold the
         * system, so the queue is empty here.) */
        Py_BEGIN_ALLOW_THREADS
        akt_system_shutdown(sys, NULL, NULL);
        akt_system_release(sys);
        Py_END_ALLOW_THREADS
    }
    for (akt_py_qitem *it = take_queue(self); it;) {
        akt_py_qitem *next = it->next;
        akt_py_ask_discard(it);
        it = next;
    }
    if (self->efd >= 0) close(self->efd);
    pthread_mutex_destroy(&self->qlock);
    system_clear(self);
    /* A Python subclass's dealloc drops the reference to its type, not this one. */
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int system_ready(akt_py_system *self) {
    if (self->sys) return 0;
    PyErr_SetString(PyExc_RuntimeError, "the actor system is not initialized");
    return -1;
}

static PyObject *system_service(akt_py_system *self, PyObject *arg) {
    if (system_ready(self)) return NULL;
    Py_ssize_t budget = PyLong_AsSsize_t(arg);
    if (budget < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "budget must be >= 0");
        return NULL;
    }
    int more = 0;
    akt_py_system_service(self, (size_t)budget, &more);
    if (PyErr_Occurred()) return NULL;
    return PyBool_FromLong(more);
}

/* Before sleeping in poll, look at the flag for a moment: when a reply or the next request
 * is microseconds away (a sequence of asks), this saves two thread wake-ups per round
 * trip. Bounded, and only after the service ran, so an idle system does not spin. */
#define SPIN_PAUSES 64
#define SPIN_YIELDS 32

static int spin_for_signal(akt_py_system *s) {
    for (int i = 0; i < SPIN_PAUSES + SPIN_YIELDS; i++) {
        /* relaxed: only a hint; the service's exchange orders what it then reads. */
        if (atomic_load_explicit(&s->signaled, memory_order_relaxed)) return 1;
        if (i < SPIN_PAUSES)
            __builtin_ia32_pause();
        else
            sched_yield();
    }
    return 0;
}

/* Waits until the service has work, up to timeout seconds (None: no limit), GIL released.
 * Returns True if woken. */
static PyObject *system_wait(akt_py_system *self, PyObject *arg) {
    if (system_ready(self)) return NULL;
    int ms = -1;
    if (arg != Py_None) {
        double t = PyFloat_AsDouble(arg);
        if (t == -1.0 && PyErr_Occurred()) return NULL;
        ms = t <= 0 ? 0 : t > 1e6 ? 1000000000 : (int)(t * 1000.0 + 0.999);
    }
    struct pollfd p = {self->efd, POLLIN, 0};
    int n;
    Py_BEGIN_ALLOW_THREADS
    n = ms != 0 && spin_for_signal(self) ? 1 : poll(&p, 1, ms);
    Py_END_ALLOW_THREADS
    if (n < 0 && errno != EINTR) return PyErr_SetFromErrno(PyExc_OSError);
    return PyBool_FromLong(n > 0);
}

/* _started(pid, timeout): waits (GIL released) up to timeout seconds (0: just look) until
 * the actor is past its start (akt_await_started). True if it is. */
static PyObject *system_started(akt_py_system *self, PyObject *const *args, Py_ssize_t n) {
    if (system_ready(self)) return NULL;
    if (n != 2 || !PyObject_TypeCheck(args[0], &akt_py_pid_type)) {
        PyErr_SetString(PyExc_TypeError, "_started(pid, timeout)");
        return NULL;
    }
    double t = PyFloat_AsDouble(args[1]);
    if (t == -1.0 && PyErr_Occurred()) return NULL;
    int64_t ns = t <= 0 ? 0 : t > 1e6 ? (int64_t)1e15 : (int64_t)(t * 1e9);
    akt_pid pid = {((akt_py_pid *)args[0])->id};
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_await_started(self->sys, pid, ns);
    Py_END_ALLOW_THREADS
    if (rc == AKT_ETIMEDOUT) Py_RETURN_FALSE;
    if (rc) return akt_py_raise(rc, "akt_await_started");
    Py_RETURN_TRUE;
}

static PyObject *system_signal_py(akt_py_system *self, PyObject *unused) {
    if (system_ready(self)) return NULL;
    akt_py_system_signal(self);
    Py_RETURN_NONE;
}

static PyObject *system_set_service_thread(akt_py_system *self, PyObject *unused) {
    self->service_thread = PyThread_get_thread_ident();
    Py_RETURN_NONE;
}

static PyObject *system_shutdown_start(akt_py_system *self, PyObject *unused) {
    if (system_ready(self)) return NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_system_shutdown(self->sys, shutdown_cb, self);
    Py_END_ALLOW_THREADS
    if (rc == AKT_ECLOSED) Py_RETURN_FALSE;
    if (rc) return akt_py_raise(rc, "akt_system_shutdown");
    Py_RETURN_TRUE;
}

/* The guardian's policy (0 stop the actor, 1 shut down): a shutdown it starts ends with
 * this system's own callback, so the Python side sees it complete. */
static PyObject *system_set_guardian(akt_py_system *self, PyObject *arg) {
    if (system_ready(self)) return NULL;
    long policy = PyLong_AsLong(arg);
    if (policy == -1 && PyErr_Occurred()) return NULL;
    int rc = akt_system_set_guardian_policy(self->sys, (int)policy, shutdown_cb, self);
    if (rc) return akt_py_raise(rc, "akt_system_set_guardian_policy");
    Py_RETURN_NONE;
}

/* Blocks (GIL released) until shutdown completed or timeout seconds passed (None: no
 * limit). True when complete. */
static PyObject *system_wait_done(akt_py_system *self, PyObject *arg) {
    if (system_ready(self)) return NULL;
    int64_t ns = -1;
    if (arg != Py_None) {
        double t = PyFloat_AsDouble(arg);
        if (t == -1.0 && PyErr_Occurred()) return NULL;
        ns = t <= 0 ? 0 : (int64_t)(t * 1e9);
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_system_wait(self->sys, ns);
    Py_END_ALLOW_THREADS
    if (rc == AKT_ETIMEDOUT) Py_RETURN_FALSE;
    if (rc) return akt_py_raise(rc, "akt_system_wait");
    Py_RETURN_TRUE;
}

static PyObject *system_spawn(akt_py_system *self, PyObject *args, PyObject *kwargs) {
    if (system_ready(self)) return NULL;
    return akt_py_spawn(self, NULL, NULL, args, kwargs);
}

/* _spawn_native(name, behavior_address, state_address): a C actor (an akt_behavior from
 * any native library, e.g. through cffi) on akt's workers. */
static PyObject *system_spawn_native(akt_py_system *self, PyObject *args) {
    PyObject *name, *beh_addr, *state_addr;
    if (system_ready(self) ||
        !PyArg_ParseTuple(args, "OOO:_spawn_native", &name, &beh_addr, &state_addr))
        return NULL;
    const char *cname = NULL;
    if (name != Py_None && !(cname = PyUnicode_AsUTF8(name))) return NULL;
    const akt_behavior *beh = PyLong_AsVoidPtr(beh_addr);
    void *state = state_addr == Py_None ? NULL : PyLong_AsVoidPtr(state_addr);
    if (PyErr_Occurred()) return NULL;
    if (!beh) {
        PyErr_SetString(PyExc_ValueError, "spawn_native() needs an akt_behavior pointer");
        return NULL;
    }
    akt_spawn_options opts;
    akt_spawn_options_init(&opts);
    opts.name = cname;
    akt_pid pid = {0};
    int rc;
    Py_BEGIN_ALLOW_THREADS /* a C pre_start may run code that waits; nothing here needs Python */
    rc = akt_spawn(self->sys, beh, state, &opts, &pid);
    Py_END_ALLOW_THREADS
    if (rc) return akt_py_raise(rc, "spawn_native");
    return akt_py_pid_new(self, pid.id);
}

static PyObject *system_lookup(akt_py_system *self, PyObject *path) {
    if (system_ready(self)) return NULL;
    if (!PyUnicode_Check(path)) {
        PyErr_Format(PyExc_TypeError, "path must be a str, not %.100s", Py_TYPE(path)->tp_name);
        return NULL;
    }
    const char *cpath = PyUnicode_AsUTF8(path);
    if (!cpath) return NULL;
    akt_pid pid;
    int rc = akt_lookup(self->sys, cpath, &pid);
    if (rc) {
        PyObject *what = PyUnicode_FromFormat("lookup %R", path);
        const char *w = what ? PyUnicode_AsUTF8(what) : NULL;
        if (!w) {
            Py_XDECREF(what);
            return NULL;
        }
        akt_py_raise(rc, w);
        Py_DECREF(what);
        return NULL;
    }
    return akt_py_pid_new(self, pid.id);
}

/* ---- remoting (akt/remote.h) ---- */

static PyObject *system_remote_address(akt_py_system *self, PyObject *unused) {
    if (system_ready(self)) return NULL;
    char buf[256];
    int rc = akt_remote_address(self->sys, buf, sizeof buf, NULL);
    if (rc) return akt_py_raise(rc, "remote_address");
    return PyUnicode_FromString(buf);
}

static PyObject *remote_start_with(akt_py_system *self, akt_remote_options *o_tls, const char *host,
                                   int port, unsigned long max_frame, PyObject *interval,
                                   unsigned long misses);

/* remopts begin: */
/* A size option of remote_start: None = 0 (the core's default), else an int 0..max
 * (TypeError for another type, InvalidArgument below 0 or above max). 0 or -1 (raised). */
static int remote_size_opt(PyObject *v, const char *name, unsigned long long max,
                           unsigned long long *out) {
    *out = 0;
    if (!v || v == Py_None) return 0;
    if (!PyLong_Check(v) || PyBool_Check(v)) {
        PyErr_Format(PyExc_TypeError, "remote_start: %s must be an int or None", name);
        return -1;
    }
    int overflow = 0;
    long long n = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (n == -1 && PyErr_Occurred()) return -1;
    if (overflow || n < 0 || (unsigned long long)n > max) {
        char what[128];
        snprintf(what, sizeof what, "remote_start: %s must be 0..%llu", name, max);
        akt_py_raise(AKT_EINVAL, what);
        return -1;
    }
    *out = (unsigned long long)n;
    return 0;
}
/* remopts end */

/* A TLS file argument: None, or a str / bytes / os.PathLike (to a bytes object in *out). */
static int tls_path(PyObject *o, void *out) {
    if (o == Py_None) {
        *(PyObject **)out = NULL;
        return 1;
    }
    return PyUnicode_FSConverter(o, out);
}

static PyObject *system_remote_start(akt_py_system *self, PyObject *args, PyObject *kw) {
    static char *names[] = {
        "host", "port", "max_frame_bytes", "heartbeat_interval", "heartbeat_misses", "tls_cert",
        "tls_key", "tls_ca", "tls_peer_name", "tls_require_client_cert", "send_window",
        "compression", "compress_min_bytes",
        /* remopts begin: */
        "chunk_bytes", "max_message_bytes", "send_buffer_bytes", "max_reverse_proxies",
        /* remopts end */
        NULL};
    const char *host = NULL, *peer_name = NULL;
    int port = 0, client_cert = 0;
    unsigned long max_frame = 0, misses = 0, window = 0, compress_min = 0;
    const char *compression = NULL;
    PyObject *interval = Py_None, *cert = NULL, *key = NULL, *ca = NULL;
    PyObject *chunk = NULL, *max_msg = NULL, *send_buf = NULL, *max_rev = NULL; /* remopts */
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|zik$OkO&O&O&zpkzkOOOO:remote_start", names, &host,
                                     &port, &max_frame, &interval, &misses, tls_path, &cert,
                                     tls_path, &key, tls_path, &ca, &peer_name, &client_cert,
                                     &window, &compression, &compress_min, &chunk, &max_msg,
                                     &send_buf, &max_rev))
        return NULL;
    /* remopts begin: */
    unsigned long long chunk_n, max_msg_n, send_buf_n, max_rev_n;
    if (remote_size_opt(chunk, "chunk_bytes", UINT32_MAX, &chunk_n) ||
        remote_size_opt(max_msg, "max_message_bytes", UINT32_MAX, &max_msg_n) ||
        remote_size_opt(send_buf, "send_buffer_bytes", (unsigned long long)INT64_MAX,
                        &send_buf_n) ||
        remote_size_opt(max_rev, "max_reverse_proxies", UINT32_MAX, &max_rev_n)) {
        Py_XDECREF(cert);
        Py_XDECREF(key);
        Py_XDECREF(ca);
        return NULL;
    }
    /* remopts end */
    static const char *const methods[] = {"none", "zstd", "gzip", "brotli"};
    int method = -1;
    for (int i = 0; i < 4; i++)
        if (!compression || strcmp(compression, methods[i]) == 0) {
            method = compression ? i : AKT_REMOTE_COMPRESS_NONE;
            break;
        }
    if (method < 0 || compress_min > 0xffffffffu) {
        PyErr_SetString(PyExc_ValueError,
                        method < 0 ? "compression must be 'none', 'zstd', 'gzip' or 'brotli'"
                                   : "compress_min_bytes must be 0..2**32-1");
        Py_XDECREF(cert);
        Py_XDECREF(key);
        Py_XDECREF(ca);
        return NULL;
    }
    PyObject *r = NULL;
    if (system_ready(self)) goto out;
    akt_remote_options o;
    akt_remote_options_init(&o);
    o.tls_cert_file = cert ? PyBytes_AS_STRING(cert) : NULL;
    o.tls_key_file = key ? PyBytes_AS_STRING(key) : NULL;
    o.tls_ca_file = ca ? PyBytes_AS_STRING(ca) : NULL;
    o.tls_peer_name = peer_name;
    o.tls_require_client_cert = client_cert;
    if (window > (1ul << 24)) {
        PyErr_SetString(PyExc_ValueError, "send_window must be 0..2**24");
        goto out;
    }
    o.send_window = (uint32_t)window; /* 0: the default */
    o.compression = method;
    o.compress_min_bytes = (uint32_t)compress_min; /* 0: the default */
    /* remopts begin: the core checks the ranges (AKT_EINVAL: InvalidArgument) */
    o.chunk_bytes = (uint32_t)chunk_n; /* 0: the default */
    o.max_message_bytes = (uint32_t)max_msg_n;
    o.send_buffer_bytes = (uint64_t)send_buf_n;
    o.max_reverse_proxies = (uint32_t)max_rev_n;
    /* remopts end */
    r = remote_start_with(self, &o, host, port, max_frame, interval, misses);
out:
    Py_XDECREF(cert);
    Py_XDECREF(key);
    Py_XDECREF(ca);
    return r;
}

/* remote_start's checks and the start itself, with o's TLS fields already set. */
static PyObject *remote_start_with(akt_py_system *self, akt_remote_options *o_tls, const char *host,
                                   int port, unsigned long max_frame, PyObject *interval,
                                   unsigned long misses) {
    if (port < 0 || port > 65535 || max_frame > UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "port must be 0..65535 and max_frame_bytes 0..2**32-1");
        return NULL;
    }
    /* heartbeat_interval: seconds; None = the default (1 s), 0 or less = no heartbeats. */
    int64_t interval_ns = 0;
    if (interval != Py_None) {
        double s = PyFloat_AsDouble(interval);
        if (s == -1.0 && PyErr_Occurred()) return NULL;
        if (!(s <= 3600.0)) {
            PyErr_SetString(PyExc_ValueError, "heartbeat_interval must be at most 3600 s");
            return NULL;
        }
        interval_ns = s > 0 ? (int64_t)(s * 1e9) : -1;
        if (interval_ns == 0) interval_ns = 1;
    }
    if (misses > 1000) {
        PyErr_SetString(PyExc_ValueError, "heartbeat_misses must be 0..1000");
        return NULL;
    }
    akt_remote_options o = *o_tls;
    o.host = host;
    o.port = (uint16_t)port;
    o.max_frame_bytes = (uint32_t)max_frame;
    o.heartbeat_interval_ns = interval_ns;
    o.heartbeat_misses = (uint32_t)misses;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = akt_remote_start(self->sys, &o);
    Py_END_ALLOW_THREADS
    if (rc) return akt_py_raise(rc, "remote_start");
    return system_remote_address(self, NULL);
}

static PyObject *system_remote_tls_failures(akt_py_system *self, PyObject *unused) {
    if (system_ready(self)) return NULL;
    char buf[256];
    uint64_t n = 0;
    int rc = akt_remote_tls_failures(self->sys, &n, buf, sizeof buf, NULL);
    if (rc) return akt_py_raise(rc, "remote_tls_failures");
    return Py_BuildValue("(Ks)", (unsigned long long)n, buf);
}

static PyObject *system_remote_lookup(akt_py_system *self, PyObject *address) {
    if (system_ready(self)) return NULL;
    if (!PyUnicode_Check(address)) {
        PyErr_Format(PyExc_TypeError, "address must be a str, not %.100s",
                     Py_TYPE(address)->tp_name);
        return NULL;
    }
    const char *a = PyUnicode_AsUTF8(address);
    if (!a) return NULL;
    akt_pid pid;
    int rc = akt_remote_lookup(self->sys, a, &pid);
    if (rc) return akt_py_raise(rc, "remote_lookup");
    return akt_py_pid_new(self, pid.id);
}

/* extension(name): a value given at creation (extensions={...}). KeyError if none. */
static PyObject *system_extension(akt_py_system *self, PyObject *name) {
    if (!self->sys) {
        PyErr_SetString(PyExc_RuntimeError, "the actor system is not initialized");
        return NULL;
    }
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "an extension name is a str");
        return NULL;
    }
    const char *cname = PyUnicode_AsUTF8(name);
    if (!cname) return NULL;
    void *value = NULL;
    int rc = akt_system_extension(self->sys, cname, &value);
    PyObject *mine = rc == 0 && self->extensions ? PyDict_GetItemWithError(self->extensions, name)
                                                 : NULL;
    if (rc && rc != AKT_ENOTFOUND) return akt_py_raise(rc, "extension");
    if (!mine || (void *)mine != value) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_KeyError, "no extension named %R", name);
        return NULL;
    }
    Py_INCREF(mine);
    return mine;
}

static PyObject *system_get_name(akt_py_system *self, void *closure) {
    if (system_ready(self)) return NULL;
    return PyUnicode_FromString(akt_system_name(self->sys));
}
/* The akt_system * as an int, for the cffi-level parts of the package (akt.metrics). */
static PyObject *system_get_address(akt_py_system *self, void *closure) {
    if (system_ready(self)) return NULL;
    return PyLong_FromVoidPtr(self->sys);
}
static PyObject *system_get_fileno(akt_py_system *self, void *closure) {
    return PyLong_FromLong(self->efd);
}
static PyObject *system_get_done(akt_py_system *self, void *closure) {
    return PyBool_FromLong(atomic_load_explicit(&self->shutdown_done, memory_order_acquire));
}
static PyObject *system_get_ask_timeout(akt_py_system *self, void *closure) {
    return PyFloat_FromDouble((double)self->ask_timeout_ns / 1e9);
}

PyObject *akt_py_subscribe(akt_py_system *s, PyObject *args, PyObject *kwargs);
static PyObject *system_subscribe(akt_py_system *self, PyObject *args, PyObject *kwargs) {
    if (system_ready(self)) return NULL;
    return akt_py_subscribe(self, args, kwargs);
}

PyObject *akt_py_schedule(akt_py_system *s, PyObject *args);
PyObject *akt_py_schedule_op(akt_py_system *s, PyObject *args);
PyObject *akt_py_schedules(akt_py_system *s);
static PyObject *system_schedule(akt_py_system *self, PyObject *args) {
    if (system_ready(self)) return NULL;
    return akt_py_schedule(self, args);
}
static PyObject *system_schedule_op(akt_py_system *self, PyObject *args) {
    if (system_ready(self)) return NULL;
    return akt_py_schedule_op(self, args);
}
static PyObject *system_schedules(akt_py_system *self, PyObject *unused) {
    if (system_ready(self)) return NULL;
    return akt_py_schedules(self);
}

static PyObject *system_router_spawn(akt_py_system *self, PyObject *args) {
    if (system_ready(self)) return NULL;
    return akt_py_router_spawn(self, args);
}
static PyObject *system_router_broadcast(akt_py_system *self, PyObject *args) {
    if (system_ready(self)) return NULL;
    return akt_py_router_broadcast(self, args);
}
static PyObject *system_router_resize(akt_py_system *self, PyObject *args) {
    if (system_ready(self)) return NULL;
    return akt_py_router_resize(self, args);
}
static PyObject *system_router_routees(akt_py_system *self, PyObject *pid) {
    if (system_ready(self)) return NULL;
    return akt_py_router_routees(self, pid);
}

static PyMethodDef system_methods[] = {
    {"_router_spawn", (PyCFunction)system_router_spawn, METH_VARARGS,
     "_router_spawn(name, factory, size, strategy, routees, key, within_ns, interval_ns, "
     "failure, max_retries, retry_within_ns, seed, dispatcher) -> Pid"},
    {"_router_broadcast", (PyCFunction)system_router_broadcast, METH_VARARGS,
     "_router_broadcast(router, msg): msg to every routee."},
    {"_router_resize", (PyCFunction)system_router_resize, METH_VARARGS,
     "_router_resize(router, n): the pool's new size (waits, GIL released)."},
    {"_router_routees", (PyCFunction)system_router_routees, METH_O,
     "_router_routees(router) -> list of Pid (waits, GIL released)."},
    {"_schedule", (PyCFunction)system_schedule, METH_VARARGS,
     "_schedule(pid, msg, type, delay_ns, interval_ns, reference, sender[, expr, flags]) -> "
     "reference"},
    {"_schedule_op", (PyCFunction)system_schedule_op, METH_VARARGS,
     "_schedule_op(op, reference): 0 pause, 1 resume, 2 cancel"},
    {"_schedules", (PyCFunction)system_schedules, METH_NOARGS, "the schedules as tuples"},
    {"_service", (PyCFunction)system_service, METH_O,
     "Run queued work and up to budget messages of Python actors; True if more remain."},
    {"_wait", (PyCFunction)system_wait, METH_O,
     "Wait (GIL released) until the service has work or timeout seconds passed."},
    {"_signal", (PyCFunction)system_signal_py, METH_NOARGS, "Wake the service."},
    {"_started", (PyCFunction)(void (*)(void))system_started, METH_FASTCALL,
     "_started(pid, timeout) -> True once the actor is past its start (pre_start run)."},
    {"_set_service_thread", (PyCFunction)system_set_service_thread, METH_NOARGS,
     "Record the calling thread as the one running the service."},
    {"_shutdown_start", (PyCFunction)system_shutdown_start, METH_NOARGS,
     "Start akt_system_shutdown; False if it had already started."},
    {"_set_guardian", (PyCFunction)system_set_guardian, METH_O,
     "_set_guardian(policy): the guardian's policy (AKT_GUARDIAN_*)."},
    {"_wait_done", (PyCFunction)system_wait_done, METH_O,
     "Wait (GIL released) for the end of shutdown; True when complete."},
    {"_spawn_native", (PyCFunction)system_spawn_native, METH_VARARGS,
     "_spawn_native(name, behavior_address, state_address) -> Pid"},
    {"remote_start", (PyCFunction)(void (*)(void))system_remote_start, METH_VARARGS | METH_KEYWORDS,
     "remote_start(host=None, port=0, max_frame_bytes=0, *, heartbeat_interval=None, "
     "heartbeat_misses=0) -> this node's address (\"akt://name@host:port\"): listens on host "
     "(default 127.0.0.1; port 0: ephemeral). A connection silent for more than "
     "heartbeat_misses (0: 5) heartbeat intervals (seconds; None: 1 s, 0: none) is lost. "
     "TLS 1.3 with tls_cert and tls_key (PEM paths): peers must chain to tls_ca (None: the "
     "system's CAs) and outbound peers must prove tls_peer_name (None: their host); "
     "tls_require_client_cert=True makes it mutual TLS. A peer TLS refuses fails asks with "
     "Unreachable. "
     "send_window (0: 65536): messages to one node not yet consumed there; a tell beyond "
     "it raises MailboxFull. "
     "compression ('none', 'zstd', 'gzip', 'brotli'; default none): frames of at least "
     "compress_min_bytes (0: 512) to peers that accept the method go compressed. "
     "chunk_bytes (None: 64 KiB, else 256..max_frame_bytes): larger frames go as chunks; "
     "max_message_bytes (None: 64 MiB, else max_frame_bytes..2**30): a larger message is a "
     "dead letter here and its ask raises InvalidArgument; send_buffer_bytes (None: 64 MiB, "
     "at least 65536): bytes queued per connection before tells raise MailboxFull; "
     "max_reverse_proxies (None: 10000): pids kept for remote senders."},
    {"remote_address", (PyCFunction)system_remote_address, METH_NOARGS,
     "remote_address() -> this node's address; ActorNotFound before remote_start."},
    {"remote_lookup", (PyCFunction)system_remote_lookup, METH_O,
     "remote_lookup(\"akt://name@host:port/user/path\") -> Pid of that actor of another node "
     "(usable with tell and ask like a local one)."},
    {"remote_tls_failures", (PyCFunction)system_remote_tls_failures, METH_NOARGS,
     "remote_tls_failures() -> (count, last reason): the connections TLS closed on this node "
     "(refused peers, failed handshakes, malformed records) and why the last one was; "
     "ActorNotFound before remote_start."},
    {"extension", (PyCFunction)system_extension, METH_O,
     "extension(name): a value given at creation (extensions={...}); KeyError if none."},
    {"lookup", (PyCFunction)system_lookup, METH_O,
     "lookup(path) -> Pid of the live actor at path (\"name\", \"parent/child\", "
     "\"/user/...\" or \"akt://system/user/...\"); ActorNotFound if there is none."},
    {"spawn", (PyCFunction)(void (*)(void))system_spawn, METH_VARARGS | METH_KEYWORDS,
     "spawn(name, actor, *, dispatcher=None, supervisor=None, dependencies=None) -> Pid"},
    {"_subscribe", (PyCFunction)(void (*)(void))system_subscribe, METH_VARARGS | METH_KEYWORDS,
     "_subscribe(callback, mask) -> Subscription"},
    {"_grain_register", (PyCFunction)akt_py_grain_register, METH_VARARGS,
     "_grain_register(kind, binder, deactivate_after_ns, dispatcher)"},
    {"_grain_send", (PyCFunction)akt_py_grain_send, METH_VARARGS,
     "_grain_send(kind, name, msg, type, ask, timeout, fut, opts=None)"},
    {"_topic_publish", (PyCFunction)akt_py_topic_publish, METH_VARARGS,
     "_topic_publish(topic, msg, type=None)"},
    {"_topic_op", (PyCFunction)akt_py_topic_op, METH_VARARGS,
     "_topic_op(op, topic, pid, timeout, fut)"},
    {"_remote_spawn", (PyCFunction)(void (*)(void))akt_py_remote_spawn,
     METH_VARARGS | METH_KEYWORDS,
     "_remote_spawn(address, kind, name, timeout=10.0, *, supervisor=None, mailbox=None, "
     "passivation=None, reentrancy=None, max_in_flight=0) -> Pid: the C half of "
     "ActorSystem.remote_spawn (passivation: None or (strategy, idle_ns, messages))."},
    {"serializer_register", (PyCFunction)akt_py_serializer_register, METH_VARARGS,
     "serializer_register(name, encode, decode): a serializer for remoting written in Python: "
     "encode(value) -> bytes, decode(type, data) -> value (run on the remoting thread)."},
    {"serializer_bind", (PyCFunction)akt_py_serializer_bind, METH_VARARGS,
     "serializer_bind(type, name): messages of type (None: the default) cross to other nodes "
     "with the serializer name (\"json\", \"cbor\", \"protobuf\" or a registered one; "
     "None: unbound)."},
    {"serializer_for", (PyCFunction)akt_py_serializer_for, METH_O,
     "serializer_for(type) -> the name of the serializer messages of type cross with, or None."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef system_getset[] = {
    {"name", (getter)system_get_name, NULL, "the system's name", NULL},
    {"_fileno", (getter)system_get_fileno, NULL, "the service eventfd", NULL},
    {"_address", (getter)system_get_address, NULL, "the akt_system * as an int", NULL},
    {"_shutdown_done", (getter)system_get_done, NULL, "shutdown completed", NULL},
    {"ask_timeout", (getter)system_get_ask_timeout, NULL, "default ask timeout in seconds", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject akt_py_system_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "akt._fast.SystemCore",
    .tp_basicsize = sizeof(akt_py_system),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The C half of akt.ActorSystem.",
    .tp_new = system_new,
    .tp_init = (initproc)system_init,
    .tp_dealloc = (destructor)system_dealloc,
    .tp_traverse = (traverseproc)system_traverse,
    .tp_clear = (inquiry)system_clear,
    .tp_methods = system_methods,
    .tp_getset = system_getset,
    .tp_weaklistoffset = offsetof(akt_py_system, weakrefs),
    .tp_dictoffset = offsetof(akt_py_system, dict),
};
