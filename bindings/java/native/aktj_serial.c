/* Serializers for remoting, the native half of ActorSystem.registerSerializer: the Java
 * side (Serializers.java) encodes an object of a registered class into its bytes when
 * akt asks for them (Upcalls.toBytes, on the remoting thread) and decodes such bytes by
 * type name when the message reaches Java; the serializer registered here under the same
 * name passes those bytes through unchanged, so the frame names the serializer and another
 * language's serializer of that name reads the same bytes. */
#include "aktj_internal.h"
#include <akt/remote.h>
#include <stdlib.h>
#include <string.h>

static int pass_encode(akt_msg *msg, void *data, void **bytes, size_t *len, akt_free_fn *free_fn) {
    (void)data;
    const void *b = NULL;
    int rc = akt_msg_bytes(msg, &b, len);
    if (rc) return rc;
    *bytes = (void *)b;
    *free_fn = AKT_BORROW; /* lives as long as msg, which outlives the frame's packing */
    return 0;
}

static int pass_decode(const char *type, const void *bytes, size_t len, void *data, akt_msg **out) {
    (void)data;
    return akt_msg_new_bytes(type, bytes, len, AKT_COPY, out);
}

int aktj_serializer_register_bytes(jlong system, const char *name) {
    akt_serializer s = {
        .size = sizeof s, .name = name, .encode = pass_encode, .decode = pass_decode};
    return akt_serializer_register(AKTJ_PTR(system), &s);
}

jstring aktj_serializer_for(JNIEnv *env, jlong system, const char *type, jintArray rc_out) {
    const char *name = NULL;
    jint rc = akt_serializer_for(AKTJ_PTR(system), type, &name);
    if (rc_out != NULL && (*env)->GetArrayLength(env, rc_out) >= 1)
        (*env)->SetIntArrayRegion(env, rc_out, 0, 1, &rc);
    return rc == 0 && name ? (*env)->NewStringUTF(env, name) : NULL;
}
