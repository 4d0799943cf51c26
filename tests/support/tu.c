/* tu.c -- test utilities; see tu.h for why callbacks never call cmocka asserts. */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ctest runs each test of a suite in its own process (cmake/akt_helpers.cmake): the test's
 * name comes in AKT_TEST_FILTER. Run by hand without it, a suite runs all its tests. */
__attribute__((constructor)) static void tu_select_test(void) {
    const char *only = getenv("AKT_TEST_FILTER");
    if (only && *only) cmocka_set_test_filter(only);
}

int64_t tu_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void tu_sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* Absolute CLOCK_REALTIME deadline for pthread_cond_timedwait. */
static struct timespec deadline_ts(int64_t from_now_ns) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ns = ts.tv_nsec + from_now_ns;
    ts.tv_sec += (time_t)(ns / 1000000000LL);
    ts.tv_nsec = (long)(ns % 1000000000LL);
    return ts;
}

/* ---- callback failures ------------------------------------------------------------- */

static pthread_mutex_t cb_mu = PTHREAD_MUTEX_INITIALIZER;
static int cb_count;
static char cb_first[512];

void tu_cb_fail(const char *file, int line, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&cb_mu);
    if (cb_count++ == 0) snprintf(cb_first, sizeof cb_first, "%s:%d: %s", file, line, msg);
    pthread_mutex_unlock(&cb_mu);
    /* Printed at once too: if the test hangs afterwards, the cause is already on screen. */
    fprintf(stderr, "callback failure: %s:%d: %s\n", file, line, msg);
}

int tu_cb_failures(void) {
    pthread_mutex_lock(&cb_mu);
    int n = cb_count;
    pthread_mutex_unlock(&cb_mu);
    return n;
}

void tu_assert_no_cb_failures(void) {
    pthread_mutex_lock(&cb_mu);
    int n = cb_count;
    char first[512];
    memcpy(first, cb_first, sizeof first);
    pthread_mutex_unlock(&cb_mu);
    if (n != 0) fail_msg("%d failure(s) inside akt callbacks; first: %s", n, first);
}

int tu_setup(void **state) {
    (void)state;
    pthread_mutex_lock(&cb_mu);
    cb_count = 0;
    cb_first[0] = 0;
    pthread_mutex_unlock(&cb_mu);
    return 0;
}

int tu_teardown(void **state) {
    (void)state;
    tu_assert_no_cb_failures();
    return 0;
}

/* ---- gate ---------------------------------------------------------------------------- */

void tu_gate_init(tu_gate *g) {
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    g->open = 0;
    g->waiters = 0;
}

void tu_gate_destroy(tu_gate *g) {
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
}

void tu_gate_wait(tu_gate *g) {
    struct timespec dl = deadline_ts(TU_DEADLINE_NS);
    pthread_mutex_lock(&g->mu);
    g->waiters++;
    pthread_cond_broadcast(&g->cv);
    while (!g->open) {
        if (pthread_cond_timedwait(&g->cv, &g->mu, &dl) != 0 && !g->open) {
            tu_cb_fail(__FILE__, __LINE__, "gate never opened");
            break;
        }
    }
    pthread_mutex_unlock(&g->mu);
}

void tu_gate_open(tu_gate *g) {
    pthread_mutex_lock(&g->mu);
    g->open = 1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

void tu_gate_await_waiters(tu_gate *g, int n) {
    struct timespec dl = deadline_ts(TU_DEADLINE_NS);
    pthread_mutex_lock(&g->mu);
    int timed_out = 0;
    while (g->waiters < n && !timed_out)
        timed_out = pthread_cond_timedwait(&g->cv, &g->mu, &dl) != 0 && g->waiters < n;
    pthread_mutex_unlock(&g->mu);
    if (timed_out) fail_msg("timed out waiting for %d thread(s) to block on the gate", n);
}

/* ---- log ----------------------------------------------------------------------------- */

void tu_log_init(tu_log *l) {
    pthread_mutex_init(&l->mu, NULL);
    l->n = 0;
}

void tu_log_destroy(tu_log *l) { pthread_mutex_destroy(&l->mu); }

void tu_log_add(tu_log *l, const char *fmt, ...) {
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&l->mu);
    if (l->n < TU_LOG_MAX) memcpy(l->item[l->n], buf, sizeof buf);
    l->n++;
    pthread_mutex_unlock(&l->mu);
}

int tu_log_count(tu_log *l) {
    pthread_mutex_lock(&l->mu);
    int n = l->n;
    pthread_mutex_unlock(&l->mu);
    return n;
}

int tu_log_index(tu_log *l, const char *s) {
    int at = -1;
    pthread_mutex_lock(&l->mu);
    for (int i = 0; i < l->n && i < TU_LOG_MAX; i++) {
        if (strcmp(l->item[i], s) == 0) {
            at = i;
            break;
        }
    }
    pthread_mutex_unlock(&l->mu);
    return at;
}

