/* Grains for Node (akt.h section 14): kinds whose activations are JS actors, made on the JS
 * thread (the system's external dispatcher) by lib/grain.cjs's activate hook, and tell /
 * ask by identity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* A kind's data: plain memory (freed on any thread); the factory stays in lib/grain.cjs,
 * found there by kind_id. */
typedef struct an_grain_kind {
    an_inst *inst;
    an_sys *sys;
    int32_t kind_id;
    /* The kind's dependencies: names, and the values as references (akt hands a reference
     * back to ctx.dependency, as for a spawned actor's). */
    size_t ndeps;
    char **dep_names;
    napi_ref *deps;
} an_grain_kind;

/* Frees a kind's data: its references only on the JS thread while the environment lives
 * (else the environment's teardown has them). */
static void grain_kind_free(void *data) {
    an_grain_kind *k = data;
    if (!k) return;
    int js = !k->inst->closing && an_on_js_thread(k->inst);
    for (size_t i = 0; i < k->ndeps; i++) {
        free(k->dep_names[i]);
        if (js && k->deps[i]) napi_delete_reference(k->inst->env, k->deps[i]);
    }
    free(k->dep_names);
    free(k->deps);
    free(k);
}

/* [kind, capacity, whenFull, timeoutNs] or undefined into spec: 1, 0 for none, -1 bad. */
int an_mailbox_spec_of(napi_env env, napi_value v, akt_mailbox_spec *spec) {
    bool is = false;
    if (napi_is_array(env, v, &is) != napi_ok || !is) return 0;
    int64_t f[4];
    for (uint32_t i = 0; i < 4; i++) {
        napi_value e;
        if (napi_get_element(env, v, i, &e) != napi_ok ||
            napi_get_value_int64(env, e, &f[i]) != napi_ok)
            return -1;
    }
    if (f[1] < 0 || f[1] > INT32_MAX) return -1;
    *spec = (akt_mailbox_spec){.size = sizeof *spec,
                               .kind = (int)f[0],
                               .capacity = (uint32_t)f[1],
                               .when_full = (int)f[2],
                               .block_timeout_ns = f[3]};
    return 1;
}

/* The activation's first turn, on the JS thread: a JS actor cell from the kind's factory. */
static int grain_activate(void *data, const char *name, const akt_behavior **b, void **state) {
    an_grain_kind *k = data;
    an_inst *I = k->inst;
    if (I->closing || !I->grain_activate || !an_on_js_thread(I)) return AKT_ECLOSED;
    /* First, so that a cell JS makes is never left without its actor. */
    an_actor *a = calloc(1, sizeof *a);
    if (!a) return AKT_ENOMEM;
    napi_env env = I->env;
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) {
        free(a);
        return AKT_EFAILED;
    }
    napi_value fn, argv[2], r;
    int32_t id = -1;
    int rc = AKT_EFAILED;
    if (napi_get_reference_value(env, I->grain_activate, &fn) == napi_ok &&
        napi_create_int32(env, k->kind_id, &argv[0]) == napi_ok &&
        napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &argv[1]) == napi_ok) {
        if (napi_call_function(env, fn, fn, 2, argv, &r) != napi_ok) {
            napi_value ex;
            napi_get_and_clear_last_exception(env, &ex);
        } else if (napi_get_value_int32(env, r, &id) == napi_ok && id >= 0) {
            rc = 0;
        }
    }
    napi_close_handle_scope(env, scope);
    if (rc) { /* lib/grain.cjs reported the factory's error */
        free(a);
        return rc;
    }
    a->inst = I;
    a->sys = k->sys;
    a->id = id;
    a->sup = (akt_supervisor){.size = sizeof(akt_supervisor),
                              .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                              .default_directive = AKT_DIRECTIVE_STOP};
    *b = &an_js_behavior;
    *state = a;
    return 0;
}

/* grainHook(activate): installs lib/grain.cjs's activate(kindId, name) -> cell id. */
static napi_value GrainHook(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    if (I->grain_activate) napi_delete_reference(env, I->grain_activate);
    I->grain_activate = NULL;
    napi_create_reference(env, argv[0], 1, &I->grain_activate);
    return NULL;
}

#define AN_GRAIN_RULE "a grain kind is 1..255 bytes, a name 1..1024"

/* grainRegister(handle, kind, kindId, deactivateAfterMs, mailbox, depNames, depValues,
 * reentrancy, maxInFlight): 0 ms = long-lived; mailbox [kind, capacity, whenFull,
 * timeoutNs] or undefined. */
