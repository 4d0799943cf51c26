/* What system.c and shutdown.c share. */
#ifndef AKT_CORE_SYSTEM_SYSTEM_H
#define AKT_CORE_SYSTEM_SYSTEM_H
#include "kernel/sys.h"

/* Stops whatever still runs and frees everything the system owns, then the system. */
void akt__system_free(akt_system *s);
/* After the last reference went and the shutdown completed: joins the shutdown thread,
 * then frees. */
void akt__system_free_final(akt_system *s);

#endif
