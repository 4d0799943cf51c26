/* The OTLP exporter's private parts: the span record it queues, the metric points of one
 * reading, the protobuf encoders (encode.c) and the HTTP client (http.c). */
#ifndef AKT_CORE_OTLP_OTLP_H
#define AKT_CORE_OTLP_OTLP_H
#include <akt/telemetry.h>
#include <stddef.h>
#include <stdint.h>

/* One span, copied out of the trace sink's borrowed akt_span: one allocation, the strings
 * after the record. */
typedef struct akt__otlp_span {
    uint8_t trace_id[16];
    uint8_t span_id[8];
    uint8_t parent_id[8];
    uint8_t flags;
    int status;
    int64_t start_ns, end_ns;
    const char *name, *path, *type; /* into text */
    char text[];
} akt__otlp_span;

/* A bump arena: what one request's message tree needs, freed at once. */
typedef struct akt__otlp_arena {
    struct akt__otlp_chunk *chunks;
    size_t left;
    char *next;
} akt__otlp_arena;

void *akt__otlp_arena_alloc(akt__otlp_arena *a, size_t n); /* zeroed; NULL: out of memory */
char *akt__otlp_arena_strdup(akt__otlp_arena *a, const char *s);
void akt__otlp_arena_free(akt__otlp_arena *a);

/* One metric data point of a reading, its strings in the reading's arena. */
typedef struct akt__otlp_point {
    const char *name, *unit, *description;
    int kind; /* enum akt_metric_kind */
    double value;
    size_t nattrs;
    const char **keys, **values;
} akt__otlp_point;

/* What every request says about its origin. */
typedef struct akt__otlp_origin {
    const char *service_name;
    const char *system_name;
    uint64_t start_ns; /* of the cumulative sums: the system's creation, wall clock */
} akt__otlp_origin;

/* An ExportTraceServiceRequest of spans[0..n) into *out (malloc'd, *len bytes): 0 or
 * AKT_ENOMEM. */
int akt__otlp_encode_spans(const akt__otlp_origin *o, akt__otlp_span *const *spans, size_t n,
                           uint8_t **out, size_t *len);
/* An ExportMetricsServiceRequest of the points (consecutive points of the same name are
 * one metric) taken at now_ns: 0 or AKT_ENOMEM. */
int akt__otlp_encode_metrics(const akt__otlp_origin *o, const akt__otlp_point *pts, size_t n,
                             uint64_t now_ns, uint8_t **out, size_t *len);

/* A libcurl easy handle with the request headers, reused (keep-alive) by the one thread. */
typedef struct akt__otlp_http {
    void *curl;
    struct curl_slist *headers;
} akt__otlp_http;

int akt__otlp_http_init(akt__otlp_http *h, const char *const *headers, size_t n,
                        int64_t timeout_ms);
/* POSTs body to url: the HTTP status, or 0 if no answer came (no connection, timeout). */
long akt__otlp_http_post(akt__otlp_http *h, const char *url, const uint8_t *body, size_t len);
void akt__otlp_http_free(akt__otlp_http *h);

#endif
