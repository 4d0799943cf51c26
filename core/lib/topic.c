/* Topics: publish / subscribe through one topic actor per system (/user/$topics).
 *
 * Every operation is a message to that actor, so it owns the registry alone (no lock) and
 * the operations of one thread take effect in the order they were made. The actor watches
 * each subscriber and drops it from every topic when it stops. A publish forwards the
 * published message itself to each subscriber with the publisher as sender: one envelope
 * and one reference per subscriber, no copy. The registry is a hash table of topics, each
 * with its subscribers in subscription order; `watched` holds each subscriber once.
 *
 * The topic actor is started on first use and its pid kept in a part of the system
 * (kernel/sys.h), found with akt__part_find. */
#include <akt/akt.h>
#include <pthread.h>
#include <string.h>

#include "actor/reader.h"
#include "actor/send.h"
#include "actor/spawn.h"
#include "base/alloc.h"
#include "base/vec.h"
#include "kernel/msg.h"
#include "kernel/sys.h"

#define AKT__TOPIC_MAX 255
#define AKT__TOPIC_OP_TYPE "akt.topic.Op"

enum { AKT__TOPIC_SUB, AKT__TOPIC_UNSUB, AKT__TOPIC_PUB, AKT__TOPIC_COUNT };

/* One operation, the object of an AKT__TOPIC_OP_TYPE message. */
typedef struct akt__topic_op {
    akt__heap *heap;
    int op;
    akt_pid pid;  /* sub / unsub: the subscriber */
    akt_msg *msg; /* pub: the message published (owned until forwarded) */
    size_t topic_len;
    char topic[]; /* NUL-terminated */
} akt__topic_op;

typedef struct akt__topic {
    struct akt__topic *next; /* hash chain */
    uint64_t hash;
    akt__vec subs; /* pid ids, in subscription order */
    size_t len;
    char name[];
} akt__topic;

typedef struct akt__topics {
    akt_system *system;
    akt__topic **buckets;
    uint32_t nbuckets, ntopics;
    akt__vec watched; /* pid ids of every subscriber, once each */
} akt__topics;

typedef struct akt__topics_part {
    akt__part part;
    akt_pid pid;
} akt__topics_part;

static const char akt__topics_key; /* the part's key: its address */
/* Serialises the first use's spawn of the topic actor (rare: once per system). */
static pthread_mutex_t akt__topics_start = PTHREAD_MUTEX_INITIALIZER;

static void akt__op_release(void *object, void *ops_data) {
    (void)ops_data;
    akt__topic_op *op = object;
    if (op->msg) akt_msg_release(op->msg);
    akt__heap_free(op->heap, op);
}

static const akt_object_ops akt__op_ops = {sizeof(akt_object_ops), akt__op_release, NULL, NULL,
                                           NULL};

