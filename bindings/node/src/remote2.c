/* Remote spawn: the native half of ActorSystem.remoteSpawn. akt_remote_spawn waits for the
 * other node's answer, so it runs on libuv's thread pool and settles a Promise on the JS
 * thread; the system is retained meanwhile. */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

#include <akt/remote.h>

typedef struct an_rspawn {
    napi_async_work work;
    napi_deferred deferred;
    an_inst *I;
    akt_system *sys; /* a reference of the work's */
    int64_t timeout_ns;
    int rc;
    akt_pid pid;
    char address[256], kind[260], name[260];
} an_rspawn;

static void rspawn_execute(napi_env env, void *data) {
    (void)env;
    an_rspawn *r = data;
    r->rc = akt_remote_spawn(r->sys, r->address, r->kind, r->name, r->timeout_ns, &r->pid);
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

/* remoteSpawn(handle, address, kind, name, timeoutNs) -> Promise of [lo, hi] */
static napi_value RemoteSpawn(napi_env env, napi_callback_info info) {
    AN_ARGS(5);
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
    if (napi_get_value_double(env, argv[4], &t) != napi_ok || !(t >= 1) || !(t <= 9e18)) {
        free(r);
        return an_throw(env, I, AKT_EINVAL);
    }
    r->I = I;
    r->timeout_ns = (int64_t)t;
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
