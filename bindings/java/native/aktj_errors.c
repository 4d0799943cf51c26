/*
 * aktj_errors.c -- akt.h's error table for Java: the AKT_ERRNO_MAP rows as two arrays.
 */
#include "aktj_internal.h"

#define AKTJ_ERR_CODE(name, value, text) value,
#define AKTJ_ERR_NAME(name, value, text) #name,
static const jint codes[] = {AKT_ERRNO_MAP(AKTJ_ERR_CODE)};
static const char *const names[] = {AKT_ERRNO_MAP(AKTJ_ERR_NAME)};
#define NCODES ((jsize)(sizeof codes / sizeof codes[0]))
_Static_assert(sizeof codes / sizeof codes[0] == sizeof names / sizeof names[0],
               "one name per code");

jintArray aktj_error_codes(JNIEnv *env) {
    jintArray a = (*env)->NewIntArray(env, NCODES);
    if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, NCODES, codes);
    return a;
}

jobjectArray aktj_error_names(JNIEnv *env) {
    jclass string = (*env)->FindClass(env, "java/lang/String");
    if (string == NULL) return NULL;
    jobjectArray a = (*env)->NewObjectArray(env, NCODES, string, NULL);
    (*env)->DeleteLocalRef(env, string);
    for (jsize i = 0; a != NULL && i < NCODES; i++) {
        jstring s = (*env)->NewStringUTF(env, names[i]);
        if (s == NULL) return NULL; /* OutOfMemoryError is pending */
        (*env)->SetObjectArrayElement(env, a, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return a;
}
