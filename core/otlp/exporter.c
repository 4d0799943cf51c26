/* The OTLP exporter of a system (akt_otlp_*): a part of the system (kernel/sys.h) with a
 * bounded queue of spans that the trace sink fills, and one thread that batches them, takes
 * the metric readings and sends both with libcurl. The sink never waits for the thread: a
 * full queue drops the span and counts it. */
#include <akt/telemetry.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/sys.h"
#include "otlp.h"

typedef struct akt__otlp {
    akt__part part; /* first: the system's part list links it */
    akt_system *s;
    akt_otlp_options o; /* its strings below, owned */
    char *traces_url, *metrics_url, *service_name;
    char **headers;
    akt__otlp_origin origin;
    akt__otlp_http http;
    pthread_t thread;
    int started;

    pthread_mutex_t mu;
    pthread_cond_t wake;   /* the thread: a full batch, a flush, the stop */
    pthread_cond_t done;   /* flushers: a round finished */
    akt__otlp_span **ring; /* o.queue_capacity slots, under mu */
    uint32_t head, count;
    int stop;                          /* under mu */
    uint64_t flush_asked, flush_ended; /* rounds, under mu */
    int flush_rc;                      /* of round flush_ended, under mu */

    /* Stats: independent relaxed counters, read as a snapshot (each value was held). */
    atomic_uint_fast64_t queued, exported, dropped, dropped_full, points_exported, points_dropped,
        requests, failed, retries;
    atomic_int last_status;
} akt__otlp;

static const char akt__otlp_key = 0;
static const char akt__otlp_dead_key = 0; /* an exporter that failed to start */
static pthread_mutex_t akt__otlp_start_lock = PTHREAD_MUTEX_INITIALIZER;

#define AKT__ADD(field, n) atomic_fetch_add_explicit(&ex->field, (n), memory_order_relaxed)
#define AKT__GET(field) atomic_load_explicit(&ex->field, memory_order_relaxed)

static uint64_t akt__wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct timespec akt__mono_after(int64_t ms) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t ns = ts.tv_nsec + (ms % 1000) * 1000000;
    ts.tv_sec += ms / 1000 + ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    return ts;
}

static int akt__ts_passed(const struct timespec *t) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* ---- the sink: any worker thread, must not block ---- */

static void akt__otlp_sink(const akt_span *sp, void *data) {
    akt__otlp *ex = data;
    const char *name = sp->name ? sp->name : "";
    const char *path = sp->actor_path ? sp->actor_path : "";
    const char *type = sp->message_type ? sp->message_type : "";
    size_t ln = strlen(name) + 1, lp = strlen(path) + 1, lt = strlen(type) + 1;
    akt__otlp_span *r = malloc(sizeof *r + ln + lp + lt);
    if (!r) {
        AKT__ADD(dropped, 1);
        AKT__ADD(dropped_full, 1);
        return;
    }
    memcpy(r->trace_id, sp->trace_id, 16);
    memcpy(r->span_id, sp->span_id, 8);
    memcpy(r->parent_id, sp->parent_id, 8);
    r->flags = sp->flags;
    r->status = sp->status;
    r->start_ns = sp->start_ns;
    r->end_ns = sp->end_ns;
    memcpy(r->text, name, ln);
    memcpy(r->text + ln, path, lp);
    memcpy(r->text + ln + lp, type, lt);
    r->name = r->text;
    r->path = r->text + ln;
    r->type = r->text + ln + lp;
    pthread_mutex_lock(&ex->mu);
    int ok = !ex->stop && ex->count < ex->o.queue_capacity;
    if (ok) {
        ex->ring[(ex->head + ex->count) % ex->o.queue_capacity] = r;
        if (++ex->count == ex->o.batch_size) pthread_cond_signal(&ex->wake);
    }
    pthread_mutex_unlock(&ex->mu);
    if (ok) {
        AKT__ADD(queued, 1);
    } else {
        free(r);
        AKT__ADD(dropped, 1);
        AKT__ADD(dropped_full, 1);
    }
}

