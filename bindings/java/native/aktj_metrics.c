/*
 * aktj_metrics.c -- metrics (akt/telemetry.h) for dev.akt: single readings as long[], walks
 * as rows of strings added to a java.util.List (values as decimal text, exact for doubles
 * with %.17g), which ActorSystem turns into records.
 */
#include <akt/telemetry.h>
#include <stdio.h>

#include "aktj_internal.h"

static void fill_actor(jlong *v, const akt_actor_metrics *m) {
    v[0] = (jlong)m->processed;
    v[1] = (jlong)m->restarts;
    v[2] = (jlong)m->failures;
    v[3] = (jlong)m->unhandled;
    v[4] = (jlong)m->mailbox_size;
    v[5] = (jlong)m->stash_size;
    v[6] = (jlong)m->children;
    v[7] = (jlong)m->last_processing_ns;
    v[8] = (jlong)m->uptime_ns;
    v[9] = (jlong)m->dead_letters;
    v[10] = (jlong)m->reinstates;
}

#define AKTJ_ACTOR_VALUES 11

int aktj_metrics_system(JNIEnv *env, jlong system, jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < 13) return AKT_EINVAL;
    akt_system_metrics m = {.size = sizeof m};
    int rc = akt_metrics_system(AKTJ_PTR(system), &m);
    if (rc) return rc;
    jlong v[13] = {(jlong)m.actors_alive, (jlong)m.actors_spawned, (jlong)m.actors_stopped,
                   (jlong)m.restarts,     (jlong)m.failures,       (jlong)m.dead_letters,
                   (jlong)m.unhandled,    (jlong)m.uptime_ns,      (jlong)m.grains,
                   (jlong)m.peers,        (jlong)m.passivated,     (jlong)m.scheduled,
                   (jlong)m.cancelled};
    (*env)->SetLongArrayRegion(env, out, 0, 13, v);
    return 0;
}

int aktj_metrics_actor(JNIEnv *env, jlong system, jlong pid, jlongArray out) {
    if (out == NULL || (*env)->GetArrayLength(env, out) < AKTJ_ACTOR_VALUES) return AKT_EINVAL;
    akt_actor_metrics m = {.size = sizeof m};
    int rc = akt_metrics_actor(AKTJ_PTR(system), aktj_pid(pid), &m);
    if (rc) return rc;
    jlong v[AKTJ_ACTOR_VALUES];
    fill_actor(v, &m);
    (*env)->SetLongArrayRegion(env, out, 0, AKTJ_ACTOR_VALUES, v);
    return 0;
}

jstring aktj_metrics_kind(JNIEnv *env, jlong system, jlong pid) {
    akt_actor_metrics m = {.size = sizeof m};
    if (akt_metrics_actor(AKTJ_PTR(system), aktj_pid(pid), &m) || m.kind == NULL) return NULL;
    return (*env)->NewStringUTF(env, m.kind); /* interned: lives as long as the system */
}

typedef struct rows {
    JNIEnv *env;
    jobject list;
    jmethodID add;
    jclass string;
    int failed;
} rows;

/* Adds a String[] of n C strings to the list; 1 (stop) if Java ran out of memory. */
static int add_row(rows *r, const char *const *cells, int n) {
    JNIEnv *env = r->env;
    jobjectArray row = (*env)->NewObjectArray(env, n, r->string, NULL);
    if (row == NULL) return r->failed = 1;
    for (int i = 0; i < n; i++) {
        jstring s = (*env)->NewStringUTF(env, cells[i]);
        if (s == NULL) return r->failed = 1;
        (*env)->SetObjectArrayElement(env, row, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    (*env)->CallBooleanMethod(env, r->list, r->add, row);
    (*env)->DeleteLocalRef(env, row);
    return r->failed = (*env)->ExceptionCheck(env) ? 1 : 0;
}

static int rows_init(JNIEnv *env, jobject list, rows *r) {
    r->env = env;
    r->list = list;
    r->failed = 0;
    jclass lc = list ? (*env)->GetObjectClass(env, list) : NULL;
    r->add = lc ? (*env)->GetMethodID(env, lc, "add", "(Ljava/lang/Object;)Z") : NULL;
    r->string = (*env)->FindClass(env, "java/lang/String");
    return r->add && r->string ? 0 : AKT_EINVAL;
}

static int on_actor(const akt_actor_metrics *m, const char *path, void *data) {
    jlong v[AKTJ_ACTOR_VALUES];
    fill_actor(v, m);
    char num[AKTJ_ACTOR_VALUES][24];
    const char *cells[AKTJ_ACTOR_VALUES + 2] = {path};
    for (int i = 0; i < AKTJ_ACTOR_VALUES; i++) {
        snprintf(num[i], sizeof num[i], "%lld", (long long)v[i]);
        cells[i + 1] = num[i];
    }
    cells[AKTJ_ACTOR_VALUES + 1] = m->kind ? m->kind : "";
    return add_row(data, cells, AKTJ_ACTOR_VALUES + 2);
}

int aktj_metrics_foreach(JNIEnv *env, jlong system, jobject list) {
    rows r;
    if (rows_init(env, list, &r)) return AKT_EINVAL;
    int rc = akt_metrics_foreach(AKTJ_PTR(system), on_actor, &r);
    return rc ? rc : r.failed ? AKT_ENOMEM : 0;
}

#define AKTJ_MAX_ATTRS 8

static int on_point(const akt_metric_point *p, void *data) {
    char kind[4], value[32];
    snprintf(kind, sizeof kind, "%d", p->kind);
    snprintf(value, sizeof value, "%.17g", p->value);
    const char *cells[5 + 2 * AKTJ_MAX_ATTRS] = {p->name, kind, p->unit, p->description, value};
    int n = 5;
    for (size_t i = 0; i < p->nattrs && i < AKTJ_MAX_ATTRS; i++) {
        cells[n++] = p->attrs[i].key;
        cells[n++] = p->attrs[i].value;
    }
    return add_row(data, cells, n);
}

int aktj_metrics_collect(JNIEnv *env, jlong system, jobject list) {
    rows r;
    if (rows_init(env, list, &r)) return AKT_EINVAL;
    int rc = akt_metrics_collect(AKTJ_PTR(system), on_point, &r);
    return rc ? rc : r.failed ? AKT_ENOMEM : 0;
}
