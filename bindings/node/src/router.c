/* Routers for Node (akt.h section 11): group routers over pids of any language. The
 * router is a C actor on akt's workers, so the JS thread may wait for its answers
 * (routees, resize) without deadlock. */
#include "addon.h"

#include <stdlib.h>

#define AN_ROUTER_MAX 65536u

static int64_t ms_to_ns(napi_env env, napi_value v) {
    double ms = 0;
    if (napi_get_value_double(env, v, &ms) != napi_ok || !(ms > 0) || ms > 9.2e12) return 0;
    int64_t ns = (int64_t)(ms * 1e6);
    return ns > 0 ? ns : 1;
}

/* routerSpawn(handle, name, strategy, pids (flat lo, hi, ...), withinMs, intervalMs, seed)
 * -> the router's pid in scratch[AN_SCR_PID] */
static napi_value RouterSpawn(napi_env env, napi_callback_info info) {
    AN_ARGS(7);
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
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
