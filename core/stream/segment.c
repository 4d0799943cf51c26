/* The actor of a segment: one or more fused stages of a stream, and the demand protocol
 * between segments. Upstream sends elements only against the credit its downstream granted
 * with Request(n); each segment grants at most its window, so what waits in a segment's
 * mailbox and buffer is bounded. Elements go through the segment's stages in stage.c. */
#include "stream/segment.h"

#include "actor/reader.h"
#include "base/alloc.h"
#include "base/clock.h"

#include <string.h>

static int has_prefix(const char *t, const char *p) { return strncmp(t, p, strlen(p)) == 0; }

akt_msg *akt__stream_control(const char *type, int64_t n) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)n >> (8 * i));
    akt_msg *m = NULL;
    if (akt_msg_new_bytes(type, b, n ? 8 : 0, AKT_COPY, &m) != 0) return NULL;
    return m;
}

int64_t akt__stream_control_n(akt_msg *m) {
    const void *p = NULL;
    size_t len = 0;
    if (akt_msg_bytes(m, &p, &len) != 0 || len != 8) return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | ((const unsigned char *)p)[i];
    return (int64_t)v;
}

/* Tells a protocol message; a failure to make one ends the stream (it could not go on). */
int akt__seg_tell_control(akt__seg *g, akt_ctx *ctx, akt_pid to, const char *type, int64_t n) {
    akt_msg *m = akt__stream_control(type, n);
    if (!m) {
        akt__stream_finish(g->s, AKT_ENOMEM, "out of memory for a stream's demand");
        return AKT_ENOMEM;
    }
    if (akt_ctx_tell(ctx, to, m) != 0) akt_msg_release(m); /* the peer stopped: the end */
    return 0;
}

int akt__seg_push_out(akt__seg *g, akt_msg *m) {
    if (g->out_head == g->out_n) g->out_head = g->out_n = 0;
    if (g->out_n == g->out_cap) {
        size_t cap = g->out_cap ? g->out_cap * 2 : 4;
        akt_msg **v = akt__heap_realloc(&akt__default_heap, g->outq, cap * sizeof *v);
        if (!v) {
            akt_msg_release(m);
            return AKT_ENOMEM;
        }
        g->outq = v;
        g->out_cap = cap;
    }
    g->outq[g->out_n++] = m;
    return 0;
}

int akt__seg_push_result(akt__seg *g, akt_msg *m) {
    if (g->n_res == g->res_cap) {
        size_t cap = g->res_cap ? g->res_cap * 2 : 16;
        akt_msg **v = akt__heap_realloc(&akt__default_heap, g->res, cap * sizeof *v);
        if (!v) {
            akt_msg_release(m);
            return AKT_ENOMEM;
        }
        g->res = v;
        g->res_cap = cap;
    }
    g->res[g->n_res++] = m;
    return 0;
}

/* An element from upstream: into the ring, or what the buffer's overflow says. */
static void on_element(akt__seg *g, akt_msg *m) {
    akt_stream *s = g->s;
    if (g->granted) g->granted--;
    /* relaxed: see akt__stage_counters */
    atomic_fetch_add_explicit(&s->counters[g->first].in, 1, memory_order_relaxed);
    akt_msg_retain(m);
    if (g->count == g->ring_cap) {
        switch (g->overflow) {
        case AKT_STREAM_DROP_HEAD:
            akt_msg_release(g->ring[g->head]);
            g->head = (g->head + 1) % g->ring_cap;
            g->count--;
            atomic_fetch_add_explicit(&s->counters[g->first].drops, 1, memory_order_relaxed);
            break;
        case AKT_STREAM_DROP_TAIL:
            akt_msg_release(m);
            atomic_fetch_add_explicit(&s->counters[g->first].drops, 1, memory_order_relaxed);
            return;
        default: /* FAIL, or an upstream that sent beyond its credit */
            akt_msg_release(m);
            akt__stream_fail_stage(s, g->first, AKT_EFULL);
            return;
        }
    }
    g->ring[(g->head + g->count) % g->ring_cap] = m;
    g->count++;
}

