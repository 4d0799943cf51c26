/* The envelope: what a mailbox holds. One per delivery (a message sent twice rides in two
 * envelopes); pooled, so a send allocates nothing from the heap in the steady state. */
#ifndef AKT_CORE_KERNEL_ENVELOPE_H
#define AKT_CORE_KERNEL_ENVELOPE_H
#include <akt/akt.h>

#include "base/pool.h"
#include "queue/mpsc.h"

enum akt__env_kind {
    AKT__ENV_USER = 0, /* a user message (msg, sender, reply) */
    AKT__ENV_POISON,   /* user queue: stop once the messages before it are handled */
    /* system queue */
    AKT__SYS_START,       /* run pre_start */
    AKT__SYS_WATCH,       /* arg = watcher pid */
    AKT__SYS_UNWATCH,     /* arg = watcher pid */
    AKT__SYS_NOTIFY_STOP, /* reply = future completed when the actor is gone */
    AKT__SYS_FAILED,      /* to a parent: arg = child pid, code, msg = reason (or NULL) */
    AKT__SYS_RESUME,      /* directive from the parent */
    AKT__SYS_RESTART,     /* directive from the parent; arg 1 = also when running,
                             arg 2 = from the backoff timer numbered code */
    AKT__SYS_BACKOFF,     /* directive from the parent: restart after arg ns */
    AKT__SYS_SUSPEND,     /* directive from the parent: code, msg = the failure's reason */
    AKT__SYS_REINSTATE,   /* akt_reinstate */
    AKT__SYS_RESPONSE,    /* a request of this actor completed: arg = the request's id */
    AKT__SYS_STEP,        /* a step of a suspended message: arg = its id, msg = the step */
    AKT__SYS_PASSIVATION, /* akt_passivation_set: code = strategy, arg = its value */
    AKT__SYS_PASSIVATE,   /* the passivation timer fired: msg holds its record */
};

/* The envelope holds one of its bounded mailbox's slots (mailbox/mailbox.h). */
#define AKT__ENV_COUNTED 0x1u

typedef struct akt__envelope {
    akt__node node; /* must be first: the queues link envelopes through it */
    akt_msg *msg;
    akt_future *reply; /* the asker's future (one reference), or NULL */
    uint64_t sender;   /* sender pid id, 0 = none */
    uint64_t arg;
    uint64_t gen; /* the generation of the receiver it was sent to */
    uint16_t kind;
    uint8_t embedded; /* 1: the envelope inside its message (akt__env_for), not pooled */
    uint8_t flags;    /* AKT__ENV_* bits */
    int32_t code;
} akt__envelope;

_Static_assert(sizeof(akt__envelope) <= 64, "an envelope fits the 64-byte pool class");

/* Clears what a sender does not always set; embedded: 1 for a message's own envelope. */
static inline akt__envelope *akt__env_reset(akt__envelope *e, uint8_t embedded) {
    e->reply = NULL;
    e->msg = NULL;
    e->sender = 0;
    e->arg = 0;
    e->code = 0;
    e->embedded = embedded;
    e->flags = 0;
    return e;
}

static inline akt__envelope *akt__env_new(void) {
    akt__envelope *e = akt__pool_get(AKT__POOL_64);
    return e ? akt__env_reset(e, 0) : NULL;
}

/* msg.c: hands a message's own envelope back to it. */
void akt__env_release_embedded(akt__envelope *e);

/* Releases the envelope only (not msg/reply). An embedded envelope lives in its message:
 * free it before dropping the reference to that message. */
static inline void akt__env_free(akt__envelope *e) {
    if (e->embedded)
        akt__env_release_embedded(e);
    else
        akt__pool_put(AKT__POOL_64, e);
}

/* Drops an envelope nobody will handle: its asker (if any) completes with rc, its message
 * reference goes, the envelope goes back to the pool (envelope.c). */
void akt__env_discard(akt__envelope *e, int rc);
/* Discards a chain of envelopes linked through node.next. */
void akt__env_discard_chain(akt__envelope *e, int rc);

#endif
