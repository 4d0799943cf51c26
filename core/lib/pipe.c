/* PipeTo (akt_ctx_pipe_to): tasks on a pool of pipe threads per system (a part, made at
 * the first pipe, stopped with the system), results delivered with the piping actor as
 * sender, everything that does not arrive a dead letter with its reason.
 *
 * The pool grows on demand: whenever the queued tasks outnumber the idle threads, one more
 * thread starts (up to s->pipe_threads), so a blocking task holds only its own thread. At
 * most s->pipe_queue tasks wait; past that the pipe is refused (AKT_EFULL).
 *
 * And it shrinks: a thread that waited s->pipe_keepalive_ns without a task exits, unless
 * only s->pipe_min_threads are left. It decides under the pool lock, with the queue empty,
 * and leaves nthreads and idle in the same critical section, so a pipe queued afterwards
 * sees one thread fewer and starts another when it must: no task is left without a thread.
 * An exiting thread cannot join itself; it hands its handle over as the pool's one zombie
 * and joins the previous zombie (if any) on its way out, so at most one exited thread is
 * ever unjoined, and the pool's stop joins it with the live ones.
 *
 * A task has two owners: the pool (queued, then running) and, with a timeout, the armed
 * timer. Whoever settles it first -- the task's completion or the timeout -- wins the
 * state's one CAS and reports (delivers, or dead-letters, and records the breaker's
 * outcome); the other only lets go. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "actor/send.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/tls.h"
#include "kernel/events.h"
#include "kernel/sys.h"

enum { PIPE_PENDING = 0, PIPE_SETTLED = 1 };

typedef struct akt__pipe_task {
    akt__timer t; /* first: the timeout's fire gets &t */
    struct akt__pipe_task *next;
    akt_system *s;
    atomic_int refs;  /* the pool, the armed timer */
    atomic_int state; /* PIPE_PENDING until the completion or the timeout settles it */
    akt_pid to;
    char *path;  /* pipe_to_name: looked up at completion; else NULL */
    char *label; /* the target's path when piped (for dead letters), or NULL */
    uint64_t sender;
    akt_pipe_fn fn;
    void *data;
    void (*free_data)(void *data);
    akt_breaker *breaker;
} akt__pipe_task;

typedef struct akt__pipe_pool {
    akt__part part; /* first */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    akt__pipe_task *head, *tail; /* queued, oldest first */
    int closed;                  /* the shutdown began: no new tasks */
    int stop;                    /* the system stopped: the threads end */
    int nthreads;                /* started, at most s->pipe_threads */
    int idle;                    /* threads waiting for a task (not yet woken) */
    int queued;                  /* tasks in head..tail */
    pthread_t *threads;          /* s->pipe_threads slots: the live threads, 0..nthreads */
    pthread_t zombie;            /* the last thread that retired, if has_zombie: unjoined */
    int has_zombie;
    akt_system *s;
} akt__pipe_pool;

static const char akt__pipe_key = 0;
static pthread_mutex_t akt__pipe_start = PTHREAD_MUTEX_INITIALIZER;

static void akt__pipe_unref(akt__pipe_task *k) {
    /* acq_rel: the last owner sees the other's writes (the settled state, the timer's
     * claim) before it frees. */
    if (atomic_fetch_sub_explicit(&k->refs, 1, memory_order_acq_rel) != 1) return;
    if (k->breaker) akt_breaker_release(k->breaker);
    akt__heap_free(&k->s->heap, k->path);
    akt__heap_free(&k->s->heap, k->label);
    akt__heap_free(&k->s->heap, k);
}

/* 1 if the caller settled the task (it reports), 0 if the other side did already. */
static int akt__pipe_settle(akt__pipe_task *k) {
    int pending = PIPE_PENDING;
    /* acq_rel: one winner; the loser's later unref is ordered by refs */
    return atomic_compare_exchange_strong_explicit(&k->state, &pending, PIPE_SETTLED,
                                                   memory_order_acq_rel, memory_order_relaxed);
}

