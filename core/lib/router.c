/* Routers (akt.h section 11): the router actor and the public functions. The actor owns
 * its routee list; only its own callbacks touch it, so routing needs no lock. A routed
 * tell is one akt_ctx_forward: one envelope, the original sender and asker kept. */
#include "router.h"

#include <stdio.h>
#include <string.h>

#include "actor/reader.h"
#include "actor/send.h"
#include "actor/spawn.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "kernel/cell.h"
#include "kernel/ctx.h"
#include "kernel/envelope.h"
#include "kernel/events.h"
#include "kernel/future.h"

/* How long akt_router_resize and akt_router_routees wait for the router. */
#define AKT__ROUTER_WAIT_NS (INT64_C(10) * 1000000000)

/* ---- routees ---------------------------------------------------------------------- */

static int akt__routees_reserve(akt__router *r, size_t n) {
    if (n <= r->cap) return 0;
    size_t cap = r->cap ? r->cap : 8;
    while (cap < n) cap *= 2;
    uint64_t *v = akt__heap_realloc(&akt__default_heap, r->routees, cap * sizeof *v);
    if (!v) return AKT_ENOMEM;
    r->routees = v;
    r->cap = cap;
    return 0;
}

/* Rebuilds the ring after a change of the routees (consistent hash only). Without memory
 * the old ring stays: routing then falls back on the list for routees that are gone. */
static void akt__routees_changed(akt__router *r) {
    if (r->o.strategy == AKT_ROUTE_CONSISTENT_HASH)
        akt__ring_build(&r->ring, r->routees, r->n, r->o.virtual_nodes);
    if (r->cursor >= r->n) r->cursor = 0;
}

/* Removes every entry of id; 1 if there was one. */
static int akt__routees_remove(akt__router *r, uint64_t id) {
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->routees[i] != id) r->routees[k++] = r->routees[i];
    int found = k != r->n;
    r->n = k;
    return found;
}

/* Spawns one pool routee as a child and watches it. */
static int akt__routee_spawn(akt__router *r, akt_ctx *ctx) {
    int rc = akt__routees_reserve(r, r->n + 1);
    if (rc) return rc;
    void *state = NULL;
    if (r->o.routee_state) {
        rc = r->o.routee_state(r->o.routee_state_data, r->spawned, &state);
        if (rc) return rc < 0 ? rc : AKT_EFAILED;
    }
    char name[32];
    snprintf(name, sizeof name, "routee-%zu", r->spawned);
    akt_spawn_options so;
    akt_spawn_options_init(&so);
    so.name = name;
    so.dispatcher = r->o.routee_dispatcher;
    akt_pid pid;
    rc = akt_ctx_spawn(ctx, &r->routee_behavior, state, &so, &pid);
    if (rc) {
        if (state && r->routee_behavior.free_state) r->routee_behavior.free_state(state);
        return rc;
    }
    r->spawned++;
    akt_ctx_watch(ctx, pid); /* our own fresh child: cannot be refused */
    r->routees[r->n++] = pid.id;
    return 0;
}

static int akt__routees_resize(akt__router *r, akt_ctx *ctx, size_t want) {
    int rc = 0;
    while (r->n < want && rc == 0) rc = akt__routee_spawn(r, ctx);
    while (r->n > want) { /* the newest go; they handle what they were sent already */
        akt_pid pid = {r->routees[--r->n]};
        akt_ctx_unwatch(ctx, pid);
        akt_system *s;
        akt_ctx_system(ctx, &s);
        akt_poison(s, pid);
    }
    akt__routees_changed(r);
    return rc;
}

/* ---- routing ------------------------------------------------------------------------ */

/* The current message has nowhere to go: a dead letter; its asker gets AKT_ESTOPPED. */
static int akt__route_dead_letter(akt_ctx *ctx, akt_msg *msg, const char *reason) {
    akt__ctx *x = akt__ctx_current(ctx);
    akt__publish(x->system, AKT_EVENT_DEAD_LETTER, x->cell, (akt_pid){x->env->sender}, msg, 0,
                 reason);
    if (x->env->reply) akt__future_complete(x->env->reply, AKT_ESTOPPED, NULL);
    return 0;
}

/* Forwards to routees[i], or to the next ones while a routee is gone. */
static int akt__route_from(akt__router *r, akt_ctx *ctx, akt_msg *msg, size_t i) {
    for (size_t k = 0; k < r->n; k++)
        if (akt_ctx_forward(ctx, (akt_pid){r->routees[(i + k) % r->n]}) == 0) return 0;
    return akt__route_dead_letter(ctx, msg, "router: no live routee");
}

static size_t akt__route_index_of(const akt__router *r, uint64_t id) {
    for (size_t i = 0; i < r->n; i++)
        if (r->routees[i] == id) return i;
    return 0;
}

