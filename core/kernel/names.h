/* Name registry: (parent, name) -> cell index, an open-addressing table of 8-byte slots
 * (the index and the key's hash). Keys live in the cells themselves; the hash lets probes
 * and rehashing skip the cells. All functions run under the system's structure lock. */
#ifndef AKT_CORE_KERNEL_NAMES_H
#define AKT_CORE_KERNEL_NAMES_H
#include <stddef.h>
#include <stdint.h>

struct akt_system;

typedef struct akt__name_slot {
    uint32_t index; /* 0 = empty, UINT32_MAX = deleted, else a cell index */
    uint32_t hash;
} akt__name_slot;

typedef struct akt__names {
    akt__name_slot *slots;
    uint32_t cap;  /* power of two, or 0 */
    uint32_t used; /* live + deleted */
    uint32_t live;
} akt__names;

/* The cell index of parent's child called name (len bytes), or 0. */
uint32_t akt__names_find(struct akt_system *s, uint32_t parent, const char *name, size_t len);
/* Adds the cell (its parent and name are set); AKT_ENOMEM or 0. */
int akt__names_add(struct akt_system *s, uint32_t index);
void akt__names_remove(struct akt_system *s, uint32_t index);
void akt__names_free(struct akt_system *s);

#endif
