/* Actor paths, built from the tree of cells. */
#ifndef AKT_CORE_KERNEL_PATH_H
#define AKT_CORE_KERNEL_PATH_H
#include <akt/akt.h>
#include <stddef.h>

struct akt__cell;

/* Builds the path of cell c into buf (see akt_pid_path); returns its length without the
 * NUL. Caller holds s->lock. */
size_t akt__path_locked(akt_system *s, const struct akt__cell *c, char *buf, size_t len);
/* Same, taking the lock; returns a heap string (system heap) or NULL. */
char *akt__path_dup(akt_system *s, const struct akt__cell *c);
/* akt__path_dup with s->lock held. */
char *akt__path_dup_locked(akt_system *s, const struct akt__cell *c);

#endif