static void akt__pipe_dead(akt__pipe_task *k, akt_msg *msg, int code, const char *reason) {
    akt__publish_at(k->s, AKT_EVENT_DEAD_LETTER, k->to, k->label ? k->label : k->path,
                    (akt_pid){k->sender}, msg, code, reason);
}

static void akt__pipe_timeout(akt__timer *t, int closed) {
    akt__pipe_task *k = (akt__pipe_task *)t;
    if (!closed && akt__pipe_settle(k)) {
        if (k->breaker) akt_breaker_record(k->breaker, 0);
        akt__pipe_dead(k, NULL, AKT_ETIMEDOUT, "pipe_to: timed out");
    }
    akt__pipe_unref(k);
}

/* The task's outcome: the result delivered, or a dead letter. */
static void akt__pipe_complete(akt__pipe_task *k, int rc, akt_msg *result) {
    if (k->t.fire && akt__timer_claim(&k->t) && akt__timer_cancel(&k->s->timers, &k->t))
        akt__pipe_unref(k);     /* the timer will not fire: its reference goes here */
    if (!akt__pipe_settle(k)) { /* timed out already: the result is nobody's */
        if (result) akt_msg_release(result);
        return;
    }
    if (k->breaker) akt_breaker_record(k->breaker, rc == 0 && result);
    if (rc != 0 || !result) {
        if (result) akt_msg_release(result);
        akt__pipe_dead(k, NULL, rc ? rc : AKT_EINVAL, "pipe_to: task failed");
        return;
    }
    akt_pid to = k->to;
    int src = k->path ? akt_lookup(k->s, k->path, &to) : 0;
    if (src == 0) {
        k->to = to;
        src = akt__deliver_user(k->s, to, result, k->sender, NULL);
        if (src == 0) return;
    }
    akt__pipe_dead(k, result, src,
                   src == AKT_ENOTFOUND || src == AKT_ESTOPPED || src == AKT_ECLOSED
                       ? "pipe_to: target gone"
                       : "pipe_to: target refused");
    akt_msg_release(result);
}

static void akt__pipe_run(akt__pipe_task *k) {
    akt_msg *result = NULL;
    int rc = k->fn(k->data, &result);
    if (k->free_data) k->free_data(k->data);
    akt__pipe_complete(k, rc, rc == 0 ? result : NULL);
    akt__pipe_unref(k); /* the pool's */
}

/* Waits on p->cv under p->mu until the keepalive passed; 1 if it did (the caller then
 * looks at the queue again: a task may have come with the timeout). */
static int akt__pipe_idle_wait(akt__pipe_pool *p, int64_t deadline) {
    if (deadline < 0) {
        pthread_cond_wait(&p->cv, &p->mu);
        return 0;
    }
    struct timespec ts = {(time_t)(deadline / 1000000000), (long)(deadline % 1000000000)};
    return pthread_cond_timedwait(&p->cv, &p->mu, &ts) == ETIMEDOUT;
}

/* Under p->mu: the calling thread leaves the pool (the queue is empty, nothing stops).
 * Returns the previous zombie to join in *prev (1) or 0 if there was none. */