/* Grants upstream what the window has room for, once at least half of it is free. */
static void grant(akt__seg *g, akt_ctx *ctx) {
    size_t used = g->granted + (g->overflow == AKT_STREAM_BACKPRESSURE ? g->count : 0);
    if (used >= g->window) return;
    size_t room = g->window - used;
    if (room < (g->window + 1) / 2) return;
    g->granted += room;
    akt__seg_tell_control(g, ctx, g->up, AKT__T_REQUEST, (int64_t)room);
}

static void complete(akt__seg *g, akt_ctx *ctx) {
    g->completed = 1;
    if (g->fan_out) {
        akt__junction_complete(g, ctx);
        return;
    }
    if (g->is_actor_sink) {
        akt__actor_sink_complete(g, ctx);
        return;
    }
    if (g->is_sink) {
        akt__seg_sink_complete(g);
        return;
    }
    akt__seg_tell_control(g, ctx, g->down, AKT__T_COMPLETE, 0);
    /* An input of a fan-in has no sink: its last actor's Complete is its end. */
    if (g->index + 1 == g->s->n_segs && g->s->link_kind == AKT__LINK_INPUT)
        akt__stream_finish(g->s, 0, "");
}

/* A throttle's budget: renewed at each interval's start; 0 left schedules a Wake for the
 * next one. Returns whether an element may pass now. */
static int throttle_allows(akt__seg *g, akt_ctx *ctx) {
    const akt__stage_def *d = &g->s->defs[g->first];
    int64_t now = akt__now_ns();
    if (now >= g->next_refill) {
        int64_t behind = (now - g->next_refill) / d->per_ns;
        g->next_refill += (behind + 1) * d->per_ns;
        g->tokens = (uint32_t)d->capacity;
    }
    if (g->tokens > 0) {
        g->tokens--;
        return 1;
    }
    if (!g->wake_pending) {
        akt_msg *m = NULL;
        akt_system *sys = NULL;
        if (akt_ctx_system(ctx, &sys) == 0 &&
            akt_msg_new_bytes(AKT__T_WAKE, NULL, 0, AKT_BORROW, &m) == 0) {
            if (akt_schedule_once(sys, g->self, m, g->next_refill - now, NULL, NULL, 0) == 0)
                g->wake_pending = 1;
            else
                akt_msg_release(m);
        }
        if (!g->wake_pending) akt__stream_fail_stage(g->s, g->first, AKT_ENOMEM);
    }
    return 0;
}

/* Most elements a source makes in one turn before it yields to other actors. */
#define SOURCE_TURN 256

