/*
 * fastpath.h -- the CPython side of akt's Python binding.
 *
 * The binding is one extension module built by cffi in API mode (akt._native). cffi gives
 * the Python layer the public headers' constants and texts; these files are compiled into
 * the same module and make every call into akt: wrapping Python objects as akt messages,
 * the actor callbacks (a run of messages per call: receive_batch), the context, pids,
 * asks and the event queue. They use the CPython API directly because a cffi callback
 * costs several allocations and a GIL round trip per message (README: "Why a C fast
 * path").
 *
 * The GIL rule everything here obeys: akt calls back into Python (taking the GIL) only
 * for an actor's own callbacks, a supervisor's decider, event subscribers (events.c says
 * why that is safe) and the rare to_bytes that must encode; every other callback (message
 * release, future completion, dispatcher notify, shutdown) only queues work in C and never
 * waits for the GIL. akt runs none of these while holding a lock that a non-blocking call
 * needs, so a thread that holds the GIL may call the non-blocking akt functions (tell,
 * ask, spawn, stop); every call that may wait (waits, shutdown, subscribe, unsubscribe)
 * releases the GIL first.
 */
#ifndef AKT_PY_FASTPATH_H
#define AKT_PY_FASTPATH_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <akt/akt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* ------------------------------------------------------------------ gil.c */

/* 1 from module init until the interpreter starts finalizing (atexit of akt). Once 0,
 * callbacks from akt threads no longer touch Python. */
extern atomic_int akt_py_alive;

/* Enters Python from any thread: returns 1 if this thread already held the GIL (nothing to
 * undo), 0 after taking it (akt threads keep one thread state each, made on first use),
 * 2 after taking it on another thread (for this callback only), -1 if Python is gone (do
 * not touch Python). */
int akt_py_enter(void);
/* Undoes akt_py_enter(entered) for entered == 0 and 2. */
void akt_py_leave(int entered);
/* akt thread_start hook: marks akt's own threads, which keep a thread state each. */
void akt_py_thread_start(void *data, int index);
/* akt thread_stop hook: frees the thread state this akt thread made (akt_system_options). */
void akt_py_thread_stop(void *data, int index);

/* ------------------------------------------------------------------ decref.c */

/* Drops a reference from any thread without waiting for the GIL and without running a
 * __del__ inside akt: with the GIL held a reference that is not the last goes at once;
 * anything else is queued and released at the next safe point (akt_py_drain). Safe points
 * are places where Python code may run: not inside akt with its locks held. An actor's
 * run (receive_batch) is one: its messages are released inside it, with the GIL held,
 * and never reach the list that threads without the GIL share under a mutex. */
void akt_py_decref_later(PyObject *obj);
/* Releases what was queued. GIL held. */
void akt_py_drain_slow(void);
extern size_t akt_py_held_n;        /* guarded by the GIL */
extern atomic_size_t akt_py_free_n; /* any thread */
static inline void akt_py_drain(void) {
    /* relaxed: a stale zero only delays the drain to the next safe point. */
    if (akt_py_held_n || atomic_load_explicit(&akt_py_free_n, memory_order_relaxed))
        akt_py_drain_slow();
}

/* ------------------------------------------------------------------ module.c */

/* Python objects the Python layer hands over once (akt._fast.configure). Borrowed from
 * the module's state; live as long as the interpreter. */
