/*
 * akt.h -- the one public header of akt, an actor runtime with a stable C ABI.
 *
 * Read it top to bottom like a map:
 *   1. version and errors        6. asking and futures
 *   2. allocators                7. the actor context (inside callbacks only)
 *   3. the actor system          8. lifecycle from outside (stop, poison, graceful)
 *   4. pids and lookup           9. dispatchers (external run loops for bindings)
 *   5. messages and sending     10. the event stream and dead letters
 *  11. topics (publish / subscribe)  12. cron expressions
 *  13. routers                     14. scheduling (once, every interval, cron)
 *
 * The contracts, written once and obeyed by every function below:
 *
 *  - Errors. Every function that can fail returns int: 0 on success or a negative
 *    AKT_E* code. akt_strerror()/akt_err_name() describe a code. Results come back through
 *    out-parameters, which are left untouched on failure. Caller input is checked: NULL,
 *    stale or foreign handles get an error code, never an abort.
 *
 *  - Ownership moves only on success. A function documented as "takes msg" owns the
 *    message if and only if it returned 0; on failure the caller still owns it and may
 *    retry or release it. Handles returned through out-parameters belong to the caller,
 *    who releases them with the matching *_release function.
 *
 *  - PIDs are values. akt_pid is an index plus a generation; copy it freely, never free it.
 *    A pid of an actor that stopped, of another system or that akt never issued is
 *    detected (AKT_ENOTFOUND), never dereferenced (see akt_pid).
 *
 *  - Callbacks. Every callback akt calls (receive, pre_start, post_stop, future completion,
 *    dispatcher notify, event, shutdown, thread hooks) runs exactly as documented at its
 *    typedef: on which thread, how many times, and with which arguments borrowed. A callback
 *    may call any akt function except the ones documented as blocking (akt_system_wait,
 *    akt_future_wait with a target on the same external dispatcher) unless stated otherwise.
 *    Callbacks must not unwind (longjmp, C++ exceptions) through akt frames.
 *
 *  - Threads. All functions are thread-safe unless documented otherwise. Actor callbacks of
 *    one actor never run concurrently. Threads akt creates run the system's thread hooks.
 *
 *  - Timeouts are int64_t nanoseconds from the call. Deadlines saturate: a timeout too large
 *    to add to the monotonic clock (up to INT64_MAX) means "practically never", never an
 *    overflow into the past.
 *
 *  - Size-first structs (akt_*_options, akt_behavior, ...) grow at their end in later
 *    versions: set size to the sizeof you compiled with and use designated initializers
 *    ({.size = sizeof b, .receive = f}) so that new fields start as zero.
 *
 *  - Location. Nothing here assumes one process: a pid may name a remote actor and every
 *    message carries a type name so that it can cross a process boundary.
 */
#ifndef AKT_AKT_H
#define AKT_AKT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a public function: default visibility while akt itself is built (AKT_BUILDING, GCC
 * or Clang, whose build hides every other symbol), nothing for the header's users. */
#if defined(AKT_BUILDING) && defined(__GNUC__)
#define AKT_API __attribute__((visibility("default")))
#else
#define AKT_API
#endif

/* ===================================================================================== */
/* 1. Version and errors                                                                  */
/* ===================================================================================== */

/* This header's version, major.minor.patch (akt_version() gives the library's): its major
 * number, the SONAME's (libakt.so.<major>). scripts/check_versions.py and abi/check_*.sh
 * read these three lines as they are: no comment after them. */
#define AKT_VERSION_MAJOR 0
/* Its minor number: the symbols it adds are in version node AKT_<major>.<minor> of
 * abi/akt.map. */
#define AKT_VERSION_MINOR 4
/* Its patch number: fixes that add no symbol. */
#define AKT_VERSION_PATCH 0
/* (major << 16) | (minor << 8) | patch, as returned by akt_version(). */
#define AKT_VERSION_HEX ((AKT_VERSION_MAJOR << 16) | (AKT_VERSION_MINOR << 8) | AKT_VERSION_PATCH)

/* The library's version at run time, comparable with AKT_VERSION_HEX. */
AKT_API unsigned akt_version(void);
/* "major.minor.patch"; static storage. */
AKT_API const char *akt_version_string(void);

/* Error codes: always negative; 0 is success. Values are part of the ABI. The table is the
 * one source of every code: its name, value and description (akt_strerror). Bindings and
 * errors.c expand it; a new code is one new row here, at the end, with the next value.
 *   XX(NAME, value, "description")   -- NAME without the AKT_ prefix */
#define AKT_ERRNO_MAP(XX)                      \
    XX(EINVAL, -1, "invalid argument")         \
    XX(ENOMEM, -2, "out of memory")            \
    XX(ENOTFOUND, -3, "no such actor")         \
    XX(ESTOPPED, -4, "actor stopped")          \
    XX(ETIMEDOUT, -5, "timed out")             \
    XX(ECANCELED, -6, "canceled")              \
    XX(EEXIST, -7, "name already taken")       \
    XX(EFULL, -8, "mailbox full")              \
    XX(EMISUSE, -9, "call not allowed here")   \
    XX(ECLOSED, -10, "system shut down")       \
    XX(EUNHANDLED, -11, "message not handled") \
    XX(EFAILED, -12, "actor failed")           \
    XX(EAGAIN, -13, "not ready, try again")    \
    XX(ENOTSUP, -14, "not supported")          \
    XX(ETYPE, -15, "wrong message kind")       \
    XX(EDEADLK, -16, "would deadlock")         \
    XX(ERANGE, -17, "buffer too small")        \
    XX(EBUSY, -18, "busy")                     \
    XX(EUNREACHABLE, -19, "peer unreachable")  \
    XX(EPROTO, -20, "protocol error")          \
    XX(ESUSPENDED, -21, "actor suspended")

/* What each code means:
 *   AKT_EINVAL      an argument is NULL, out of range or malformed
 *   AKT_ENOMEM      an allocation failed; nothing was changed
 *   AKT_ENOTFOUND   no live actor for this pid/name (stale pid, unknown path)
 *   AKT_ESTOPPED    the actor stopped before it could handle the request
 *   AKT_ETIMEDOUT   an ask or a graceful stop ran out of time
 *   AKT_ECANCELED   the operation was cancelled (akt_future_cancel)
 *   AKT_EEXIST      the name is taken
 *   AKT_EFULL       a bounded mailbox or queue is full
 *   AKT_EMISUSE     the call is not allowed here (ctx outside its callback, ...)
 *   AKT_ECLOSED     the system is shutting down or shut down
 *   AKT_EUNHANDLED  the receiver did not handle the message
 *   AKT_EFAILED     an actor's receive failed (a binding's exception, say)
 *   AKT_EAGAIN      not ready yet: call again (future still pending, more work)
 *   AKT_ENOTSUP     not supported for this object (bytes of an opaque object)
 *   AKT_ETYPE       the message is not of the kind asked for
 *   AKT_EDEADLK     waiting here would deadlock (an actor waiting on itself)
 *   AKT_ERANGE      a buffer is too small; the needed size is reported
 *   AKT_EBUSY       the object is in use (a dispatcher run already in progress)
 *   AKT_EUNREACHABLE a remote node cannot be reached (refused, lost connection)
 *   AKT_EPROTO      a remote node broke or refused the wire protocol (version, name)
 *   AKT_ESUSPENDED  the actor is suspended (AKT_DIRECTIVE_SUSPEND) until reinstated
 */
#define AKT_OK 0 /* success: the value every function returns when it did not fail */
/* The codes as enum constants (AKT_EINVAL = -1, ...), one per row of AKT_ERRNO_MAP: for
 * switch statements and debuggers. Functions return them as int. */
enum akt_errno {
/* Expands one AKT_ERRNO_MAP row into its enum constant; undefined right after. */
#define AKT__ERRNO_ENUM(name, value, text) AKT_##name = (value),
    AKT_ERRNO_MAP(AKT__ERRNO_ENUM)
#undef AKT__ERRNO_ENUM
};

/* A one-line English description; static storage; "unknown error" for unknown codes. */
AKT_API const char *akt_strerror(int rc);
/* The code's name, e.g. "AKT_ENOTFOUND"; static storage; "AKT_E?" for unknown codes. */
AKT_API const char *akt_err_name(int rc);

/* ===================================================================================== */
/* 2. Allocators                                                                          */
/* ===================================================================================== */

/* Memory hooks. All three functions are required; data is passed back to each. They may be
 * called from any thread at once. malloc_fn returning NULL makes the akt call that needed
 * the memory fail with AKT_ENOMEM, leaving everything as it was. */
typedef struct akt_allocator {
    size_t size;                                        /* sizeof(akt_allocator) */
    void *(*malloc_fn)(void *data, size_t n);           /* n (> 0) bytes, as malloc, or NULL */
    void *(*realloc_fn)(void *data, void *p, size_t n); /* as realloc; n > 0 */
    void (*free_fn)(void *data, void *p);               /* as free; never called with NULL */
    void *data; /* borrowed; passed to the three functions */
} akt_allocator;

/* Installs the process-wide allocator used for messages, envelopes and futures (objects
 * that outlive or cross systems). NULL restores malloc/realloc/free. The allocator must
 * stay valid until the process exits. Call it before any other akt function: once a
 * message exists this returns AKT_EMISUSE. Systems have their own allocator (options). */
AKT_API int akt_allocator_set_default(const akt_allocator *allocator);

/* ===================================================================================== */
/* 3. The actor system                                                                    */
/* ===================================================================================== */

/* An actor system: its actors, worker threads, timer thread and event stream. An opaque,
 * refcounted handle (akt_system_retain / akt_system_release), usable from any thread. */
typedef struct akt_system akt_system;
/* An external dispatcher (section 9): actors spawned on it run only when a thread of the
 * binding calls akt_dispatcher_run, on that thread. Owned by its system. */
typedef struct akt_dispatcher akt_dispatcher;

/* Runs once on every thread akt creates (workers, the timer thread), first thing on start
 * (thread_start) and last thing before exit (thread_stop), so a binding can attach the
 * thread to its runtime once. index is the worker's number, -1 for the timer thread, -2 for
 * the thread that completes a shutdown (it runs the shutdown callback), -3 for remoting's
 * I/O thread and the pipe threads, -4 for the I/O thread's stand-in (it runs the network
 * while a turn on the I/O thread blocks: akt_system_options.waiters_run_turns). */
typedef void (*akt_thread_hook)(void *data, int index);

/* A supervisor strategy: how a parent handles a failure of one of its children.
 * One-for-one: only the failing child is affected. One-for-all: the directive chosen for the
 * failing child applies to every child of the same parent (restart: each running sibling
 * runs post_stop then pre_start, keeping its mailbox; stop: all stop; resume: the failed
 * child resumes, the others go on). For top-level actors (the system's supervisor) one-for-all
 * acts as one-for-one: unrelated top-level actors are never restarted together (GoAkt
 * restarts every top-level actor, which surprises users); group actors under a parent to get
 * one-for-all. */
#define AKT_DIRECTIVE_RESTART 0  /* post_stop, then pre_start; the mailbox is kept */
#define AKT_DIRECTIVE_RESUME 1   /* keep the state, go on with the next message */
#define AKT_DIRECTIVE_STOP 2     /* stop the child (and its children) */
#define AKT_DIRECTIVE_ESCALATE 3 /* the parent fails with the child's error */
/* (0.4) The child is suspended: it keeps its state and its mailbox but handles no user
 * message until akt_reinstate; tells and asks to it are refused with AKT_ESUSPENDED (as
 * GoAkt refuses them), replies and Terminated notices are kept for it. A stop works. */
#define AKT_DIRECTIVE_SUSPEND 4

#define AKT_STRATEGY_ONE_FOR_ONE 0 /* akt_supervisor.strategy: only the failing child */
#define AKT_STRATEGY_ONE_FOR_ALL 1 /* akt_supervisor.strategy: every child of the parent */

/* akt_supervisor.on_retries_exhausted (0.4): what a child whose retry budget is spent gets. */
#define AKT_EXHAUSTED_STOP 0    /* it stops (and its children): the default */
#define AKT_EXHAUSTED_SUSPEND 1 /* it is suspended, as by AKT_DIRECTIVE_SUSPEND */

/* Chooses a directive for a failure; runs on the parent's dispatcher thread. code is the
 * failure code the receive returned, reason the text the child gave with akt_ctx_fail
 * (or NULL). Returns one of AKT_DIRECTIVE_*; anything else means the default. */
typedef int (*akt_decider_fn)(int code, const char *reason, void *data);

/* A rule of a supervisor (0.4): a child failing with code (the code akt_ctx_fail_with gave, or
 * the code a receive returned; AKT_EFAILED for akt_ctx_fail) gets directive (AKT_DIRECTIVE_*)
 * without the decider being called. */
typedef struct akt_supervisor_rule {
    int code;      /* an AKT_E* code (negative); the first rule with the failure's code wins */
    int directive; /* AKT_DIRECTIVE_* */
} akt_supervisor_rule;

/* A supervisor strategy (see above) with its decider, retry budget and backoff. */
typedef struct akt_supervisor {
    size_t size;           /* sizeof(akt_supervisor) */
    int strategy;          /* AKT_STRATEGY_ONE_FOR_ONE */
    int default_directive; /* AKT_DIRECTIVE_* used when decide is NULL */
    akt_decider_fn decide; /* optional */
    void *decide_data;     /* borrowed; must outlive the actor */
    /* Retry budget (0.4): a child that fails more than max_retries times within within_ns
     * nanoseconds (counted from its first failure in the window) is stopped (or suspended,
     * see on_retries_exhausted) instead of getting the decided directive (with one-for-all,
     * only that child is stopped or suspended).
     * max_retries 0 = no budget (within_ns ignored, must not be negative); with a budget,
     * within_ns must be > 0 (AKT_EINVAL otherwise). */
    uint32_t max_retries;
    int64_t within_ns;
    /* Exponential backoff (0.4): with backoff_min_ns > 0 a restart is not immediate but
     * runs on the system's timer after a delay; the child handles no message meanwhile
     * (they stay queued, in order, and are handled after the restart), and a stop during
     * the wait stops it at once (no restart, the timer is cancelled). The delay of the
     * n-th consecutive restart of a child (n = 1, 2, ...) is
     *   base = min(backoff_min_ns * backoff_multiplier^(n-1), backoff_max_ns)
     *   delay = base - base * backoff_jitter * r,  r in [0, 1) from backoff_random
     * and n goes back to 1 once the child went backoff_reset_ns without failing. Restarts
     * of one-for-all siblings are not delayed. backoff_max_ns 0 = no cap, else >=
     * backoff_min_ns; backoff_multiplier 0 = 2, else >= 1; backoff_jitter in [0, 1];
     * backoff_reset_ns 0 = never reset; none negative (AKT_EINVAL otherwise). */
    int64_t backoff_min_ns;
    int64_t backoff_max_ns;
    double backoff_multiplier;
    double backoff_jitter;
    int64_t backoff_reset_ns;
    /* Optional, for tests: returns r in [0, 1) (values outside are clamped); runs on the
     * parent's dispatcher. NULL = akt's own generator. */
    double (*backoff_random)(void *data);
    void *backoff_random_data; /* borrowed; must outlive the actor */
    /* Rules by error code (0.4), checked before the decider; copied. rule_count <= 1024;
     * rules may be NULL only when rule_count is 0; each code must be negative and each
     * directive an AKT_DIRECTIVE_* (AKT_EINVAL otherwise). */
    const akt_supervisor_rule *rules;
    size_t rule_count;
    /* akt >= 0.4 (read by size): what a child gets once its retry budget is spent.
     * AKT_EXHAUSTED_STOP (0, also for a struct without this field): it stops.
     * AKT_EXHAUSTED_SUSPEND: it is suspended as by AKT_DIRECTIVE_SUSPEND (an
     * AKT_EVENT_ACTOR_SUSPENDED event with the failure's code and reason; tells and asks to
     * it are refused with AKT_ESUSPENDED until akt_reinstate) and its failure count is
     * cleared: once reinstated it has a fresh budget (its next failure opens a new window).
     * With one-for-all only that child is suspended. Anything else: AKT_EINVAL. */
    int on_retries_exhausted;
} akt_supervisor;