static uint64_t akt__topic_hash(const char *p, size_t n) {
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static akt__topic **akt__topic_slot(akt__topics *t, const char *name, size_t len, uint64_t h) {
    akt__topic **p = &t->buckets[h & (t->nbuckets - 1)];
    while (*p && !((*p)->hash == h && (*p)->len == len && !memcmp((*p)->name, name, len)))
        p = &(*p)->next;
    return p;
}

static int akt__topics_grow(akt__topics *t) {
    uint32_t n = t->nbuckets ? t->nbuckets * 2 : 16;
    akt__topic **b = akt__heap_calloc(&t->system->heap, n * sizeof *b);
    if (!b) return AKT_ENOMEM;
    for (uint32_t i = 0; i < t->nbuckets; i++) {
        for (akt__topic *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    akt__heap_free(&t->system->heap, t->buckets);
    t->buckets = b;
    t->nbuckets = n;
    return 0;
}

static void akt__topic_drop(akt__topics *t, akt__topic **slot) {
    akt__topic *e = *slot;
    *slot = e->next;
    akt__vec_free(&t->system->heap, &e->subs);
    akt__heap_free(&t->system->heap, e);
    t->ntopics--;
}

/* Whether pid is a subscriber of any topic. */
static int akt__topics_has(const akt__topics *t, uint64_t id) {
    for (uint32_t i = 0; i < t->nbuckets; i++)
        for (const akt__topic *e = t->buckets[i]; e; e = e->next)
            if (akt__vec_find(&e->subs, id) >= 0) return 1;
    return 0;
}

static int akt__topic_sub(akt_ctx *ctx, akt__topics *t, const akt__topic_op *op, int64_t *count) {
    akt_system *s = t->system;
    if (t->ntopics + 1 > t->nbuckets / 4 * 3 && akt__topics_grow(t)) return AKT_ENOMEM;
    uint64_t h = akt__topic_hash(op->topic, op->topic_len);
    akt__topic **slot = akt__topic_slot(t, op->topic, op->topic_len, h);
    akt__topic *e = *slot;
    if (!e) {
        e = akt__heap_calloc(&s->heap, sizeof *e + op->topic_len + 1);
        if (!e) return AKT_ENOMEM;
        e->hash = h;
        e->len = op->topic_len;
        memcpy(e->name, op->topic, op->topic_len + 1);
        *slot = e;
        t->ntopics++;
    }
    int rc = 0;
    if (akt__vec_find(&e->subs, op->pid.id) < 0) {
        int watched = akt__vec_find(&t->watched, op->pid.id) >= 0;
        rc = watched ? 0 : akt__vec_push(&s->heap, &t->watched, op->pid.id);
        if (!rc && !watched && akt_ctx_watch(ctx, op->pid) != 0) {
            /* Gone already: it can never receive, so it is not subscribed. */
            t->watched.n--;
            rc = AKT_ENOTFOUND;
        }
        if (!rc) rc = akt__vec_push(&s->heap, &e->subs, op->pid.id);
    }
    *count = (int64_t)e->subs.n;
    if (!e->subs.n) akt__topic_drop(t, slot);
    return rc;
}

static void akt__topics_forget(akt_ctx *ctx, akt__topics *t, uint64_t id, int unwatch) {
    if (akt__topics_has(t, id)) return;
    akt__vec_remove(&t->watched, id);
    if (unwatch) akt_ctx_unwatch(ctx, (akt_pid){id});
}

static int64_t akt__topic_unsub(akt_ctx *ctx, akt__topics *t, const akt__topic_op *op) {
    if (!t->nbuckets) return 0;
    uint64_t h = akt__topic_hash(op->topic, op->topic_len);
    akt__topic **slot = akt__topic_slot(t, op->topic, op->topic_len, h);
    if (!*slot) return 0;
    akt__vec_remove(&(*slot)->subs, op->pid.id);
    int64_t n = (int64_t)(*slot)->subs.n;
    if (!n) akt__topic_drop(t, slot);
    akt__topics_forget(ctx, t, op->pid.id, 1);
    return n;
}

/* A subscriber stopped: out of every topic. */
static void akt__topics_gone(akt_ctx *ctx, akt__topics *t, uint64_t id) {
    for (uint32_t i = 0; i < t->nbuckets; i++) {
        akt__topic **p = &t->buckets[i];
        while (*p) {
            akt__vec_remove(&(*p)->subs, id);
            if (!(*p)->subs.n)
                akt__topic_drop(t, p);
            else
                p = &(*p)->next;
        }
    }
    akt__topics_forget(ctx, t, id, 0);
}

static void akt__topic_pub(akt_ctx *ctx, akt__topics *t, akt__topic_op *op) {
    if (!t->nbuckets) return;
    akt__topic *e = *akt__topic_slot(t, op->topic, op->topic_len,
                                     akt__topic_hash(op->topic, op->topic_len));
    if (!e) return;
    akt_pid from = {0};
    akt_ctx_sender(ctx, &from);
    for (uint32_t i = 0; i < e->subs.n; i++) {
        akt_msg *m = op->msg;
        /* The last subscriber takes the op's reference; the others one each. */
        if (i + 1 < e->subs.n) {
            akt_msg_retain(m);
        } else {
            op->msg = NULL;
        }
        /* A subscriber that stopped meanwhile is dropped when its Terminated arrives. */
        if (akt__deliver(t->system, (akt_pid){e->subs.v[i]}, m, from.id, NULL, AKT__ENV_USER))
            akt_msg_release(m);
    }
}

static int akt__topics_reply(akt_ctx *ctx, int64_t count) {
    int expected = 0;
    if (akt_ctx_reply_expected(ctx, &expected) || !expected) return 0;
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)count >> (8 * i));
    akt_msg *r;
    int rc = akt_msg_new_bytes(AKT_TYPE_INT64, b, sizeof b, AKT_COPY, &r);
    if (rc) return rc;
    rc = akt_ctx_respond(ctx, r);
    if (rc) akt_msg_release(r);
    return 0;
}

static int akt__topics_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt__topics *t = state;
    akt__topic_op *op;
    if (akt_msg_object(msg, &akt__op_ops, (void **)&op) != 0) {
        akt_pid gone;
        if (strcmp(akt_msg_type(msg), AKT_TYPE_TERMINATED) || akt_msg_pid(msg, &gone))
            return AKT_EUNHANDLED;
        akt__topics_gone(ctx, t, gone.id);
        return 0;
    }
    int64_t count = 0;
    switch (op->op) {
    case AKT__TOPIC_SUB: {
        int rc = akt__topic_sub(ctx, t, op, &count);
        /* A subscriber gone by now is not a failure of the topic actor. */
        if (rc == AKT_ENOMEM) return akt_ctx_fail(ctx, "topics: out of memory");
        return akt__topics_reply(ctx, count);
    }
    case AKT__TOPIC_UNSUB:
        return akt__topics_reply(ctx, akt__topic_unsub(ctx, t, op));
    case AKT__TOPIC_PUB:
        akt__topic_pub(ctx, t, op);
        return 0;
    default: { /* AKT__TOPIC_COUNT */
        akt__topic *e = t->nbuckets ? *akt__topic_slot(t, op->topic, op->topic_len,
                                                       akt__topic_hash(op->topic, op->topic_len))
                                    : NULL;
        return akt__topics_reply(ctx, e ? (int64_t)e->subs.n : 0);
    }
    }
}

