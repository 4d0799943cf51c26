/* Fault tolerance for lib/breaker.cjs and lib/passivation.cjs: circuit breakers (an
 * external holding the akt_breaker, released by the GC), their manual clock (an external
 * int64 the JS side moves), and passivation (per actor and the system default). */
#include "addon.h"

#include <stdlib.h>

static void breaker_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    akt_breaker_release(data);
}

static void clock_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    free(data);
}

/* The akt_breaker of an external made by breakerCreate (NULL after throwing). */
static akt_breaker *breaker_of(napi_env env, an_inst *I, napi_value v) {
    void *p = NULL;
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok || t != napi_external ||
        napi_get_value_external(env, v, &p) != napi_ok || !p) {
        an_throw(env, I, AKT_EINVAL);
        return NULL;
    }
    return p;
}

/* manualClockCreate(startNs: bigint) -> external (the clock's int64) */
static napi_value ManualClockCreate(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    int64_t start = 0;
    bool lossless = true;
    AN_CALL(napi_get_value_bigint_int64(env, argv[0], &start, &lossless));
    if (!lossless || start < 0) return an_throw(env, I, AKT_EINVAL);
    int64_t *ns = malloc(sizeof *ns);
    if (!ns) return an_throw(env, I, AKT_ENOMEM);
    *ns = start;
    napi_value ext;
    AN_CALL(napi_create_external(env, ns, clock_finalize, NULL, &ext));
    return ext;
}

/* manualClockAdvance(clock, byNs: bigint) -> nowNs: bigint */
static napi_value ManualClockAdvance(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    void *p = NULL;
    AN_CALL(napi_get_value_external(env, argv[0], &p));
    int64_t by = 0;
    bool lossless = true;
    AN_CALL(napi_get_value_bigint_int64(env, argv[1], &by, &lossless));
    if (!lossless || by < 0) return an_throw(env, I, AKT_EINVAL);
    int64_t *ns = p;
    /* relaxed: breakers read it with akt_breaker_manual_clock under their own lock */
    int64_t now = __atomic_add_fetch(ns, by, __ATOMIC_RELAXED);
    napi_value out;
    AN_CALL(napi_create_bigint_int64(env, now, &out));
    return out;
}

/* breakerCreate(failureRate, minRequests, openNs: bigint, windowNs: bigint, buckets,
 * halfOpenMax, clock | null) -> external */
static napi_value BreakerCreate(napi_env env, napi_callback_info info) {
    AN_ARGS(7);
    akt_breaker_options o;
    akt_breaker_options_init(&o);
    bool lossless = true, l2 = true;
    AN_CALL(napi_get_value_double(env, argv[0], &o.failure_rate));
    AN_CALL(napi_get_value_uint32(env, argv[1], &o.min_requests));
    AN_CALL(napi_get_value_bigint_int64(env, argv[2], &o.open_timeout_ns, &lossless));
    AN_CALL(napi_get_value_bigint_int64(env, argv[3], &o.window_ns, &l2));
    AN_CALL(napi_get_value_uint32(env, argv[4], &o.window_buckets));
    AN_CALL(napi_get_value_uint32(env, argv[5], &o.half_open_max_calls));
    if (!lossless || !l2) return an_throw(env, I, AKT_EINVAL);
    napi_valuetype t;
    AN_CALL(napi_typeof(env, argv[6], &t));
    if (t == napi_external) {
        AN_CALL(napi_get_value_external(env, argv[6], &o.clock_data));
        o.clock = akt_breaker_manual_clock; /* the JS side keeps the clock alive */
    }
    akt_breaker *b = NULL;
    int rc = akt_breaker_create(&o, &b);
    if (rc) return an_throw(env, I, rc);
    napi_value ext;
    if (napi_create_external(env, b, breaker_finalize, NULL, &ext) != napi_ok) {
        akt_breaker_release(b);
        return NULL;
    }
    return ext;
}