static int akt__pipe_retire_locked(akt__pipe_pool *p, pthread_t *prev) {
    pthread_t me = pthread_self();
    for (int i = 0; i < p->nthreads; i++) {
        if (pthread_equal(p->threads[i], me)) {
            p->threads[i] = p->threads[--p->nthreads];
            break;
        }
    }
    int had = p->has_zombie;
    *prev = p->zombie;
    p->zombie = me;
    p->has_zombie = 1;
    akt_system *s = p->s;
    /* relaxed: readings for akt_metrics_system; the pool lock orders the pool itself */
    atomic_store_explicit(&s->stats.pipe_threads, (uint64_t)p->nthreads, memory_order_relaxed);
    atomic_store_explicit(&s->stats.pipe_retired,
                          atomic_load_explicit(&s->stats.pipe_retired, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    return had;
}

static void *akt__pipe_main(void *arg) {
    akt__pipe_pool *p = arg;
    akt_system *s = p->s;
    akt__thread_enter(&s->hooks, -3);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        int64_t deadline = s->pipe_keepalive_ns < 0
                               ? -1
                               : akt__deadline_after(akt__now_ns(), s->pipe_keepalive_ns);
        int retire = 0;
        while (!p->head && !p->stop) {
            p->idle++;
            int timed_out = akt__pipe_idle_wait(p, deadline);
            p->idle--;
            if (timed_out && !p->head && !p->stop && p->nthreads > s->pipe_min_threads) {
                retire = 1;
                break;
            }
            if (timed_out) /* kept (the minimum) or a task came: a new keepalive */
                deadline = akt__deadline_after(akt__now_ns(), s->pipe_keepalive_ns);
        }
        if (retire) {
            pthread_t prev;
            int had = akt__pipe_retire_locked(p, &prev);
            pthread_mutex_unlock(&p->mu);
            if (had) pthread_join(prev, NULL);
            akt__thread_leave(&s->hooks, -3);
            return NULL;
        }
        akt__pipe_task *k = p->head;
        if (k) {
            p->head = k->next;
            if (!p->head) p->tail = NULL;
            p->queued--;
        }
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (!k) break;
        if (stop) { /* the system stopped before it ran */
            if (k->free_data) k->free_data(k->data);
            if (akt__pipe_settle(k)) {
                if (k->breaker) akt_breaker_record(k->breaker, 0);
                akt__pipe_dead(k, NULL, AKT_ECLOSED, "pipe_to: shut down");
            }
            akt__pipe_unref(k);
            continue;
        }
        akt__pipe_run(k);
    }
    akt__thread_leave(&p->s->hooks, -3);
    return NULL;
}

static void akt__pipe_closing(akt_system *s, akt__part *part) {
    (void)s;
    akt__pipe_pool *p = (akt__pipe_pool *)part;
    pthread_mutex_lock(&p->mu);
    p->closed = 1;
    pthread_mutex_unlock(&p->mu);
}

/* Once the actors are gone: the running tasks finish, the queued ones are dead letters. */
static void akt__pipe_stop(akt_system *s, akt__part *part) {
    akt__pipe_pool *p = (akt__pipe_pool *)part;
    pthread_mutex_lock(&p->mu);
    p->closed = 1;
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    /* stop is set: no thread retires or starts any more, so the array and the zombie
     * stay as they are while they are joined (a retired thread joins its own predecessor) */
    for (int i = 0; i < p->nthreads; i++) pthread_join(p->threads[i], NULL);
    if (p->has_zombie) pthread_join(p->zombie, NULL);
    p->nthreads = 0;
    p->has_zombie = 0;
    /* relaxed: a reading for akt_metrics_system */
    atomic_store_explicit(&s->stats.pipe_threads, 0, memory_order_relaxed);
}

static void akt__pipe_free(akt_system *s, akt__part *part) {
    akt__pipe_pool *p = (akt__pipe_pool *)part;
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    akt__heap_free(&s->heap, p->threads);
    akt__heap_free(&s->heap, p);
}

/* The system's pool, started on first use; NULL with *rc set. */
static akt__pipe_pool *akt__pipe_pool_of(akt_system *s, int *rc) {
    akt__part *part = akt__part_find(s, &akt__pipe_key);
    if (part) return (akt__pipe_pool *)part;
    pthread_mutex_lock(&akt__pipe_start);
    akt__pipe_pool *p = (akt__pipe_pool *)akt__part_find(s, &akt__pipe_key);
    if (!p && (p = akt__heap_calloc(&s->heap, sizeof *p)) == NULL) *rc = AKT_ENOMEM;
    if (p && !p->part.key) {
        p->s = s;
        pthread_mutex_init(&p->mu, NULL);
        pthread_condattr_t ca; /* the keepalive is timed on akt's monotonic clock */
        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        pthread_cond_init(&p->cv, &ca);
        pthread_condattr_destroy(&ca);
        p->threads = akt__heap_calloc(&s->heap, (size_t)s->pipe_threads * sizeof(pthread_t));
        p->part.key = &akt__pipe_key;
        p->part.closing = akt__pipe_closing;
        p->part.stop = akt__pipe_stop;
        p->part.free = akt__pipe_free;
        if (!p->threads) { /* the threads themselves start with the tasks */
            *rc = AKT_ENOMEM;
            akt__pipe_free(s, &p->part);
            p = NULL;
        } else {
            pthread_mutex_lock(&s->lock);
            if (akt__sys_closed(s)) { /* too late: the part would never be stopped */
                pthread_mutex_unlock(&s->lock);
                akt__pipe_stop(s, &p->part);
                akt__pipe_free(s, &p->part);
                *rc = AKT_ECLOSED;
                p = NULL;
            } else {
                akt__part_add_locked(s, &p->part);
                pthread_mutex_unlock(&s->lock);
            }
        }
    }
    pthread_mutex_unlock(&akt__pipe_start);
    return p;
}

/* Asks the breaker (if any) for the task k: 0 and k holds a reference to it, or the
 * breaker's refusal (AKT_EBUSY: open, nothing started) and k is freed. Once it allowed the
 * call, the outcome must be recorded. */
static void akt__pipe_drop(akt__pipe_task *k) {
    akt__heap_free(&k->s->heap, k->path);
    akt__heap_free(&k->s->heap, k->label);
    akt__heap_free(&k->s->heap, k);
}

static int akt__pipe_allow(akt__pipe_task *k, akt_breaker *breaker) {
    int rc = breaker ? akt_breaker_allow(breaker) : 0;
    if (rc) {
        akt__pipe_drop(k);
        return rc;
    }
    if (breaker) {
        akt_breaker_retain(breaker);
        k->breaker = breaker;
    }
    return 0;
}

/* fn: a task for the pool; or fn NULL and handle: a pipe the caller completes
 * (akt_pipe_complete), which holds the pool's reference. */
static int akt__pipe(akt_ctx *ctx, akt_pid to, const char *path, akt_pipe_fn fn, void *data,
                     const akt_pipe_options *options, akt__pipe_task **handle) {
    akt_pipe_options o;
    akt_pipe_options_init(&o);
    if (options) {
        if (options->size < offsetof(akt_pipe_options, breaker) || options->size > sizeof o)
            return AKT_EINVAL;
        memcpy(&o, options, options->size);
    }
    if (!ctx || (!fn && !handle) || o.timeout_ns < 0) return AKT_EINVAL;
    akt_pid self;
    akt_system *s = NULL;
    int rc = akt_ctx_self(ctx, &self);
    if (rc == 0) rc = akt_ctx_system(ctx, &s);
    if (rc) return rc;
    if (akt__sys_closed(s)) return AKT_ECLOSED;
    akt__pipe_pool *p = handle ? NULL : akt__pipe_pool_of(s, &rc);
    if (!p && !handle) return rc;
    akt__pipe_task *k = akt__heap_calloc(&s->heap, sizeof *k);
    if (!k) return AKT_ENOMEM;
    if (path && (k->path = akt__heap_strdup(&s->heap, path)) == NULL) {
        akt__heap_free(&s->heap, k);
        return AKT_ENOMEM;
    }
    char label[1024];
    if (!path && akt_pid_path(s, to, label, sizeof label, NULL) == 0)
        k->label = akt__heap_strdup(&s->heap, label); /* without memory: no path in events */
    k->s = s;
    k->to = to;
    k->sender = self.id;
    k->fn = fn;
    k->data = data;
    k->free_data = o.free_data;
    atomic_init(&k->refs, 1);
    atomic_init(&k->state, PIPE_PENDING);
    atomic_init(&k->t.claim, AKT__TIMER_IDLE);
    if (handle) { /* completed by the caller: only the timeout to arm */
        if ((rc = akt__pipe_allow(k, o.breaker)) != 0) return rc;
        if (o.timeout_ns > 0) {
            k->t.fire = akt__pipe_timeout;
            k->t.deadline = akt__deadline_after(akt__now_ns(), o.timeout_ns);
            atomic_fetch_add_explicit(&k->refs, 1, memory_order_relaxed); /* the timer's */
            if (akt__timer_add(&s->timers, &k->t) != 0) {
                atomic_fetch_sub_explicit(&k->refs, 1, memory_order_relaxed);
                if (k->breaker) akt_breaker_record(k->breaker, 0);
                akt__pipe_unref(k);
                return AKT_ECLOSED;
            }
        }
        *handle = k;
        return 0;
    }
    pthread_mutex_lock(&p->mu);
    int closed = p->closed;
    /* The bound, then a thread for the task, then the breaker (whose lock is taken under
     * the pool's, never the other way round): a refused pipe asks nothing of the breaker. */
    if (!closed && p->queued >= s->pipe_queue) rc = AKT_EFULL;
    if (!closed && !rc && p->queued + 1 > p->idle && p->nthreads < s->pipe_threads) {
        if (pthread_create(&p->threads[p->nthreads], NULL, akt__pipe_main, p) == 0) {
            p->nthreads++;
            /* relaxed: a reading for akt_metrics_system; the pool lock orders the pool */
            atomic_store_explicit(&s->stats.pipe_threads, (uint64_t)p->nthreads,
                                  memory_order_relaxed);
        } else if (p->nthreads == 0)
            rc = AKT_ENOMEM; /* no thread would ever run it */
    }
    if (rc) akt__pipe_drop(k);
    if (!closed && !rc) rc = akt__pipe_allow(k, o.breaker); /* frees k if refused */
    if (rc) {
        pthread_mutex_unlock(&p->mu);
        return rc; /* nothing started; data not taken */
    }
    if (!closed) {
        if (o.timeout_ns > 0) { /* armed under the pool lock: no thread has the task yet */
            k->t.fire = akt__pipe_timeout;
            k->t.deadline = akt__deadline_after(akt__now_ns(), o.timeout_ns);
            atomic_fetch_add_explicit(&k->refs, 1, memory_order_relaxed); /* the timer's */
            if (akt__timer_add(&s->timers, &k->t) != 0) {
                atomic_fetch_sub_explicit(&k->refs, 1, memory_order_relaxed);
                closed = 1;
            }
        }
        if (!closed) {
            if (p->tail)
                p->tail->next = k;
            else
                p->head = k;
            p->tail = k;
            p->queued++;
            pthread_cond_signal(&p->cv);
        }
    }
    pthread_mutex_unlock(&p->mu);
    if (closed) {
        if (k->breaker) akt_breaker_record(k->breaker, 0);
        akt__pipe_unref(k);
        return AKT_ECLOSED;
    }
    return 0;
}

AKT_API int akt_pipe_options_init(akt_pipe_options *o) {
    if (!o) return AKT_EINVAL;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    return 0;
}

AKT_API int akt_ctx_pipe_to(akt_ctx *ctx, akt_pid to, akt_pipe_fn fn, void *data,
                            const akt_pipe_options *options) {
    if (!fn) return AKT_EINVAL;
    return akt__pipe(ctx, to, NULL, fn, data, options, NULL);
}

AKT_API int akt_ctx_pipe_to_name(akt_ctx *ctx, const char *path, akt_pipe_fn fn, void *data,
                                 const akt_pipe_options *options) {
    if (!path || !*path || !fn) return AKT_EINVAL;
    return akt__pipe(ctx, (akt_pid){0}, path, fn, data, options, NULL);
}

AKT_API int akt_ctx_pipe_start(akt_ctx *ctx, akt_pid to, const char *path,
                               const akt_pipe_options *options, akt_pipe **out) {
    if (out) *out = NULL;
    if (!out || (path && !*path)) return AKT_EINVAL;
    akt__pipe_task *k = NULL;
    int rc = akt__pipe(ctx, path ? (akt_pid){0} : to, path, NULL, NULL, options, &k);
    if (rc == 0) *out = (akt_pipe *)k;
    return rc;
}

AKT_API int akt_pipe_complete(akt_pipe *pipe, int rc, akt_msg *result) {
    if (!pipe || (rc == 0 && !result) || rc > 0) return AKT_EINVAL;
    akt__pipe_task *k = (akt__pipe_task *)pipe;
    akt__pipe_complete(k, rc, rc == 0 ? result : NULL);
    if (rc != 0 && result) akt_msg_release(result);
    akt__pipe_unref(k); /* the handle's */
    return 0;
}