static void akt__topics_free(void *state) {
    akt__topics *t = state;
    akt__heap *h = &t->system->heap;
    for (uint32_t i = 0; i < t->nbuckets; i++) {
        akt__topic **p = &t->buckets[i];
        while (*p) akt__topic_drop(t, p);
    }
    akt__heap_free(h, t->buckets);
    akt__vec_free(h, &t->watched);
    akt__heap_free(h, t);
}

static void akt__topics_part_free(akt_system *s, akt__part *p) { akt__heap_free(&s->heap, p); }

/* The topic actor's pid, started on first use. */
static int akt__topics_pid(akt_system *s, akt_pid *out) {
    akt__part *p = akt__part_find(s, &akt__topics_key);
    if (p) {
        *out = ((akt__topics_part *)p)->pid;
        return 0;
    }
    pthread_mutex_lock(&akt__topics_start);
    int rc = 0;
    p = akt__part_find(s, &akt__topics_key);
    if (!p) {
        akt__topics_part *tp = akt__heap_calloc(&s->heap, sizeof *tp);
        akt__topics *t = tp ? akt__heap_calloc(&s->heap, sizeof *t) : NULL;
        if (!t) {
            akt__heap_free(&s->heap, tp);
            rc = AKT_ENOMEM;
        } else {
            t->system = s;
            akt_behavior b = {sizeof b, akt__topics_receive, NULL, NULL, akt__topics_free, NULL};
            akt_spawn_options o;
            akt_spawn_options_init(&o);
            o.name = "$topics";
            akt__relay_receive(b.receive); /* it passes messages on */
            rc = akt__spawn_reserved(s, &b, t, &o, &tp->pid);
            if (rc) {
                akt__heap_free(&s->heap, t);
                akt__heap_free(&s->heap, tp);
            } else {
                tp->part.key = &akt__topics_key;
                tp->part.free = akt__topics_part_free;
                pthread_mutex_lock(&s->lock);
                akt__part_add_locked(s, &tp->part);
                pthread_mutex_unlock(&s->lock);
                p = &tp->part;
            }
        }
    }
    pthread_mutex_unlock(&akt__topics_start);
    if (!rc) *out = ((akt__topics_part *)p)->pid;
    return rc;
}

static int akt__topic_check(const char *topic, size_t *len) {
    if (!topic) return AKT_EINVAL;
    *len = strnlen(topic, AKT__TOPIC_MAX + 1);
    return *len == 0 || *len > AKT__TOPIC_MAX ? AKT_EINVAL : 0;
}

static int akt__sys_open(akt_system *s) {
    if (!s) return AKT_EINVAL;
    return akt__sys_closed(s) ? AKT_ECLOSED : 0;
}

/* Sends one operation to the topic actor: a tell, or an ask when ack is non-NULL. msg is
 * taken on success. */