void tu_log_get(tu_log *l, int i, char *buf, size_t len) {
    pthread_mutex_lock(&l->mu);
    if (i >= 0 && i < l->n && i < TU_LOG_MAX)
        snprintf(buf, len, "%s", l->item[i]);
    else if (len > 0)
        buf[0] = 0;
    pthread_mutex_unlock(&l->mu);
}

const char *tu_log_str(tu_log *l) {
    static char out[4096];
    size_t used = 0;
    out[0] = 0;
    pthread_mutex_lock(&l->mu);
    for (int i = 0; i < l->n && i < TU_LOG_MAX && used + 70 < sizeof out; i++)
        used += (size_t)snprintf(out + used, sizeof out - used, "%s%s", i ? " " : "", l->item[i]);
    pthread_mutex_unlock(&l->mu);
    return out;
}

/* ---- events -------------------------------------------------------------------------- */

void tu_events_init(tu_events *r) {
    pthread_mutex_init(&r->mu, NULL);
    r->n = 0;
}

void tu_events_destroy(tu_events *r) { pthread_mutex_destroy(&r->mu); }

void tu_events_cb(const akt_event *ev, void *data) {
    tu_events *r = data;
    TU_CB_CHECK(ev != NULL);
    if (!ev) return;
    TU_CB_CHECK(ev->size >= sizeof(akt_event));
    tu_ev e;
    memset(&e, 0, sizeof e);
    e.kind = ev->kind;
    e.pid = ev->pid;
    e.sender = ev->sender;
    e.code = ev->code;
    if (ev->msg) {
        e.has_msg = 1;
        const char *t = akt_msg_type(ev->msg);
        snprintf(e.type, sizeof e.type, "%s", t ? t : "(null)");
    }
    if (ev->reason) {
        e.has_reason = 1;
        snprintf(e.reason, sizeof e.reason, "%s", ev->reason);
    }
    if (ev->path) {
        e.has_path = 1;
        snprintf(e.path, sizeof e.path, "%s", ev->path);
    }
    pthread_mutex_lock(&r->mu);
    if (r->n < TU_EV_MAX) r->ev[r->n] = e;
    r->n++;
    pthread_mutex_unlock(&r->mu);
}

static int ev_match(const tu_ev *e, unsigned kinds, akt_pid pid) {
    return (e->kind & kinds) != 0 && (pid.id == 0 || e->pid.id == pid.id);
}

int tu_events_count(tu_events *r, unsigned kinds, akt_pid pid) {
    int c = 0;
    pthread_mutex_lock(&r->mu);
    for (int i = 0; i < r->n && i < TU_EV_MAX; i++) c += ev_match(&r->ev[i], kinds, pid);
    pthread_mutex_unlock(&r->mu);
    return c;
}

