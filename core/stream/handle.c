/* A running stream: akt_stream_run splits the graph into segments (one actor each), and the
 * handle waits for, ends and reads it. */
#include "stream/stream.h"

#include "base/alloc.h"
#include "base/clock.h"

#include <akt/remote.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

void akt__stream_retain(akt_stream *s) {
    /* relaxed: a new reference is made from one the caller already holds. */
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
}

static void stream_free(akt_stream *s) {
    for (size_t i = 0; i < s->n_results; i++) akt_msg_release(s->results[i]);
    akt__dfree(s->results);
    if (s->rt) {
        for (size_t i = 0; i < s->n_stages; i++) {
            if (s->rt[i].acc) akt_msg_release(s->rt[i].acc);
            if (s->rt[i].last) akt_msg_release(s->rt[i].last);
        }
    }
    for (size_t i = 0; i < s->n_children; i++) akt__stream_unref(s->children[i]);
    for (akt_stream *c = s->inners, *next; c; c = next) { /* freed unfinished: nobody else */
        next = c->inner_next;
        akt__stream_unref(c);
    }
    akt__dfree(s->children);
    akt__dfree(s->child_stage);
    akt__dfree(s->ranges);
    akt__stage_defs_free(s->defs, s->n_stages);
    akt__dfree(s->rt);
    akt__dfree(s->counters);
    akt__dfree(s->stage_actor);
    akt__dfree(s->pids);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    akt__dfree(s);
}

void akt__stream_unref(akt_stream *s) {
    /* acq_rel: the last holder sees every other holder's writes before it frees. */
    if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1) stream_free(s);
}

/* Tells the junction a sub-stream is linked to how it ended: Ended(port, rc). */
static void tell_ended(akt_stream *s, int rc) {
    unsigned char b[16];
    uint64_t v[2] = {(uint64_t)s->port, (uint64_t)(int64_t)rc};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 8; i++) b[8 * k + i] = (unsigned char)(v[k] >> (8 * i));
    akt_msg *m = NULL;
    if (akt_msg_new_bytes(AKT__T_ENDED, b, sizeof b, AKT_COPY, &m) != 0) return;
    /* The junction stopped (its stream ended): nobody waits for this any more. */
    if (akt_tell(s->system, s->link, m) != 0) akt_msg_release(m);
}

static void stream_finish(akt_stream *s, int rc, const char *reason, akt_msg **results, size_t n) {
    pthread_mutex_lock(&s->mu);
    if (atomic_load_explicit(&s->done, memory_order_relaxed)) { /* under mu: relaxed */
        pthread_mutex_unlock(&s->mu);
        for (size_t i = 0; i < n; i++) akt_msg_release(results[i]);
        akt__dfree(results);
        return;
    }
    s->rc = rc;
    snprintf(s->reason, sizeof s->reason, "%s", reason);
    s->results = results;
    s->n_results = n;
    /* release: a segment that reads 1 stops; see stream.h */
    atomic_store_explicit(&s->done, 1, memory_order_release);
    size_t spawned = s->n_spawned;
    size_t n_children = s->n_children;
    /* The inners' list is the finisher's now: their links are not written again. */
    akt_stream *inners = s->inners;
    s->inners = NULL;
    for (akt_stream *c = inners; c; c = c->inner_next) c->inner_of = NULL;
    akt_stream_done_fn cb = s->done_cb;
    void *cb_data = s->done_data;
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < spawned; i++) akt_stop(s->system, s->pids[i]);
    /* Sub-streams end with it (those that completed already are not changed). */
    for (size_t i = 0; i < n_children; i++)
        akt__stream_finish(s->children[i], AKT_ECANCELED, "the stream it feeds ended");
    for (akt_stream *c = inners, *next; c; c = next) {
        next = c->inner_next;
        akt__stream_finish(c, AKT_ECANCELED, "the stream it feeds ended");
        akt__stream_unref(c);
    }
    if (s->link_kind != AKT__LINK_NONE) tell_ended(s, rc);
    akt__stream_wake_room(s, AKT_ESTOPPED); /* a queue's producers: no more room */
    pthread_mutex_lock(&s->mu);
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (cb) cb(s, rc, cb_data);
}

