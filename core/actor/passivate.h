/* Passivation (akt_passivation_set, akt_system_set_passivation): an idle actor stops
 * itself on its own turn. IDLE: a 24-byte slot per actor in a side table per page of
 * cells, swept by one timer of the system's timer heap (no thread, no timer per actor); the
 * cell keeps only a 4-bit epoch that outdates the checks of replaced strategies.
 * MESSAGES: a count in the actor's ext, checked at the end of its turns. */
#ifndef AKT_CORE_ACTOR_PASSIVATE_H
#define AKT_CORE_ACTOR_PASSIVATE_H
#include "kernel/cell.h"
#include "kernel/envelope.h"
#include "sched/dispatch.h"

/* A strategy packed in one word: strategy << 62 | value (the system default, and the arg
 * and code of SYS_PASSIVATION). */
#define AKT__PASSIVE_VALUE_MASK ((UINT64_C(1) << 62) - 1)

/* SYS_PASSIVATION (code = strategy, arg = value): the actor's new strategy. */
void akt__passivation_apply(akt__worker *w, akt__cell *c, akt__envelope *e);
/* SYS_PASSIVATE (code = the slot's epoch when the sweep fired it): the idle check. */
void akt__passivate_check(akt__worker *w, akt__cell *c, akt__envelope *e);
/* End of a turn of an actor with a MESSAGES strategy (c->ext->passivate_after != 0). */
void akt__passivate_count_check(akt__worker *w, akt__cell *c);
/* A spawn of a non-internal actor: the system default, if any, sent to pid. */
void akt__passivation_default(akt_system *s, akt_pid pid);

#endif
