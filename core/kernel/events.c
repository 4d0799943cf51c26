#include "events.h"

#include <pthread.h>

#include "base/tls.h"
#include "envelope.h"
#include "future.h"
#include "msg.h"
#include "path.h"
#include "sys.h"

/* Callbacks run without any lock held, so a callback may subscribe, unsubscribe and publish.
 * What akt_unsubscribe promises ("when it returns, cb is not running and will not be called
 * again") comes from counting the calls in progress per subscription and waiting for them,
 * except for the caller's own: each thread keeps the stack of calls it is running. One lock
 * for all systems, so that a wait-for cycle is seen across systems too; the event stream is
 * not a hot path (nothing here runs unless someone subscribed). */
static pthread_mutex_t akt__ev_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t akt__ev_call_done = PTHREAD_COND_INITIALIZER; /* of an ending sub */

/* One callback call in progress on this thread (on the publisher's stack). */
typedef struct akt__ev_frame {
    struct akt_subscription *sub;
    struct akt__ev_frame *up;
} akt__ev_frame;

/* A thread's part in the event stream. Under akt__ev_lock; other threads read it only while
 * it waits in akt_unsubscribe (linked in akt__ev_waiters), when it cannot change. */
typedef struct akt__ev_thread {
    akt__ev_frame *calls;              /* innermost first */
    struct akt_subscription *awaiting; /* the subscription whose calls it waits for */
    struct akt__ev_thread *next_waiter;
} akt__ev_thread;

static AKT__TLS akt__ev_thread akt__ev_self;
static akt__ev_thread *akt__ev_waiters;

int akt__events_init(akt__events *e) {
    e->subs = NULL;
    atomic_init(&e->mask, 0);
    return 0;
}

static void akt__recompute_mask_locked(akt__events *e) {
    unsigned m = 0;
    for (struct akt_subscription *s = e->subs; s; s = s->next)
        if (!s->ending) m |= s->mask;
    /* relaxed: see akt__events_wanted. */
    atomic_store_explicit(&e->mask, m, memory_order_relaxed);
}

static void akt__unlink_locked(akt__events *e, struct akt_subscription *sub) {
    struct akt_subscription **pp = &e->subs;
    while (*pp && *pp != sub) pp = &(*pp)->next;
    if (*pp) *pp = sub->next;
}

void akt__events_destroy(akt_system *s) {
    pthread_mutex_lock(&akt__ev_lock);
    struct akt_subscription *p = s->events.subs;
    s->events.subs = NULL;
    pthread_mutex_unlock(&akt__ev_lock);
    while (p) {
        struct akt_subscription *n = p->next;
        akt__heap_free(&s->heap, p);
        p = n;
    }
}

/* The system's metrics counters of the events that are counted (kernel/stats.h), counted
 * whether or not anyone subscribed. */
static void akt__count_event(akt_system *s, unsigned kind, akt_pid pid) {
    if (kind == AKT_EVENT_DEAD_LETTER) {
        akt__sys_stat(&s->stats.dead_letters);
        /* And the actor's own (actor.deadletters.count), while its pid is live: a dead
         * letter to a stale pid belongs to no incarnation a reading can show. */
        akt__cell *c = akt__cell_live(s, pid);
        if (c) atomic_fetch_add_explicit(&akt__rare_of(c)->dead_letters, 1, memory_order_relaxed);
    } else if (kind == AKT_EVENT_UNHANDLED) {
        akt__sys_stat(&s->stats.unhandled);
    }
}

static void akt__publish_uncounted(akt_system *s, unsigned kind, akt_pid pid, const char *path,
                                   akt_pid sender, akt_msg *msg, int code, const char *reason);

void akt__publish_at(akt_system *s, unsigned kind, akt_pid pid, const char *path, akt_pid sender,
                     akt_msg *msg, int code, const char *reason) {
    akt__count_event(s, kind, pid);
    akt__publish_uncounted(s, kind, pid, path, sender, msg, code, reason);
}

static void akt__publish_uncounted(akt_system *s, unsigned kind, akt_pid pid, const char *path,
                                   akt_pid sender, akt_msg *msg, int code, const char *reason) {
    akt__events *e = &s->events;
    if (!akt__events_wanted(e, kind)) return;
    akt_event ev = {sizeof(akt_event), kind, pid, path, sender, msg, code, reason};
    akt__ev_frame f;
    pthread_mutex_lock(&akt__ev_lock);
    struct akt_subscription *sub = e->subs;
    while (sub) {
        if (!(sub->mask & kind) || sub->ending) {
            sub = sub->next;
            continue;
        }
        /* Counted, sub stays linked (and its next valid) until the call is over. */
        sub->calls++;
        f.sub = sub;
        f.up = akt__ev_self.calls;
        akt__ev_self.calls = &f;
        pthread_mutex_unlock(&akt__ev_lock);
        sub->cb(&ev, sub->data);
        pthread_mutex_lock(&akt__ev_lock);
        akt__ev_self.calls = f.up;
        struct akt_subscription *next = sub->next;
        sub->calls--;
        if (sub->ending) {
            if (sub->orphan && !sub->calls) {
                akt__unlink_locked(e, sub);
                akt__heap_free(&s->heap, sub);
            } else {
                pthread_cond_broadcast(&akt__ev_call_done);
            }
        }
        sub = next;
    }
    pthread_mutex_unlock(&akt__ev_lock);
}