static napi_value GrainRegister(napi_env env, napi_callback_info info) {
    AN_ARGS(9);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char kind[258];
    if (!an_bounded_string(I, env, argv[1], kind, sizeof kind, 255, AN_GRAIN_RULE)) return NULL;
    int32_t kind_id = -1;
    double ms = -1;
    if (napi_get_value_int32(env, argv[2], &kind_id) != napi_ok || kind_id < 0 ||
        napi_get_value_double(env, argv[3], &ms) != napi_ok || !(ms >= 0) || ms > 9.2e12)
        return an_throw_msg(env, I, AKT_EINVAL, "deactivateAfter must be a number of ms >= 0");
    akt_mailbox_spec mb;
    int has_mb = an_mailbox_spec_of(env, argv[4], &mb);
    if (has_mb < 0) return an_throw_msg(env, I, AKT_EINVAL, "a bad grain mailbox");
    an_grain_kind *k = calloc(1, sizeof *k);
    if (!k) return an_throw(env, I, AKT_ENOMEM);
    k->inst = I;
    k->sys = s;
    k->kind_id = kind_id;
    if (!an_read_deps(k->inst, env, argv[5], argv[6], &k->deps, &k->dep_names, &k->ndeps)) {
        grain_kind_free(k);
        bool pending = false;
        napi_is_exception_pending(env, &pending);
        return pending ? NULL : an_throw_msg(env, I, AKT_EINVAL, "bad grain dependencies");
    }
    int32_t reentrancy = 0, max_in_flight = 0;
    napi_get_value_int32(env, argv[7], &reentrancy); /* undefined: stays 0 */
    napi_get_value_int32(env, argv[8], &max_in_flight);
    akt_grain_kind def;
    akt_grain_kind_init(&def);
    def.activate = grain_activate;
    def.kind_data = k;
    def.free_kind_data = grain_kind_free;
    def.deactivate_after_ns = (int64_t)(ms * 1e6);
    if (ms > 0 && def.deactivate_after_ns == 0) def.deactivate_after_ns = 1;
    def.dispatcher = s->disp;
    def.mailbox = has_mb ? &mb : NULL;
    def.dependency_names = (const char *const *)k->dep_names;
    def.dependency_values = (void *const *)k->deps;
    def.dependency_count = k->ndeps;
    def.reentrancy = reentrancy;
    def.max_in_flight = max_in_flight > 0 ? (uint32_t)max_in_flight : 0;
    int rc = akt_grain_kind_register(s->sys, kind, &def);
    if (rc) {
        grain_kind_free(k);
        return an_throw(env, I, rc);
    }
    return NULL;
}

/* local begin: options per activation */
/* One activation's dependencies (system.grain(kind, name, { dependencies })): made once per
 * Grain handle by grainDeps, listed on its system and freed with it (akt borrows the values
 * for the system's life), handed to JS as an external. */
typedef struct an_grain_deps {
    uint32_t magic; /* AN_GRAIN_DEPS_MAGIC: an external of ours */
    an_sys *sys;
    size_t ndeps;
    char **dep_names;
    napi_ref *deps;
    struct an_grain_deps *next;
} an_grain_deps;
#define AN_GRAIN_DEPS_MAGIC 0x67646570u

static void grain_deps_free(napi_env env, an_inst *I, an_grain_deps *d) {
    int js = !I->closing && an_on_js_thread(I);
    for (size_t i = 0; i < d->ndeps; i++) {
        free(d->dep_names[i]);
        if (js && d->deps && d->deps[i]) napi_delete_reference(env, d->deps[i]);
    }
    free(d->dep_names);
    free(d->deps);
    d->magic = 0;
    free(d);
}

void an_grain_deps_free(napi_env env, an_sys *s) {
    while (s->grain_deps) {
        an_grain_deps *d = s->grain_deps;
        s->grain_deps = d->next;
        grain_deps_free(env, s->inst, d);
    }
}

/* grainDeps(handle, names, values) -> an external for grainSend's activation options: the
 * dependency set (values boxed by lib/grain.cjs), referenced until the system is freed. */
static napi_value GrainDeps(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    an_grain_deps *d = calloc(1, sizeof *d);
    if (!d) return an_throw(env, I, AKT_ENOMEM);
    d->magic = AN_GRAIN_DEPS_MAGIC;
    d->sys = s;
    napi_value ext;
    if (!an_read_deps(I, env, argv[1], argv[2], &d->deps, &d->dep_names, &d->ndeps) || !d->ndeps ||
        napi_create_external(env, d, NULL, NULL, &ext) != napi_ok) {
        grain_deps_free(env, I, d);
        bool pending = false;
        napi_is_exception_pending(env, &pending);
        return pending ? NULL : an_throw_msg(env, I, AKT_EINVAL, "bad grain dependencies");
    }
    d->next = s->grain_deps;
    s->grain_deps = d;
    return ext;
}

/* [afterMs | -1, mailbox | undefined, reentrancy | -1, maxInFlight | -1, dependencies |
 * undefined] (checked by lib/grain.cjs; dependencies: a grainDeps external of s) into *o:
 * 1 if given, 0 for undefined, -1 if malformed. */