struct akt_ctx;
struct akt_msg;

/* The propagator of a system (akt >= 0.4): carries context (a trace, a tenant) from a
 * sender to its receivers in message headers (akt_msg_set_header). inject is called once
 * per message, at its first send (akt_tell, akt_tell_batch, akt_ask, akt_ask_batch and
 * their akt_ctx_* forms, akt_ctx_respond), on the sending thread, before the message is
 * sealed: it may add headers. ctx is the sending actor's context when the send is made
 * from inside one of its callbacks (use it as any akt_ctx_* argument, e.g. to read the
 * headers of the message being handled), NULL elsewhere. A message sent again (a forward,
 * a retained message told twice) is not injected again. A message that is shared at its
 * first send (retained by someone else) cannot take headers (akt_msg_set_header returns
 * AKT_EMISUSE): inject then adds nothing. It must not block and must not send. The
 * receiving side reads headers from the current message (akt_ctx_message). */
typedef struct akt_propagator {
    size_t size; /* sizeof(akt_propagator) */
    /* Required: adds headers to msg at its first send (see above); data is the field below. */
    void (*inject)(struct akt_ctx *ctx, struct akt_msg *msg, void *data);
    void *data; /* borrowed; must outlive the system */
} akt_propagator;

/* Options of akt_system_create; akt_system_options_init sets the defaults. */
typedef struct akt_system_options {
    size_t size;                      /* sizeof(akt_system_options) */
    const char *name;                 /* copied; NULL = "akt". Letters, digits, '-', '_', '.' */
    int workers;                      /* worker threads; 0 = number of cores */
    int throughput;                   /* messages an actor handles per turn; 0 = 64 */
    const akt_allocator *allocator;   /* copied; NULL = the default allocator */
    akt_thread_hook thread_start;     /* optional */
    akt_thread_hook thread_stop;      /* optional */
    void *thread_hook_data;           /* borrowed; passed to both hooks; must outlive the system */
    const akt_supervisor *supervisor; /* copied; strategy for top-level actors;
                                         NULL = one-for-one, restart */
    /* akt >= 0.4 (read by size). Extensions: named system-wide values, reachable from every
     * actor (akt_ctx_extension) and from outside (akt_system_extension). Names are copied:
     * 2..255 characters, [A-Za-z0-9][A-Za-z0-9_-]* (AKT_EINVAL otherwise); a name given
     * twice is AKT_EEXIST. Values are borrowed: the caller keeps them alive (and safe to
     * use from any thread) as long as the system. */
    const char *const *extension_names;
    void *const *extension_values;    /* extension_count values, one per name; borrowed */
    size_t extension_count;           /* entries of both arrays; 0: none (the arrays may be NULL) */
    const akt_propagator *propagator; /* copied; NULL = none. inject is required */
    /* ft begin: */
    /* akt >= 0.4 (read by size). PipeTo's pool (akt_ctx_pipe_to): threads are started on
     * demand, one whenever a task is queued and no pipe thread is idle, up to pipe_threads
     * (0 = AKT_PIPE_THREADS_DEFAULT; 1..1024); an idle one exits after pipe_keepalive_ns
     * (below). At most pipe_queue tasks wait for a thread (0 = AKT_PIPE_QUEUE_DEFAULT;
     * 1..2^24): past that, akt_ctx_pipe_to returns AKT_EFULL and the caller keeps its data.
     * AKT_EINVAL out of range. */
    int pipe_threads;
    int pipe_queue;
    /* akt >= 0.4 (read by size). A pipe thread that found no task for pipe_keepalive_ns
     * exits (0 = AKT_PIPE_KEEPALIVE_DEFAULT_NS; < 0: never, they stay until the system
     * stops), unless only pipe_min_threads threads are left (0..pipe_threads, 0 = none
     * kept: the pool starts again on demand). The pool is never below demand: a task queued
     * while a thread is deciding to exit is run by it or starts a new one. The live count is
     * akt_system_metrics.pipe_threads (akt/telemetry.h). AKT_EINVAL: pipe_min_threads < 0
     * or above the pool's size. */
    int64_t pipe_keepalive_ns;
    int pipe_min_threads;
    /* ft end */
    /* akt >= 0.4 (read by size). A plain thread (not a worker, not inside an actor) that
     * waits for an ask's answer in akt_future_wait first runs the target's turn itself when
     * the target is queued and no worker took it yet, so the answer is made and read on one
     * core with no wake-up in between. That is the default without thread hooks; with
     * thread_start or thread_stop set it is off, since actors may need what the hooks set
     * up, unless waiters_run_turns is 1: the hooks only prepare what any thread that calls
     * into akt from the binding has too (a JVM thread is attached already). The same rule
     * lets remoting's I/O thread run the turn of an ask that came over the network to an
     * idle actor while every worker is idle (akt/remote.h): a wait inside that turn keeps
     * the I/O thread serving its connections, a turn blocked some other way has them served
     * by a stand-in thread after 5 ms, and an actor whose turn there took more than 100 us
     * has its next asks (2, 4, ... 1024 of them) run on the workers. 0 keeps every
     * turn on its dispatcher's threads: for actors whose turns block for long. 0 or 1
     * (AKT_EINVAL otherwise). */
    int waiters_run_turns;
} akt_system_options;

/* Fills options with the defaults (and sets options->size). */
AKT_API int akt_system_options_init(akt_system_options *options);

/* Creates and starts a system: its workers and timer thread are running when this returns.
 * options may be NULL (defaults). *out is released with akt_system_release. */
AKT_API int akt_system_create(const akt_system_options *options, akt_system **out);

/* The shutdown callback: called exactly once, on an akt-internal thread, after every actor
 * stopped (children before parents, post_stop run, queued messages dead-lettered) and every
 * akt thread of this system (but the caller's) has exited. The system handle stays valid
 * until released. */
typedef void (*akt_shutdown_cb)(akt_system *system, void *data);

/* Starts an orderly shutdown; returns at once. Afterwards spawns fail with AKT_ECLOSED and
 * tells to stopped actors go to dead letters. Calling it again returns AKT_ECLOSED and does
 * not call the new callback. cb may be NULL. Callable from inside actors. */
AKT_API int akt_system_shutdown(akt_system *system, akt_shutdown_cb cb, void *data);

/* Blocks until shutdown has completed (after the shutdown callback returned).
 * timeout_ns < 0 waits forever. AKT_ETIMEDOUT if it did not complete in time,
 * AKT_EDEADLK if called from one of this system's own threads, from inside one of its actors,
 * or, for an unbounded wait, from a thread that runs one of its external dispatchers (its
 * actors could not stop): wait with a timeout between runs instead. */
AKT_API int akt_system_wait(akt_system *system, int64_t timeout_ns);

/* Handle references: a system's memory lives until the last reference is released
 * (akt_system_create gives one). Releasing the last reference of a running system shuts it
 * down first and frees it after the shutdown completed. Using a handle after its last
 * release is undefined, as with any freed pointer. A last release made inside
 * akt_dispatcher_run of one of the system's external dispatchers (in a release callback)
 * frees the system when that run returns, on its thread: the binding must not run the
 * dispatcher again. A thread runs a system's external dispatcher only while it (or the
 * binding for it) holds a reference to that system. */
AKT_API int akt_system_retain(akt_system *system);
AKT_API int akt_system_release(akt_system *system);

/* The system's name; valid while the handle is. NULL if system is NULL. */
AKT_API const char *akt_system_name(const akt_system *system);

/* The extension registered at creation under name (akt_system_options.extension_names):
 * *value gets its value. AKT_ENOTFOUND if there is none, AKT_EINVAL for NULL arguments.
 * Any thread; lock-free (the set never changes). */
AKT_API int akt_system_extension(akt_system *system, const char *name, void **value);

/* ===================================================================================== */
/* 4. PIDs and lookup                                                                     */
/* ===================================================================================== */

/* An actor's address: a value, copied freely, never freed. id 0 is "no actor". The id is
 * opaque (its layout may change): compare ids, never decode them. What is guaranteed:
 *  - A pid names one incarnation of one actor. Once that actor stopped, its pid gets
 *    AKT_ENOTFOUND (akt_pid_is_alive: 0) forever, also after its slot was reused: a slot
 *    whose 2^39 - 1 generations are used up is retired, not wrapped.
 *  - A pid reaches an actor only once its spawn has finished placing it (a pid, name or
 *    child that can be found is complete), and until the actor stopped.
 *  - An id akt never issued (forged, zero, garbage) gets AKT_ENOTFOUND, never a crash.
 *  - A pid belongs to the system that issued it. Used with another system, or kept from a
 *    released one, it gets AKT_ENOTFOUND, except with a probability of about 2^-39 per use
 *    (each system draws a random 39-bit tag for its generations).
 * A system holds at most 16 M (2^24) actors at a time. */
typedef struct akt_pid {
    uint64_t id; /* opaque; 0 = no actor */
} akt_pid;

/* The id of the pid that names no actor (the sender of a message from outside actors). */
#define AKT_PID_NONE_ID 0u

/* 1 if pid names an actor of system that is alive now, 0 otherwise (never an error). */
AKT_API int akt_pid_is_alive(akt_system *system, akt_pid pid);

/* Whether the actor pid runs on dispatcher (NULL: the system's built-in workers): *out = 1
 * if it does, 0 if it runs on another dispatcher of system. For a binding that passes
 * objects by reference only to actors that run on its own thread (its external dispatcher,
 * section 9). An actor never moves between dispatchers, so the answer can only change by
 * the actor dying, after which this returns AKT_ENOTFOUND. Any thread; lock-free.
 * AKT_EINVAL if system or out is NULL or dispatcher belongs to another system;
 * AKT_ENOTFOUND if pid is not a live actor of system (*out untouched). */
AKT_API int akt_pid_runs_on(akt_system *system, akt_pid pid, akt_dispatcher *dispatcher, int *out);

/* Writes the actor's path, e.g. "akt://demo/user/parent/child", NUL-terminated, into buf.
 * *needed (optional) gets the length without the NUL. AKT_ERANGE if len is too small
 * (buf then holds a truncated, terminated path when len > 0). */
AKT_API int akt_pid_path(akt_system *system, akt_pid pid, char *buf, size_t len, size_t *needed);

/* Finds a live actor by path: "name", "parent/child", "/user/parent/child" or the full
 * "akt://<system>/user/parent/child". AKT_ENOTFOUND if none. */
AKT_API int akt_lookup(akt_system *system, const char *path, akt_pid *out);

/* ===================================================================================== */
/* 5. Messages and sending                                                                */
/* ===================================================================================== */

/* An immutable, refcounted message: a type name plus bytes or an in-process object.
 * akt_msg_new_* give one reference; send functions take one on success. */
typedef struct akt_msg akt_msg;

/* Destructor argument of akt_msg_new_bytes, as in SQLite: AKT_BORROW (the buffer outlives
 * the message: static data), AKT_COPY (akt copies it now, into the message's own memory,
 * aligned to alignof(max_align_t): a struct or a long stored there can be read in place),
 * or a function that akt calls once with data when the last reference goes, on whichever
 * thread released it. Borrowed and owned buffers are handed back as they were given, with
 * the caller's alignment. */
typedef void (*akt_free_fn)(void *p);
#define AKT_BORROW ((akt_free_fn)0)          /* the buffer outlives the message; not freed */
#define AKT_COPY ((akt_free_fn)(intptr_t)-1) /* akt copies the buffer before returning */

/* Reserved type names of messages akt itself delivers to actors. */
#define AKT_TYPE_TERMINATED "akt.Terminated"  /* a watched actor stopped: akt_msg_pid */
#define AKT_TYPE_POISON_PILL "akt.PoisonPill" /* never seen by receive */

/* Canonical scalar type names (akt >= 0.4): the one way a plain value crosses between
 * runtimes (a C actor, another language's binding, later the wire). Each name has exactly
 * one encoding of its bytes; a payload that does not match it is malformed, and a binding
 * fails that message (an error for that message only) rather than guess:
 *   AKT_TYPE_STRING   UTF-8 text, no terminator, no BOM; invalid UTF-8 is malformed
 *   AKT_TYPE_BYTES    the raw bytes, any length (0 included)
 *   AKT_TYPE_INT64    exactly 8 bytes, little-endian two's complement
 *   AKT_TYPE_FLOAT64  exactly 8 bytes, IEEE-754 binary64, little-endian (any bit pattern,
 *                     NaN and -0.0 included)
 *   AKT_TYPE_BOOL     exactly 1 byte, 0 (false) or 1 (true); any other byte is malformed
 *   AKT_TYPE_NULL     exactly 0 bytes
 *   AKT_TYPE_JSON     UTF-8 JSON text (RFC 8259), one value, objects and arrays included
 * Between actors of one binding runtime values still pass by reference: a binding uses
 * these names for the values it maps, and makes the bytes only when someone outside its
 * runtime asks for them (akt_msg_bytes). */
#define AKT_TYPE_STRING "akt.String"
#define AKT_TYPE_BYTES "akt.Bytes"     /* raw bytes, any length */
#define AKT_TYPE_INT64 "akt.Int64"     /* 8 bytes, little-endian two's complement */
#define AKT_TYPE_FLOAT64 "akt.Float64" /* 8 bytes, IEEE-754 binary64, little-endian */
#define AKT_TYPE_BOOL "akt.Bool"       /* 1 byte, 0 or 1 */
#define AKT_TYPE_NULL "akt.Null"       /* 0 bytes */
#define AKT_TYPE_JSON "akt.Json"       /* UTF-8 JSON text, one value */

/* New bytes message. type is copied (1..255 bytes, no NUL inside). data may be NULL when
 * len is 0. len above PTRDIFF_MAX is AKT_EINVAL (no buffer is that large), whatever
 * free_fn is; a copy that cannot be allocated is AKT_ENOMEM. A small copy shares the
 * message's one allocation. On failure with a destructor function, the caller still owns
 * data. */
AKT_API int akt_msg_new_bytes(const char *type, const void *data, size_t len, akt_free_fn free_fn,
                              akt_msg **out);

/* How akt handles an in-process object of one binding. The address of the ops struct is
 * the owner tag: akt_msg_object only hands the object back to the same ops. Must outlive
 * every message made with it (use static storage, or one per release_on dispatcher). akt reads only
 * the fields that size covers (a caller built against an older header passes a shorter struct): a
 * field beyond it counts as NULL. size must cover release (AKT_EINVAL otherwise). */
