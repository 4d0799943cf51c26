/* Message headers and extensions from JS: headers as a plain object of name -> string (or
 * Uint8Array) set on an outgoing message, read back as an object of strings (ctx.headers);
 * extensions as JS values registered at system creation, held by references. */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

int an_headers_set(napi_env env, an_inst *I, akt_msg *m, napi_value obj) {
    napi_valuetype t;
    if (napi_typeof(env, obj, &t) != napi_ok) return AKT_EINVAL;
    if (t == napi_undefined || t == napi_null) return 0;
    if (t != napi_object) return AKT_EINVAL;
    napi_value keys;
    uint32_t n = 0;
    if (napi_get_property_names(env, obj, &keys) != napi_ok ||
        napi_get_array_length(env, keys, &n) != napi_ok)
        return AKT_EINVAL;
    for (uint32_t i = 0; i < n; i++) {
        napi_value k, v;
        char key[AKT_HEADER_KEY_MAX + 2];
        size_t kl = 0;
        if (napi_get_element(env, keys, i, &k) != napi_ok ||
            napi_get_value_string_utf8(env, k, key, sizeof key, &kl) != napi_ok ||
            kl > AKT_HEADER_KEY_MAX || napi_get_property(env, obj, k, &v) != napi_ok)
            return AKT_EINVAL;
        bool typed = false;
        int rc;
        if (napi_is_typedarray(env, v, &typed) == napi_ok && typed) {
            void *data = NULL;
            size_t len = 0;
            napi_typedarray_type tt;
            if (napi_get_typedarray_info(env, v, &tt, &len, &data, NULL, NULL) != napi_ok ||
                tt != napi_uint8_array)
                return AKT_EINVAL;
            rc = akt_msg_set_header(m, key, data, len);
        } else {
            size_t len = 0;
            if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return AKT_EINVAL;
            if (len > AKT_HEADER_VALUE_MAX) return AKT_EINVAL;
            char *buf = malloc(len + 1);
            if (!buf) return AKT_ENOMEM;
            napi_get_value_string_utf8(env, v, buf, len + 1, &len);
            rc = akt_msg_set_header(m, key, buf, len);
            free(buf);
        }
        if (rc) return rc;
    }
    return 0;
}

/* ctxHeaders() -> { name: string } of the message being handled ({} in pre_start). */
static napi_value CtxHeaders(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    napi_value r;
    AN_CALL(napi_create_object(env, &r));
    akt_msg *m = NULL;
    if (!I->cur_ctx) return an_throw(env, I, AKT_EMISUSE);
    if (akt_ctx_message(I->cur_ctx, &m)) return r;
    size_t n = 0;
    akt_msg_header_count(m, &n);
    for (size_t i = 0; i < n; i++) {
        const char *key;
        const void *value;
        size_t len;
        napi_value v;
        if (akt_msg_header_at(m, i, &key, &value, &len)) continue;
        AN_CALL(napi_create_string_utf8(env, value, len, &v));
        AN_CALL(napi_set_named_property(env, r, key, v));
    }
    return r;
}

/* The JS value behind an extension pointer (index + 1 in s's array, system.c). */
static napi_value ext_value(napi_env env, an_inst *I, an_sys *s, int rc, void *value) {
    if (rc) return an_throw(env, I, rc);
    napi_value arr, v;
    uintptr_t at = (uintptr_t)value;
    if (!s || !s->ext_values || !at ||
        napi_get_reference_value(env, s->ext_values, &arr) != napi_ok ||
        napi_get_element(env, arr, (uint32_t)(at - 1), &v) != napi_ok)
        return an_throw(env, I, AKT_ENOTFOUND);
    return v;
}

/* ctxExtension(name) -> value */
static napi_value CtxExtension(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    if (!I->cur_ctx) return an_throw(env, I, AKT_EMISUSE);
    char buf[256];
    char *name = an_opt_string(I, env, argv[0], buf, sizeof buf);
    if (name == (char *)-1) return NULL;
    if (!name) return an_throw(env, I, AKT_EINVAL);
    void *value = NULL;
    int rc = akt_ctx_extension(I->cur_ctx, name, &value);
    /* The an_sys of the running actor's system: the one whose array holds the value. */
    akt_system *sys = NULL;
    an_sys *s = NULL;
    if (!rc && akt_ctx_system(I->cur_ctx, &sys) == 0)
        for (s = I->systems; s && s->sys != sys; s = s->next) {
        }
    return ext_value(env, I, s, rc, value);
}

/* systemExtension(handle, name) -> value */
static napi_value SystemExtension(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char buf[256];
    char *name = an_opt_string(I, env, argv[1], buf, sizeof buf);
    if (name == (char *)-1) return NULL;
    if (!name) return an_throw(env, I, AKT_EINVAL);
    void *value = NULL;
    int rc = akt_system_extension(s->sys, name, &value);
    return ext_value(env, I, s, rc, value);
}

napi_status an_register_headers(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"ctxHeaders", CtxHeaders},
                                {"ctxExtension", CtxExtension},
                                {"systemExtension", SystemExtension},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
