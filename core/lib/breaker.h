/* A circuit breaker: closed / open / half-open, judged on the failure rate over a sliding
 * window of time buckets. Internal for now (akt__*); the public akt_breaker_* API, its error
 * code and the bindings build on it. Thread-safe: every call may come from any thread; one
 * mutex per breaker guards its state (calls are rare next to messages, and the transitions
 * must see the window and the state together). The clock is injectable for tests. */
#ifndef AKT_CORE_LIB_BREAKER_H
#define AKT_CORE_LIB_BREAKER_H
#include <stdint.h>

#define AKT__BREAKER_MAX_BUCKETS 64

typedef enum { AKT__BREAKER_CLOSED, AKT__BREAKER_OPEN, AKT__BREAKER_HALF_OPEN } akt__breaker_state;

typedef struct akt__breaker_opts {
    double failure_rate;        /* (0, 1]: open when failures / calls >= this ... */
    uint32_t min_requests;      /* >= 1: ... and the window holds at least this many calls */
    int64_t open_ns;            /* > 0: how long it stays open before letting trial calls in */
    int64_t window_ns;          /* > 0: the sliding window's span ... */
    uint32_t buckets;           /* 1..AKT__BREAKER_MAX_BUCKETS: ... cut into this many buckets */
    uint32_t half_open_max;     /* >= 1: trial calls when half-open; all succeed -> closed */
    int64_t (*now)(void *data); /* NULL: the monotonic clock (akt__now_ns) */
    void *now_data;
} akt__breaker_opts;

typedef struct akt__breaker_metrics {
    uint64_t successes;  /* in the window */
    uint64_t failures;   /* in the window */
    double failure_rate; /* failures / (successes + failures), 0 when empty */
    akt__breaker_state state;
    uint64_t rejected; /* calls short-circuited since creation */
} akt__breaker_metrics;

typedef struct akt__breaker akt__breaker;

/* AKT_EINVAL for NULL or out-of-range options, AKT_ENOMEM. */
int akt__breaker_new(const akt__breaker_opts *opts, akt__breaker **out);
void akt__breaker_free(akt__breaker *b);
/* Ask to start a call: 0 (the caller must report it with akt__breaker_record), AKT_EBUSY when
 * open (or half-open with every trial slot taken): nothing may be started. */
int akt__breaker_acquire(akt__breaker *b);
/* The outcome of a call acquire allowed. AKT_EINVAL for NULL. */
int akt__breaker_record(akt__breaker *b, int ok);
int akt__breaker_metrics_get(akt__breaker *b, akt__breaker_metrics *out);

#endif
