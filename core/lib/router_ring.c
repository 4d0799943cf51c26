/* The consistent-hash ring (router_ring.h). */
#include "router_ring.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "base/alloc.h"

static int akt__node_cmp(const void *a, const void *b) {
    const akt__ring_node *x = a, *y = b;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    /* Equal positions (a 2^-64 chance) are ordered by routee so every build agrees. */
    return x->routee < y->routee ? -1 : x->routee > y->routee;
}

int akt__ring_build(akt__ring *ring, const uint64_t *ids, size_t count, uint32_t vnodes) {
    size_t n = count * vnodes;
    akt__ring_node *nodes = NULL;
    if (n) {
        nodes = akt__dalloc(n * sizeof *nodes);
        if (!nodes) return AKT_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        for (uint32_t v = 0; v < vnodes; v++) {
            uint64_t id = ids[i];
            nodes[k].pos = XXH3_64bits_withSeed(&id, sizeof id, v);
            nodes[k].routee = id;
            k++;
        }
    }
    if (n) qsort(nodes, n, sizeof *nodes, akt__node_cmp);
    akt__dfree(ring->nodes);
    ring->nodes = nodes;
    ring->n = n;
    return 0;
}

void akt__ring_free(akt__ring *ring) {
    akt__dfree(ring->nodes);
    ring->nodes = NULL;
    ring->n = 0;
}

uint64_t akt__ring_lookup(const akt__ring *ring, uint64_t key) {
    if (!ring->n) return 0;
    size_t lo = 0, hi = ring->n; /* first node with pos >= key */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ring->nodes[mid].pos < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return ring->nodes[lo == ring->n ? 0 : lo].routee;
}

uint64_t akt__ring_msg_key(akt_msg *msg) {
    const char *type = akt_msg_type(msg);
    uint64_t seed = XXH3_64bits(type, strlen(type));
    const void *data;
    size_t len;
    if (akt_msg_bytes(msg, &data, &len) != 0) return seed;
    return XXH3_64bits_withSeed(data, len, seed);
}
