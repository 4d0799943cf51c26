/* Suspended messages (async receive in the bindings): a message kept past receive's return,
 * finished later by steps posted from any thread and run on the actor's own turn. The
 * records live in the actor's ext, owner-only. */
#ifndef AKT_CORE_ACTOR_SUSPEND_H
#define AKT_CORE_ACTOR_SUSPEND_H
#include "ext.h"
#include "kernel/cell.h"
#include "kernel/ctx.h"
#include "sched/dispatch.h"

/* After a callback that called akt_ctx_suspend returned 0: keeps e under id, holding the
 * mailbox or not. 1 if kept, 0 if it could not be (no memory: the caller fails the
 * message). */
int akt__susp_keep(akt_system *s, akt__cell *c, uint64_t id, int holding, akt__envelope *e);
/* A SYS_STEP envelope arrived: kept for the next turn that runs user code, or dropped if
 * its message is no longer suspended. */
void akt__susp_step_arrived(akt_system *s, akt__cell *c, akt__envelope *e);
/* 1 if c has steps to run (owner-only). */
int akt__susp_ready(const akt__cell *c);
/* Runs the steps that arrived, while c is running, up to budget; returns how many it
 * consumed. */
size_t akt__susp_run(akt__worker *w, akt__cell *c, size_t budget);
/* 1 while a suspended message keeps user messages waiting. */
static inline int akt__susp_holding(const akt__cell *c) {
    const akt__ext *x = akt__cell_ext(c);
    return x && x->n_holding && c->status == AKT__RUNNING;
}
/* Ends every suspension (stop: AKT_ESTOPPED, restart: AKT_ECANCELED to the askers); the
 * steps posted to them drop. */
void akt__susp_cancel_all(akt__ext *x, int rc);
/* akt__susp_cancel_all and the steps not yet run (the ext is going). */
void akt__susp_free(akt__ext *x);

#endif
