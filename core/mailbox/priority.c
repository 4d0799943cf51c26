/* The priority mailbox: a binary min-heap of envelopes ordered by the user's comparator,
 * ties broken by arrival (a sequence number), so equal priorities stay FIFO. Runner-only:
 * no lock, no atomic. A poison pill (no message) sorts after every message. */
#include <string.h>

#include "mailbox.h"

typedef struct akt__prio_item {
    akt__envelope *env;
    uint64_t seq;
} akt__prio_item;

typedef struct akt__prio {
    akt_mailbox_compare_fn compare;
    void *data;
    akt__prio_item *items;
    size_t n, cap;
    uint64_t next_seq;
} akt__prio;

#define AKT__PRIO_MIN_CAP 16

int akt__mailbox_priority_new(akt__heap *h, const akt_mailbox_spec *spec, void **order) {
    akt__prio *q = akt__heap_calloc(h, sizeof *q);
    if (!q) return AKT_ENOMEM;
    q->compare = spec->compare;
    q->data = spec->compare_data;
    *order = q;
    return 0;
}

/* 1 if a goes before b. */
static int akt__prio_before(const akt__prio *q, const akt__prio_item *a, const akt__prio_item *b) {
    akt_msg *ma = a->env->msg, *mb = b->env->msg;
    if (ma && mb) {
        int c = q->compare(ma, mb, q->data);
        if (c) return c < 0;
    } else if (ma != mb) {
        return ma != NULL; /* a message before a pill */
    }
    return a->seq < b->seq;
}

static int akt__prio_put(akt__mailbox *mb, akt__envelope *e) {
    akt__prio *q = mb->order;
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : AKT__PRIO_MIN_CAP;
        akt__prio_item *v = akt__heap_realloc(mb->heap, q->items, cap * sizeof *v);
        if (!v) return 0;
        q->items = v;
        q->cap = cap;
    }
    size_t i = q->n++;
    akt__prio_item it = {e, q->next_seq++};
    while (i) { /* sift up */
        size_t up = (i - 1) / 2;
        if (!akt__prio_before(q, &it, &q->items[up])) break;
        q->items[i] = q->items[up];
        i = up;
    }
    q->items[i] = it;
    return 1;
}

static akt__envelope *akt__prio_take(akt__mailbox *mb) {
    akt__prio *q = mb->order;
    if (!q->n) return NULL;
    akt__envelope *top = q->items[0].env;
    akt__prio_item last = q->items[--q->n];
    size_t i = 0;
    for (;;) { /* sift down */
        size_t l = 2 * i + 1, best = l;
        if (l >= q->n) break;
        if (l + 1 < q->n && akt__prio_before(q, &q->items[l + 1], &q->items[l])) best = l + 1;
        if (!akt__prio_before(q, &q->items[best], &last)) break;
        q->items[i] = q->items[best];
        i = best;
    }
    if (q->n) q->items[i] = last;
    return top;
}

static size_t akt__prio_size(const akt__mailbox *mb) { return ((const akt__prio *)mb->order)->n; }

static void akt__prio_free(akt__mailbox *mb) {
    akt__prio *q = mb->order;
    akt__heap_free(mb->heap, q->items);
    akt__heap_free(mb->heap, q);
}

const akt__mailbox_ops akt__mailbox_priority_ops = {
    .name = "priority",
    .put = akt__prio_put,
    .take = akt__prio_take,
    .size = akt__prio_size,
    .free = akt__prio_free,
    /* an item, and at worst as much again of slack in the doubled array */
    .bytes_per_message = 2 * sizeof(akt__prio_item),
};
