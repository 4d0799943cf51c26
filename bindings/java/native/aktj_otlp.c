/* The OTLP exporter (akt/telemetry.h, akt_otlp_*) for dev.akt.Otlp: the options as plain
 * values (headers one '\n'-separated string), the stats as a long[]. */
#include <akt/telemetry.h>
#include <stdlib.h>
#include <string.h>

#include "aktj_internal.h"

#define AKTJ_OTLP_MAX_HEADERS 64

static int u32(jlong v, uint32_t *out) {
    if (v < 0 || v > 0xFFFFFFFFLL) return 0;
    *out = (uint32_t)v;
    return 1;
}

int aktj_otlp_start(jlong system, const char *endpoint, const char *headers,
                    const char *service_name, int signals, jlong batch_size, jlong queue_capacity,
                    jlong flush_interval_ms, jlong timeout_ms, jlong max_retries) {
    if (system == 0 || endpoint == NULL || signals < 0) return AKT_EINVAL;
    akt_otlp_options o;
    akt_otlp_options_init(&o);
    o.endpoint = endpoint;
    o.service_name = service_name;
    o.signals = (unsigned)signals;
    o.flush_interval_ms = flush_interval_ms;
    o.timeout_ms = timeout_ms;
    if (!u32(batch_size, &o.batch_size) || !u32(queue_capacity, &o.queue_capacity) ||
        !u32(max_retries, &o.max_retries))
        return AKT_EINVAL;
    char *copy = NULL;
    const char *lines[AKTJ_OTLP_MAX_HEADERS];
    size_t n = 0;
    if (headers != NULL && *headers) {
        if ((copy = strdup(headers)) == NULL) return AKT_ENOMEM;
        for (char *p = copy; p;) {
            char *nl = strchr(p, '\n');
            if (nl) *nl = '\0';
            if (n == AKTJ_OTLP_MAX_HEADERS) {
                free(copy);
                return AKT_EINVAL;
            }
            lines[n++] = p;
            p = nl ? nl + 1 : NULL;
        }
        o.headers = lines;
        o.nheaders = n;
    }
    int rc = akt_otlp_start(AKTJ_PTR(system), &o);
    free(copy);
    return rc;
}

int aktj_otlp_flush(jlong system, jlong timeout_ms) {
    if (system == 0) return AKT_EINVAL;
    return akt_otlp_flush(AKTJ_PTR(system), timeout_ms);
}

int aktj_otlp_stats(JNIEnv *env, jlong system, jlongArray out) {
    if (system == 0 || out == NULL || (*env)->GetArrayLength(env, out) < 11) return AKT_EINVAL;
    akt_otlp_stats st = {.size = sizeof st};
    int rc = akt_otlp_stats_read(AKTJ_PTR(system), &st);
    if (rc) return rc;
    jlong v[11] = {
        (jlong)st.spans_queued,       (jlong)st.spans_exported,  (jlong)st.spans_dropped,
        (jlong)st.spans_dropped_full, (jlong)st.points_exported, (jlong)st.points_dropped,
        (jlong)st.requests,           (jlong)st.requests_failed, (jlong)st.retries,
        (jlong)st.queue_size,         (jlong)st.last_http_status};
    (*env)->SetLongArrayRegion(env, out, 0, 11, v);
    return 0;
}
