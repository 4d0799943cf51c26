/* The user's propagator (GoAkt's ContextPropagator, akt_system_options.propagator): at each
 * message's first send akt calls an_propagator_inject, which hands JS the headers of the
 * message the sending actor is handling ({} outside actors) and adds the headers the
 * function returns, except those the sender set itself. JS runs only on the JS thread: a
 * first send on another thread (an akt worker running a C actor) gets nothing added. */
#include <string.h>

#include "addon.h"

/* The headers of the message being handled by ctx's actor, as { name: string }. */
static napi_value headers_of(napi_env env, akt_ctx *ctx) {
    napi_value r;
    if (napi_create_object(env, &r) != napi_ok) return NULL;
    akt_msg *cur = NULL;
    size_t n = 0;
    if (!ctx || akt_ctx_message(ctx, &cur) || !cur || akt_msg_header_count(cur, &n)) return r;
    for (size_t i = 0; i < n; i++) {
        const char *key;
        const void *value;
        size_t len;
        napi_value v;
        if (akt_msg_header_at(cur, i, &key, &value, &len)) continue;
        if (napi_create_string_utf8(env, value, len, &v) != napi_ok ||
            napi_set_named_property(env, r, key, v) != napi_ok)
            return NULL;
    }
    return r;
}

/* out without the keys msg has already: the sender's own headers win. */
static napi_value new_keys(napi_env env, akt_msg *msg, napi_value out) {
    napi_value keys, only;
    uint32_t n = 0;
    if (napi_get_property_names(env, out, &keys) != napi_ok ||
        napi_get_array_length(env, keys, &n) != napi_ok ||
        napi_create_object(env, &only) != napi_ok)
        return NULL;
    for (uint32_t i = 0; i < n; i++) {
        napi_value k, v;
        char key[AKT_HEADER_KEY_MAX + 2];
        size_t kl = 0;
        const void *had;
        size_t hl;
        if (napi_get_element(env, keys, i, &k) != napi_ok ||
            napi_get_value_string_utf8(env, k, key, sizeof key, &kl) != napi_ok)
            return NULL;
        if (kl <= AKT_HEADER_KEY_MAX && akt_msg_header(msg, key, &had, &hl) == 0) continue;
        if (napi_get_property(env, out, k, &v) != napi_ok ||
            napi_set_property(env, only, k, v) != napi_ok)
            return NULL;
    }
    return only;
}

/* akt's inject: data is the an_sys. lib/system.cjs's wrapper catches what the user's
 * function throws (reported to the logger) and checks its result is an object or nothing,
 * so a failure here only means the environment is going away; headers it cannot add
 * (a bad name, too many) are dropped: the message is sent either way. */
static void inject(akt_ctx *ctx, akt_msg *msg, void *data) {
    an_sys *s = data;
    an_inst *I = s->inst;
    if (I->closing || !s->propagator || !an_on_js_thread(I)) return;
    napi_env env = I->env;
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    napi_value fn, in = headers_of(env, ctx), out, only;
    napi_valuetype t = napi_undefined;
    if (in && napi_get_reference_value(env, s->propagator, &fn) == napi_ok &&
        napi_call_function(env, fn, fn, 1, &in, &out) == napi_ok &&
        napi_typeof(env, out, &t) == napi_ok && t == napi_object &&
        (only = new_keys(env, msg, out)))
        an_headers_set(env, I, msg, only);
    bool pending = false;
    napi_value ex;
    napi_is_exception_pending(env, &pending);
    if (pending) napi_get_and_clear_last_exception(env, &ex);
    napi_close_handle_scope(env, scope);
}

int an_propagator_of(napi_env env, an_sys *s, napi_value fn, akt_propagator *out) {
    napi_valuetype t;
    if (napi_typeof(env, fn, &t) != napi_ok) return AKT_EINVAL;
    if (t == napi_undefined || t == napi_null) return 0;
    if (t != napi_function) return AKT_EINVAL;
    if (napi_create_reference(env, fn, 1, &s->propagator) != napi_ok) return AKT_ENOMEM;
    *out = (akt_propagator){.size = sizeof *out, .inject = inject, .data = s};
    return 1;
}

void an_propagator_free(napi_env env, an_sys *s) {
    if (s->propagator) napi_delete_reference(env, s->propagator);
    s->propagator = NULL;
}
