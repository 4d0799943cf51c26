/* Backoff restarts: the parent's delay for a child's next restart, and the child's timer
 * that restarts it once the delay is over. */
#ifndef AKT_CORE_ACTOR_BACKOFF_H
#define AKT_CORE_ACTOR_BACKOFF_H
#include <akt/akt.h>

#include "kernel/cell.h"
#include "sched/dispatch.h"

struct akt__ext;

/* Parent side (owner-only): counts a restart of child and returns its delay in ns (> 0),
 * or 0 for a restart at once (no backoff configured, or no memory to count). */
int64_t akt__backoff_delay(akt_system *s, akt__cell *parent, const akt_supervisor *sup,
                           uint64_t child);
/* Child side (owner-only): arms c's restart timer for delay_ns; a failed c waits, a c that
 * is not failed (stopping, say) ignores it. Without memory c restarts at once. */
void akt__backoff_arm(akt__worker *w, akt__cell *c, int64_t delay_ns);
/* 1 if a SYS_RESTART with this seq is the one c's current timer sent. */
int akt__backoff_due(const akt__cell *c, int32_t seq);
/* Cancels and forgets x's restart timer, if any (a restart or a stop came first). */
void akt__backoff_drop(akt_system *s, struct akt__ext *x);

#endif
