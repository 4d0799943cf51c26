/* Heaps: an akt_allocator plus helpers. The default heap backs messages, envelopes and
 * futures; each system has its own heap for its tables, names and actor extensions. */
#ifndef AKT_CORE_BASE_ALLOC_H
#define AKT_CORE_BASE_ALLOC_H
#include <akt/akt.h>
#include <stdatomic.h>

typedef struct akt__heap {
    akt_allocator a;
} akt__heap;

extern akt__heap akt__default_heap;
/* Set once anything has been allocated from the default heap; after that it is fixed. */
extern atomic_int akt__default_heap_used;

void akt__heap_init_default(akt__heap *h);
int akt__heap_from(akt__heap *h, const akt_allocator *a);
void *akt__heap_alloc(akt__heap *h, size_t n);
void *akt__heap_calloc(akt__heap *h, size_t n);
void *akt__heap_realloc(akt__heap *h, void *p, size_t n);
void akt__heap_free(akt__heap *h, void *p);
char *akt__heap_strdup(akt__heap *h, const char *s);

static inline void *akt__dalloc(size_t n) {
    /* relaxed: the flag only has to become visible before set_default is next called,
     * which is documented as "before any other use". */
    atomic_store_explicit(&akt__default_heap_used, 1, memory_order_relaxed);
    return akt__heap_alloc(&akt__default_heap, n);
}
static inline void akt__dfree(void *p) { akt__heap_free(&akt__default_heap, p); }
/* Frees a large block of n bytes of the default heap whose contents are dead (a pool's
 * slab). With the built-in malloc, its whole pages go back to the kernel first: glibc keeps
 * freed memory in the middle of its heap resident until someone calls malloc_trim, so a
 * drained backlog's slabs would stay in the process for good. A caller's allocator keeps
 * its own policy: the block is simply freed. */
void akt__dfree_unused(void *p, size_t n);

#endif