typedef struct akt_object_ops {
    size_t size; /* sizeof(akt_object_ops) */
    /* Called once when the last reference goes, on whichever thread released it, or on
     * release_on's thread (below). */
    void (*release)(void *object, void *ops_data);
    /* Optional: serializes the object when someone asks for its bytes (a C actor, or the
     * wire later). Sets *data, *len and *free_fn (a function, or AKT_BORROW for memory that
     * lives as long as the object). Returns 0 or an AKT_E* code. Called at most once per
     * message; the result is cached. Any thread: the one calling akt_msg_bytes first, while
     * later callers wait (see there). */
    int (*to_bytes)(void *object, void *ops_data, void **data, size_t *len, akt_free_fn *free_fn);
    void *ops_data; /* borrowed; passed to release and to_bytes; must outlive the ops' messages */
    /* Optional (akt >= 0.3, read only when size covers it): release on the owner's thread.
     * An external dispatcher (section 9) of the binding whose thread must run release and
     * the free_fn of the bytes to_bytes made. NULL: as before, on the releasing thread.
     * - The last release of a message of these ops made on a thread that is not inside
     *   akt_dispatcher_run(release_on) at that moment (an akt worker, the timer, any thread
     *   of the binding between runs) is queued, lock-free and without allocating, and runs
     *   at the start of release_on's next akt_dispatcher_run, on the thread running it,
     *   before any actor. The release that makes the queue non-empty calls release_on's
     *   notify, on the releasing thread, as mail for its actors does.
     * - Inside akt_dispatcher_run(release_on) (its actors' callbacks, other releases) the
     *   release runs at once. Queued releases run exactly once each, in no set order.
     * - After the shutdown, releases still queue and notify, and every akt_dispatcher_run
     *   still runs them (the binding runs it until akt_system_wait returns 0, and may run it
     *   once more then). The ones still queued when the system is freed run on the thread
     *   that frees it, before that returns: the caller of the last akt_system_release if the
     *   shutdown had completed by then, else akt's shutdown thread (after its thread_stop
     *   hook). So a binding that needs every release on its own thread waits for the
     *   shutdown and makes its last akt_system_release on that thread.
     * - akt_msg_new_object fails with AKT_EINVAL if release_on is not an external
     *   dispatcher. release_on's system (hence its notify and data) and this ops struct
     *   must outlive every message made with these ops: the messages akt holds (mail,
     *   stashes) are released when the system is freed at the latest; the ones the binding
     *   holds (retained messages, futures with a reply) it releases before its last
     *   akt_system_release of that system. */
    akt_dispatcher *release_on;
} akt_object_ops;

/* New object message: akt never looks inside object. Takes object on success. */
AKT_API int akt_msg_new_object(const char *type, void *object, const akt_object_ops *ops,
                               akt_msg **out);

/* References. A release (or retain) of a message whose count already reached 0 returns
 * AKT_EMISUSE and changes nothing, as far as that can be checked, which is as long as the
 * message's memory was not reused. A small message's block goes back to a per-thread pool
 * and stays there until the releasing thread makes another message (or, much later, until
 * the pool gives idle memory back to the allocator); a message too large for the pools
 * (type and copied bytes together over about 100 bytes) goes back to the allocator at
 * once, and touching it afterwards is a use after free. AKT_EMISUSE diagnoses a bug; it
 * is not a way to count references. */
AKT_API int akt_msg_retain(akt_msg *msg);
AKT_API int akt_msg_release(akt_msg *msg);

/* The type name; valid while the message is. NULL if msg is NULL. */
AKT_API const char *akt_msg_type(const akt_msg *msg);

/* The bytes, valid while the message is. For a bytes message, returns at once. For an
 * object message, its ops->to_bytes makes them, once: AKT_ENOTSUP if it has none, and the
 * code to_bytes returned if it failed (every later call gets the same). While another
 * thread runs to_bytes for this message, the call blocks until it is done (asleep on a
 * futex, not spinning) and returns the same result; so a caller that holds a lock a
 * to_bytes may need (an interpreter lock such as Python's GIL) must let it go around the
 * call when the message may be another binding's object. A to_bytes that asks for its own
 * message's bytes gets AKT_EDEADLK. Once made, the bytes come back without waiting. */
AKT_API int akt_msg_bytes(akt_msg *msg, const void **data, size_t *len);

/* The object, if msg is an object message of these ops; AKT_ETYPE otherwise. */
AKT_API int akt_msg_object(const akt_msg *msg, const akt_object_ops *ops, void **object);

/* The actor a system message is about (AKT_TYPE_TERMINATED); AKT_ETYPE for others. */
AKT_API int akt_msg_pid(const akt_msg *msg, akt_pid *out);

/* Message headers (akt >= 0.4): optional key/value metadata on a message (a trace
 * context, a tenant id), read by the receiver, kept by akt_ctx_forward (the same message),
 * copied to a reply with akt_msg_copy_headers. A message without headers costs nothing
 * more. Keys are 1..AKT_HEADER_KEY_MAX visible ASCII characters (0x21..0x7e), compared
 * exactly; values are bytes (0..AKT_HEADER_VALUE_MAX), stored with a NUL after them. */
#define AKT_HEADER_KEY_MAX 255
#define AKT_HEADER_VALUE_MAX 8192   /* bytes of one value */
#define AKT_HEADERS_MAX 64          /* headers on one message */
#define AKT_HEADERS_BYTES_MAX 65536 /* keys and values of one message together */

/* Sets a header (copies key and value; replaces the value of a key set before). Only
 * before the message is first sent and while the caller holds its only reference:
 * AKT_EMISUSE once it was sent, or while it is shared (retained); so a received message
 * never changes. AKT_EINVAL for a bad key, a value over AKT_HEADER_VALUE_MAX or NULL with
 * len > 0, or when the message would go over AKT_HEADERS_MAX or AKT_HEADERS_BYTES_MAX
 * (the message is then unchanged); AKT_ENOTSUP for akt's own system messages
 * (AKT_TYPE_TERMINATED); AKT_ENOMEM. */
AKT_API int akt_msg_set_header(akt_msg *msg, const char *key, const void *value, size_t len);

/* The value of key: *value (borrowed, valid while the message is, NUL after the len bytes)
 * and *len. AKT_ENOTFOUND if the message has no such header. */
AKT_API int akt_msg_header(const akt_msg *msg, const char *key, const void **value, size_t *len);

/* Iterating: *count gets the number of headers (0 for none), to read them with
 * akt_msg_header_at. */
AKT_API int akt_msg_header_count(const akt_msg *msg, size_t *count);
/* The header at index (0 <= index < akt_msg_header_count, in the order they were first
 * set): *key (NUL-terminated), *value and *len, each out-parameter optional, borrowed as
 * akt_msg_header's. AKT_ENOTFOUND for an index past the end. */
AKT_API int akt_msg_header_at(const akt_msg *msg, size_t index, const char **key,
                              const void **value, size_t *len);

/* Copies every header of src onto dst (replacing dst's values of the same keys): the way
 * to make a reply carry the request's headers, e.g. in receive
 *     akt_msg_copy_headers(reply, msg); akt_ctx_respond(ctx, reply);
 * dst follows akt_msg_set_header's rules (not sent, not shared). The limits are checked
 * first: AKT_EINVAL leaves dst unchanged; on AKT_ENOMEM some headers may have been set. */
AKT_API int akt_msg_copy_headers(akt_msg *dst, const akt_msg *src);

/* Sends msg to to. Takes msg on success. AKT_ENOTFOUND if to is not a live actor (caller
 * keeps msg). A message accepted here is delivered, or goes to dead letters if the actor
 * stops first: it is never dropped silently. Order from one sending thread (or actor) to
 * one receiver is kept. Never blocks.
 * The sender (akt_ctx_sender of the receiver) is implicit: called on a thread that is
 * running a callback of an actor of the same system (receive, receive_batch, pre_start,
 * post_stop, or a callback akt runs synchronously from inside one, such as an event or a
 * future completion its calls trigger), it is that actor, exactly as with akt_ctx_tell, so
 * the receiver can respond; anywhere else (other threads, another system's actor) there
 * is no sender (id 0). akt_ask and akt_ask_batch pick their sender the same way. */
AKT_API int akt_tell(akt_system *system, akt_pid to, akt_msg *msg);

/* Sends n messages to one actor, in order, as one operation: all are taken (returns 0) or
 * none (error). The sender is implicit, as for akt_tell. */
AKT_API int akt_tell_batch(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n);

/* ===================================================================================== */
/* 6. Asking and futures                                                                  */
/* ===================================================================================== */

/* The pending answer to an ask. akt_ask gives the caller one handle, which it releases
 * once (akt_future_release); akt keeps its own references while the ask is pending. A
 * future may outlive its system: after the system was shut down and released, a completed
 * future keeps its result and a pending one was completed with AKT_ECLOSED by the
 * shutdown; every call below stays valid on it. */
typedef struct akt_future akt_future;

/* Sends msg to to and returns a future for the reply. Takes msg on success. The future
 * completes exactly once: with the reply (0), AKT_ETIMEDOUT after timeout_ns (> 0;
 * timed by the system's one timer thread), AKT_ESTOPPED if the actor stopped before
 * handling it, AKT_EUNHANDLED if its receive did not handle it, the failure code
 * (AKT_EFAILED, or the negative code receive returned) if receive failed on it -- the
 * failure's reason then comes with akt_future_failure --, or AKT_ECANCELED.
 * Who reads the answer (issue 17): called outside any actor, C code -- the caller -- does,
 * so a binding's actor must answer with bytes (it refuses an object without them at its
 * respond, and the future fails with that refusal); from inside an actor's callback, that
 * actor. A binding names itself as the reader with akt_ask_as (see akt_ctx_asker_reader). */
AKT_API int akt_ask(akt_system *system, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                    akt_future **out);

/* Asks n messages of one actor in order; futures[i] answers msgs[i]. All or none. The
 * answers' reader is picked as akt_ask's (akt_ask_batch_as names it). */
AKT_API int akt_ask_batch(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n,
                          int64_t timeout_ns, akt_future **futures);

/* Waits up to timeout_ns (< 0: no limit; 0: just look) for the future. Returns its result
 * code; on 0, *reply gets a new reference to the reply (release it), or NULL when the
 * future completes without one (akt_stop_graceful). reply may be NULL: not wanted. AKT_EAGAIN if it
 * is still pending when the wait ends. AKT_EDEADLK when called inside an actor's callback on a
 * future that only that same actor could complete, or on an external dispatcher's thread
 * for a future its own actors must complete. Can be called again after it completed. */
AKT_API int akt_future_wait(akt_future *future, int64_t timeout_ns, akt_msg **reply);

/* What the receiver said when it failed on the ask: the reason it gave (akt_ctx_fail or
 * akt_ctx_fail_with) and, from akt_ctx_fail_with, its detail message. Call it once the
 * future completed (after akt_future_wait returned, or inside the completion callback --
 * there also after the caller released its handle, as the callback's future argument).
 * reason (optional) gets the text, borrowed: valid while the caller holds its reference to
 * the future; NULL when the future did not complete with a failure or no reason was given.
 * detail (optional) gets a new reference (release it) or NULL. AKT_EAGAIN while pending.
 *
 * Why a call of its own, not the reply out-parameter of akt_future_wait: callers written
 * against "on 0, *reply gets the reply" release the reply only on 0, and a completion
 * callback may read a non-NULL reply as an answer; a failure handed out there would leak or
 * mislead them. They keep getting just the code; callers that want the reason ask for it.
 * The detail lets a binding hand its own exception to an asker of the same binding
 * (akt_msg_object with its ops); any other asker reads reason. */
AKT_API int akt_future_failure(akt_future *future, const char **reason, akt_msg **detail);

/* Called exactly once per registration with the future's result code and, on 0, the reply
 * (borrowed for the call: retain it to keep it). If the future already completed, runs at
 * once on the calling thread; otherwise on the thread that completes it (a worker running
 * the responder, the timer thread for timeouts, or the thread calling cancel). Must not
 * block. */
typedef void (*akt_future_cb)(akt_future *future, int rc, akt_msg *reply, void *data);

/* Registers a completion callback; one per future: of concurrent registrations exactly
 * one wins, every other gets AKT_EBUSY (also after completion). Never waits: registered
 * while a completer is still writing the result, the callback runs on that completer's
 * thread. */
AKT_API int akt_future_on_complete(akt_future *future, akt_future_cb cb, void *data);

/* Completes a pending future with AKT_ECANCELED (its callback runs on this thread); a late
 * reply is dropped to dead letters. AKT_EMISUSE if it had already completed. */
AKT_API int akt_future_cancel(akt_future *future);

/* Drops the caller's handle. A pending ask keeps its own reference until it completes.
 * Afterwards the handle is dead: every akt_future_* call with it (a second release
 * included) returns AKT_EINVAL: reliably while akt still holds the future, and after it was
 * freed as long as its block waits in akt's pool. A block is recycled for a new future
 * (soonest by the next ask on the same thread) and then is that future: as with any freed
 * pointer, do not keep the handle. */
AKT_API int akt_future_release(akt_future *future);

/* ===================================================================================== */
/* 7. Actors: behaviour, spawning and the context                                         */
/* ===================================================================================== */

/* The context of one callback: an opaque handle, valid only inside the callback that
 * received it and only on that thread. Used anywhere else (after the callback returned,
 * kept for a later callback of the same or another actor, on another thread) every akt_ctx_*
 * function returns AKT_EMISUSE, always: each callback in the process gets a handle that no
 * other callback got or will get, and akt never reads through a handle before it matched
 * the calling thread's current one, so a kept handle is harmless even after its actor and
 * system are gone. (Handles come from a 64-bit sequence that would repeat only after 2^63
 * callbacks, centuries at any rate; where pointers have 32 bits, after 2^31 callbacks.) */
typedef struct akt_ctx akt_ctx;

/* An actor's handler for user messages. msg is borrowed for the call (retain it to keep
 * it). Returns 0 (handled), AKT_EUNHANDLED (published as an unhandled event; an ask gets
 * AKT_EUNHANDLED), or any other negative code: a failure that the parent's supervisor
 * handles. */
typedef int (*akt_receive_fn)(akt_ctx *ctx, akt_msg *msg, void *state);

/* An actor's behaviour. All callbacks of one actor run on its dispatcher, one at a time. */
typedef struct akt_behavior {
    size_t size;            /* sizeof(akt_behavior) */
    akt_receive_fn receive; /* required */
    /* Optional: runs before the first message, and again after a restart. A failure code
     * stops the actor and its children (it is published as a failure event; watchers get
     * Terminated): a failing restart is never retried. */
    int (*pre_start)(akt_ctx *ctx, void *state);
    /* Optional: runs when the actor stops (after its children stopped), and before a
     * restart. A reason given with akt_ctx_fail here is published as a failure event
     * (AKT_EFAILED); the stop or restart goes on. */
    void (*post_stop)(akt_ctx *ctx, void *state);
    /* Optional: frees state once the actor is gone; any akt thread. */
    void (*free_state)(void *state);
    /* Optional, for bindings that pay for each call into their runtime (JNI, an
     * interpreter): when set, akt calls it instead of receive for a run of this actor's
     * user messages, so the binding crosses into its runtime once per run. The callback
     * pulls the messages one by one with akt_ctx_next and handles each as receive would
     * (ctx is about the message last pulled). It returns 0, or for the message last pulled
     * AKT_EUNHANDLED or a failure code, as receive does. Not used while a handler set with
     * akt_ctx_become is active. */
    int (*receive_batch)(akt_ctx *ctx, void *state);
} akt_behavior;