typedef struct akt_py_config {
    PyObject *bytes_type;      /* akt.Bytes(type, data) */
    PyObject *terminated_type; /* akt.Terminated(pid) */
    PyObject *pid_type;        /* akt.Pid: subclass of _fast.PidBase */
    PyObject *error_for;       /* error_for(code, what) -> exception instance */
    PyObject *failure_text;    /* failure_text(pid, exc) -> reason; keeps the traceback */
    PyObject *log_failure;     /* log_failure(where, exc) -> None */
    PyObject *get_running_loop;
    PyObject *settle_fn;  /* akt._fast._settle(fut, ok, value), for call_soon_threadsafe */
    PyObject *event_type; /* akt.Event(kind, pid, path, sender, message, code, reason) */
    PyObject *str_receive, *str_pre_start, *str_post_stop, *str_create_future, *str_akt_type,
        *str_module, *str_qualname, *str_builtins, *str_done, *str_set_result, *str_set_exception,
        *str_get_loop, *str_call_soon_threadsafe, *str_close, *str_loop, *str_rebind_loop;
    PyObject *type_names;                      /* dict: class -> bytes type name */
    PyObject *base_pre_start, *base_post_stop; /* Actor's no-op methods (skipped) */
    PyObject *actor_type;                      /* akt.Actor */
    PyObject *message_type;                    /* akt.Message(value, headers) */
    PyObject *ctx_ask;                         /* ctx_ask(to, msg, timeout, type) */
    PyObject *pipe_to;                         /* pipe_to(task, pipe | refusal rc) */
    PyObject *pipe_prepare;                    /* pipe_prepare(task, breaker) -> int */
    PyObject *describe_ask;                    /* describe_ask(pid, msg, type) -> str */
    PyObject *async_start;                     /* async_start(ctx, coro): async receive */
    PyObject *request_type;                    /* akt.Request: an awaitable request */
} akt_py_config;
extern akt_py_config akt_py;

/* _fast.suspension_post(handle, ctx, fn) (suspend.c): a step of an async receive. */
PyObject *akt_py_suspension_post(PyObject *module, PyObject *const *args, Py_ssize_t n);

