/* The context of one actor callback: which actor, which message, and what the callback
 * asked for (unhandled, stash, a failure reason). Filled by actor/turn.c, read by the
 * context API (actor/ctx.c).
 *
 * The akt_ctx* a callback receives is not the address of this record: it is an opaque
 * handle, a number drawn from a sequence that never repeats in the process (see
 * akt__worker_ctx_handle in sched/dispatch.h). It is never dereferenced: the context API
 * compares it with the handle of the callback running on the calling thread and only then
 * uses that callback's record. A handle kept from an earlier callback, or taken to another
 * thread, matches nothing, however much later it comes back. The record itself lives on the
 * stack of whoever runs the callback, one per callback. */
#ifndef AKT_CORE_KERNEL_CTX_H
#define AKT_CORE_KERNEL_CTX_H
#include <akt/akt.h>
#include <stdint.h>

#include "base/tls.h"

struct akt__cell;
struct akt__envelope;
struct akt__batch;

typedef struct akt__ctx {
    akt_ctx *handle; /* what the callback got; never dereferenced */
    akt_system *system;
    struct akt__cell *cell;
    struct akt__envelope *env; /* the message being received, or NULL (pre_start, post_stop) */
    int unhandled;
    int stashed;
    char *fail_reason;        /* default heap */
    akt_msg *fail_detail;     /* akt_ctx_fail_with: a reference for the asker, or NULL */
    struct akt__batch *batch; /* inside receive_batch: the run's budget; else NULL */
    uint64_t susp_id;         /* the message's suspension (actor/suspend.c), or 0 */
    int suspend;              /* akt_ctx_suspend asked: 1 holding the mailbox, 2 not */
} akt__ctx;

/* The record of the callback running on this thread if handle is its handle, else NULL.
 * Nothing is read through handle. */
static inline akt__ctx *akt__ctx_current(akt_ctx *handle) {
    akt__ctx *x = akt__self.ctx;
    return x && x->handle == handle ? x : NULL;
}

#endif
