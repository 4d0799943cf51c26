#include "msg.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/futex.h"
#include "base/pool.h"
#include "base/tls.h"
#include "headers.h"
#include "types.h"

akt__envelope *akt__env_for(akt_msg *m) {
    if (!m) return akt__env_new();
    /* The caller's reference is the only one (a fresh message, told once): no envelope can
     * hold env0 (an embedded envelope is freed before its reference is dropped) and nobody
     * can take it meanwhile, so plain stores claim it -- no locked exchange waiting on the
     * block's line. acquire: pairs with the acq_rel decrement that left the count at 1,
     * which came after that holder's release of env0. */
    if (atomic_load_explicit(&m->refs, memory_order_acquire) == 1) {
        atomic_store_explicit(&m->env0_busy, 1, memory_order_relaxed);
        return akt__env_reset(&m->env0, 1);
    }
    /* acquire: pairs with the release in akt__env_release_embedded, so the previous
     * delivery's use of env0 is over before this one writes it. */
    if (!atomic_load_explicit(&m->env0_busy, memory_order_relaxed) &&
        !atomic_exchange_explicit(&m->env0_busy, 1, memory_order_acquire)) {
        return akt__env_reset(&m->env0, 1);
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

/* Fields of a caller's akt_object_ops exist only as far as its size says (an older
 * caller's struct is shorter): the ones beyond it count as NULL. release is checked to be
 * there when the message is made. */
typedef int (*akt__to_bytes_fn)(void *object, void *ops_data, void **data, size_t *len,
                                akt_free_fn *free_fn);
#define AKT__OPS_HAS(o, field) ((o)->size >= offsetof(akt_object_ops, field) + sizeof((o)->field))
static inline void *akt__ops_data(const akt_object_ops *o) {
    return AKT__OPS_HAS(o, ops_data) ? o->ops_data : NULL;
}
static inline akt__to_bytes_fn akt__ops_to_bytes(const akt_object_ops *o) {
    return AKT__OPS_HAS(o, to_bytes) ? o->to_bytes : NULL;
}

static char *akt__copy_at(akt_msg *m, size_t type_len) {
    uintptr_t p = (uintptr_t)(m->type + type_len + 1);
    return (char *)((p + AKT__COPY_ALIGN - 1) & ~(uintptr_t)(AKT__COPY_ALIGN - 1));
}

/* A zeroed message block for a type of type_len bytes, with room for copy bytes at
 * akt__copy_at (copy is 0 for messages that hold no payload of their own). The caller has
 * checked that copy <= PTRDIFF_MAX, so the sums below cannot wrap. */
static akt_msg *akt__msg_alloc(size_t type_len, size_t copy) {
    size_t head = offsetof(akt_msg, type) + type_len + 1;
    /* Where a pool block (AKT__POOL_ALIGN-aligned) puts the copy: the same offset rounded. */
    size_t n = copy ? ((head + AKT__COPY_ALIGN - 1) & ~(AKT__COPY_ALIGN - 1)) + copy : head;
    int cls = akt__pool_class(n);
    akt_msg *m = NULL;
    if (cls >= 0) {
        m = akt__pool_get(cls);
        if (!m) return NULL;
        /* With pooling off a block has only the allocator's alignment, which may be less
         * than AKT__COPY_ALIGN: then it may not fit, and the heap path below pads. */
        if (copy && akt__copy_at(m, type_len) + copy > (char *)m + akt__pool_block_size(cls)) {
            akt__pool_put(cls, m);
            m = NULL;
            cls = -1;
        }
    }
    if (!m) {
        if (copy) n += AKT__COPY_ALIGN - 1; /* any alignment of the block */
        m = akt__dalloc(n);
        if (!m) return NULL;
        cls = -1;
    }
    /* The embedded envelope is written when it is taken (akt__env_for): zero the rest. */
    memset(m, 0, offsetof(akt_msg, env0));
    atomic_init(&m->env0_busy, 0);
    atomic_init(&m->bytes_state, AKT__BYTES_NONE);
    atomic_init(&m->bytes_owner, NULL);
    atomic_init(&m->type_id, 0);
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
    return AKT__OPS_HAS(ops, release_on) ? (akt__release_q *)(void *)ops->release_on : NULL;
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
        m->ops->release(m->object, akt__ops_data(m->ops));
    } else if (m->free_fn != AKT_BORROW && m->free_fn != AKT_COPY) {
        m->free_fn((void *)m->data);
    }
    if (m->has_hdrs) akt__hdrs_free(m->hdrs);
    /* magic stays and refs is 0: until the block is reused, a release too many finds a
     * message with no references left (AKT_EMISUSE). */
    if (m->pool_cls >= 0)
        akt__pool_put(m->pool_cls, m);
    else
        akt__dfree(m);
}

AKT_API int akt_msg_new_bytes(const char *type, const void *data, size_t len, akt_free_fn free_fn,
                              akt_msg **out) {
    int tl = akt__type_check(type);
    if (tl < 0) return tl;
    /* No object is larger than PTRDIFF_MAX: a longer len is a caller's bug (a negative
     * length cast to size_t, say), and would wrap the size of a copy. */
    if (!out || (!data && len) || len > PTRDIFF_MAX) return AKT_EINVAL;
    int copy = free_fn == AKT_COPY;
    akt_msg *m = akt__msg_alloc((size_t)tl, copy ? len : 0);
    if (!m) return AKT_ENOMEM;
    m->kind = AKT__MSG_BYTES;
    memcpy(m->type, type, (size_t)tl + 1);
    m->len = len;
    m->free_fn = free_fn;
    if (copy) {
        char *dst = akt__copy_at(m, (size_t)tl);
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
    if (!out || !ops || !AKT__OPS_HAS(ops, release) || !ops->release) return AKT_EINVAL;
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
    if (!akt__msg_ok(msg)) return NULL;
    if (msg->type_len) return msg->type;
    /* A typed message: its type's name (relaxed: set before the message was shared). */
    const struct akt_type *t = akt__type_of(
        atomic_load_explicit(&msg->type_id, memory_order_relaxed));
    return t ? t->name : msg->type;
}

/* perf begin: */
AKT_API int akt_msg_new_typed(const akt_type *type, const void *data, size_t len,
                              akt_free_fn free_fn, akt_msg **out) {
    if (!akt__type_ok(type) || !out || (!data && len) || len > PTRDIFF_MAX) return AKT_EINVAL;
    int copy = free_fn == AKT_COPY;
    akt_msg *m = akt__msg_alloc(0, copy ? len : 0);
    if (!m) return AKT_ENOMEM;
    m->kind = AKT__MSG_BYTES;
    m->type[0] = '\0';
    atomic_init(&m->type_id, type->id);
    m->len = len;
    m->free_fn = free_fn;
    if (copy) {
        char *dst = akt__copy_at(m, 0);
        if (len) memcpy(dst, data, len);
        m->data = dst;
    } else {
        m->data = data;
    }
    *out = m;
    return 0;
}

AKT_API int akt_msg_new_typed_object(const akt_type *type, void *object, const akt_object_ops *ops,
                                     akt_msg **out) {
    if (!akt__type_ok(type) || !out || !ops || !AKT__OPS_HAS(ops, release) || !ops->release)
        return AKT_EINVAL;
    akt__release_q *q = akt__ops_release_q(ops);
    if (q && q->magic != AKT__RELQ_MAGIC) return AKT_EINVAL; /* not an external dispatcher */
    akt_msg *m = akt__msg_alloc(0, 0);
    if (!m) return AKT_ENOMEM;
    m->kind = AKT__MSG_OBJECT;
    m->type[0] = '\0';
    atomic_init(&m->type_id, type->id);
    m->object = object;
    m->ops = ops;
    *out = m;
    return 0;
}

AKT_API uint32_t akt_msg_type_id(const akt_msg *msg) {
    if (!akt__msg_ok(msg)) return 0;
    akt_msg *m = (akt_msg *)msg; /* the cache below is the only write */
    /* relaxed: a typed message's id was set before it was shared; a cached one is the
     * same value whoever stored it, and the entry it names is read with acquire. */
    unsigned id = atomic_load_explicit(&m->type_id, memory_order_relaxed);
    if (id || !m->type_len) return id;
    id = akt__type_find(m->type, m->type_len);
    if (id) atomic_store_explicit(&m->type_id, (unsigned short)id, memory_order_relaxed);
    return id;
}

AKT_API int akt_msg_read(akt_msg *msg, void *dst, size_t len) {
    if (!akt__msg_ok(msg) || (!dst && len)) return AKT_EINVAL;
    const void *d;
    size_t n;
    int rc = akt_msg_bytes(msg, &d, &n);
    if (rc) return rc;
    if (n != len) return AKT_ETYPE;
    if (len) memcpy(dst, d, len);
    return 0;
}
/* perf end */

/* This thread won the right to make msg's bytes: runs to_bytes and publishes the result. */
static void akt__bytes_make(akt_msg *msg, akt__to_bytes_fn to_bytes) {
    /* relaxed: only this thread ever compares the owner with its own akt__self, and a
     * thread sees its own stores. */
    atomic_store_explicit(&msg->bytes_owner, &akt__self, memory_order_relaxed);
    void *d = NULL;
    size_t n = 0;
    akt_free_fn f = AKT_BORROW;
    int rc = to_bytes(msg->object, akt__ops_data(msg->ops), &d, &n, &f);
    if (rc == 0 && ((!d && n) || n > PTRDIFF_MAX)) rc = AKT_EINVAL;
    if (rc == 0) {
        msg->data = d;
        msg->len = n;
        msg->free_fn = f == AKT_COPY ? AKT_BORROW : f;
    } else if (f != AKT_BORROW && f != AKT_COPY && d) {
        f(d);
    }
    msg->bytes_rc = rc > 0 ? AKT_EFAILED : rc;
    atomic_store_explicit(&msg->bytes_owner, NULL, memory_order_relaxed);
    /* release: publishes data, len, free_fn and bytes_rc to every acquire load of READY. */
    int prev = atomic_exchange_explicit(&msg->bytes_state, AKT__BYTES_READY, memory_order_release);
    if (prev == AKT__BYTES_WAITED) akt__futex_wake_all(&msg->bytes_state);
}

/* Another thread makes msg's bytes: sleep until it is done. 0, or AKT_EDEADLK when the
 * thread making them is this one (its to_bytes asked for its own message's bytes). */
static int akt__bytes_wait(akt_msg *msg) {
    int st = atomic_load_explicit(&msg->bytes_state, memory_order_acquire);
    while (st != AKT__BYTES_READY) {
        if (atomic_load_explicit(&msg->bytes_owner, memory_order_relaxed) == &akt__self)
            return AKT_EDEADLK;
        /* acquire: a failed CAS may read READY, which ends the loop and must bring the
         * result (announcing a sleeper itself orders nothing). The maker's exchange comes
         * after this CAS in the word's order or before it: either the maker sees WAITED
         * and wakes us, or the futex finds READY and does not sleep. */
        if (st == AKT__BYTES_BUSY &&
            !atomic_compare_exchange_weak_explicit(&msg->bytes_state, &st, AKT__BYTES_WAITED,
                                                   memory_order_acquire, memory_order_acquire))
            continue;
        akt__futex_wait(&msg->bytes_state, AKT__BYTES_WAITED, NULL);
        st = atomic_load_explicit(&msg->bytes_state, memory_order_acquire);
    }
    return 0;
}

AKT_API int akt_msg_bytes(akt_msg *msg, const void **data, size_t *len) {
    if (!akt__msg_ok(msg) || !data || !len) return AKT_EINVAL;
    if (msg->kind == AKT__MSG_OBJECT) {
        akt__to_bytes_fn to_bytes = akt__ops_to_bytes(msg->ops);
        if (!to_bytes) return AKT_ENOTSUP;
        int st = AKT__BYTES_NONE;
        /* Winning (NONE -> BUSY) orders nothing: this thread makes the bytes. Losing may
         * read READY, whose acquire brings the maker's result (C11 wants the success order
         * at least as strong as the failure one, hence acquire twice). */
        if (atomic_compare_exchange_strong_explicit(&msg->bytes_state, &st, AKT__BYTES_BUSY,
                                                    memory_order_acquire, memory_order_acquire)) {
            akt__bytes_make(msg, to_bytes);
        } else if (st != AKT__BYTES_READY) {
            int rc = akt__bytes_wait(msg);
            if (rc) return rc;
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
    uint64_t about = akt__msg_about(msg);
    if (!about) return AKT_ETYPE;
    out->id = about;
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
