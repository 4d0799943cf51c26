/*
 * aktj_cron.c -- cron expressions for dev.akt.Cron: the expression arrives as its UTF-8
 * bytes (Java checked it has no NUL), copied here with the terminator C needs.
 */
#include "aktj_internal.h"

#include <stdlib.h>
#include <string.h>

/* The bytes as a C string, malloc'd; NULL if expr is NULL or memory is short. */
static char *cstring(JNIEnv *env, jbyteArray expr) {
    if (expr == NULL) return NULL;
    jsize n = (*env)->GetArrayLength(env, expr);
    char *s = malloc((size_t)n + 1);
    if (s == NULL) return NULL;
    (*env)->GetByteArrayRegion(env, expr, 0, n, (jbyte *)s);
    s[n] = '\0';
    return s;
}

jlong aktj_cron_validate(JNIEnv *env, jbyteArray expr) {
    char *s = cstring(env, expr);
    if (s == NULL) return expr == NULL ? AKT_EINVAL : AKT_ENOMEM;
    size_t col = 0;
    int rc = akt_cron_validate(s, &col);
    free(s);
    return rc == 0 ? 0 : (jlong)col;
}

int aktj_cron_next(JNIEnv *env, jbyteArray expr, jint flags, jlong after_ns, jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < 2) return AKT_EINVAL;
    char *s = cstring(env, expr);
    if (s == NULL) return expr == NULL ? AKT_EINVAL : AKT_ENOMEM;
    int64_t next = 0;
    size_t col = 0;
    int rc = akt_cron_next_after(s, (unsigned)flags, after_ns, &next, &col);
    free(s);
    jlong vals[2] = {next, (jlong)col};
    (*env)->SetLongArrayRegion(env, out, 0, 2, vals);
    return rc;
}
