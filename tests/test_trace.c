/* Spans: one per handled message, parented by the incoming traceparent, injected into what
 * is sent while it runs; invalid headers counted; off without a sink; one trace across two
 * systems connected by remoting. */
#include "tu.h"

#include <akt/remote.h>
#include <akt/telemetry.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

typedef struct rec {
    akt_span s;
    char path[128];
    char type[32];
    char name[48];
} rec;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static rec spans[64];
static int nspans;

static void sink(const akt_span *s, void *data) {
    (void)data;
    pthread_mutex_lock(&mu);
    if (nspans < 64) {
        rec *r = &spans[nspans++];
        r->s = *s;
        snprintf(r->path, sizeof r->path, "%s", s->actor_path);
        snprintf(r->type, sizeof r->type, "%s", s->message_type);
        snprintf(r->name, sizeof r->name, "%s", s->name);
    }
    pthread_mutex_unlock(&mu);
}

static int count(void) {
    pthread_mutex_lock(&mu);
    int n = nspans;
    pthread_mutex_unlock(&mu);
    return n;
}

/* The span of the message of type t (the first), or fail. */
static const rec *span_of(const char *t) {
    for (int i = 0; i < count(); i++)
        if (strcmp(spans[i].type, t) == 0) return &spans[i];
    fail_msg("no span for %s", t);
    return NULL;
}

static const uint8_t zero8[8];

/* "step" goes on to the actor in its state (if any) as "step2"/"step3"; logs headers. */
static tu_log hl;

static int relay_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    size_t n = 0;
    akt_msg_header_count(msg, &n);
    tu_log_add(&hl, "%s:%zu", akt_msg_type(msg), n);
    akt_pid *next = st;
    if (!next || !next->id) return 0;
    const char *t = akt_msg_type(msg);
    const char *out = strcmp(t, "step1") == 0 ? "step2" : "step3";
    return akt_ctx_tell(ctx, *next, tu_msg(out, ""));
}

static void reset(void) {
    pthread_mutex_lock(&mu);
    nspans = 0;
    pthread_mutex_unlock(&mu);
    tu_log_init(&hl);
}

static void test_off_adds_nothing(void **state) {
    (void)state;
    reset();
    akt_system *s = tu_system("off", 2);
    akt_behavior b = tu_behavior(relay_receive);
    static akt_pid none = {0}, next;
    next = tu_spawn(s, &b, &none, "c");
    akt_pid a = tu_spawn(s, &b, &next, "a");
    TU_OK(akt_tell(s, a, tu_msg("step1", "")));
    TU_EVENTUALLY(tu_log_count(&hl) == 2);
    assert_string_equal(tu_log_str(&hl), "step1:0 step2:0");
    assert_int_equal(count(), 0);
    /* On, then off again: nothing more. */
    TU_OK(akt_trace_set_sink(s, sink, NULL));
    TU_OK(akt_tell(s, a, tu_msg("step1", "")));
    TU_EVENTUALLY(count() == 2);
    TU_OK(akt_trace_set_sink(s, NULL, NULL));
    TU_OK(akt_tell(s, a, tu_msg("step1", "")));
    TU_EVENTUALLY(tu_log_count(&hl) == 6);
    assert_string_equal(tu_log_str(&hl), "step1:0 step2:0 step1:0 step2:1 step1:0 step2:0");
    assert_int_equal(count(), 2);
    tu_system_end(s);
    tu_log_destroy(&hl);
}