/* ---- the thread ---- */

static int akt__retryable(long status) {
    return status == 0 || status == 429 || status == 502 || status == 503 || status == 504;
}

/* Sends body with up to `retries` retries, waiting between them unless the exporter stops
 * (mu not held). 1 if the collector accepted it. */
static int akt__otlp_send(akt__otlp *ex, const char *url, const uint8_t *body, size_t len,
                          uint32_t retries) {
    int64_t backoff = 100;
    for (uint32_t attempt = 0;; attempt++) {
        AKT__ADD(requests, 1);
        if (attempt) AKT__ADD(retries, 1);
        long status = akt__otlp_http_post(&ex->http, url, body, len);
        atomic_store_explicit(&ex->last_status, (int)status, memory_order_relaxed);
        if (status >= 200 && status < 300) return 1;
        AKT__ADD(failed, 1);
        if (!akt__retryable(status) || attempt >= retries) return 0;
        struct timespec until = akt__mono_after(backoff);
        pthread_mutex_lock(&ex->mu);
        while (!ex->stop && !akt__ts_passed(&until))
            pthread_cond_timedwait(&ex->wake, &ex->mu, &until);
        int stop = ex->stop;
        pthread_mutex_unlock(&ex->mu);
        if (stop) return 0;
        backoff = backoff * 2 > 1000 ? 1000 : backoff * 2;
    }
}

/* Takes up to one batch off the queue (mu held) into batch; returns how many. */
static uint32_t akt__otlp_take(akt__otlp *ex, akt__otlp_span **batch) {
    uint32_t n = ex->count < ex->o.batch_size ? ex->count : ex->o.batch_size;
    for (uint32_t i = 0; i < n; i++) {
        batch[i] = ex->ring[ex->head];
        ex->head = (ex->head + 1) % ex->o.queue_capacity;
    }
    ex->count -= n;
    return n;
}

/* Sends one batch (mu not held) and frees it: 1 if accepted. */
static int akt__otlp_send_spans(akt__otlp *ex, akt__otlp_span **batch, uint32_t n,
                                uint32_t retries) {
    uint8_t *body = NULL;
    size_t len = 0;
    int ok = akt__otlp_encode_spans(&ex->origin, batch, n, &body, &len) == 0 &&
             akt__otlp_send(ex, ex->traces_url, body, len, retries);
    free(body);
    for (uint32_t i = 0; i < n; i++) free(batch[i]);
    if (ok)
        AKT__ADD(exported, n);
    else
        AKT__ADD(dropped, n);
    return ok;
}

typedef struct akt__reading {
    akt__otlp_arena arena;
    akt__otlp_point *pts;
    size_t n, cap;
    int nomem;
} akt__reading;

static akt__otlp_point *akt__reading_add(akt__reading *r) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        akt__otlp_point *p = realloc(r->pts, cap * sizeof *p);
        if (!p) return NULL;
        r->pts = p;
        r->cap = cap;
    }
    akt__otlp_point *p = &r->pts[r->n++];
    memset(p, 0, sizeof *p);
    return p;
}

static int akt__reading_point(const akt_metric_point *mp, void *data) {
    akt__reading *r = data;
    akt__otlp_point *p = akt__reading_add(r);
    if (!p) return r->nomem = 1;
    akt__otlp_arena *a = &r->arena;
    p->name = akt__otlp_arena_strdup(a, mp->name);
    p->unit = akt__otlp_arena_strdup(a, mp->unit);
    p->description = akt__otlp_arena_strdup(a, mp->description);
    p->kind = mp->kind;
    p->value = mp->value;
    p->nattrs = mp->nattrs;
    if (mp->nattrs) {
        p->keys = akt__otlp_arena_alloc(a, mp->nattrs * sizeof *p->keys);
        p->values = akt__otlp_arena_alloc(a, mp->nattrs * sizeof *p->values);
        if (!p->keys || !p->values) return r->nomem = 1;
        for (size_t i = 0; i < mp->nattrs; i++) {
            p->keys[i] = akt__otlp_arena_strdup(a, mp->attrs[i].key);
            p->values[i] = akt__otlp_arena_strdup(a, mp->attrs[i].value);
            if (!p->keys[i] || !p->values[i]) return r->nomem = 1;
        }
    }
    if (!p->name || !p->unit || !p->description) return r->nomem = 1;
    return 0;
}