/* Mailboxes. Every actor's user messages wait in its mailbox; system messages (stop,
 * watch, supervision directives) bypass it. By default a mailbox is an unbounded FIFO.
 * akt_mailbox_spec (a spawn option, copied at spawn) picks the order the actor handles its
 * messages in and, optionally, a capacity with a policy for when it is full:
 *   AKT_MAILBOX_FIFO      arrival order (per sender: send order)
 *   AKT_MAILBOX_PRIORITY  by compare: the message for which compare says "first" is handled
 *                         first; equal priorities keep their arrival order (stable). The
 *                         order applies to the messages waiting when the actor takes its
 *                         next one. A poison pill (akt_poison) sorts after every message.
 *   AKT_MAILBOX_FAIR      one sub-queue per sender (the sender pid; outside actors: one
 *                         shared sub-queue), served round-robin one message at a time, so
 *                         one busy sender cannot starve the others; FIFO per sender.
 * capacity 0 is unbounded. Otherwise at most capacity user messages wait (the one being
 * handled no longer counts), and when_full says what a tell or ask to a full mailbox does:
 *   AKT_MAILBOX_FAIL   returns AKT_EFULL; the caller keeps the message (ownership moves
 *                      only on success) and may retry, release or reroute it.
 *   AKT_MAILBOX_DROP   accepts (returns 0) and sends the message to dead letters with the
 *                      reason "mailbox full"; an asker's future fails with AKT_EFULL.
 *   AKT_MAILBOX_BLOCK  a sender outside any actor callback waits up to block_timeout_ns
 *                      for room, then gets AKT_ETIMEDOUT (the caller keeps the message); a
 *                      sender inside an actor callback (a worker thread, a binding's run
 *                      loop) never waits: it gets AKT_EFULL at once, as with FAIL.
 * Messages akt sends itself (Terminated to watchers, poison pills) are never refused. */
enum akt_mailbox_kind { AKT_MAILBOX_FIFO = 0, AKT_MAILBOX_PRIORITY = 1, AKT_MAILBOX_FAIR = 2 };
/* What a tell or ask to a full bounded mailbox does (akt_mailbox_spec.when_full; above). */
enum akt_mailbox_when_full { AKT_MAILBOX_FAIL = 0, AKT_MAILBOX_DROP = 1, AKT_MAILBOX_BLOCK = 2 };

/* A priority mailbox's order: < 0 if a is handled before b, > 0 if after, 0 if equal (then
 * arrival order decides). Runs on the actor's dispatcher thread, for the actor being run
 * (never concurrently for one actor), with a and b borrowed for the call; it must not call
 * back into akt for this actor's mailbox. data is compare_data. */
typedef int (*akt_mailbox_compare_fn)(akt_msg *a, akt_msg *b, void *data);

/* The mailbox of an actor (akt_spawn_options.mailbox): its kind, bound and order. */
typedef struct akt_mailbox_spec {
    size_t size;                    /* sizeof(akt_mailbox_spec) */
    int kind;                       /* enum akt_mailbox_kind */
    uint32_t capacity;              /* 0 = unbounded; at most INT32_MAX */
    int when_full;                  /* enum akt_mailbox_when_full (capacity > 0 only) */
    int64_t block_timeout_ns;       /* AKT_MAILBOX_BLOCK: > 0 */
    akt_mailbox_compare_fn compare; /* AKT_MAILBOX_PRIORITY: required */
    void *compare_data;             /* borrowed: kept alive as long as the actor */
} akt_mailbox_spec;

/* Options of akt_spawn and akt_ctx_spawn; akt_spawn_options_init sets the defaults. */
typedef struct akt_spawn_options {
    size_t size;                      /* sizeof(akt_spawn_options) */
    const char *name;                 /* copied; NULL = an anonymous name ("$<n>"). No '/' */
    akt_dispatcher *dispatcher;       /* NULL = the system's workers */
    const akt_supervisor *supervisor; /* copied; strategy for this actor's children;
                                         NULL = one-for-one, restart */
    /* Dependencies reachable with akt_ctx_dependency: names are copied, values borrowed
     * (the caller keeps them alive as long as the actor). */
    const char *const *dependency_names;
    void *const *dependency_values; /* dependency_count values, one per name; borrowed */
    size_t dependency_count;        /* entries of both arrays; 0: none */
    /* The mailbox (copied; NULL = an unbounded FIFO). AKT_EINVAL for a bad spec: a kind or
     * policy out of range, a priority kind without compare, a capacity above INT32_MAX,
     * BLOCK without a positive timeout. Since 0.4. */
    const akt_mailbox_spec *mailbox;
    /* Appended in 0.4 (read by size), after mailbox. Reentrancy of akt_ctx_request: one of
     * AKT_REENTRANCY_*; AKT_REENTRANCY_DEFAULT is OFF. */
    int reentrancy;
    /* The most requests of this actor in flight at once (AKT_EBUSY beyond); 0 = no limit. */
    uint32_t max_in_flight;
    /* Appended in 0.4 (read by size), after max_in_flight. The actor's kind: what sort of
     * actor it is, as GoAkt's actor.kind (the Go type); the bindings give their actor's
     * class name. Reported by the metrics (the actor.kind attribute, akt/telemetry.h). At
     * most 255 bytes (AKT_EINVAL beyond); NULL or "" = none. Copied once per distinct text
     * into the system's table of kinds (kept for the system's life, at most 65535 kinds:
     * AKT_ENOMEM beyond), so an actor costs no memory for its kind, none when NULL. */
    const char *kind;
} akt_spawn_options;

/* Fills options with the defaults (and sets options->size). */
AKT_API int akt_spawn_options_init(akt_spawn_options *options);

/* Spawns a top-level actor (/user/<name>). behavior is copied; state is taken on success
 * (freed with behavior->free_state when the actor is gone). options may be NULL.
 * AKT_EEXIST if the name is taken, AKT_ECLOSED during shutdown. pre_start runs on the
 * actor's dispatcher before its first message; messages sent meanwhile wait.
 * Outside a callback it returns once pre_start has run, so the children pre_start spawned
 * are visible to akt_lookup: for an actor on the workers, called from a thread of the
 * caller's (not an akt thread), it waits; for an actor on an external dispatcher, called
 * on the thread that last ran that dispatcher, pre_start runs right there (no other actor
 * runs meanwhile). A pre_start that fails still returns 0 (the actor has stopped: its pid
 * is stale). Elsewhere (inside a callback, or another thread of an external dispatcher)
 * it returns at once; akt_await_started waits for the start. The bindings give every
 * spawn from outside an actor this semantics. */
AKT_API int akt_spawn(akt_system *system, const akt_behavior *behavior, void *state,
                      const akt_spawn_options *options, akt_pid *out);

/* The actor's own pid (the actor whose callback got ctx). AKT_EMISUSE for a ctx that is not
 * current (see akt_ctx), AKT_EINVAL if ctx or out is NULL. */
AKT_API int akt_ctx_self(akt_ctx *ctx, akt_pid *out);
/* The sender of the current message; id 0 when it came from outside any actor. */
AKT_API int akt_ctx_sender(akt_ctx *ctx, akt_pid *out);
/* The current message: the one receive got, or in receive_batch the one akt_ctx_next
 * pulled last. Borrowed until the callback returns (or, in receive_batch, until the next
 * akt_ctx_next): retain it to keep it. AKT_EMISUSE in pre_start and post_stop, in
 * receive_batch before the first pull or after akt_ctx_next returned AKT_EAGAIN, and for a
 * ctx that is not current (see akt_ctx); AKT_EINVAL if msg is NULL (*msg untouched on
 * failure). */
AKT_API int akt_ctx_message(akt_ctx *ctx, akt_msg **msg);
/* The actor's parent: for a top-level actor the /user guardian's pid; id 0 if the parent is
 * gone. Errors as akt_ctx_self. */
AKT_API int akt_ctx_parent(akt_ctx *ctx, akt_pid *out);
/* The actor's system, borrowed: valid while the callback runs; akt_system_retain it to keep
 * it. Errors as akt_ctx_self. */
AKT_API int akt_ctx_system(akt_ctx *ctx, akt_system **out);

/* Replies to the current message: completes the asker's future, or tells the sender (with
 * self as sender). Takes msg on success. A reply nobody waits for -- to an ask that already
 * completed (timed out, cancelled, answered), to a sender that is gone, or to a message
 * told from outside any actor (no sender, no asker) -- goes to dead letters, with the reason
 * in the event, and counts as success: the actor goes on. AKT_EMISUSE outside receive. */
AKT_API int akt_ctx_respond(akt_ctx *ctx, akt_msg *msg);

/* *out = 1 if someone waits for a reply to the current message (a pending ask, or a live
 * sender actor), 0 if a reply would go to dead letters. A snapshot: an ask may still time
 * out before the reply reaches it. AKT_EMISUSE outside receive. */
AKT_API int akt_ctx_reply_expected(akt_ctx *ctx, int *out);

/* Tells with self as the sender (so the receiver can respond). Takes msg on success. */
AKT_API int akt_ctx_tell(akt_ctx *ctx, akt_pid to, akt_msg *msg);

/* Asks from inside an actor; complete it with akt_future_on_complete (waiting on it here
 * blocks a worker). Takes msg on success. */
AKT_API int akt_ctx_ask(akt_ctx *ctx, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                        akt_future **out);

/* Forwards the current message to to, keeping its original sender and asker. */
AKT_API int akt_ctx_forward(akt_ctx *ctx, akt_pid to);

/* Marks the current message unhandled (same as returning AKT_EUNHANDLED). */
AKT_API int akt_ctx_unhandled(akt_ctx *ctx);

/* Gives a reason (copied) to the failure the callback is about to return; it reaches the
 * supervisor's decider and the failure event. Returns AKT_EFAILED, so a receive can
 * `return akt_ctx_fail(ctx, "...")`. */
AKT_API int akt_ctx_fail(akt_ctx *ctx, const char *reason);

/* As akt_ctx_fail, plus a detail message for the asker of the current message, who gets it
 * from akt_future_failure; a binding puts its exception there (an object message) so that
 * an asker of the same binding can rethrow the original. detail is borrowed (akt keeps its
 * own reference until the turn ends); NULL gives none. Returns AKT_EFAILED, or AKT_EINVAL
 * for a bad detail (nothing recorded). Bindings give reason as "<exception type>: <message>"
 * so that every language reads the same text. */
AKT_API int akt_ctx_fail_with(akt_ctx *ctx, const char *reason, akt_msg *detail);

/* Spawns a child of the current actor (path <self>/<name>). As akt_spawn otherwise. */
AKT_API int akt_ctx_spawn(akt_ctx *ctx, const akt_behavior *behavior, void *state,
                          const akt_spawn_options *options, akt_pid *out);

/* Stops self or one of self's children (asynchronously; children first, then post_stop).
 * AKT_EINVAL for any other actor (use akt_stop). */
AKT_API int akt_ctx_stop(akt_ctx *ctx, akt_pid pid);

/* Replaces the receive handler (the state argument it gets is state, borrowed).
 * stacked = 0: replaces the whole stack (Become); stacked = 1: pushes (BecomeStacked). */
AKT_API int akt_ctx_become(akt_ctx *ctx, akt_receive_fn receive, void *state, int stacked);
/* Back to the behaviour's own receive (UnBecome). */
AKT_API int akt_ctx_unbecome(akt_ctx *ctx);
/* Pops one stacked handler (UnBecomeStacked); AKT_EMISUSE if none is stacked. */
AKT_API int akt_ctx_unbecome_stacked(akt_ctx *ctx);

/* Inside receive_batch: finishes the message last pulled (handled; unhandled after
 * akt_ctx_unhandled; kept after akt_ctx_stash) and pulls the next one into *msg, borrowed
 * until the next call or the end of receive_batch. AKT_EAGAIN when the run is over (the
 * turn's budget is spent, the mailbox is empty, a stop or system message is waiting, the
 * actor is stopping, a become handler took over): receive_batch then returns 0.
 * AKT_EMISUSE outside receive_batch. */
AKT_API int akt_ctx_next(akt_ctx *ctx, akt_msg **msg);

/* Keeps the current message for later (Stash): when the callback returns it is not
 * finished but kept, in arrival order, in the actor's stash. AKT_EMISUSE outside a message
 * (pre_start, post_stop) or if the current message is already stashed. */
AKT_API int akt_ctx_stash(akt_ctx *ctx);
/* Puts the oldest stashed message back in front of the mailbox (Unstash): it is the next
 * one handled. AKT_EAGAIN when the stash is empty. */
AKT_API int akt_ctx_unstash(akt_ctx *ctx);
/* Puts every stashed message back in front of the mailbox, in their order (UnstashAll);
 * 0 also when the stash is empty. */
AKT_API int akt_ctx_unstash_all(akt_ctx *ctx);

/* Death watch: self gets an AKT_TYPE_TERMINATED message when pid stops (at once if it is
 * already gone). Watching twice is one watch. AKT_ENOTFOUND for a pid this system never
 * issued. */
AKT_API int akt_ctx_watch(akt_ctx *ctx, akt_pid pid);
/* Ends self's watch of pid (Unwatch), asynchronously, as akt_ctx_watch started it.
 * AKT_ENOTFOUND if self does not watch pid. */
AKT_API int akt_ctx_unwatch(akt_ctx *ctx, akt_pid pid);

/* A dependency given at spawn, by name; AKT_ENOTFOUND if there is none. */
AKT_API int akt_ctx_dependency(akt_ctx *ctx, const char *name, void **value);

/* A system extension (akt_system_options.extension_names), by name; AKT_ENOTFOUND if
 * there is none. */
AKT_API int akt_ctx_extension(akt_ctx *ctx, const char *name, void **value);

/* Reentrant requests (GoAkt's ctx.Request). A request is an ask whose answer is handled on
 * the requesting actor's own turn: its continuation then(ctx, rc, reply, data) runs there,
 * never concurrently with receive, with rc 0 and the reply (borrowed for the call), or the
 * ask's error (AKT_ETIMEDOUT, AKT_ECANCELED, AKT_EUNHANDLED, AKT_EFAILED, ...) and NULL.
 * A continuation that returns an error fails the actor as receive would.
 * What the actor does meanwhile is the request's mode:
 *   OFF        user messages keep flowing; the answer comes on a later turn
 *   ALLOW_ALL  the same: other messages (a request back from the callee) are handled while
 *              the request is in flight, so an A -> B -> A call cycle does not deadlock
 *   STASH      user messages wait in the mailbox, in their order, until the last STASH
 *              request of the actor completed (answers and system messages still come).
 * A stop or a restart cancels the requests in flight: their continuations do not run (drop
 * runs instead). */
#define AKT_REENTRANCY_DEFAULT 0   /* per call: the actor's mode; at spawn: OFF */
#define AKT_REENTRANCY_OFF 1       /* other messages flow; the answer comes on a later turn */
#define AKT_REENTRANCY_ALLOW_ALL 2 /* as OFF: a call back from the callee is handled meanwhile */
#define AKT_REENTRANCY_STASH 3     /* user messages wait until the request completed */

/* A request in flight: a handle, never dereferenced (a number that is never reused). */
typedef struct akt_request akt_request;
/* The continuation of a request, on the requester's turn; reply is borrowed. */
typedef int (*akt_request_then)(akt_ctx *ctx, int rc, akt_msg *reply, void *data);

