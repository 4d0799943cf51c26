/*
 * aktj_msg.c -- Java objects as akt messages: the object waits in a slot (aktj_slots.c)
 * that travels inside the message and is given back exactly once, by akt's release;
 * to_bytes lets C actors (and any other binding) read byte[] and String messages.
 */
#include <stdlib.h>
#include <string.h>

#include "aktj_internal.h"

/* Runs on the thread that dropped the last reference: akt's threads are attached by the
 * hooks; a native thread of the application (see nativeHandle) is attached by aktj_env. */
static void object_release(void *object, void *ops_data) {
    (void)ops_data;
    aktj_object_drop(aktj_env(), object);
}

static int object_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                           akt_free_fn *free_fn) {
    (void)ops_data;
    JNIEnv *env = aktj_env();
    if (env == NULL) return AKT_ENOTSUP;
    /* A local frame: on akt's threads nothing else would ever free these locals. */
    if ((*env)->PushLocalFrame(env, 4) != 0) {
        aktj_drop_exception(env, "to_bytes");
        return AKT_ENOMEM;
    }
    int rc = AKT_ENOTSUP;
    jbyteArray bytes = (*env)->CallStaticObjectMethod(env, aktj_g.upcalls, aktj_g.to_bytes,
                                                      aktj_object_local(env, object));
    if (aktj_drop_exception(env, "Upcalls.toBytes")) bytes = NULL;
    if (bytes != NULL) {
        jsize n = (*env)->GetArrayLength(env, bytes);
        void *copy = malloc(n > 0 ? (size_t)n : 1);
        if (copy == NULL) {
            rc = AKT_ENOMEM;
        } else {
            (*env)->GetByteArrayRegion(env, bytes, 0, n, copy);
            *data = copy;
            *len = (size_t)n;
            *free_fn = free;
            rc = 0;
        }
    }
    (*env)->PopLocalFrame(env, NULL);
    return rc;
}

const akt_object_ops aktj_object_ops = {
    .size = sizeof(akt_object_ops),
    .release = object_release,
    .to_bytes = object_to_bytes,
};

jlong aktj_msg_new_object(JNIEnv *env, jobject obj, jlong type) {
    if (obj == NULL || type == 0) return 0;
    void *ref = aktj_object_hold(env, obj);
    if (ref == NULL) return 0;
    akt_msg *msg = NULL;
    int rc = (type & 1) != 0
                 ? akt_msg_new_typed_object(AKTJ_PTR(type & ~(jlong)1), ref, &aktj_object_ops, &msg)
                 : akt_msg_new_object(AKTJ_PTR(type), ref, &aktj_object_ops, &msg);
    if (rc != 0) {
        aktj_object_drop(env, ref); /* not taken on failure: still ours */
        return 0;
    }
    return AKTJ_HANDLE(msg);
}

jint aktj_ctx_type_id(jlong ctx) {
    akt_msg *msg = NULL;
    int rc = akt_ctx_message(AKTJ_PTR(ctx), &msg); /* AKT_EMISUSE outside a message */
    return rc != 0 ? rc : (jint)akt_msg_type_id(msg);
}

jobject aktj_msg_local(JNIEnv *env, const akt_msg *msg) {
    void *obj = NULL;
    if (msg == NULL || akt_msg_object(msg, &aktj_object_ops, &obj) != 0) return NULL;
    return aktj_object_local(env, obj);
}

jobject aktj_msg_object(JNIEnv *env, jlong msg) { return aktj_msg_local(env, AKTJ_PTR(msg)); }

jbyteArray aktj_msg_bytes(JNIEnv *env, jlong msg) {
    const void *data = NULL;
    size_t len = 0;
    if (akt_msg_bytes(AKTJ_PTR(msg), &data, &len) != 0 || len > 0x7fffffff) return NULL;
    jbyteArray a = (*env)->NewByteArray(env, (jsize)len);
    if (a != NULL && len > 0) (*env)->SetByteArrayRegion(env, a, 0, (jsize)len, data);
    return a;
}

jlong aktj_stat_live_objects(void) { return aktj_slots_live(); }
