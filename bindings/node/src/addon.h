/* The Node-API layer of akt: shared types of the addon's files.
 *
 * Everything that touches JavaScript runs on the JS thread. akt calls the addon from its own
 * threads (dispatcher notify, future completions, events, shutdown); those calls only queue
 * an item in the instance's inbox and wake the JS thread, which drains the inbox and runs
 * the external dispatchers in one batch per wake-up (pump.c). The binding's messages are
 * released there too: their ops name the system's dispatcher as release_on, so akt queues
 * a release made elsewhere and runs it at the start of the next akt_dispatcher_run. */
#ifndef AKT_NODE_ADDON_H
#define AKT_NODE_ADDON_H

#define NAPI_VERSION 8
#include <akt/akt.h>
#include <node_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* Type names of the messages the binding makes from JS values. */
#define AN_TYPE_OBJECT "akt.js.Value"  /* any JS value passed by reference (JS to JS) */
#define AN_TYPE_STRING AKT_TYPE_STRING /* UTF-8 text */
#define AN_TYPE_BYTES AKT_TYPE_BYTES   /* raw bytes (Buffer, Uint8Array, ...) */
#define AN_TYPE_JSON AKT_TYPE_JSON     /* JSON text of a JS value sent to a non-JS actor */

typedef struct an_inst an_inst;
typedef struct an_sys an_sys;

/* The memory shared with JS: one ArrayBuffer made by init(). This is its only definition:
 * the addon exports the offsets, lengths and indices below as `layout` when it loads
 * (pump.c), and lib/shared.cjs builds its views and names its indices from that. */
enum an_flag {
    AN_FLAG_PUMP,   /* != 0: JS should schedule a pump soon */
    AN_FLAG_NFREED, /* entries in freed[] */
    AN_FLAG_FAILED, /* != 0: the JS callback just called failed (its result is the reason) */
    AN_FLAGS_LEN = 4
};
enum an_scratch {
    AN_SCR_PID = 0,       /* [0..1] a pid returned (lo = index, hi = generation), or the
                           * receiver of fastTell */
    AN_SCR_PID2 = 2,      /* [2..3] a second pid: Terminated's */
    AN_SCR_TELL_SLOT = 2, /* fastTell's value slot */
    AN_SCR_ACTOR = 4,     /* the actor id of a callback */
    AN_SCR_MSG = 5,       /* the slot of its message or -1; after next(): a slot or AN_NEXT_* */
    AN_SCRATCH_LEN = 8
};
/* Kinds of the message next() pulled, in scratch[AN_SCR_MSG] next to value-table slots. */
enum an_next {
    AN_NEXT_VALUE = -1, /* the value is next()'s result */
    AN_NEXT_END = -2,   /* the run is over */
    AN_NEXT_TYPED = -3  /* the result is bytes (or undefined) to decode by ctxMessageType() */
};
#define AN_FREED_CAP 16384 /* entries of the freed[] stack */
typedef struct an_shared {
    int32_t flags[AN_FLAGS_LEN];
    uint32_t scratch[AN_SCRATCH_LEN]; /* JS also reads it as int32 (ints) */
    int32_t freed[AN_FREED_CAP];      /* value slots released on the JS thread, for JS */
} an_shared;

/* One item queued by an akt thread for the JS thread. */
enum an_item_kind { AN_ITEM_ASK, AN_ITEM_EVENT, AN_ITEM_SHUTDOWN, AN_ITEM_FREED, AN_ITEM_SPAN };
typedef struct an_item {
    int kind;
    void *ptr; /* an an_ask, an_evt, an_sys or an_actor, by kind */
} an_item;

/* Per Node environment (main thread or a worker thread). */
struct an_inst {
    napi_env env;
    pthread_t js_thread;
    int closing; /* the environment is being torn down: callbacks do nothing */

    /* JS hooks installed by lib/actor.cjs. */
    napi_ref deliver, pre_start, post_stop, freed, make_error, decode, pump, json, put, get, settle;
    napi_ref step;           /* lib/actor.cjs's step(): a step of an async receive (requestInfo) */
    napi_ref grain_activate; /* lib/grain.cjs's activate(kindId, name) -> cell id, or NULL */
    napi_value deliver_fn;   /* deliver, resolved once per pump (valid during the pump) */
    /* The memory shared with JS (an_shared, above), NULL before init(). */
    napi_ref shared_ref;
    an_shared *shm;
    int32_t *freed_more; /* overflow of freed[], moved in by the next pump */
    size_t freed_more_len, freed_more_cap;

