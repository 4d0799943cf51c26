/* Tracing (akt/telemetry.h): a span sink whose spans are copied on the handling actor's
 * thread and delivered to the JS function on the JS thread, in order; traceparent parsing
 * and formatting by akt's own strict code. */
#include <akt/telemetry.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

/* One installed sink. Never freed before the instance ends: akt may still call an old one
 * while a switch is under way, and spans queued for it are dropped once it is inactive. */
typedef struct an_tsink {
    an_inst *inst;
    napi_ref fn;
    int active; /* JS thread only */
} an_tsink;

typedef struct an_tspan {
    an_tsink *sink;
    akt_span s;
    char *name, *path, *type;
} an_tspan;

static void on_span(const akt_span *s, void *data) {
    an_tsink *k = data;
    if (k->inst->closing) return;
    an_tspan *t = calloc(1, sizeof *t);
    if (!t) return;
    t->sink = k;
    t->s = *s;
    t->name = strdup(s->name);
    t->path = strdup(s->actor_path);
    t->type = strdup(s->message_type);
    an_inbox_push(k->inst, AN_ITEM_SPAN, t);
}

static napi_value hex(napi_env env, const uint8_t *b, size_t n) {
    static const char digits[] = "0123456789abcdef";
    char out[33];
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    napi_value v;
    napi_create_string_utf8(env, out, 2 * n, &v);
    return v;
}

static napi_value str(napi_env env, const char *s) {
    napi_value v;
    napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v);
    return v;
}

/* Calls fn(name, traceId, spanId, parentId | null, flags, startNs, endNs, path, type,
 * status); the times as BigInt. */
void an_span_deliver(an_inst *I, void *p) {
    an_tspan *t = p;
    napi_env env = I->env;
    if (t->sink->active && !I->closing) {
        static const uint8_t zero[8];
        napi_value fn, argv[10], r;
        argv[0] = str(env, t->name);
        argv[1] = hex(env, t->s.trace_id, 16);
        argv[2] = hex(env, t->s.span_id, 8);
        if (memcmp(t->s.parent_id, zero, 8) == 0)
            napi_get_null(env, &argv[3]);
        else
            argv[3] = hex(env, t->s.parent_id, 8);
        napi_create_uint32(env, t->s.flags, &argv[4]);
        napi_create_bigint_int64(env, t->s.start_ns, &argv[5]);
        napi_create_bigint_int64(env, t->s.end_ns, &argv[6]);
        argv[7] = str(env, t->path);
        argv[8] = str(env, t->type);
        napi_create_int32(env, t->s.status, &argv[9]);
        napi_get_reference_value(env, t->sink->fn, &fn);
        if (napi_call_function(env, fn, fn, 10, argv, &r) != napi_ok) {
            napi_value ex;
            napi_get_and_clear_last_exception(env, &ex);
        }
    }
    free(t->name);
    free(t->path);
    free(t->type);
    free(t);
}

/* traceSetSink(handle, fn | null, previous sink external | undefined) -> sink external |
 * null */
static napi_value TraceSetSink(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    napi_valuetype t;
    napi_typeof(env, argv[1], &t);
    if (t != napi_function && t != napi_null) return an_throw(env, I, AKT_EINVAL);
    an_tsink *old = NULL;
    napi_valuetype ot;
    napi_typeof(env, argv[2], &ot);
    if (ot == napi_external) napi_get_value_external(env, argv[2], (void **)&old);
    an_tsink *k = NULL;
    if (t == napi_function) {
        k = calloc(1, sizeof *k);
        if (!k) return an_throw(env, I, AKT_ENOMEM);
        k->inst = I;
        AN_CALL(napi_create_reference(env, argv[1], 1, &k->fn));
    }
    int rc = akt_trace_set_sink(s->sys, k ? on_span : NULL, k);
    if (rc) {
        if (k) {
            napi_delete_reference(env, k->fn);
            free(k);
        }
        return an_throw(env, I, rc);
    }
    if (old && old->active) {
        old->active = 0; /* its queued spans are dropped; akt may still call it */
        napi_delete_reference(env, old->fn);
        old->fn = NULL;
    }
    napi_value out;
    if (!k) {
        napi_get_null(env, &out);
        return out;
    }
    k->active = 1;
    AN_CALL(napi_create_external(env, k, NULL, NULL, &out));
    return out;
}

/* traceInvalidCount(handle) -> number */
static napi_value TraceInvalidCount(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    uint64_t n = 0;
    int rc = akt_trace_invalid_count(s->sys, &n);
    if (rc) return an_throw(env, I, rc);
    napi_value v;
    napi_create_double(env, (double)n, &v);
    return v;
}

/* traceparentParse(string) -> [traceId, spanId, flags] | null */
static napi_value TraceparentParse(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    char buf[256];
    size_t len = 0;
    napi_value out;
    napi_get_null(env, &out);
    if (napi_get_value_string_utf8(env, argv[0], buf, sizeof buf, &len) != napi_ok)
        return an_throw(env, I, AKT_EINVAL);
    akt_trace_context c;
    if (len >= sizeof buf - 1 || akt_traceparent_parse(buf, len, &c)) return out;
    napi_create_array_with_length(env, 3, &out);
    napi_set_element(env, out, 0, hex(env, c.trace_id, 16));
    napi_set_element(env, out, 1, hex(env, c.span_id, 8));
    napi_value f;
    napi_create_uint32(env, c.flags, &f);
    napi_set_element(env, out, 2, f);
    return out;
}

static int unhex(const char *s, uint8_t *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int j = 0; j < 2; j++) {
            char ch = s[2 * i + j];
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
            if (d < 0) return 0;
            v = v << 4 | (unsigned)d;
        }
        out[i] = (uint8_t)v;
    }
    return 1;
}

/* traceparentFormat(traceId, spanId, flags) -> string; EINVAL for bad ids */
static napi_value TraceparentFormat(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    char tid[40], sid[24];
    size_t tl = 0, sl = 0;
    uint32_t flags = 0;
    akt_trace_context c;
    if (napi_get_value_string_utf8(env, argv[0], tid, sizeof tid, &tl) != napi_ok ||
        napi_get_value_string_utf8(env, argv[1], sid, sizeof sid, &sl) != napi_ok ||
        napi_get_value_uint32(env, argv[2], &flags) != napi_ok || tl != 32 || sl != 16 ||
        flags > 255 || !unhex(tid, c.trace_id, 16) || !unhex(sid, c.span_id, 8))
        return an_throw(env, I, AKT_EINVAL);
    c.flags = (uint8_t)flags;
    char out[AKT_TRACEPARENT_LEN + 1];
    int rc = akt_traceparent_format(&c, out, sizeof out);
    if (rc) return an_throw(env, I, rc);
    return str(env, out);
}

napi_status an_register_trace(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"traceSetSink", TraceSetSink},
                                {"traceInvalidCount", TraceInvalidCount},
                                {"traceparentParse", TraceparentParse},
                                {"traceparentFormat", TraceparentFormat},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