static void test_chain_is_one_trace(void **state) {
    (void)state;
    reset();
    akt_system *s = tu_system("chain", 2);
    TU_OK(akt_trace_set_sink(s, sink, NULL));
    akt_behavior b = tu_behavior(relay_receive);
    static akt_pid none = {0}, to_c, to_b;
    to_c = tu_spawn(s, &b, &none, "c");
    to_b = tu_spawn(s, &b, &to_c, "b");
    akt_pid a = tu_spawn(s, &b, &to_b, "a");
    TU_OK(akt_tell(s, a, tu_msg("step1", "")));
    TU_EVENTUALLY(count() == 3);
    const rec *ra = span_of("step1"), *rb = span_of("step2"), *rc = span_of("step3");
    assert_memory_equal(ra->s.parent_id, zero8, 8); /* from outside: a root */
    assert_memory_equal(rb->s.trace_id, ra->s.trace_id, 16);
    assert_memory_equal(rc->s.trace_id, ra->s.trace_id, 16);
    assert_memory_equal(rb->s.parent_id, ra->s.span_id, 8);
    assert_memory_equal(rc->s.parent_id, rb->s.span_id, 8);
    assert_memory_not_equal(rb->s.span_id, ra->s.span_id, 8);
    assert_string_equal(ra->path, "akt://chain/user/a");
    assert_string_equal(rc->path, "akt://chain/user/c");
    assert_string_equal(rb->name, "receive step2");
    assert_int_equal(ra->s.status, 0);
    assert_int_equal(ra->s.flags, AKT_TRACE_SAMPLED);
    assert_true(ra->s.start_ns > 0 && ra->s.end_ns >= ra->s.start_ns);
    assert_int_equal(ra->s.size, sizeof(akt_span));
    /* A second request is another trace. */
    TU_OK(akt_tell(s, a, tu_msg("step1", "")));
    TU_EVENTUALLY(count() == 6);
    assert_memory_not_equal(spans[3].s.trace_id, ra->s.trace_id, 16);
    tu_system_end(s);
    tu_log_destroy(&hl);
}

static void test_incoming_traceparent_is_the_parent(void **state) {
    (void)state;
    reset();
    akt_system *s = tu_system("incoming", 2);
    TU_OK(akt_trace_set_sink(s, sink, NULL));
    akt_behavior b = tu_behavior(relay_receive);
    akt_pid c = tu_spawn(s, &b, NULL, "c");
    const char *tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    akt_msg *m = tu_msg("good", "");
    TU_OK(akt_msg_set_header(m, AKT_TRACEPARENT_HEADER, tp, strlen(tp)));
    TU_OK(akt_tell(s, c, m));
    const char *bad = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-00";
    m = tu_msg("bad", "");
    TU_OK(akt_msg_set_header(m, AKT_TRACEPARENT_HEADER, bad, strlen(bad)));
    TU_OK(akt_tell(s, c, m));
    TU_EVENTUALLY(count() == 2);
    akt_trace_context want;
    TU_OK(akt_traceparent_parse(tp, strlen(tp), &want));
    const rec *g = span_of("good"), *x = span_of("bad");
    assert_memory_equal(g->s.trace_id, want.trace_id, 16);
    assert_memory_equal(g->s.parent_id, want.span_id, 8);
    assert_int_equal(g->s.flags, 0);
    assert_memory_equal(x->s.parent_id, zero8, 8);
    assert_memory_not_equal(x->s.trace_id, want.trace_id, 16);
    uint64_t invalid = 0;
    TU_OK(akt_trace_invalid_count(s, &invalid));
    assert_int_equal(invalid, 1);
    tu_system_end(s);
    tu_log_destroy(&hl);
}

/* Status: what receive returned. */
static int failing_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)msg;
    (void)st;
    return AKT_EINVAL;
}

static void test_status_is_receive_result(void **state) {
    (void)state;
    reset();
    akt_system *s = tu_system("status", 2);
    TU_OK(akt_trace_set_sink(s, sink, NULL));
    akt_behavior b = tu_behavior(failing_receive);
    akt_pid f = tu_spawn(s, &b, NULL, "f");
    TU_OK(akt_tell(s, f, tu_msg("boom", "")));
    TU_EVENTUALLY(count() >= 1);
    assert_int_equal(span_of("boom")->s.status, AKT_EINVAL);
    tu_system_end(s);
}

