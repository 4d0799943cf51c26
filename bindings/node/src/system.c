/* Systems: create, shut down, look up, stop actors from outside. */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

#include <akt/remote.h>

static void sys_finalize(napi_env env, void *data, void *hint) {
    an_sys *s = data;
    an_inst *I = s->inst;
    /* JS keeps a running system reachable (lib/system.cjs) until its shutdown completed, so
     * only a finished system gets here, except at exit, when the cleanup hook owns it. */
    if (I->closing || !s->shut_down) return;
    for (an_sys **p = &I->systems; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    /* The last release, on the JS thread after the shutdown: the releases of s's messages
     * still queued run here (release_on), before s (their ops) goes. */
    akt_system_release(s->sys);
    if (s->ext_values) napi_delete_reference(env, s->ext_values);
    an_propagator_free(env, s); /* local */
    an_grain_deps_free(env, s); /* local */
    if (s->shutdown_promise) napi_delete_reference(env, s->shutdown_promise);
    free(s);
}

an_sys *an_sys_of(napi_env env, napi_value v) {
    void *p = NULL;
    if (napi_get_value_external(env, v, &p) != napi_ok || !p) {
        napi_throw_type_error(env, "AKT_EINVAL", "expected an ActorSystem handle");
        return NULL;
    }
    return p;
}

#define AN_SYS(i)                          \
    an_sys *s = an_sys_of(env, argv[(i)]); \
    if (!s) return NULL

int an_directive_of(napi_env env, napi_value v, int *out) {
    napi_valuetype t;
    napi_typeof(env, v, &t);
    if (t == napi_undefined || t == napi_null) return 1;
    int32_t d;
    if (napi_get_value_int32(env, v, &d) != napi_ok || d < 0 || d > AKT_DIRECTIVE_SUSPEND) return 0;
    *out = d;
    return 1;
}

/* [strategy, maxRetries, withinNs, backoffMinNs, backoffMaxNs, multiplier, jitter,
 * backoffResetNs, onRetriesExhausted (AKT_EXHAUSTED_*), (errno, directive) pairs...]
 * (lib/actor.cjs budgetOf). */
int an_sup_budget(napi_env env, napi_value arr, akt_supervisor *sup) {
    bool is_array = false;
    uint32_t n = 0;
    if (napi_is_array(env, arr, &is_array) != napi_ok || !is_array ||
        napi_get_array_length(env, arr, &n) != napi_ok || n < 9 || (n - 9) % 2 || n > 9 + 2 * 64)
        return 0;
    int64_t v[9];
    double d[9];
    for (uint32_t i = 0; i < 9; i++) {
        napi_value e;
        if (napi_get_element(env, arr, i, &e) != napi_ok ||
            napi_get_value_double(env, e, &d[i]) != napi_ok ||
            napi_get_value_int64(env, e, &v[i]) != napi_ok)
            return 0;
    }
    if (v[1] < 0 || v[1] > (int64_t)UINT32_MAX) return 0;
    sup->strategy = (int)v[0];
    sup->max_retries = (uint32_t)v[1];
    sup->within_ns = v[2];
    sup->backoff_min_ns = v[3];
    sup->backoff_max_ns = v[4];
    sup->backoff_multiplier = d[5];
    sup->backoff_jitter = d[6];
    sup->backoff_reset_ns = v[7];
    sup->on_retries_exhausted = (int)v[8];
    /* Code rules, (errno, directive) pairs after the nine: in a per-thread table that the
     * akt_spawn / akt_system_create following this call copies. */
    static _Thread_local akt_supervisor_rule rules[64];
    for (uint32_t i = 9; i + 1 < n; i += 2) {
        napi_value e;
        akt_supervisor_rule *r = &rules[(i - 9) / 2];
        if (napi_get_element(env, arr, i, &e) != napi_ok ||
            napi_get_value_int32(env, e, &r->code) != napi_ok ||
            napi_get_element(env, arr, i + 1, &e) != napi_ok ||
            napi_get_value_int32(env, e, &r->directive) != napi_ok)
            return 0;
    }
    sup->rules = n > 9 ? rules : NULL;
    sup->rule_count = (n - 9) / 2;
    return 1; /* the core checks strategy, window, backoff and exhaustion (AKT_EINVAL) */
}

/* Extensions: the names of a JS object, and its values in one referenced array (akt gets
 * index + 1 as each value's pointer). 0 or an AKT_E* code. */
static int extensions_of(napi_env env, napi_value obj, an_sys *s, char ***names, void ***ptrs,
                         uint32_t *count) {
    napi_valuetype t;
    if (napi_typeof(env, obj, &t) != napi_ok) return AKT_EINVAL;
    if (t == napi_undefined || t == napi_null) return 0;
    if (t != napi_object) return AKT_EINVAL;
    napi_value keys, arr;
    uint32_t n = 0;
    if (napi_get_property_names(env, obj, &keys) != napi_ok ||
        napi_get_array_length(env, keys, &n) != napi_ok)
        return AKT_EINVAL;
    if (!n) return 0;
    *names = calloc(n, sizeof **names);
    *ptrs = calloc(n, sizeof **ptrs);
    if (!*names || !*ptrs || napi_create_array_with_length(env, n, &arr) != napi_ok ||
        napi_create_reference(env, arr, 1, &s->ext_values) != napi_ok)
        return AKT_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        napi_value k, v;
        size_t len = 0;
        if (napi_get_element(env, keys, i, &k) != napi_ok ||
            napi_get_value_string_utf8(env, k, NULL, 0, &len) != napi_ok ||
            napi_get_property(env, obj, k, &v) != napi_ok || napi_set_element(env, arr, i, v))
            return AKT_EINVAL;
        (*names)[i] = malloc(len + 1);
        if (!(*names)[i]) return AKT_ENOMEM;
        *count = i + 1;
        napi_get_value_string_utf8(env, k, (*names)[i], len + 1, &len);
        (*ptrs)[i] = (void *)(uintptr_t)(i + 1);
    }
    return 0;
}