/* Delivers inner to every routee with the current message's sender and asker. */
static int akt__route_all(akt__router *r, akt_ctx *ctx, akt_msg *inner) {
    akt__ctx *x = akt__ctx_current(ctx);
    akt__envelope *e = x->env;
    size_t sent = 0;
    for (size_t i = 0; i < r->n; i++) {
        akt_msg_retain(inner);
        if (e->reply) akt__future_ref(e->reply);
        if (akt__deliver(x->system, (akt_pid){r->routees[i]}, inner, e->sender, e->reply,
                         AKT__ENV_USER) == 0) {
            sent++;
            continue;
        }
        akt_msg_release(inner);
        if (e->reply) akt__future_unref(e->reply);
    }
    return sent ? 0 : akt__route_dead_letter(ctx, inner, "router: no live routee");
}

static int akt__route(akt__router *r, akt_ctx *ctx, akt_msg *msg) {
    if (!r->n) return akt__route_dead_letter(ctx, msg, "router: no live routee");
    switch (r->o.strategy) {
    case AKT_ROUTE_ROUND_ROBIN: {
        size_t i = r->cursor;
        r->cursor = (i + 1) % r->n;
        return akt__route_from(r, ctx, msg, i);
    }
    case AKT_ROUTE_RANDOM:
        return akt__route_from(r, ctx, msg, (size_t)(akt__router_rand(r) % r->n));
    case AKT_ROUTE_BROADCAST:
        return akt__route_all(r, ctx, msg);
    case AKT_ROUTE_CONSISTENT_HASH: {
        uint64_t key = r->o.key ? r->o.key(msg, r->o.key_data) : akt__ring_msg_key(msg);
        uint64_t id = akt__ring_lookup(&r->ring, key);
        return akt__route_from(r, ctx, msg, akt__route_index_of(r, id));
    }
    default:
        if (akt__router_gather(r, ctx, msg) == 0) return 0;
        return akt__route_dead_letter(ctx, msg, "router: out of memory");
    }
}

/* ---- control messages ----------------------------------------------------------------- */

static void akt__bcast_release(void *object, void *ops_data) {
    (void)ops_data;
    akt_msg_release(object);
}
static const akt_object_ops akt__bcast_ops = {.size = sizeof(akt_object_ops),
                                              .release = akt__bcast_release};

/* Answers a control ask: code, then (on 0, for Routees) the routee ids. */
static int akt__router_answer(akt__router *r, akt_ctx *ctx, int code, int with_routees) {
    size_t n = with_routees && code == 0 ? r->n : 0;
    size_t len = 8 + n * 8;
    uint8_t *buf = akt__dalloc(len);
    if (!buf) return 0; /* the asker times out; the router goes on */
    int64_t c = code;
    memcpy(buf, &c, 8);
    if (n) memcpy(buf + 8, r->routees, n * 8);
    akt_msg *m;
    if (akt_msg_new_bytes(AKT__ROUTER_ANSWER, buf, len, AKT_COPY, &m) == 0 &&
        akt_ctx_respond(ctx, m) != 0)
        akt_msg_release(m);
    akt__dfree(buf);
    return 0;
}

static int akt__router_control(akt__router *r, akt_ctx *ctx, akt_msg *msg, const char *type) {
    if (strcmp(type, AKT__ROUTER_ROUTEES) == 0) return akt__router_answer(r, ctx, 0, 1);
    const void *data;
    size_t len;
    uint64_t want = 0;
    if (akt_msg_bytes(msg, &data, &len) == 0 && len == 8) memcpy(&want, data, 8);
    int rc;
    if (!r->o.pool_size)
        rc = AKT_ENOTSUP;
    else if (want == 0 || want > AKT__ROUTER_MAX)
        rc = AKT_EINVAL;
    else
        rc = akt__routees_resize(r, ctx, (size_t)want);
    return akt__router_answer(r, ctx, rc, 0);
}

/* ---- the actor ---------------------------------------------------------------------------- */

static int akt__router_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt__router *r = state;
    const char *type = akt_msg_type(msg);
    if (type[0] == 'a' && strncmp(type, "akt.", 4) == 0) {
        akt_pid gone;
        void *inner;
        if (strcmp(type, AKT_TYPE_TERMINATED) == 0 && akt_msg_pid(msg, &gone) == 0) {
            if (akt__routees_remove(r, gone.id)) akt__routees_changed(r);
            if (!r->n) akt_ctx_stop(ctx, r->self);
            return 0;
        }
        if (akt_msg_object(msg, &akt__bcast_ops, &inner) == 0) return akt__route_all(r, ctx, inner);
        if (strcmp(type, AKT__ROUTER_ROUTEES) == 0 || strcmp(type, AKT__ROUTER_RESIZE) == 0)
            return akt__router_control(r, ctx, msg, type);
    }
    return akt__route(r, ctx, msg);
}

