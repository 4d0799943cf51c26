/* Fixed-size block pools with per-thread magazines (as in Bonwick's slab allocator): the
 * hot path of a send allocates and frees without a lock or an atomic; threads trade full
 * magazines through a mutex once per AKT__MAG blocks. Blocks are carved from slabs of the
 * default heap. A slab whose blocks are all back in the depot goes back to the heap when
 * the depot holds well more than a reserve and the pools have been quiet for a while (a
 * parked worker gives it back), or during a long drain (see pool.c): the memory of a
 * backlog is returned once it drained, while a load that keeps using its blocks (even
 * one whose backlog swings, or that repeats bursts) allocates nothing. */
#ifndef AKT_CORE_BASE_POOL_H
#define AKT_CORE_BASE_POOL_H
#include <stddef.h>
#include <stdint.h>

enum { AKT__POOL_64, AKT__POOL_128, AKT__POOL_192, AKT__POOL_256, AKT__POOL_NCLASSES };

/* Blocks of a pool are aligned to this while pooling is on (a cache line: two blocks never
 * share one). With pooling off they have the default heap's alignment. */
#define AKT__POOL_ALIGN 64
/* A free block's first bytes hold the pool's links; the rest is left as its last user
 * wrote it (akt_msg keeps its magic and count there, to catch a release too many). */
#define AKT__POOL_LINK_BYTES 24

/* The class for n bytes, or -1 if n is larger than the largest class. */
int akt__pool_class(size_t n);
/* The size of the blocks of class cls. */
size_t akt__pool_block_size(int cls);
void *akt__pool_get(int cls);
void akt__pool_put(int cls, void *p);
/* When the pools' free memory is due to go back to the heap if nobody allocates or frees
 * until then (akt__now_ns), or 0 if there is none worth it. */
int64_t akt__pool_reclaim_due(void);
/* Gives back the free memory of every class that has been quiet long enough (a parked
 * worker calls it once akt__pool_reclaim_due has passed). Any thread, no lock held. */
void akt__pool_reclaim_idle(void);
/* Gives every slab back to the heap. Only when no akt object exists and no other thread
 * uses akt (leak checks at the end of a test program). */
void akt__pool_trim(void);
/* Disables pooling (every get/put goes to the heap); for allocation-failure tests. */
void akt__pool_set_enabled(int on);

#endif
