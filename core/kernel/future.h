/* Futures: the reply slot of an ask, completed exactly once by a reply, a timeout, a
 * failure, a dead letter or a cancel. Waiting uses a futex on the state word, so a
 * pending future costs no kernel object. */
#ifndef AKT_CORE_KERNEL_FUTURE_H
#define AKT_CORE_KERNEL_FUTURE_H
#include <akt/akt.h>
#include <stdatomic.h>

#include "time/timer.h"

/* The state word: a phase in the low bits and a flag. A callback registered before the
 * completer reaches DONE is run by the completer; one registered after runs at once. Which
 * of the two happened is decided by the order of the two read-modify-writes on this one
 * word, so neither side ever waits for the other. */
enum akt__fstate {
    AKT__F_PENDING = 0,
    AKT__F_COMPLETING = 1, /* a completer won and is writing the result */
    AKT__F_DONE = 2,       /* rc and reply are final */
    AKT__F_PHASE = 3,      /* the bits of the phase */
    AKT__F_CB = 4,         /* a callback is registered: cb and cb_data are written */
};

/* In refs: the caller's handle (akt_ask gives exactly one), on top of the internal
 * references. Dropping it twice is detected while the future lives. */
#define AKT__F_HANDLE (1 << 24)

struct akt_future {
    /* First: a freed block begins with the pool's free-list link, never the magic (see
     * akt__future_ok). */
    uint32_t magic;
    atomic_int refs;  /* internal references + AKT__F_HANDLE while the handle is held */
    atomic_int state; /* enum akt__fstate; the futex word of waiters */
    atomic_int waiters;
    atomic_int cb_claimed; /* 1 once a registration won: the one callback */
    int rc;
    akt_msg *reply;
    akt_future_cb cb;
    void *cb_data;
    akt__timer timer;   /* the timeout; its claim says who may still cancel it */
    akt_system *system; /* for the timer; valid while the timeout is armed */
    uint64_t target;    /* the pid that should answer (deadlock detection) */
    /* The external dispatcher that runs the target, or NULL: waiting on its own thread
     * would deadlock. Compared, never dereferenced. */
    const struct akt_dispatcher *target_disp;
    void (*on_timeout)(akt_future *f); /* optional extra action (graceful stop) */
    /* What a failed receiver said (akt_future_failure), or NULL. Written before the DONE
     * store like rc, freed with the future. */
    struct akt__failure *failure;
    /* The message asked with (a reference, set once before the future is handed out), or
     * NULL: what akt_future_target names. Released with the future. */
    akt_msg *asked;
    /* Who reads the answer (issue 17, akt_ctx_asker_reader): the binding's token of
     * akt_ask_as, akt__c_reader for a plain akt_ask from outside actors, or NULL (an ask
     * made by an actor: its sender pid says). Set once before the future is handed out. */
    akt_receive_fn reader;
};

/* A receiver's failure as its asker reads it: the reason text and the binding's detail. */
struct akt__failure {
    akt_msg *detail;    /* a reference, or NULL */
    const char *reason; /* text, or NULL when the receiver gave none */
    char text[];        /* reason's storage */
};

/* A pending future holding the caller's handle and the pending operation's reference,
 * armed with a timeout when timeout_ns > 0 (the deadline saturates: a huge timeout never
 * comes due before the shutdown); on_timeout (may be NULL) runs first when it fires.
 * guard: the external dispatcher running target, or NULL (see target_disp). */
int akt__future_new(akt_system *s, int64_t timeout_ns, akt_pid target,
                    const struct akt_dispatcher *guard, void (*on_timeout)(akt_future *),
                    akt_future **out);
/* Completes f with rc and reply (a new reference is taken to reply). 1 if this call
 * completed it, 0 if it was already complete. Cancels the timer unless the caller's handle
 * is still held (its release does that). Runs the callback. */
int akt__future_complete(akt_future *f, int rc, akt_msg *reply);
/* Completes f with the failure code rc (< 0) and what the receiver said: reason (copied;
 * may be NULL) and detail (a new reference is taken; may be NULL). As akt__future_complete
 * otherwise; without memory for the copy, f still completes with rc, without the reason. */
int akt__future_fail(akt_future *f, int rc, const char *reason, akt_msg *detail);
void akt__future_ref(akt_future *f);
void akt__future_unref(akt_future *f);
/* Drops the caller's handle (as akt_future_release does); AKT_EINVAL if it is gone. */
int akt__future_drop_handle(akt_future *f);

/* Test hooks, set only by white-box tests (they link akt_static); NULL otherwise. */
typedef void (*akt__future_hook_fn)(akt_future *f);
/* A completer won the future and has not written its result yet. */
extern _Atomic(akt__future_hook_fn) akt__future_hook_completing;
/* A disarm claimed the timeout and has not touched the system's timers yet. */
extern _Atomic(akt__future_hook_fn) akt__future_hook_disarm;

#endif
