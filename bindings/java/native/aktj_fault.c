/*
 * aktj_fault.c -- fault tolerance for dev.akt: circuit breakers (a handle as long), their
 * manual clock (a malloc'd int64 the Java side moves), and passivation.
 */
#include <stdlib.h>

#include "aktj_internal.h"

jlong aktj_clock_new(jlong start_ns) {
    int64_t *ns = malloc(sizeof *ns);
    if (ns) *ns = start_ns;
    return (jlong)(intptr_t)ns;
}

void aktj_clock_free(jlong clock) { free(AKTJ_PTR(clock)); }

jlong aktj_clock_advance(jlong clock, jlong by_ns) {
    /* relaxed: breakers read it with akt_breaker_manual_clock under their own lock */
    return clock ? __atomic_add_fetch((int64_t *)AKTJ_PTR(clock), by_ns, __ATOMIC_RELAXED) : 0;
}

int aktj_breaker_create(JNIEnv *env, jdouble failure_rate, jlong min_requests, jlong open_ns,
                        jlong window_ns, jlong buckets, jlong half_open, jlong clock,
                        jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < 1) return AKT_EINVAL;
    if (min_requests < 0 || min_requests > UINT32_MAX || buckets < 0 || buckets > UINT32_MAX ||
        half_open < 0 || half_open > UINT32_MAX)
        return AKT_EINVAL;
    akt_breaker_options o;
    akt_breaker_options_init(&o);
    o.failure_rate = failure_rate;
    o.min_requests = (uint32_t)min_requests;
    o.open_timeout_ns = open_ns;
    o.window_ns = window_ns;
    o.window_buckets = (uint32_t)buckets;
    o.half_open_max_calls = (uint32_t)half_open;
    if (clock) {
        o.clock = akt_breaker_manual_clock;
        o.clock_data = AKTJ_PTR(clock); /* the Java breaker keeps its clock alive */
    }
    akt_breaker *b = NULL;
    int rc = akt_breaker_create(&o, &b);
    if (rc == 0) {
        jlong h = (jlong)(intptr_t)b;
        (*env)->SetLongArrayRegion(env, out, 0, 1, &h);
    }
    return rc;
}

int aktj_breaker_allow(jlong breaker) { return akt_breaker_allow(AKTJ_PTR(breaker)); }

int aktj_breaker_record(jlong breaker, jint success) {
    return akt_breaker_record(AKTJ_PTR(breaker), success);
}

int aktj_breaker_free(jlong breaker) { return akt_breaker_release(AKTJ_PTR(breaker)); }

int aktj_breaker_metrics(JNIEnv *env, jlong breaker, jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < 4) return AKT_EINVAL;
    akt_breaker_metrics m = {.size = sizeof m};
    int rc = akt_breaker_metrics_get(AKTJ_PTR(breaker), &m);
    if (rc) return rc;
    jlong v[4] = {m.state, (jlong)m.successes, (jlong)m.failures, (jlong)m.rejected};
    (*env)->SetLongArrayRegion(env, out, 0, 4, v);
    return 0;
}

akt_passivation aktj_passivation_of(jint strategy, jlong value) {
    akt_passivation p = {.size = sizeof p, .strategy = strategy};
    if (strategy == AKT_PASSIVATE_IDLE) p.idle_ns = value;
    if (strategy == AKT_PASSIVATE_MESSAGES) p.messages = value < 0 ? 0 : (uint64_t)value;
    return p;
}

int aktj_passivation_set(jlong system, jlong pid, jint strategy, jlong value) {
    akt_passivation p = aktj_passivation_of(strategy, value);
    return akt_passivation_set(AKTJ_PTR(system), aktj_pid(pid), &p);
}

int aktj_system_passivation(jlong system, jint strategy, jlong value) {
    akt_passivation p = aktj_passivation_of(strategy, value);
    return akt_system_set_passivation(AKTJ_PTR(system), &p);
}

int aktj_ctx_pipe_start(JNIEnv *env, jlong ctx, jlong to, jstring path, jlong timeout_ns,
                        jlong breaker, jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < 1) return AKT_EINVAL;
    akt_pipe_options o;
    akt_pipe_options_init(&o);
    o.timeout_ns = timeout_ns;
    o.breaker = AKTJ_PTR(breaker);
    const char *p = path != NULL ? (*env)->GetStringUTFChars(env, path, NULL) : NULL;
    if (path != NULL && p == NULL) return AKT_ENOMEM;
    akt_pipe *pipe = NULL;
    int rc = akt_ctx_pipe_start(AKTJ_PTR(ctx), aktj_pid(to), p, &o, &pipe);
    if (p != NULL) (*env)->ReleaseStringUTFChars(env, path, p);
    if (rc == 0) {
        jlong h = (jlong)(intptr_t)pipe;
        (*env)->SetLongArrayRegion(env, out, 0, 1, &h);
    }
    return rc;
}

int aktj_pipe_complete(jlong pipe, jint rc, jlong msg) {
    return akt_pipe_complete(AKTJ_PTR(pipe), rc, AKTJ_PTR(msg));
}

int aktj_pipe_deliver(JNIEnv *env, jlong system, jlong pipe, jlong to, jstring path, jlong msg) {
    if (pipe == 0 || msg == 0) return AKT_EINVAL;
    akt_pid target = aktj_pid(to);
    if (path != NULL) {
        const char *p = (*env)->GetStringUTFChars(env, path, NULL);
        if (p == NULL || akt_lookup(AKTJ_PTR(system), p, &target) != 0) target.id = 0;
        if (p != NULL) (*env)->ReleaseStringUTFChars(env, path, p);
    }
    /* Issue 17: a result the target cannot read fails the pipe (a dead letter "pipe_to:
     * task failed") rather than arrive unreadable; a target by path is judged as it is now
     * (akt looks it up again to deliver). */
    if (target.id != 0 && aktj_reader_check(AKTJ_PTR(system), target, AKTJ_PTR(msg)) != 0) {
        akt_msg_release(AKTJ_PTR(msg));
        akt_pipe_complete(AKTJ_PTR(pipe), AKT_ENOTSUP, NULL);
        return AKT_ENOTSUP;
    }
    return akt_pipe_complete(AKTJ_PTR(pipe), 0, AKTJ_PTR(msg));
}