/* breakerAllow(b) -> 0 | AKT_EBUSY */
static napi_value BreakerAllow(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    akt_breaker *b = breaker_of(env, I, argv[0]);
    if (!b) return NULL;
    napi_value out;
    AN_CALL(napi_create_int32(env, akt_breaker_allow(b), &out));
    return out;
}

/* breakerRecord(b, success: boolean) */
static napi_value BreakerRecord(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    akt_breaker *b = breaker_of(env, I, argv[0]);
    if (!b) return NULL;
    bool ok = false;
    AN_CALL(napi_get_value_bool(env, argv[1], &ok));
    akt_breaker_record(b, ok);
    return NULL;
}

/* breakerMetrics(b) -> [state, successes, failures, failureRate, rejected] */
static napi_value BreakerMetrics(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    akt_breaker *b = breaker_of(env, I, argv[0]);
    if (!b) return NULL;
    akt_breaker_metrics m = {.size = sizeof m};
    int rc = akt_breaker_metrics_get(b, &m);
    if (rc) return an_throw(env, I, rc);
    double v[] = {(double)m.state, (double)m.successes, (double)m.failures, m.failure_rate,
                  (double)m.rejected};
    napi_value arr, x;
    AN_CALL(napi_create_array_with_length(env, 5, &arr));
    for (uint32_t i = 0; i < 5; i++) {
        AN_CALL(napi_create_double(env, v[i], &x));
        AN_CALL(napi_set_element(env, arr, i, x));
    }
    return arr;
}

/* Reads (strategy, value: bigint) into p. */
int an_passivation_of(napi_env env, napi_value strategy, napi_value value, akt_passivation *p) {
    int32_t st = 0;
    int64_t v = 0;
    bool lossless = true;
    if (napi_get_value_int32(env, strategy, &st) != napi_ok ||
        napi_get_value_bigint_int64(env, value, &v, &lossless) != napi_ok || !lossless)
        return AKT_EINVAL;
    *p = (akt_passivation){.size = sizeof *p, .strategy = st};
    if (st == AKT_PASSIVATE_IDLE) p->idle_ns = v;
    if (st == AKT_PASSIVATE_MESSAGES) p->messages = v < 0 ? 0 : (uint64_t)v;
    return 0;
}

/* passivationSet(handle, lo, hi, strategy, value: bigint) -> rc */
static napi_value PassivationSet(napi_env env, napi_callback_info info) {
    AN_ARGS(5);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_pid pid;
    if (!an_get_pid(I, env, argv[1], argv[2], &pid)) return NULL;
    akt_passivation p;
    int rc = an_passivation_of(env, argv[3], argv[4], &p);
    if (!rc) rc = akt_passivation_set(s->sys, pid, &p);
    napi_value out;
    AN_CALL(napi_create_int32(env, rc, &out));
    return out;
}

/* passivationDefault(handle, strategy, value: bigint) -> rc */
static napi_value PassivationDefault(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_passivation p;
    int rc = an_passivation_of(env, argv[1], argv[2], &p);
    if (!rc) rc = akt_system_set_passivation(s->sys, &p);
    napi_value out;
    AN_CALL(napi_create_int32(env, rc, &out));
    return out;
}

/* ctxPipeStart(lo, hi, path | null, timeoutNs: bigint, breaker | null) -> external pipe (to
 * be completed exactly once with pipeComplete or pipeFail); in the running callback only. */
static napi_value CtxPipeStart(napi_env env, napi_callback_info info) {
    AN_ARGS(5);
    akt_ctx *ctx = I->cur_ctx;
    if (!ctx) return an_throw(env, I, AKT_EMISUSE);
    akt_pid to;
    if (!an_get_pid(I, env, argv[0], argv[1], &to)) return NULL;
    char pbuf[1024];
    char *path = an_opt_string(I, env, argv[2], pbuf, sizeof pbuf);
    if (path == (char *)-1) return NULL;
    akt_pipe_options o;
    akt_pipe_options_init(&o);
    bool lossless = true;
    AN_CALL(napi_get_value_bigint_int64(env, argv[3], &o.timeout_ns, &lossless));
    if (!lossless) return an_throw(env, I, AKT_EINVAL);
    napi_valuetype t;
    AN_CALL(napi_typeof(env, argv[4], &t));
    if (t == napi_external) {
        o.breaker = breaker_of(env, I, argv[4]);
        if (!o.breaker) return NULL;
    }
    akt_pipe *p = NULL;
    int rc = akt_ctx_pipe_start(ctx, to, path, &o, &p);
    if (rc) return an_throw(env, I, rc);
    napi_value ext;
    AN_CALL(napi_create_external(env, p, NULL, NULL, &ext));
    return ext;
}

