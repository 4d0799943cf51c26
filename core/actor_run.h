/* Running one actor for one turn, and the lifecycle steps a turn can trigger. */
#ifndef AKT_CORE_ACTOR_RUN_H
#define AKT_CORE_ACTOR_RUN_H
#include "actor_ext.h"
#include "cell.h"
#include "dispatch.h"

/* Runs cell c on worker w: its system messages, then up to budget user messages. The
 * caller holds c's sched flag; on return it has been released or c re-queued. Returns the
 * number of user messages handled. */
size_t akt__cell_run(akt__worker *w, akt__cell *c, size_t budget);

/* Releases ownership of c (sched = 0) and re-queues it if work arrived meanwhile. */
void akt__cell_release(akt__cell *c, int can_receive);

/* A fresh context for a callback of c on w; becomes the thread's current context. */
akt_ctx *akt__ctx_enter(akt__worker *w, akt__cell *c, akt__envelope *e);
void akt__ctx_leave(akt_ctx *ctx);
akt_ctx *akt__worker_ctx(akt__worker *w);

/* Lifecycle (actor_life.c); all run on c's owner. */
void akt__actor_start(akt__worker *w, akt__cell *c);
void akt__actor_begin_stop(akt__worker *w, akt__cell *c);
void akt__actor_finalize(akt__worker *w, akt__cell *c);
void akt__actor_fail(akt__worker *w, akt__cell *c, int code, const char *reason);
void akt__actor_supervise(akt__worker *w, akt__cell *c, akt__envelope *e);
void akt__actor_resume(akt__worker *w, akt__cell *c);
void akt__actor_restart(akt__worker *w, akt__cell *c);

/* Sending (send.c). */
int akt__deliver(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender, akt_future *reply,
                 uint16_t kind);
/* Pushes a system message; to may be stale (the receiver handles that). */
int akt__send_sys(akt_system *s, akt_pid to, uint16_t kind, uint64_t arg, int32_t code,
                  akt_msg *msg, akt_future *reply);

#endif