/* Sets a Python exception for an akt code: akt_py.error_for(rc, what). Returns NULL. */
PyObject *akt_py_raise(int rc, const char *what);
/* _fast.pipe_complete(pipe, code, value) (ctx.c): completes a ctx.pipe_to pipe. */
PyObject *akt_py_pipe_complete(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
/* Makes (does not raise) the exception instance for rc. New reference or NULL. */
PyObject *akt_py_error(int rc, const char *what);
/* Takes the pending Python exception out of the error indicator: normalized, with its
 * traceback attached (so whoever gets it later can still log where it came from). New
 * reference, or NULL if none was pending. */
PyObject *akt_py_take_exception(void);
/* Hands exc to the Python layer's log_failure(pid or None, where, exc). Never leaves an
 * error set: a failure to log must not turn into a new failure of the caller. */
void akt_py_log_failure(PyObject *pid, const char *where, PyObject *exc);
/* Logs the pending Python exception (if any) and clears it: for callbacks whose failure
 * can only be reported, not propagated (post_stop, event subscribers). */
void akt_py_log_pending(PyObject *pid, const char *where);

/* ------------------------------------------------------------------ system.c */

typedef struct akt_py_qitem akt_py_qitem;

/* The C half of akt.ActorSystem (a Python subclass adds the rest). */
typedef struct akt_py_system {
    PyObject_HEAD akt_system *sys; /* one reference, released in dealloc */
    akt_dispatcher *disp;          /* external dispatcher for "python" actors */
    /* The ops of the object messages made for this system (akt_py_msg_new). A system whose
     * actors run on Python's thread by default names disp as their release_on: akt queues a
     * last release made elsewhere (a worker, the timer, a C actor) lock-free and runs it in
     * the service's next run, GIL held, instead of decref.c's list under a mutex. A system
     * of workers keeps decref.c's path (release_on NULL). Lives as long as the system. */
    akt_object_ops ops;
    int efd;                      /* eventfd: the service has work */
    atomic_int signaled;          /* 1 while efd holds an unread wake-up */
    atomic_int shutdown_done;     /* set by the shutdown callback */
    int default_mode;             /* AKT_PY_MODE_* for actors spawned without one */
    unsigned long service_thread; /* ident of the thread running the service, or 0 */
    int64_t ask_timeout_ns;
    pthread_mutex_t qlock; /* guards the queue; never held while calling anything */
    akt_py_qitem *qhead, *qtail;
    PyObject *keep;       /* list of objects akt borrows (supervisors, deciders) */
    PyObject *extensions; /* dict name -> value given at creation, or NULL */
    /* Dependencies given per grain activation (system.grain(..., dependencies=)): a dict
     * id(value) -> value, kept as long as the system (akt borrows them that long), and
     * where ctx.dependency finds a value that is not its cell's own (grains.c). */
    PyObject *grain_deps;
    /* The grain kinds registered from Python (a set of str, NULL before the first): their
     * activations are Python actors; any other kind's read bytes (values.c). */
    PyObject *grain_kinds;
    PyObject *weakrefs;
    PyObject *dict;
} akt_py_system;

#define AKT_PY_MODE_PYTHON 0  /* on the system's Python thread (loop or service thread) */
#define AKT_PY_MODE_WORKERS 1 /* on akt's worker threads */

extern PyTypeObject akt_py_system_type;
/* perf begin: typed messages (msg.c) */
PyObject *akt_py_register_type(PyObject *module, PyObject *args);
PyObject *akt_py_type_id(PyObject *module, PyObject *name);
/* perf end */
/* Wakes the service (any thread, no GIL). */
void akt_py_system_signal(akt_py_system *s);
/* Appends an item to the service queue and wakes it (any thread, no GIL). */
void akt_py_system_push(akt_py_system *s, akt_py_qitem *item);
/* Runs the dispatcher and the queue on the calling thread (GIL held). */
int akt_py_system_service(akt_py_system *s, size_t budget, int *more);
/* 1 while the current thread is inside akt_dispatcher_run of any system (GIL held). */
extern _Thread_local int akt_py_in_run;

/* ------------------------------------------------------------------ msg.c */

/* The ops of object messages made for no system (module.c's tests of names and bytes). */
extern const akt_object_ops akt_py_object_ops;
/* Sets s->ops (after s->disp and s->default_mode). */
void akt_py_msg_ops_init(akt_py_system *s);
/* Wraps obj as a message for system s (its ops; NULL: akt_py_object_ops). type: a str to
 * override the type name, or NULL. akt.Bytes values become bytes messages, anything else
 * an object message holding a reference. Returns 0, or -1 with a Python exception set. GIL
 * held. */
int akt_py_msg_new(akt_py_system *s, PyObject *obj, PyObject *type, akt_msg **out);
/* headers.c: sets a dict of str -> str | bytes on an unsent message (None: nothing);
 * -1 with an exception set. */
int akt_py_headers_set(akt_msg *m, PyObject *headers);
/* The headers of a message as a new dict (values str, or bytes when not UTF-8). */
PyObject *akt_py_headers_dict(const akt_msg *m);
/* The Python object an object message of s (or of no system) holds, borrowed; NULL if msg
 * is not one. */
PyObject *akt_py_msg_object(akt_py_system *s, akt_msg *msg);

/* scalars.c: the canonical scalar type name of an exact builtin class (str -> "akt.String",
 * ...), or NULL. */
const char *akt_py_scalar_type(PyObject *cls);
/* The canonical bytes of a scalar object (GIL held): 0, AKT_ENOTSUP if o is none of
 * them, AKT_EINVAL if it has no such form (an int beyond int64, a dict that is not JSON). */
int akt_py_scalar_bytes(PyObject *o, void **data, size_t *len, akt_free_fn *free_fn);
/* The native value of a foreign message with a canonical type name: *matched = 0 and NULL
 * for other names; NULL with an exception for a malformed payload. */
PyObject *akt_py_scalar_value(const char *type, const void *data, size_t len, int *matched);

/* ------------------------------------------------------------------ protobuf.c */

/* Whether any protobuf class was registered (any thread, no GIL). */
int akt_py_pb_any(void);
/* GIL held: o's protobuf encoding if its class was registered, else AKT_ENOTSUP. */
int akt_py_pb_bytes(PyObject *o, void **data, size_t *len, akt_free_fn *free_fn);
/* GIL held: cls.FromString(data) for a registered type (*matched = 1), else NULL. */
PyObject *akt_py_pb_value(const char *type, const void *data, size_t len, int *matched);
/* _fast.protobuf_register(cls, full_name). */
PyObject *akt_py_pb_register(PyObject *module, PyObject *args);
/* The Python value of a message: the object itself, akt.Terminated(pid) or akt.Bytes.
 * New reference, or NULL with an exception set. GIL held. */
PyObject *akt_py_msg_value(akt_py_system *s, akt_msg *msg);

/* ------------------------------------------------------------------ pid.c */

typedef struct akt_py_pid {
    PyObject_HEAD akt_py_system *system; /* strong */
    uint64_t id;
} akt_py_pid;
extern PyTypeObject akt_py_pid_type;
/* A new akt.Pid, or Py_None (new reference) for id 0. */
PyObject *akt_py_pid_new(akt_py_system *s, uint64_t id);
/* Checks that obj is a pid of system s; returns 0 and sets *out, or -1 with TypeError /
 * ValueError set. */
int akt_py_pid_arg(akt_py_system *s, PyObject *obj, akt_pid *out);
/* Converts an optional timeout in seconds (None: the system default) to ns; -1 on error. */
int akt_py_timeout_arg(akt_py_system *s, PyObject *timeout, int64_t *out_ns);

/* ------------------------------------------------------------------ ask.c */

/* An asyncio future (made by loop, the loop running on this thread) for the answer of f.
 * Takes f. GIL held. */
PyObject *akt_py_ask_async(akt_py_system *s, akt_future *f, PyObject *loop, PyObject *asked);
/* An AskHandle owning f (taken), whose answer settles fut, a thread-safe future. */
PyObject *akt_py_ask_handle(akt_py_system *s, akt_future *f, PyObject *fut, PyObject *asked);
extern PyTypeObject akt_py_ask_handle_type;
/* One slice of a blocking wait, short enough to notice Ctrl-C. */
#define AKT_PY_WAIT_SLICE_NS (50LL * 1000 * 1000)
/* Waits for f without holding the GIL (pumping the system's service when this thread
 * runs it) and converts the answer. Takes f. */
PyObject *akt_py_future_result(akt_py_system *s, akt_future *f, PyObject *asked);
/* akt_py_future_result after a first wait gave rc (and, on 0, reply, taken). */
PyObject *akt_py_future_result_from(akt_py_system *s, akt_future *f, int rc, akt_msg *reply,
                                    PyObject *asked);
/* Whether this thread runs s's Python actors and so serves them while it waits. */
int akt_py_pumps(const akt_py_system *s);
/* Settles a queued completion. GIL held. */
void akt_py_ask_settle(akt_py_system *s, akt_py_qitem *item);
void akt_py_ask_discard(akt_py_qitem *item);
/* Settles fut with value (ok) or with the exception value, unless it is done already (an
 * awaiter cancelled it). thread: the thread whose asyncio loop owns fut, the only one that
 * may touch it (another thread hands the settling to that loop); 0 for a thread-safe
 * future (concurrent.futures). Returns 0, or -1 with an exception set. GIL held. */
int akt_py_resolve(PyObject *fut, unsigned long thread, int ok, PyObject *value);
/* Settles fut (ok, value) on the calling thread, as akt_py_resolve does on fut's own. */
int akt_py_settle(PyObject *fut, int ok, PyObject *value);

/* ------------------------------------------------------------------ topics.c */

/* Methods of akt.ActorSystem: _topic_publish(topic, msg, type) and
 * _topic_op(op, topic, pid, timeout, fut). */
PyObject *akt_py_topic_publish(akt_py_system *self, PyObject *args);
PyObject *akt_py_topic_op(akt_py_system *self, PyObject *args);

/* ------------------------------------------------------------------ grains.c */

/* Methods of akt.ActorSystem: _grain_register(kind, binder, deactivate_after_ns,
 * dispatcher) and _grain_send(kind, name, msg, type, ask, timeout, fut). */
PyObject *akt_py_grain_register(akt_py_system *self, PyObject *args);
PyObject *akt_py_grain_send(akt_py_system *self, PyObject *args);
/* A value akt handed to ctx.dependency as a grain activation's own Python dependency (a new
 * reference), or NULL without an exception if it is not one. */
PyObject *akt_py_grain_dependency(akt_py_system *s, void *value);

/* ------------------------------------------------------------------ remote2.c */

/* SystemCore._remote_spawn(address, kind, name, timeout=10.0, *, supervisor=None,
 * mailbox=None, passivation=None, reentrancy=None, max_in_flight=0) -> Pid: the C half of
 * ActorSystem.remote_spawn (passivation: None or (strategy, idle_ns, messages)). */
PyObject *akt_py_remote_spawn(akt_py_system *self, PyObject *args, PyObject *kw);

/* ------------------------------------------------------------------ events.c */

extern PyTypeObject akt_py_subscription_type;

/* ------------------------------------------------------------------ actor.c, ctx.c */

typedef struct akt_py_cell akt_py_cell;
/* Spawns a Python actor: a top-level one (ctx NULL) or a child of the running actor. */
PyObject *akt_py_spawn(akt_py_system *s, akt_ctx *ctx, akt_py_cell *parent, PyObject *args,
                       PyObject *kwargs);
extern PyTypeObject akt_py_context_type;
/* The supervisor described by a Python akt.Supervisor (or None) into *out; the objects
 * it borrows are kept in s->keep. Returns 0, 1 for None, or -1 with an exception set. */
int akt_py_supervisor_arg(akt_py_system *s, PyObject *obj, akt_supervisor *out);
/* The same for a remote spawn, as data only: InvalidArgument (AKT_EINVAL) for a decide or
 * a rule by a class that is no akt error class (functions cannot cross); -1 with an
 * exception set, else 0. */
int akt_py_supervisor_data(PyObject *obj, akt_supervisor *out);
/* A spawn's max_in_flight (0: no limit), in [0, UINT32_MAX]: 0, or -1 with ValueError set. */
int akt_py_max_in_flight_arg(Py_ssize_t max_in_flight);
/* An akt.Mailbox (its _spec()) into *spec (kind, capacity, when_full, block timeout; no
 * compare). 0, or -1 with TypeError / ValueError set. */
int akt_py_mailbox_arg(PyObject *mailbox, akt_mailbox_spec *spec);

/* Routers (router.c, actor.c). */
const akt_behavior *akt_py_actor_behavior(void);
/* values.c: 0 if m may go to `to`; -1 with NotSupported/InvalidArgument set if the target
 * reads bytes (a C actor, another binding's) and m's value has none. op names the send. */
int akt_py_reader_check(akt_py_system *s, akt_pid to, akt_msg *m, const char *op);
/* values.c: as akt_py_reader_check for a reader known to read bytes, named by where (the
 * target's path, or a grain's identity): 0, or -1 with the exception set. */
int akt_py_bytes_check(akt_py_system *s, akt_msg *m, const char *op, const char *where);
int akt_py_routee_cell(akt_py_system *s, PyObject *factory, int mode, void **out);
/* "python", "workers" or None (inherit, or the system's default) into *mode; -1 with an
 * exception set otherwise. */
int akt_py_mode_arg(akt_py_system *s, PyObject *obj, int inherit, int *mode);
PyObject *akt_py_router_spawn(akt_py_system *s, PyObject *args);
PyObject *akt_py_router_broadcast(akt_py_system *s, PyObject *args);
PyObject *akt_py_router_resize(akt_py_system *s, PyObject *args);
PyObject *akt_py_router_routees(akt_py_system *s, PyObject *pid);

/* ------------------------------------------------------------------ queue items */

/* A completed ask on its way to the system's service. */
struct akt_py_qitem {
    akt_py_qitem *next;
    akt_py_system *owner; /* strong: the system whose queue settles it */
    PyObject *future;     /* strong; touched only with the GIL */
    unsigned long thread; /* as akt_py_resolve's thread */
    int rc;
    akt_msg *reply;  /* retained */
    char *reason;    /* a failed ask: the receiver's reason (malloc), or NULL */
    akt_msg *detail; /* a failed ask: the receiver's detail (retained), or NULL */
    PyObject *asked; /* (pid, msg, type) of an ask, for its failure's text, or NULL */
};

/* ------------------------------------------------------------------ stream.c */

/* Registers sys.modules["akt._stream"] (the C half of akt.stream). -1 with an error. */
int akt_py_stream_install(PyObject *modules);
/* ------------------------------------------------------------------ serializers (serial.c) */

PyObject *akt_py_serializer_register(akt_py_system *s, PyObject *args);
PyObject *akt_py_serializer_bind(akt_py_system *s, PyObject *args);
PyObject *akt_py_serializer_for(akt_py_system *s, PyObject *type);

#endif
