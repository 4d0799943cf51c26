/* Reading the metrics counters (kernel/stats.h): one system, one actor, every actor. */
#include "metrics.h"

#include <string.h>

#include "base/clock.h"
#include "kernel/path.h"
#include "kernel/sys.h"

/* Copies a full struct into a caller's by its size: the fields after size that fit. */
static void akt__fill_by_size(void *out, const void *full, size_t full_size) {
    size_t size = *(const size_t *)out;
    size_t n = size < full_size ? size : full_size;
    memcpy((char *)out + sizeof(size_t), (const char *)full + sizeof(size_t), n - sizeof(size_t));
}

/* Every load below is relaxed: see kernel/stats.h (counters order nothing). */
#define AKT__LOAD(v) atomic_load_explicit(&(v), memory_order_relaxed)

void akt__metrics_system_read(akt_system *s, akt_system_metrics *m) {
    memset(m, 0, sizeof *m);
    m->size = sizeof *m;
    /* stopped first: a spawn counted after it can only raise alive, never take it below 0 */
    uint64_t stopped = AKT__LOAD(s->stats.stopped);
    uint64_t spawned = AKT__LOAD(s->stats.spawned);
    m->actors_spawned = spawned;
    m->actors_stopped = stopped;
    m->actors_alive = spawned > stopped ? spawned - stopped : 0;
    m->restarts = AKT__LOAD(s->stats.restarts);
    m->failures = AKT__LOAD(s->stats.failures);
    m->dead_letters = AKT__LOAD(s->stats.dead_letters);
    m->unhandled = AKT__LOAD(s->stats.unhandled);
    m->uptime_ns = akt__now_ns() - s->stats.created_ns;
    m->pipe_threads = AKT__LOAD(s->stats.pipe_threads);
    m->pipe_threads_retired = AKT__LOAD(s->stats.pipe_retired);
    m->grains = AKT__LOAD(s->stats.grains);
    m->peers = AKT__LOAD(s->stats.peers);
    m->passivated = AKT__LOAD(s->stats.passivated);
    m->scheduled = AKT__LOAD(s->stats.scheduled);
    m->cancelled = AKT__LOAD(s->stats.cancelled);
}

int akt__metrics_low_cardinality(akt_system *s) {
    return atomic_load_explicit(&s->stats.low_cardinality, memory_order_relaxed);
}

/* An actor the metrics report: live, named (every actor is; a cell of a part may not be)
 * and not the guardian. Under s->lock. */
static akt__cell *akt__metrics_cell_locked(akt_system *s, akt_pid pid) {
    akt__cell *c = akt__cell_live(s, pid);
    if (!c || !akt__cell_name(c) || akt__pid_index(pid) == AKT__GUARDIAN) return NULL;
    return c;
}

/* Under s->lock (the children links and the pid are stable). */
static void akt__actor_read_locked(akt_system *s, akt__cell *c, akt_actor_metrics *m) {
    /* No records in c's page: nothing counted yet, every counter is 0. */
    static akt__cell_stats none;
    akt__cell_stats *st = akt__stats_peek(c);
    if (!st) st = &none;
    memset(m, 0, sizeof *m);
    m->size = sizeof *m;
    m->pid = akt__cell_pid(c);
    m->processed = AKT__LOAD(st->processed);
    m->restarts = AKT__LOAD(st->restarts);
    m->failures = AKT__LOAD(st->failures);
    m->unhandled = AKT__LOAD(st->unhandled);
    /* dequeued first: it never passes enqueued (counted before each push) */
    uint64_t deq = AKT__LOAD(st->dequeued);
    akt__cell_enq *eq = akt__enq_peek_at(c, akt__cell_slot(c));
    uint64_t enq = eq ? AKT__LOAD(eq->enqueued) : 0;
    m->mailbox_size = enq > deq ? enq - deq : 0;
    m->stash_size = AKT__LOAD(st->stash);
    for (uint32_t k = c->first_child; k; k = akt__cell_get(s, k)->next_sibling) m->children++;
    m->last_processing_ns = akt__ticks_ns(AKT__LOAD(st->last_ns)); /* kept in ticks */
    m->uptime_ns = akt__now_ns() - akt__name_started(akt__cell_name(c));
    const akt__cell_rare *rare = akt__rare_peek(c);
    if (rare) {
        m->dead_letters = AKT__LOAD(((akt__cell_rare *)rare)->dead_letters);
        m->reinstates = AKT__LOAD(((akt__cell_rare *)rare)->reinstates);
    }
    const akt__kind *k = akt__kind_get_locked(s, akt__name_kind(akt__cell_name(c)));
    m->kind = k ? k->text : NULL; /* a record lives as long as the system */
}

