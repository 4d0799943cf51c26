/* The system: creation, the guardian, paths and lookup, shutdown and release. */
#include "system.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actor_run.h"
#include "dispatch.h"
#include "future.h"
#include "msg.h"
#include "thread_hooks.h"

AKT__TLS akt__tls akt__self;

void akt__thread_enter(akt_system *s, int index) {
    akt__self.own_system = s;
    if (s->thread_start) s->thread_start(s->thread_hook_data, index);
}

void akt__thread_leave(akt_system *s, int index) {
    if (s->thread_stop) s->thread_stop(s->thread_hook_data, index);
    akt__self.own_system = NULL;
}

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
    if (akt__page_add_locked(s, 0)) {
        pthread_mutex_unlock(&s->lock);
        return AKT_ENOMEM;
    }
    s->next_fresh = AKT__GUARDIAN + 1; /* index 0 means "none" */
    akt__cell *g = akt__cell_get(s, AKT__GUARDIAN);
    g->name = akt__heap_strdup(&s->heap, "user");
    g->ext = akt__heap_calloc(&s->heap, sizeof(akt__ext));
    pthread_mutex_unlock(&s->lock);
    if (!g->name || !g->ext) return AKT_ENOMEM;
    g->status = AKT__RUNNING;
    g->disp = s->workers;
    if (sup) {
        g->ext->supervisor = *sup;
        g->ext->has_supervisor = 1;
    }
    return 0;
}

static void akt__system_free(akt_system *s);

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
    akt_supervisor sup;
    if (o.supervisor && akt__supervisor_read(o.supervisor, &sup)) return AKT_EINVAL;
    akt__heap heap;
    int rc = akt__heap_from(&heap, o.allocator);
    if (rc) return rc;
    akt_system *s = akt__heap_calloc(&heap, sizeof *s);
    if (!s) return AKT_ENOMEM;
    s->heap = heap;
    atomic_init(&s->refs, 1);
    atomic_init(&s->state, AKT__SYS_RUNNING);
    s->throughput = o.throughput ? o.throughput : 64;
    s->thread_start = o.thread_start;
    s->thread_stop = o.thread_stop;
    s->thread_hook_data = o.thread_hook_data;
    int workers = o.workers ? o.workers : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (workers < 1) workers = 1;

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int bad = pthread_mutex_init(&s->lock, NULL) | pthread_mutex_init(&s->done_lock, NULL) |
              pthread_cond_init(&s->done_cond, &ca);
    pthread_condattr_destroy(&ca);
    s->name = akt__heap_strdup(&s->heap, name);
    if (bad || !s->name || akt__events_init(&s->events)) {
        akt__heap_free(&heap, s->name);
        akt__heap_free(&heap, s);
        return AKT_ENOMEM;
    }
    s->events_ready = 1;
    rc = akt__timers_start(s);
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

/* ---- paths ---------------------------------------------------------------------------- */

size_t akt__path_locked(akt_system *s, const akt__cell *c, char *buf, size_t len) {
    /* First pass: the length. Second: fill from the end. */
    size_t prefix = strlen("akt://") + strlen(s->name);
    size_t n = prefix;
    for (const akt__cell *p = c; p; p = p->parent ? akt__cell_get(s, p->parent) : NULL)
        n += 1 + strlen(p->name ? p->name : "?");
    if (buf && len) {
        /* Filled from the end, so a path that does not fit is built aside and truncated;
         * one that fits (akt__path_dup's always does) goes straight into buf. */
        char *out = n < len ? buf : akt__heap_alloc(&s->heap, n + 1);
        if (!out) {
            buf[0] = 0;
            return n;
        }
        size_t at = n;
        out[at] = 0;
        for (const akt__cell *p = c; p; p = p->parent ? akt__cell_get(s, p->parent) : NULL) {
            const char *nm = p->name ? p->name : "?";
            size_t l = strlen(nm);
            at -= l;
            memcpy(out + at, nm, l);
            out[--at] = '/';
        }
        memcpy(out, "akt://", 6);
        memcpy(out + 6, s->name, strlen(s->name));
        if (out != buf) {
            memcpy(buf, out, len - 1);
            buf[len - 1] = 0;
            akt__heap_free(&s->heap, out);
        }
    }
    return n;
}

char *akt__path_dup(akt_system *s, const akt__cell *c) {
    pthread_mutex_lock(&s->lock);
    size_t n = akt__path_locked(s, c, NULL, 0);
    char *buf = akt__heap_alloc(&s->heap, n + 1);
    if (buf) akt__path_locked(s, c, buf, n + 1);
    pthread_mutex_unlock(&s->lock);
    return buf;
}

AKT_API int akt_pid_is_alive(akt_system *system, akt_pid pid) {
    if (!system) return 0;
    return akt__cell_live(system, pid) != NULL && akt__pid_index(pid) != AKT__GUARDIAN;
}