void akt__stream_adopt_inner(akt_stream *s, akt_stream *c) {
    akt__stream_retain(c);
    pthread_mutex_lock(&s->mu);
    int done = atomic_load_explicit(&s->done, memory_order_relaxed); /* under mu */
    if (!done) {
        c->inner_prev = NULL;
        c->inner_next = s->inners;
        if (s->inners) s->inners->inner_prev = c;
        s->inners = c;
        c->inner_of = s;
    }
    pthread_mutex_unlock(&s->mu);
    if (done) {
        akt__stream_finish(c, AKT_ECANCELED, "the stream it feeds ended");
        akt__stream_unref(c);
    }
}

void akt__stream_disown_inner(akt_stream *s, akt_stream *c) {
    pthread_mutex_lock(&s->mu);
    int listed = c->inner_of == s;
    if (listed) {
        if (c->inner_prev)
            c->inner_prev->inner_next = c->inner_next;
        else
            s->inners = c->inner_next;
        if (c->inner_next) c->inner_next->inner_prev = c->inner_prev;
        c->inner_prev = c->inner_next = c->inner_of = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    if (listed) akt__stream_unref(c);
}

/* The finisher holds a reference of its own: once done is set, the handle's owner may
 * release the stream and the segments' stops drop theirs, while the finish still stops
 * actors, wakes producers and broadcasts to the waiters. */
void akt__stream_finish_with(akt_stream *s, int rc, const char *reason, akt_msg **results,
                             size_t n) {
    akt__stream_retain(s);
    stream_finish(s, rc, reason, results, n);
    akt__stream_unref(s);
}

int akt_stream_on_complete(akt_stream *stream, akt_stream_done_fn cb, void *data) {
    if (!stream || !cb) return AKT_EINVAL;
    pthread_mutex_lock(&stream->mu);
    if (stream->done_cb) {
        pthread_mutex_unlock(&stream->mu);
        return AKT_EBUSY;
    }
    stream->done_cb = cb;
    stream->done_data = data;
    int done = atomic_load_explicit(&stream->done, memory_order_relaxed); /* under mu */
    int rc = stream->rc;
    pthread_mutex_unlock(&stream->mu);
    if (done) cb(stream, rc, data);
    return 0;
}

void akt__stream_finish(akt_stream *s, int rc, const char *reason) {
    akt__stream_finish_with(s, rc, reason, NULL, 0);
}

void akt__stream_fail_stage(akt_stream *s, size_t stage, int rc) {
    char why[128];
    snprintf(why, sizeof why, "stage %zu (%s): %s", stage, s->defs[stage].name, akt_strerror(rc));
    akt__stream_finish(s, rc, why);
}

/* Where each stage runs: a new segment at every stage that cannot be fused. */
static size_t plan(akt_stream *s, int fusion) {
    size_t seg = 0;
    for (size_t i = 0; i < s->n_stages; i++) {
        if (i > 0 && !(fusion && akt__stage_is_fusable(s->defs[i].kind))) seg++;
        s->stage_actor[i] = (uint32_t)seg;
    }
    return seg + 1;
}

static int stream_new(akt_system *system, const akt_stream_graph *g, akt_stream **out) {
    akt_stream *s = akt__dalloc(sizeof *s);
    if (!s) return AKT_ENOMEM;
    memset(s, 0, sizeof *s);
    atomic_init(&s->refs, 1);
    atomic_init(&s->done, 0);
    atomic_init(&s->queued, 0);
    atomic_init(&s->n_room_waiters, 0);
    s->system = system;
    s->n_stages = g->n;
    s->window = g->window;
    s->dispatcher = g->dispatcher;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&s->mu, NULL);
    size_t n_subs = 0;
    for (size_t i = 0; i < g->n; i++) n_subs += g->stages[i].n_subs;
    s->rt = akt__dalloc(g->n * sizeof *s->rt);
    s->counters = akt__dalloc(g->n * sizeof *s->counters);
    s->stage_actor = akt__dalloc(g->n * sizeof *s->stage_actor);
    s->pids = akt__dalloc(g->n * sizeof *s->pids);
    if (n_subs) {
        s->children = akt__dalloc(n_subs * sizeof *s->children);
        s->child_stage = akt__dalloc(n_subs * sizeof *s->child_stage);
    }
    if (!s->rt || !s->counters || !s->stage_actor || !s->pids ||
        (n_subs && (!s->children || !s->child_stage)) || akt__stage_defs_copy(g, &s->defs) != 0) {
        stream_free(s);
        return AKT_ENOMEM;
    }
    memset(s->rt, 0, g->n * sizeof *s->rt);
    memset(s->pids, 0, g->n * sizeof *s->pids);
    for (size_t i = 0; i < g->n; i++) {
        atomic_init(&s->counters[i].in, 0);
        atomic_init(&s->counters[i].out, 0);
        atomic_init(&s->counters[i].drops, 0);
        atomic_init(&s->counters[i].errors, 0);
    }
    s->n_segs = plan(s, g->fusion);
    *out = s;
    return 0;
}

