/* Name registry: (parent, name) -> cell index, an open-addressing table of 4-byte slots.
 * Keys live in the cells themselves, so an entry costs 4 bytes (8 at the load limit).
 * All functions run under the system's structure lock. */
#ifndef AKT_CORE_NAMES_H
#define AKT_CORE_NAMES_H
#include <stddef.h>
#include <stdint.h>

struct akt_system;

typedef struct akt__names {
    uint32_t *slots; /* 0 = empty, UINT32_MAX = deleted, else a cell index */
    uint32_t cap;    /* power of two, or 0 */
    uint32_t used;   /* live + deleted */
    uint32_t live;
} akt__names;

/* The cell index of parent's child called name (len bytes), or 0. */
uint32_t akt__names_find(struct akt_system *s, uint32_t parent, const char *name, size_t len);
/* Adds the cell (its parent and name are set); AKT_ENOMEM or 0. */
int akt__names_add(struct akt_system *s, uint32_t index);
void akt__names_remove(struct akt_system *s, uint32_t index);
void akt__names_free(struct akt_system *s);

#endif