static void pump(akt__seg *g, akt_ctx *ctx) {
    akt_stream *s = g->s;
    int made = 0;
    for (;;) {
        /* acquire: pairs with the finisher's release; once ended, nothing more is done. */
        if (atomic_load_explicit(&s->done, memory_order_acquire)) return;
        while (g->out_head < g->out_n && g->demand > 0) {
            akt_msg *m = g->outq[g->out_head++];
            g->demand--;
            int trc = g->is_actor_sink && g->sink_wait ? AKT_EFULL : akt_ctx_tell(ctx, g->down, m);
            if (trc != 0 && g->is_actor_sink) { /* kept for a retry, or the stream failed */
                g->out_head--;
                g->demand++;
                if (!akt__actor_sink_refused(g, ctx, trc)) return;
                break;
            }
            if (trc != 0) {
                akt_msg_release(m);
            } else if (g->is_actor_sink) {
                /* relaxed: see akt__stage_counters */
                atomic_fetch_add_explicit(&s->counters[g->last].out, 1, memory_order_relaxed);
            }
        }
        if (g->out_head < g->out_n) break;
        if ((!g->is_sink || g->is_actor_sink) && g->demand <= 0) break;
        int rc;
        if (g->is_source) {
            if ((g->exhausted && !g->is_queue && !g->is_actor_src) || g->is_tick)
                break;                   /* a tick source makes elements on Tick */
            if (made++ == SOURCE_TURN) { /* go on after the others had a turn */
                akt__seg_tell_control(g, ctx, g->self, AKT__T_REQUEST, 0);
                break;
            }
            if (g->is_queue) {
                if ((rc = akt__queue_next(g)) == 1) break;
            } else if (g->is_actor_src) {
                if ((rc = akt__actor_src_next(g)) == 1) break;
            } else if (g->fan_in) {
                if ((rc = akt__junction_next(g)) == 1) break;
            } else {
                rc = akt__seg_generate(g);
            }
        } else if (g->is_flat_merge) {
            if ((rc = akt__flat_merge_next(g)) == 1) break;
        } else {
            if (!g->count) break;
            if (g->fan_out) {
                if ((rc = akt__junction_route(g, ctx)) == 1) break;
                if (rc < 0) return;
                continue;
            }
            if (g->is_throttle && !throttle_allows(g, ctx)) break;
            if (g->is_async && !akt__async_has_room(g)) break;
            akt_msg *m = g->ring[g->head];
            g->head = (g->head + 1) % g->ring_cap;
            g->count--;
            rc = g->is_async ? akt__async_start(g, m) : akt__seg_run(g, g->first, m);
        }
        if (rc < 0) return; /* the stream failed */
    }
    if (atomic_load_explicit(&s->done, memory_order_acquire)) return;
    if (g->is_flat_merge && akt__flat_merge_fill(g, ctx) < 0) return;
    if (g->is_queue) g->exhausted = akt__queue_exhausted(g);
    if (g->is_actor_src) {
        akt__actor_src_refill(g, ctx);
        g->exhausted = akt__actor_src_exhausted(g);
    }
    int drained = g->is_source ? g->exhausted : g->upstream_done && g->count == 0;
    if (g->is_async && g->n_pending) drained = 0;
    if (g->is_flat_merge && g->n_active) drained = 0;
    if (g->is_actor_sink && !akt__actor_sink_idle(g)) drained = 0;
    if (drained && g->batch_n) { /* the last, partial batch; then on as usual */
        if (akt__batch_emit(g) == 0) pump(g, ctx);
        return;
    }
    if (!g->completed && g->out_head == g->out_n && drained) complete(g, ctx);
    if (!g->is_source && !g->upstream_done && !g->completed) grant(g, ctx);
    if (g->fan_in && !g->completed && !g->exhausted) akt__junction_grant(g, ctx);
}

/* A tick source: the system's timer tells it Tick every interval. */
static void start_ticks(akt__seg *g, akt_ctx *ctx) {
    const akt__stage_def *d = &g->s->defs[g->first];
    akt_system *sys = NULL;
    akt_msg *m = NULL;
    int rc = akt_ctx_system(ctx, &sys);
    if (rc == 0) rc = akt_msg_new_bytes(AKT__T_TICK, NULL, 0, AKT_BORROW, &m);
    if (rc == 0 && (rc = akt_schedule_every(sys, g->self, m, d->start, d->per_ns, NULL, g->tick_ref,
                                            sizeof g->tick_ref)) != 0)
        akt_msg_release(m);
    if (rc) {
        g->tick_ref[0] = '\0';
        akt__stream_fail_stage(g->s, g->first, rc);
    }
}

/* One tick: downstream gets it if it has credit and nothing waits; else it is dropped. */
static void on_tick(akt__seg *g) {
    akt_stream *s = g->s;
    const akt__stage_def *d = &s->defs[g->first];
    if (g->demand <= 0 || g->out_head < g->out_n) {
        /* relaxed: see akt__stage_counters */
        atomic_fetch_add_explicit(&s->counters[g->first].drops, 1, memory_order_relaxed);
        return;
    }
    atomic_fetch_add_explicit(&s->counters[g->first].out, 1, memory_order_relaxed);
    akt_msg_retain(d->seed);
    akt__seg_run(g, g->first + 1, d->seed);
}