/* Spawns the sub-streams of s's junctions, linked to the junctions' actors. */
static int spawn_children(akt_stream *s) {
    for (size_t i = 0; i < s->n_stages; i++) {
        const akt__stage_def *d = &s->defs[i];
        int kind = akt__stage_is_fan_out(d->kind) ? AKT__LINK_BRANCH : AKT__LINK_INPUT;
        for (size_t k = 0; k < d->n_subs; k++) {
            akt_stream *c = NULL;
            int rc = akt__stream_spawn(s->system, d->subs[k], s->dispatcher, kind,
                                       s->pids[s->stage_actor[i]], k, &c);
            if (rc) return rc;
            pthread_mutex_lock(&s->mu);
            s->children[s->n_children] = c;
            s->child_stage[s->n_children] = i;
            s->n_children++;
            int done = atomic_load_explicit(&s->done, memory_order_relaxed); /* under mu */
            pthread_mutex_unlock(&s->mu);
            if (done) akt__stream_finish(c, AKT_ECANCELED, "the stream it feeds ended");
        }
    }
    return 0;
}

int akt__stream_spawn(akt_system *system, const akt_stream_graph *graph, akt_dispatcher *dispatcher,
                      int link_kind, akt_pid link, size_t port, akt_stream **out) {
    akt_stream *s = NULL;
    int rc = stream_new(system, graph, &s);
    if (rc) return rc;
    if (link_kind != AKT__LINK_NONE) s->dispatcher = dispatcher;
    s->link_kind = link_kind;
    s->link = link;
    s->port = port;
    for (size_t seg = 0, first = 0; seg < s->n_segs; seg++) {
        size_t last = first;
        while (last + 1 < s->n_stages && s->stage_actor[last + 1] == seg) last++;
        akt_pid pid;
        if ((rc = akt__segment_spawn(s, seg, first, last, &pid)) != 0) break;
        pthread_mutex_lock(&s->mu);
        s->pids[seg] = pid;
        s->n_spawned = seg + 1;
        pthread_mutex_unlock(&s->mu);
        first = last + 1;
    }
    if (rc == 0) rc = spawn_children(s);
    if (rc != 0) {
        akt__stream_finish(s, rc, "the stream could not start");
        akt__stream_unref(s);
        return rc;
    }
    *out = s;
    return 0;
}

int akt__stream_start(akt_stream *s) {
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < s->n_children; i++) rc = akt__stream_start(s->children[i]);
    /* Sink first: it grants its credit, and each segment then asks its own upstream. */
    for (size_t k = s->n_segs; rc == 0 && k-- > 0;) {
        akt_msg *m = NULL;
        rc = akt_msg_new_bytes(AKT__T_START, NULL, 0, AKT_BORROW, &m);
        if (rc == 0 && (rc = akt_tell(s->system, s->pids[k], m)) != 0) akt_msg_release(m);
    }
    return rc;
}

