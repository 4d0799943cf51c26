/* akt_msg: an immutable, refcounted type name plus bytes or a binding's object. */
#ifndef AKT_CORE_KERNEL_MSG_H
#define AKT_CORE_KERNEL_MSG_H
#include <akt/akt.h>
#include <stdatomic.h>
#include <stddef.h>

#include "base/pool.h"
#include "envelope.h"

enum { AKT__MSG_BYTES = 1, AKT__MSG_OBJECT = 2 };
/* bytes_state of an object message: its bytes are made at most once, on demand. It is
 * also the futex word that readers sleep on while another thread runs to_bytes: WAITED is
 * BUSY with a sleeper to wake. */
enum { AKT__BYTES_NONE = 0, AKT__BYTES_BUSY = 1, AKT__BYTES_READY = 2, AKT__BYTES_WAITED = 3 };

#define AKT__MSG_MAGIC 0x616b746du /* "aktm": catches a few wild pointers cheaply */
#define AKT__TYPE_MAX 255
/* AKT_COPY payloads start at this alignment. */
#define AKT__COPY_ALIGN _Alignof(max_align_t)

struct akt_msg {
    /* While the block is free, its first AKT__POOL_LINK_BYTES hold the pool's links: only
     * fields that mean nothing after the free go there, so that magic and refs outlive
     * the free and a release too many is still recognised (AKT_EMISUSE). */
    const void *data;
    size_t len;
    akt_free_fn free_fn; /* how data goes away (bytes, or an object's serialized form) */
    uint32_t magic;
    atomic_uint refs;
    atomic_int bytes_state;
    int bytes_rc;
    uint8_t kind;
    int8_t pool_cls; /* pool class of this block, -1 for the heap */
    uint8_t type_len;
    atomic_uchar env0_busy;
    /* 1 once the message was first sent (akt__msg_outgoing): no more headers. Atomic
     * because a retained message may be sent from two threads at once. */
    atomic_uchar sealed;
    uint8_t has_hdrs; /* which member of the union below holds */
    /* The akt_type id (kernel/types.h) the message was made with (type_len 0, type[]
     * empty: the name is the type's), or 0. For a message made from a name it is filled
     * in by the first akt_msg_type_id that finds the name registered: relaxed, as every
     * writer stores the same value. */
    atomic_ushort type_id;
    void *object;
    const akt_object_ops *ops;
    /* The thread running to_bytes (its akt__self), so that a to_bytes asking for its own
     * message's bytes gets AKT_EDEADLK instead of waiting for itself. */
    _Atomic(const void *) bytes_owner;
    /* One word for what a message rarely has, so that headers make no message longer:
     * akt's own messages about an actor never carry headers (akt_msg_set_header refuses
     * them), so the two never meet. Read pid through akt__msg_about. */
    union {
        uint64_t pid;           /* has_hdrs 0: AKT_TYPE_TERMINATED: the actor it is about */
        struct akt__hdrs *hdrs; /* has_hdrs 1: the headers (kernel/headers.h) */
    };
    /* The envelope of the message's first delivery, in the same block: a fresh message told
     * once needs one allocation and one cache line less per send. */
    akt__envelope env0;
    /* NUL-terminated, then (AKT_COPY) the payload at the next AKT__COPY_ALIGN boundary */
    char type[];
};
_Static_assert(offsetof(struct akt_msg, magic) >= AKT__POOL_LINK_BYTES,
               "a free block's links leave magic and refs alone");
_Static_assert(sizeof(void *) != 8 || offsetof(struct akt_msg, env0) == 80,
               "headers add nothing to a message (a longer head moves small messages to a "
               "larger pool class)");

/* An envelope to deliver m: its own when free, else one from the pool; NULL on ENOMEM. */
akt__envelope *akt__env_for(akt_msg *m);

/* Validates a type name; returns its length or a negative AKT_E* code. */
int akt__type_check(const char *type);
/* A bytes message about pid (Terminated): type and payload copied. */
int akt__msg_new_about(const char *type, akt_pid pid, const char *text, akt_msg **out);

static inline int akt__msg_ok(const akt_msg *m) { return m && m->magic == AKT__MSG_MAGIC; }

/* The actor an akt message is about (AKT_TYPE_TERMINATED), 0 for every other message. */
static inline uint64_t akt__msg_about(const akt_msg *m) {
    return m->pid && !m->has_hdrs ? m->pid : 0; /* pid first: most messages stop there */
}

/* The releases queued for an external dispatcher (akt_object_ops.release_on): a lock-free
 * stack of the messages themselves, linked through their own envelope's node, which no
 * envelope uses once the last reference went (every envelope holds one). It is the first
 * member of struct akt_dispatcher (sched/dispatch.h), so the kernel reaches it from the
 * public handle without naming the layer above. */
typedef struct akt__release_q {
    _Atomic(akt_msg *) head;
    uint32_t magic;       /* AKT__RELQ_MAGIC on external dispatchers only */
    akt_notify_fn notify; /* the dispatcher's; called when the stack turns non-empty */
    void *notify_data;
} akt__release_q;

#define AKT__RELQ_MAGIC 0x616b7472u /* "aktr" */

/* Runs the releases queued on q so far (not those queued meanwhile), on the calling thread,
 * which runs q's dispatcher (akt__self.running). */
void akt__release_q_run(akt__release_q *q);

#endif
