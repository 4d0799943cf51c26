/* Routers for Node (akt.h section 11): group routers over pids of any language, and pools
 * of JS actors (their cells made on the JS thread beforehand, see an_pool). The
 * router is a C actor on akt's workers, so the JS thread may wait for its answers
 * (routees, resize) without deadlock. */
#include "addon.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define AN_ROUTER_MAX 65536u

static int64_t ms_to_ns(napi_env env, napi_value v) {
    double ms = 0;
    if (napi_get_value_double(env, v, &ms) != napi_ok || !(ms > 0) || ms > 9.2e12) return 0;
    int64_t ns = (int64_t)(ms * 1e6);
    return ns > 0 ? ns : 1;
}

static uint64_t header_key(const akt_msg *msg, void *data);

/* routerSpawn(handle, name, strategy, pids (flat lo, hi, ...), withinMs, intervalMs, seed,
 * keyed) -> the router's pid in scratch[AN_SCR_PID]; keyed: consistent hashing reads the
 * key a Router handle's send computed (routerSendKeyed). */
static napi_value RouterSpawn(napi_env env, napi_callback_info info) {
    AN_ARGS(8);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char nbuf[256];
    char *name = an_opt_string(I, env, argv[1], nbuf, sizeof nbuf);
    if (name == (char *)-1) return NULL;
    akt_router_options o;
    akt_router_options_init(&o);
    int32_t strategy = -1;
    uint32_t len = 0;
    bool is_array = false;
    napi_is_array(env, argv[3], &is_array);
    if (napi_get_value_int32(env, argv[2], &strategy) != napi_ok || !is_array ||
        napi_get_array_length(env, argv[3], &len) != napi_ok || len % 2 || len / 2 > AN_ROUTER_MAX)
        return an_throw(env, I, AKT_EINVAL);
    o.strategy = strategy;
    o.within_ns = ms_to_ns(env, argv[4]);
    o.interval_ns = ms_to_ns(env, argv[5]);
    double seed = 0;
    napi_get_value_double(env, argv[6], &seed);
    o.seed = seed > 0 ? (uint64_t)seed : 0;
    bool keyed = false;
    napi_get_value_bool(env, argv[7], &keyed);
    if (keyed) o.key = header_key;
    akt_pid *pids = calloc(len / 2 ? len / 2 : 1, sizeof *pids);
    if (!pids) return an_throw(env, I, AKT_ENOMEM);
    for (uint32_t i = 0; i < len / 2; i++) {
        napi_value lo, hi;
        napi_get_element(env, argv[3], 2 * i, &lo);
        napi_get_element(env, argv[3], 2 * i + 1, &hi);
        if (!an_get_pid(I, env, lo, hi, &pids[i])) {
            free(pids);
            return NULL;
        }
    }
    o.routees = pids;
    o.routee_count = len / 2;
    akt_pid pid;
    int rc = akt_router_spawn(s->sys, NULL, name, &o, &pid);
    free(pids);
    if (rc) return an_throw(env, I, rc);
    an_put_pid(I, AN_SCR_PID, pid);
    return NULL;
}

/* ---- pools: routees that are JS actors -------------------------------------------- */

/* A pool's cells, made on the JS thread before akt asks for them: the router (on akt's
 * workers, so that the JS thread may wait for it) takes one per new routee. refs: the
 * router's (until it is gone) and the JS handle's (until it is collected). */
typedef struct an_pool {
    an_inst *inst;
    an_sys *sys;
    atomic_int refs;
    pthread_mutex_t mu;
    int32_t *ids; /* cells waiting to become routees, taken in order from head */
    size_t head, n, cap;
} an_pool;

static void pool_unref(void *data) {
    an_pool *p = data;
    /* acq_rel: the last owner sees what the other did before letting go. */
    if (atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1) return;
    pthread_mutex_destroy(&p->mu);
    free(p->ids);
    free(p);
}

static void pool_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    pool_unref(data);
}

/* The router's thread: a routee's state from the next cell JS made (none: AKT_EFAILED,
 * the routee is not spawned). */