int akt_stream_run(akt_system *system, const akt_stream_graph *graph, akt_stream **out) {
    if (!system || !graph || !out) return AKT_EINVAL;
    if (graph->n < 2 || graph->branch || !akt__stage_is_sink(graph->stages[graph->n - 1].kind))
        return AKT_EINVAL;
    int rc = akt_system_retain(system);
    if (rc) return rc;
    akt_stream *s = NULL;
    if ((rc = akt__stream_spawn(system, graph, NULL, AKT__LINK_NONE, (akt_pid){0}, 0, &s)) != 0) {
        akt_system_release(system);
        return rc;
    }
    /* Every pid of the stream and its sub-streams is written before the first Start. */
    if ((rc = akt__stream_start(s)) != 0) {
        akt__stream_finish(s, rc, "the stream could not start");
        akt__stream_unref(s);
        akt_system_release(system);
        return rc;
    }
    *out = s;
    return 0;
}

int akt_stream_branch_results(akt_stream *stream, size_t k, size_t *first, size_t *n) {
    if (!stream || !first || !n) return AKT_EINVAL;
    pthread_mutex_lock(&stream->mu);
    int rc = atomic_load_explicit(&stream->done, memory_order_relaxed) ? 0 : AKT_EAGAIN;
    if (rc == 0 && k >= stream->n_ranges) rc = AKT_EINVAL;
    if (rc == 0) {
        *first = stream->ranges[2 * k];
        *n = stream->ranges[2 * k + 1];
    }
    pthread_mutex_unlock(&stream->mu);
    /* Not a fan-out at all: EINVAL even before the end. */
    if (rc == AKT_EAGAIN && !akt__stage_is_fan_out(stream->defs[stream->n_stages - 1].kind))
        rc = AKT_EINVAL;
    return rc;
}

int akt_stream_wait(akt_stream *stream, int64_t timeout_ns) {
    if (!stream) return AKT_EINVAL;
    int64_t deadline = timeout_ns < 0 ? INT64_MAX : akt__deadline_after(akt__now_ns(), timeout_ns);
    struct timespec ts = {.tv_sec = deadline / 1000000000LL, .tv_nsec = deadline % 1000000000LL};
    pthread_mutex_lock(&stream->mu);
    while (!atomic_load_explicit(&stream->done, memory_order_relaxed)) { /* under mu */
        if (timeout_ns < 0) {
            pthread_cond_wait(&stream->cv, &stream->mu);
        } else if (pthread_cond_timedwait(&stream->cv, &stream->mu, &ts) != 0 &&
                   akt__now_ns() >= deadline) {
            break;
        }
    }
    int rc = atomic_load_explicit(&stream->done, memory_order_relaxed) ? stream->rc : AKT_ETIMEDOUT;
    pthread_mutex_unlock(&stream->mu);
    return rc;
}

int akt_stream_reason(akt_stream *stream, const char **reason) {
    if (!stream || !reason) return AKT_EINVAL;
    pthread_mutex_lock(&stream->mu);
    *reason = stream->reason; /* written once, under mu, before done */
    pthread_mutex_unlock(&stream->mu);
    return 0;
}

int akt_stream_cancel(akt_stream *stream) {
    if (!stream) return AKT_EINVAL;
    akt__stream_finish(stream, AKT_ECANCELED, "canceled");
    return 0;
}

static int stream_drain(akt_stream *stream) {
    /* A queue source takes no more offers; it ends once what it accepted went on.
     * relaxed: see stream.h (queued). */
    if (stream->defs[0].kind == AKT__SRC_QUEUE) {
        atomic_fetch_or_explicit(&stream->queued, AKT__QUEUE_CLOSED, memory_order_relaxed);
        akt__stream_wake_room(stream, AKT_ESTOPPED); /* its producers: no more room */
    }
    akt_msg *m = NULL;
    int rc = akt_msg_new_bytes(AKT__T_DRAIN, NULL, 0, AKT_BORROW, &m);
    if (rc) return rc;
    if ((rc = akt_tell(stream->system, stream->pids[0], m)) != 0) {
        akt_msg_release(m);
        /* The source is gone: the stream ended (or is ending) anyway. */
        if (rc == AKT_ENOTFOUND || rc == AKT_ESTOPPED) rc = 0;
    }
    return rc;
}

/* The drain may end the stream (a queue source ends once what it accepted went on), and the
 * end lets the handle's owner release it on another thread while this call still reads it:
 * the call holds a reference of its own (taken before anything it does can end the stream). */
