/* An actor as a stream's source or sink. A queue source takes what akt_stream_offer
 * accepted, at most its capacity (mailbox and ring together), and refuses the rest with
 * AKT_EFULL; an actor sink tells its target each element against the credit the target's
 * acknowledgements give back. */
#include "stream/segment.h"

#include "base/alloc.h"

#include <stdio.h>
#include <string.h>

#define COUNT_MASK (AKT__QUEUE_CLOSED - 1)

int akt_stream_offer(akt_stream *stream, akt_msg *msg) {
    if (!stream || !msg || !akt_msg_type(msg) ||
        strncmp(akt_msg_type(msg), AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0 ||
        stream->defs[0].kind != AKT__SRC_QUEUE)
        return AKT_EINVAL;
    /* acquire: see stream.h (done) */
    if (atomic_load_explicit(&stream->done, memory_order_acquire)) return AKT_ESTOPPED;
    /* relaxed: see stream.h (queued) */
    uint_fast64_t q = atomic_load_explicit(&stream->queued, memory_order_relaxed);
    do {
        if (q & AKT__QUEUE_CLOSED) return AKT_ESTOPPED;
        if ((q & COUNT_MASK) >= stream->defs[0].capacity) return AKT_EFULL;
    } while (!atomic_compare_exchange_weak_explicit(&stream->queued, &q, q + 1,
                                                    memory_order_relaxed, memory_order_relaxed));
    int rc = akt_tell(stream->system, stream->pids[0], msg);
    if (rc != 0) {
        atomic_fetch_sub_explicit(&stream->queued, 1, memory_order_relaxed);
        if (rc == AKT_ENOTFOUND) rc = AKT_ESTOPPED; /* the source stopped: the stream ended */
    }
    return rc;
}

/* A callback waiting for room (akt_stream_on_room). */
struct akt__room_waiter {
    akt_stream_room_fn cb;
    void *data;
    struct akt__room_waiter *next;
};

void akt__stream_wake_room(akt_stream *s, int rc) {
    pthread_mutex_lock(&s->mu);
    struct akt__room_waiter *w = s->room_waiters;
    s->room_waiters = NULL;
    /* seq_cst: see stream.h (room_waiters) */
    atomic_store(&s->n_room_waiters, 0);
    pthread_mutex_unlock(&s->mu);
    struct akt__room_waiter *fifo = NULL; /* pushed at the head: call the oldest first */
    while (w) {
        struct akt__room_waiter *next = w->next;
        w->next = fifo;
        fifo = w;
        w = next;
    }
    while (fifo) {
        struct akt__room_waiter *next = fifo->next;
        fifo->cb(s, rc, fifo->data);
        akt__dfree(fifo);
        fifo = next;
    }
}

int akt_stream_on_room(akt_stream *stream, akt_stream_room_fn cb, void *data) {
    if (!stream || !cb || stream->defs[0].kind != AKT__SRC_QUEUE) return AKT_EINVAL;
    struct akt__room_waiter *w = akt__dalloc(sizeof *w);
    if (!w) return AKT_ENOMEM;
    w->cb = cb;
    w->data = data;
    pthread_mutex_lock(&stream->mu);
    if (atomic_load_explicit(&stream->done, memory_order_relaxed)) { /* under mu */
        pthread_mutex_unlock(&stream->mu);
        akt__dfree(w);
        cb(stream, AKT_ESTOPPED, data);
        return 0;
    }
    w->next = stream->room_waiters;
    stream->room_waiters = w;
    /* seq_cst: see stream.h (room_waiters) */
    atomic_fetch_add(&stream->n_room_waiters, 1);
    pthread_mutex_unlock(&stream->mu);
    /* Room now (or closed): whoever waits is told, this one included. seq_cst: the
     * re-check after the registration; see stream.h. */
    uint_fast64_t q = atomic_load(&stream->queued);
    if (q & AKT__QUEUE_CLOSED)
        akt__stream_wake_room(stream, AKT_ESTOPPED);
    else if ((q & COUNT_MASK) < stream->defs[0].capacity)
        akt__stream_wake_room(stream, 0);
    return 0;
}

int akt_stream_queued(akt_stream *stream, size_t *n) {
    if (!stream || !n || stream->defs[0].kind != AKT__SRC_QUEUE) return AKT_EINVAL;
    /* relaxed: see stream.h (queued) */
    *n = (size_t)(atomic_load_explicit(&stream->queued, memory_order_relaxed) & COUNT_MASK);
    return 0;
}

int akt__queue_next(akt__seg *g) {
    if (!g->count) return 1;
    akt_msg *m = g->ring[g->head];
    g->head = (g->head + 1) % g->ring_cap;
    g->count--;
    /* seq_cst: with the load of n_room_waiters, see stream.h (room_waiters) */
    atomic_fetch_sub(&g->s->queued, 1);
    if (atomic_load(&g->s->n_room_waiters)) akt__stream_wake_room(g->s, 0);
    atomic_fetch_add_explicit(&g->s->counters[g->first].out, 1, memory_order_relaxed);
    return akt__seg_run(g, g->first + 1, m);
}

int akt__queue_exhausted(akt__seg *g) {
    /* relaxed: see stream.h (queued); an offer counted but not yet here keeps it open, and
     * its element's arrival runs the segment again. */
    uint_fast64_t q = atomic_load_explicit(&g->s->queued, memory_order_relaxed);
    return (q & AKT__QUEUE_CLOSED) && (q & COUNT_MASK) == 0 && g->count == 0;
}

int akt__actor_sink_receive(akt__seg *g, akt_ctx *ctx, akt_msg *msg) {
    const akt__stage_def *d = &g->s->defs[g->last];
    const char *t = akt_msg_type(msg);
    if (strcmp(t, AKT_TYPE_TERMINATED) == 0) {
        akt_pid who = {0};
        if (akt_msg_pid(msg, &who) == 0 && who.id == d->target.id) {
            char why[128];
            snprintf(why, sizeof why, "stage %zu (%s): the target actor stopped", g->last, d->name);
            akt__stream_finish(g->s, AKT_ESTOPPED, why);
        }
        return 1;
    }
    akt_pid from = {0};
    if (strncmp(t, AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0 ||
        akt_ctx_sender(ctx, &from) != 0 || from.id != d->target.id)
        return 0;
    if ((size_t)g->demand < g->in_flight) g->demand++; /* an ack gives back one element */
    return 1;
}

int akt__actor_sink_idle(const akt__seg *g) { return (size_t)g->demand == g->in_flight; }

void akt__actor_sink_complete(akt__seg *g, akt_ctx *ctx) {
    const akt__stage_def *d = &g->s->defs[g->last];
    if (d->seed) {
        akt_msg_retain(d->seed);
        if (akt_ctx_tell(ctx, d->target, d->seed) != 0) akt_msg_release(d->seed);
    }
    akt__seg_sink_complete(g);
}
