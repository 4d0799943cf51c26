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
/* perf begin: one probe for a spawn's check and insert */
typedef struct akt__name_hint {
    uint32_t hash, slot; /* the key's hash; where it goes while the table is unchanged */
} akt__name_hint;
/* The key's hash, and a prefetch of its first slot: a spawn does its other work while the
 * table's cache miss is under way. */
uint32_t akt__names_hash_ahead(struct akt_system *s, uint32_t parent, const char *name, size_t len);
/* As akt__names_find, given the key's hash (akt__names_hash_ahead); when absent, *hint says
 * where akt__names_add_hint puts the key. */
uint32_t akt__names_find_hint(struct akt_system *s, uint32_t parent, const char *name, size_t len,
                              uint32_t hash, akt__name_hint *hint);
/* As akt__names_add, for the key last looked up with hint (the table unchanged since). */
int akt__names_add_hint(struct akt_system *s, uint32_t index, const akt__name_hint *hint);
/* perf end */
void akt__names_remove(struct akt_system *s, uint32_t index);
void akt__names_free(struct akt_system *s);

/* A cell's name is the text of a name record that also holds the incarnation's spawn time
 * (metrics' uptime) and its kind (kernel/kinds.h: an index into the system's interned
 * kinds, 0 = none), so an idle actor pays one small allocation for all three: the kind's
 * two bytes sit before the text, where the record's 8-byte header leaves them free in the
 * allocator's size class for all but names within 2 bytes of a class boundary. */
typedef struct akt__name_rec {
    int64_t started_ns; /* monotonic clock; written before the cell is published */
    uint16_t kind;      /* written before the cell is published, never changed */
    char text[];
} akt__name_rec;

struct akt__heap;
/* A record for name (len bytes) of kind spawned at started_ns; its text, or NULL on ENOMEM. */
char *akt__name_new(struct akt__heap *h, const char *name, size_t len, int64_t started_ns,
                    uint16_t kind);
void akt__name_free(struct akt__heap *h, char *text); /* NULL is fine */
static inline const akt__name_rec *akt__name_rec_of(const char *text) {
    return (const akt__name_rec *)(const void *)(text - offsetof(akt__name_rec, text));
}
static inline int64_t akt__name_started(const char *text) {
    return akt__name_rec_of(text)->started_ns;
}
static inline uint16_t akt__name_kind(const char *text) { return akt__name_rec_of(text)->kind; }

#endif
