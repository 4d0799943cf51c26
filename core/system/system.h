/* What system.c and shutdown.c share. */
#ifndef AKT_CORE_SYSTEM_SYSTEM_H
#define AKT_CORE_SYSTEM_SYSTEM_H
#include "kernel/sys.h"

/* Stops whatever still runs and frees everything the system owns, then the system. */
void akt__system_free(akt_system *s);
/* After the last reference went and the shutdown completed: joins the shutdown thread,
 * then frees. */
void akt__system_free_final(akt_system *s);

/* extensions.c: checks and copies the options' extensions into s (on s->heap); AKT_EINVAL
 * for a bad name or arrays, AKT_EEXIST for a name given twice, AKT_ENOMEM. On failure what
 * was copied stays for akt__extensions_free. */
int akt__extensions_init(akt_system *s, const akt_system_options *o);
void akt__extensions_free(akt_system *s);

/* guardian.c: a top-level escalation (akt_system.guardian_escalated): the policy. */
void akt__guardian_escalated(akt_system *s);

#endif