/* The exporter's own counters, as counters of the reading. */
static void akt__reading_self(akt__otlp *ex, akt__reading *r) {
    static const struct {
        const char *name, *description;
        size_t offset;
    } own[] = {
        {"akt.otlp.spans.exported", "spans the collector accepted", offsetof(akt__otlp, exported)},
        {"akt.otlp.spans.dropped", "spans dropped (queue full or export failed)",
         offsetof(akt__otlp, dropped)},
        {"akt.otlp.points.dropped", "metric points of failed exports",
         offsetof(akt__otlp, points_dropped)},
        {"akt.otlp.requests.failed", "export attempts that failed", offsetof(akt__otlp, failed)},
    };
    for (size_t i = 0; i < sizeof own / sizeof own[0] && !r->nomem; i++) {
        akt__otlp_point *p = akt__reading_add(r);
        if (!p) {
            r->nomem = 1;
            break;
        }
        p->name = own[i].name;
        p->unit = "1";
        p->description = own[i].description;
        p->kind = AKT_METRIC_COUNTER;
        p->value = (double)atomic_load_explicit(
            (atomic_uint_fast64_t *)((char *)ex + own[i].offset), memory_order_relaxed);
    }
}

/* One metric reading, sent (mu not held): 1 if accepted. */
static int akt__otlp_send_metrics(akt__otlp *ex, uint32_t retries) {
    akt__reading r = {0};
    uint8_t *body = NULL;
    size_t len = 0;
    int ok = 0;
    if (akt_metrics_collect(ex->s, akt__reading_point, &r) == 0 && !r.nomem) {
        akt__reading_self(ex, &r);
        ok = !r.nomem &&
             akt__otlp_encode_metrics(&ex->origin, r.pts, r.n, akt__wall_ns(), &body, &len) == 0 &&
             akt__otlp_send(ex, ex->metrics_url, body, len, retries);
    }
    if (ok)
        AKT__ADD(points_exported, r.n);
    else
        AKT__ADD(points_dropped, r.n);
    free(body);
    free(r.pts);
    akt__otlp_arena_free(&r.arena);
    return ok;
}

