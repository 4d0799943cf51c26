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
/* Makes n bytes at p, about to be written all, resident in one call (MADV_POPULATE_WRITE)
 * rather than one page fault per page as they are first written; with the built-in malloc
 * only (another allocator's memory may be resident already), and only as advice (an older
 * kernel refuses it: the pages fault in as they are written). */
void akt__heap_prefault(akt__heap *h, void *p, size_t n);
/* Asks for huge pages (MADV_HUGEPAGE) under n bytes at p, not yet written, that will be
 * read at random (a large hash table: one TLB entry per 2 MB rather than per 4 KB); for
 * blocks of 4 MB or more from the built-in malloc, as advice. */
void akt__heap_huge(akt__heap *h, void *p, size_t n);

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
