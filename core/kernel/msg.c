#include "msg.h"

#include <sched.h>
#include <string.h>

#include "base/alloc.h"
#include "base/pool.h"
#include "base/tls.h"

akt__envelope *akt__env_for(akt_msg *m) {
    /* acquire: pairs with the release in akt__env_release_embedded, so the previous
     * delivery's use of env0 is over before this one writes it. */
    if (m && !atomic_load_explicit(&m->env0_busy, memory_order_relaxed) &&
        !atomic_exchange_explicit(&m->env0_busy, 1, memory_order_acquire)) {
        akt__envelope *e = &m->env0;
        e->reply = NULL;
        e->msg = NULL;
        e->sender = 0;
        e->arg = 0;
        e->code = 0;
        e->embedded = 1;
        return e;
    }
    return akt__env_new();
}

void akt__env_release_embedded(akt__envelope *e) {
    akt_msg *m = (akt_msg *)((char *)e - offsetof(akt_msg, env0));
    atomic_store_explicit(&m->env0_busy, 0, memory_order_release);
}

int akt__type_check(const char *type) {
    if (!type) return AKT_EINVAL;
    size_t n = strnlen(type, AKT__TYPE_MAX + 1);
    if (n == 0 || n > AKT__TYPE_MAX) return AKT_EINVAL;
    return (int)n;
}

static akt_msg *akt__msg_alloc(size_t type_len, size_t inline_len) {
    size_t n = sizeof(akt_msg) + type_len + 1 + inline_len;
    int cls = akt__pool_class(n);
    akt_msg *m = cls >= 0 ? akt__pool_get(cls) : akt__dalloc(n);
    if (!m) return NULL;
    /* The embedded envelope is written when it is taken (akt__env_for): zero the rest. */
    memset(m, 0, offsetof(akt_msg, env0_busy));
    atomic_init(&m->env0_busy, 0);
    m->magic = AKT__MSG_MAGIC;
    m->pool_cls = (int8_t)cls;
    /* relaxed: the message is not shared yet; publication happens-before through the
     * queue push that hands it over. */
    atomic_init(&m->refs, 1);
    m->type_len = (uint8_t)type_len;
    return m;
}

/* The release queue of an object's ops (release_on), or NULL: today's rule for old callers'
 * smaller structs and for NULL. */
static akt__release_q *akt__ops_release_q(const akt_object_ops *ops) {
    if (ops->size < offsetof(akt_object_ops, release_on) + sizeof ops->release_on) return NULL;
    return (akt__release_q *)(void *)ops->release_on;
}

/* Queues the release of m, whose last reference just went, for its ops' dispatcher unless
 * this thread is running that dispatcher: 1 if queued. Nobody references m any more, so its
 * block is the queue node: no allocation, one CAS. */
static int akt__release_defer(akt_msg *m) {
    akt__release_q *q = akt__ops_release_q(m->ops);
    if (!q || akt__self.running == (struct akt_dispatcher *)(void *)q) return 0;
    akt_msg *old = atomic_load_explicit(&q->head, memory_order_relaxed);
    do {
        /* relaxed: m is private until the CAS publishes it. */
        atomic_store_explicit(&m->env0.node.next, old ? &old->env0.node : NULL,
                              memory_order_relaxed);
        /* release: the runner's acquire exchange then sees m and everything its owners did
         * before the last reference went (this thread acquired those in akt_msg_release).
         * Push-only with a take-all pop: no ABA, the CAS only checks the head it links to. */
    } while (!atomic_compare_exchange_weak_explicit(&q->head, &old, m, memory_order_release,
                                                    memory_order_relaxed));
    if (!old) q->notify(q->notify_data);
    return 1;
}

static void akt__msg_free_now(akt_msg *m);

static void akt__msg_free(akt_msg *m) {
    if (m->kind == AKT__MSG_OBJECT && akt__release_defer(m)) return;
    akt__msg_free_now(m);
}

static void akt__msg_free_now(akt_msg *m) {
    if (m->kind == AKT__MSG_OBJECT) {
        if (atomic_load_explicit(&m->bytes_state, memory_order_acquire) == AKT__BYTES_READY &&
            m->free_fn != AKT_BORROW)
            m->free_fn((void *)m->data);
        if (m->ops->release) m->ops->release(m->object, m->ops->ops_data);
    } else if (m->free_fn != AKT_BORROW && m->free_fn != AKT_COPY) {
        m->free_fn((void *)m->data);
    }
    m->magic = 0;
    if (m->pool_cls >= 0)
        akt__pool_put(m->pool_cls, m);
    else
        akt__dfree(m);
}

AKT_API int akt_msg_new_bytes(const char *type, const void *data, size_t len,
                              akt_free_fn free_fn, akt_msg **out) {
    int tl = akt__type_check(type);
    if (tl < 0) return tl;
    if (!out || (!data && len)) return AKT_EINVAL;
    int copy = free_fn == AKT_COPY;
    akt_msg *m = akt__msg_alloc((size_t)tl, copy ? len : 0);
    if (!m) return AKT_ENOMEM;
    m->kind = AKT__MSG_BYTES;
    memcpy(m->type, type, (size_t)tl + 1);
    m->len = len;
    m->free_fn = free_fn;
    if (copy) {
        char *dst = m->type + tl + 1;
        if (len) memcpy(dst, data, len);
        m->data = dst;
    } else {
        m->data = data;
    }
    *out = m;
    return 0;
}

int akt__msg_new_about(const char *type, akt_pid pid, const char *text, akt_msg **out) {
    int rc = akt_msg_new_bytes(type, text, text ? strlen(text) : 0, AKT_COPY, out);
    if (rc == 0) (*out)->pid = pid.id;
    return rc;
}