AKT_API int akt_pid_path(akt_system *system, akt_pid pid, char *buf, size_t len,
                         size_t *needed) {
    if (!system || (!buf && len)) return AKT_EINVAL;
    int rc = 0;
    pthread_mutex_lock(&system->lock);
    akt__cell *c = akt__cell_live(system, pid);
    if (!c || !c->name) {
        rc = AKT_ENOTFOUND;
    } else {
        size_t n = akt__path_locked(system, c, buf, len);
        if (needed) *needed = n;
        if (n + 1 > len) rc = AKT_ERANGE;
    }
    pthread_mutex_unlock(&system->lock);
    return rc;
}

AKT_API int akt_lookup(akt_system *system, const char *path, akt_pid *out) {
    if (!system || !path || !out) return AKT_EINVAL;
    const char *p = path;
    if (strncmp(p, "akt://", 6) == 0) {
        p += 6;
        size_t nl = strlen(system->name);
        if (strncmp(p, system->name, nl) != 0 || p[nl] != '/') return AKT_ENOTFOUND;
        p += nl;
    }
    if (p[0] == '/') {
        if (strncmp(p, "/user/", 6) != 0) return AKT_ENOTFOUND;
        p += 6;
    }
    if (!*p) return AKT_EINVAL;
    int rc = AKT_ENOTFOUND;
    pthread_mutex_lock(&system->lock);
    uint32_t at = AKT__GUARDIAN;
    while (at && *p) {
        const char *slash = strchr(p, '/');
        size_t l = slash ? (size_t)(slash - p) : strlen(p);
        at = l ? akt__names_find(system, at, p, l) : 0;
        p += l + (slash ? 1 : 0);
        if (slash && !*p) break; /* trailing slash */
    }
    if (at && at != AKT__GUARDIAN) {
        *out = akt__cell_pid(akt__cell_get(system, at));
        rc = 0;
    }
    pthread_mutex_unlock(&system->lock);
    return rc;
}

/* ---- shutdown and release ------------------------------------------------------------- */

void akt__system_guardian_gone(akt_system *s) {
    pthread_mutex_lock(&s->done_lock);
    s->guardian_gone = 1;
    pthread_cond_broadcast(&s->done_cond);
    pthread_mutex_unlock(&s->done_lock);
}

/* index of the reaper thread in the thread hooks */
#define AKT__REAPER_INDEX -2

static void *akt__reaper_main(void *arg) {
    akt_system *s = arg;
    akt__thread_enter(s, AKT__REAPER_INDEX);
    pthread_mutex_lock(&s->done_lock);
    while (!s->guardian_gone) pthread_cond_wait(&s->done_cond, &s->done_lock);
    pthread_mutex_unlock(&s->done_lock);
    akt__dispatcher_stop_workers(s);
    akt__timers_stop(s);
    atomic_store_explicit(&s->state, AKT__SYS_DONE, memory_order_release);
    if (s->shutdown_cb) s->shutdown_cb(s, s->shutdown_data);
    /* The stop hook runs before the shutdown counts as done: a binding may tear its
     * runtime down once akt_system_wait returns. (A free below, if the last reference is
     * already gone, runs detached: release callbacks run on any thread anyway.) */
    akt__thread_leave(s, AKT__REAPER_INDEX);
    pthread_mutex_lock(&s->done_lock);
    s->done = 1;
    int free_now = s->free_when_done;
    if (free_now) pthread_detach(pthread_self());
    pthread_cond_broadcast(&s->done_cond);
    pthread_mutex_unlock(&s->done_lock);
    if (free_now) {
        s->reaper_started = 0; /* detached: nobody joins it */
        akt__system_free(s);
    }
    return NULL;
}

AKT_API int akt_system_shutdown(akt_system *system, akt_shutdown_cb cb, void *data) {
    if (!system) return AKT_EINVAL;
    akt_system *s = system;
    int running = AKT__SYS_RUNNING;
    if (!atomic_compare_exchange_strong_explicit(&s->state, &running, AKT__SYS_STOPPING,
                                                 memory_order_acq_rel, memory_order_acquire))
        return AKT_ECLOSED;
    s->shutdown_cb = cb;
    s->shutdown_data = data;
    pthread_mutex_lock(&s->done_lock);
    int e = pthread_create(&s->reaper, NULL, akt__reaper_main, s);
    s->reaper_started = e == 0;
    pthread_mutex_unlock(&s->done_lock);
    if (e) {
        atomic_store_explicit(&s->state, AKT__SYS_RUNNING, memory_order_release);
        return AKT_ENOMEM;
    }
    akt__stop_request(s, akt__pid_make(AKT__GUARDIAN, 1));
    return 0;
}

