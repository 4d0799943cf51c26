/* Serializers for remoting (akt/remote.h): binding a type name to a serializer by name, and
 * the native half of serializers written in JS.
 *
 * JS runs on the JS thread only, and akt calls a serializer on its remoting thread, so a JS
 * serializer is split in two: the JS side (lib/types.cjs) encodes a value of its class into
 * a typed bytes message when it is sent, and decodes such a message by its type name when it
 * arrives; the native side registered here under the serializer's name passes those bytes
 * through unchanged in both directions, so the frame names the serializer and another
 * language's serializer of that name reads the same bytes. */
#include <akt/remote.h>
#include <string.h>

#include "addon.h"

static int pass_encode(akt_msg *msg, void *data, void **bytes, size_t *len, akt_free_fn *free_fn) {
    (void)data;
    const void *b = NULL;
    int rc = akt_msg_bytes(msg, &b, len);
    if (rc) return rc;
    *bytes = (void *)b;
    *free_fn = AKT_BORROW; /* lives as long as msg, which outlives the frame's packing */
    return 0;
}

static int pass_decode(const char *type, const void *bytes, size_t len, void *data, akt_msg **out) {
    (void)data;
    return akt_msg_new_bytes(type, bytes, len, AKT_COPY, out);
}

/* serializerRegister(handle, name) -> undefined */
static napi_value SerializerRegister(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char name[AKT_SERIALIZER_NAME_MAX + 2];
    char *n = an_opt_string(I, env, argv[1], name, sizeof name);
    if (n == (char *)-1) return NULL;
    if (!n) return an_throw(env, I, AKT_EINVAL);
    akt_serializer ser = {
        .size = sizeof ser, .name = n, .encode = pass_encode, .decode = pass_decode};
    int rc = akt_serializer_register(s->sys, &ser);
    return rc ? an_throw(env, I, rc) : NULL;
}

/* serializerBind(handle, type|null, name|null) -> undefined */
static napi_value SerializerBind(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char type[300], name[AKT_SERIALIZER_NAME_MAX + 2];
    char *t = an_opt_string(I, env, argv[1], type, sizeof type);
    if (t == (char *)-1) return NULL;
    char *n = an_opt_string(I, env, argv[2], name, sizeof name);
    if (n == (char *)-1) return NULL;
    int rc = akt_serializer_bind(s->sys, t, n);
    return rc ? an_throw(env, I, rc) : NULL;
}

/* serializerFor(handle, type) -> string | null */
static napi_value SerializerFor(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char type[300];
    char *t = an_opt_string(I, env, argv[1], type, sizeof type);
    if (t == (char *)-1) return NULL;
    const char *name = NULL;
    int rc = t ? akt_serializer_for(s->sys, t, &name) : AKT_EINVAL;
    if (rc) return an_throw(env, I, rc);
    napi_value r;
    if (name)
        napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &r);
    else
        napi_get_null(env, &r);
    return r;
}

napi_status an_register_serial(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"serializerRegister", SerializerRegister},
                                {"serializerBind", SerializerBind},
                                {"serializerFor", SerializerFor},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
