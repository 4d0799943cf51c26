/* flatMap merge: each element from upstream becomes an inner source (a graph the stage's
 * function makes), run as a sub-stream linked to this segment's actor like a fan-in's
 * input; up to breadth of them run at once and their elements go on as they arrive. The
 * inners are held by this segment (not the stream's children): it drops them when they
 * end, so a long stream keeps at most breadth of them. The stream lists the running ones
 * (akt__stream_adopt_inner), so that its end ends them before akt_stream_wait returns,
 * not when this segment's actor gets to its stop. */
#include "stream/segment.h"

#include "base/alloc.h"

#include <stdio.h>
#include <string.h>

/* One running inner. */
typedef struct akt__inner {
    akt_stream *child; /* one reference; NULL: the slot is free */
    akt_pid pid;       /* the inner's last actor, the sender of its elements */
    uint64_t port;     /* its number in its Ended */
    akt_msg **ring;    /* elements received and not passed on: at most its window */
    size_t head, count, cap;
    size_t granted; /* credit granted and not used */
    int done;       /* Complete received: the slot is free once its ring is empty */
} akt__inner;

int akt__flat_merge_init(akt__seg *g) {
    size_t n = g->s->defs[g->first].capacity;
    g->inners = akt__dalloc(n * sizeof *g->inners);
    if (!g->inners) return AKT_ENOMEM;
    memset(g->inners, 0, n * sizeof *g->inners);
    g->n_inners = n;
    g->is_flat_merge = 1;
    return 0;
}

static void slot_clear(akt__seg *g, akt__inner *in) {
    for (size_t i = 0; i < in->count; i++) akt_msg_release(in->ring[(in->head + i) % in->cap]);
    akt__dfree(in->ring);
    akt__stream_disown_inner(g->s, in->child);
    akt__stream_unref(in->child);
    memset(in, 0, sizeof *in);
    g->n_active--;
}

void akt__flat_merge_free(akt__seg *g) {
    if (!g->inners) return; /* its inners ended with the stream (akt__stream_adopt_inner) */
    for (size_t k = 0; k < g->n_inners; k++)
        if (g->inners[k].child) slot_clear(g, &g->inners[k]);
    akt__dfree(g->inners);
    g->inners = NULL;
    g->n_inners = 0;
}

static void read_ended(akt_msg *m, uint64_t *port, int *rc) {
    const void *p = NULL;
    size_t len = 0;
    uint64_t v[2] = {UINT64_MAX, 0};
    if (akt_msg_bytes(m, &p, &len) == 0 && len == 16) {
        v[0] = 0;
        for (int k = 0; k < 2; k++)
            for (int i = 7; i >= 0; i--) v[k] = v[k] << 8 | ((const unsigned char *)p)[8 * k + i];
    }
    *port = v[0];
    *rc = (int)(int64_t)v[1];
}

/* An inner ended with rc < 0: the stage's strategy says whether the stream fails. */
static void inner_failed(akt__seg *g, akt__inner *in, int rc) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->first];
    AKT__COUNT(s, g->first, errors);
    if (d->on_error == AKT_STREAM_ON_ERROR_RESUME) {
        AKT__COUNT(s, g->first, drops);
        in->done = 1; /* what it sent before goes on; then the slot is free */
        if (in->count == 0) slot_clear(g, in);
        return;
    }
    const char *why = "";
    akt_stream_reason(in->child, &why);
    char reason[128];
    snprintf(reason, sizeof reason, "stage %zu (%s): inner: %s", g->first, d->name, why);
    akt__stream_finish(s, rc, reason);
}

int akt__flat_merge_receive(akt__seg *g, akt_ctx *ctx, akt_msg *msg) {
    const char *t = akt_msg_type(msg);
    if (strcmp(t, AKT__T_ENDED) == 0) {
        uint64_t port;
        int rc;
        read_ended(msg, &port, &rc);
        for (size_t k = 0; k < g->n_inners; k++) {
            akt__inner *in = &g->inners[k];
            if (!in->child || in->port != port) continue;
            /* An inner that completed told Complete first, from the same thread: rc 0
             * here has nothing to add. */
            if (rc != 0) inner_failed(g, in, rc);
            break;
        }
        return 1; /* an inner that is gone already: nothing to do */
    }
    akt_pid from;
    /* Before Start there are no inners (and the peers' pids are not known yet). */
    if (!g->started || akt_ctx_sender(ctx, &from) != 0 || from.id == 0) return 0;
    akt__inner *in = NULL;
    for (size_t k = 0; k < g->n_inners && !in; k++)
        if (g->inners[k].child && g->inners[k].pid.id == from.id) in = &g->inners[k];
    if (!in) {
        /* From upstream or downstream: the segment's protocol. Else from an inner that is
         * gone (it failed and was resumed): what it still sent is dropped. */
        if (from.id == g->up.id || from.id == g->down.id) return 0;
        return 1;
    }
    if (strcmp(t, AKT__T_COMPLETE) == 0) {
        in->done = 1;
        if (in->count == 0) slot_clear(g, in);
    } else if (strncmp(t, AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) != 0 && !in->done) {
        if (in->granted) in->granted--;
        if (in->count == in->cap) { /* beyond its credit: the protocol was broken */
            akt__stream_fail_stage(g->s, g->first, AKT_EFULL);
            return 1;
        }
        akt_msg_retain(msg);
        in->ring[(in->head + in->count) % in->cap] = msg;
        in->count++;
    }
    return 1;
}

