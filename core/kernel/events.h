/* The event stream: subscribers get actor lifecycle events, dead letters and unhandled
 * messages synchronously on the thread where they happen. */
#ifndef AKT_CORE_KERNEL_EVENTS_H
#define AKT_CORE_KERNEL_EVENTS_H
#include <akt/akt.h>
#include <stdatomic.h>

struct akt_system;
struct akt__envelope;
struct akt__cell;

/* The list and the subscriptions' fields are under the event stream's one lock (events.c),
 * which is never held while a callback runs; only mask is read without it. */
struct akt_subscription {
    struct akt_subscription *next;
    struct akt_system *system;
    unsigned mask;
    akt_event_cb cb;
    void *data;
    unsigned calls; /* calls of cb in progress, on any threads */
    int ending;     /* akt_unsubscribe began: no call starts any more */
    int orphan;     /* ended from inside its own call: the last call to return frees it */
};

typedef struct akt__events {
    struct akt_subscription *subs;
    atomic_uint mask; /* union of the live subscriptions' masks: a cheap "anyone?" check */
} akt__events;

int akt__events_init(akt__events *e);
void akt__events_destroy(struct akt_system *s);

static inline int akt__events_wanted(akt__events *e, unsigned kind) {
    /* relaxed: a subscriber added concurrently may miss an event in flight; that is the
     * documented semantics of subscribing. */
    return (atomic_load_explicit(&e->mask, memory_order_relaxed) & kind) != 0;
}

/* Publishes an event about the actor pid whose path is path (may be NULL). */
void akt__publish_at(struct akt_system *s, unsigned kind, akt_pid pid, const char *path,
                     akt_pid sender, akt_msg *msg, int code, const char *reason);
/* Same, about a live cell (its pid and path). */
void akt__publish(struct akt_system *s, unsigned kind, struct akt__cell *cell, akt_pid sender,
                  akt_msg *msg, int code, const char *reason);

/* A message that could not be delivered to to (path: its path if known, else NULL):
 * publishes it, fails its asker with AKT_ESTOPPED, and frees the envelope with its
 * references. */
void akt__dead_letter(struct akt_system *s, struct akt__envelope *e, akt_pid to, const char *path);
/* Same with a reason in the event (static storage), its asker failing with rc. */
void akt__dead_letter_why(struct akt_system *s, struct akt__envelope *e, akt_pid to,
                          const char *reason, int rc);

#endif
