/* map_async: a segment whose first stage hands each element to a call that completes later
 * (akt_stream_async_complete, from any thread). At most parallelism calls are pending; the
 * completion is told to the segment as Done(id), and the results leave in input order
 * (ordered: a ring of slots, emitted from its head) or as they complete. */
#include "stream/segment.h"

#include "base/alloc.h"

#include <string.h>

struct akt_stream_async {
    /* acq_rel: the last of the slot's and the caller's releases frees it, after the other's
     * writes (the result). */
    atomic_int refs;
    akt_stream *s; /* a reference */
    akt_pid seg;
    uint64_t id;
    int rc;
    akt_msg *out; /* written by the completer before its Done is told (the tell publishes) */
};

enum { SLOT_FREE = 0, SLOT_PENDING = 1, SLOT_READY = 2 };

typedef struct akt__async_slot {
    int state;
    akt_stream_async *p; /* the pending call (PENDING) */
    akt_msg *in;         /* the element, kept for retries */
    akt_msg *out;        /* READY: the result, or NULL when the element was dropped */
    unsigned attempts;
} akt__async_slot;

static void pending_unref(akt_stream_async *p) {
    if (atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1) return;
    if (p->out) akt_msg_release(p->out);
    akt__stream_unref(p->s);
    akt__dfree(p);
}

int akt_stream_async_complete(akt_stream_async *pending, int rc, akt_msg *out) {
    if (!pending) {
        if (out) akt_msg_release(out);
        return AKT_EINVAL;
    }
    int ret = 0;
    if (rc > 0 || (rc == 0 && !out)) rc = ret = AKT_EINVAL;
    if (rc < 0 && out) akt_msg_release(out), out = NULL;
    pending->rc = rc;
    pending->out = out;
    akt_stream *s = pending->s;
    /* Under mu the stream cannot end (nor its handle, which holds the system, go) while the
     * Done is told; after the end nobody waits for it. */
    pthread_mutex_lock(&s->mu);
    if (!atomic_load_explicit(&s->done, memory_order_relaxed)) { /* under mu */
        akt_msg *m = akt__stream_control(AKT__T_DONE, (int64_t)pending->id);
        if (m && akt_tell(s->system, pending->seg, m) != 0) akt_msg_release(m);
        if (!m) ret = AKT_ENOMEM; /* the segment never hears of it: the stream stalls */
    }
    pthread_mutex_unlock(&s->mu);
    if (ret == AKT_ENOMEM) akt__stream_finish(s, AKT_ENOMEM, "out of memory for map_async");
    pending_unref(pending);
    return ret;
}

int akt__async_init(akt__seg *g) {
    const akt__stage_def *d = &g->s->defs[g->first];
    g->slots = akt__dalloc(d->capacity * sizeof *g->slots);
    if (!g->slots) return AKT_ENOMEM;
    memset(g->slots, 0, d->capacity * sizeof *g->slots);
    g->n_slots = d->capacity;
    g->is_async = 1;
    return 0;
}

static void slot_clear(akt__async_slot *sl) {
    if (sl->p) pending_unref(sl->p);
    if (sl->in) akt_msg_release(sl->in);
    if (sl->out) akt_msg_release(sl->out);
    memset(sl, 0, sizeof *sl);
}

void akt__async_free(akt__seg *g) {
    for (size_t i = 0; i < g->n_slots; i++) slot_clear(&g->slots[i]);
    akt__dfree(g->slots);
    g->slots = NULL;
    g->n_slots = 0;
}

int akt__async_has_room(const akt__seg *g) { return g->n_pending < g->n_slots; }

/* A failed call of the slot's element under the stage's strategy: 1 to call again, 0 when
 * the element is dropped (the slot is READY without a result), < 0 when the stream failed. */
