/* Grains (virtual actors): what the registry (grain.c) and an activation's behaviour
 * (grain_shell.c) share.
 *
 * Each system with a registered kind has a grains part (kernel/sys.h): its kinds, a
 * lock-free list that only grows, and the directory of activations, identity -> record,
 * split into stripes each with its own mutex and hash table. A record is also the state of
 * its activation's actor, whose behaviour (the shell) wraps the behaviour the kind's
 * activate returns.
 *
 * Single activation: a sender finds or spawns the record under its stripe's lock. Messages
 * not lost to a deactivation: a sender counts its message in rec->sent under the same
 * lock before it sends; the activation counts what it received; it deactivates only when
 * both counts match (nothing is on its way), running its hooks while still listed, then
 * unlists itself under the lock if they still match, so that the next sender activates a
 * new one (no two activations overlap, not even their hooks); if a message came during the
 * hooks, it makes the next activation in place instead, before that message. */
#ifndef AKT_CORE_LIB_GRAIN_H
#define AKT_CORE_LIB_GRAIN_H
#include <akt/akt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "kernel/sys.h"
#include "time/timer.h"

#define AKT__GRAIN_KIND_MAX 255
#define AKT__GRAIN_NAME_MAX 1024
#define AKT__GRAIN_STRIPES 16

typedef struct akt__grain_kind {
    struct akt__grain_kind *next; /* registration order, newest first */
    akt_grain_kind def;           /* def.mailbox and def.dependency_* point at the copies below */
    akt_mailbox_spec mailbox;
    char **dep_names; /* the kind's own copies (dependency_count of them), or NULL */
    void **dep_values;
    size_t len;
    char name[];
} akt__grain_kind;

/* The idle timer of an activation, apart from it: the timer thread may still hold it
 * after the activation is gone. refs: the activation's and, while armed, the timer's. */
typedef struct akt__grain_timer {
    akt__timer timer;
    atomic_int refs;
    akt_system *system;
    akt_pid pid;
} akt__grain_timer;

typedef struct akt__grain_stripe {
    pthread_mutex_t lock;
    struct akt__grain **buckets;
    uint32_t nbuckets, n;
} akt__grain_stripe;

typedef struct akt__grains {
    akt__part part;
    akt_system *system;
    akt_pid parent; /* /user/$grains */
    /* Newest first; only grows. Pushed under kinds_lock with a release store, read
     * lock-free with acquire loads. */
    _Atomic(akt__grain_kind *) kinds;
    pthread_mutex_t kinds_lock;
    akt__grain_stripe stripes[AKT__GRAIN_STRIPES];
} akt__grains;

/* An activation: its directory entry (under its stripe's lock: next, listed, pid, sent)
 * and its actor's state (the activation's own turns: the rest). */
typedef struct akt__grain {
    struct akt__grain *next; /* hash chain */
    uint64_t hash;
    akt__grains *grains;
    const akt__grain_kind *kind;
    akt_pid pid;
    int listed;    /* in the directory */
    uint64_t sent; /* user messages counted by senders */
    /* The activation's own. */
    uint64_t received;
    int64_t last_ns;             /* when the last user message came */
    int64_t deactivate_after_ns; /* the kind's, or the activating send's option */
    int activated;               /* activate and on_activate succeeded */
    akt_behavior inner;
    void *inner_state;
    akt__grain_timer *timer; /* NULL for a long-lived kind */
    size_t len;              /* of identity */
    size_t name_off;         /* where the name starts in identity */
    char identity[];         /* kind "/" name, NUL-terminated */
} akt__grain;

/* The registered kind named kind, or NULL (none, or a bad name); lock-free, and the
 * record lives as long as the system (remote spawn makes actors of kinds). */
const akt__grain_kind *akt__grain_kind_lookup(akt_system *s, const char *kind);

/* The shell behaviour of every activation (grain_shell.c). */
extern const akt_behavior akt__grain_shell;
/* Frees a record that never became an activation. */
void akt__grain_discard(akt__grain *rec);
/* Prepares rec's idle timer (none for a long-lived kind); 0 or AKT_ENOMEM. */
int akt__grain_timer_new(akt__grain *rec);

/* Unlists rec if it is still listed (grain.c); takes its stripe's lock. */
void akt__grain_unlist(akt__grain *rec);
/* Whether nothing sent to rec is still on its way (under the stripe's lock). */
int akt__grain_idle(akt__grain *rec);
/* Under the stripe's lock: unlists rec and returns 1 if nothing sent to it is still on its
 * way, else 0. */
int akt__grain_try_unlist(akt__grain *rec);

#endif