static int pool_state(void *data, size_t index, void **state) {
    (void)index;
    an_pool *p = data;
    pthread_mutex_lock(&p->mu);
    int32_t id = p->head < p->n ? p->ids[p->head++] : -1;
    if (p->head == p->n) p->head = p->n = 0;
    pthread_mutex_unlock(&p->mu);
    if (id < 0) return AKT_EFAILED;
    an_actor *a = calloc(1, sizeof *a);
    if (!a) {
        pthread_mutex_lock(&p->mu);
        if (p->head > 0)
            p->ids[--p->head] = id; /* back in front: its slot is free */
        else if (p->n < p->cap) {
            memmove(p->ids + 1, p->ids, p->n * sizeof *p->ids);
            p->ids[0] = id;
            p->n++;
        } /* else: the cell stays unused until JS drains the pool */
        pthread_mutex_unlock(&p->mu);
        return AKT_ENOMEM;
    }
    a->inst = p->inst;
    a->sys = p->sys;
    a->id = id;
    a->sup = (akt_supervisor){.size = sizeof(akt_supervisor),
                              .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                              .default_directive = AKT_DIRECTIVE_RESTART};
    *state = a;
    return 0;
}

/* Appends the cell ids of the JS array v; 0 or an AKT_E* code. */
static int pool_feed(napi_env env, an_pool *p, napi_value v) {
    bool is = false;
    uint32_t n = 0;
    if (napi_is_array(env, v, &is) != napi_ok || !is ||
        napi_get_array_length(env, v, &n) != napi_ok)
        return AKT_EINVAL;
    pthread_mutex_lock(&p->mu);
    int rc = 0;
    if (p->head) { /* compact: what was taken leaves room at the front */
        memmove(p->ids, p->ids + p->head, (p->n - p->head) * sizeof *p->ids);
        p->n -= p->head;
        p->head = 0;
    }
    if (p->n + n > p->cap) {
        size_t cap = p->n + n;
        int32_t *ids = realloc(p->ids, cap * sizeof *ids);
        if (ids) {
            p->ids = ids;
            p->cap = cap;
        } else {
            rc = AKT_ENOMEM;
        }
    }
    for (uint32_t i = 0; !rc && i < n; i++) {
        napi_value e;
        int32_t id = -1;
        if (napi_get_element(env, v, i, &e) != napi_ok ||
            napi_get_value_int32(env, e, &id) != napi_ok || id < 0)
            rc = AKT_EINVAL;
        else
            p->ids[p->n++] = id;
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* routerSpawnPool(handle, name, strategy, cellIds, withinMs, intervalMs, seed, failure,
 * maxRetries, retryWithinMs, keyed) -> the pool's handle; the router's pid in
 * scratch[AN_SCR_PID]. The routees are JS actors on this thread; the router itself runs on
 * akt's workers. keyed as for routerSpawn. */
static napi_value RouterSpawnPool(napi_env env, napi_callback_info info) {
    AN_ARGS(11);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char nbuf[256];
    char *name = an_opt_string(I, env, argv[1], nbuf, sizeof nbuf);
    if (name == (char *)-1) return NULL;
    int32_t strategy = -1, failure = 0;
    double seed = 0, retries = 0;
    uint32_t size = 0;
    napi_get_value_int32(env, argv[2], &strategy);
    napi_get_array_length(env, argv[3], &size);
    napi_get_value_double(env, argv[6], &seed);
    napi_get_value_int32(env, argv[7], &failure);
    napi_get_value_double(env, argv[8], &retries);
    if (size < 1 || size > AN_ROUTER_MAX || !(retries >= 0) || retries > UINT32_MAX)
        return an_throw(env, I, AKT_EINVAL);
    an_pool *p = calloc(1, sizeof *p);
    if (!p) return an_throw(env, I, AKT_ENOMEM);
    p->inst = I;
    p->sys = s;
    atomic_init(&p->refs, 2); /* the router's and the handle's */
    pthread_mutex_init(&p->mu, NULL);
    int rc = pool_feed(env, p, argv[3]);
    napi_value handle = NULL;
    if (!rc && napi_create_external(env, p, pool_finalize, NULL, &handle) != napi_ok)
        rc = AKT_ENOMEM;
    if (rc) {
        atomic_store_explicit(&p->refs, 1, memory_order_relaxed); /* nobody else has it */
        pool_unref(p);
        return an_throw(env, I, rc);
    }
    akt_router_options o;
    akt_router_options_init(&o);
    o.strategy = strategy;
    o.pool_size = size;
    o.routee_behavior = &an_js_behavior;
    o.routee_state = pool_state;
    o.routee_state_data = p;
    o.routee_data_free = pool_unref;
    o.routee_dispatcher = s->disp;
    o.within_ns = ms_to_ns(env, argv[4]);
    o.interval_ns = ms_to_ns(env, argv[5]);
    o.seed = seed > 0 ? (uint64_t)seed : 0;
    o.failure_policy = failure;
    o.max_retries = (uint32_t)retries;
    o.retry_within_ns = ms_to_ns(env, argv[9]);
    bool keyed = false;
    napi_get_value_bool(env, argv[10], &keyed);
    if (keyed) o.key = header_key;
    akt_pid pid;
    rc = akt_router_spawn(s->sys, NULL, name, &o, &pid);
    if (rc) {
        pool_unref(p); /* the router's reference: not taken; the handle keeps the other */
        return an_throw(env, I, rc);
    }
    an_put_pid(I, AN_SCR_PID, pid);
    return handle;
}

/* routerPoolFeed(pool, cellIds): cells for the routees a resize will spawn. */
static napi_value RouterPoolFeed(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_pool *p = NULL;
    if (napi_get_value_external(env, argv[0], (void **)&p) != napi_ok || !p)
        return an_throw(env, I, AKT_EINVAL);
    int rc = pool_feed(env, p, argv[1]);
    return rc ? an_throw(env, I, rc) : NULL;
}

/* routerPoolDrain(pool) -> the ids of the cells no routee took (JS drops them). */
static napi_value RouterPoolDrain(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_pool *p = NULL;
    if (napi_get_value_external(env, argv[0], (void **)&p) != napi_ok || !p)
        return an_throw(env, I, AKT_EINVAL);
    napi_value arr;
    pthread_mutex_lock(&p->mu);
    napi_create_array_with_length(env, p->n - p->head, &arr);
    for (size_t i = p->head; i < p->n; i++) {
        napi_value v;
        napi_create_int32(env, p->ids[i], &v);
        napi_set_element(env, arr, (uint32_t)(i - p->head), v);
    }
    p->head = p->n = 0;
    pthread_mutex_unlock(&p->mu);
    return arr;
}

/* ---- consistent hashing's key, computed by JS at the send ------------------------- */

/* The header a keyed send carries: the ring position, 8 bytes little-endian. The router
 * (on akt's workers) reads it; JS cannot run there. */
#define AN_ROUTE_KEY_HEADER "akt.route.key"

static uint64_t an_fnv1a(const uint8_t *p, size_t n) {
    uint64_t h = UINT64_C(0xcbf29ce484222325); /* FNV-1a, as Python's and Java's keys */
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* The router's thread: the position the send put in the header; 0 without one (a message
 * that reached the router otherwise than through Router.tell / ask). */
static uint64_t header_key(const akt_msg *msg, void *data) {
    (void)data;
    const void *v = NULL;
    size_t len = 0;
    if (akt_msg_header(msg, AN_ROUTE_KEY_HEADER, &v, &len) != 0 || len != 8) return 0;
    const uint8_t *b = v;
    uint64_t k = 0;
    for (int i = 7; i >= 0; i--) k = k << 8 | b[i];
    return k;
}

/* A JS key as a ring position: an integer number or a bigint (its low 64 bits), a string
 * (FNV-1a of its UTF-8) or a Uint8Array (FNV-1a of its bytes). 0 for anything else. */
static uint64_t key_of(napi_env env, napi_value v) {
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok) return 0;
    if (t == napi_number) {
        double d = 0;
        napi_get_value_double(env, v, &d);
        return d >= -9.2e18 && d <= 9.2e18 ? (uint64_t)(int64_t)d : 0;
    }
    if (t == napi_bigint) {
        uint64_t k = 0;
        bool lossless;
        napi_get_value_bigint_uint64(env, v, &k, &lossless);
        return k;
    }
    if (t == napi_string) {
        size_t n = 0;
        napi_get_value_string_utf8(env, v, NULL, 0, &n);
        char *buf = malloc(n + 1);
        if (!buf) return 0;
        napi_get_value_string_utf8(env, v, buf, n + 1, &n);
        uint64_t k = an_fnv1a((const uint8_t *)buf, n);
        free(buf);
        return k;
    }
    bool is = false;
    if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
        napi_typedarray_type tt;
        size_t n = 0;
        void *data = NULL;
        napi_get_typedarray_info(env, v, &tt, &n, &data, NULL, NULL);
        if (tt == napi_uint8_array || tt == napi_uint8_clamped_array) return an_fnv1a(data, n);
    }
    return 0;
}

