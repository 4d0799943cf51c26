/* Supervision: a parent's decision about a failed child. */
#ifndef AKT_CORE_ACTOR_SUPERVISE_H
#define AKT_CORE_ACTOR_SUPERVISE_H
#include <akt/akt.h>

#include "base/alloc.h"
#include "kernel/cell.h"
#include "sched/dispatch.h"

/* Checks a caller's supervisor and copies it whatever its size (older callers pass smaller
 * structs; missing fields are zero). AKT_EINVAL for a bad strategy or directive. */
int akt__supervisor_read(const akt_supervisor *in, akt_supervisor *out);
/* Makes sup own its rules: copies the caller's table into heap (sup->rules then points to
 * the copy). 0, or AKT_ENOMEM with sup->rules NULL and rule_count 0. */
int akt__supervisor_own_rules(akt__heap *heap, akt_supervisor *sup);
/* Frees what akt__supervisor_own_rules copied. */
void akt__supervisor_free_rules(akt__heap *heap, akt_supervisor *sup);
/* Handles a SYS_FAILED envelope e on the parent c: decides and sends the directive. */
void akt__actor_supervise(akt__worker *w, akt__cell *c, akt__envelope *e);

#endif
