/* The interned actor kinds (kinds.h). */
#include "kinds.h"

#include <string.h>

#include "sys.h"

static uint32_t akt__kind_hash(const char *t, size_t n) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)t[i]) * 16777619u;
    return h;
}

static int akt__kinds_rehash(akt_system *s, uint32_t nslots) {
    akt__kinds *k = &s->kinds;
    uint16_t *slots = akt__heap_calloc(&s->heap, nslots * sizeof *slots);
    if (!slots) return -1;
    for (uint32_t i = 0; i < k->n; i++) {
        uint32_t j = k->v[i]->hash & (nslots - 1);
        while (slots[j]) j = (j + 1) & (nslots - 1);
        slots[j] = (uint16_t)(i + 1);
    }
    akt__heap_free(&s->heap, k->slots);
    k->slots = slots;
    k->nslots = nslots;
    return 0;
}

int akt__kind_intern_locked(akt_system *s, const char *kind) {
    if (!kind || !kind[0]) return 0;
    size_t len = strnlen(kind, AKT__KIND_MAX_LEN + 1);
    if (len > AKT__KIND_MAX_LEN) return -2;
    akt__kinds *k = &s->kinds;
    uint32_t h = akt__kind_hash(kind, len);
    if (k->nslots) {
        for (uint32_t j = h & (k->nslots - 1); k->slots[j]; j = (j + 1) & (k->nslots - 1)) {
            const akt__kind *r = k->v[k->slots[j] - 1];
            if (r->hash == h && memcmp(r->text, kind, len + 1) == 0) return k->slots[j];
        }
    }
    if (k->n == AKT__KIND_MAX) return -1;
    /* at most half full: a probe ends soon */
    if ((k->n + 1) * 2 > k->nslots && akt__kinds_rehash(s, k->nslots ? k->nslots * 2 : 16))
        return -1;
    if (k->n == k->cap) {
        uint32_t cap = k->cap ? k->cap * 2 : 8;
        akt__kind **v = akt__heap_realloc(&s->heap, k->v, cap * sizeof *v);
        if (!v) return -1;
        k->v = v;
        k->cap = cap;
    }
    akt__kind *r = akt__heap_alloc(&s->heap, sizeof *r + len + 1);
    if (!r) return -1;
    atomic_init(&r->passivated, 0);
    r->hash = h;
    memcpy(r->text, kind, len + 1);
    k->v[k->n++] = r;
    uint32_t j = h & (k->nslots - 1);
    while (k->slots[j]) j = (j + 1) & (k->nslots - 1);
    k->slots[j] = (uint16_t)k->n;
    return (int)k->n;
}

const akt__kind *akt__kind_get_locked(akt_system *s, uint16_t index) {
    return index && index <= s->kinds.n ? s->kinds.v[index - 1] : NULL;
}

void akt__kind_passivated(akt_system *s, uint16_t index) {
    akt__sys_stat(&s->stats.passivated);
    if (!index) {
        akt__sys_stat(&s->stats.passivated_unkinded);
        return;
    }
    pthread_mutex_lock(&s->lock); /* v may move as kinds are added; a record never does */
    const akt__kind *r = akt__kind_get_locked(s, index);
    pthread_mutex_unlock(&s->lock);
    if (r) atomic_fetch_add_explicit(&((akt__kind *)r)->passivated, 1, memory_order_relaxed);
}

void akt__kinds_free(akt_system *s) {
    akt__kinds *k = &s->kinds;
    for (uint32_t i = 0; i < k->n; i++) akt__heap_free(&s->heap, k->v[i]);
    akt__heap_free(&s->heap, k->v);
    akt__heap_free(&s->heap, k->slots);
    memset(k, 0, sizeof *k);
}