static void names_free(char **names, uint32_t n) {
    if (!names) return;
    for (uint32_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* systemCreate(name, workers, throughput, directive, [strategy, maxRetries, withinNs],
 *              extensions?, propagator?) */
static napi_value SystemCreate(napi_env env, napi_callback_info info) {
    AN_ARGS(7);
    char name[256];
    char *n = an_opt_string(I, env, argv[0], name, sizeof name);
    if (n == (char *)-1) return NULL;
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = n;
    int32_t workers = 0, throughput = 0;
    napi_get_value_int32(env, argv[1], &workers);
    napi_get_value_int32(env, argv[2], &throughput);
    if (workers < 0 || throughput < 0) return an_throw(env, I, AKT_EINVAL);
    o.workers = workers;
    o.throughput = throughput;
    akt_supervisor sup = {.size = sizeof sup,
                          .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                          .default_directive = AKT_DIRECTIVE_RESTART};
    if (!an_directive_of(env, argv[3], &sup.default_directive) ||
        !an_sup_budget(env, argv[4], &sup))
        return an_throw(env, I, AKT_EINVAL);
    o.supervisor = &sup;

    an_sys *s = calloc(1, sizeof *s);
    if (!s) return an_throw(env, I, AKT_ENOMEM);
    s->inst = I;
    char **ext_names = NULL;
    void **ext_ptrs = NULL;
    uint32_t next = 0;
    int rc = argc > 5 ? extensions_of(env, argv[5], s, &ext_names, &ext_ptrs, &next) : 0;
    o.extension_names = (const char *const *)ext_names;
    o.extension_values = (void *const *)ext_ptrs;
    o.extension_count = next;
    akt_propagator prop; /* local */
    int has_prop = !rc && argc > 6 ? an_propagator_of(env, s, argv[6], &prop) : 0;
    if (has_prop < 0) rc = has_prop;
    if (has_prop > 0) o.propagator = &prop;
    if (!rc) rc = akt_system_create(&o, &s->sys);
    names_free(ext_names, next); /* copied by akt */
    free(ext_ptrs);
    if (rc) {
        if (s->ext_values) napi_delete_reference(env, s->ext_values);
        an_propagator_free(env, s);
        free(s);
        return an_throw(env, I, rc);
    }
    rc = akt_dispatcher_create_external(s->sys, an_notify, I, &s->disp);
    if (rc) {
        akt_system_release(s->sys);
        an_propagator_free(env, s);
        free(s);
        return an_throw(env, I, rc);
    }
    /* A run with nothing to run makes this (the JS) thread the dispatcher's runner: a spawn
     * from plain JS code then runs the actor's preStart right away (akt_spawn). */
    akt_dispatcher_run(s->disp, 1, NULL);
    an_values_init(s);
    s->next = I->systems;
    I->systems = s;
    napi_value ext;
    AN_CALL(napi_create_external(env, s, sys_finalize, NULL, &ext));
    return ext;
}

static void shutdown_cb(akt_system *system, void *data) {
    an_sys *s = data;
    an_inbox_push(s->inst, AN_ITEM_SHUTDOWN, s);
}

void an_system_shutdown_done(an_inst *I, an_sys *s) {
    s->shut_down = 1;
    if (s->shutdown_deferred) {
        napi_value u;
        napi_get_undefined(I->env, &u);
        napi_resolve_deferred(I->env, s->shutdown_deferred, u);
        s->shutdown_deferred = NULL;
    }
    if (s->shutting_down) an_alive_add(I, -1); /* a guardian shutdown added none */
}

/* The promise of the shutdown (made once): resolved by an_system_shutdown_done, whoever
 * started it (shutdown() or the guardian's policy). */
static napi_status shutdown_promise(napi_env env, an_sys *s, napi_value *out) {
    if (s->shutdown_promise) return napi_get_reference_value(env, s->shutdown_promise, out);
    napi_status st = napi_create_promise(env, &s->shutdown_deferred, out);
    if (st == napi_ok) st = napi_create_reference(env, *out, 1, &s->shutdown_promise);
    return st;
}

/* systemShutdown(handle) -> Promise<void>, resolved once every actor stopped. */
static napi_value SystemShutdown(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_SYS(0);
    if (s->shutting_down) return an_throw(env, I, AKT_ECLOSED);
    napi_value promise;
    AN_CALL(shutdown_promise(env, s, &promise));
    if (s->shut_down) return promise; /* the guardian shut it down already */
    /* The JS actors still have to run post_stop on this thread: keep the loop alive. */
    an_alive_add(I, 1);
    s->shutting_down = 1;
    int rc = akt_system_shutdown(s->sys, shutdown_cb, s);
    /* AKT_ECLOSED with a promise made by guardianSet: the guardian's shutdown is under way,
     * and its callback (shutdown_cb, s) resolves the promise */
    if (rc && !(rc == AKT_ECLOSED && s->guardian_shutdown)) {
        s->shutting_down = 0;
        an_alive_add(I, -1);
        napi_reject_deferred(env, s->shutdown_deferred, an_make_error(env, I, rc));
        s->shutdown_deferred = NULL;
    }
    return promise;
}

/* guardianSet(handle, policy) -> the shutdown's Promise for AKT_GUARDIAN_SHUTDOWN (resolved
 * when an escalation's shutdown, or shutdown(), completed), else undefined. */
static napi_value GuardianSet(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    AN_SYS(0);
    int32_t policy = -1;
    if (napi_get_value_int32(env, argv[1], &policy) != napi_ok) return an_throw(env, I, AKT_EINVAL);
    if (s->shutting_down || s->shut_down) return an_throw(env, I, AKT_ECLOSED);
    napi_value promise;
    if (policy == AKT_GUARDIAN_SHUTDOWN) AN_CALL(shutdown_promise(env, s, &promise));
    int rc = akt_system_set_guardian_policy(s->sys, policy, shutdown_cb, s);
    if (rc) return an_throw(env, I, rc);
    s->guardian_shutdown = policy == AKT_GUARDIAN_SHUTDOWN;
    if (!s->guardian_shutdown) napi_get_undefined(env, &promise);
    return promise;
}

/* lookup(handle, path) -> bool; the pid goes to scratch[AN_SCR_PID] */
static napi_value Lookup(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    AN_SYS(0);
    char path[1024];
    char *p = an_opt_string(I, env, argv[1], path, sizeof path);
    if (p == (char *)-1) return NULL;
    if (!p) return an_throw(env, I, AKT_EINVAL);
    akt_pid pid;
    int rc = akt_lookup(s->sys, p, &pid);
    if (rc && rc != AKT_ENOTFOUND) return an_throw(env, I, rc);
    if (!rc) an_put_pid(I, AN_SCR_PID, pid);
    napi_value r;
    napi_get_boolean(env, rc == 0, &r);
    return r;
}

/* remoteAddress(handle) -> string ("akt://name@host:port") */
static napi_value RemoteAddress(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_SYS(0);
    char buf[256];
    int rc = akt_remote_address(s->sys, buf, sizeof buf, NULL);
    if (rc) return an_throw(env, I, rc);
    napi_value r;
    napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &r);
    return r;
}

/* remoteStart(handle, host|undefined, port, maxFrameBytes, heartbeatNs, heartbeatMisses,
 * tlsCert, tlsKey, tlsCa, tlsPeerName (each a string or undefined), tlsRequireClientCert,
 * sendWindow (0: the default), compression (an AKT_REMOTE_COMPRESS_* number),
 * compressMinBytes (0: the default), chunkBytes, maxMessageBytes, sendBufferBytes,
 * maxReverseProxies (each an integer >= 0 or undefined: the default; the core checks ranges))
 * -> string (the address); heartbeatNs as akt_remote_options has it (0 default, < 0 none) */
static napi_value RemoteStart(napi_env env, napi_callback_info info) {
    AN_ARGS(18);
    AN_SYS(0);
    char host[64];
    char *h = an_opt_string(I, env, argv[1], host, sizeof host);
    if (h == (char *)-1) return NULL;
    double port = 0, max_frame = 0;
    if (napi_get_value_double(env, argv[2], &port) != napi_ok ||
        napi_get_value_double(env, argv[3], &max_frame) != napi_ok || port < 0 || port > 65535 ||
        port != (double)(uint16_t)port || max_frame < 0 || max_frame > 4294967295.0)
        return an_throw(env, I, AKT_EINVAL);
    double hb_ns = 0, misses = 0;
    if (napi_get_value_double(env, argv[4], &hb_ns) != napi_ok ||
        napi_get_value_double(env, argv[5], &misses) != napi_ok || !(hb_ns <= 3600e9) ||
        !(hb_ns >= -1) || !(misses >= 0 && misses <= 1000) || misses != (double)(uint32_t)misses)
        return an_throw(env, I, AKT_EINVAL);
    akt_remote_options o;
    akt_remote_options_init(&o);
    o.host = h;
    o.port = (uint16_t)port;
    o.max_frame_bytes = (uint32_t)max_frame;
    o.heartbeat_interval_ns = (int64_t)hb_ns;
    o.heartbeat_misses = (uint32_t)misses;
    char tls[4][4096]; /* read by akt_remote_start, not kept */
    const char **fields[4] = {&o.tls_cert_file, &o.tls_key_file, &o.tls_ca_file, &o.tls_peer_name};
    for (int i = 0; i < 4; i++) {
        char *v = an_opt_string(I, env, argv[6 + i], tls[i], sizeof tls[i]);
        if (v == (char *)-1) return NULL;
        *fields[i] = v;
    }
    bool client_cert = false;
    napi_valuetype t;
    if (napi_typeof(env, argv[10], &t) != napi_ok ||
        (t != napi_undefined && napi_get_value_bool(env, argv[10], &client_cert) != napi_ok))
        return an_throw(env, I, AKT_EINVAL);
    o.tls_require_client_cert = client_cert;
    double window = 0;
    napi_valuetype wt;
    if (napi_typeof(env, argv[11], &wt) == napi_ok && wt != napi_undefined &&
        (napi_get_value_double(env, argv[11], &window) != napi_ok || !(window >= 0) ||
         window > 16777216.0 || window != (double)(uint32_t)window))
        return an_throw(env, I, AKT_EINVAL);
    o.send_window = (uint32_t)window;
    double method = 0, min_bytes = 0;
    if (napi_get_value_double(env, argv[12], &method) != napi_ok ||
        napi_get_value_double(env, argv[13], &min_bytes) != napi_ok || !(min_bytes >= 0) ||
        min_bytes > 4294967295.0 || min_bytes != (double)(uint32_t)min_bytes ||
        !(method >= 0 && method <= AKT_REMOTE_COMPRESS_BROTLI) || method != (double)(int)method)
        return an_throw(env, I, AKT_EINVAL);
    o.compression = (int)method;
    o.compress_min_bytes = (uint32_t)min_bytes;
    /* remopts begin: */
    double sizes[4] = {0, 0, 0, 0};
    const double caps[4] = {4294967295.0, 4294967295.0, 9007199254740991.0, 4294967295.0};
    for (int i = 0; i < 4; i++) {
        napi_valuetype st;
        if (napi_typeof(env, argv[14 + i], &st) != napi_ok) return an_throw(env, I, AKT_EINVAL);
        if (st == napi_undefined) continue;
        if (st != napi_number || napi_get_value_double(env, argv[14 + i], &sizes[i]) != napi_ok ||
            !(sizes[i] >= 0) || sizes[i] > caps[i] || sizes[i] != (double)(uint64_t)sizes[i])
            return an_throw(env, I, AKT_EINVAL);
    }
    o.chunk_bytes = (uint32_t)sizes[0];
    o.max_message_bytes = (uint32_t)sizes[1];
    o.send_buffer_bytes = (uint64_t)sizes[2];
    o.max_reverse_proxies = (uint32_t)sizes[3];
    /* remopts end */
    int rc = akt_remote_start(s->sys, &o);
    if (rc) return an_throw(env, I, rc);
    return RemoteAddress(env, info);
}

/* remoteTlsFailures(handle) -> [count, last reason] */
static napi_value RemoteTlsFailures(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    AN_SYS(0);
    char buf[256];
    uint64_t n = 0;
    int rc = akt_remote_tls_failures(s->sys, &n, buf, sizeof buf, NULL);
    if (rc) return an_throw(env, I, rc);
    napi_value arr, count, reason;
    AN_CALL(napi_create_array_with_length(env, 2, &arr));
    AN_CALL(napi_create_double(env, (double)n, &count));
    AN_CALL(napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &reason));
    AN_CALL(napi_set_element(env, arr, 0, count));
    AN_CALL(napi_set_element(env, arr, 1, reason));
    return arr;
}

