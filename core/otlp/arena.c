/* The bump arena of one request's protobuf-c message tree. */
#include <stdlib.h>
#include <string.h>

#include "otlp.h"

typedef struct akt__otlp_chunk {
    struct akt__otlp_chunk *next;
    max_align_t data[];
} akt__otlp_chunk;

#define AKT__OTLP_CHUNK 16384

void *akt__otlp_arena_alloc(akt__otlp_arena *a, size_t n) {
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    if (n > a->left) {
        size_t cap = n > AKT__OTLP_CHUNK ? n : AKT__OTLP_CHUNK;
        akt__otlp_chunk *c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->next = a->chunks;
        a->chunks = c;
        a->next = (char *)c->data;
        a->left = cap;
    }
    void *p = a->next;
    a->next += n;
    a->left -= n;
    memset(p, 0, n);
    return p;
}

char *akt__otlp_arena_strdup(akt__otlp_arena *a, const char *s) {
    size_t n = strlen(s ? s : "") + 1;
    char *d = akt__otlp_arena_alloc(a, n);
    if (d) memcpy(d, s ? s : "", n);
    return d;
}

void akt__otlp_arena_free(akt__otlp_arena *a) {
    while (a->chunks) {
        akt__otlp_chunk *n = a->chunks->next;
        free(a->chunks);
        a->chunks = n;
    }
    a->left = 0;
    a->next = NULL;
}