static int on_failure(akt__seg *g, akt__async_slot *sl, int rc) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->first];
    AKT__COUNT(s, g->first, errors);
    if (d->on_error == AKT_STREAM_ON_ERROR_RETRY && sl->attempts < d->retries) {
        sl->attempts++;
        return 1;
    }
    if (d->on_error == AKT_STREAM_ON_ERROR_RESUME) {
        AKT__COUNT(s, g->first, drops);
        sl->state = SLOT_READY;
        return 0;
    }
    akt__stream_fail_stage(s, g->first, rc);
    return rc;
}

/* Calls fn for the slot's element (again, on a retry): 0 (pending, or dropped), < 0. */
static int call_fn(akt__seg *g, akt__async_slot *sl) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->first];
    for (;;) {
        akt_stream_async *p = akt__dalloc(sizeof *p);
        if (!p) {
            akt__stream_fail_stage(s, g->first, AKT_ENOMEM);
            return AKT_ENOMEM;
        }
        memset(p, 0, sizeof *p);
        atomic_init(&p->refs, 2);
        akt__stream_retain(s);
        p->s = s;
        p->seg = g->self;
        p->id = ++g->a_seq;
        sl->p = p;
        sl->state = SLOT_PENDING;
        int rc = d->fn.async(sl->in, p, d->data);
        if (rc == 0) return 0;
        sl->p = NULL; /* not taken: both references are ours */
        pending_unref(p);
        pending_unref(p);
        if (rc > 0) rc = AKT_EINVAL;
        if ((rc = on_failure(g, sl, rc)) != 1) return rc;
    }
}

/* Emits the slots whose turn it is: ordered from the ring's head, unordered every READY. */
static int flush(akt__seg *g) {
    akt_stream *s = g->s;
    int ordered = s->defs[g->first].ordered;
    for (size_t k = 0; k < g->n_slots; k++) {
        size_t i = ordered ? g->a_head : k;
        if (ordered && !g->a_len) break;
        akt__async_slot *sl = &g->slots[i];
        if (sl->state != SLOT_READY) {
            if (ordered) break;
            continue;
        }
        akt_msg *out = sl->out;
        sl->out = NULL;
        slot_clear(sl);
        g->n_pending--;
        if (ordered) g->a_head = (g->a_head + 1) % g->n_slots, g->a_len--;
        if (out) {
            AKT__COUNT(s, g->first, out);
            int rc = akt__seg_run(g, g->first + 1, out);
            if (rc < 0) return rc;
        }
    }
    return 0;
}

int akt__async_start(akt__seg *g, akt_msg *m) {
    size_t i = 0;
    if (g->s->defs[g->first].ordered) {
        i = (g->a_head + g->a_len) % g->n_slots;
        g->a_len++;
    } else {
        while (g->slots[i].state != SLOT_FREE) i++; /* has_room: one is free */
    }
    akt__async_slot *sl = &g->slots[i];
    sl->in = m;
    sl->attempts = 0;
    g->n_pending++;
    int rc = call_fn(g, sl);
    if (rc < 0) return rc;
    return sl->state == SLOT_READY ? flush(g) : 0;
}

int akt__async_done(akt__seg *g, akt_ctx *ctx, akt_msg *msg) {
    (void)ctx;
    uint64_t id = (uint64_t)akt__stream_control_n(msg);
    akt__async_slot *sl = NULL;
    for (size_t i = 0; i < g->n_slots && !sl; i++)
        if (g->slots[i].state == SLOT_PENDING && g->slots[i].p->id == id) sl = &g->slots[i];
    if (!sl) return 0;
    akt_stream_async *p = sl->p;
    sl->p = NULL;
    int rc = p->rc;
    akt_msg *out = p->out;
    p->out = NULL;
    pending_unref(p);
    if (rc == 0 &&
        strncmp(akt_msg_type(out), AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0) {
        akt_msg_release(out);
        out = NULL;
        rc = AKT_ETYPE;
    }
    if (rc < 0) {
        int r = on_failure(g, sl, rc);
        if (r == 1) r = call_fn(g, sl);
        if (r < 0) return r;
    } else {
        sl->out = out;
        sl->state = SLOT_READY;
    }
    return flush(g);
}