static int activation_of(napi_env env, an_sys *s, napi_value v, akt_grain_options *o,
                         akt_mailbox_spec *mb) {
    akt_grain_options_init(o);
    bool is = false;
    if (napi_is_array(env, v, &is) != napi_ok || !is) return 0;
    napi_value e[5];
    for (uint32_t i = 0; i < 5; i++)
        if (napi_get_element(env, v, i, &e[i]) != napi_ok) return -1;
    napi_valuetype t;
    if (napi_typeof(env, e[4], &t) != napi_ok) return -1;
    if (t == napi_external) {
        void *p = NULL;
        if (napi_get_value_external(env, e[4], &p) != napi_ok || !p) return -1;
        an_grain_deps *d = p;
        /* another system's set would die with that system, before this one's activation */
        if (d->magic != AN_GRAIN_DEPS_MAGIC || d->sys != s) return -1;
        o->dependency_names = (const char *const *)d->dep_names;
        o->dependency_values = (void *const *)d->deps;
        o->dependency_count = d->ndeps;
    } else if (t != napi_undefined) {
        return -1;
    }
    double ms;
    int32_t re, mif;
    if (napi_get_value_double(env, e[0], &ms) != napi_ok || ms > 9.2e12 ||
        napi_get_value_int32(env, e[2], &re) != napi_ok ||
        napi_get_value_int32(env, e[3], &mif) != napi_ok)
        return -1;
    if (ms >= 0) {
        o->deactivate_after_ns = (int64_t)(ms * 1e6);
        if (ms > 0 && !o->deactivate_after_ns) o->deactivate_after_ns = 1;
    }
    o->reentrancy = re < 0 ? AKT_GRAIN_FROM_KIND : re;
    o->max_in_flight = mif < 0 ? AKT_GRAIN_FROM_KIND : mif;
    int has_mb = an_mailbox_spec_of(env, e[1], mb);
    if (has_mb < 0) return -1;
    if (has_mb) o->mailbox = mb;
    return 1;
}
/* local end */

/* grainSend(handle, kind, name, value, type, isAsk, timeoutMs, cancellable, activation,
 * foreign) -> undefined for a tell; for an ask a Promise, or [Promise, handle] when
 * cancellable. Values cross as for a receiver of another runtime (the kind may be another
 * binding's). activation: the options of the activation the send may make (activation_of).
 * foreign: the kind is not one JS registered in this system (a C kind, registerNativeGrain,
 * or another binding's), so its activations read bytes: a value without them is refused
 * here (issue 17), as for a tell to a C actor. */
static napi_value GrainSend(napi_env env, napi_callback_info info) {
    AN_ARGS(10);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char kind[258], name[1026];
    if (!an_bounded_string(I, env, argv[1], kind, sizeof kind, 255, AN_GRAIN_RULE) ||
        !an_bounded_string(I, env, argv[2], name, sizeof name, 1024, AN_GRAIN_RULE))
        return NULL;
    bool is_ask = false, cancellable = false;
    napi_get_value_bool(env, argv[5], &is_ask);
    napi_get_value_bool(env, argv[7], &cancellable);
    int64_t timeout = 0;
    if (is_ask && !an_timeout_ns_of(env, argv[6], &timeout))
        return an_throw_msg(env, I, AKT_EINVAL, "expected a timeout > 0 ms");
    akt_grain_options go;
    akt_mailbox_spec gmb;
    int has = argc > 8 ? activation_of(env, s, argv[8], &go, &gmb) : 0;
    if (has < 0) return an_throw_msg(env, I, AKT_EINVAL, "bad grain options");
    const akt_grain_options *gop = has ? &go : NULL;
    akt_msg *m;
    if (an_foreign_msg(I, s, env, argv[3], argv[4], &m)) return NULL;
    bool foreign = false;
    if (argc > 9) napi_get_value_bool(env, argv[9], &foreign);
    if (foreign) {
        char where[1300];
        snprintf(where, sizeof where, "the grain %s/%s", kind, name);
        if (an_bytes_check(env, I, m, is_ask ? "grain ask" : "grain tell", where,
                           "that grain kind"))
            return NULL;
    }
    if (!is_ask) return an_sent(env, I, m, akt_grain_tell_with(s->sys, kind, name, m, gop));
    akt_future *f;
    int rc = akt_grain_ask_as(s->sys, kind, name, m, timeout, gop, an_js_behavior.receive,
                              &f); /* JS reads the answer */
    if (rc) return an_sent(env, I, m, rc);
    return an_promise_of(env, I, f, 0, cancellable);
}

napi_status an_register_grain(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"grainHook", GrainHook},
                                {"grainRegister", GrainRegister},
                                {"grainSend", GrainSend},
                                {"grainDeps", GrainDeps},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
