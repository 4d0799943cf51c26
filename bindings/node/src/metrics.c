/* Metrics for Node (akt/telemetry.h): the readings as plain arrays of numbers and strings,
 * which lib/metrics.cjs turns into objects. */
#include <akt/telemetry.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"

static napi_value an_num(napi_env env, double v) {
    napi_value n;
    napi_create_double(env, v, &n);
    return n;
}

static napi_value an_str(napi_env env, const char *s) {
    napi_value v;
    napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
    return v;
}

/* The actor fields in the order of lib/metrics.cjs's ACTOR_FIELDS. */
static void an_actor_fields(napi_env env, napi_value arr, uint32_t at, const akt_actor_metrics *m) {
    double v[] = {(double)m->processed,    (double)m->restarts,           (double)m->failures,
                  (double)m->unhandled,    (double)m->mailbox_size,       (double)m->stash_size,
                  (double)m->children,     (double)m->last_processing_ns, (double)m->uptime_ns,
                  (double)m->dead_letters, (double)m->reinstates};
    uint32_t n = sizeof v / sizeof v[0];
    for (uint32_t i = 0; i < n; i++) napi_set_element(env, arr, at + i, an_num(env, v[i]));
    napi_value kind;
    if (m->kind)
        kind = an_str(env, m->kind);
    else
        napi_get_null(env, &kind);
    napi_set_element(env, arr, at + n, kind); /* the kind: a string or null */
}

/* metricsSystem(handle) -> [alive, spawned, stopped, restarts, failures, deadLetters,
 * unhandled, uptimeNs, grains, peers, passivated, scheduled, cancelled] */
static napi_value MetricsSystem(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_system_metrics m = {.size = sizeof m};
    int rc = akt_metrics_system(s->sys, &m);
    if (rc) return an_throw(env, I, rc);
    double v[] = {(double)m.actors_alive, (double)m.actors_spawned, (double)m.actors_stopped,
                  (double)m.restarts,     (double)m.failures,       (double)m.dead_letters,
                  (double)m.unhandled,    (double)m.uptime_ns,      (double)m.grains,
                  (double)m.peers,        (double)m.passivated,     (double)m.scheduled,
                  (double)m.cancelled};
    napi_value arr;
    napi_create_array_with_length(env, sizeof v / sizeof v[0], &arr);
    for (uint32_t i = 0; i < sizeof v / sizeof v[0]; i++)
        napi_set_element(env, arr, i, an_num(env, v[i]));
    return arr;
}

/* metricsActor(handle, lo, hi) -> the ACTOR_FIELDS */
static napi_value MetricsActor(napi_env env, napi_callback_info info) {
    AN_ARGS(3);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    akt_pid pid;
    if (!an_get_pid(I, env, argv[1], argv[2], &pid)) return NULL;
    akt_actor_metrics m = {.size = sizeof m};
    int rc = akt_metrics_actor(s->sys, pid, &m);
    if (rc) return an_throw(env, I, rc);
    napi_value arr;
    napi_create_array_with_length(env, 12, &arr);
    an_actor_fields(env, arr, 0, &m);
    return arr;
}

typedef struct an_walk {
    napi_env env;
    napi_value arr;
    uint32_t n;
} an_walk;

static int an_on_actor(const akt_actor_metrics *m, const char *path, void *data) {
    an_walk *w = data;
    napi_value row;
    napi_create_array_with_length(w->env, 13, &row);
    napi_set_element(w->env, row, 0, an_str(w->env, path));
    an_actor_fields(w->env, row, 1, m);
    napi_set_element(w->env, w->arr, w->n++, row);
    return 0;
}

/* metricsForeach(handle) -> [[path, ...ACTOR_FIELDS], ...] */
static napi_value MetricsForeach(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    an_walk w = {env, NULL, 0};
    napi_create_array(env, &w.arr);
    int rc = akt_metrics_foreach(s->sys, an_on_actor, &w);
    if (rc) return an_throw(env, I, rc);
    return w.arr;
}

static int an_on_point(const akt_metric_point *p, void *data) {
    an_walk *w = data;
    napi_value row, attrs;
    napi_create_array_with_length(w->env, 6, &row);
    napi_create_object(w->env, &attrs);
    for (size_t i = 0; i < p->nattrs; i++)
        napi_set_named_property(w->env, attrs, p->attrs[i].key, an_str(w->env, p->attrs[i].value));
    napi_set_element(w->env, row, 0, an_str(w->env, p->name));
    napi_set_element(w->env, row, 1, an_num(w->env, p->kind));
    napi_set_element(w->env, row, 2, an_str(w->env, p->unit));
    napi_set_element(w->env, row, 3, an_str(w->env, p->description));
    napi_set_element(w->env, row, 4, attrs);
    napi_set_element(w->env, row, 5, an_num(w->env, p->value));
    napi_set_element(w->env, w->arr, w->n++, row);
    return 0;
}

/* metricsCollect(handle) -> [[name, kind, unit, description, attributes, value], ...] */
static napi_value MetricsCollect(napi_env env, napi_callback_info info) {
    AN_ARGS(1);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    an_walk w = {env, NULL, 0};
    napi_create_array(env, &w.arr);
    int rc = akt_metrics_collect(s->sys, an_on_point, &w);
    if (rc) return an_throw(env, I, rc);
    return w.arr;
}

/* metricsLowCardinality(handle, on) */
static napi_value MetricsLowCardinality(napi_env env, napi_callback_info info) {
    AN_ARGS(2);
    an_sys *s = an_sys_of(env, argv[0]);
    if (!s) return NULL;
    bool on = false;
    if (napi_get_value_bool(env, argv[1], &on) != napi_ok) return an_throw(env, I, AKT_EINVAL);
    int rc = akt_metrics_set_low_cardinality(s->sys, on);
    if (rc) return an_throw(env, I, rc);
    return NULL;
}

napi_status an_register_metrics(napi_env env, napi_value exports, an_inst *I) {
    static const an_fn fns[] = {{"metricsSystem", MetricsSystem},
                                {"metricsActor", MetricsActor},
                                {"metricsForeach", MetricsForeach},
                                {"metricsCollect", MetricsCollect},
                                {"metricsLowCardinality", MetricsLowCardinality},
                                {NULL, NULL}};
    an_export(env, exports, I, fns);
    return napi_ok;
}
