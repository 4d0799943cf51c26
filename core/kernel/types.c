/* The process's type table: registration under a mutex, lookups without a lock. Types are
 * never removed (a handle stays valid for the process's life, like an interned string), so
 * a reader needs no reference: an entry, once published, never changes. */
#include "types.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "base/alloc.h"
#include "msg.h"

/* Open addressing on the name's hash, twice the ids: a probe ends at an empty slot. */
#define AKT__TYPES_SLOTS 8192u

static pthread_mutex_t akt__types_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(struct akt_type *) akt__types_by_id[AKT__TYPES_MAX + 1];
static atomic_ushort akt__types_slots[AKT__TYPES_SLOTS]; /* ids, 0 = empty */
static uint32_t akt__types_count;                        /* under the lock */

static uint32_t akt__type_hash(const char *s, size_t n) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

const struct akt_type *akt__type_of(uint32_t id) {
    if (id == 0 || id > AKT__TYPES_MAX) return NULL;
    /* acquire: pairs with the release store in akt_type_register: the entry's fields. */
    return atomic_load_explicit(&akt__types_by_id[id], memory_order_acquire);
}

uint32_t akt__type_find(const char *name, size_t len) {
    uint32_t i = akt__type_hash(name, len) & (AKT__TYPES_SLOTS - 1);
    for (;;) {
        /* acquire: a slot's id is stored after its entry (release), so the entry read
         * next is complete. */
        unsigned id = atomic_load_explicit(&akt__types_slots[i], memory_order_acquire);
        if (!id) return 0;
        const struct akt_type *t = akt__type_of(id);
        if (t && t->len == len && memcmp(t->name, name, len) == 0) return id;
        i = (i + 1) & (AKT__TYPES_SLOTS - 1);
    }
}

AKT_API int akt_type_register(akt_system *system, const char *name, const akt_type **out) {
    int n = akt__type_check(name);
    if (!system || !out) return AKT_EINVAL;
    if (n < 0) return n;
    uint32_t id = akt__type_find(name, (size_t)n);
    if (id) {
        *out = akt__type_of(id);
        return 0;
    }
    pthread_mutex_lock(&akt__types_lock);
    int rc = 0;
    id = akt__type_find(name, (size_t)n); /* registered meanwhile? */
    if (!id) {
        struct akt_type *t = NULL;
        if (akt__types_count >= AKT__TYPES_MAX) {
            rc = AKT_EFULL;
        } else if (!(t = akt__dalloc(sizeof *t + (size_t)n + 1))) {
            rc = AKT_ENOMEM;
        } else {
            id = ++akt__types_count;
            t->magic = AKT__TYPE_MAGIC;
            t->id = (uint16_t)id;
            t->len = (uint8_t)n;
            memcpy(t->name, name, (size_t)n + 1);
            /* release: whoever finds the id (by slot or in a message) sees the entry. */
            atomic_store_explicit(&akt__types_by_id[id], t, memory_order_release);
            uint32_t i = akt__type_hash(name, (size_t)n) & (AKT__TYPES_SLOTS - 1);
            /* relaxed probe: slots change only under this lock, which we hold. */
            while (atomic_load_explicit(&akt__types_slots[i], memory_order_relaxed))
                i = (i + 1) & (AKT__TYPES_SLOTS - 1);
            /* release: the entry above before the slot that leads to it. */
            atomic_store_explicit(&akt__types_slots[i], (unsigned short)id, memory_order_release);
        }
    }
    pthread_mutex_unlock(&akt__types_lock);
    if (rc) return rc;
    *out = akt__type_of(id);
    return 0;
}

AKT_API int akt_type_lookup(const char *name, const akt_type **out) {
    int n = akt__type_check(name);
    if (!out) return AKT_EINVAL;
    if (n < 0) return n;
    uint32_t id = akt__type_find(name, (size_t)n);
    if (!id) return AKT_ENOTFOUND;
    *out = akt__type_of(id);
    return 0;
}

AKT_API uint32_t akt_type_id(const akt_type *type) { return akt__type_ok(type) ? type->id : 0; }

AKT_API const char *akt_type_name(const akt_type *type) {
    return akt__type_ok(type) ? type->name : NULL;
}
