/* Futures: the reply slot of an ask, completed exactly once by a reply, a timeout, a
 * failure, a dead letter or a cancel. Waiting uses a futex on the state word, so a
 * pending future costs no kernel object. */
#ifndef AKT_CORE_KERNEL_FUTURE_H
#define AKT_CORE_KERNEL_FUTURE_H
#include <akt/akt.h>
#include <stdatomic.h>

#include "time/timer.h"

enum akt__fstate {
    AKT__F_PENDING = 0,
    AKT__F_PENDING_CB,   /* pending, a callback is registered */
    AKT__F_COMPLETING,   /* a completer won and is writing the result */
    AKT__F_DONE,
};

struct akt_future {
    atomic_int refs;
    atomic_int state;     /* enum akt__fstate; the futex word */
    atomic_int waiters;
    int rc;
    akt_msg *reply;
    akt_future_cb cb;
    void *cb_data;
    akt__timer timer;
    atomic_int armed;     /* 1 while the timer may still be in the system's heap */
    akt_system *system;   /* for the timer; valid while the future is pending */
    uint64_t target;      /* the pid that should answer (deadlock detection) */
    /* The external dispatcher that runs the target, or NULL: waiting on its own thread
     * would deadlock. Compared, never dereferenced. */
    const struct akt_dispatcher *target_disp;
    void (*on_timeout)(akt_future *f); /* optional extra action (graceful stop) */
    /* What a failed receiver said (akt_future_failure), or NULL. Written before the DONE
     * store like rc, freed with the future. */
    struct akt__failure *failure;
};

/* A receiver's failure as its asker reads it: the reason text and the binding's detail. */
struct akt__failure {
    akt_msg *detail;    /* a reference, or NULL */
    const char *reason; /* text, or NULL when the receiver gave none */
    char text[];        /* reason's storage */
};

/* A pending future with two references (the caller's and the pending operation's), armed
 * with a timeout when timeout_ns > 0; on_timeout (may be NULL) runs first when it fires.
 * guard: the external dispatcher running target, or NULL (see target_disp). */
int akt__future_new(akt_system *s, int64_t timeout_ns, akt_pid target,
                    const struct akt_dispatcher *guard, void (*on_timeout)(akt_future *),
                    akt_future **out);
/* Completes f with rc and reply (a new reference is taken to reply). 1 if this call
 * completed it, 0 if it was already complete. Cancels the timer. Runs the callback. */
int akt__future_complete(akt_future *f, int rc, akt_msg *reply);
/* Completes f with the failure code rc (< 0) and what the receiver said: reason (copied;
 * may be NULL) and detail (a new reference is taken; may be NULL). As akt__future_complete
 * otherwise; without memory for the copy, f still completes with rc, without the reason. */
int akt__future_fail(akt_future *f, int rc, const char *reason, akt_msg *detail);
void akt__future_ref(akt_future *f);
void akt__future_unref(akt_future *f);

#endif
