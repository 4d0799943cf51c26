#include "names.h"

#include <string.h>

#include "sys.h"

#define AKT__SLOT_INDEX AKT__INDEX_MASK
#define AKT__DELETED (AKT__SLOT_INDEX + 1u) /* index 0, a tag: not empty */
_Static_assert(AKT__INDEX_BITS == 24, "a slot holds a cell index and 8 bits of hash");

static inline akt__name_slot akt__slot_make(uint32_t index, uint32_t hash) {
    return (hash & ~AKT__SLOT_INDEX) | index;
}
static inline uint32_t akt__slot_index(akt__name_slot sl) { return sl & AKT__SLOT_INDEX; }
/* Whether sl may hold the key of this hash (its tag bits match). */
static inline int akt__slot_may_be(akt__name_slot sl, uint32_t hash) {
    return ((sl ^ hash) & ~AKT__SLOT_INDEX) == 0 && akt__slot_index(sl) != 0;
}

static uint64_t akt__mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

static uint32_t akt__name_hash(uint32_t parent, const char *name, size_t len) {
    /* Eight bytes a step, then a final mix: the slot takes the low bits, the tag the top 8,
     * and both must spread (names differ in their last digits). */
    uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)parent << 32 | len), w;
    for (; len >= 8; name += 8, len -= 8) {
        memcpy(&w, name, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    /* The last 0-7 bytes in two overlapping loads (no byte-wise copy, whose 8-byte read back
     * would stall on the stores); every byte is in one of them, and len is in the seed. */
    if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, name, 4);
        memcpy(&b, name + len - 4, 4);
        w = (uint64_t)a << 32 | b;
    } else {
        w = len ? (uint64_t)(unsigned char)name[0] | (uint64_t)(unsigned char)name[len / 2] << 8 |
                      (uint64_t)(unsigned char)name[len - 1] << 16
                : 0;
    }
    return (uint32_t)akt__mix(h ^ w);
}

static int akt__name_is(akt_system *s, uint32_t idx, uint32_t parent, const char *name,
                        size_t len) {
    akt__cell *c = akt__cell_get(s, idx);
    if (c->parent != parent) return 0;
    const char *own = akt__cell_name(c);
    return strncmp(own, name, len) == 0 && own[len] == 0;
}

uint32_t akt__names_find(akt_system *s, uint32_t parent, const char *name, size_t len) {
    akt__names *n = &s->names;
    if (!n->cap) return 0;
    uint32_t mask = n->cap - 1, h = akt__name_hash(parent, name, len);
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        akt__name_slot sl = n->slots[i];
        if (sl == 0) return 0;
        /* The hash bits spare a visit to the cell (a cache miss) for most other keys. */
        if (akt__slot_may_be(sl, h) && akt__name_is(s, akt__slot_index(sl), parent, name, len))
            return akt__slot_index(sl);
    }
}

static uint32_t akt__cell_key_hash(const akt__cell *c) {
    const char *name = akt__cell_name(c);
    return akt__name_hash(c->parent, name, strlen(name));
}

/* The hash of the key of the named cell at index. */
static uint32_t akt__cell_name_hash(akt_system *s, uint32_t index) {
    return akt__cell_key_hash(akt__cell_get(s, index));
}

#define AKT__GROW_AHEAD 16
/* Prefetches what akt__cell_name_hash reads of the cell at idx (0: none): its second cache
 * line (parent, name) and its short-name record, found from the index alone. */
static void akt__name_prefetch(akt_system *s, uint32_t idx) {
    if (!idx) return;
    akt__cell *c = akt__cell_get(s, idx);
    uint32_t slot = idx & (AKT__PAGE_CELLS - 1);
    __builtin_prefetch(&c->parent);
    __builtin_prefetch((akt__name_inline *)(void *)(akt__page_tail_at(c, slot) + 1) + slot);
}

/* Puts index, whose key hashes to hash, in the first empty or deleted slot of its probe. */
static void akt__names_put(akt__name_slot *slots, uint32_t cap, uint32_t index, uint32_t hash) {
    uint32_t mask = cap - 1, i = hash & mask;
    while (akt__slot_index(slots[i])) i = (i + 1) & mask;
    slots[i] = akt__slot_make(index, hash);
}

