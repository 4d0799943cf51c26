/* akt codes become JS errors made by lib/errors.cjs (AktError subclasses with a code), so
 * bad input throws, never crashes. */
#include "addon.h"

napi_value an_make_error_msg(napi_env env, an_inst *I, int rc, const char *detail) {
    napi_value fn, args[2], err = NULL;
    if (detail) napi_create_string_utf8(env, detail, NAPI_AUTO_LENGTH, &args[1]);
    else napi_get_undefined(env, &args[1]);
    if (I->make_error && napi_get_reference_value(env, I->make_error, &fn) == napi_ok &&
        napi_create_int32(env, rc, &args[0]) == napi_ok &&
        napi_call_function(env, fn, fn, 2, args, &err) == napi_ok)
        return err;
    napi_value code, msg;
    napi_create_string_utf8(env, akt_err_name(rc), NAPI_AUTO_LENGTH, &code);
    napi_create_string_utf8(env, akt_strerror(rc), NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, code, msg, &err);
    return err;
}

napi_value an_make_error(napi_env env, an_inst *I, int rc) {
    return an_make_error_msg(env, I, rc, NULL);
}

napi_value an_throw_msg(napi_env env, an_inst *I, int rc, const char *detail) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw(env, an_make_error_msg(env, I, rc, detail));
    return NULL;
}

napi_value an_throw(napi_env env, an_inst *I, int rc) { return an_throw_msg(env, I, rc, NULL); }

int an_ok(napi_env env, napi_status st) {
    if (st == napi_ok) return 1;
    /* Read the message before any other call overwrites the last error. */
    const napi_extended_error_info *e = NULL;
    const char *text = "invalid argument";
    if (napi_get_last_error_info(env, &e) == napi_ok && e && e->error_message)
        text = e->error_message;
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_type_error(env, "AKT_EINVAL", text);
    return 0;
}