    /* Waking the JS thread. */
    napi_threadsafe_function tsfn;
    atomic_int wake_pending; /* a wake-up is on its way: further ones are redundant */
    int alive;               /* pending asks and shutdowns: the loop is kept alive while > 0 */

    pthread_mutex_t inbox_lock;
    an_item *inbox;
    size_t inbox_len, inbox_cap;
    atomic_int inbox_nonempty;

    an_sys *systems; /* every system created here, linked */

    /* The current callback (receive, pre_start, post_stop), or NULL; its message is
     * akt_ctx_message's. */
    akt_ctx *cur_ctx;
    an_sys *cur_sys;            /* the system of cur_ctx's actor */
    struct an_actor *cur_actor; /* cur_ctx's actor */
    int32_t req_id, req_rc;     /* the request a settle call is about (requestInfo) */
    int in_run;

    /* Counters for tests and tuning (JS thread only, except wakeups: atomic). */
    atomic_long stat_wakeups;                  /* threadsafe-function calls made by other threads */
    long stat_pumps, stat_received, stat_runs; /* runs: calls into JS for user messages */
    long stat_released;                        /* the binding's messages released */
    /* Releases that ran on another thread (release_on makes them none; they leak their slot).
     * relaxed: a statistic, read on the JS thread at leisure. */
    atomic_long stat_released_elsewhere;
};

struct an_sys {
    an_inst *inst;
    akt_system *sys;
    akt_dispatcher *disp;
    /* Object messages made for this system: ops_slot's object is a slot of lib/values.cjs's
     * table + 1 (a JS value passed by reference, JS to JS); ops_val's an an_val that also
     * carries bytes made on the JS thread (strings, buffers, JSON for other languages). The
     * ops addresses are the owner tags akt checks; release_on is disp, so every release runs
     * on the JS thread; they live until the system is freed (sys_finalize). */
    akt_object_ops ops_slot;
    akt_object_ops ops_val;
    /* Extensions given at creation: a JS array of their values; akt holds index + 1 as each
     * one's pointer (primitives cannot be referenced one by one). */
    napi_ref ext_values;
    napi_deferred shutdown_deferred;
    napi_ref shutdown_promise; /* its promise, shared by shutdown() and a guardian shutdown */
    int shut_down;             /* shutdown completed */
    int shutting_down;         /* akt_system_shutdown was called */
    int guardian_shutdown;     /* the guardian's policy may shut the system down */
    an_sys *next;
    /* local begin: */
    napi_ref propagator; /* the user's inject(headers) (lib/system.cjs's guard), or NULL */
    /* Dependency sets given per grain activation (grainDeps), kept until the system is
     * freed: akt borrows their values for the system's life. */
    struct an_grain_deps *grain_deps;
    /* local end */
};

/* The state akt keeps for one JS actor. */
typedef struct an_actor {
    an_inst *inst;
    an_sys *sys;
    int32_t id;         /* index of the actor's cell in lib/actor.cjs */
    akt_supervisor sup; /* strategy for its children */
    napi_ref decider;   /* optional JS decide(code, reason) */
    napi_ref *deps;     /* dependency values, handed to akt as the pointers */
    char **dep_names;
    size_t ndeps;
    napi_ref compare; /* a priority mailbox's order: lib/actor.cjs's guarded compare(a, b) */
} an_actor;

/* ---- instance, wake-up and pump (pump.c) ---- */
an_inst *an_inst_of(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv);
int an_on_js_thread(const an_inst *I);
void an_wake(an_inst *I);
void an_inbox_push(an_inst *I, int kind, void *ptr);
void an_alive_add(an_inst *I, int delta);
void an_notify(void *data);

/* ---- errors (errors.c) ---- */
/* Throws the JS error for an akt code (an AktError subclass); returns NULL for convenience. */
napi_value an_throw(napi_env env, an_inst *I, int rc);
/* Reads [strategy, maxRetries, withinNs] (checked by the JS side) into sup; 0 if malformed. */
int an_sup_budget(napi_env env, napi_value arr, akt_supervisor *sup);
napi_value an_make_error(napi_env env, an_inst *I, int rc);
/* The same with a detail appended to the message. */
napi_value an_throw_msg(napi_env env, an_inst *I, int rc, const char *detail);
napi_value an_make_error_msg(napi_env env, an_inst *I, int rc, const char *detail);
/* Checks a Node-API status; on failure throws a plain error and returns 0. */
int an_ok(napi_env env, napi_status st);

/* ---- values and messages (values.c) ---- */
/* Sets s's object ops (release_on: its dispatcher, made before). */
void an_values_init(an_sys *s);
/* Makes a message from a JS value, to be sent in system s. type may be NULL (a default by
 * kind). by_ref != 0 allows passing JS objects by reference; otherwise they are
 * JSON-encoded for another language. AN_BY_REF_AND_BYTES: both (an answer whose asker may
 * be on another node). */