/* Puts every key of the table in slots: visiting each key's cell in the table's order, or,
 * when most cells are named, walking the pages of cells in order (their lines stream in
 * rather than missing one at random per key). */
static void akt__names_refill(akt_system *s, akt__name_slot *slots, uint32_t cap) {
    akt__names *n = &s->names;
    if ((uint64_t)n->live * 4 >= (uint64_t)s->npages * AKT__PAGE_CELLS) {
        /* Each key's hash first, a batch at a time, and its slot's line prefetched:
         * the batch's inserts then find their lines on the way. */
        uint32_t idx[AKT__GROW_AHEAD], h[AKT__GROW_AHEAD], k = 0;
        for (uint32_t pg = 0; pg < s->npages; pg++) {
            akt__cell *p = akt__cell_get(s, pg << AKT__PAGE_SHIFT);
            for (uint32_t i = 0; i < AKT__PAGE_CELLS; i++) {
                if (!p[i].named) continue;
                idx[k] = akt__cell_index(&p[i]);
                h[k] = akt__cell_key_hash(&p[i]);
                __builtin_prefetch(slots + (h[k] & (cap - 1)), 1);
                if (++k == AKT__GROW_AHEAD) {
                    for (k = 0; k < AKT__GROW_AHEAD; k++) akt__names_put(slots, cap, idx[k], h[k]);
                    k = 0;
                }
            }
        }
        for (uint32_t i = 0; i < k; i++) akt__names_put(slots, cap, idx[i], h[i]);
        return;
    }
    /* Each key is hashed again from its cell: two cache misses a key (the cell, its name),
     * so both are prefetched AKT__GROW_AHEAD slots ahead. */
    for (uint32_t i = 0; i < n->cap; i++) {
        if (i + AKT__GROW_AHEAD < n->cap)
            akt__name_prefetch(s, akt__slot_index(n->slots[i + AKT__GROW_AHEAD]));
        uint32_t idx = akt__slot_index(n->slots[i]);
        if (idx) akt__names_put(slots, cap, idx, akt__cell_name_hash(s, idx));
    }
}

static int akt__names_grow(akt_system *s) {
    akt__names *n = &s->names;
    uint32_t cap = n->cap ? n->cap : 64;
    while ((uint64_t)(n->live + 1) * 10 >= (uint64_t)cap * 5) cap *= 2;
    akt__name_slot *slots = akt__heap_calloc(&s->heap, (size_t)cap * sizeof *slots);
    if (!slots) return AKT_ENOMEM;
    akt__heap_huge(&s->heap, slots, (size_t)cap * sizeof *slots); /* before it is written */
    akt__names_refill(s, slots, cap);
    akt__heap_free(&s->heap, n->slots);
    /* relaxed atomic stores: akt__names_hash_ahead reads both without the lock */
    __atomic_store_n(&n->slots, slots, __ATOMIC_RELAXED);
    __atomic_store_n(&n->cap, cap, __ATOMIC_RELAXED);
    n->used = n->live;
    return 0;
}

int akt__names_add(akt_system *s, uint32_t index) {
    akt__names *n = &s->names;
    /* Keep live + deleted under 70 %: probes stay short and an empty slot always exists. */
    if ((uint64_t)(n->used + 1) * 10 >= (uint64_t)n->cap * 7) {
        int rc = akt__names_grow(s);
        if (rc) return rc;
    }
    akt__names_put(n->slots, n->cap, index, akt__cell_name_hash(s, index));
    akt__cell_get(s, index)->named = 1;
    n->used++;
    n->live++;
    return 0;
}

