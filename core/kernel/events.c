#include "events.h"

#include "base/tls.h"
#include "envelope.h"
#include "future.h"
#include "msg.h"
#include "path.h"
#include "sys.h"

int akt__events_init(akt__events *e) {
    if (pthread_rwlock_init(&e->lock, NULL)) return AKT_ENOMEM;
    e->subs = NULL;
    e->graveyard = NULL;
    atomic_init(&e->mask, 0);
    return 0;
}

static void akt__recompute_mask(akt__events *e) {
    unsigned m = 0;
    for (struct akt_subscription *s = e->subs; s; s = s->next) m |= s->mask;
    /* relaxed: see akt__events_wanted. */
    atomic_store_explicit(&e->mask, m, memory_order_relaxed);
}

void akt__events_destroy(akt_system *s) {
    akt__events *e = &s->events;
    struct akt_subscription *lists[2] = {e->subs, e->graveyard};
    for (int i = 0; i < 2; i++)
        for (struct akt_subscription *p = lists[i]; p;) {
            struct akt_subscription *n = p->next;
            akt__heap_free(&s->heap, p);
            p = n;
        }
    e->subs = e->graveyard = NULL;
    pthread_rwlock_destroy(&e->lock);
}

void akt__publish_at(akt_system *s, unsigned kind, akt_pid pid, const char *path,
                     akt_pid sender, akt_msg *msg, int code, const char *reason) {
    akt__events *e = &s->events;
    if (!akt__events_wanted(e, kind)) return;
    akt_event ev = {sizeof(akt_event), kind, pid, path, sender, msg, code, reason};
    akt__self.in_event_cb++;
    pthread_rwlock_rdlock(&e->lock);
    for (struct akt_subscription *sub = e->subs; sub; sub = sub->next)
        if ((sub->mask & kind) && !atomic_load_explicit(&sub->dead, memory_order_acquire))
            sub->cb(&ev, sub->data);
    pthread_rwlock_unlock(&e->lock);
    akt__self.in_event_cb--;
}

void akt__publish(akt_system *s, unsigned kind, akt__cell *cell, akt_pid sender, akt_msg *msg,
                  int code, const char *reason) {
    if (!akt__events_wanted(&s->events, kind)) return;
    char *path = akt__path_dup(s, cell);
    akt__publish_at(s, kind, akt__cell_pid(cell), path, sender, msg, code, reason);
    akt__heap_free(&s->heap, path);
}

void akt__dead_letter(akt_system *s, akt__envelope *e, akt_pid to, const char *path) {
    if (e->kind == AKT__ENV_USER && e->msg)
        akt__publish_at(s, AKT_EVENT_DEAD_LETTER, to, path, (akt_pid){e->sender}, e->msg, 0,
                        NULL);
    akt__env_discard(e, AKT_ESTOPPED);
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
    if (akt__self.in_event_cb) return (akt__heap_free(&system->heap, sub), AKT_EDEADLK);
    pthread_rwlock_wrlock(&e->lock);
    sub->next = e->subs;
    e->subs = sub;
    akt__recompute_mask(e);
    pthread_rwlock_unlock(&e->lock);
    *out = sub;
    return 0;
}

AKT_API int akt_unsubscribe(akt_subscription *sub) {
    if (!sub || !sub->system) return AKT_EINVAL;
    akt_system *s = sub->system;
    akt__events *e = &s->events;
    if (akt__self.in_event_cb) {
        /* We hold the read lock: the write lock would deadlock. Silence it now; it is
         * freed with the system. */
        int was = atomic_exchange_explicit(&sub->dead, 1, memory_order_acq_rel);
        return was ? AKT_EINVAL : 0;
    }
    pthread_rwlock_wrlock(&e->lock);
    struct akt_subscription **pp = &e->subs;
    while (*pp && *pp != sub) pp = &(*pp)->next;
    int found = *pp == sub;
    if (found) {
        *pp = sub->next;
        if (atomic_load_explicit(&sub->dead, memory_order_acquire)) {
            sub->next = e->graveyard;
            e->graveyard = sub;
        }
        akt__recompute_mask(e);
    }
    pthread_rwlock_unlock(&e->lock);
    if (!found) return AKT_EINVAL;
    if (!atomic_load_explicit(&sub->dead, memory_order_acquire)) {
        sub->system = NULL;
        akt__heap_free(&s->heap, sub);
    }
    return 0;
}