#define AN_BY_REF_AND_BYTES 2
int an_msg_from_js(an_sys *s, napi_env env, napi_value v, const char *type, int by_ref,
                   akt_msg **out);
/* Whether msg is a JS value by reference of one of this instance's systems. */
int an_msg_is_js_value(an_inst *I, akt_msg *msg);
/* The JS value of a message. A JS value by reference gives its slot (*slot >= 0) and NULL.
 * For messages that are not JS objects, *type gets the type name (JS decodes the value by
 * it) and the value is a Buffer, or undefined for Terminated (pid in scratch[AN_SCR_PID2]). */
napi_value an_msg_to_js(an_inst *I, napi_env env, akt_msg *msg, napi_value *type, int32_t *slot);
/* The decoded JS value (lib decode hook applied to non-object messages). */
/* The decoded JS value of a message. A decoder that throws (a malformed akt.Int64, ...):
 * with thrown, NULL and *thrown = the exception; without, the raw Buffer. */
napi_value an_msg_to_js_decoded(an_inst *I, napi_env env, akt_msg *msg, napi_value *thrown);
void an_slot_release_now(an_inst *I, int32_t slot);
/* Moves overflowed slot releases into the shared freed[] stack. */
void an_slots_flush(an_inst *I);
/* A message from a value slot JS already filled; the slot is consumed either way. */
int an_msg_from_slot(an_sys *s, napi_env env, int32_t slot, const char *type, int by_ref,
                     akt_msg **out);
/* Gives back the slot v of a slot send (is_slot) that failed before its message was made. */
void an_slot_drop(an_inst *I, napi_env env, napi_value v, int is_slot);
/* Reads an optional string argument into buf; returns buf, NULL if undefined/null, or
 * (char *)-1 after throwing for a bad value. */
char *an_opt_string(an_inst *I, napi_env env, napi_value v, char *buf, size_t len);
/* Dependencies from JS (an array of names, an array of boxed values) into a names array and
 * a reference per value, allocated here: 1 done (also for no dependencies), 0 failed, with
 * *ndeps counting what was made so the owner's free releases it. */
int an_read_deps(an_inst *I, napi_env env, napi_value names, napi_value values, napi_ref **deps,
                 char ***dep_names, size_t *ndeps);
/* A string argument of 1..max bytes without NUL into buf (len >= max + 2): buf, or NULL
 * after throwing AKT_EINVAL with what. */
char *an_bounded_string(an_inst *I, napi_env env, napi_value v, char *buf, size_t len, size_t max,
                        const char *what);
/* A message for receivers that may run in another runtime (topics, routers, grains): the
 * value's canonical bytes, typed by type_v (undefined or null: the value's own type).
 * 0, or -1 after throwing. */
int an_foreign_msg(an_inst *I, an_sys *s, napi_env env, napi_value value, napi_value type_v,
                   akt_msg **out);
int an_get_pid(an_inst *I, napi_env env, napi_value lo, napi_value hi, akt_pid *out);
/* Writes pid to scratch[at], [at + 1] (AN_SCR_PID or AN_SCR_PID2). */
void an_put_pid(an_inst *I, int at, akt_pid pid);

/* ---- sending (send.c) ---- */
/* The message of a send: a JS value, or (is_slot) a value slot; see an_msg_from_slot. */
int an_msg_arg(an_sys *s, napi_env env, napi_value v, int is_slot, const char *type, int by_ref,
               akt_msg **out);
/* The end of a send that took m: akt owns m only once the send succeeded, so on failure
 * (rc != 0) it is released here and rc thrown. Returns NULL either way. */
napi_value an_sent(napi_env env, an_inst *I, akt_msg *m, int rc);
/* 0 if m may go to `to`; else releases m, throws (the reader is a C actor, or another
 * binding's, and m has no bytes) and returns the code. by_ref as an_msg_from_js's. */
int an_reader_check(napi_env env, an_inst *I, an_sys *s, akt_pid to, akt_msg *m, int by_ref,
                    const char *op);
/* 0 if m has bytes (made now if it had none); else releases m, throws that `op` to `where`
 * (who reads it: "that actor", "that grain kind") is refused and returns the code. */
int an_bytes_check(napi_env env, an_inst *I, akt_msg *m, const char *op, const char *where,
                   const char *who);
/* Whether pid is a JS actor of this instance (it runs on s's external dispatcher; s NULL:
 * the system of the running callback), so a send may pass it a JS value by reference. */