AKT_API int akt_metrics_system(akt_system *system, akt_system_metrics *out) {
    if (!system || !out || out->size < sizeof(size_t) + sizeof(uint64_t)) return AKT_EINVAL;
    akt_system_metrics m;
    akt__metrics_system_read(system, &m);
    akt__fill_by_size(out, &m, sizeof m);
    return 0;
}

AKT_API int akt_metrics_actor(akt_system *system, akt_pid pid, akt_actor_metrics *out) {
    if (!system || !out || out->size < sizeof(size_t) + sizeof(akt_pid)) return AKT_EINVAL;
    akt_actor_metrics m;
    pthread_mutex_lock(&system->lock);
    akt__cell *c = akt__metrics_cell_locked(system, pid);
    if (c) akt__actor_read_locked(system, c, &m);
    pthread_mutex_unlock(&system->lock);
    if (!c) return AKT_ENOTFOUND;
    akt__fill_by_size(out, &m, sizeof m);
    return 0;
}

AKT_API int akt_metrics_set_low_cardinality(akt_system *system, int on) {
    if (!system) return AKT_EINVAL;
    /* relaxed: a switch read by later collects, ordering nothing else */
    atomic_store_explicit(&system->stats.low_cardinality, on != 0, memory_order_relaxed);
    return 0;
}

/* Appends s (n bytes, then a NUL) to the snapshot's text; its offset, or (size_t)-1. */
static size_t akt__snap_text(akt_system *sys, akt__metrics_snap *snap, size_t n) {
    if (snap->text_len + n + 1 > snap->text_cap) {
        size_t cap = snap->text_cap ? snap->text_cap : 256;
        while (cap < snap->text_len + n + 1) cap *= 2;
        char *t = akt__heap_realloc(&sys->heap, snap->text, cap);
        if (!t) return (size_t)-1;
        snap->text = t;
        snap->text_cap = cap;
    }
    size_t at = snap->text_len;
    snap->text_len += n + 1;
    return at;
}

static int akt__snap_add_locked(akt_system *s, akt__metrics_snap *snap, akt__cell *c, size_t *cap) {
    if (snap->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        akt__metrics_entry *v = akt__heap_realloc(&s->heap, snap->v, ncap * sizeof *v);
        if (!v) return AKT_ENOMEM;
        snap->v = v;
        *cap = ncap;
    }
    akt__metrics_entry *e = &snap->v[snap->n];
    akt__actor_read_locked(s, c, &e->m);
    e->kind = akt__name_kind(akt__cell_name(c));
    size_t nl = strlen(akt__cell_name(c));
    size_t pl = akt__path_locked(s, c, NULL, 0);
    e->name = akt__snap_text(s, snap, nl);
    if (e->name == (size_t)-1) return AKT_ENOMEM;
    memcpy(snap->text + e->name, akt__cell_name(c), nl + 1);
    e->path = akt__snap_text(s, snap, pl);
    if (e->path == (size_t)-1) return AKT_ENOMEM;
    akt__path_locked(s, c, snap->text + e->path, pl + 1);
    snap->n++;
    return 0;
}

int akt__metrics_snap_take(akt_system *s, akt__metrics_snap *snap) {
    memset(snap, 0, sizeof *snap);
    size_t cap = 0;
    int rc = 0;
    pthread_mutex_lock(&s->lock);
    if (s->kinds.n) {
        snap->kinds = akt__heap_alloc(&s->heap, s->kinds.n * sizeof *snap->kinds);
        if (!snap->kinds) rc = AKT_ENOMEM;
        for (uint32_t i = 0; i < s->kinds.n && !rc; i++) snap->kinds[i] = s->kinds.v[i];
        if (!rc) snap->nkinds = s->kinds.n;
    }
    for (uint32_t i = 1; i < s->next_fresh && !rc; i++) {
        akt__cell *c = akt__cell_get(s, i);
        if (!c) continue;
        akt__cell *live = akt__metrics_cell_locked(s, akt__cell_pid(c));
        if (live) rc = akt__snap_add_locked(s, snap, live, &cap);
    }
    pthread_mutex_unlock(&s->lock);
    if (rc) akt__metrics_snap_drop(s, snap);
    return rc;
}

void akt__metrics_snap_drop(akt_system *s, akt__metrics_snap *snap) {
    akt__heap_free(&s->heap, snap->v);
    akt__heap_free(&s->heap, snap->text);
    akt__heap_free(&s->heap, (void *)snap->kinds);
    memset(snap, 0, sizeof *snap);
}

AKT_API int akt_metrics_foreach(akt_system *system, akt_metrics_actor_fn cb, void *data) {
    if (!system || !cb) return AKT_EINVAL;
    akt__metrics_snap snap;
    int rc = akt__metrics_snap_take(system, &snap);
    if (rc) return rc;
    for (size_t i = 0; i < snap.n; i++)
        if (cb(&snap.v[i].m, snap.text + snap.v[i].path, data)) break;
    akt__metrics_snap_drop(system, &snap);
    return 0;
}
