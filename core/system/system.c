/* The system: options, creation and the guardian. */
#include "system.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actor/ext.h"
#include "actor/supervise.h"
#include "actor/turn.h"
#include "base/clock.h"
#include "sched/dispatch.h"

AKT_API int akt_system_options_init(akt_system_options *o) {
    if (!o) return AKT_EINVAL;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    return 0;
}

static int akt__sysname_check(const char *n) {
    size_t len = strnlen(n, 65);
    if (len == 0 || len > 64) return AKT_EINVAL;
    for (size_t i = 0; i < len; i++) {
        char ch = n[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.'))
            return AKT_EINVAL;
    }
    return 0;
}

/* The guardian, /user: the parent of top-level actors. It has no behaviour; it supervises
 * with the system's strategy and is the last actor to stop. */
static int akt__guardian_init(akt_system *s, const akt_supervisor *sup) {
    pthread_mutex_lock(&s->lock);
    if (akt__cells_init_locked(s)) {
        pthread_mutex_unlock(&s->lock);
        return AKT_ENOMEM;
    }
    s->next_fresh = AKT__GUARDIAN + 1; /* index 0 means "none" */
    akt__cell *g = akt__cell_get(s, AKT__GUARDIAN);
    char *named = akt__name_new(&s->heap, akt__cell_name_inline(g), "user", 4, akt__now_ns(), 0);
    akt__ext *x = akt__ext_get(s, g);
    pthread_mutex_unlock(&s->lock);
    if (!named || !x) return AKT_ENOMEM;
    g->status = AKT__RUNNING;
    atomic_store_explicit(&g->disp, s->workers, memory_order_relaxed);
    if (sup) {
        x->supervisor = *sup;
        x->has_supervisor = 1;
        if (akt__supervisor_own_rules(&s->heap, &x->supervisor)) return AKT_ENOMEM;
    }
    akt__cell_publish(g);
    return 0;
}

AKT_API int akt_system_create(const akt_system_options *options, akt_system **out) {
    if (!out) return AKT_EINVAL;
    akt_system_options o;
    akt_system_options_init(&o);
    if (options) {
        if (options->size < offsetof(akt_system_options, allocator)) return AKT_EINVAL;
        memcpy(&o, options, options->size < sizeof o ? options->size : sizeof o);
    }
    const char *name = o.name ? o.name : "akt";
    if (akt__sysname_check(name) || o.workers < 0 || o.workers > 1024 || o.throughput < 0)
        return AKT_EINVAL;
    /* ft begin: */
    if (o.pipe_threads < 0 || o.pipe_threads > 1024 || o.pipe_queue < 0 ||
        o.pipe_queue > (1 << 24) || o.pipe_min_threads < 0 ||
        o.pipe_min_threads > (o.pipe_threads ? o.pipe_threads : AKT_PIPE_THREADS_DEFAULT))
        return AKT_EINVAL;
    /* ft end */
    if (o.waiters_run_turns != 0 && o.waiters_run_turns != 1) return AKT_EINVAL;
    akt_supervisor sup;
    if (o.supervisor && akt__supervisor_read(o.supervisor, &sup)) return AKT_EINVAL;
    if (o.propagator && (o.propagator->size < offsetof(akt_propagator, data) + sizeof(void *) ||
                         !o.propagator->inject))
        return AKT_EINVAL;
    akt__heap heap;
    int rc = akt__heap_from(&heap, o.allocator);
    if (rc) return rc;
    akt_system *s = akt__heap_calloc(&heap, sizeof *s);
    if (!s) return AKT_ENOMEM;
    s->heap = heap;
    atomic_init(&s->refs, 1);
    atomic_init(&s->state, AKT__SYS_RUNNING);
    s->throughput = o.throughput ? o.throughput : 64;
    if (o.propagator) {
        s->inject = o.propagator->inject;
        s->inject_data = o.propagator->data;
    }
    s->hooks = (akt__thread_hooks){s, o.thread_start, o.thread_stop, o.thread_hook_data};
    s->waiters_run_turns = o.waiters_run_turns || (!o.thread_start && !o.thread_stop);
    s->run_cell = akt__cell_run;
    s->free_system = akt__system_free_final;
    s->guardian_escalated = akt__guardian_escalated;
    s->guardian_policy = AKT_GUARDIAN_STOP_ACTOR;
    /* ft begin: */
    s->pipe_threads = o.pipe_threads ? o.pipe_threads : AKT_PIPE_THREADS_DEFAULT;
    s->pipe_queue = o.pipe_queue ? o.pipe_queue : AKT_PIPE_QUEUE_DEFAULT;
    s->pipe_keepalive_ns = o.pipe_keepalive_ns ? o.pipe_keepalive_ns
                                               : AKT_PIPE_KEEPALIVE_DEFAULT_NS;
    s->pipe_min_threads = o.pipe_min_threads;
    /* ft end */
    int workers = o.workers ? o.workers : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (workers < 1) workers = 1;

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    /* The structure lock is held for a few hundred ns (a name's insert or removal, a
     * child's link) by a spawning thread and by the workers finishing stopped actors at
     * once: an adaptive mutex spins a moment before it sleeps, where a plain one made each
     * collision a futex sleep and wake-up (Savina's Fork-Join creation at 2 workers:
     * 75,319 context switches per process, 6,460 with it; 0.65x the time, paired). */
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ADAPTIVE_NP);
    int bad = pthread_mutex_init(&s->lock, &ma) | pthread_mutex_init(&s->done_lock, NULL) |
              pthread_cond_init(&s->done_cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutexattr_destroy(&ma);
    s->name = akt__heap_strdup(&s->heap, name);
    if (bad || !s->name || akt__events_init(&s->events)) {
        akt__heap_free(&heap, s->name);
        akt__heap_free(&heap, s);
        return AKT_ENOMEM;
    }
    s->events_ready = 1;
    s->stats.created_ns = akt__now_ns();
    rc = akt__extensions_init(s, &o);
    if (!rc) rc = akt__timers_start(&s->timers, &s->hooks);
    if (!rc) rc = akt__dispatcher_start_workers(s, workers);
    if (!rc) rc = akt__guardian_init(s, o.supervisor ? &sup : NULL);
    if (rc) {
        akt__system_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

AKT_API const char *akt_system_name(const akt_system *system) {
    return system ? system->name : NULL;
}