/* Options of akt_ctx_request; akt_request_options_init sets the defaults. */
typedef struct akt_request_options {
    size_t size;              /* sizeof(akt_request_options) */
    int64_t timeout_ns;       /* 0 = none (GoAkt's default); > 0 = AKT_ETIMEDOUT after it */
    int mode;                 /* AKT_REENTRANCY_*; DEFAULT = the actor's mode */
    akt_request_then then;    /* may be NULL */
    void (*drop)(void *data); /* may be NULL: runs instead of then when the request is
                                 cancelled by a stop, a restart or the shutdown */
    void *data;               /* passed to then, or to drop when the request is cancelled */
} akt_request_options;

/* Fills options with the defaults (and sets options->size). */
AKT_API int akt_request_options_init(akt_request_options *options);

/* Sends msg to to as an ask from self and returns at once; *out names the request (may be
 * NULL). Takes msg on success. options may be NULL (no continuation, no timeout). AKT_EBUSY
 * beyond the actor's max_in_flight, AKT_ENOTFOUND for a pid that is not live, AKT_EINVAL
 * for a bad mode or a negative timeout, AKT_EMISUSE outside the actor's callbacks. */
AKT_API int akt_ctx_request(akt_ctx *ctx, akt_pid to, akt_msg *msg,
                            const akt_request_options *options, akt_request **out);

/* As akt_ctx_request, to the actor at path (as akt_lookup reads it: "name", "parent/child",
 * "/user/..." or "akt://<system>/user/..."), GoAkt's RequestName. The name is resolved at
 * the call: the request goes to the actor that holds it now, and a later respawn under the
 * same name does not get it. AKT_ENOTFOUND if no live actor has that path, AKT_EINVAL for a
 * NULL or empty path; msg is taken only on success. The rest as akt_ctx_request. (0.4) */
AKT_API int akt_ctx_request_named(akt_ctx *ctx, const char *path, akt_msg *msg,
                                  const akt_request_options *options, akt_request **out);

/* Cancels a request of this actor (best effort, idempotent): if it was still pending, its
 * continuation runs with AKT_ECANCELED on a later turn, and the callee skips the message if
 * it has not started it. 0 while the request is in flight (its continuation has not run),
 * AKT_ENOTFOUND once it is over or for a request of another actor. */
AKT_API int akt_request_cancel(akt_ctx *ctx, akt_request *request);

/* ===================================================================================== */
/* 8. Lifecycle from outside                                                              */
/* ===================================================================================== */

/* Stops an actor now: queued messages go to dead letters, children stop first, then
 * post_stop. Asynchronous; 0 means the actor will stop (an accepted stop is never lost),
 * AKT_ENOTFOUND that pid is not live. */
AKT_API int akt_stop(akt_system *system, akt_pid pid);

/* Resumes an actor suspended by AKT_DIRECTIVE_SUSPEND (0.4): it keeps its state and goes
 * on with its mailbox (an AKT_EVENT_ACTOR_REINSTATED event). Asynchronous; a live actor
 * that is not suspended is left as it is (0). AKT_ENOTFOUND if pid is not live. */
AKT_API int akt_reinstate(akt_system *system, akt_pid pid);
/* As akt_reinstate, for the actor at path (as akt_lookup reads it). */
AKT_API int akt_reinstate_named(akt_system *system, const char *path);

/* Sends a poison pill: the actor handles the messages queued before it, then stops. */
AKT_API int akt_poison(akt_system *system, akt_pid pid);

/* Graceful stop: a poison pill, and a future that completes with 0 once the actor stopped,
 * or AKT_ETIMEDOUT after timeout_ns (> 0), in which case the actor is stopped at once.
 * AKT_ENOTFOUND if the actor is not alive, also when it dies during this call before the
 * future exists (then nothing was made). */
AKT_API int akt_stop_graceful(akt_system *system, akt_pid pid, int64_t timeout_ns,
                              akt_future **out);

/* ===================================================================================== */
/* 9. Dispatchers                                                                         */
/* ===================================================================================== */

/* Called when the external dispatcher has work (an actor with mail, or a queued release of
 * akt_object_ops.release_on) and the binding should call akt_dispatcher_run soon. Any
 * thread, possibly concurrently with a run, until the system is freed; may be called more
 * often than needed but never once per message. Must not block or call into akt. */
typedef void (*akt_notify_fn)(void *data);

/* Creates a dispatcher whose actors run only inside akt_dispatcher_run, on the thread of
 * the binding's choice. Lives as long as its system. */
AKT_API int akt_dispatcher_create_external(akt_system *system, akt_notify_fn notify, void *data,
                                           akt_dispatcher **out);

/* Runs up to budget messages (budget > 0) of this dispatcher's actors on the calling
 * thread. First it runs every release queued for this dispatcher when the run starts
 * (akt_object_ops.release_on), whatever the budget; *processed (optional) gets the number
 * of messages handled, releases not counted. Returns 0 when no work is left, AKT_EAGAIN
 * when work remains (actors with mail, or releases queued during the run: call again),
 * AKT_EBUSY if another thread is running it. Also callable after the shutdown (no actors
 * run then; queued releases do). */
AKT_API int akt_dispatcher_run(akt_dispatcher *dispatcher, size_t budget, size_t *processed);

/* ===================================================================================== */
/* 10. Event stream and dead letters                                                      */
/* ===================================================================================== */

/* The kinds of events (akt_event.kind), one bit each, ORed into akt_subscribe's mask. */
#define AKT_EVENT_ACTOR_STARTED 0x01u     /* started: pre_start (if any) succeeded */
#define AKT_EVENT_ACTOR_STOPPED 0x02u     /* the actor stopped; its pid is stale from now on */
#define AKT_EVENT_ACTOR_RESTARTED 0x04u   /* restarted: pre_start after a restart succeeded */
#define AKT_EVENT_DEAD_LETTER 0x08u       /* a message nobody will handle; sender, msg, reason */
#define AKT_EVENT_UNHANDLED 0x10u         /* receive did not handle it (AKT_EUNHANDLED); msg */
#define AKT_EVENT_ACTOR_FAILED 0x20u      /* a callback failed; code, reason */
#define AKT_EVENT_ACTOR_SUSPENDED 0x40u   /* 0.4: AKT_DIRECTIVE_SUSPEND; code, reason: why */
#define AKT_EVENT_ACTOR_REINSTATED 0x80u  /* 0.4: akt_reinstate resumed it */
#define AKT_EVENT_ACTOR_PASSIVATED 0x100u /* 0.4: passivation stopped it (a STOPPED follows) */
/* Every kind. It grows when a kind is added (0x1FF since 0.4's passivation): a mask built
 * from it takes the new kinds too, a mask of named bits keeps its meaning. */
#define AKT_EVENT_ALL 0x1FFu

/* An event of the system's event stream, as an akt_event_cb gets it (borrowed). */
typedef struct akt_event {
    size_t size;        /* sizeof(akt_event) as akt knows it; read fields below it only */
    unsigned kind;      /* one AKT_EVENT_* bit */
    akt_pid pid;        /* the actor concerned (the intended receiver for dead letters) */
    const char *path;   /* its path, or NULL if unknown */
    akt_pid sender;     /* dead letter / unhandled: the message's sender, or id 0 */
    akt_msg *msg;       /* dead letter / unhandled: the message (borrowed); else NULL */
    int code;           /* failed: the failure code */
    const char *reason; /* failed: the reason given with akt_ctx_fail, or NULL;
                           dead letter: why it is one (a reply nobody waits for), or NULL */
} akt_event;

/* Called for each event of the subscribed kinds, on the thread where it happened (a worker,
 * the timer thread, or a thread calling akt); calls of one subscription may run on several
 * threads at once. ev and everything it points to are borrowed for the call. Must not
 * block; may call akt functions (tell, say), including akt_subscribe and akt_unsubscribe
 * (no akt lock is held while it runs). */
typedef void (*akt_event_cb)(const akt_event *ev, void *data);

/* A subscription to the event stream: a handle akt_subscribe gives, ended (and freed) by
 * akt_unsubscribe. */
typedef struct akt_subscription akt_subscription;

/* Subscribes to the kinds in mask. Callable anywhere, also from inside an event callback;
 * the subscription sees the events published after it returned (an event being published
 * meanwhile on another thread may or may not reach it). */
AKT_API int akt_subscribe(akt_system *system, unsigned mask, akt_event_cb cb, void *data,
                          akt_subscription **out);

/* Ends a subscription and frees it. When it returns 0, cb is not running on any other
 * thread and will not be called again; called from inside cb (on the thread running a call
 * of this same subscription), that call, and any it is nested in, goes on until it
 * returns. It waits for the calls running on other threads, so a callback that ends
 * another subscription waits for that one's calls. AKT_EDEADLK (nothing changed; try again
 * later, e.g. outside the callback) where that wait could never end: a call of sub runs on
 * a thread that is itself waiting in akt_unsubscribe for a call running on this thread
 * (two callbacks ending each other's subscriptions: the first waits, the second is
 * refused). AKT_EINVAL if sub is NULL or already being ended by another akt_unsubscribe;
 * sub must not be used after this returned 0. */
AKT_API int akt_unsubscribe(akt_subscription *sub);

/* ===================================================================================== */
/* 11. Topics (publish / subscribe)                                                      */
/* ===================================================================================== */

/* Each system has one topic actor (/user/$topics), started on first use, which owns every
 * topic: a topic exists while it has subscribers. Subscribers are actors of any language
 * (or a callback, below); the topic actor watches them, so an actor that stops leaves
 * every topic it was in. Everything goes through the topic actor's mailbox, so the
 * operations one thread makes take effect in the order it made them: a publish made after
 * a subscribe from the same thread reaches the new subscriber, without waiting for the
 * acknowledgement. Topic names: 1..255 bytes, no NUL (AKT_EINVAL otherwise). Calls made
 * during or after the shutdown return AKT_ECLOSED. */

/* Subscribes subscriber (a live pid of this system: AKT_ENOTFOUND otherwise) to topic;
 * subscribing twice is one subscription. ack (optional, NULL: fire and forget) gets a
 * future completed once the subscription is in effect, whose reply is an AKT_TYPE_INT64
 * message: the topic's subscriber count then. timeout_ns bounds that future as akt_ask's
 * (0: none). */
AKT_API int akt_topic_subscribe(akt_system *system, const char *topic, akt_pid subscriber,
                                int64_t timeout_ns, akt_future **ack);
/* Ends subscriber's subscription to topic (none: nothing changes). ack as above. */
AKT_API int akt_topic_unsubscribe(akt_system *system, const char *topic, akt_pid subscriber,
                                  int64_t timeout_ns, akt_future **ack);
/* Publishes msg (taken on success) to every subscriber of topic at the moment the topic
 * actor handles it; each subscriber receives msg itself (the same message, not a wrapper),
 * with the publisher as its sender (the calling actor, or none outside actors). Publishing
 * to a topic without subscribers is not an error: the message is dropped, not a dead
 * letter. Order is kept per publisher and subscriber. */
AKT_API int akt_topic_publish(akt_system *system, const char *topic, akt_msg *msg);
/* A future whose reply is an AKT_TYPE_INT64 message: topic's subscriber count once the
 * operations queued before this one took effect. */
AKT_API int akt_topic_count(akt_system *system, const char *topic, int64_t timeout_ns,
                            akt_future **out);

/* A subscription for code outside actors: fn runs for each message published to topic, on
 * an akt worker, one call at a time and in publishing order (it is the receive of a small
 * actor akt spawns, whose pid *out gets). msg is borrowed for the call. End it with
 * akt_stop(system, *out). data is taken unless the call returns AKT_EINVAL (a bad argument):
 * free_data (optional) runs once with data when the subscription's actor is gone, or at
 * once if the call fails otherwise (AKT_ENOMEM, AKT_ECLOSED), on whichever thread. */
typedef void (*akt_topic_fn)(akt_system *system, const char *topic, akt_msg *msg, void *data);
/* Subscribes fn (called with data) to topic, as akt_topic_fn describes; *out gets the pid of
 * the subscription's actor. AKT_EINVAL for a NULL system, fn or out or a bad topic (as
 * akt_topic_subscribe), AKT_ECLOSED during shutdown, AKT_ENOMEM. */
AKT_API int akt_topic_subscribe_fn(akt_system *system, const char *topic, akt_topic_fn fn,
                                   void *data, akt_free_fn free_data, akt_pid *out);
/* 12. Cron expressions                                                                   */
/* ===================================================================================== */

/* Quartz syntax: 6 or 7 blank-separated fields, `sec min hour day-of-month month
 * day-of-week [year]`; `* ? , - /`, names JAN-DEC and SUN-SAT (case-insensitive),
 * day-of-week 1=SUN..7=SAT, years 1970-2199; day-of-month `L`, `L-n`, `nW`, `LW`;
 * day-of-week `nL`, `n#k`. One of the two day fields is `?` (or `*`, which akt also takes
 * there); both constrained, or both `?`, is an error. `nW` never leaves the month, and a
 * day the month does not have (31 in April, 30W in February) does not fire in it.
 * Times are wall-clock times of the process's local time zone (TZ, re-read at each call),
 * or of UTC with AKT_CRON_UTC. A local time skipped by a DST change fires at the first
 * instant after the gap; a local time that occurs twice fires once, at its first
 * occurrence. */
#define AKT_CRON_UTC 1u

/* 0 if expr is a valid cron expression; AKT_EINVAL otherwise, with *err_col (when err_col
 * is not NULL) the 1-based column of the first character that cannot be accepted (the
 * column after the text when something is missing; 0 when expr is NULL). */
AKT_API int akt_cron_validate(const char *expr, size_t *err_col);

/* The first fire time of expr strictly after after_unix_ns (CLOCK_REALTIME nanoseconds),
 * in whole seconds, into *next_unix_ns. AKT_EINVAL if expr does not parse (*err_col as in
 * akt_cron_validate), if next_unix_ns is NULL or flags has a bit other than AKT_CRON_UTC
 * (*err_col 0); AKT_ENOTFOUND if it never fires again before 2200; AKT_ENOMEM. Any
 * thread (a TZ change races with the C library's own readers of it, as it always does). */
AKT_API int akt_cron_next_after(const char *expr, unsigned flags, int64_t after_unix_ns,
                                int64_t *next_unix_ns, size_t *err_col);

/* ===================================================================================== */
/* 13. Routers (akt >= 0.4)                                                               */
/* ===================================================================================== */

/* A router is an actor that passes each message it gets to one or more of its routees,
 * keeping the message's sender and asker, so a routee's reply goes straight back to the
 * asker. Routees are addressed by pid only, so they may be actors of any binding (and,
 * later, remote). A pool router spawns its routees as its own children (routee-0,
 * routee-1, ...); a group router routes to existing pids. The router watches its routees,
 * drops the ones that stop, and stops itself when the last one is gone. Routing a tell
 * takes no lock and allocates nothing but the envelope.
 *
 * Strategies (akt_router_options.strategy):
 *   AKT_ROUTE_ROUND_ROBIN      one routee after the other, in routee order
 *   AKT_ROUTE_RANDOM           a routee drawn from a PRNG seeded with options.seed
 *   AKT_ROUTE_BROADCAST        every routee (an ask completes with the first reply; the
 *                              later replies are dead letters)
 *   AKT_ROUTE_CONSISTENT_HASH  the routee owning the message's key on a ring of virtual
 *                              nodes: the same key reaches the same routee while the
 *                              routees stay, and a resize moves only the keys of the ring
 *                              arcs that changed owner. The key is options.key(msg), or
 *                              xxh3 of the type name and the bytes (an object message
 *                              without bytes hashes its type name only)
 *   AKT_ROUTE_SCATTER_GATHER_FIRST  asks every routee; the first reply within within_ns
 *                              answers the asker (or is told to the sender actor); later
 *                              replies are dead letters; none in time: AKT_ETIMEDOUT
 *   AKT_ROUTE_TAIL_CHOPPING    asks one routee, then another every interval_ns (in an
 *                              order drawn from the seeded PRNG), until one answers or
 *                              within_ns has passed; as scatter-gather otherwise
 * A message that reaches a router with no live routee is a dead letter (an asker gets
 * AKT_ESTOPPED). */
