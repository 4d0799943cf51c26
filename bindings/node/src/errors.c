/* akt codes become JS errors made by lib/errors.cjs (AktError subclasses with a code), so
 * bad input throws, never crashes. lib/errors.cjs makes its classes from `errors`, the
 * header's AKT_ERRNO_MAP expanded here: a code added to akt.h reaches JS by a rebuild. */
#include "addon.h"

/* Every row of AKT_ERRNO_MAP: the code's name as akt_err_name gives it, its value and its
 * description (the text akt_strerror gives). */
static const struct an_errno_row {
    const char *name;
    int code;
    const char *text;
} an_errnos[] = {
#define AN_ERRNO_ROW(name, value, text) {"AKT_" #name, value, text},
    AKT_ERRNO_MAP(AN_ERRNO_ROW)
#undef AN_ERRNO_ROW
};

napi_value an_make_error_msg(napi_env env, an_inst *I, int rc, const char *detail) {
    napi_value fn, args[2], err = NULL;
    if (detail)
        napi_create_string_utf8(env, detail, NAPI_AUTO_LENGTH, &args[1]);
    else
        napi_get_undefined(env, &args[1]);
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

/* errorInfo(rc) -> [name, description], from the library (any code, known or not) */
static napi_value ErrorInfo(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    int32_t rc = 0;
    AN_CALL(napi_get_value_int32(env, argv[0], &rc));
    napi_value arr, a, b;
    AN_CALL(napi_create_array_with_length(env, 2, &arr));
    AN_CALL(napi_create_string_utf8(env, akt_err_name(rc), NAPI_AUTO_LENGTH, &a));
    AN_CALL(napi_create_string_utf8(env, akt_strerror(rc), NAPI_AUTO_LENGTH, &b));
    AN_CALL(napi_set_element(env, arr, 0, a));
    AN_CALL(napi_set_element(env, arr, 1, b));
    return arr;
}

static napi_status error_row(napi_env env, const struct an_errno_row *r, napi_value *out) {
    napi_value name, code, text;
    napi_status st = napi_create_object(env, out);
    if (st == napi_ok) st = napi_create_string_utf8(env, r->name, NAPI_AUTO_LENGTH, &name);
    if (st == napi_ok) st = napi_create_int32(env, r->code, &code);
    if (st == napi_ok) st = napi_create_string_utf8(env, r->text, NAPI_AUTO_LENGTH, &text);
    if (st == napi_ok) st = napi_set_named_property(env, *out, "name", name);
    if (st == napi_ok) st = napi_set_named_property(env, *out, "code", code);
    if (st == napi_ok) st = napi_set_named_property(env, *out, "text", text);
    return st == napi_ok ? napi_object_freeze(env, *out) : st;
}

/* errors: a frozen array of { name, code, text }, one per row of AKT_ERRNO_MAP, in order. */
napi_status an_register_errors(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"errorInfo", ErrorInfo}, {NULL, NULL}};
    an_export(env, exports, I, fns);
    const size_t n = sizeof an_errnos / sizeof *an_errnos;
    napi_value arr, row;
    napi_status st = napi_create_array_with_length(env, n, &arr);
    for (size_t i = 0; st == napi_ok && i < n; i++) {
        st = error_row(env, &an_errnos[i], &row);
        if (st == napi_ok) st = napi_set_element(env, arr, (uint32_t)i, row);
    }
    if (st == napi_ok) st = napi_object_freeze(env, arr);
    return st == napi_ok ? napi_set_named_property(env, exports, "errors", arr) : st;
}