static void *akt__otlp_main(void *arg) {
    akt__otlp *ex = arg;
    akt__otlp_span **batch = malloc(ex->o.batch_size * sizeof *batch);
    int traces = (ex->o.signals & AKT_OTLP_TRACES) != 0;
    int metrics = (ex->o.signals & AKT_OTLP_METRICS) != 0;
    struct timespec next = akt__mono_after(ex->o.flush_interval_ms);
    pthread_mutex_lock(&ex->mu);
    while (batch) {
        while (!ex->stop && ex->flush_asked == ex->flush_ended && ex->count < ex->o.batch_size &&
               !akt__ts_passed(&next))
            pthread_cond_timedwait(&ex->wake, &ex->mu, &next);
        if (ex->stop) break;
        uint64_t round = ex->flush_asked;
        int full_round = round != ex->flush_ended || akt__ts_passed(&next);
        /* A round sends what waits now, not what keeps arriving while it sends. */
        uint32_t waiting = ex->count, sent = 0;
        int all_ok = 1;
        while (ex->count && (full_round ? sent < waiting : ex->count >= ex->o.batch_size)) {
            uint32_t n = akt__otlp_take(ex, batch);
            sent += n;
            pthread_mutex_unlock(&ex->mu);
            all_ok &= akt__otlp_send_spans(ex, batch, n, ex->o.max_retries);
            pthread_mutex_lock(&ex->mu);
            if (ex->stop) break;
        }
        if (full_round && !ex->stop) {
            pthread_mutex_unlock(&ex->mu);
            if (metrics) all_ok &= akt__otlp_send_metrics(ex, ex->o.max_retries);
            pthread_mutex_lock(&ex->mu);
            next = akt__mono_after(ex->o.flush_interval_ms);
        }
        if (round != ex->flush_ended && full_round) {
            ex->flush_ended = round;
            ex->flush_rc = all_ok ? 0 : AKT_EUNREACHABLE;
            pthread_cond_broadcast(&ex->done);
        }
    }
    /* The stop: one attempt at what waits, giving up at the first failure. */
    int up = 1;
    while (batch && ex->count) {
        uint32_t n = akt__otlp_take(ex, batch);
        pthread_mutex_unlock(&ex->mu);
        if (up)
            up = akt__otlp_send_spans(ex, batch, n, 0);
        else {
            for (uint32_t i = 0; i < n; i++) free(batch[i]);
            AKT__ADD(dropped, n);
        }
        pthread_mutex_lock(&ex->mu);
    }
    pthread_mutex_unlock(&ex->mu);
    (void)traces;
    if (metrics && up) akt__otlp_send_metrics(ex, 0);
    pthread_mutex_lock(&ex->mu);
    ex->flush_ended = ex->flush_asked;
    ex->flush_rc = AKT_ECLOSED;
    pthread_cond_broadcast(&ex->done);
    pthread_mutex_unlock(&ex->mu);
    free(batch);
    return NULL;
}

/* ---- the part ---- */

static void akt__otlp_stop(akt_system *s, akt__part *part) {
    (void)s;
    akt__otlp *ex = (akt__otlp *)part;
    pthread_mutex_lock(&ex->mu);
    ex->stop = 1;
    pthread_cond_broadcast(&ex->wake);
    pthread_mutex_unlock(&ex->mu);
    if (ex->started) pthread_join(ex->thread, NULL);
    ex->started = 0;
}

static void akt__otlp_free(akt_system *s, akt__part *part) {
    (void)s;
    akt__otlp *ex = (akt__otlp *)part;
    while (ex->ring && ex->count) {
        free(ex->ring[ex->head]);
        ex->head = (ex->head + 1) % ex->o.queue_capacity;
        ex->count--;
    }
    free(ex->ring);
    akt__otlp_http_free(&ex->http);
    for (size_t i = 0; ex->headers && i < ex->o.nheaders; i++) free(ex->headers[i]);
    free(ex->headers);
    free(ex->traces_url);
    free(ex->metrics_url);
    free(ex->service_name);
    pthread_mutex_destroy(&ex->mu);
    pthread_cond_destroy(&ex->wake);
    pthread_cond_destroy(&ex->done);
    free(ex);
}

static akt__otlp *akt__otlp_of(akt_system *s) {
    return (akt__otlp *)akt__part_find(s, &akt__otlp_key);
}

/* ---- the public API ---- */

AKT_API void akt_otlp_options_init(akt_otlp_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->signals = AKT_OTLP_TRACES | AKT_OTLP_METRICS;
    o->batch_size = 512;
    o->queue_capacity = 2048;
    o->flush_interval_ms = 1000;
    o->timeout_ms = 5000;
    o->max_retries = 2;
}