static int akt__topic_send(akt_system *s, const char *topic, int op, akt_pid pid, akt_msg *msg,
                           int64_t timeout_ns, akt_future **ack) {
    size_t len;
    int rc = akt__sys_open(s);
    if (!rc) rc = akt__topic_check(topic, &len);
    if (rc) return rc;
    if (timeout_ns < 0) return AKT_EINVAL;
    akt_pid to;
    rc = akt__topics_pid(s, &to);
    if (rc) return rc;
    akt__topic_op *o = akt__heap_alloc(&s->heap, sizeof *o + len + 1);
    if (!o) return AKT_ENOMEM;
    o->heap = &s->heap;
    o->op = op;
    o->pid = pid;
    o->msg = NULL;
    o->topic_len = len;
    memcpy(o->topic, topic, len + 1);
    akt_msg *m;
    rc = akt_msg_new_object(AKT__TOPIC_OP_TYPE, o, &akt__op_ops, &m);
    if (rc) {
        akt__heap_free(&s->heap, o);
        return rc;
    }
    o->msg = msg; /* from here the op owns msg; on failure below the caller keeps it */
    rc = ack ? akt_ask(s, to, m, timeout_ns, ack) : akt_tell(s, to, m);
    if (rc) {
        o->msg = NULL;
        akt_msg_release(m);
        /* The topic actor is gone only when the system stops. */
        if (rc == AKT_ENOTFOUND) rc = AKT_ECLOSED;
    }
    return rc;
}

static int akt__subscriber_check(akt_system *s, akt_pid pid) {
    int rc = akt_pid_is_alive(s, pid);
    return rc < 0 ? rc : rc ? 0 : AKT_ENOTFOUND;
}

AKT_API int akt_topic_subscribe(akt_system *system, const char *topic, akt_pid subscriber,
                                int64_t timeout_ns, akt_future **ack) {
    int rc = akt__sys_open(system);
    if (!rc) rc = akt__subscriber_check(system, subscriber);
    return rc ? rc
              : akt__topic_send(system, topic, AKT__TOPIC_SUB, subscriber, NULL, timeout_ns, ack);
}

AKT_API int akt_topic_unsubscribe(akt_system *system, const char *topic, akt_pid subscriber,
                                  int64_t timeout_ns, akt_future **ack) {
    return akt__topic_send(system, topic, AKT__TOPIC_UNSUB, subscriber, NULL, timeout_ns, ack);
}

AKT_API int akt_topic_publish(akt_system *system, const char *topic, akt_msg *msg) {
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    return akt__topic_send(system, topic, AKT__TOPIC_PUB, (akt_pid){0}, msg, 0, NULL);
}

AKT_API int akt_topic_count(akt_system *system, const char *topic, int64_t timeout_ns,
                            akt_future **out) {
    if (!out) return AKT_EINVAL;
    return akt__topic_send(system, topic, AKT__TOPIC_COUNT, (akt_pid){0}, NULL, timeout_ns, out);
}

/* The callback subscription's actor. */
typedef struct akt__topic_fn_state {
    akt_topic_fn fn;
    void *data;
    akt_free_fn free_data;
    akt_system *system;
    akt__heap *heap;
    char topic[];
} akt__topic_fn_state;

static int akt__topic_fn_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    akt__topic_fn_state *f = state;
    f->fn(f->system, f->topic, msg, f->data);
    return 0;
}

static void akt__topic_fn_free(void *state) {
    akt__topic_fn_state *f = state;
    if (f->free_data) f->free_data(f->data);
    akt__heap_free(f->heap, f);
}

AKT_API int akt_topic_subscribe_fn(akt_system *system, const char *topic, akt_topic_fn fn,
                                   void *data, akt_free_fn free_data, akt_pid *out) {
    size_t len;
    if (!system || !fn || !out || akt__topic_check(topic, &len)) return AKT_EINVAL;
    /* From here data is taken: free_data runs once whatever happens. */
    akt__topic_fn_state *f = akt__heap_alloc(&system->heap, sizeof *f + len + 1);
    int rc = f ? akt__sys_open(system) : AKT_ENOMEM;
    if (rc) {
        akt__heap_free(&system->heap, f);
        if (free_data) free_data(data);
        return rc;
    }
    *f = (akt__topic_fn_state){fn, data, free_data, system, &system->heap};
    memcpy(f->topic, topic, len + 1);
    akt_behavior b = {sizeof b, akt__topic_fn_receive, NULL, NULL, akt__topic_fn_free, NULL};
    akt_pid pid;
    rc = akt_spawn(system, &b, f, NULL, &pid);
    if (rc) {
        akt__topic_fn_free(f);
        return rc;
    }
    /* The actor owns f now: if the subscription fails (the system is stopping, or out of
     * memory) stopping it runs free_data. */
    rc = akt_topic_subscribe(system, topic, pid, 0, NULL);
    if (rc) {
        akt_stop(system, pid);
        return rc;
    }
    *out = pid;
    return 0;
}