/* routerSendKeyed(handle, lo, hi, value, type, key, isAsk, timeoutMs) -> undefined for a
 * tell, a Promise for an ask: the message with its key's position in the header. */
static napi_value RouterSendKeyed(napi_env env, napi_callback_info info) {
    AN_ARGS(8);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_pid router;
    if (!an_get_pid(I, env, argv[1], argv[2], &router)) return NULL;
    bool is_ask = false;
    napi_get_value_bool(env, argv[6], &is_ask);
    int64_t timeout = 0;
    if (is_ask && !an_timeout_ns_of(env, argv[7], &timeout))
        return an_throw_msg(env, I, AKT_EINVAL, "expected a timeout > 0 ms");
    uint64_t k = key_of(env, argv[5]);
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(k >> (8 * i));
    akt_msg *m;
    if (an_foreign_msg(I, s, env, argv[3], argv[4], &m)) return NULL;
    int rc = akt_msg_set_header(m, AN_ROUTE_KEY_HEADER, b, sizeof b);
    if (rc) return an_sent(env, I, m, rc);
    if (!is_ask) return an_sent(env, I, m, akt_tell(s->sys, router, m));
    akt_future *f;
    rc = akt_ask_as(s->sys, router, m, timeout, an_js_behavior.receive, &f); /* JS reads it */
    if (rc) return an_sent(env, I, m, rc);
    return an_promise_of(env, I, f, 0, 0);
}

