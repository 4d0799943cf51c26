/* The consistent-hash ring of a router: virtual nodes of each routee sorted by their xxh3
 * position; a key belongs to the first node at or after it (wrapping around). Rebuilt
 * whenever the routees change (a control-path allocation), read on the routing path. */
#ifndef AKT_CORE_LIB_ROUTER_RING_H
#define AKT_CORE_LIB_ROUTER_RING_H
#include <akt/akt.h>

#include <stddef.h>
#include <stdint.h>

typedef struct akt__ring_node {
    uint64_t pos;    /* xxh3 of (routee id, virtual node number) */
    uint64_t routee; /* the routee's pid id */
} akt__ring_node;

typedef struct akt__ring {
    akt__ring_node *nodes; /* sorted by pos; default heap */
    size_t n;
} akt__ring;

/* Rebuilds ring for the routees (ids) with vnodes virtual nodes each. On AKT_ENOMEM the
 * ring is left as it was. */
int akt__ring_build(akt__ring *ring, const uint64_t *ids, size_t count, uint32_t vnodes);
void akt__ring_free(akt__ring *ring);
/* The routee id owning key; 0 for an empty ring. */
uint64_t akt__ring_lookup(const akt__ring *ring, uint64_t key);
/* The default key of a message: xxh3 of its bytes seeded with xxh3 of its type name (only
 * the type's hash when the message has no bytes to give). */
uint64_t akt__ring_msg_key(akt_msg *msg);

#endif
