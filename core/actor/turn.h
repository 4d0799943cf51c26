/* One actor's turn on a dispatcher: its system messages, then a batch of user messages, and
 * the context each callback gets. */
#ifndef AKT_CORE_ACTOR_TURN_H
#define AKT_CORE_ACTOR_TURN_H
#include "ext.h"
#include "kernel/cell.h"
#include "sched/dispatch.h"

/* Runs cell c on worker w: its system messages, then up to budget user messages. The
 * caller holds c's sched flag; on return it has been released or c re-queued. Returns the
 * number of user messages handled. (Installed as the system's run_cell.) */
size_t akt__cell_run(akt__worker *w, akt__cell *c, size_t budget);

/* Releases ownership of c (sched = 0) and re-queues it if work arrived meanwhile. */
void akt__cell_release(akt__cell *c, int can_receive);

/* A fresh context for a callback of c on w; becomes the thread's current context. */
akt_ctx *akt__ctx_enter(akt__worker *w, akt__cell *c, akt__envelope *e);
/* akt_ctx_next for a context inside receive_batch (ctx->batch set). */
int akt__ctx_next(akt_ctx *ctx, akt_msg **msg);
void akt__ctx_leave(akt_ctx *ctx);
/* Drops what akt_ctx_fail / akt_ctx_fail_with left in ctx (reason and detail). */
void akt__ctx_fail_clear(akt_ctx *ctx);

#endif
