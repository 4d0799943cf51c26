/* Fixed-size block pools with per-thread magazines (as in Bonwick's slab allocator): the
 * hot path of a send allocates and frees without a lock or an atomic; threads trade full
 * magazines through a mutex once per AKT__MAG blocks. Blocks come from the default heap
 * and go back to it only through akt__pool_trim. */
#ifndef AKT_CORE_BASE_POOL_H
#define AKT_CORE_BASE_POOL_H
#include <stddef.h>

enum { AKT__POOL_64, AKT__POOL_128, AKT__POOL_192, AKT__POOL_256, AKT__POOL_NCLASSES };

/* The class for n bytes, or -1 if n is larger than the largest class. */
int akt__pool_class(size_t n);
void *akt__pool_get(int cls);
void akt__pool_put(int cls, void *p);
/* Gives every slab back to the heap. Only when no akt object exists and no other thread
 * uses akt (leak checks at the end of a test program). */
void akt__pool_trim(void);
/* Disables pooling (every get/put goes to the heap); for allocation-failure tests. */
void akt__pool_set_enabled(int on);

#endif
