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
/* akt_ctx_next for a context inside receive_batch (ctx->batch set). */
int akt__ctx_next(akt_ctx *ctx, akt_msg **msg);
void akt__ctx_leave(akt_ctx *ctx);
akt_ctx *akt__worker_ctx(akt__worker *w);

/* Drops an envelope nobody will handle: its asker (if any) completes with rc, its message
 * reference goes, the envelope goes back to the pool. */
void akt__env_discard(akt__envelope *e, int rc);
/* Discards a chain of envelopes linked through node.next. */
void akt__env_discard_chain(akt__envelope *e, int rc);

/* Lifecycle (actor_life.c); all run on c's owner. */
void akt__actor_start(akt__worker *w, akt__cell *c);
void akt__actor_begin_stop(akt__worker *w, akt__cell *c);
void akt__actor_finalize(akt__worker *w, akt__cell *c);
void akt__actor_fail(akt__worker *w, akt__cell *c, int code, const char *reason);
/* Checks a caller's supervisor and copies it whatever its size (older callers pass smaller
 * structs; missing fields are zero). AKT_EINVAL for a bad strategy or directive. */
int akt__supervisor_read(const akt_supervisor *in, akt_supervisor *out);
void akt__actor_supervise(akt__worker *w, akt__cell *c, akt__envelope *e);
void akt__actor_resume(akt__worker *w, akt__cell *c);
void akt__actor_restart(akt__worker *w, akt__cell *c);

/* Sending (send.c). */
int akt__deliver(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender, akt_future *reply,
                 uint16_t kind);
/* Pushes a system message; to may be stale (the receiver handles that). */
int akt__send_sys(akt_system *s, akt_pid to, uint16_t kind, uint64_t arg, int32_t code,
                  akt_msg *msg, akt_future *reply);
/* Asks the live actor pid to stop: a signal bit and a wake-up, no allocation, so a stop
 * can never fail for lack of memory. AKT_ENOTFOUND if pid is not alive. */
int akt__stop_request(akt_system *s, akt_pid pid);
/* Raises signal bits on a cell known alive; caller holds s->lock. */
void akt__signal_locked(akt__cell *c, unsigned sig);
/* Pushes onto c's system stack without scheduling c. */
void akt__sysq_push(akt__cell *c, akt__envelope *e);

/* Spawning (spawn.c). A new zeroed page of cells, published in s->pages; caller holds
 * s->lock. */
int akt__page_add_locked(akt_system *s, uint32_t page);

#endif
