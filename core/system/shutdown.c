/* Shutdown, waiting for it, handle references, and freeing a system. */
#include <time.h>

#include "actor/ext.h"
#include "actor/send.h"
#include "base/clock.h"
#include "base/tls.h"
#include "kernel/envelope.h"
#include "kernel/events.h"
#include "mailbox/mailbox.h"
#include "sched/dispatch.h"
#include "system.h"

/* index of the reaper thread in the thread hooks */
#define AKT__REAPER_INDEX -2

static void *akt__reaper_main(void *arg) {
    akt_system *s = arg;
    akt__thread_enter(&s->hooks, AKT__REAPER_INDEX);
    pthread_mutex_lock(&s->done_lock);
    while (!s->guardian_gone) pthread_cond_wait(&s->done_cond, &s->done_lock);
    pthread_mutex_unlock(&s->done_lock);
    akt__dispatcher_stop_workers(s);
    akt__parts_stop(s); /* remoting: fails what is still pending on the wire */
    akt__timers_stop(&s->timers);
    atomic_store_explicit(&s->state, AKT__SYS_DONE, memory_order_release);
    if (s->shutdown_cb) s->shutdown_cb(s, s->shutdown_data);
    /* The stop hook runs before the shutdown counts as done: a binding may tear its
     * runtime down once akt_system_wait returns. (A free below, if the last reference is
     * already gone, runs detached: release callbacks run on any thread anyway.) */
    akt__thread_leave(&s->hooks, AKT__REAPER_INDEX);
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
    pthread_mutex_lock(&s->lock);
    for (akt__part *p = s->parts; p; p = p->next)
        if (p->closing) p->closing(s, p);
    pthread_mutex_unlock(&s->lock);
    akt__sched_head *sched = akt__sys_schedules(s);
    if (sched) sched->hooks->close(s); /* no fire reaches a stopping actor */
    akt__stop_request(s, akt__cell_pid(akt__cell_get(s, AKT__GUARDIAN)));
    return 0;
}

AKT_API int akt_system_wait(akt_system *system, int64_t timeout_ns) {
    if (!system) return AKT_EINVAL;
    akt_system *s = system;
    if (akt__self.own_system == s || (akt__self.ctx && akt__self.ctx->system == s))
        return AKT_EDEADLK;
    /* A thread that runs an external dispatcher must keep running it for its actors to
     * stop: waiting here without a limit would wait for itself (bounded waits between runs
     * are the way to do it), until every actor stopped. */
    pthread_mutex_lock(&s->done_lock);
    int finished = s->done;
    pthread_mutex_unlock(&s->done_lock);
    /* acquire: pairs with the reaper's release store of DONE, made before the shutdown
     * callback: once every actor stopped, the runner is not needed any more, so a thread
     * that learnt of the end from that callback may wait for the reaper's last steps. */
    int past_actors = atomic_load_explicit(&s->state, memory_order_acquire) == AKT__SYS_DONE;
    if (timeout_ns < 0 && !finished && !past_actors) {
        pthread_mutex_lock(&s->lock);
        int runs_actors = 0;
        for (struct akt_dispatcher *d = s->externals; d && !runs_actors; d = d->next)
            runs_actors = atomic_load_explicit(&d->has_runner, memory_order_acquire) &&
                          pthread_equal(atomic_load_explicit(&d->runner, memory_order_relaxed),
                                        pthread_self());
        pthread_mutex_unlock(&s->lock);
        if (runs_actors) return AKT_EDEADLK;
    }
    /* INT64_MAX: no limit (a huge timeout saturates to it instead of wrapping). */
    int64_t deadline = timeout_ns < 0 ? INT64_MAX : akt__deadline_after(akt__now_ns(), timeout_ns);
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
    if (akt__external_of(akt__self.running, s)) {
        /* Inside a run of this system's dispatcher (a release callback): the run frees it
         * when it returns, not under its own feet. */
        akt__self.running->free_system_after = 1;
        return 0;
    }
    akt__system_free_final(s);
    return 0;
}

void akt__system_free_final(akt_system *s) {
    if (s->reaper_started) {
        if (pthread_equal(s->reaper, pthread_self()))
            pthread_detach(s->reaper);
        else
            pthread_join(s->reaper, NULL);
        s->reaper_started = 0;
    }
    akt__system_free(s);
}

/* Frees whatever a dead system still holds: mail that arrived after its actors died. */
static void akt__drain_all(akt_system *s) {
    for (uint32_t pg = 0; pg < s->npages; pg++) {
        akt__cell *p = atomic_load_explicit(&s->pages[pg], memory_order_acquire);
        for (uint32_t i = 0; i < AKT__PAGE_CELLS; i++) {
            akt__cell *c = &p[i];
            akt__envelope *e;
            while ((e = akt__mailbox_take(c))) akt__dead_letter(s, e, akt__cell_pid(c), NULL);
            akt__mailbox_free(&s->heap, c);
            akt__envelope **kept = akt__kept_peek(c);
            if (kept) {
                akt__env_discard_chain(*kept, AKT_ECLOSED);
                *kept = NULL;
            }
            akt__ext_free(s, akt__cell_ext(c));
            akt__cell_ext_set(c, NULL); /* clearing cannot fail */
            akt__name_free(&s->heap, akt__cell_name_inline(c));
        }
    }
    /* Last: what the first pass completed may have queued answers to any actor's system
     * queue (a request's answer, kernel/future.h callbacks). */
    for (uint32_t pg = 0; pg < s->npages; pg++) {
        akt__cell *p = atomic_load_explicit(&s->pages[pg], memory_order_acquire);
        for (uint32_t i = 0; i < AKT__PAGE_CELLS; i++)
            akt__env_discard_chain(atomic_exchange_explicit(&p[i].sysq, NULL, memory_order_acquire),
                                   AKT_ECLOSED);
    }
}

void akt__system_free(akt_system *s) {
    akt__dispatcher_stop_workers(s);
    akt__parts_stop(s);
    akt__timers_stop(&s->timers);
    akt__sched_head *sched = akt__sys_schedules(s);
    if (sched) sched->hooks->destroy(s);
    akt__drain_all(s);
    for (uint32_t pg = 0; pg < s->npages; pg++) {
        akt__cell *p = atomic_load_explicit(&s->pages[pg], memory_order_relaxed);
        akt__page_free(s, p);
    }
    akt__names_free(s);
    akt__kinds_free(s);
    akt__extensions_free(s);
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
    akt__parts_free(s); /* after the drain: what it dead-letters may still use a part */
    if (s->events_ready) akt__events_destroy(s);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->done_lock);
    pthread_cond_destroy(&s->done_cond);
    akt__heap h = s->heap;
    akt__heap_free(&h, s->name);
    akt__heap_free(&h, s);
}