/* receive_batch: each pulled message is a span of its own, ended when the next is pulled
 * (or the run ends), with what it sent parented by it; the last one's status is the run's
 * result. */
static int batch_receive(akt_ctx *ctx, void *st) {
    akt_pid *next = st;
    akt_msg *m;
    while (akt_ctx_next(ctx, &m) == 0) {
        if (tu_is(m, "last")) return AKT_EINVAL; /* pulling on would finish it as handled */
        if (next->id) TU_CB_RC(0, akt_ctx_tell(ctx, *next, tu_msg("step2", "")));
    }
    return 0;
}

static void test_batch_actor_spans_each_message(void **state) {
    (void)state;
    reset();
    akt_system *s = tu_system("batch", 2);
    TU_OK(akt_trace_set_sink(s, sink, NULL));
    akt_behavior rb = tu_behavior(relay_receive);
    static akt_pid none = {0}, to_c;
    to_c = tu_spawn(s, &rb, &none, "c");
    akt_behavior bb = tu_behavior(relay_receive); /* receive_batch is used instead */
    bb.receive_batch = batch_receive;
    akt_pid bp = tu_spawn(s, &bb, &to_c, "b");
    TU_OK(akt_tell(s, bp, tu_msg("step1", "")));
    TU_OK(akt_tell(s, bp, tu_msg("step1", "")));
    TU_EVENTUALLY(count() == 4);
    pthread_mutex_lock(&mu);
    int pairs = 0;
    for (int i = 0; i < 4; i++) {
        if (strcmp(spans[i].type, "step2") != 0) continue;
        for (int j = 0; j < 4; j++)
            if (strcmp(spans[j].type, "step1") == 0 &&
                memcmp(spans[i].s.parent_id, spans[j].s.span_id, 8) == 0 &&
                memcmp(spans[i].s.trace_id, spans[j].s.trace_id, 16) == 0)
                pairs++;
    }
    pthread_mutex_unlock(&mu);
    assert_int_equal(pairs, 2); /* each step2 is the child of one step1 */
    TU_OK(akt_tell(s, bp, tu_msg("last", "")));
    TU_EVENTUALLY(count() == 5);
    assert_int_equal(span_of("last")->s.status, AKT_EINVAL);
    tu_system_end(s);
    tu_log_destroy(&hl);
}

static akt_system *node(const char *name) {
    akt_system *s = tu_system(name, 2);
    TU_OK(akt_remote_start(s, NULL));
    TU_OK(akt_trace_set_sink(s, sink, NULL));
    return s;
}

static void test_two_systems_one_trace(void **state) {
    (void)state;
    reset();
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior rb = tu_behavior(relay_receive);
    static akt_pid none = {0}, remote;
    tu_spawn(b, &rb, &none, "end");
    char addr[256], full[300];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    snprintf(full, sizeof full, "%s/user/end", addr);
    TU_OK(akt_remote_lookup(a, full, &remote));
    akt_pid first = tu_spawn(a, &rb, &remote, "first");
    TU_OK(akt_tell(a, first, tu_msg("step1", "")));
    TU_EVENTUALLY(count() == 2);
    const rec *r1 = span_of("step1"), *r2 = span_of("step2");
    assert_memory_equal(r2->s.trace_id, r1->s.trace_id, 16);
    assert_memory_equal(r2->s.parent_id, r1->s.span_id, 8);
    assert_string_equal(r1->path, "akt://alpha/user/first");
    assert_string_equal(r2->path, "akt://beta/user/end");
    tu_system_end(a);
    tu_system_end(b);
    tu_log_destroy(&hl);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        TU_TEST(test_off_adds_nothing),
        TU_TEST(test_chain_is_one_trace),
        TU_TEST(test_incoming_traceparent_is_the_parent),
        TU_TEST(test_status_is_receive_result),
        TU_TEST(test_batch_actor_spans_each_message),
        TU_TEST(test_two_systems_one_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