void akt__publish(akt_system *s, unsigned kind, akt__cell *cell, akt_pid sender, akt_msg *msg,
                  int code, const char *reason) {
    akt__count_event(s, kind, akt__cell_pid(cell));
    if (!akt__events_wanted(&s->events, kind)) return;
    char *path = akt__path_dup(s, cell);
    akt__publish_uncounted(s, kind, akt__cell_pid(cell), path, sender, msg, code, reason);
    akt__heap_free(&s->heap, path);
}

void akt__dead_letter(akt_system *s, akt__envelope *e, akt_pid to, const char *path) {
    if (e->kind == AKT__ENV_USER && e->msg)
        akt__publish_at(s, AKT_EVENT_DEAD_LETTER, to, path, (akt_pid){e->sender}, e->msg, 0, NULL);
    akt__env_discard(e, AKT_ESTOPPED);
}

void akt__dead_letter_why(akt_system *s, akt__envelope *e, akt_pid to, const char *reason, int rc) {
    if (e->kind == AKT__ENV_USER && e->msg)
        akt__publish_at(s, AKT_EVENT_DEAD_LETTER, to, NULL, (akt_pid){e->sender}, e->msg, 0,
                        reason);
    akt__env_discard(e, rc);
}

AKT_API int akt_subscribe(akt_system *system, unsigned mask, akt_event_cb cb, void *data,
                          akt_subscription **out) {
    if (!system || !cb || !out || !(mask & AKT_EVENT_ALL)) return AKT_EINVAL;
    if (atomic_load_explicit(&system->state, memory_order_acquire) == AKT__SYS_DONE)
        return AKT_ECLOSED;
    struct akt_subscription *sub = akt__heap_calloc(&system->heap, sizeof *sub);
    if (!sub) return AKT_ENOMEM;
    sub->system = system;
    sub->mask = mask & AKT_EVENT_ALL;
    sub->cb = cb;
    sub->data = data;
    akt__events *e = &system->events;
    pthread_mutex_lock(&akt__ev_lock);
    /* At the head: a publication walking the list now does not see it; later ones do. */
    sub->next = e->subs;
    e->subs = sub;
    akt__recompute_mask_locked(e);
    pthread_mutex_unlock(&akt__ev_lock);
    *out = sub;
    return 0;
}

/* How many of sub's calls thread t is running. */
static unsigned akt__calls_on(const akt__ev_thread *t, const struct akt_subscription *sub) {
    unsigned n = 0;
    for (const akt__ev_frame *f = t->calls; f; f = f->up) n += f->sub == sub;
    return n;
}

/* 1 if waiting for the other threads' calls of sub would wait, through threads that are
 * themselves waiting in akt_unsubscribe, for a call that me is running. The waiters form
 * no cycle (each checked this before it waited, and an ending subscription gains no new
 * calls), so the recursion ends. */
static int akt__wait_closes_cycle(const akt__ev_thread *me, const struct akt_subscription *sub) {
    for (const akt__ev_thread *w = akt__ev_waiters; w; w = w->next_waiter) {
        if (w == me || !akt__calls_on(w, sub)) continue;
        /* w runs a call of sub and will not return before w->awaiting's calls ended. */
        if (akt__calls_on(me, w->awaiting) || akt__wait_closes_cycle(me, w->awaiting)) return 1;
    }
    return 0;
}

AKT_API int akt_unsubscribe(akt_subscription *sub) {
    if (!sub) return AKT_EINVAL;
    akt__ev_thread *me = &akt__ev_self;
    pthread_mutex_lock(&akt__ev_lock);
    akt_system *s = sub->system;
    if (sub->ending) {
        pthread_mutex_unlock(&akt__ev_lock);
        return AKT_EINVAL;
    }
    unsigned own = akt__calls_on(me, sub);
    if (sub->calls > own && akt__wait_closes_cycle(me, sub)) {
        pthread_mutex_unlock(&akt__ev_lock);
        return AKT_EDEADLK;
    }
    sub->ending = 1;
    akt__recompute_mask_locked(&s->events);
    if (sub->calls > own) {
        me->awaiting = sub;
        me->next_waiter = akt__ev_waiters;
        akt__ev_waiters = me;
        while (sub->calls > own) pthread_cond_wait(&akt__ev_call_done, &akt__ev_lock);
        akt__ev_thread **pp = &akt__ev_waiters;
        while (*pp != me) pp = &(*pp)->next_waiter;
        *pp = me->next_waiter;
        me->awaiting = NULL;
    }
    if (own) { /* our own calls are still running: the last one to return frees it */
        sub->orphan = 1;
        pthread_mutex_unlock(&akt__ev_lock);
        return 0;
    }
    akt__unlink_locked(&s->events, sub);
    pthread_mutex_unlock(&akt__ev_lock);
    akt__heap_free(&s->heap, sub);
    return 0;
}