/* perf begin: */
uint32_t akt__names_hash_ahead(akt_system *s, uint32_t parent, const char *name, size_t len) {
    uint32_t h = akt__name_hash(parent, name, len);
    /* With or without the lock: the table may be growing meanwhile, so slots and cap are
     * read atomically (relaxed: a stale pair only prefetches a line of no use; the pointer
     * is never dereferenced). The mask of a stale cap may exceed a stale table: a prefetch
     * does not fault. */
    akt__name_slot *slots = __atomic_load_n(&s->names.slots, __ATOMIC_RELAXED);
    uint32_t cap = __atomic_load_n(&s->names.cap, __ATOMIC_RELAXED);
    if (slots && cap) __builtin_prefetch(slots + (h & (cap - 1)));
    return h;
}

uint32_t akt__names_find_hint(akt_system *s, uint32_t parent, const char *name, size_t len,
                              uint32_t h, akt__name_hint *hint) {
    akt__names *n = &s->names;
    *hint = (akt__name_hint){h, UINT32_MAX};
    if (!n->cap) return 0;
    uint32_t mask = n->cap - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        akt__name_slot sl = n->slots[i];
        if (sl == 0) {
            if (hint->slot == UINT32_MAX) hint->slot = i;
            return 0;
        }
        if (!akt__slot_index(sl)) {
            if (hint->slot == UINT32_MAX) hint->slot = i; /* reused, as akt__names_put does */
        } else if (akt__slot_may_be(sl, h) &&
                   akt__name_is(s, akt__slot_index(sl), parent, name, len)) {
            return akt__slot_index(sl);
        }
    }
}

int akt__names_add_hint(akt_system *s, uint32_t index, const akt__name_hint *hint) {
    akt__names *n = &s->names;
    if (hint->slot == UINT32_MAX || (uint64_t)(n->used + 1) * 10 >= (uint64_t)n->cap * 7) {
        int rc = akt__names_grow(s); /* rare: the slot moves, so probe again */
        if (rc) return rc;
        akt__names_put(n->slots, n->cap, index, hint->hash);
    } else {
        n->slots[hint->slot] = akt__slot_make(index, hint->hash);
    }
    akt__cell_get(s, index)->named = 1;
    n->used++;
    n->live++;
    return 0;
}
/* perf end */

void akt__names_remove(akt_system *s, uint32_t index) {
    akt__names *n = &s->names;
    if (!n->cap) return;
    akt__cell *c = akt__cell_get(s, index);
    uint32_t mask = n->cap - 1;
    for (uint32_t i = akt__cell_key_hash(c) & mask;; i = (i + 1) & mask) {
        if (n->slots[i] == 0) return;
        if (akt__slot_index(n->slots[i]) == index) {
            n->slots[i] = AKT__DELETED;
            c->named = 0;
            n->live--;
            return;
        }
    }
}

void akt__names_free(akt_system *s) {
    akt__heap_free(&s->heap, s->names.slots);
    s->names = (akt__names){0};
}

char *akt__name_new(akt__heap *h, akt__name_inline *own, const char *name, size_t len,
                    int64_t started_ns, uint16_t kind) {
    akt__name_rec *r = len <= AKT__NAME_INLINE_MAX
                           ? (akt__name_rec *)(void *)own
                           : akt__heap_alloc(h, offsetof(akt__name_rec, text) + len + 1);
    if (!r) return NULL;
    uint64_t ms = started_ns > 0 ? (uint64_t)started_ns / 1000000 : 0;
    for (int i = 0; i < 5; i++) r->started_ms[i] = (uint8_t)(ms >> 8 * i);
    r->kind[0] = (uint8_t)kind;
    r->kind[1] = (uint8_t)(kind >> 8);
    memcpy(r->text, name, len);
    r->text[len] = 0;
    if (r != (akt__name_rec *)(void *)own) {
        char *far = r->text;
        own->text[0] = 0;
        memcpy(own->text + AKT__NAME_FAR_AT, &far, sizeof far);
    }
    return r->text;
}

void akt__name_free(akt__heap *h, akt__name_inline *own) {
    char *text = akt__name_of(own), *none = NULL;
    if (text && text != own->text) akt__heap_free(h, text - offsetof(akt__name_rec, text));
    own->text[0] = 0;
    memcpy(own->text + AKT__NAME_FAR_AT, &none, sizeof none);
}
