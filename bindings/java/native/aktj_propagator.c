/*
 * aktj_propagator.c -- the user's ContextPropagator (akt_system_options.propagator): at a
 * message's first send akt calls inject on the sending thread (any thread: akt's own are
 * attached to the JVM); it hands Java the headers of the message the sending actor is
 * handling ([] outside actors) and adds the pairs Java returns, except keys the sender set
 * itself. Upcalls.propagate catches what the user's code throws (logged), so nothing but a
 * JVM error gets here, and that is dropped: the message is sent either way.
 */
#include <string.h>

#include "aktj_internal.h"

/* static String[] propagate(Object propagation, String[] headers), looked up once (the
 * first system with a propagator is made on a Java thread, whose loader sees Upcalls). */
static _Atomic(jmethodID) propagate_id;

/* The headers of the message being handled by ctx's actor: [k0, v0, k1, v1, ...]. */
static jobjectArray headers_in(JNIEnv *env, akt_ctx *ctx, jclass str) {
    akt_msg *cur = NULL;
    if (ctx == NULL || akt_ctx_message(ctx, &cur) != 0) cur = NULL;
    return aktj_headers_array(env, cur, str);
}

/* Adds the pair (k, v) unless msg has k already; bad names and too many headers are
 * dropped (akt refuses them: the propagator cannot fail a send). */
static void add_pair(JNIEnv *env, akt_msg *msg, jstring k, jstring v) {
    if (k == NULL || v == NULL) return;
    const char *kc = (*env)->GetStringUTFChars(env, k, NULL);
    const char *vc = (*env)->GetStringUTFChars(env, v, NULL);
    const void *had;
    size_t len;
    if (kc != NULL && vc != NULL && akt_msg_header(msg, kc, &had, &len) != 0)
        akt_msg_set_header(msg, kc, vc, strlen(vc));
    if (kc != NULL) (*env)->ReleaseStringUTFChars(env, k, kc);
    if (vc != NULL) (*env)->ReleaseStringUTFChars(env, v, vc);
}

static void inject(akt_ctx *ctx, akt_msg *msg, void *data) {
    JNIEnv *env = aktj_env();
    /* relaxed: the id was stored before this system was created, and whatever handed the
     * system to this thread orders that store before this load. */
    jmethodID id = atomic_load_explicit(&propagate_id, memory_order_relaxed);
    if (env == NULL || id == NULL) return;
    if ((*env)->PushLocalFrame(env, 16) != 0) {
        aktj_drop_exception(env, "the propagator");
        return;
    }
    jclass str = (*env)->FindClass(env, "java/lang/String");
    jobjectArray in = str != NULL ? headers_in(env, ctx, str) : NULL;
    jobjectArray out = in == NULL ? NULL
                                  : (*env)->CallStaticObjectMethod(env, aktj_g.upcalls, id,
                                                                   (jobject)data, in);
    if (!aktj_drop_exception(env, "the propagator") && out != NULL) {
        jsize n = (*env)->GetArrayLength(env, out);
        for (jsize i = 0; i + 1 < n; i += 2) {
            jstring k = (*env)->GetObjectArrayElement(env, out, i);
            jstring v = (*env)->GetObjectArrayElement(env, out, i + 1);
            add_pair(env, msg, k, v);
            (*env)->DeleteLocalRef(env, k);
            (*env)->DeleteLocalRef(env, v);
        }
    }
    aktj_drop_exception(env, "the propagator");
    (*env)->PopLocalFrame(env, NULL);
}

int aktj_propagator_of(JNIEnv *env, jobject propagation, akt_propagator *out, jobject *ref) {
    *ref = NULL;
    if (propagation == NULL) return 0;
    if (atomic_load_explicit(&propagate_id, memory_order_relaxed) == NULL) {
        /* Racing first systems store the same id; relaxed: see inject. */
        jmethodID id = (*env)->GetStaticMethodID(env, aktj_g.upcalls, "propagate",
                                                 "(Ljava/lang/Object;[Ljava/lang/String;)"
                                                 "[Ljava/lang/String;");
        if (id == NULL) {
            aktj_drop_exception(env, "the propagator's lookup");
            return AKT_EINVAL;
        }
        atomic_store_explicit(&propagate_id, id, memory_order_relaxed);
    }
    if ((*ref = (*env)->NewGlobalRef(env, propagation)) == NULL) return AKT_ENOMEM;
    *out = (akt_propagator){.size = sizeof *out, .inject = inject, .data = *ref};
    return 1;
}
