/* The OTLP exporter (akt/telemetry.h, akt_otlp_*): the native half of lib/otlp.cjs.
 * akt_otlp_flush waits for the exporter's thread, so it runs on libuv's thread pool and
 * settles a Promise on the JS thread (the system retained meanwhile). */
#include <akt/telemetry.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

#define AN_OTLP_MAX_HEADERS 64
#define AN_OTLP_TEXT 4096

static int get_u32(napi_env env, napi_value v, uint32_t *out) {
    double d;
    if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0) || !(d <= 4294967295.0) ||
        d != (double)(uint32_t)d)
        return 0;
    *out = (uint32_t)d;
    return 1;
}

static int get_ms(napi_env env, napi_value v, int64_t *out) {
    double d;
    if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0) || !(d <= 9e15)) return 0;
    *out = (int64_t)d;
    return 1;
}

/* otlpStart(handle, endpoint, headers: string[], serviceName | null, signals, batchSize,
 * queueCapacity, flushIntervalMs, timeoutMs, maxRetries) */
static napi_value OtlpStart(napi_env env, napi_callback_info info) {
    AN_ARGS(10);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    static char endpoint[AN_OTLP_TEXT], service[AN_OTLP_TEXT]; /* the JS thread only */
    char *headers[AN_OTLP_MAX_HEADERS] = {0};
    uint32_t nh = 0;
    napi_value out = NULL;
    akt_otlp_options o;
    akt_otlp_options_init(&o);
    if (!an_bounded_string(I, env, argv[1], endpoint, sizeof endpoint, sizeof endpoint - 2,
                           "an endpoint"))
        return NULL;
    o.endpoint = endpoint;
    napi_valuetype t;
    napi_typeof(env, argv[3], &t);
    if (t != napi_null) {
        if (!an_bounded_string(I, env, argv[3], service, sizeof service, sizeof service - 2,
                               "a service name"))
            return NULL;
        o.service_name = service;
    }
    bool is_array = false;
    napi_is_array(env, argv[2], &is_array);
    if (!is_array || napi_get_array_length(env, argv[2], &nh) != napi_ok ||
        nh > AN_OTLP_MAX_HEADERS)
        return an_throw(env, I, AKT_EINVAL);
    for (uint32_t i = 0; i < nh; i++) {
        napi_value h;
        headers[i] = malloc(AN_OTLP_TEXT);
        if (!headers[i] || napi_get_element(env, argv[2], i, &h) != napi_ok ||
            !an_bounded_string(I, env, h, headers[i], AN_OTLP_TEXT, AN_OTLP_TEXT - 2, "a header"))
            goto done;
    }
    o.headers = (const char *const *)headers;
    o.nheaders = nh;
    if (!get_u32(env, argv[4], &o.signals) || !get_u32(env, argv[5], &o.batch_size) ||
        !get_u32(env, argv[6], &o.queue_capacity) || !get_ms(env, argv[7], &o.flush_interval_ms) ||
        !get_ms(env, argv[8], &o.timeout_ms) || !get_u32(env, argv[9], &o.max_retries)) {
        an_throw(env, I, AKT_EINVAL);
        goto done;
    }
    int rc = akt_otlp_start(s->sys, &o);
    if (rc)
        an_throw(env, I, rc);
    else
        napi_get_undefined(env, &out);
done:
    for (uint32_t i = 0; i < nh; i++) free(headers[i]);
    return out;
}

typedef struct an_oflush {
    napi_async_work work;
    napi_deferred deferred;
    an_inst *I;
    akt_system *sys; /* a reference of the work's */
    int64_t timeout_ms;
    int rc;
} an_oflush;

static void oflush_execute(napi_env env, void *data) {
    (void)env;
    an_oflush *r = data;
    r->rc = akt_otlp_flush(r->sys, r->timeout_ms);
}

/* Resolves true (all accepted) or false (a request failed); rejects for any other code. */
static void oflush_complete(napi_env env, napi_status status, void *data) {
    an_oflush *r = data;
    if (status == napi_ok && (r->rc == 0 || r->rc == AKT_EUNREACHABLE)) {
        napi_value b;
        napi_get_boolean(env, r->rc == 0, &b);
        napi_resolve_deferred(env, r->deferred, b);
    } else {
        napi_reject_deferred(env, r->deferred,
                             an_make_error(env, r->I, r->rc ? r->rc : AKT_ECANCELED));
    }
    napi_delete_async_work(env, r->work);
    akt_system_release(r->sys);
    free(r);
}

/* otlpFlush(handle, timeoutMs) -> Promise of boolean */
static napi_value OtlpFlush(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    int64_t ms;
    if (!get_ms(env, argv[1], &ms)) return an_throw(env, I, AKT_EINVAL);
    an_oflush *r = calloc(1, sizeof *r);
    if (!r) return an_throw(env, I, AKT_ENOMEM);
    r->I = I;
    r->timeout_ms = ms;
    r->sys = s->sys;
    if (akt_system_retain(r->sys) != 0) {
        free(r);
        return an_throw(env, I, AKT_ECLOSED);
    }
    napi_value promise, name;
    if (napi_create_promise(env, &r->deferred, &promise) != napi_ok ||
        napi_create_string_utf8(env, "akt.otlpFlush", NAPI_AUTO_LENGTH, &name) != napi_ok ||
        napi_create_async_work(env, NULL, name, oflush_execute, oflush_complete, r, &r->work) !=
            napi_ok ||
        napi_queue_async_work(env, r->work) != napi_ok) {
        akt_system_release(r->sys);
        free(r);
        return an_throw(env, I, AKT_ENOMEM);
    }
    return promise;
}

static void set_num(napi_env env, napi_value obj, const char *key, double v) {
    napi_value n;
    napi_create_double(env, v, &n);
    napi_set_named_property(env, obj, key, n);
}

/* otlpStats(handle) -> { spansQueued, ... } */
static napi_value OtlpStats(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_otlp_stats st = {.size = sizeof st};
    int rc = akt_otlp_stats_read(s->sys, &st);
    if (rc) return an_throw(env, I, rc);
    napi_value o;
    AN_CALL(napi_create_object(env, &o));
    set_num(env, o, "spansQueued", (double)st.spans_queued);
    set_num(env, o, "spansExported", (double)st.spans_exported);
    set_num(env, o, "spansDropped", (double)st.spans_dropped);
    set_num(env, o, "spansDroppedFull", (double)st.spans_dropped_full);
    set_num(env, o, "pointsExported", (double)st.points_exported);
    set_num(env, o, "pointsDropped", (double)st.points_dropped);
    set_num(env, o, "requests", (double)st.requests);
    set_num(env, o, "requestsFailed", (double)st.requests_failed);
    set_num(env, o, "retries", (double)st.retries);
    set_num(env, o, "queueSize", (double)st.queue_size);
    set_num(env, o, "lastHttpStatus", (double)st.last_http_status);
    return o;
}

napi_status an_register_otlp(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {
        {"otlpStart", OtlpStart}, {"otlpFlush", OtlpFlush}, {"otlpStats", OtlpStats}, {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