#define AKT_ROUTE_ROUND_ROBIN 0
#define AKT_ROUTE_RANDOM 1               /* a routee drawn from the seeded PRNG */
#define AKT_ROUTE_BROADCAST 2            /* every routee gets the message */
#define AKT_ROUTE_CONSISTENT_HASH 3      /* the routee owning the message's key */
#define AKT_ROUTE_SCATTER_GATHER_FIRST 4 /* every routee asked; the first reply answers */
#define AKT_ROUTE_TAIL_CHOPPING 5        /* one routee asked, another every interval_ns */

/* What happens to a pool routee whose receive failed (its parent, the router, decides). */
#define AKT_ROUTEE_STOP 0    /* stop it (it leaves the pool) */
#define AKT_ROUTEE_RESTART 1 /* restart it, within max_retries / retry_within_ns */
#define AKT_ROUTEE_RESUME 2  /* keep its state, go on with the next message */

/* The key of a message for AKT_ROUTE_CONSISTENT_HASH. Runs on the router's dispatcher
 * thread; msg is borrowed for the call. */
typedef uint64_t (*akt_route_key_fn)(const akt_msg *msg, void *data);

/* Makes the state of the pool's index-th routee (index counts every routee this router
 * spawned, from 0), on the router's dispatcher thread. Returns 0 or an AKT_E* code (the
 * routee is then not spawned). */
typedef int (*akt_routee_state_fn)(void *data, size_t index, void **state);

/* Options of akt_router_spawn; akt_router_options_init sets the defaults. */
typedef struct akt_router_options {
    size_t size;  /* sizeof(akt_router_options) */
    int strategy; /* AKT_ROUTE_*; default AKT_ROUTE_ROUND_ROBIN */
    /* Pool: pool_size routees (1..65536) of routee_behavior (copied), each with the state
     * routee_state makes (NULL: state NULL), on routee_dispatcher (NULL: the workers). */
    size_t pool_size;
    const akt_behavior *routee_behavior;
    akt_routee_state_fn routee_state;
    void *routee_state_data; /* borrowed until the router is gone, then routee_data_free */
    void (*routee_data_free)(void *data); /* optional; once, when the router is gone */
    akt_dispatcher *routee_dispatcher;    /* pool routees' dispatcher; NULL = the workers */
    /* Group: routee_count (1..65536) existing pids, copied. Exactly one of pool_size and
     * routee_count is non-zero. */
    const akt_pid *routees;
    size_t routee_count;
    /* Consistent hash: the key (NULL: xxh3 of type and bytes) and the virtual nodes per
     * routee (0: 150; at most 4096). */
    akt_route_key_fn key;
    void *key_data;         /* borrowed until the router is gone */
    uint32_t virtual_nodes; /* ring points per routee; 0 = 150, at most 4096 */
    /* Scatter-gather and tail-chopping: the deadline (> 0) and tail-chopping's interval
     * between two routees (> 0). */
    int64_t within_ns;
    int64_t interval_ns; /* tail-chopping: > 0, the wait before asking the next routee */
    /* Pool routees' failures: AKT_ROUTEE_* (default AKT_ROUTEE_STOP); with RESTART, a
     * routee failing more than max_retries times within retry_within_ns is stopped
     * (max_retries 0: no budget). Ignored by group routers. */
    int failure_policy;
    uint32_t max_retries;
    int64_t retry_within_ns;
    uint64_t seed;              /* RANDOM and TAIL_CHOPPING; 0: drawn from the clock */
    akt_dispatcher *dispatcher; /* the router's own; NULL: the workers */
} akt_router_options;

/* Fills options with the defaults (and sets options->size). */
AKT_API int akt_router_options_init(akt_router_options *options);

/* Spawns a router named name (copied; NULL: anonymous), a child of the actor whose
 * callback runs with parent, or top-level when parent is NULL. options is read during the
 * call only. A pool router spawns its routees before its first message (a routee_state
 * failure then stops the router, published as its failure). AKT_EINVAL for bad options
 * (unknown strategy or policy, no or both of pool and group, a zero deadline where one is
 * needed, a routee_behavior without receive); as akt_spawn otherwise. */
AKT_API int akt_router_spawn(akt_system *system, akt_ctx *parent, const char *name,
                             const akt_router_options *options, akt_pid *out);

/* Sends msg to every routee of router, whatever its strategy, with the calling actor (if
 * any, as for akt_tell) as the sender. Takes msg on success. AKT_ENOTFOUND if router is not
 * alive; a router pid that is not a router handles the wrapper as an ordinary message of
 * type "akt.router.Broadcast". */
AKT_API int akt_router_broadcast(akt_system *system, akt_pid router, akt_msg *msg);

/* Sets a pool router's size to n (1..65536): spawns new routees or stops the newest ones.
 * Waits for the router's answer (up to 10 s): it has the new size when this returns 0.
 * AKT_ENOTSUP for a group router, AKT_EINVAL for a bad n or a pid that is not a router,
 * AKT_EDEADLK inside the router's own callbacks, AKT_ENOTFOUND if it is not alive. */
AKT_API int akt_router_resize(akt_system *system, akt_pid router, size_t n);

/* The router's live routees, in routing order: up to cap pids into pids (may be NULL when
 * cap is 0) and their number into *count. AKT_ERANGE (with *count set and cap pids
 * written) when cap is too small. Waits for the router as akt_router_resize does, with the
 * same errors. */
AKT_API int akt_router_routees(akt_system *system, akt_pid router, akt_pid *pids, size_t cap,
                               size_t *count);

/* ===================================================================================== */
/* 14. Scheduling: messages sent later, once, every interval or on a cron expression       */
/* ===================================================================================== */

/* All of a system's schedules share its one timer thread (a deadline heap): no thread or
 * kernel timer per schedule. A fire only enqueues a copy (a new reference) of the message
 * with the given sender; the target handles it on its own dispatcher. A fire whose target
 * is gone is a dead letter and ends the schedule; the schedules of an actor that stops are
 * cancelled; akt_system_shutdown cancels every schedule and releases its message.
 * Fire-and-forget, as GoAkt's scheduler: nothing is persisted or retried. */

#define AKT_SCHEDULE_REF_MAX 255 /* longest reference, in bytes, without the NUL */

/* Options of akt_schedule_once, akt_schedule_every and akt_schedule_cron. */
typedef struct akt_schedule_options {
    size_t size;           /* sizeof(akt_schedule_options) */
    const char *reference; /* copied; NULL = generated (a random UUID); 1..AKT_SCHEDULE_REF_MAX
                              bytes, unique among the system's schedules (AKT_EEXIST) */
    akt_pid sender;        /* the fires' sender; id 0 = none */
} akt_schedule_options;

/* Sends msg to `to` once, delay_ns (>= 0) from now. Takes msg on success (the caller keeps
 * it on failure). The reference (given or generated) is copied to ref_out when it is not
 * NULL: ref_cap must then hold it and its NUL (AKT_ERANGE otherwise, nothing scheduled;
 * AKT_SCHEDULE_REF_MAX + 1 always does). options may be NULL (all defaults).
 * AKT_EINVAL: NULL system or msg, delay_ns < 0, bad options or reference; AKT_ENOTFOUND:
 * `to` was never an actor of this system (a pid that was one and stopped is accepted: its
 * fire is a dead letter); AKT_EEXIST: the reference is taken; AKT_ECLOSED after shutdown. */
AKT_API int akt_schedule_once(akt_system *system, akt_pid to, akt_msg *msg, int64_t delay_ns,
                              const akt_schedule_options *options, char *ref_out, size_t ref_cap);

/* Sends msg to `to` every interval_ns (> 0), the first time initial_delay_ns (>= 0) from
 * now. Fire k is due at first + k * interval_ns: late fires do not shift the next ones (no
 * drift), and ticks missed while the timer thread was late or the schedule paused are
 * skipped, not sent as a burst. Arguments and errors as akt_schedule_once. */
AKT_API int akt_schedule_every(akt_system *system, akt_pid to, akt_msg *msg,
                               int64_t initial_delay_ns, int64_t interval_ns,
                               const akt_schedule_options *options, char *ref_out, size_t ref_cap);

/* Sends msg to `to` at every fire time of the cron expression expr (Quartz syntax, see
 * section 12), in the local time zone or, with AKT_CRON_UTC in flags, in UTC. Each fire's
 * wall-clock time becomes a timer deadline; the next one is computed from the later of now
 * and the last due time, so a tick never fires twice, a wall clock set backwards does not
 * refire ticks already sent, and ticks missed while late or paused are skipped, not sent
 * as a burst. The schedule ends after its last fire time (an expression with a year).
 * err_col (optional) gets 0, or for an expression that does not parse (AKT_EINVAL) the
 * 1-based column of the offending character. AKT_EINVAL also for a NULL expr or a flag
 * other than AKT_CRON_UTC (*err_col = 0); AKT_ENOTFOUND, besides an unknown target, for an
 * expression that never fires again. Other arguments and errors as akt_schedule_once. */
AKT_API int akt_schedule_cron(akt_system *system, akt_pid to, akt_msg *msg, const char *expr,
                              unsigned flags, const akt_schedule_options *options, char *ref_out,
                              size_t ref_cap, size_t *err_col);

/* Pauses a schedule: it keeps its reference (listed, paused = 1) and does not fire until
 * resumed. Once this returned no fire of it is delivered. Pausing a paused one is 0.
 * AKT_EINVAL for NULL arguments, AKT_ENOTFOUND for an unknown reference. */
AKT_API int akt_schedule_pause(akt_system *system, const char *reference);

/* Resumes a paused schedule: an interval schedule fires at its next tick still to come
 * (its phase is kept), a once schedule at its deadline or at once if that has passed.
 * Resuming one that is not paused is 0. Errors as akt_schedule_pause. */
AKT_API int akt_schedule_resume(akt_system *system, const char *reference);

/* Cancels a schedule and releases its message; its reference is free again. Once this
 * returned no fire of it is delivered. Callable from any thread, also from a receive or an
 * event callback. Errors as akt_schedule_pause. */
AKT_API int akt_schedule_cancel(akt_system *system, const char *reference);

/* The kinds of schedules (akt_schedule_info.kind). */
#define AKT_SCHEDULE_ONCE 1  /* fires once, after a delay */
#define AKT_SCHEDULE_EVERY 2 /* fires every interval_ns */
#define AKT_SCHEDULE_CRON 3  /* fires at the times a cron expression names */

/* One scheduled task, as an akt_schedule_list_cb gets it (borrowed). */
typedef struct akt_schedule_info {
    size_t size;            /* sizeof(akt_schedule_info) as akt knows it */
    const char *reference;  /* borrowed for the call */
    akt_pid target;         /* the actor the message is told to */
    akt_pid sender;         /* the sender it is told with; id 0 for none */
    int kind;               /* AKT_SCHEDULE_* */
    int paused;             /* 1 while paused */
    int64_t interval_ns;    /* AKT_SCHEDULE_EVERY: the interval; else 0 */
    const char *expression; /* AKT_SCHEDULE_CRON: its expression, borrowed; else NULL */
    unsigned cron_flags;    /* AKT_SCHEDULE_CRON: its flags (AKT_CRON_UTC); else 0 */
} akt_schedule_info;

/* Called by akt_schedule_list once per schedule, on the calling thread, with info borrowed
 * for the call and the data given to akt_schedule_list. */
typedef void (*akt_schedule_list_cb)(const akt_schedule_info *info, void *data);

/* Calls cb for every schedule that has not ended (fired, if once; cancelled; or its
 * target gone), in the order they were created, from a snapshot taken first: cb may call
 * any akt function, including the akt_schedule_* ones. *count (optional) gets how many.
 * AKT_EINVAL for a NULL system or cb, AKT_ENOMEM if the snapshot could not be made. */
AKT_API int akt_schedule_list(akt_system *system, akt_schedule_list_cb cb, void *data,
                              size_t *count);

/* ===================================================================================== */
/* 15. Grains: virtual actors (akt >= 0.4)                                                */
/* ===================================================================================== */

/* A grain is an actor addressed by identity, kind + "/" + name, and never spawned by hand:
 * the first message to an identity activates it, an idle grain deactivates after its
 * kind's deactivate_after, and the next message activates it again, with fresh state.
 * There is never more than one activation of an identity at a time, however many threads
 * send its first messages. A message that races a deactivation is not lost: it reaches
 * the activation that follows. Activations are anonymous children of /user/$grains; a
 * grain that fails is stopped (not restarted) and its next message activates it again.
 * Kinds are registered by name per system, so that another process can activate them. */

/* The idle time after which a grain deactivates when akt_grain_kind_init set the default:
 * 2 minutes, as GoAkt's. */
#define AKT_GRAIN_DEACTIVATE_AFTER_DEFAULT_NS (120LL * 1000 * 1000 * 1000)

/* A kind of grain for akt_grain_kind_register; akt_grain_kind_init sets the defaults. */
typedef struct akt_grain_kind {
    size_t size; /* sizeof(akt_grain_kind) */
    /* Required: makes a new activation of the grain name (NUL-terminated, the part after
     * the kind). Sets *behavior (copied; its receive is required, pre_start, post_stop and
     * free_state are used as for akt_spawn, receive_batch is not) and *state (taken: freed
     * with behavior->free_state). Runs on the kind's dispatcher, on the activation's first
     * turn. A failure code fails the activation: it stops, its waiting messages become dead
     * letters, and the next message tries again. */
    int (*activate)(void *kind_data, const char *name, const akt_behavior **behavior, void **state);
    /* Optional: run on the grain's turn once activate (and the behaviour's pre_start)
     * succeeded, and when it deactivates (idle, stopped, failed, or the system stopping),
     * before the behaviour's post_stop. A failure code from on_activate fails the
     * activation as activate's does. */
    int (*on_activate)(akt_ctx *ctx, void *state, void *kind_data);
    void (*on_deactivate)(akt_ctx *ctx, void *state, void *kind_data); /* optional; see above */
    void *kind_data;                                                   /* passed to the callbacks */
    akt_free_fn free_kind_data; /* optional: frees kind_data when the system is freed */
    /* Idle time (no message received) before deactivation, in ns; 0 = long-lived (never
     * deactivates while the system runs). A deactivation is skipped while messages wait. */
    int64_t deactivate_after_ns;
    akt_dispatcher *dispatcher; /* NULL = the system's workers; must outlive the system */
    /* local begin: grain options (appended in 0.4, read by size: a def whose size ends
     * before them gets their defaults) */
    /* Every activation's mailbox (copied; NULL = an unbounded FIFO), as
     * akt_spawn_options.mailbox: a bounded one makes akt_grain_tell / akt_grain_ask fail
     * with AKT_EFULL when full (the caller keeps the message; GoAkt's ErrMailboxFull) or,
     * with AKT_MAILBOX_BLOCK, block a sender outside actors up to its timeout.
     * AKT_MAILBOX_DROP is refused (AKT_EINVAL): a grain refuses rather than drops. */
    const akt_mailbox_spec *mailbox;
    /* Dependencies of every activation, reachable with akt_ctx_dependency (GoAkt's
     * WithGrainDependencies): names copied (1..255 bytes, distinct), values borrowed (the
     * caller keeps them alive as long as the system). */
    const char *const *dependency_names;
    void *const *dependency_values; /* dependency_count values, one per name; borrowed */
    size_t dependency_count;        /* entries of both arrays; 0: none */
    /* Reentrancy of akt_ctx_request in an activation (AKT_REENTRANCY_*, GoAkt's
     * WithGrainReentrancy) and its most requests in flight (0 = no limit), as for spawn. */
    int reentrancy;
    uint32_t max_in_flight; /* requests in flight per activation (AKT_EBUSY beyond); 0 = no limit */
    /* local end */
} akt_grain_kind;