int tu_events_find(tu_events *r, unsigned kinds, akt_pid pid, tu_ev *out) {
    int found = 0;
    pthread_mutex_lock(&r->mu);
    for (int i = 0; i < r->n && i < TU_EV_MAX; i++) {
        if (ev_match(&r->ev[i], kinds, pid)) {
            *out = r->ev[i];
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&r->mu);
    return found;
}

/* ---- messages ------------------------------------------------------------------------ */

static akt_msg *new_bytes(const char *type, const void *data, size_t len) {
    akt_msg *m = NULL;
    int rc = akt_msg_new_bytes(type, data, len, AKT_COPY, &m);
    if (rc != 0) {
        tu_cb_fail(__FILE__, __LINE__, "akt_msg_new_bytes(%s) returned %s", type, akt_err_name(rc));
        return NULL;
    }
    return m;
}

akt_msg *tu_msg(const char *type, const char *text) {
    return new_bytes(type, text, text ? strlen(text) : 0);
}

akt_msg *tu_msg_u64(const char *type, uint64_t v) { return new_bytes(type, &v, sizeof v); }

akt_msg *tu_msg_pid(const char *type, akt_pid pid) { return tu_msg_u64(type, pid.id); }

int tu_refused_suspended(akt_system *sys, akt_pid pid, akt_msg *msg) {
    int rc = akt_tell(sys, pid, msg);
    if (rc) akt_msg_release(msg);
    return rc == AKT_ESUSPENDED;
}

int tu_is(const akt_msg *msg, const char *type) {
    const char *t = akt_msg_type(msg);
    return t != NULL && strcmp(t, type) == 0;
}

uint64_t tu_u64(akt_msg *msg) {
    const void *data = NULL;
    size_t len = 0;
    int rc = akt_msg_bytes(msg, &data, &len);
    if (rc != 0 || len != sizeof(uint64_t)) {
        tu_cb_fail(__FILE__, __LINE__, "message %s has no u64 payload (rc %s, len %zu)",
                   akt_msg_type(msg) ? akt_msg_type(msg) : "(null)", akt_err_name(rc), len);
        return 0;
    }
    uint64_t v;
    memcpy(&v, data, sizeof v);
    return v;
}

akt_pid tu_pid(akt_msg *msg) {
    akt_pid p = {tu_u64(msg)};
    return p;
}

void tu_text(akt_msg *msg, char *buf, size_t len) {
    const void *data = NULL;
    size_t n = 0;
    buf[0] = 0;
    if (akt_msg_bytes(msg, &data, &n) != 0) return;
    if (n >= len) n = len - 1;
    if (n) memcpy(buf, data, n);
    buf[n] = 0;
}

static int respond(akt_ctx *ctx, akt_msg *m) {
    if (!m) return AKT_ENOMEM;
    int rc = akt_ctx_respond(ctx, m);
    if (rc != 0) akt_msg_release(m);
    /* A plain tell from outside has nobody to answer: not a failure of the actor. */
    return rc == AKT_ENOTFOUND ? 0 : rc;
}

int tu_reply(akt_ctx *ctx, const char *type, const char *text) {
    return respond(ctx, tu_msg(type, text));
}

int tu_reply_u64(akt_ctx *ctx, const char *type, uint64_t v) {
    return respond(ctx, tu_msg_u64(type, v));
}

/* ---- systems, actors, asks ----------------------------------------------------------- */

akt_system *tu_system_with(const akt_system_options *opts) {
    akt_system *sys = NULL;
    TU_OK(akt_system_create(opts, &sys));
    assert_non_null(sys);
    return sys;
}

akt_system *tu_system(const char *name, int workers) {
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = name;
    o.workers = workers;
    return tu_system_with(&o);
}

void tu_system_end(akt_system *sys) {
    int rc = akt_system_shutdown(sys, NULL, NULL);
    if (rc != 0 && rc != AKT_ECLOSED) fail_msg("akt_system_shutdown returned %s", akt_err_name(rc));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    TU_OK(akt_system_release(sys));
}

void tu_system_end_running(akt_system *sys, akt_dispatcher *d) {
    int rc = akt_system_shutdown(sys, NULL, NULL);
    if (rc != 0 && rc != AKT_ECLOSED) fail_msg("akt_system_shutdown returned %s", akt_err_name(rc));
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    for (;;) {
        /* The actors of d stop (post_stop) inside runs on this thread. */
        rc = akt_dispatcher_run(d, 1000, NULL);
        if (rc != 0 && rc != AKT_EAGAIN && rc != AKT_ECLOSED)
            fail_msg("akt_dispatcher_run during shutdown returned %s", akt_err_name(rc));
        rc = akt_system_wait(sys, TU_MS(1));
        if (rc == 0) break;
        if (rc != AKT_ETIMEDOUT) fail_msg("akt_system_wait returned %s", akt_err_name(rc));
        if (tu_now_ns() > dl) fail_msg("shutdown with an external dispatcher did not complete");
    }
    TU_OK(akt_system_release(sys));
}

akt_behavior tu_behavior(akt_receive_fn receive) {
    akt_behavior b;
    memset(&b, 0, sizeof b);
    b.size = sizeof b;
    b.receive = receive;
    return b;
}

akt_pid tu_spawn(akt_system *sys, const akt_behavior *b, void *state, const char *name) {
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.name = name;
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, b, state, &o, &pid));
    assert_true(pid.id != AKT_PID_NONE_ID);
    return pid;
}

int tu_wait(akt_future *f, akt_msg **reply) {
    akt_msg *r = NULL;
    int rc = akt_future_wait(f, TU_DEADLINE_NS, &r);
    if (rc == AKT_EAGAIN)
        fail_msg("future still pending after %lld s", (long long)(TU_DEADLINE_NS / TU_SEC(1)));
    if (reply)
        *reply = rc == 0 ? r : NULL;
    else if (rc == 0)
        akt_msg_release(r);
    return rc;
}

int tu_ask(akt_system *sys, akt_pid to, akt_msg *msg, akt_msg **reply) {
    akt_future *f = NULL;
    if (reply) *reply = NULL;
    int rc = akt_ask(sys, to, msg, TU_DEADLINE_NS, &f);
    if (rc != 0) {
        akt_msg_release(msg);
        return rc;
    }
    rc = tu_wait(f, reply);
    TU_OK(akt_future_release(f));
    return rc;
}

uint64_t tu_ask_u64(akt_system *sys, akt_pid to, const char *type) {
    akt_msg *reply = NULL;
    int rc = tu_ask(sys, to, tu_msg(type, NULL), &reply);
    if (rc != 0) fail_msg("ask %s returned %s", type, akt_err_name(rc));
    uint64_t v = tu_u64(reply);
    akt_msg_release(reply);
    return v;
}

void tu_stop_wait(akt_system *sys, akt_pid pid) {
    akt_future *f = NULL;
    TU_OK(akt_stop_graceful(sys, pid, TU_DEADLINE_NS, &f));
    TU_OK(tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
}

void tu_wait_dead(akt_system *sys, akt_pid pid) { TU_EVENTUALLY(akt_pid_is_alive(sys, pid) == 0); }
