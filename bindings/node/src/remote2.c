/* Remote spawn: the native half of ActorSystem.remoteSpawn. akt_remote_spawn_with waits for
 * the other node's answer, so it runs on libuv's thread pool and settles a Promise on the JS
 * thread; the system is retained meanwhile. The options (lib/system.cjs checked what cannot
 * cross: a decider, class rules, a priority mailbox) are copied into the work, since akt
 * reads them on the pool's thread. */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

#include <akt/remote.h>

typedef struct an_rspawn {
    napi_async_work work;
    napi_deferred deferred;
    an_inst *I;
    akt_system *sys; /* a reference of the work's */
    int rc;
    akt_pid pid;
    akt_remote_spawn_options opts; /* its pointers point into this work */
    akt_supervisor sup;
    akt_supervisor_rule rules[64];
    akt_mailbox_spec mailbox;
    akt_passivation passivation;
    char address[256], kind[260], name[260];
} an_rspawn;

static void rspawn_execute(napi_env env, void *data) {
    (void)env;
    an_rspawn *r = data;
    r->rc = akt_remote_spawn_with(r->sys, r->address, r->kind, r->name, &r->opts, &r->pid);
}

static void rspawn_complete(napi_env env, napi_status status, void *data) {
    an_rspawn *r = data;
    if (status == napi_ok && r->rc == 0) {
        napi_value arr, lo, hi;
        napi_create_array_with_length(env, 2, &arr);
        napi_create_uint32(env, (uint32_t)r->pid.id, &lo);
        napi_create_uint32(env, (uint32_t)(r->pid.id >> 32), &hi);
        napi_set_element(env, arr, 0, lo);
        napi_set_element(env, arr, 1, hi);
        napi_resolve_deferred(env, r->deferred, arr);
    } else {
        napi_reject_deferred(env, r->deferred,
                             an_make_error(env, r->I, r->rc ? r->rc : AKT_ECANCELED));
    }
    napi_delete_async_work(env, r->work);
    akt_system_release(r->sys);
    free(r);
}

static int is_nothing(napi_env env, napi_value v) {
    napi_valuetype t;
    return napi_typeof(env, v, &t) != napi_ok || t == napi_undefined || t == napi_null;
}

/* The options of argv[5..11] (lib/system.cjs remoteSpawn) into r->opts: 1, or 0 if one is
 * malformed. directive and budget (lib/actor.cjs budgetOf, code rules only) are both given
 * or both undefined; the mailbox is [kind, capacity, whenFull, timeoutNs] or undefined; the
 * passivation (strategy, value: bigint) or undefined. */
static int rspawn_options(napi_env env, const napi_value *argv, an_rspawn *r) {
    akt_remote_spawn_options *o = &r->opts;
    if (!is_nothing(env, argv[6])) {
        r->sup = (akt_supervisor){.size = sizeof r->sup,
                                  .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                                  .default_directive = AKT_DIRECTIVE_RESTART};
        if (!an_directive_of(env, argv[5], &r->sup.default_directive) ||
            !an_sup_budget(env, argv[6], &r->sup))
            return 0;
        /* an_sup_budget's rules are in a per-thread table: copied, akt reads them later. */
        if (r->sup.rule_count > sizeof r->rules / sizeof *r->rules) return 0;
        if (r->sup.rule_count) memcpy(r->rules, r->sup.rules, r->sup.rule_count * sizeof *r->rules);
        r->sup.rules = r->sup.rule_count ? r->rules : NULL;
        o->supervisor = &r->sup;
    }
    int has_mb = an_mailbox_spec_of(env, argv[7], &r->mailbox);
    if (has_mb < 0) return 0;
    if (has_mb) o->mailbox = &r->mailbox;
    if (!is_nothing(env, argv[8])) {
        if (an_passivation_of(env, argv[8], argv[9], &r->passivation) != 0) return 0;
        o->passivation = &r->passivation;
    }
    int32_t reentrancy = 0;
    uint32_t max_in_flight = 0;
    if (!is_nothing(env, argv[10]) && napi_get_value_int32(env, argv[10], &reentrancy) != napi_ok)
        return 0;
    if (!is_nothing(env, argv[11]) &&
        napi_get_value_uint32(env, argv[11], &max_in_flight) != napi_ok)
        return 0;
    o->reentrancy = reentrancy;
    o->max_in_flight = max_in_flight;
    return 1;
}

/* remoteSpawn(handle, address, kind, name, timeoutNs, directive, budget, mailbox,
 * passivationStrategy, passivationValue, reentrancy, maxInFlight) -> Promise of [lo, hi];
 * the options after timeoutNs may be undefined (the defaults). */
static napi_value RemoteSpawn(napi_env env, napi_callback_info info) {
    AN_ARGS(12);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    an_rspawn *r = calloc(1, sizeof *r);
    if (!r) return an_throw(env, I, AKT_ENOMEM);
    double t = 0;
    if (!an_bounded_string(I, env, argv[1], r->address, sizeof r->address, 200, "an address") ||
        !an_bounded_string(I, env, argv[2], r->kind, sizeof r->kind, 255, "a kind") ||
        !an_bounded_string(I, env, argv[3], r->name, sizeof r->name, 255, "a name")) {
        free(r);
        return NULL;
    }
    akt_remote_spawn_options_init(&r->opts);
    if (napi_get_value_double(env, argv[4], &t) != napi_ok || !(t >= 1) || !(t <= 9e18)) {
        free(r);
        return an_throw(env, I, AKT_EINVAL);
    }
    r->opts.timeout_ns = (int64_t)t;
    if (!rspawn_options(env, argv, r)) {
        free(r);
        return an_throw_msg(env, I, AKT_EINVAL, "malformed remote spawn options");
    }
    r->I = I;
    r->sys = s->sys;
    napi_value promise, name;
    if (akt_system_retain(r->sys) != 0) {
        free(r);
        return an_throw(env, I, AKT_ECLOSED);
    }
    if (napi_create_promise(env, &r->deferred, &promise) != napi_ok ||
        napi_create_string_utf8(env, "akt.remoteSpawn", NAPI_AUTO_LENGTH, &name) != napi_ok ||
        napi_create_async_work(env, NULL, name, rspawn_execute, rspawn_complete, r, &r->work) !=
            napi_ok ||
        napi_queue_async_work(env, r->work) != napi_ok) {
        akt_system_release(r->sys);
        free(r); /* a promise made and never settled is collected with nothing waiting */
        return an_throw(env, I, AKT_ENOMEM);
    }
    return promise;
}

napi_status an_register_remote2(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"remoteSpawn", RemoteSpawn}, {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