/* remoteLookup(handle, address) -> undefined; the pid goes to scratch[AN_SCR_PID] */
static napi_value RemoteLookup(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    AN_SYS(0);
    char addr[1100];
    char *a = an_opt_string(I, env, argv[1], addr, sizeof addr);
    if (a == (char *)-1) return NULL;
    if (!a) return an_throw(env, I, AKT_EINVAL);
    akt_pid pid;
    int rc = akt_remote_lookup(s->sys, a, &pid);
    if (rc) return an_throw(env, I, rc);
    an_put_pid(I, AN_SCR_PID, pid);
    return NULL;
}

/* pidPath(handle, lo, hi) -> string */
static napi_value PidPath(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    AN_SYS(0);
    akt_pid pid;
    if (!an_get_pid(I, env, argv[1], argv[2], &pid)) return NULL;
    char buf[512];
    size_t need = 0;
    int rc = akt_pid_path(s->sys, pid, buf, sizeof buf, &need);
    char *big = NULL;
    if (rc == AKT_ERANGE && (big = malloc(need + 1)))
        rc = akt_pid_path(s->sys, pid, big, need + 1, &need);
    napi_value r = NULL;
    if (!rc) napi_create_string_utf8(env, big ? big : buf, NAPI_AUTO_LENGTH, &r);
    free(big);
    return rc ? an_throw(env, I, rc) : r;
}