int akt__flat_merge_next(akt__seg *g) {
    size_t n = g->n_inners;
    for (size_t k = 0; k < n; k++) {
        size_t i = (g->rr + k) % n;
        akt__inner *in = &g->inners[i];
        if (!in->child || !in->count) continue;
        g->rr = (i + 1) % n;
        akt_msg *m = in->ring[in->head];
        in->head = (in->head + 1) % in->cap;
        in->count--;
        if (in->done && in->count == 0) slot_clear(g, in);
        AKT__COUNT(g->s, g->first, out);
        return akt__seg_run(g, g->first + 1, m);
    }
    return 1;
}

static int inner_ok(const akt_stream_graph *ig) {
    return ig->n > 0 && !ig->branch && akt__stage_is_source(ig->stages[0].kind) &&
           !akt__stage_is_sink(ig->stages[ig->n - 1].kind);
}

/* The stage's function under its error strategy: 0 with *out (taken), 1 to drop the
 * element, < 0 failed. */
static int make_inner(akt__seg *g, akt_msg *m, akt_stream_graph **out) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->first];
    for (unsigned attempt = 0;; attempt++) {
        *out = NULL;
        int rc = d->fn.flat_merge(m, out, d->data);
        if (rc > 0) rc = AKT_EINVAL;
        if (rc == 0 && (!*out || !inner_ok(*out))) rc = AKT_EINVAL;
        if (rc == 0) return 0;
        if (*out) akt_stream_graph_free(*out), *out = NULL;
        if ((rc = akt__stage_failed(s, g->first, attempt, rc)) != AKT__STAGE_RETRY) return rc;
    }
}

/* Runs graph ig (taken) as an inner in the free slot in. 0, or < 0 once the stream failed. */
static int start_inner(akt__seg *g, akt__inner *in, akt_stream_graph *ig) {
    akt_stream *s = g->s;
    akt_stream *c = NULL;
    uint64_t port = g->inner_seq++;
    int rc = akt__stream_spawn(s->system, ig, s->dispatcher, AKT__LINK_INPUT, g->self, (size_t)port,
                               &c);
    akt_stream_graph_free(ig);
    if (rc == 0) {
        in->ring = akt__dalloc(c->window * sizeof *in->ring);
        if (!in->ring) rc = AKT_ENOMEM;
    }
    if (rc != 0) {
        if (c) {
            akt__stream_finish(c, AKT_ECANCELED, "the stream it feeds ended");
            akt__stream_unref(c);
        }
        akt__stream_fail_stage(s, g->first, rc);
        return rc;
    }
    in->child = c;
    in->pid = c->pids[c->n_segs - 1];
    in->port = port;
    in->cap = c->window;
    g->n_active++;
    akt__stream_adopt_inner(s, c); /* the stream's end ends it at once */
    /* Its pids were written before its first Start is told; its Ended and elements come
     * to this actor, which handles them in a later turn. */
    if ((rc = akt__stream_start(c)) != 0) {
        akt__stream_fail_stage(s, g->first, rc);
        return rc;
    }
    return 0;
}

int akt__flat_merge_fill(akt__seg *g, akt_ctx *ctx) {
    akt_stream *s = g->s;
    while (g->count && g->n_active < g->n_inners) {
        /* acquire: see pump in segment.c; nothing is started after the end. */
        if (atomic_load_explicit(&s->done, memory_order_acquire)) return AKT_ECANCELED;
        akt_msg *m = g->ring[g->head];
        g->head = (g->head + 1) % g->ring_cap;
        g->count--;
        akt_stream_graph *ig = NULL;
        int rc = make_inner(g, m, &ig);
        akt_msg_release(m);
        if (rc < 0) return rc;
        if (rc == 1) continue;
        akt__inner *in = g->inners;
        while (in->child) in++; /* n_active < n_inners: there is a free slot */
        if ((rc = start_inner(g, in, ig)) != 0) return rc;
    }
    /* Each inner is granted at most its window, in half-window batches. */
    for (size_t k = 0; k < g->n_inners; k++) {
        akt__inner *in = &g->inners[k];
        if (!in->child || in->done) continue;
        size_t used = in->granted + in->count;
        if (used >= in->cap) continue;
        size_t room = in->cap - used;
        if (room < (in->cap + 1) / 2) continue;
        in->granted += room;
        if (akt__seg_tell_control(g, ctx, in->pid, AKT__T_REQUEST, (int64_t)room) != 0)
            return AKT_ENOMEM;
    }
    return 0;
}
