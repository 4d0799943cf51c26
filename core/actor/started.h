/* The end of an actor's start, and waiting for it (started.c). */
#ifndef AKT_CORE_ACTOR_STARTED_H
#define AKT_CORE_ACTOR_STARTED_H
#include <akt/akt.h>
#include <stdint.h>

#include "kernel/cell.h"

struct akt_dispatcher;

/* The runner handled the start message of incarnation gen of c (ran pre_start, or skipped
 * it for a stop): clears its STARTING bit and wakes akt_await_started's waiters. */
void akt__start_ended(akt_system *s, akt__cell *c, uint64_t gen);
/* 1 if akt_spawn called on this thread for an actor on d waits for its start. */
int akt__spawn_waits(const akt_system *s, const struct akt_dispatcher *d);

#endif