/* Fills def with the defaults (deactivate_after_ns AKT_GRAIN_DEACTIVATE_AFTER_DEFAULT_NS,
 * everything else NULL) and sets def->size. */
AKT_API int akt_grain_kind_init(akt_grain_kind *def);

/* Registers the kind of grain named kind (1..255 bytes, no '/'), def copied. kind_data is
 * taken on success (free_kind_data runs when the system is freed); on failure the caller
 * keeps it. AKT_EEXIST if kind is registered already, AKT_EINVAL for a bad kind or def
 * (no activate, negative deactivate_after_ns), AKT_ECLOSED during shutdown. */
AKT_API int akt_grain_kind_register(akt_system *system, const char *kind,
                                    const akt_grain_kind *def);

/* Sends msg (taken on success) to the grain kind/name (name: 1..1024 bytes), activating it
 * if it is not active. The sender is the calling actor, as for akt_tell. AKT_ENOTFOUND if
 * kind is not registered, AKT_EINVAL for a bad name or message, AKT_ECLOSED during
 * shutdown. */
AKT_API int akt_grain_tell(akt_system *system, const char *kind, const char *name, akt_msg *msg);

/* Asks the grain kind/name as akt_ask asks an actor (msg taken on success, timeout_ns >= 0,
 * 0 = none), activating it if it is not active. Errors as akt_grain_tell. */
AKT_API int akt_grain_ask(akt_system *system, const char *kind, const char *name, akt_msg *msg,
                          int64_t timeout_ns, akt_future **out);

/* streams begin: streams (akt/stream.h) */
/* Reactive streams are declared in <akt/stream.h>, which includes this header. */
/* streams end */
/* sched begin: scheduler */
/* sched end */
/* tls begin: remoting transport: TLS, compression, chunking */
/* tls end */
/* remote2 begin: remoting: flow control, remote watch/stop/spawn, serializers */
/* remote2 end */
/* serial begin: serializer registry (JSON, CBOR, protobuf, custom) */
/* serial end */
/* fault begin: fault tolerance: passivation, breaker, pipe_to, guardian */

/* ---- Circuit breaker (0.4) ----------------------------------------------------------- */
/* A breaker guards calls to something that may fail (a service, a task). Closed: calls go
 * through and their outcomes fill a sliding window of window_ns cut into window_buckets
 * buckets. Once the window holds at least min_requests outcomes and failures / outcomes >=
 * failure_rate, it opens: every akt_breaker_allow is refused with AKT_EBUSY (nothing may be
 * started) for open_timeout_ns. Then it is half-open: up to half_open_max_calls trial calls
 * are allowed; one failure opens it again, half_open_max_calls successes close it (with an
 * empty window). Every function is thread-safe (one short lock per breaker). */
#define AKT_BREAKER_CLOSED 0
#define AKT_BREAKER_OPEN 1      /* calls refused (AKT_EBUSY) until open_timeout_ns passed */
#define AKT_BREAKER_HALF_OPEN 2 /* up to half_open_max_calls trial calls allowed */

/* A circuit breaker: opaque, refcounted (akt_breaker_retain / akt_breaker_release). */
typedef struct akt_breaker akt_breaker;

/* Options of akt_breaker_create; akt_breaker_options_init sets the defaults. */
typedef struct akt_breaker_options {
    size_t size;                  /* sizeof(akt_breaker_options) */
    double failure_rate;          /* (0, 1]; default 0.5 */
    uint32_t min_requests;        /* >= 1; default 10 */
    int64_t open_timeout_ns;      /* > 0; default 30 s */
    int64_t window_ns;            /* > 0; default 60 s */
    uint32_t window_buckets;      /* 1..64, at most window_ns; default 12 */
    uint32_t half_open_max_calls; /* >= 1; default 1 */
    /* Optional clock, for tests: nanoseconds, never decreasing, from any thread (called
     * with the breaker's lock held: it must not call the breaker). NULL = the monotonic
     * clock. */
    int64_t (*clock)(void *data);
    void *clock_data; /* borrowed; must outlive the breaker */
} akt_breaker_options;

/* A snapshot of a breaker (akt_breaker_metrics): its state and its window's counts. */
typedef struct akt_breaker_metrics {
    size_t size;         /* sizeof(akt_breaker_metrics): set by the caller */
    int state;           /* AKT_BREAKER_* */
    uint64_t successes;  /* outcomes in the window */
    uint64_t failures;   /* outcomes in the window */
    double failure_rate; /* failures / (successes + failures); 0 when the window is empty */
    uint64_t rejected;   /* calls refused (open, or half-open and full) since creation */
} akt_breaker_metrics;

/* Fills options with the defaults (and sets options->size). AKT_EINVAL for NULL. */
AKT_API int akt_breaker_options_init(akt_breaker_options *options);
/* A ready-made clock for akt_breaker_options.clock, for tests and bindings' fake clocks:
 * returns the int64_t that data points to (read atomically, relaxed), 0 for NULL data. The
 * caller moves it forward (atomically: __atomic_store_n or a C11 atomic of the same size). */
AKT_API int64_t akt_breaker_manual_clock(void *data);
/* Creates a closed breaker (options may be NULL: the defaults); *out holds one reference,
 * given back with akt_breaker_release. AKT_EINVAL for an option out of range (see above),
 * AKT_ENOMEM. */
AKT_API int akt_breaker_create(const akt_breaker_options *options, akt_breaker **out);
/* References: a breaker lives until its last reference is released (a pipe_to holds one
 * while its task runs). AKT_EINVAL for NULL. */
AKT_API int akt_breaker_retain(akt_breaker *breaker);
AKT_API int akt_breaker_release(akt_breaker *breaker);
/* Asks to start one call: 0 means go, and the caller must then report the outcome with
 * akt_breaker_record exactly once; AKT_EBUSY means the breaker is open (or half-open with
 * every trial taken): do not start the call. AKT_EINVAL for NULL. */
AKT_API int akt_breaker_allow(akt_breaker *breaker);
/* Reports the outcome of a call akt_breaker_allow let through: success != 0 a success,
 * 0 a failure. An outcome reported while open (a call started before the trip) does not
 * count. AKT_EINVAL for NULL. */
AKT_API int akt_breaker_record(akt_breaker *breaker, int success);
/* The state now (AKT_BREAKER_*; an open breaker whose timeout passed reads half-open). */
AKT_API int akt_breaker_state(akt_breaker *breaker, int *state);
/* A snapshot of the metrics; metrics->size must be set (fields beyond it are not
 * written). AKT_EINVAL for NULL or a size smaller than the state field's end. */
AKT_API int akt_breaker_metrics_get(akt_breaker *breaker, akt_breaker_metrics *metrics);

/* ---- Passivation (0.4) ------------------------------------------------------------------ */
/* Passivation stops an actor that is no longer needed, as a stop would (children first,
 * post_stop, an AKT_EVENT_ACTOR_PASSIVATED event, then AKT_EVENT_ACTOR_STOPPED). It only
 * ever stops an idle actor, on its own turn: never in the middle of a message, and never
 * while user messages wait in its mailbox (a message that came in before the check, even
 * at the deadline itself, is handled and the actor lives on), while it holds stashed
 * messages, has requests in flight, or is suspended or waiting for a restart. A message
 * that arrives after the check finds a stopping actor: it is a dead letter, as for any
 * stop. Strategies:
 *   NEVER     long-lived (the default of every actor)
 *   IDLE      after idle_ns without a message: checked on the system's timer thread, one
 *             timer entry per actor (no thread, no kernel timer), reset lazily: the check
 *             comes idle_ns after the last check that saw the actor busy, so an actor is
 *             passivated between idle_ns and 2 * idle_ns after its last message
 *   MESSAGES  once it handled `messages` messages (counted from the incarnation's start),
 *             at the end of the turn that reached the count, if its mailbox is empty then
 *             (else at the end of the first later turn that leaves it empty).
 * Off by default, and no system default either unless akt_system_set_passivation set one
 * (GoAkt passivates every actor after 2 idle minutes). */
#define AKT_PASSIVATE_NEVER 0
#define AKT_PASSIVATE_IDLE 1     /* after idle_ns without a message */
#define AKT_PASSIVATE_MESSAGES 2 /* once it handled `messages` messages */

/* A passivation strategy (akt_passivation_set, akt_system_set_passivation). */
typedef struct akt_passivation {
    size_t size;       /* sizeof(akt_passivation) */
    int strategy;      /* AKT_PASSIVATE_* */
    int64_t idle_ns;   /* IDLE: > 0, at most 2^62 - 1 */
    uint64_t messages; /* MESSAGES: >= 1, at most 2^62 - 1 */
} akt_passivation;

/* Gives the live actor pid a strategy (replacing the one it had; NEVER ends it).
 * Asynchronous: it takes effect on the actor's next turn, before any user message of that
 * turn (so right after a spawn, before its first message). AKT_EINVAL for NULL, a bad
 * strategy or a value out of range, AKT_ENOTFOUND if pid is not live, AKT_ENOMEM. */
AKT_API int akt_passivation_set(akt_system *system, akt_pid pid, const akt_passivation *p);
/* The system's default strategy, given to every actor spawned afterwards (top-level actors
 * and children, not akt's own actors nor their children: grains keep their own timers).
 * NULL or NEVER: none (the default). Errors as akt_passivation_set, AKT_ECLOSED after the
 * shutdown began. */
AKT_API int akt_system_set_passivation(akt_system *system, const akt_passivation *p);

/* ---- PipeTo (0.4) ------------------------------------------------------------------------ */
/* Runs a task off the actor and delivers its result to an actor as an ordinary message,
 * with the piping actor as sender (GoAkt's PipeTo). The task runs on one of the system's
 * pipe threads (never on the actor's turn; they run the thread hooks with index -3). The pool
 * grows on demand: a task queued while no pipe thread is idle starts one more, up to
 * akt_system_options.pipe_threads (and shrinks: an idle thread exits after
 * akt_system_options.pipe_keepalive_ns, down to pipe_min_threads), so a task that blocks holds up
 * only its own thread and unrelated pipes go on, until every thread is taken; tasks beyond the
 * threads wait in order, at most akt_system_options.pipe_queue of them (then AKT_EFULL). Whatever
 * does not arrive is a dead letter (AKT_EVENT_DEAD_LETTER, pid = the target, sender = the
 * piping actor) with a reason:
 *   "pipe_to: task failed"      the task returned an error (code: that error; msg NULL)
 *   "pipe_to: timed out"        timeout_ns passed first (code AKT_ETIMEDOUT; msg NULL); a
 *                               result that comes later is released
 *   "pipe_to: target gone"      the target was not live at completion (msg: the result)
 *   "pipe_to: shut down"        the system shut down before the task ran (msg NULL)
 * With a breaker, an open breaker refuses the pipe (AKT_EBUSY, no task) and the outcome
 * (success, failure, timeout as a failure) is recorded once. */
#define AKT_PIPE_THREADS 4 /* the fixed pool of akt < 0.4, kept for source compatibility */
/* ft begin: */
#define AKT_PIPE_THREADS_DEFAULT 64  /* akt_system_options.pipe_threads 0 */
#define AKT_PIPE_QUEUE_DEFAULT 65536 /* akt_system_options.pipe_queue 0 */
/* akt_system_options.pipe_keepalive_ns 0: an idle pipe thread exits after 60 s */
#define AKT_PIPE_KEEPALIVE_DEFAULT_NS 60000000000LL
/* ft end */

/* The task: runs on a pipe thread; returns 0 and *result (taken by akt), or an error code
 * (then *result is ignored). It may block (it holds one pipe thread meanwhile) and may call
 * any akt function but akt_system_wait; a shutdown waits for the tasks running. */
typedef int (*akt_pipe_fn)(void *data, akt_msg **result);

/* Options of akt_ctx_pipe_to and its variants; akt_pipe_options_init sets the defaults. */
typedef struct akt_pipe_options {
    size_t size;                   /* sizeof(akt_pipe_options) */
    int64_t timeout_ns;            /* 0 = none; > 0: a dead letter if the task is not done */
    akt_breaker *breaker;          /* optional; a reference is held while the task runs */
    void (*free_data)(void *data); /* optional: called once, after the task ran or when it
                                      will never run (shutdown); not on a refused pipe */
} akt_pipe_options;

/* Fills options with the defaults (and sets options->size). AKT_EINVAL for NULL. */
AKT_API int akt_pipe_options_init(akt_pipe_options *options);
/* Pipes fn(data)'s result to `to` (self included). 0: the task is queued and data is taken
 * (see free_data). AKT_EBUSY: the breaker is open, nothing started, data not taken.
 * AKT_EFULL: pipe_queue tasks already wait for a thread; nothing started (the breaker is not
 * asked), data not taken.
 * AKT_EINVAL for NULL fn or ctx, a negative timeout or bad options, AKT_EMISUSE outside the
 * actor's callbacks, AKT_ECLOSED during shutdown, AKT_ENOMEM. */
AKT_API int akt_ctx_pipe_to(akt_ctx *ctx, akt_pid to, akt_pipe_fn fn, void *data,
                            const akt_pipe_options *options);
/* As akt_ctx_pipe_to, to the actor at path (as akt_lookup reads it), looked up when the task
 * completes (an actor respawned under that name meanwhile gets the result). path is copied;
 * AKT_EINVAL for a NULL or empty path. */
AKT_API int akt_ctx_pipe_to_name(akt_ctx *ctx, const char *path, akt_pipe_fn fn, void *data,
                                 const akt_pipe_options *options);

/* A pipe whose task runs elsewhere (a binding's Promise, CompletionStage or future): the
 * same delivery, timeout, breaker and dead letters, but the caller completes it. */
typedef struct akt_pipe akt_pipe;
/* Starts a pipe to `to`, or to path (looked up at completion) when path is not NULL;
 * options->free_data is not used. *out must be completed exactly once with
 * akt_pipe_complete, before the system's last release. Errors as akt_ctx_pipe_to
 * (AKT_EINVAL for NULL out or an empty path). */
AKT_API int akt_ctx_pipe_start(akt_ctx *ctx, akt_pid to, const char *path,
                               const akt_pipe_options *options, akt_pipe **out);
/* Completes a pipe from any thread: rc 0 and result (taken) is delivered; rc < 0 is the
 * task's failure (result, if any, is released). pipe is gone afterwards. AKT_EINVAL for NULL
 * pipe, rc > 0, or rc 0 without a result (nothing done: complete it again correctly). */
AKT_API int akt_pipe_complete(akt_pipe *pipe, int rc, akt_msg *result);