AKT_API int akt_system_wait(akt_system *system, int64_t timeout_ns) {
    if (!system) return AKT_EINVAL;
    akt_system *s = system;
    if (akt__self.own_system == s || (akt__self.ctx && akt__self.ctx->system == s))
        return AKT_EDEADLK;
    /* A thread that runs an external dispatcher must keep running it for its actors to
     * stop: waiting here without a limit would wait for itself. (Bounded waits between
     * runs are the way to do it.) */
    pthread_mutex_lock(&s->done_lock);
    int finished = s->done;
    pthread_mutex_unlock(&s->done_lock);
    if (timeout_ns < 0 && !finished) {
        pthread_mutex_lock(&s->lock);
        int runs_actors = 0;
        for (struct akt_dispatcher *d = s->externals; d && !runs_actors; d = d->next)
            runs_actors = atomic_load_explicit(&d->has_runner, memory_order_acquire) &&
                          pthread_equal(atomic_load_explicit(&d->runner, memory_order_relaxed),
                                        pthread_self());
        pthread_mutex_unlock(&s->lock);
        if (runs_actors) return AKT_EDEADLK;
    }
    int64_t deadline = timeout_ns < 0 ? INT64_MAX : akt__now_ns() + timeout_ns;
    pthread_mutex_lock(&s->done_lock);
    while (!s->done) {
        if (deadline == INT64_MAX) {
            pthread_cond_wait(&s->done_cond, &s->done_lock);
            continue;
        }
        if (akt__now_ns() >= deadline) break;
        struct timespec ts = {deadline / 1000000000ll, deadline % 1000000000ll};
        pthread_cond_timedwait(&s->done_cond, &s->done_lock, &ts);
    }
    int done = s->done;
    pthread_mutex_unlock(&s->done_lock);
    return done ? 0 : AKT_ETIMEDOUT;
}

AKT_API int akt_system_retain(akt_system *system) {
    if (!system) return AKT_EINVAL;
    /* relaxed: the caller already holds a reference. */
    if (atomic_fetch_add_explicit(&system->refs, 1, memory_order_relaxed) <= 0) {
        atomic_fetch_sub_explicit(&system->refs, 1, memory_order_relaxed);
        return AKT_EMISUSE;
    }
    return 0;
}

AKT_API int akt_system_release(akt_system *system) {
    if (!system) return AKT_EINVAL;
    akt_system *s = system;
    int prev = atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel);
    if (prev <= 0) {
        atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
        return AKT_EMISUSE;
    }
    if (prev != 1) return 0;
    akt_system_shutdown(s, NULL, NULL); /* AKT_ECLOSED if already under way: fine */
    pthread_mutex_lock(&s->done_lock);
    if (!s->done) {
        /* The reaper frees it when the shutdown completes. */
        s->free_when_done = 1;
        pthread_mutex_unlock(&s->done_lock);
        return 0;
    }
    pthread_mutex_unlock(&s->done_lock);
    if (s->reaper_started) {
        if (pthread_equal(s->reaper, pthread_self()))
            pthread_detach(s->reaper);
        else
            pthread_join(s->reaper, NULL);
        s->reaper_started = 0;
    }
    akt__system_free(s);
    return 0;
}

/* Frees whatever a dead system still holds: mail that arrived after its actors died. */
static void akt__drain_all(akt_system *s) {
    for (uint32_t pg = 0; pg < s->npages; pg++) {
        akt__cell *p = atomic_load_explicit(&s->pages[pg], memory_order_acquire);
        for (uint32_t i = 0; i < AKT__PAGE_CELLS; i++) {
            akt__cell *c = &p[i];
            akt__node *n;
            while ((n = akt__mpsc_pop(&c->mbox))) akt__dead_letter(s, (akt__envelope *)n,
                                                                   akt__cell_pid(c), NULL);
            akt__env_discard_chain(
                atomic_exchange_explicit(&c->sysq, NULL, memory_order_acquire), AKT_ECLOSED);
            akt__env_discard_chain(c->watchers, AKT_ECLOSED);
            akt__env_discard_chain(c->stop_waiters, AKT_ECLOSED);
            c->watchers = c->stop_waiters = NULL;
            akt__ext_free(s, c->ext);
            c->ext = NULL;
            akt__heap_free(&s->heap, c->name);
            c->name = NULL;
        }
    }
}

static void akt__system_free(akt_system *s) {
    akt__dispatcher_stop_workers(s);
    akt__timers_stop(s);
    akt__drain_all(s);
    for (uint32_t pg = 0; pg < s->npages; pg++)
        akt__heap_free(&s->heap, atomic_load_explicit(&s->pages[pg], memory_order_relaxed));
    akt__names_free(s);
    for (akt__behavior_rec *r = s->behaviors; r;) {
        akt__behavior_rec *n = r->next;
        akt__heap_free(&s->heap, r);
        r = n;
    }
    if (s->workers) akt__dispatcher_free(s, s->workers);
    for (struct akt_dispatcher *d = s->externals; d;) {
        struct akt_dispatcher *n = d->next;
        akt__dispatcher_free(s, d);
        d = n;
    }
    if (s->events_ready) akt__events_destroy(s);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->done_lock);
    pthread_cond_destroy(&s->done_cond);
    akt__heap h = s->heap;
    akt__heap_free(&h, s->name);
    akt__heap_free(&h, s);
}
