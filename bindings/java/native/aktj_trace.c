/* Tracing (akt/telemetry.h): a span sink that calls dev.akt.TraceSink.onSpan on the
 * handling actor's thread, and traceparent parsing and formatting by akt's own code. */
#include <akt/telemetry.h>
#include <stdlib.h>
#include <string.h>

#include "aktj_internal.h"

typedef struct aktj_tsink {
    jobject sink; /* a global ref to the dev.akt.TraceSink */
    jmethodID on_span;
} aktj_tsink;

static jlong id64(const uint8_t *b) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | b[i];
    return (jlong)v;
}

static void put64(uint8_t *b, jlong v) {
    for (int i = 7; i >= 0; i--) {
        b[i] = (uint8_t)((uint64_t)v & 0xff);
        v = (jlong)((uint64_t)v >> 8);
    }
}

static void on_span(const akt_span *s, void *data) {
    aktj_tsink *k = data;
    JNIEnv *env = aktj_env();
    if (env == NULL || (*env)->PushLocalFrame(env, 8) != 0) return;
    jstring name = (*env)->NewStringUTF(env, s->name);
    jstring path = (*env)->NewStringUTF(env, s->actor_path);
    jstring type = (*env)->NewStringUTF(env, s->message_type);
    if (name != NULL && path != NULL && type != NULL)
        (*env)->CallVoidMethod(env, k->sink, k->on_span, name, id64(s->trace_id),
                               id64(s->trace_id + 8), id64(s->span_id), id64(s->parent_id),
                               (jint)s->flags, (jlong)s->start_ns, (jlong)s->end_ns, path, type,
                               (jint)s->status);
    aktj_drop_exception(env, "trace sink");
    (*env)->PopLocalFrame(env, NULL);
}

int aktj_trace_set_sink(JNIEnv *env, jlong system, jobject sink) {
    if (system == 0) return AKT_EINVAL;
    if (sink == NULL) return akt_trace_set_sink(AKTJ_PTR(system), NULL, NULL);
    jclass cls = (*env)->GetObjectClass(env, sink);
    jmethodID m = cls != NULL ? (*env)->GetMethodID(env, cls, "onSpan",
                                                    "(Ljava/lang/String;JJJJIJJLjava/lang/String;"
                                                    "Ljava/lang/String;I)V")
                              : NULL;
    if (m == NULL) {
        (*env)->ExceptionClear(env);
        return AKT_EINVAL;
    }
    /* Kept until the process ends: akt may still call an old sink while a switch is under
     * way (a few bytes per installation). */
    aktj_tsink *k = malloc(sizeof *k);
    if (k == NULL) return AKT_ENOMEM;
    k->sink = (*env)->NewGlobalRef(env, sink);
    k->on_span = m;
    int rc = k->sink != NULL ? akt_trace_set_sink(AKTJ_PTR(system), on_span, k) : AKT_ENOMEM;
    if (rc != 0) {
        if (k->sink != NULL) (*env)->DeleteGlobalRef(env, k->sink);
        free(k);
    }
    return rc;
}

jlong aktj_trace_invalid_count(jlong system) {
    uint64_t n = 0;
    int rc = akt_trace_invalid_count(AKTJ_PTR(system), &n);
    return rc ? rc : (jlong)n;
}

int aktj_traceparent_parse(JNIEnv *env, jbyteArray text, jlongArray out) {
    if (text == NULL || out == NULL || (*env)->GetArrayLength(env, out) < 4) return AKT_EINVAL;
    jsize len = (*env)->GetArrayLength(env, text);
    jbyte buf[256];
    if (len > (jsize)sizeof buf) return AKT_EINVAL;
    (*env)->GetByteArrayRegion(env, text, 0, len, buf);
    akt_trace_context c;
    int rc = akt_traceparent_parse((const char *)buf, (size_t)len, &c);
    if (rc) return rc;
    jlong v[4] = {id64(c.trace_id), id64(c.trace_id + 8), id64(c.span_id), c.flags};
    (*env)->SetLongArrayRegion(env, out, 0, 4, v);
    return 0;
}

jstring aktj_traceparent_format(JNIEnv *env, jlong trace_hi, jlong trace_lo, jlong span,
                                jint flags) {
    akt_trace_context c;
    put64(c.trace_id, trace_hi);
    put64(c.trace_id + 8, trace_lo);
    put64(c.span_id, span);
    c.flags = (uint8_t)flags;
    char out[AKT_TRACEPARENT_LEN + 1];
    if (flags < 0 || flags > 255 || akt_traceparent_format(&c, out, sizeof out)) return NULL;
    return (*env)->NewStringUTF(env, out);
}
