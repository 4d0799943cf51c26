/* A growable array of 64-bit words on a system heap (pids, pointers). Owner-only. */
#ifndef AKT_CORE_BASE_VEC_H
#define AKT_CORE_BASE_VEC_H
#include <stdint.h>

#include "alloc.h"

typedef struct akt__vec {
    uint64_t *v;
    uint32_t n, cap;
} akt__vec;

static inline int akt__vec_push(akt__heap *h, akt__vec *a, uint64_t x) {
    if (a->n == a->cap) {
        uint32_t cap = a->cap ? a->cap * 2 : 4;
        uint64_t *v = akt__heap_realloc(h, a->v, cap * sizeof *v);
        if (!v) return AKT_ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

static inline int akt__vec_find(const akt__vec *a, uint64_t x) {
    for (uint32_t i = 0; i < a->n; i++)
        if (a->v[i] == x) return (int)i;
    return -1;
}

/* Removes the first x, keeping order; 1 if found. */
static inline int akt__vec_remove(akt__vec *a, uint64_t x) {
    int i = akt__vec_find(a, x);
    if (i < 0) return 0;
    for (uint32_t j = (uint32_t)i + 1; j < a->n; j++) a->v[j - 1] = a->v[j];
    a->n--;
    return 1;
}

static inline void akt__vec_free(akt__heap *h, akt__vec *a) {
    akt__heap_free(h, a->v);
    *a = (akt__vec){0};
}

#endif
