/* C actors hosted by a Node program: spawned from a shared library that exports a factory
 *
 *     int <symbol>(const char *arg, const akt_behavior **behavior, void **state);
 *
 * They run on akt's worker threads (not the JS thread) and exchange bytes messages with
 * JS actors. Libraries stay loaded for the life of the process: their code may run until
 * the last of their actors is gone. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "addon.h"

typedef int (*an_native_factory)(const char *arg, const akt_behavior **behavior, void **state);

/* spawnNative(handle, path, symbol, name, arg) -> the pid in scratch[AN_SCR_PID] */
static napi_value SpawnNative(napi_env env, napi_callback_info info) {
    AN_ARGS(5);
    an_sys *s = NULL;
    if (napi_get_value_external(env, argv[0], (void **)&s) != napi_ok || !s)
        return an_throw(env, I, AKT_EINVAL);
    char path[4096], symbol[256], name[256], arg[1024];
    char *p = an_opt_string(I, env, argv[1], path, sizeof path);
    char *sym = an_opt_string(I, env, argv[2], symbol, sizeof symbol);
    char *n = an_opt_string(I, env, argv[3], name, sizeof name);
    char *a = an_opt_string(I, env, argv[4], arg, sizeof arg);
    if (p == (char *)-1 || sym == (char *)-1 || n == (char *)-1 || a == (char *)-1) return NULL;
    if (!p || !sym) return an_throw(env, I, AKT_EINVAL);

    void *lib = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    if (!lib) return an_throw_msg(env, I, AKT_ENOTFOUND, dlerror());
    an_native_factory factory = (an_native_factory)(uintptr_t)dlsym(lib, sym);
    if (!factory) return an_throw_msg(env, I, AKT_ENOTFOUND, dlerror());
    const akt_behavior *behavior = NULL;
    void *state = NULL;
    int rc = factory(a, &behavior, &state);
    if (!rc && !behavior) rc = AKT_EINVAL;
    if (rc) return an_throw(env, I, rc);
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.name = n;
    akt_pid pid;
    rc = akt_spawn(s->sys, behavior, state, &o, &pid);
    if (rc) {
        if (state && behavior->free_state) behavior->free_state(state);
        return an_throw(env, I, rc);
    }
    an_put_pid(I, AN_SCR_PID, pid);
    return NULL;
}

/* A grain kind registered from a library: each activation is factory(name of the grain). */
typedef struct an_native_kind {
    an_native_factory factory;
} an_native_kind;

static int native_activate(void *kind_data, const char *name, const akt_behavior **behavior,
                           void **state) {
    const an_native_kind *k = kind_data;
    *behavior = NULL;
    *state = NULL;
    int rc = k->factory(name, behavior, state);
    if (!rc && !*behavior) rc = AKT_EINVAL;
    return rc;
}

/* registerNativeGrain(handle, path, symbol, kind, deactivateAfterMs) */
static napi_value RegisterNativeGrain(napi_env env, napi_callback_info info) {
    AN_ARGS(5);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char path[4096], symbol[256], kind[258];
    char *p = an_opt_string(I, env, argv[1], path, sizeof path);
    char *sym = an_opt_string(I, env, argv[2], symbol, sizeof symbol);
    char *k = an_opt_string(I, env, argv[3], kind, sizeof kind);
    double ms = -1;
    if (p == (char *)-1 || sym == (char *)-1 || k == (char *)-1) return NULL;
    if (!p || !sym || !k || napi_get_value_double(env, argv[4], &ms) != napi_ok || !(ms >= 0) ||
        ms > 9.2e12)
        return an_throw(env, I, AKT_EINVAL);
    void *lib = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    if (!lib) return an_throw_msg(env, I, AKT_ENOTFOUND, dlerror());
    an_native_factory factory = (an_native_factory)(uintptr_t)dlsym(lib, sym);
    if (!factory) return an_throw_msg(env, I, AKT_ENOTFOUND, dlerror());
    an_native_kind *nk = malloc(sizeof *nk);
    if (!nk) return an_throw(env, I, AKT_ENOMEM);
    nk->factory = factory;
    akt_grain_kind def;
    akt_grain_kind_init(&def);
    def.activate = native_activate;
    def.kind_data = nk;
    def.free_kind_data = free;
    def.deactivate_after_ns = (int64_t)(ms * 1e6);
    if (ms > 0 && def.deactivate_after_ns == 0) def.deactivate_after_ns = 1;
    int rc = akt_grain_kind_register(s->sys, k, &def);
    if (rc) {
        free(nk);
        return an_throw(env, I, rc);
    }
    return NULL;
}

napi_status an_register_native(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {
        {"spawnNative", SpawnNative}, {"registerNativeGrain", RegisterNativeGrain}, {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