static int akt__router_pre_start(akt_ctx *ctx, void *state) {
    akt__router *r = state;
    if (r->self.id) return 0; /* a restart of the router keeps its routees */
    akt_ctx_self(ctx, &r->self);
    if (!r->o.seed) r->o.seed = (uint64_t)akt__now_ns() ^ r->self.id;
    r->prng = r->o.seed;
    int rc = 0;
    if (r->o.pool_size) {
        rc = akt__routees_resize(r, ctx, r->o.pool_size);
    } else {
        size_t k = 0; /* group: keep the pids that can be watched (dead ones leave soon) */
        for (size_t i = 0; i < r->n; i++)
            if (akt_ctx_watch(ctx, (akt_pid){r->routees[i]}) == 0) r->routees[k++] = r->routees[i];
        r->n = k;
        akt__routees_changed(r);
    }
    if (rc == 0 && !r->n) akt_ctx_stop(ctx, r->self);
    return rc;
}

static void akt__router_free(void *state) {
    akt__router *r = state;
    akt__ring_free(&r->ring);
    akt__dfree(r->routees);
    if (r->o.routee_data_free) r->o.routee_data_free(r->o.routee_state_data);
    akt__dfree(r);
}

static const akt_behavior akt__router_behavior = {.size = sizeof(akt_behavior),
                                                  .receive = akt__router_receive,
                                                  .pre_start = akt__router_pre_start,
                                                  .free_state = akt__router_free};

/* ---- public functions ------------------------------------------------------------------- */

AKT_API int akt_router_options_init(akt_router_options *options) {
    if (!options) return AKT_EINVAL;
    memset(options, 0, sizeof *options);
    options->size = sizeof *options;
    options->strategy = AKT_ROUTE_ROUND_ROBIN;
    options->failure_policy = AKT_ROUTEE_STOP;
    return 0;
}

static int akt__router_options_ok(const akt_router_options *o) {
    if (o->strategy < AKT_ROUTE_ROUND_ROBIN || o->strategy > AKT_ROUTE_TAIL_CHOPPING) return 0;
    if (!o->pool_size == !o->routee_count) return 0; /* exactly one of pool and group */
    if (o->pool_size > AKT__ROUTER_MAX || o->routee_count > AKT__ROUTER_MAX) return 0;
    if (o->pool_size &&
        (!o->routee_behavior || o->routee_behavior->size < offsetof(akt_behavior, pre_start) ||
         !o->routee_behavior->receive))
        return 0;
    if (o->routee_count && !o->routees) return 0;
    if (o->virtual_nodes > AKT__ROUTER_MAX_VNODES) return 0;
    if (o->strategy >= AKT_ROUTE_SCATTER_GATHER_FIRST && o->within_ns <= 0) return 0;
    if (o->strategy == AKT_ROUTE_TAIL_CHOPPING && o->interval_ns <= 0) return 0;
    if (o->failure_policy < AKT_ROUTEE_STOP || o->failure_policy > AKT_ROUTEE_RESUME) return 0;
    if (o->max_retries && o->retry_within_ns <= 0) return 0;
    return 1;
}

AKT_API int akt_router_spawn(akt_system *system, akt_ctx *parent, const char *name,
                             const akt_router_options *options, akt_pid *out) {
    if (!system || !options || !out || options->size < sizeof(akt_router_options))
        return AKT_EINVAL;
    if (!akt__router_options_ok(options)) return AKT_EINVAL;
    akt_system *ps = system;
    int prc = parent ? akt_ctx_system(parent, &ps) : 0;
    if (prc) return prc;
    if (ps != system) return AKT_EINVAL; /* a parent of another system */
    akt__router *r = akt__dalloc(sizeof *r);
    if (!r) return AKT_ENOMEM;
    memset(r, 0, sizeof *r);
    r->o = *options;
    r->o.size = sizeof r->o;
    if (!r->o.virtual_nodes) r->o.virtual_nodes = 150;
    if (r->o.pool_size) {
        size_t bs = r->o.routee_behavior->size;
        memcpy(&r->routee_behavior, r->o.routee_behavior,
               bs < sizeof(akt_behavior) ? bs : sizeof(akt_behavior));
        r->routee_behavior.size = sizeof(akt_behavior);
        r->o.routee_behavior = NULL;
    } else {
        if (akt__routees_reserve(r, r->o.routee_count)) {
            akt__dfree(r);
            return AKT_ENOMEM;
        }
        for (size_t i = 0; i < r->o.routee_count; i++) r->routees[i] = r->o.routees[i].id;
        r->n = r->o.routee_count;
        r->o.routees = NULL;
    }
    static const int directive[] = {AKT_DIRECTIVE_STOP, AKT_DIRECTIVE_RESTART,
                                    AKT_DIRECTIVE_RESUME};
    akt_supervisor sup = {.size = sizeof sup,
                          .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                          .default_directive = directive[r->o.failure_policy],
                          .max_retries = r->o.max_retries,
                          .within_ns = r->o.retry_within_ns};
    akt_spawn_options so;
    akt_spawn_options_init(&so);
    so.name = name;
    so.dispatcher = r->o.dispatcher;
    so.supervisor = &sup;
    /* Not akt_spawn, which waits for pre_start: the routees' factory may need a lock its
     * caller holds (a binding's interpreter lock); routees start before the first message
     * reaches the router anyway. */
    akt__relay_receive(akt__router_behavior.receive); /* it passes messages on */
    int rc = parent ? akt_ctx_spawn(parent, &akt__router_behavior, r, &so, out)
                    : akt__spawn_under(system, AKT__GUARDIAN, &akt__router_behavior, r, &so, out);
    if (rc) {
        r->o.routee_data_free = NULL; /* the caller keeps its data on failure */
        akt__router_free(r);
    }
    return rc;
}