/* ---- The guardian's policy (0.4) ------------------------------------------------------- */
/* What a top-level actor's escalation (AKT_DIRECTIVE_ESCALATE chosen by the system's
 * supervisor, akt_system_options.supervisor) does. STOP_ACTOR (the default): the actor
 * stops, the system goes on. SHUTDOWN: the actor stops and the whole system shuts down, as
 * akt_system_shutdown(system, cb, data) would, with the cb and data given with the policy
 * (a shutdown already under way keeps its own callback; cb is then not called). A failure
 * of a top-level actor that is not escalated never shuts the system down. */
#define AKT_GUARDIAN_STOP_ACTOR 0
#define AKT_GUARDIAN_SHUTDOWN 1 /* the actor stops and the system shuts down */

/* Sets the policy (AKT_GUARDIAN_*) for escalations from now on; callable from any thread.
 * cb (may be NULL) and data: the shutdown callback of SHUTDOWN (ignored with STOP_ACTOR);
 * data is borrowed and must stay valid until cb ran or the system is freed. AKT_EINVAL for
 * NULL or an unknown policy, AKT_ECLOSED once the system is shutting down. */
AKT_API int akt_system_set_guardian_policy(akt_system *system, int policy, akt_shutdown_cb cb,
                                           void *data);
/* fault end */
/* async begin: async receive */
/* Async receive: a message kept past receive's return. Inside receive (or receive_batch)
 * the actor calls akt_ctx_suspend: when the callback returns 0 the message is not finished
 * but held, its asker still waiting. Code on any thread later runs a step of it on the
 * actor's own turn with akt_suspension_post: the step's ctx is that message's (respond,
 * sender, forward, fail, request, stash as in receive), and when the step returns the
 * message is finished, unless the step suspended it again (the same handle). A step that
 * returns an error fails the message as receive would: its asker gets the failure, the
 * supervisor decides. Steps never run concurrently with receive or with each other.
 * What the actor does meanwhile is the suspension's mode:
 *   OFF, STASH  no other user message starts until the message is finished (one at a
 *               time, in order); system messages, request answers and posted steps come
 *   ALLOW_ALL   the next messages start at once (several may be suspended together)
 * A stop or a restart ends every suspension: the message's asker gets AKT_ESTOPPED (stop)
 * or AKT_ECANCELED (restart), and steps posted to it get drop(data) instead of running. A
 * graceful stop (a poison pill, a user message) waits behind a holding suspension like any
 * message, until its timeout stops the actor. */
typedef struct akt_suspension {
    akt_pid actor; /* the actor holding the message */
    uint64_t id;   /* never reused in the process; 0 names nothing */
} akt_suspension;

/* A step of a suspended message, on its actor's turn. ctx as in receive for that message. */
typedef int (*akt_resume_fn)(akt_ctx *ctx, void *data);

/* Keeps the message being received once this callback returns 0 (see above); *out names it
 * (the same handle when called again for the same message). mode: AKT_REENTRANCY_* (DEFAULT
 * = the actor's mode). AKT_EMISUSE outside a callback that has a user message (pre_start,
 * a request's continuation), AKT_EINVAL for a bad mode or a NULL out. */
AKT_API int akt_ctx_suspend(akt_ctx *ctx, int mode, akt_suspension *out);

/* From any thread: queues fn(ctx, data) to run on the actor's turn for the suspended message
 * named by s. 0: it either runs, or (the message was finished meanwhile, or the actor stopped
 * or restarted) drop(data) runs instead (drop may be NULL), on some akt or caller thread; on
 * any error the caller keeps data. AKT_EINVAL for a NULL system or fn or a zero id,
 * AKT_ENOTFOUND for an actor this system never had, AKT_ECLOSED once the system's shutdown
 * completed, AKT_ENOMEM. */
AKT_API int akt_suspension_post(akt_system *system, akt_suspension s, akt_resume_fn fn,
                                void (*drop)(void *data), void *data);
/* async end */
/* users begin: users: testkit, ask accessors */

/* Waits up to timeout_ns (< 0: no limit; 0: just look) until the actor pid is past its
 * start: its pre_start has run (or it had none, or it stopped first). 0 then, and also for
 * a pid that names no live actor; AKT_ETIMEDOUT if it is still starting; AKT_EMISUSE when
 * called with a timeout on the thread running the actor's dispatcher (its start needs that
 * thread: run the dispatcher instead, polling with timeout 0); AKT_EINVAL for a NULL
 * system or the null pid. Any thread. Since 0.4. */
AKT_API int akt_await_started(akt_system *system, akt_pid pid, int64_t timeout_ns);

/* Whom an ask was sent to and with what, for naming a failed ask the way the bindings do
 * ("ask of akt://app/user/bank with shop.Withdraw: timed out"): *pid (optional) gets the
 * actor asked (akt_pid_path names it while it lives), *type (optional) the type name of the
 * message asked with, borrowed: valid while the caller holds its reference to the future
 * (NULL for a future that no message made: akt_stop_graceful's). Any thread, pending or
 * complete; also inside the future's own completion callback. AKT_EINVAL for a NULL,
 * released or foreign future, or both outputs NULL. Since 0.4. */
AKT_API int akt_future_target(akt_future *future, akt_pid *pid, const char **type);
/* users end */
/* values begin: who reads an actor's messages (issue 17) */

/* The function that reads the messages of the actor pid: *receive gets its behaviour's
 * receive (as spawned; akt_ctx_become does not change it), so that a binding can tell its
 * own actors (which take its objects by reference) from a C actor or another binding's
 * (which read bytes, akt_msg_bytes) and refuse at the sender a value that has no bytes,
 * rather than deliver a message its reader cannot read. *receive gets NULL for akt's own
 * actors that pass messages on without reading them: routers, the topics actor, grain and
 * remote-spawn shells, stream segments and remote pids (a remote pid follows the
 * serializer rules: akt_tell refuses what can cross neither way). Any thread, lock-free,
 * no allocation. AKT_EINVAL if system or receive is NULL; AKT_ENOTFOUND if pid is not a
 * live actor of system (*receive untouched). Since 0.4. */
AKT_API int akt_pid_receive(akt_system *system, akt_pid pid, akt_receive_fn *receive);

/* Who reads the answer of an ask (issue 17). Every future records it: a plain akt_ask or
 * akt_ask_batch made outside any actor is read by C code (it reads bytes, akt_msg_bytes);
 * one made from inside an actor's callback (akt_ctx_ask too) by that actor, which its
 * sender pid names. A binding, whose asks are read by its own code (objects by reference),
 * asks with the calls below instead, naming its reader: the akt_receive_fn of its actors'
 * behaviour (the value akt_pid_receive gives for them), so that its own actors may answer
 * it with objects while a plain C caller gets only answers it can read. */

/* akt_ask whose answer reader reads (required: AKT_EINVAL if NULL; otherwise every error
 * and the implicit sender as akt_ask's). Costs akt_ask one store. Since 0.4. */
AKT_API int akt_ask_as(akt_system *system, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                       akt_receive_fn reader, akt_future **out);
/* An ask and a wait for its answer in one call, for callers that block on the answer (as
 * akt_ask then akt_future_wait(*future, wait_ns, reply)): the ask's errors are akt_ask's,
 * with *future NULL and msg still the caller's; otherwise *future gets the handle (release
 * it), whatever the wait returns, and the wait's result is returned (AKT_EAGAIN: still
 * pending after wait_ns; wait on *future again). reader names the answer's reader as
 * akt_ask_as; NULL: akt_ask's. AKT_EINVAL if future is NULL.
 * Faster than the two calls from a plain thread when the target is idle: the ask does not
 * wake a worker for the target but runs its turn on the calling thread, which then reads
 * the answer from its own cache (a worker is woken if the turn cannot run there, and
 * when wait_ns is 0). Since 0.4. */
AKT_API int akt_ask_wait(akt_system *system, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                         akt_receive_fn reader, int64_t wait_ns, akt_future **future,
                         akt_msg **reply);
/* akt_ask_batch whose answers reader reads (required, as akt_ask_as). Since 0.4. */
AKT_API int akt_ask_batch_as(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n,
                             int64_t timeout_ns, akt_receive_fn reader, akt_future **futures);
struct akt_grain_options; /* section 16 (local) */
/* akt_grain_ask_with whose answer reader reads (required, as akt_ask_as). Since 0.4. */
AKT_API int akt_grain_ask_as(akt_system *system, const char *kind, const char *name, akt_msg *msg,
                             int64_t timeout_ns, const struct akt_grain_options *options,
                             akt_receive_fn reader, akt_future **out);

/* The reader of whoever akt_ctx_respond would answer, for a binding's respond to judge its
 * value as for a tell to that reader (akt_pid_receive): *out gets the reader an ask
 * recorded (akt_ask_as's; for a plain akt_ask from outside actors a function of akt's that
 * stands for C code: compare it, never call it), else, for a message an actor sent (told,
 * or asked from inside its callbacks), that actor's receive as akt_pid_receive gives it
 * (NULL for akt's relays); NULL for an ask akt itself made on another's behalf (a remote
 * node's asker: remoting has its serializer rules). AKT_ENOTFOUND when nobody would get the
 * reply: a message told from outside any actor, or a sender that is gone. AKT_EMISUSE
 * outside receive (as akt_ctx_respond) and for a ctx that is not current; AKT_EINVAL if ctx
 * or out is NULL. *out untouched on failure. Lock-free, no allocation. Since 0.4. */
AKT_API int akt_ctx_asker_reader(akt_ctx *ctx, akt_receive_fn *out);
/* values end */
/* local begin: routers/mailboxes/propagation */

/* ---- Grain options per activation (0.4) ------------------------------------------------ */
/* Options a sender gives for the activation its message may make (GoAkt's GrainIdentity
 * options): each field overrides the kind's (akt_grain_kind) for that activation only, and
 * is kept for the identity's life in that activation (also by an activation made in place
 * after a deactivation that a message raced). A message to a grain that is active already
 * leaves its options as they are. akt_grain_options_init sets every field to "the kind's".
 * Checked on every send, active grain or not: AKT_EINVAL as for akt_grain_kind_register. */
#define AKT_GRAIN_FROM_KIND (-1) /* a field's "the kind's" value */
/* The options of one grain activation (above); set by akt_grain_options_init, then the
 * fields to override. */
typedef struct akt_grain_options {
    size_t size;                 /* sizeof(akt_grain_options) */
    int64_t deactivate_after_ns; /* AKT_GRAIN_FROM_KIND, 0 = long-lived, or > 0 */
    /* NULL = the kind's; else as akt_grain_kind.mailbox (copied at the activation). */
    const akt_mailbox_spec *mailbox;
    /* dependency_count 0 = the kind's; else these replace them (names copied, values
     * borrowed for as long as the system), as akt_grain_kind's. */
    const char *const *dependency_names;
    /* The dependencies' values, dependency_count of them, in dependency_names' order. */
    void *const *dependency_values;
    /* How many dependencies the two arrays hold; 0 keeps the kind's. */
    size_t dependency_count;
    int reentrancy;        /* AKT_GRAIN_FROM_KIND or an AKT_REENTRANCY_* */
    int64_t max_in_flight; /* AKT_GRAIN_FROM_KIND, 0 = no limit, or 1..UINT32_MAX */
} akt_grain_options;

/* Fills options with "the kind's" everywhere and sets options->size. AKT_EINVAL for NULL. */
AKT_API int akt_grain_options_init(akt_grain_options *options);
/* akt_grain_tell / akt_grain_ask with options for the activation the message makes
 * (options NULL: as without). Errors as theirs, AKT_EINVAL for bad options. */
AKT_API int akt_grain_tell_with(akt_system *system, const char *kind, const char *name,
                                akt_msg *msg, const akt_grain_options *options);
/* akt_grain_ask with options for the activation the ask makes (options NULL: as without):
 * *out gets the reply's future; errors as akt_grain_ask's (the message stays the caller's
 * on an error), AKT_EINVAL for bad options. */
AKT_API int akt_grain_ask_with(akt_system *system, const char *kind, const char *name, akt_msg *msg,
                               int64_t timeout_ns, const akt_grain_options *options,
                               akt_future **out);
/* local end */
/* tracing begin: tracing */
/* tracing end */
/* perf begin: typed messages (akt_type) */

/* ---- Typed messages (0.4) ------------------------------------------------------------ */
/* An interned message type: a name registered once (by any system of the process) gets a
 * handle and a small id, dense from 1 and stable for the life of the process (types are
 * never unregistered; at most 4,095). A message made with the handle stores the id, not a
 * copy of the name: no strlen, no copy per message, a smaller block. The name stays the
 * message's identity: akt_msg_type gives it for every message, remoting and the bindings
 * see the same name as for akt_msg_new_bytes. A receive can branch on akt_msg_type_id (an
 * integer compare or a table indexed by id) instead of comparing strings:
 *     const akt_type *ORDER; akt_type_register(sys, "shop.Order", &ORDER);   (once)
 *     akt_msg_new_typed(ORDER, &order, sizeof order, AKT_COPY, &m);          (per send)
 *     if (akt_msg_type_id(msg) == akt_type_id(ORDER)) akt_msg_read(msg, &o, sizeof o);
 * A message made from a name that is registered has that type's id too: a message from
 * a remote node or a binding made by name compares equal to one made with the handle. */
typedef struct akt_type akt_type;

/* Registers name (1..255 bytes, as akt_msg_new_bytes' type) and gives its handle in *out;
 * registering a name again gives the same handle. Any thread. AKT_EINVAL for a NULL system
 * or out or a bad name, AKT_EFULL once 4,095 types exist, AKT_ENOMEM. */
AKT_API int akt_type_register(akt_system *system, const char *name, const akt_type **out);
/* The handle of a registered name: 0, or AKT_ENOTFOUND if it was never registered,
 * AKT_EINVAL for a bad name or a NULL out. */
AKT_API int akt_type_lookup(const char *name, const akt_type **out);
/* The type's id (1..4095); 0 for NULL or not a handle. */
AKT_API uint32_t akt_type_id(const akt_type *type);
/* The type's name (static for the process's life); NULL for NULL or not a handle. */
AKT_API const char *akt_type_name(const akt_type *type);

/* New bytes message of a registered type: as akt_msg_new_bytes with type's name, without
 * copying it. A signal is a message without payload (data NULL, len 0): one pooled block,
 * no heap allocation. With AKT_COPY a payload of up to 32 bytes shares the message's
 * pooled block (128 bytes in all). AKT_EINVAL for a bad handle, out or data/len. */
AKT_API int akt_msg_new_typed(const akt_type *type, const void *data, size_t len,
                              akt_free_fn free_fn, akt_msg **out);
/* New object message of a registered type: as akt_msg_new_object with type's name. */
AKT_API int akt_msg_new_typed_object(const akt_type *type, void *object, const akt_object_ops *ops,
                                     akt_msg **out);
/* The id of msg's type: the handle's it was made with, else the registered type of its
 * name, else 0 (a name nobody registered; also for NULL or a released message). Lock-free,
 * any thread. */
AKT_API uint32_t akt_msg_type_id(const akt_msg *msg);
/* Reads a fixed-size payload: copies exactly len bytes of msg's bytes into dst. AKT_ETYPE
 * if the payload is not len bytes long (nothing copied), AKT_EINVAL for a bad message or
 * a NULL dst with len > 0, else as akt_msg_bytes (an object message's bytes are made). */
AKT_API int akt_msg_read(akt_msg *msg, void *dst, size_t len);
/* perf end */

#ifdef __cplusplus
}
#endif

#endif /* AKT_AKT_H */
