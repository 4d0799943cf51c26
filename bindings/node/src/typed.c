/* Registered message types (akt_type): register, look up, the id of the current message.
 * A message made from a registered name carries that type's handle (values.c). */
#include "addon.h"

static napi_value id_value(napi_env env, uint32_t id) {
    napi_value r;
    napi_create_uint32(env, id, &r);
    return r;
}

/* typeRegister(h, name) -> id (1..4095); the same id for a name registered again. */
static napi_value TypeRegister(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    char buf[300];
    char *name = an_opt_string(I, env, argv[1], buf, sizeof buf);
    if (name == (char *)-1) return NULL;
    const akt_type *t;
    int rc = name ? akt_type_register(s->sys, name, &t) : AKT_EINVAL;
    if (rc) return an_throw(env, I, rc);
    return id_value(env, akt_type_id(t));
}

/* typeId(name) -> the id of a registered name, 0 if it was never registered. */
static napi_value TypeId(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    char buf[300];
    char *name = an_opt_string(I, env, argv[0], buf, sizeof buf);
    if (name == (char *)-1) return NULL;
    if (!name) return an_throw(env, I, AKT_EINVAL);
    const akt_type *t;
    int rc = akt_type_lookup(name, &t);
    if (rc == AKT_ENOTFOUND) return id_value(env, 0);
    if (rc) return an_throw(env, I, rc);
    return id_value(env, akt_type_id(t));
}

/* ctxTypeId() -> the type id of the message being handled (0: a name nobody registered). */
static napi_value CtxTypeId(napi_env env, napi_callback_info info) {
    AN_ARGS(0);
    akt_ctx *ctx = I->cur_ctx;
    if (!ctx) return an_throw(env, I, AKT_EMISUSE);
    akt_msg *msg;
    int rc = akt_ctx_message(ctx, &msg); /* AKT_EMISUSE outside a message */
    if (rc) return an_throw(env, I, rc);
    return id_value(env, akt_msg_type_id(msg));
}

napi_status an_register_typed(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {
        {"typeRegister", TypeRegister}, {"typeId", TypeId}, {"ctxTypeId", CtxTypeId}, {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
