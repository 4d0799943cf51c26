/* Allocator plumbing: default malloc-backed heap, per-system heaps. */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void *akt__std_malloc(void *d, size_t n) {
    (void)d;
    return malloc(n);
}
static void *akt__std_realloc(void *d, void *p, size_t n) {
    (void)d;
    return realloc(p, n);
}
static void akt__std_free(void *d, void *p) {
    (void)d;
    free(p);
}

akt__heap akt__default_heap = {
    {sizeof(akt_allocator), akt__std_malloc, akt__std_realloc, akt__std_free, NULL}};
atomic_int akt__default_heap_used;

void akt__heap_init_default(akt__heap *h) {
    h->a = (akt_allocator){sizeof(akt_allocator), akt__std_malloc, akt__std_realloc, akt__std_free,
                           NULL};
}

int akt__heap_from(akt__heap *h, const akt_allocator *a) {
    if (!a) {
        akt__heap_init_default(h);
        return 0;
    }
    if (a->size < sizeof(akt_allocator) || !a->malloc_fn || !a->realloc_fn || !a->free_fn)
        return AKT_EINVAL;
    h->a = *a;
    h->a.size = sizeof(akt_allocator);
    return 0;
}

void *akt__heap_alloc(akt__heap *h, size_t n) { return h->a.malloc_fn(h->a.data, n ? n : 1); }

void *akt__heap_calloc(akt__heap *h, size_t n) {
    /* With the built-in malloc, calloc: a large block is fresh zeroed pages from the
     * kernel, which calloc leaves untouched (resident only once used), where a memset would
     * fault every page in at once (a page of cells and its name records, a name table). */
    if (h->a.malloc_fn == akt__std_malloc) return calloc(1, n ? n : 1);
    void *p = akt__heap_alloc(h, n);
    if (p) memset(p, 0, n);
    return p;
}

void *akt__heap_realloc(akt__heap *h, void *p, size_t n) {
    return h->a.realloc_fn(h->a.data, p, n ? n : 1);
}

void akt__heap_free(akt__heap *h, void *p) {
    if (p) h->a.free_fn(h->a.data, p);
}

char *akt__heap_strdup(akt__heap *h, const char *s) {
    size_t n = strlen(s) + 1;
    char *d = akt__heap_alloc(h, n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Gives advice on the whole pages inside the block of n bytes at p, if it came from the
 * built-in malloc (another allocator keeps its own policy). Advice: it may fail. */
static void akt__std_advise(akt__heap *h, void *p, size_t n, int advice) {
    if (h->a.malloc_fn != akt__std_malloc || !p) return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)p + n) & ~(page - 1);
    if (hi > lo) madvise((void *)lo, hi - lo, advice);
}

void akt__dfree_unused(void *p, size_t n) {
    if (!p) return;
    /* Only whole pages inside the block: malloc's bookkeeping just before and after it (its
     * header, the next chunk's) stays resident. The dropped pages read back as zeros;
     * nothing reads the block's dead contents, and free() only writes into it (its links at
     * the start), which at worst faults one zeroed page back in. */
    akt__std_advise(&akt__default_heap, p, n, MADV_DONTNEED);
    akt__dfree(p);
}

AKT_API int akt_allocator_set_default(const akt_allocator *allocator) {
    /* acquire pairs with nothing in particular: a racing first allocation is a documented
     * misuse; this check catches the sequential case, which is the one that happens. */
    if (atomic_load_explicit(&akt__default_heap_used, memory_order_acquire)) return AKT_EMISUSE;
    akt__heap h;
    int rc = akt__heap_from(&h, allocator);
    if (rc) return rc;
    akt__default_heap = h;
    return 0;
}

void akt__heap_prefault(akt__heap *h, void *p, size_t n) {
#ifdef MADV_POPULATE_WRITE
    akt__std_advise(h, p, n, MADV_POPULATE_WRITE);
#else
    (void)h, (void)p, (void)n;
#endif
}

void akt__heap_huge(akt__heap *h, void *p, size_t n) {
#ifdef MADV_HUGEPAGE
    if (n >= (size_t)4 << 20) akt__std_advise(h, p, n, MADV_HUGEPAGE);
#else
    (void)h, (void)p, (void)n;
#endif
}
