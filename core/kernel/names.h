/* Name registry: (parent, name) -> cell index, an open-addressing table of 4-byte slots
 * (issue 16: the cell index, 24 bits, and 8 bits of the key's hash). Keys live in the cells
 * themselves; the hash bits let a probe skip all but 1 in 256 other keys' cells, and growing
 * the table hashes each key again from its cell. All functions run under the system's
 * structure lock. */
#ifndef AKT_CORE_KERNEL_NAMES_H
#define AKT_CORE_KERNEL_NAMES_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct akt_system;

/* A slot: 0 = empty; index bits 0 with tag bits set = deleted (cell 0 is never an actor);
 * else the cell index in the low 24 bits (AKT__INDEX_BITS) and the top 8 bits of the key's
 * hash above them. */
typedef uint32_t akt__name_slot;

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
 * table's cache miss is under way. With or without the structure lock (a named spawn calls
 * it first, so the miss overlaps its allocations and the lock's acquisition). */
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
 * kinds, 0 = none). A short name (AKT__NAME_INLINE_MAX bytes or fewer: anonymous ones, and
 * most given ones) uses the record its cell has in its page of cells (kernel/stats.h:
 * akt__cell_name_inline), so an idle actor allocates nothing for it (issue 16); a longer one
 * is allocated from the system's heap. The header is packed in bytes (read through the
 * accessors below) so that the record is 20 bytes: the spawn time is 40 bits of monotonic
 * milliseconds (34 years since boot; an uptime in ms is as precise as the coarse clock a
 * spawn reads, 1-10 ms), the kind 16 bits. Both are written before the cell is published,
 * and never changed. */
typedef struct akt__name_rec {
    uint8_t started_ms[5]; /* little endian */
    uint8_t kind[2];       /* little endian */
    char text[];
} akt__name_rec;

/* 12: the record is 20 bytes ("$" and a counter below 10^11 fits; so do "actor-999999"). */
#define AKT__NAME_INLINE_MAX 12
/* The record of a cell's name: a short name's own, laid out as an akt__name_rec. When
 * text[0] is 0 the cell's name is elsewhere: the 8 bytes at text + AKT__NAME_FAR_AT
 * (unaligned: read with memcpy) point at the text of a record from the heap, or are NULL
 * while the cell has no name (free, never spawned). The cell itself keeps no pointer
 * (issue 16: bytes per idle actor). */
typedef struct akt__name_inline {
    uint8_t started_ms[5];
    uint8_t kind[2];
    char text[AKT__NAME_INLINE_MAX + 1];
} akt__name_inline;
_Static_assert(sizeof(akt__name_inline) == 20, "20 bytes per cell in its page");
_Static_assert(offsetof(akt__name_inline, kind) == offsetof(akt__name_rec, kind),
               "one layout: akt__name_kind reads both");
_Static_assert(offsetof(akt__name_inline, text) == offsetof(akt__name_rec, text),
               "one layout: akt__name_started reads both");
#define AKT__NAME_FAR_AT 1
_Static_assert(AKT__NAME_FAR_AT + sizeof(char *) <= AKT__NAME_INLINE_MAX + 1,
               "the far pointer is in the text");

/* The name of the cell whose record is own: its text, or NULL when it has none. */
static inline char *akt__name_of(const akt__name_inline *own) {
    if (own->text[0]) return (char *)own->text;
    char *far;
    memcpy(&far, own->text + AKT__NAME_FAR_AT, sizeof far);
    return far;
}

struct akt__heap;
/* A record for name (len bytes, at least 1) of kind spawned at started_ns, in the cell's
 * own record `own` when it fits, else from h (own then points at it); its text, or NULL on
 * ENOMEM (own unchanged). */
char *akt__name_new(struct akt__heap *h, akt__name_inline *own, const char *name, size_t len,
                    int64_t started_ns, uint16_t kind);
/* Frees the name of the cell whose record is own (none is fine): it has none after. */
void akt__name_free(struct akt__heap *h, akt__name_inline *own);
static inline const akt__name_rec *akt__name_rec_of(const char *text) {
    return (const akt__name_rec *)(const void *)(text - offsetof(akt__name_rec, text));
}
static inline int64_t akt__name_started(const char *text) {
    const uint8_t *b = akt__name_rec_of(text)->started_ms;
    uint64_t ms = 0;
    for (int i = 4; i >= 0; i--) ms = ms << 8 | b[i];
    return (int64_t)ms * 1000000;
}
static inline uint16_t akt__name_kind(const char *text) {
    const uint8_t *b = akt__name_rec_of(text)->kind;
    return (uint16_t)(b[0] | b[1] << 8);
}

#endif
