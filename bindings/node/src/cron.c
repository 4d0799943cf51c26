/* Cron expressions: the two akt_cron_* calls for lib/cron.cjs, which makes the errors
 * (CronSyntaxError with its column) and the Dates. */
#include "addon.h"

#include <stdlib.h>

/* The UTF-8 text of a JS string, malloc'd (NULL after throwing). */
static char *utf8_of(napi_env env, napi_value v) {
    size_t n = 0;
    if (!an_ok(env, napi_get_value_string_utf8(env, v, NULL, 0, &n))) return NULL;
    char *buf = malloc(n + 1);
    if (!buf) {
        napi_throw_error(env, "AKT_ENOMEM", "out of memory");
        return NULL;
    }
    napi_get_value_string_utf8(env, v, buf, n + 1, &n);
    return buf;
}

/* cronValidate(expr) -> 0, or the 1-based column of the error */
static napi_value CronValidate(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    (void)I;
    char *expr = utf8_of(env, argv[0]);
    if (!expr) return NULL;
    size_t col = 0;
    int rc = akt_cron_validate(expr, &col);
    free(expr);
    napi_value out;
    AN_CALL(napi_create_double(env, rc == 0 ? 0.0 : (double)col, &out));
    return out;
}

/* cronNext(expr, afterNs: bigint, flags) -> [rc, nextNs: bigint, column] */
static napi_value CronNext(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    (void)I;
    int64_t after = 0;
    bool lossless = true;
    uint32_t flags = 0;
    AN_CALL(napi_get_value_bigint_int64(env, argv[1], &after, &lossless));
    AN_CALL(napi_get_value_uint32(env, argv[2], &flags));
    char *expr = utf8_of(env, argv[0]);
    if (!expr) return NULL;
    int64_t next = 0;
    size_t col = 0;
    int rc = lossless ? akt_cron_next_after(expr, flags, after, &next, &col) : AKT_EINVAL;
    free(expr);
    napi_value arr, v;
    AN_CALL(napi_create_array_with_length(env, 3, &arr));
    AN_CALL(napi_create_int32(env, rc, &v));
    AN_CALL(napi_set_element(env, arr, 0, v));
    AN_CALL(napi_create_bigint_int64(env, next, &v));
    AN_CALL(napi_set_element(env, arr, 1, v));
    AN_CALL(napi_create_double(env, (double)col, &v));
    AN_CALL(napi_set_element(env, arr, 2, v));
    return arr;
}

napi_status an_register_cron(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {
        {"cronValidate", CronValidate}, {"cronNext", CronNext}, {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
