/* Reentrant requests: asks whose answers come back to the requester's own turn (GoAkt's
 * ctx.Request). The records live in the requester's ext, owner-only. */
#ifndef AKT_CORE_ACTOR_REQUEST_H
#define AKT_CORE_ACTOR_REQUEST_H
#include "ext.h"
#include "kernel/cell.h"
#include "sched/dispatch.h"

/* Keeps a SYS_RESPONSE envelope for the next turn that can run continuations. */
void akt__requests_answered(akt_system *s, akt__cell *c, akt__envelope *e);
/* Runs the continuations of the answers that arrived, while c is running, up to budget;
 * returns how many answers it consumed. */
size_t akt__requests_run(akt__worker *w, akt__cell *c, size_t budget);
/* 1 if c has answers to run (owner-only). */
int akt__requests_ready(const akt__cell *c);
/* 1 while a STASH request keeps user messages waiting. */
static inline int akt__requests_stashing(const akt__cell *c) {
    const akt__ext *x = akt__cell_ext(c);
    return x && x->n_stashing && c->status == AKT__RUNNING;
}
/* Cancels every request in flight (stop, restart): no continuation runs, drop does. */
void akt__requests_cancel_all(akt__ext *x);
/* akt__requests_cancel_all and the answers not yet run (the ext is going). */
void akt__requests_free(akt_system *s, akt__ext *x);

#endif
