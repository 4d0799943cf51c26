/* A small open-addressing set of pid ids, used on the JS thread only. */
#include <stdlib.h>

#include "addon.h"

#define DELETED UINT64_MAX

static size_t slot_of(uint64_t id, size_t cap) {
    /* Fibonacci hashing: pids differ mostly in their low (index) bits. */
    return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static void grow(an_pidset *s) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    uint64_t *keys = calloc(cap, sizeof *keys);
    if (!keys) return;
    for (size_t i = 0; i < s->cap; i++) {
        uint64_t k = s->keys[i];
        if (!k || k == DELETED) continue;
        size_t j = slot_of(k, cap);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = k;
    }
    free(s->keys);
    s->keys = keys;
    s->cap = cap;
}

void an_pidset_add(an_pidset *s, uint64_t id) {
    if (!id || an_pidset_has(s, id)) return;
    /* used counts tombstones too, so probes always end at an empty slot. */
    if ((s->used + 1) * 2 > s->cap) {
        size_t live = 0;
        for (size_t i = 0; i < s->cap; i++) live += s->keys[i] && s->keys[i] != DELETED;
        grow(s);
        s->used = live;
        if ((s->used + 1) * 2 > s->cap) return; /* out of memory: the pid stays unknown */
    }
    size_t j = slot_of(id, s->cap);
    while (s->keys[j] && s->keys[j] != DELETED) j = (j + 1) & (s->cap - 1);
    if (!s->keys[j]) s->used++;
    s->keys[j] = id;
}

static size_t find(const an_pidset *s, uint64_t id) {
    if (!s->cap) return SIZE_MAX;
    size_t j = slot_of(id, s->cap);
    while (s->keys[j]) {
        if (s->keys[j] == id) return j;
        j = (j + 1) & (s->cap - 1);
    }
    return SIZE_MAX;
}

int an_pidset_has(const an_pidset *s, uint64_t id) { return find(s, id) != SIZE_MAX; }

void an_pidset_del(an_pidset *s, uint64_t id) {
    size_t j = find(s, id);
    if (j != SIZE_MAX) s->keys[j] = DELETED;
}

void an_pidset_free(an_pidset *s) {
    free(s->keys);
    *s = (an_pidset){0};
}