/* routerBroadcast(handle, lo, hi, value, type?) */
static napi_value RouterBroadcast(napi_env env, napi_callback_info info) {
    AN_ARGS(5);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_pid router;
    if (!an_get_pid(I, env, argv[1], argv[2], &router)) return NULL;
    akt_msg *m;
    /* Never by reference: the routees may run anywhere. */
    if (an_foreign_msg(I, s, env, argv[3], argv[4], &m)) return NULL;
    return an_sent(env, I, m, akt_router_broadcast(s->sys, router, m));
}

/* routerRoutees(handle, lo, hi) -> flat [lo, hi, ...] */
static napi_value RouterRoutees(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_pid router;
    if (!an_get_pid(I, env, argv[1], argv[2], &router)) return NULL;
    size_t cap = 16, n = 0;
    akt_pid *pids = NULL;
    int rc;
    for (;;) {
        akt_pid *grown = realloc(pids, cap * sizeof *pids);
        if (!grown) {
            free(pids);
            return an_throw(env, I, AKT_ENOMEM);
        }
        pids = grown;
        rc = akt_router_routees(s->sys, router, pids, cap, &n);
        if (rc != AKT_ERANGE) break;
        cap = n;
    }
    if (rc) {
        free(pids);
        return an_throw(env, I, rc);
    }
    napi_value arr;
    napi_create_array_with_length(env, 2 * n, &arr);
    for (size_t i = 0; i < n; i++) {
        napi_value lo, hi;
        napi_create_uint32(env, (uint32_t)pids[i].id, &lo);
        napi_create_uint32(env, (uint32_t)(pids[i].id >> 32), &hi);
        napi_set_element(env, arr, (uint32_t)(2 * i), lo);
        napi_set_element(env, arr, (uint32_t)(2 * i + 1), hi);
    }
    free(pids);
    return arr;
}

/* routerResize(handle, lo, hi, n) */
static napi_value RouterResize(napi_env env, napi_callback_info info) {
    AN_ARGS(4);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_pid router;
    if (!an_get_pid(I, env, argv[1], argv[2], &router)) return NULL;
    uint32_t n = 0;
    if (napi_get_value_uint32(env, argv[3], &n) != napi_ok) return an_throw(env, I, AKT_EINVAL);
    int rc = akt_router_resize(s->sys, router, n);
    return rc ? an_throw(env, I, rc) : NULL;
}

napi_status an_register_router(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"routerSpawn", RouterSpawn},
                                {"routerBroadcast", RouterBroadcast},
                                {"routerRoutees", RouterRoutees},
                                {"routerResize", RouterResize},
                                {"routerSpawnPool", RouterSpawnPool},
                                {"routerPoolFeed", RouterPoolFeed},
                                {"routerPoolDrain", RouterPoolDrain},
                                {"routerSendKeyed", RouterSendKeyed},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
