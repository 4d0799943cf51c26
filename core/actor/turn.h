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

/* Fills x (the caller's, for one callback) for a callback of c on w and makes it the
 * thread's current context; returns the handle to give the callback (kernel/ctx.h). x may
 * be read after akt__ctx_leave (the flags the callback left). */
akt_ctx *akt__ctx_enter(akt__ctx *x, akt__worker *w, akt__cell *c, akt__envelope *e);
/* akt_ctx_next for a context inside receive_batch (ctx->batch set). */
int akt__ctx_next(akt__ctx *ctx, akt_msg **msg);
/* Ends the thread's current callback: its handle is stale from now on. */
void akt__ctx_leave(void);
/* What a callback's result (rc and the ctx flags it left) means for the user message e; e
 * is consumed (or kept: stashed, suspended). Runs outside the callback's context
 * (akt__self.ctx is NULL). */
void akt__user_finish(akt__worker *w, akt__cell *c, akt__envelope *e, akt__ctx *ctx, int rc);
/* Drops what akt_ctx_fail / akt_ctx_fail_with left in ctx (reason and detail). */
void akt__ctx_fail_clear(akt__ctx *ctx);

#endif