int akt_stream_drain(akt_stream *stream) {
    if (!stream) return AKT_EINVAL;
    /* acquire: see stream.h; a drain after the end is nothing to do */
    if (atomic_load_explicit(&stream->done, memory_order_acquire)) return 0;
    akt__stream_retain(stream);
    int rc = stream_drain(stream);
    akt__stream_unref(stream);
    return rc;
}

int akt_stream_result_count(akt_stream *stream, size_t *n) {
    if (!stream || !n) return AKT_EINVAL;
    pthread_mutex_lock(&stream->mu);
    int done = atomic_load_explicit(&stream->done, memory_order_relaxed); /* under mu */
    if (done) *n = stream->n_results;
    pthread_mutex_unlock(&stream->mu);
    return done ? 0 : AKT_EAGAIN;
}

int akt_stream_result_at(akt_stream *stream, size_t index, akt_msg **msg) {
    if (!stream || !msg) return AKT_EINVAL;
    pthread_mutex_lock(&stream->mu);
    int rc = atomic_load_explicit(&stream->done, memory_order_relaxed) ? 0 : AKT_EAGAIN;
    if (rc == 0 && index >= stream->n_results) rc = AKT_EINVAL;
    if (rc == 0) *msg = stream->results[index];
    pthread_mutex_unlock(&stream->mu);
    return rc;
}

int akt_stream_stage_count(akt_stream *stream, size_t *n) {
    if (!stream || !n) return AKT_EINVAL;
    *n = stream->n_stages;
    return 0;
}

int akt_stream_actor_count(akt_stream *stream, size_t *n) {
    if (!stream || !n) return AKT_EINVAL;
    *n = stream->n_segs;
    return 0;
}

int akt_stream_metrics(akt_stream *stream, size_t stage, akt_stream_stage_metrics *out) {
    if (!stream || !out || out->size < sizeof *out || stage >= stream->n_stages) return AKT_EINVAL;
    const akt__stage_counters *c = &stream->counters[stage];
    out->name = stream->defs[stage].name;
    /* relaxed: see akt__stage_counters */
    out->in = atomic_load_explicit(&c->in, memory_order_relaxed);
    out->out = atomic_load_explicit(&c->out, memory_order_relaxed);
    out->drops = atomic_load_explicit(&c->drops, memory_order_relaxed);
    out->errors = atomic_load_explicit(&c->errors, memory_order_relaxed);
    out->actor = stream->stage_actor[stage];
    return 0;
}

int akt_stream_release(akt_stream *stream) {
    if (!stream) return AKT_EINVAL;
    pthread_mutex_lock(&stream->mu);
    int again = stream->handle_released;
    stream->handle_released = 1;
    pthread_mutex_unlock(&stream->mu);
    if (again) return AKT_EMISUSE;
    akt__stream_finish(stream, AKT_ECANCELED, "canceled");
    akt_system *system = stream->system;
    akt__stream_unref(stream);
    akt_system_release(system);
    return 0;
}

/* streamref begin: stream references across nodes */
int akt_stream_source_pid(akt_stream *stream, akt_pid *out) {
    if (!stream || !out || stream->defs[0].kind != AKT__SRC_ACTOR) return AKT_EINVAL;
    *out = stream->pids[0]; /* written before the handle was given */
    return 0;
}

int akt_stream_source_address(akt_stream *stream, char *buf, size_t cap, size_t *needed) {
    if (!stream || (!buf && cap) || stream->defs[0].kind != AKT__SRC_ACTOR) return AKT_EINVAL;
    char node[256], path[256];
    int rc = akt_remote_address(stream->system, node, sizeof node, NULL);
    if (rc != 0) return rc == AKT_ERANGE ? AKT_ENOMEM : rc;
    /* "akt://<system>/user/..." -> its path from "/user" on */
    rc = akt_pid_path(stream->system, stream->pids[0], path, sizeof path, NULL);
    if (rc != 0) return AKT_ENOTFOUND;
    const char *tail = strstr(path, "/user/");
    if (!tail) return AKT_ENOTFOUND;
    int n = snprintf(buf, cap, "%s%s", node, tail);
    if (n < 0) return AKT_EINVAL;
    if (needed) *needed = (size_t)n;
    return (size_t)n >= cap ? AKT_ERANGE : 0;
}
/* streamref end */