static int akt__header_ok(const char *h) {
    if (!h) return 0;
    const char *colon = strchr(h, ':');
    if (!colon || colon == h) return 0;
    for (const char *p = h; *p; p++)
        if (*p == '\r' || *p == '\n') return 0;
    for (const char *p = h; p < colon; p++)
        if (*p == ' ' || *p == '\t' || (unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
            return 0;
    return 1;
}

static int akt__options_check(const akt_otlp_options *o) {
    if (!o->endpoint ||
        (strncmp(o->endpoint, "http://", 7) != 0 && strncmp(o->endpoint, "https://", 8) != 0))
        return AKT_EINVAL;
    if (strlen(o->endpoint) > 2048) return AKT_EINVAL;
    for (const char *p = o->endpoint; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f) return AKT_EINVAL;
    if (o->nheaders && !o->headers) return AKT_EINVAL;
    if (o->nheaders > 64) return AKT_EINVAL;
    for (size_t i = 0; i < o->nheaders; i++)
        if (!akt__header_ok(o->headers[i])) return AKT_EINVAL;
    if (o->signals & ~(unsigned)(AKT_OTLP_TRACES | AKT_OTLP_METRICS)) return AKT_EINVAL;
    if (o->batch_size < 1 || o->batch_size > 65536) return AKT_EINVAL;
    if (o->queue_capacity < o->batch_size || o->queue_capacity > 1048576) return AKT_EINVAL;
    if (o->flush_interval_ms < 10 || o->flush_interval_ms > 3600000) return AKT_EINVAL;
    if (o->timeout_ms < 1 || o->timeout_ms > 600000) return AKT_EINVAL;
    if (o->max_retries > 10) return AKT_EINVAL;
    return 0;
}

static char *akt__join(const char *base, const char *path) {
    size_t n = strlen(base);
    while (n && base[n - 1] == '/') n--;
    size_t m = strlen(path);
    char *u = malloc(n + m + 1);
    if (u) {
        memcpy(u, base, n);
        memcpy(u + n, path, m + 1);
    }
    return u;
}

static akt__otlp *akt__otlp_new(akt_system *s, const akt_otlp_options *o) {
    akt__otlp *ex = calloc(1, sizeof *ex);
    if (!ex) return NULL;
    ex->s = s;
    ex->o = *o;
    if (!ex->o.signals) ex->o.signals = AKT_OTLP_TRACES | AKT_OTLP_METRICS;
    pthread_mutex_init(&ex->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&ex->wake, &ca);
    pthread_cond_init(&ex->done, &ca);
    pthread_condattr_destroy(&ca);
    ex->traces_url = akt__join(o->endpoint, "/v1/traces");
    ex->metrics_url = akt__join(o->endpoint, "/v1/metrics");
    ex->service_name = strdup(o->service_name ? o->service_name : "akt");
    ex->headers = calloc(o->nheaders ? o->nheaders : 1, sizeof *ex->headers);
    ex->ring = malloc(o->queue_capacity * sizeof *ex->ring);
    int ok = ex->traces_url && ex->metrics_url && ex->service_name && ex->headers && ex->ring;
    for (size_t i = 0; ok && i < o->nheaders; i++)
        ok = (ex->headers[i] = strdup(o->headers[i])) != NULL;
    ex->o.endpoint = NULL; /* not kept: the two URLs are */
    ex->o.headers = (const char *const *)ex->headers;
    ex->o.service_name = ex->service_name;
    if (ok)
        ok = akt__otlp_http_init(&ex->http, (const char *const *)ex->headers, o->nheaders,
                                 o->timeout_ms) == 0;
    akt_system_metrics m = {.size = sizeof m};
    akt_metrics_system(s, &m);
    uint64_t now = akt__wall_ns();
    ex->origin.service_name = ex->service_name;
    ex->origin.system_name = s->name;
    ex->origin.start_ns = m.uptime_ns > 0 && (uint64_t)m.uptime_ns < now
                              ? now - (uint64_t)m.uptime_ns
                              : now;
    ex->part.key = &akt__otlp_key;
    ex->part.stop = akt__otlp_stop;
    ex->part.free = akt__otlp_free;
    if (!ok) {
        akt__otlp_free(s, &ex->part);
        return NULL;
    }
    return ex;
}

AKT_API int akt_otlp_start(akt_system *system, const akt_otlp_options *options) {
    if (!system || !options) return AKT_EINVAL;
    akt_otlp_options o;
    akt_otlp_options_init(&o);
    if (options->size < offsetof(akt_otlp_options, max_retries) + sizeof o.max_retries ||
        options->size > sizeof o)
        return AKT_EINVAL;
    memcpy(&o, options, options->size);
    int rc = akt__options_check(&o);
    if (rc) return rc;
    pthread_mutex_lock(&akt__otlp_start_lock);
    akt__otlp *ex = NULL;
    if (akt__otlp_of(system))
        rc = AKT_EEXIST;
    else if (akt__sys_closed(system))
        rc = AKT_ECLOSED;
    else if ((ex = akt__otlp_new(system, &o)) == NULL)
        rc = AKT_ENOMEM;
    else if (pthread_create(&ex->thread, NULL, akt__otlp_main, ex) != 0) {
        akt__otlp_free(system, &ex->part);
        rc = AKT_ENOMEM;
    } else {
        ex->started = 1;
        pthread_mutex_lock(&system->lock);
        int closed = akt__sys_closed(system); /* too late: the part would never be stopped */
        if (!closed) akt__part_add_locked(system, &ex->part);
        pthread_mutex_unlock(&system->lock);
        if (closed) {
            akt__otlp_stop(system, &ex->part);
            akt__otlp_free(system, &ex->part);
            rc = AKT_ECLOSED;
        } else if ((ex->o.signals & AKT_OTLP_TRACES) &&
                   (rc = akt_trace_set_sink(system, akt__otlp_sink, ex)) != 0) {
            /* Registered, so freed with the system; stopped now, and hidden from
             * akt__otlp_of (the key is read under the lock) so that a later start may try. */
            akt__otlp_stop(system, &ex->part);
            pthread_mutex_lock(&system->lock);
            ex->part.key = &akt__otlp_dead_key;
            pthread_mutex_unlock(&system->lock);
        }
    }
    pthread_mutex_unlock(&akt__otlp_start_lock);
    return rc;
}

AKT_API int akt_otlp_flush(akt_system *system, int64_t timeout_ms) {
    if (!system || timeout_ms < 0) return AKT_EINVAL;
    akt__otlp *ex = akt__otlp_of(system);
    if (!ex) return AKT_ENOTFOUND;
    struct timespec until = akt__mono_after(timeout_ms);
    pthread_mutex_lock(&ex->mu);
    if (ex->stop) {
        pthread_mutex_unlock(&ex->mu);
        return AKT_ECLOSED;
    }
    uint64_t round = ++ex->flush_asked;
    pthread_cond_signal(&ex->wake);
    int rc = AKT_ETIMEDOUT;
    for (;;) {
        if (ex->flush_ended >= round) {
            rc = ex->flush_rc;
            break;
        }
        if (akt__ts_passed(&until)) break;
        pthread_cond_timedwait(&ex->done, &ex->mu, &until);
    }
    pthread_mutex_unlock(&ex->mu);
    return rc;
}

AKT_API int akt_otlp_stats_read(akt_system *system, akt_otlp_stats *out) {
    if (!system || !out || out->size < sizeof(size_t) + 8) return AKT_EINVAL;
    akt__otlp *ex = akt__otlp_of(system);
    if (!ex) return AKT_ENOTFOUND;
    akt_otlp_stats st = {.size = sizeof st};
    st.spans_queued = AKT__GET(queued);
    st.spans_exported = AKT__GET(exported);
    st.spans_dropped = AKT__GET(dropped);
    st.spans_dropped_full = AKT__GET(dropped_full);
    st.points_exported = AKT__GET(points_exported);
    st.points_dropped = AKT__GET(points_dropped);
    st.requests = AKT__GET(requests);
    st.requests_failed = AKT__GET(failed);
    st.retries = AKT__GET(retries);
    pthread_mutex_lock(&ex->mu);
    st.queue_size = ex->count;
    pthread_mutex_unlock(&ex->mu);
    st.last_http_status = atomic_load_explicit(&ex->last_status, memory_order_relaxed);
    size_t n = out->size < sizeof st ? out->size : sizeof st;
    memcpy((char *)out + sizeof(size_t), (char *)&st + sizeof(size_t), n - sizeof(size_t));
    return 0;
}