AKT_API int akt_msg_new_object(const char *type, void *object, const akt_object_ops *ops,
                               akt_msg **out) {
    int tl = akt__type_check(type);
    if (tl < 0) return tl;
    if (!out || !ops || ops->size < offsetof(akt_object_ops, to_bytes) || !ops->release)
        return AKT_EINVAL;
    akt__release_q *q = akt__ops_release_q(ops);
    if (q && q->magic != AKT__RELQ_MAGIC) return AKT_EINVAL; /* not an external dispatcher */
    akt_msg *m = akt__msg_alloc((size_t)tl, 0);
    if (!m) return AKT_ENOMEM;
    m->kind = AKT__MSG_OBJECT;
    memcpy(m->type, type, (size_t)tl + 1);
    m->object = object;
    m->ops = ops;
    *out = m;
    return 0;
}

AKT_API int akt_msg_retain(akt_msg *msg) {
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    /* relaxed: taking a reference needs no ordering; the holder already sees the message. */
    unsigned prev = atomic_fetch_add_explicit(&msg->refs, 1, memory_order_relaxed);
    if (prev == 0) {
        atomic_fetch_sub_explicit(&msg->refs, 1, memory_order_relaxed);
        return AKT_EMISUSE;
    }
    return 0;
}

/* TSan does not model fences: under it, take the read-modify-write path only. */
#if defined(__SANITIZE_THREAD__)
#define AKT__FENCE_FAST_PATH 0
#else
#define AKT__FENCE_FAST_PATH 1
#endif

AKT_API int akt_msg_release(akt_msg *msg) {
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    unsigned cur = atomic_load_explicit(&msg->refs, memory_order_relaxed);
    if (cur == 0) return AKT_EMISUSE;
    if (AKT__FENCE_FAST_PATH && cur == 1) {
        /* Sole owner: nobody else can touch the count, so skip the read-modify-write. The
         * acquire fence orders every earlier owner's uses before the free. */
        atomic_thread_fence(memory_order_acquire);
        atomic_store_explicit(&msg->refs, 0, memory_order_relaxed);
        akt__msg_free(msg);
        return 0;
    }
    /* acq_rel: our uses happen-before the free; the last owner sees everyone's. */
    unsigned prev = atomic_fetch_sub_explicit(&msg->refs, 1, memory_order_acq_rel);
    if (prev == 0) { /* a release raced with the last one: undo and report */
        atomic_fetch_add_explicit(&msg->refs, 1, memory_order_relaxed);
        return AKT_EMISUSE;
    }
    if (prev == 1) akt__msg_free(msg);
    return 0;
}

AKT_API const char *akt_msg_type(const akt_msg *msg) {
    return akt__msg_ok(msg) ? msg->type : NULL;
}

AKT_API int akt_msg_bytes(akt_msg *msg, const void **data, size_t *len) {
    if (!akt__msg_ok(msg) || !data || !len) return AKT_EINVAL;
    if (msg->kind == AKT__MSG_OBJECT) {
        if (!msg->ops->to_bytes) return AKT_ENOTSUP;
        int st = AKT__BYTES_NONE;
        /* acq_rel: the winner's serialized bytes are published by its release store of
         * READY; losers wait for it with acquire loads. */
        if (atomic_compare_exchange_strong_explicit(&msg->bytes_state, &st, AKT__BYTES_BUSY,
                                                    memory_order_acq_rel,
                                                    memory_order_acquire)) {
            void *d = NULL;
            size_t n = 0;
            akt_free_fn f = AKT_BORROW;
            int rc = msg->ops->to_bytes(msg->object, msg->ops->ops_data, &d, &n, &f);
            if (rc == 0 && !d && n) rc = AKT_EINVAL;
            if (rc == 0) {
                msg->data = d;
                msg->len = n;
                msg->free_fn = f == AKT_COPY ? AKT_BORROW : f;
            } else if (f != AKT_BORROW && f != AKT_COPY && d) {
                f(d);
            }
            msg->bytes_rc = rc > 0 ? AKT_EFAILED : rc;
            atomic_store_explicit(&msg->bytes_state, AKT__BYTES_READY, memory_order_release);
        } else {
            while (atomic_load_explicit(&msg->bytes_state, memory_order_acquire) !=
                   AKT__BYTES_READY)
                sched_yield();
        }
        if (msg->bytes_rc) return msg->bytes_rc;
    }
    *data = msg->data;
    *len = msg->len;
    return 0;
}

AKT_API int akt_msg_object(const akt_msg *msg, const akt_object_ops *ops, void **object) {
    if (!akt__msg_ok(msg) || !ops || !object) return AKT_EINVAL;
    if (msg->kind != AKT__MSG_OBJECT || msg->ops != ops) return AKT_ETYPE;
    *object = msg->object;
    return 0;
}

AKT_API int akt_msg_pid(const akt_msg *msg, akt_pid *out) {
    if (!akt__msg_ok(msg) || !out) return AKT_EINVAL;
    if (!msg->pid) return AKT_ETYPE;
    out->id = msg->pid;
    return 0;
}

void akt__release_q_run(akt__release_q *q) {
    /* acquire: pairs with the pushers' release CAS (akt__release_defer). */
    akt_msg *m = atomic_exchange_explicit(&q->head, NULL, memory_order_acquire);
    while (m) {
        /* relaxed: written by the pusher before its release CAS, which the exchange saw. */
        akt__node *next = atomic_load_explicit(&m->env0.node.next, memory_order_relaxed);
        akt__msg_free_now(m);
        m = next ? (akt_msg *)(void *)((char *)next - offsetof(akt_msg, env0.node)) : NULL;
    }
}