AKT_API int akt_router_broadcast(akt_system *system, akt_pid router, akt_msg *msg) {
    if (!system || akt_msg_retain(msg) != 0) return AKT_EINVAL;
    akt_msg *wrap;
    int rc = akt_msg_new_object(AKT__ROUTER_BROADCAST, msg, &akt__bcast_ops, &wrap);
    if (rc) {
        akt_msg_release(msg);
        return rc;
    }
    rc = akt_tell(system, router, wrap);
    akt_msg_release(rc ? wrap : msg); /* on failure the wrapper drops our extra reference */
    return rc;
}

/* Asks router a control message and returns the answer's code; *ids and *n get the ids that
 * follow it (borrowed from *reply, which the caller releases). */
static int akt__router_ask(akt_system *s, akt_pid router, const char *type, const void *data,
                           size_t len, akt_msg **reply, const uint64_t **ids, size_t *n) {
    akt_msg *m;
    int rc = akt_msg_new_bytes(type, data, len, AKT_COPY, &m);
    if (rc) return rc;
    akt_future *f;
    rc = akt_ask(s, router, m, AKT__ROUTER_WAIT_NS, &f);
    if (rc) {
        akt_msg_release(m);
        return rc;
    }
    rc = akt_future_wait(f, -1, reply);
    akt_future_release(f);
    if (rc == AKT_ESTOPPED) return AKT_ENOTFOUND;
    if (rc == AKT_EUNHANDLED) return AKT_EINVAL; /* not a router */
    if (rc) return rc;
    const void *b;
    size_t blen;
    int64_t code;
    if (strcmp(akt_msg_type(*reply), AKT__ROUTER_ANSWER) != 0 ||
        akt_msg_bytes(*reply, &b, &blen) != 0 || blen < 8 || (blen - 8) % 8) {
        akt_msg_release(*reply);
        *reply = NULL;
        return AKT_EINVAL;
    }
    memcpy(&code, b, 8);
    /* AKT_COPY data is aligned: the ids can be read in place. */
    *ids = (const uint64_t *)((const uint8_t *)b + 8);
    *n = (blen - 8) / 8;
    return (int)code;
}

AKT_API int akt_router_resize(akt_system *system, akt_pid router, size_t n) {
    if (!system) return AKT_EINVAL;
    if (n == 0 || n > AKT__ROUTER_MAX) return AKT_EINVAL;
    uint64_t want = n;
    akt_msg *reply = NULL;
    const uint64_t *ids;
    size_t count;
    int rc = akt__router_ask(system, router, AKT__ROUTER_RESIZE, &want, sizeof want, &reply, &ids,
                             &count);
    if (reply) akt_msg_release(reply);
    return rc;
}

AKT_API int akt_router_routees(akt_system *system, akt_pid router, akt_pid *pids, size_t cap,
                               size_t *count) {
    if (!system || !count || (cap && !pids)) return AKT_EINVAL;
    akt_msg *reply = NULL;
    const uint64_t *ids;
    size_t n;
    int rc = akt__router_ask(system, router, AKT__ROUTER_ROUTEES, NULL, 0, &reply, &ids, &n);
    if (rc == 0) {
        for (size_t i = 0; i < n && i < cap; i++) pids[i].id = ids[i];
        *count = n;
        if (n > cap) rc = AKT_ERANGE;
    }
    if (reply) akt_msg_release(reply);
    return rc;
}