static napi_value PidAlive(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    AN_SYS(0);
    akt_pid pid;
    if (!an_get_pid(I, env, argv[1], argv[2], &pid)) return NULL;
    napi_value r;
    napi_get_boolean(env, akt_pid_is_alive(s->sys, pid), &r);
    return r;
}

/* pidStarted(handle, lo, hi) -> true once the actor is past its start (pre_start run):
 * JS runs the pump until then (akt_await_started, just looking). */
static napi_value PidStarted(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    AN_SYS(0);
    akt_pid pid;
    if (!an_get_pid(I, env, argv[1], argv[2], &pid)) return NULL;
    int rc = akt_await_started(s->sys, pid, 0);
    if (rc && rc != AKT_ETIMEDOUT) return an_throw(env, I, rc);
    napi_value r;
    napi_get_boolean(env, rc == 0, &r);
    return r;
}

static napi_value lifecycle(napi_env env, napi_callback_info info,
                            int (*fn)(akt_system *, akt_pid)) {
    AN_ARGS(3);
    AN_SYS(0);
    akt_pid pid;
    if (!an_get_pid(I, env, argv[1], argv[2], &pid)) return NULL;
    int rc = fn(s->sys, pid);
    return rc ? an_throw(env, I, rc) : NULL;
}

static napi_value Stop(napi_env env, napi_callback_info info) {
    return lifecycle(env, info, akt_stop);
}
static napi_value Poison(napi_env env, napi_callback_info info) {
    return lifecycle(env, info, akt_poison);
}
static napi_value Reinstate(napi_env env, napi_callback_info info) {
    return lifecycle(env, info, akt_reinstate);
}

static napi_value Version(napi_env env, napi_callback_info info) {
    napi_value r;
    napi_create_string_utf8(env, akt_version_string(), NAPI_AUTO_LENGTH, &r);
    return r;
}

napi_status an_register_system(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"systemCreate", SystemCreate},
                                {"systemShutdown", SystemShutdown},
                                {"guardianSet", GuardianSet},
                                {"lookup", Lookup},
                                {"remoteStart", RemoteStart},
                                {"remoteTlsFailures", RemoteTlsFailures},
                                {"remoteAddress", RemoteAddress},
                                {"remoteLookup", RemoteLookup},
                                {"pidPath", PidPath},
                                {"pidAlive", PidAlive},
                                {"pidStarted", PidStarted},
                                {"stop", Stop},
                                {"poison", Poison},
                                {"reinstate", Reinstate},
                                {"version", Version},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