/* The target of a completing pipe into *to: the actor at path (a string), else the pid
 * lo/hi; id 0 when the path names no actor now. 0 after throwing. */
static int pipe_target(napi_env env, an_inst *I, an_sys *s, napi_value lo, napi_value hi,
                       napi_value path, akt_pid *to) {
    char pbuf[1024];
    char *p = an_opt_string(I, env, path, pbuf, sizeof pbuf);
    if (p == (char *)-1) return 0;
    if (p) {
        if (akt_lookup(s->sys, p, to) != 0) to->id = 0;
        return 1;
    }
    return an_get_pid(I, env, lo, hi, to);
}

/* pipeComplete(system, pipe, value, type?, lo?, hi?, path?) -> undefined: delivers value
 * (as bytes) to the pipe's target (the pid lo/hi, or the actor at path when given). */
static napi_value PipeComplete(napi_env env, napi_callback_info info) {
    AN_ARGS(7);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    void *p = NULL;
    AN_CALL(napi_get_value_external(env, argv[1], &p));
    char tbuf[256];
    char *type = an_opt_string(I, env, argv[3], tbuf, sizeof tbuf);
    if (type == (char *)-1) { /* thrown already */
        akt_pipe_complete(p, AKT_EINVAL, NULL);
        return NULL;
    }
    akt_msg *m = NULL;
    int rc = an_msg_arg(s, env, argv[2], 0, type, 0, &m);
    if (rc) {
        akt_pipe_complete(p, rc, NULL); /* the value could not be made: the task failed */
        return an_throw(env, I, rc);
    }
    /* Issue 17: a result the target cannot read fails the pipe (a dead letter "pipe_to:
     * task failed") and throws, as a tell of it would; a target given by path is judged as
     * it is now (akt looks it up again to deliver). */
    akt_pid to = {0};
    if (argc > 6 && !pipe_target(env, I, s, argv[4], argv[5], argv[6], &to)) {
        akt_msg_release(m);
        akt_pipe_complete(p, AKT_EINVAL, NULL);
        return NULL;
    }
    if (to.id && an_reader_check(env, I, s, to, m, 0, "pipeTo")) {
        akt_pipe_complete(p, AKT_ENOTSUP, NULL); /* an_reader_check released m */
        return NULL;
    }
    akt_pipe_complete(p, 0, m);
    return NULL;
}

/* pipeFail(pipe, errno) -> undefined */
static napi_value PipeFail(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    (void)I;
    void *p = NULL;
    int32_t code = AKT_EFAILED;
    AN_CALL(napi_get_value_external(env, argv[0], &p));
    AN_CALL(napi_get_value_int32(env, argv[1], &code));
    akt_pipe_complete(p, code < 0 ? code : AKT_EFAILED, NULL);
    return NULL;
}

napi_status an_register_breaker(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"manualClockCreate", ManualClockCreate},
                                {"manualClockAdvance", ManualClockAdvance},
                                {"breakerCreate", BreakerCreate},
                                {"breakerAllow", BreakerAllow},
                                {"breakerRecord", BreakerRecord},
                                {"breakerMetrics", BreakerMetrics},
                                {"passivationSet", PassivationSet},
                                {"passivationDefault", PassivationDefault},
                                {"ctxPipeStart", CtxPipeStart},
                                {"pipeComplete", PipeComplete},
                                {"pipeFail", PipeFail},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
