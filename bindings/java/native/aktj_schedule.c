/*
 * aktj_schedule.c -- schedules from Java: akt_schedule_once / every / cron with a Java object or a
 * message handle in one JNI crossing, and the listing as strings (pause, resume and cancel
 * take only a string: SWIG wraps them from akt.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aktj_internal.h"

static void set_rc(JNIEnv *env, jintArray rc_out, int rc) {
    jint v = rc;
    if (rc_out != NULL && (*env)->GetArrayLength(env, rc_out) >= 1)
        (*env)->SetIntArrayRegion(env, rc_out, 0, 1, &v);
}

/* Once, every (interval_ns != 0) or, with cron, on that expression. */
static jstring schedule_any(JNIEnv *env, jlong system, jlong pid, jobject obj, jlong type,
                            jlong msg, jlong delay_ns, jlong interval_ns, const char *cron,
                            unsigned flags, jstring reference, jlong sender, jintArray rc_out) {
    akt_schedule_options o = {sizeof o, NULL, aktj_pid(sender)};
    const char *ref = NULL;
    if (reference != NULL && (ref = (*env)->GetStringUTFChars(env, reference, NULL)) == NULL) {
        set_rc(env, rc_out, AKT_ENOMEM);
        return NULL;
    }
    o.reference = ref;
    akt_msg *m = AKTJ_PTR(msg);
    int made = 0, rc = 0;
    if (obj != NULL) {
        m = AKTJ_PTR(aktj_msg_new_object(env, obj, type));
        made = 1;
        if (m == NULL) rc = type == 0 ? AKT_EINVAL : AKT_ENOMEM;
    }
    char out[AKT_SCHEDULE_REF_MAX + 1];
    if (rc == 0) {
        akt_system *sys = AKTJ_PTR(system);
        /* Issue 17: every fire reads the same message, so a C target is judged once, now. */
        rc = aktj_reader_check(sys, aktj_pid(pid), m);
        if (rc == 0)
            rc = cron != NULL ? akt_schedule_cron(sys, aktj_pid(pid), m, cron, flags, &o, out,
                                                  sizeof out, NULL)
                 : interval_ns != 0
                     ? akt_schedule_every(sys, aktj_pid(pid), m, delay_ns, interval_ns, &o, out,
                                          sizeof out)
                     : akt_schedule_once(sys, aktj_pid(pid), m, delay_ns, &o, out, sizeof out);
        if (rc != 0 && made) akt_msg_release(m); /* a caller's handle stays the caller's */
    }
    if (ref != NULL) (*env)->ReleaseStringUTFChars(env, reference, ref);
    if (rc != 0) {
        set_rc(env, rc_out, rc);
        return NULL;
    }
    set_rc(env, rc_out, 0);
    return (*env)->NewStringUTF(env, out);
}

jstring aktj_schedule(JNIEnv *env, jlong system, jlong pid, jobject obj, jlong type, jlong msg,
                      jlong delay_ns, jlong interval_ns, jstring reference, jlong sender,
                      jintArray rc_out) {
    return schedule_any(env, system, pid, obj, type, msg, delay_ns, interval_ns, NULL, 0, reference,
                        sender, rc_out);
}

jstring aktj_schedule_cron(JNIEnv *env, jlong system, jlong pid, jobject obj, jlong type, jlong msg,
                           jstring expr, jint flags, jstring reference, jlong sender,
                           jintArray rc_out) {
    const char *cron = expr != NULL ? (*env)->GetStringUTFChars(env, expr, NULL) : NULL;
    if (cron == NULL) {
        set_rc(env, rc_out, expr != NULL ? AKT_ENOMEM : AKT_EINVAL);
        return NULL;
    }
    jstring out = schedule_any(env, system, pid, obj, type, msg, 0, 0, cron, (unsigned)flags,
                               reference, sender, rc_out);
    (*env)->ReleaseStringUTFChars(env, expr, cron);
    return out;
}

typedef struct rows {
    char **v;
    size_t n, cap;
    int failed;
} rows;

static void add_row(const akt_schedule_info *info, void *data) {
    rows *r = data;
    if (r->failed) return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **v = realloc(r->v, cap * sizeof *v);
        if (v == NULL) {
            r->failed = 1;
            return;
        }
        r->v = v;
        r->cap = cap;
    }
    int has_cron = info->size >= offsetof(akt_schedule_info, cron_flags) + sizeof info->cron_flags;
    const char *expr = has_cron && info->expression ? info->expression : "";
    size_t elen = strlen(expr);
    size_t len = strlen(info->reference) + elen + 128;
    char *row = malloc(len);
    if (row == NULL) {
        r->failed = 1;
        return;
    }
    snprintf(row, len, "%d %d %llu %llu %lld %u %zu %s%s%s", info->kind, info->paused,
             (unsigned long long)info->target.id, (unsigned long long)info->sender.id,
             (long long)info->interval_ns, has_cron ? info->cron_flags : 0u, elen, expr,
             elen ? " " : "", info->reference);
    r->v[r->n++] = row;
}

jobjectArray aktj_schedules(JNIEnv *env, jlong system, jintArray rc_out) {
    rows r = {0};
    int rc = akt_schedule_list(AKTJ_PTR(system), add_row, &r, NULL);
    if (rc == 0 && r.failed) rc = AKT_ENOMEM;
    jobjectArray arr = NULL;
    if (rc == 0) {
        jclass string = (*env)->FindClass(env, "java/lang/String");
        arr = string ? (*env)->NewObjectArray(env, (jsize)r.n, string, NULL) : NULL;
        for (size_t i = 0; arr != NULL && i < r.n; i++) {
            jstring s = (*env)->NewStringUTF(env, r.v[i]);
            if (s == NULL) {
                arr = NULL;
                break;
            }
            (*env)->SetObjectArrayElement(env, arr, (jsize)i, s);
            (*env)->DeleteLocalRef(env, s);
        }
        if (arr == NULL) rc = AKT_ENOMEM;
    }
    for (size_t i = 0; i < r.n; i++) free(r.v[i]);
    free(r.v);
    set_rc(env, rc_out, rc);
    return rc == 0 ? arr : NULL;
}