static int seg_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt__seg *g = state;
    akt_stream *s = g->s;
    /* acquire: see pump */
    if (atomic_load_explicit(&s->done, memory_order_acquire)) return 0;
    const char *t = akt_msg_type(msg);
    if ((g->fan_in || g->fan_out) && akt__junction_receive(g, ctx, msg)) {
        /* from an input or a branch */
    } else if (g->is_flat_merge && akt__flat_merge_receive(g, ctx, msg)) {
        /* from an inner, or an inner's end */
    } else if (g->is_actor_sink && akt__actor_sink_receive(g, ctx, msg)) {
        /* the target's ack, or its end */
    } else if (g->is_actor_src && akt__actor_src_receive(g, ctx, msg)) {
        /* an element from a producer, or the end */
    } else if (!has_prefix(t, AKT__STREAM_PREFIX)) {
        on_element(g, msg);
    } else if (strcmp(t, AKT__T_REQUEST) == 0) {
        g->demand += akt__stream_control_n(msg);
    } else if (strcmp(t, AKT__T_COMPLETE) == 0) {
        g->upstream_done = 1;
    } else if (strcmp(t, AKT__T_DRAIN) == 0) {
        if (g->is_actor_src)
            g->src_closed = 1; /* what it accepted goes on first */
        else
            g->exhausted = 1; /* a queue source: see akt__queue_exhausted */
    } else if (strcmp(t, AKT__T_DONE) == 0) {
        if (g->is_async && akt__async_done(g, ctx, msg) < 0) return 0;
    } else if (strcmp(t, AKT__T_WAKE) == 0) {
        g->wake_pending = 0;
    } else if (strcmp(t, AKT__T_FLUSH) == 0) {
        if (akt__stream_control_n(msg) == g->batch_gen && g->batch_n) akt__batch_emit(g);
    } else if (strcmp(t, AKT__T_TICK) == 0) {
        if (g->started && !g->exhausted) on_tick(g);
    } else if (strcmp(t, AKT__T_START) == 0) {
        /* The pids were all written before the first Start was told (a tell publishes
         * what its sender wrote before it). */
        akt_ctx_self(ctx, &g->self);
        if (g->index > 0)
            g->up = s->pids[g->index - 1];
        else if (s->link_kind == AKT__LINK_BRANCH)
            g->up = s->link; /* a branch takes its elements from its fan-out */
        if (!g->is_sink) g->down = g->index + 1 < s->n_segs ? s->pids[g->index + 1] : s->link;
        if (g->is_actor_sink) {
            g->down = s->defs[g->last].target;
            if (akt_ctx_watch(ctx, g->down) != 0) {
                akt__stream_fail_stage(s, g->last, AKT_ESTOPPED);
                return 0;
            }
        }
        g->started = 1;
        if (g->is_tick) start_ticks(g, ctx);
    }
    /* Downstream starts first and may ask before this one knows its peers: its demand is
     * kept, and the work begins with Start. */
    if (g->started) pump(g, ctx);
    return 0;
}

static void seg_post_stop(akt_ctx *ctx, void *state) {
    akt__seg *g = state;
    akt_system *sys = NULL;
    if (g->tick_ref[0] && akt_ctx_system(ctx, &sys) == 0) akt_schedule_cancel(sys, g->tick_ref);
    g->tick_ref[0] = '\0';
    akt__stream_finish(g->s, AKT_ESTOPPED, "an actor of the stream stopped"); /* and its inners */
}

