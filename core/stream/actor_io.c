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
            char why[128], text[80] = "";
            const void *b = NULL;
            size_t n = 0;
            if (akt_msg_bytes(msg, &b, &n) == 0 && n > 0) { /* a remote pid's: its address */
                if (n >= sizeof text) n = sizeof text - 1;
                memcpy(text, b, n);
                text[n] = '\0';
            }
            if (strchr(text, '@')) /* a remote pid's address: which node */
                snprintf(why, sizeof why, "stage %zu (%s): the target actor stopped (%s)", g->last,
                         d->name, text);
            else
                snprintf(why, sizeof why, "stage %zu (%s): the target actor stopped", g->last,
                         d->name);
            akt__stream_finish(g->s, AKT_ESTOPPED, why);
        }
        return 1;
    }
    if (strcmp(t, AKT__T_WAKE) == 0 && g->sink_wait) { /* try the refused tell again */
        g->sink_wait = 0;
        return 1;
    }
    akt_pid from = {0};
    /* A source reference's answers are acks too (a stream feeding another). */
    if ((strncmp(t, AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0 &&
         strcmp(t, AKT_STREAM_ACK) != 0 && strcmp(t, AKT_STREAM_CLOSED) != 0) ||
        akt_ctx_sender(ctx, &from) != 0 || from.id != d->target.id)
        return 0;
    if (strcmp(t, AKT_STREAM_CLOSED) == 0) { /* the source it feeds ended first */
        char why[128];
        snprintf(why, sizeof why, "stage %zu (%s): the target stream's source is closed", g->last,
                 d->name);
        akt__stream_finish(g->s, AKT_ESTOPPED, why);
        return 1;
    }
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

/* A tell refused for flow control waits this long before it is tried again. */
#define SINK_RETRY_NS 2000000

int akt__actor_sink_refused(akt__seg *g, akt_ctx *ctx, int rc) {
    if (rc == AKT_EFULL) { /* the remoting's window or send buffer: try again, do not fail */
        akt_msg *m = NULL;
        akt_system *sys = NULL;
        if (!g->sink_wait && akt_ctx_system(ctx, &sys) == 0 &&
            akt_msg_new_bytes(AKT__T_WAKE, NULL, 0, AKT_BORROW, &m) == 0) {
            if (akt_schedule_once(sys, g->self, m, SINK_RETRY_NS, NULL, NULL, 0) == 0)
                g->sink_wait = 1;
            else
                akt_msg_release(m);
        }
        if (g->sink_wait) return 1;
        rc = AKT_ENOMEM;
    }
    akt__stream_fail_stage(g->s, g->last, rc == AKT_ENOMEM ? rc : AKT_ESTOPPED);
    return 0;
}

/* ---- an actor source: a pid that takes elements from any node ------------------------- */

/* How long after its producer's stop an actor source waits for the End it may have sent. */
#define GONE_GRACE_NS 200000000

/* Answers the current message with an empty message of type, if anyone waits for it. */
static void answer(akt_ctx *ctx, const char *type) {
    int expected = 0;
    akt_msg *m = NULL;
    if (akt_ctx_reply_expected(ctx, &expected) != 0 || !expected) return;
    if (akt_msg_new_bytes(type, NULL, 0, AKT_BORROW, &m) != 0) return;
    if (akt_ctx_respond(ctx, m) != 0) akt_msg_release(m);
}

int akt__actor_src_receive(akt__seg *g, akt_ctx *ctx, akt_msg *msg) {
    const char *t = akt_msg_type(msg);
    if (strcmp(t, AKT_TYPE_TERMINATED) == 0) {
        /* Across nodes a stop is not ordered with the messages sent before it: the
         * producer's End may still come. A Gone to itself, GONE_GRACE_NS later, is handled
         * after what came meanwhile: an End then closed the source or waits in the stash. */
        akt_pid who = {0};
        akt_system *sys = NULL;
        akt_msg *gone = NULL;
        if (akt_msg_pid(msg, &who) == 0 && g->producer.id && who.id == g->producer.id &&
            !g->src_closed) {
            int rc = akt_ctx_system(ctx, &sys);
            if (rc == 0) rc = akt_msg_new_bytes(AKT__T_GONE, NULL, 0, AKT_BORROW, &gone);
            if (rc == 0 &&
                (rc = akt_schedule_once(sys, g->self, gone, GONE_GRACE_NS, NULL, NULL, 0)) != 0)
                akt_msg_release(gone);
            if (rc != 0) akt__stream_fail_stage(g->s, g->first, rc);
        }
        return 1;
    }
    int is_gone = strcmp(t, AKT__T_GONE) == 0;
    int is_end = strcmp(t, AKT_STREAM_END) == 0;
    if (!is_end && !is_gone && strncmp(t, AKT__STREAM_PREFIX, strlen(AKT__STREAM_PREFIX)) == 0)
        return 0;
    if (is_gone) { /* after what came before it: an End sent before the stop came first */
        if (!g->src_closed && !g->end_stashed) {
            char why[128];
            snprintf(why, sizeof why, "stage %zu (%s): the producer stopped before the end",
                     g->first, g->s->defs[g->first].name);
            akt__stream_finish(g->s, AKT_ESTOPPED, why);
        }
        return 1;
    }
    if (g->n_unstashed) {
        g->n_unstashed--; /* put back from the stash: its turn now */
    } else if (g->n_stashed || (!is_end && !g->src_closed && g->count == g->ring_cap)) {
        if (akt_ctx_stash(ctx) == 0) { /* after those that wait: the order is kept */
            g->n_stashed++;
            if (is_end) g->end_stashed = 1;
            return 1;
        }
        akt__stream_fail_stage(g->s, g->first, AKT_ENOMEM);
        return 1;
    }
    if (g->src_closed) {
        answer(ctx, is_end ? AKT_STREAM_ACK : AKT_STREAM_CLOSED);
        return 1;
    }
    if (is_end) {
        g->src_closed = 1;
        answer(ctx, AKT_STREAM_ACK);
        return 1;
    }
    akt_pid from = {0};
    if (!g->producer.id && akt_ctx_sender(ctx, &from) == 0 && from.id &&
        akt_ctx_watch(ctx, from) == 0)
        g->producer = from; /* its stop (or its node's loss) before the end fails the stream */
    akt_msg_retain(msg);
    g->ring[(g->head + g->count) % g->ring_cap] = msg;
    g->count++;
    answer(ctx, AKT_STREAM_ACK);
    return 1;
}

int akt__actor_src_next(akt__seg *g) {
    if (!g->count) return 1;
    akt_msg *m = g->ring[g->head];
    g->head = (g->head + 1) % g->ring_cap;
    g->count--;
    atomic_fetch_add_explicit(&g->s->counters[g->first].out, 1, memory_order_relaxed);
    return akt__seg_run(g, g->first + 1, m);
}

void akt__actor_src_refill(akt__seg *g, akt_ctx *ctx) {
    /* Each put back comes before the mailbox, in stash order (akt_ctx_unstash). Once the
     * source ended they are answered CLOSED, so all of them go back. */
    while (g->n_stashed && (g->src_closed || g->count + g->n_unstashed < g->ring_cap) &&
           akt_ctx_unstash(ctx) == 0) {
        g->n_stashed--;
        g->n_unstashed++;
    }
}

int akt__actor_src_exhausted(const akt__seg *g) {
    return g->src_closed && g->count == 0 && g->n_stashed == 0 && g->n_unstashed == 0;
}