int an_js_pid(an_inst *I, an_sys *s, akt_pid pid);

/* A Promise of f's answer (void_result: of nothing), or with cancellable the pair
 * [Promise, handle for cancel()]. Takes f. */
napi_value an_promise_of(napi_env env, an_inst *I, akt_future *f, int void_result, int cancellable);
/* The timeout argument of an ask, in ms (undefined / null: 5 s) into *out ns; 0 if bad. */
int an_timeout_ns_of(napi_env env, napi_value v, int64_t *out);

/* ---- actors (actor.c) ---- */
void an_actor_free_now(an_inst *I, an_actor *a);
extern const akt_behavior an_js_behavior;

/* ---- futures (ask.c) ---- */
void an_ask_settle(an_inst *I, void *ask);

/* ---- events (events.c) ---- */
void an_event_deliver(an_inst *I, void *evt);

/* ---- system (system.c) ---- */
void an_system_shutdown_done(an_inst *I, an_sys *s);
/* The system of a handle argument, or NULL after throwing a TypeError. */
an_sys *an_sys_of(napi_env env, napi_value v);

/* Registration of each file's JS functions on the exports object. */
typedef struct an_fn {
    const char *name;
    napi_callback cb;
} an_fn;
void an_export(napi_env env, napi_value exports, an_inst *I, const an_fn *fns);
napi_status an_register_pump(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_system(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_send(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_actor(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_ctx(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_events(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_native(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_errors(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_cron(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_router(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_metrics(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_headers(napi_env env, napi_value exports, an_inst *I);
/* headers.c: sets a JS object of name -> string | Uint8Array on an unsent message
 * (undefined / null: nothing). 0 or an AKT_E* code (nothing thrown). */
int an_headers_set(napi_env env, an_inst *I, akt_msg *m, napi_value obj);
/* local begin: */
/* ---- the propagator (propagator.c) ---- */
/* fn (a function, or undefined/null for none) as s's propagator: 1 and *out filled, 0 for
 * none, AKT_EINVAL for another value, AKT_ENOMEM. */
int an_propagator_of(napi_env env, an_sys *s, napi_value fn, akt_propagator *out);
void an_propagator_free(napi_env env, an_sys *s);
/* Frees s's per-activation dependency sets (grain.c), on the JS thread. */
void an_grain_deps_free(napi_env env, an_sys *s);
/* local end */
napi_status an_register_grain(napi_env env, napi_value exports, an_inst *I);
/* remote2.c: remoteSpawn */
/* system.c: a directive (AKT_DIRECTIVE_*) into *out, left as it is for undefined or null:
 * 1, or 0 if it is out of range. */
int an_directive_of(napi_env env, napi_value v, int *out);
/* grain.c: [kind, capacity, whenFull, timeoutNs] or undefined into spec (no compare): 1,
 * 0 for none, -1 if malformed. */
int an_mailbox_spec_of(napi_env env, napi_value v, akt_mailbox_spec *spec);
/* breaker.c: (strategy, value: bigint) of lib/passivation.cjs into p: 0 or AKT_EINVAL. */
int an_passivation_of(napi_env env, napi_value strategy, napi_value value, akt_passivation *p);
napi_status an_register_remote2(napi_env env, napi_value exports, an_inst *I);
/* serial.c: serializers for remoting */
napi_status an_register_serial(napi_env env, napi_value exports, an_inst *I);
napi_status an_register_stream(napi_env env, napi_value exports, an_inst *I);
/* breaker.c: circuit breakers, their manual clock, passivation. */
napi_status an_register_breaker(napi_env env, napi_value exports, an_inst *I);
/* trace.c: span sinks (an_span_deliver runs a queued AN_ITEM_SPAN on the JS thread). */
napi_status an_register_trace(napi_env env, napi_value exports, an_inst *I);
/* otlp begin: otlp.c: the OTLP exporter (start, flush as a Promise, stats). */
napi_status an_register_otlp(napi_env env, napi_value exports, an_inst *I);
/* otlp end */
void an_span_deliver(an_inst *I, void *p);

/* typedbind begin: typed.c: registered message types (akt_type). */
napi_status an_register_typed(napi_env env, napi_value exports, an_inst *I);
/* typedbind end */

/* Shorthand for the argument prologue of every exported function. */
#define AN_ARGS(n)                                   \
    size_t argc = (n);                               \
    napi_value argv[(n) > 0 ? (n) : 1];              \
    an_inst *I = an_inst_of(env, info, &argc, argv); \
    if (!I) return NULL

#define AN_CALL(expr)                         \
    do {                                      \
        if (!an_ok(env, (expr))) return NULL; \
    } while (0)

#endif