static void seg_free(void *state) {
    akt__seg *g = state;
    for (size_t i = 0; i < g->count; i++) akt_msg_release(g->ring[(g->head + i) % g->ring_cap]);
    for (size_t i = g->out_head; i < g->out_n; i++) akt_msg_release(g->outq[i]);
    for (size_t i = 0; i < g->n_res; i++) akt_msg_release(g->res[i]);
    akt__dfree(g->ring);
    akt__dfree(g->outq);
    akt__dfree(g->res);
    akt__junction_free(g);
    akt__batch_free(g);
    akt__async_free(g);
    akt__flat_merge_free(g);
    akt__stream_unref(g->s);
    akt__dfree(g);
}

int akt__segment_spawn(akt_stream *s, size_t seg, size_t first, size_t last, akt_pid *out) {
    akt__seg *g = akt__dalloc(sizeof *g);
    if (!g) return AKT_ENOMEM;
    memset(g, 0, sizeof *g);
    g->s = s;
    g->index = seg;
    g->first = first;
    g->last = last;
    g->is_source = akt__stage_is_source(s->defs[first].kind);
    g->is_sink = akt__stage_is_sink(s->defs[last].kind);
    g->window = s->window;
    g->overflow = AKT_STREAM_BACKPRESSURE;
    g->ring_cap = s->window;
    const akt__stage_def *d = &s->defs[first];
    if (d->kind == AKT__FL_BUFFER) {
        g->overflow = d->overflow;
        g->ring_cap = d->capacity;
        if (d->overflow == AKT_STREAM_BACKPRESSURE) g->window = d->capacity;
    }
    if (d->kind == AKT__SRC_RANGE) g->next = d->start;
    g->is_tick = d->kind == AKT__SRC_TICK;
    if (d->kind == AKT__FL_THROTTLE) {
        g->is_throttle = 1;
        g->tokens = (uint32_t)d->capacity;
        g->next_refill = akt__now_ns() + d->per_ns;
    }
    if (d->kind == AKT__SRC_ACTOR) {
        g->is_actor_src = 1;
        g->ring_cap = d->capacity;
    }
    if (d->kind == AKT__SRC_QUEUE) {
        g->is_queue = 1;
        g->ring_cap = d->capacity; /* offers are bounded by it: mailbox and ring together */
    }
    if (s->defs[last].kind == AKT__SK_ACTOR) {
        g->is_actor_sink = 1;
        g->in_flight = s->defs[last].capacity;
        g->demand = (int64_t)g->in_flight;
    }
    if (d->kind == AKT__FL_MAP_ASYNC && akt__async_init(g) != 0) {
        akt__dfree(g);
        return AKT_ENOMEM;
    }
    if (d->kind == AKT__FL_FLAT_MERGE && akt__flat_merge_init(g) != 0) {
        akt__dfree(g);
        return AKT_ENOMEM;
    }
    if (!g->is_source || g->is_queue || g->is_actor_src) {
        g->ring = akt__dalloc(g->ring_cap * sizeof *g->ring);
        if (!g->ring) {
            akt__async_free(g);
            akt__flat_merge_free(g);
            akt__dfree(g);
            return AKT_ENOMEM;
        }
    }
    if (akt__junction_init(g) != 0) {
        akt__async_free(g);
        akt__flat_merge_free(g);
        akt__dfree(g->ring);
        akt__dfree(g);
        return AKT_ENOMEM;
    }
    akt_behavior b = {.size = sizeof b,
                      .receive = seg_receive,
                      .post_stop = seg_post_stop,
                      .free_state = seg_free};
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.dispatcher = s->dispatcher;
    akt__stream_retain(s);
    akt__relay_receive(b.receive); /* its stages read, not a sender's values */
    int rc = akt_spawn(s->system, &b, g, &o, out);
    if (rc != 0) {
        akt__junction_free(g);
        akt__async_free(g);
        akt__flat_merge_free(g);
        akt__dfree(g->ring);
        akt__dfree(g);
        akt__stream_unref(s);
    }
    return rc;
}
