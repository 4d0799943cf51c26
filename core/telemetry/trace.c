/* Spans: the tracing hook of kernel/trace.h (begin and end around a handled message, the
 * traceparent of the running span on what it sends) and the public switch. The records
 * live in a part of the system (kernel/sys.h) until it is freed, so that a runner that
 * loaded the old record before a switch may still use it. */
#include <akt/telemetry.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/alloc.h"
#include "base/tls.h"
#include "kernel/cell.h"
#include "kernel/path.h"
#include "kernel/sys.h"
#include "kernel/trace.h"

typedef struct akt__trace_rec {
    akt__trace t;
    struct akt__trace_rec *next;
} akt__trace_rec;

typedef struct akt__trace_part {
    akt__part part;
    akt__trace_rec *recs;         /* every record installed, under s->lock */
    atomic_uint_fast64_t invalid; /* invalid traceparent headers seen */
} akt__trace_part;

static const char akt__trace_key = 0;

/* The thread's running span (a stack: a turn inside a turn restores the outer one). */
static AKT__TLS akt__span *akt__cur_span;
/* The thread's id generator (splitmix64), seeded on first use. */
static AKT__TLS uint64_t akt__id_state;

static uint64_t akt__id_next(void) {
    if (!akt__id_state) {
        uint64_t seed = 0;
        if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)(uintptr_t)&ts;
        }
        akt__id_state = seed | 1;
    }
    uint64_t z = (akt__id_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* n random bytes (n a multiple of 8), not all zero. */
static void akt__random_id(uint8_t *out, size_t n) {
    do {
        for (size_t i = 0; i < n; i += 8) {
            uint64_t v = akt__id_next();
            memcpy(out + i, &v, 8);
        }
    } while (out[0] == 0 && memcmp(out, out + 1, n - 1) == 0);
}

static int64_t akt__wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static akt__trace_part *akt__trace_part_of(akt_system *s) {
    return (akt__trace_part *)akt__part_find(s, &akt__trace_key);
}

static int akt__span_begin(const akt__trace *t, akt_system *s, akt__cell *c, akt_msg *m,
                           akt__span *sp) {
    (void)t;
    if (akt__proxy_hooks_of(s, c)) return 0; /* the remote actor's span is the one */
    const void *v;
    size_t len;
    int parsed = 0;
    if (akt_msg_header(m, AKT_TRACEPARENT_HEADER, &v, &len) == 0) {
        akt_trace_context in;
        if (akt_traceparent_parse(v, len, &in) == 0) {
            memcpy(sp->ctx.trace_id, in.trace_id, 16);
            memcpy(sp->parent_id, in.span_id, 8);
            sp->ctx.flags = in.flags;
            parsed = 1;
        } else {
            akt__trace_part *tp = akt__trace_part_of(s);
            /* relaxed: a counter read on its own. */
            if (tp) atomic_fetch_add_explicit(&tp->invalid, 1, memory_order_relaxed);
        }
    }
    if (!parsed) {
        akt__random_id(sp->ctx.trace_id, 16);
        memset(sp->parent_id, 0, 8);
        sp->ctx.flags = AKT_TRACE_SAMPLED;
    }
    akt__random_id(sp->ctx.span_id, 8);
    sp->start_ns = akt__wall_ns();
    sp->prev = akt__cur_span;
    akt__cur_span = sp;
    return 1;
}

static void akt__span_end(const akt__trace *t, akt_system *s, akt__cell *c, akt_msg *m,
                          akt__span *sp, int rc) {
    akt__cur_span = sp->prev;
    int64_t end = akt__wall_ns();
    char path[512], name[160];
    pthread_mutex_lock(&s->lock);
    size_t n = akt__path_locked(s, c, path, sizeof path);
    pthread_mutex_unlock(&s->lock);
    if (n + 1 > sizeof path) path[sizeof path - 1] = 0;
    const char *type = akt_msg_type(m);
    snprintf(name, sizeof name, "receive %s", type ? type : "");
    akt_span span;
    memset(&span, 0, sizeof span);
    span.size = sizeof span;
    span.name = name;
    memcpy(span.trace_id, sp->ctx.trace_id, 16);
    memcpy(span.span_id, sp->ctx.span_id, 8);
    memcpy(span.parent_id, sp->parent_id, 8);
    span.flags = sp->ctx.flags;
    span.start_ns = sp->start_ns;
    span.end_ns = end;
    span.actor_path = path;
    span.message_type = type ? type : "";
    span.status = rc;
    t->sink(&span, t->data);
}

static void akt__span_inject(const akt__trace *t, akt_msg *m) {
    (void)t;
    const akt__span *sp = akt__cur_span;
    if (!sp) return;
    char tp[AKT_TRACEPARENT_LEN + 1];
    if (akt_traceparent_format(&sp->ctx, tp, sizeof tp) == 0)
        (void)akt_msg_set_header(m, AKT_TRACEPARENT_HEADER, tp, AKT_TRACEPARENT_LEN);
    /* A shared message (AKT_EMISUSE) or one full of headers goes without: not an error
     * of the send. */
}

static void akt__trace_part_stop(akt_system *s, akt__part *p) {
    (void)s;
    (void)p;
}

static void akt__trace_part_free(akt_system *s, akt__part *p) {
    akt__trace_part *tp = (akt__trace_part *)p;
    atomic_store_explicit(&s->trace, NULL, memory_order_relaxed); /* nobody runs any more */
    for (akt__trace_rec *r = tp->recs, *next; r; r = next) {
        next = r->next;
        akt__heap_free(&s->heap, r);
    }
    akt__heap_free(&s->heap, tp);
}

AKT_API int akt_trace_set_sink(akt_system *system, akt_trace_sink_fn sink, void *data) {
    if (!system) return AKT_EINVAL;
    akt__trace_rec *r = NULL;
    if (sink) {
        r = akt__heap_calloc(&system->heap, sizeof *r);
        if (!r) return AKT_ENOMEM;
        r->t.begin = akt__span_begin;
        r->t.end = akt__span_end;
        r->t.inject = akt__span_inject;
        r->t.sink = sink;
        r->t.data = data;
    }
    akt__trace_part *fresh = akt__heap_calloc(&system->heap, sizeof *fresh);
    pthread_mutex_lock(&system->lock);
    akt__part *p = system->parts;
    while (p && p->key != &akt__trace_key) p = p->next;
    akt__trace_part *tp = (akt__trace_part *)p;
    if (!tp && fresh) {
        tp = fresh;
        fresh = NULL;
        tp->part.key = &akt__trace_key;
        tp->part.stop = akt__trace_part_stop;
        tp->part.free = akt__trace_part_free;
        atomic_init(&tp->invalid, 0);
        akt__part_add_locked(system, &tp->part);
    }
    if (!tp) {
        pthread_mutex_unlock(&system->lock);
        akt__heap_free(&system->heap, r);
        return AKT_ENOMEM;
    }
    if (r) {
        r->next = tp->recs;
        tp->recs = r;
    }
    /* release: a runner that loads r (acquire) sees its fields written. */
    atomic_store_explicit(&system->trace, r ? &r->t : NULL, memory_order_release);
    pthread_mutex_unlock(&system->lock);
    if (fresh) akt__heap_free(&system->heap, fresh);
    return 0;
}

AKT_API int akt_trace_invalid_count(akt_system *system, uint64_t *count) {
    if (!system || !count) return AKT_EINVAL;
    akt__trace_part *tp = akt__trace_part_of(system);
    /* relaxed: a counter read on its own. */
    *count = tp ? atomic_load_explicit(&tp->invalid, memory_order_relaxed) : 0;
    return 0;
}
