/* test_stream_actor: actor sources and sinks and the parallel map of akt/stream.h: a queue
 * source refuses offers past its capacity (AKT_EFULL) and loses nothing, an actor sink sends
 * only against its target's acks, map_async keeps its parallelism bound and its order
 * (ordered) or completion order (unordered), and failures and cancels mid-stream. */
#define _GNU_SOURCE
#include "tu.h"

#include <akt/stream.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static akt_system *sys;

static int t_setup(void **state) {
    sys = tu_system("streams-actor", 2);
    return tu_setup(state);
}

static int t_teardown(void **state) {
    if (sys) tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define T_TEST(f) cmocka_unit_test_setup_teardown(f, t_setup, t_teardown)

static akt_msg *i64(int64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    akt_msg *m = NULL;
    if (akt_msg_new_bytes(AKT_TYPE_INT64, b, 8, AKT_COPY, &m) != 0) return NULL;
    return m;
}

static int64_t val(akt_msg *m) {
    const void *p = NULL;
    size_t n = 0;
    if (akt_msg_bytes(m, &p, &n) != 0 || n != 8) return -1;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | ((const unsigned char *)p)[i];
    return (int64_t)v;
}

static int64_t result(akt_stream *s, size_t i) {
    akt_msg *m = NULL;
    TU_OK(akt_stream_result_at(s, i, &m));
    return val(m);
}

static akt_stream_stage_metrics metrics(akt_stream *s, size_t stage) {
    akt_stream_stage_metrics m = {.size = sizeof m};
    TU_OK(akt_stream_metrics(s, stage, &m));
    return m;
}

/* ---- the target of an actor sink ---------------------------------------------------- *
 * Records every element; acknowledges at once when open, else counts what it owes and pays
 * it back (telling the sink, the sender it remembered) on "t.Open". */
#define N_MAX 4096
typedef struct target {
    int open;
    int64_t got[N_MAX];
    atomic_int n_got;
    atomic_int done; /* the on_complete message came */
    atomic_int max_unacked;
    int unacked;
    akt_pid sink;
} target;

static int target_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    target *t = state;
    if (tu_is(msg, "t.Open")) {
        t->open = 1;
        for (; t->unacked > 0; t->unacked--) {
            akt_msg *ack = tu_msg("t.Ack", "");
            TU_CB_RC(0, akt_ctx_tell(ctx, t->sink, ack));
        }
        return 0;
    }
    if (tu_is(msg, "t.Done")) {
        atomic_store(&t->done, atomic_load(&t->n_got) + 1);
        return 0;
    }
    int n = atomic_load(&t->n_got);
    if (n < N_MAX) t->got[n] = val(msg);
    atomic_store(&t->n_got, n + 1);
    if (t->open) return tu_reply(ctx, "t.Ack", "");
    akt_ctx_sender(ctx, &t->sink);
    t->unacked++;
    if (t->unacked > atomic_load(&t->max_unacked)) atomic_store(&t->max_unacked, t->unacked);
    return 0;
}

static void test_queue_to_actor_backpressure_no_loss(void **state) {
    (void)state;
    static target t;
    memset(&t, 0, sizeof t);
    akt_behavior b = tu_behavior(target_receive);
    akt_pid tp = tu_spawn(sys, &b, &t, "target");
    akt_msg *done = tu_msg("t.Done", "");
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 4));
    TU_OK(akt_stream_source_queue(g, 8));
    TU_OK(akt_stream_sink_actor(g, tp, 3, done));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    /* The target acknowledges nothing yet: the offers are refused once the queue, the sink's
     * window and the 3 in flight are full. */
    int accepted = 0, refused = 0;
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (!refused) {
        akt_msg *m = i64(accepted);
        int rc = akt_stream_offer(s, m);
        if (rc == 0) {
            accepted++;
        } else {
            assert_int_equal(rc, AKT_EFULL);
            akt_msg_release(m);
            /* Full now; stays full while nobody acks: the pipeline holds a bounded number. */
            size_t q = 0;
            TU_OK(akt_stream_queued(s, &q));
            if (q == 8) refused = 1;
        }
        assert_true(tu_now_ns() < dl);
        assert_true(accepted <= 8 + 4 + 3);
    }
    TU_EVENTUALLY(atomic_load(&t.n_got) == 3);
    assert_int_equal(atomic_load(&t.max_unacked), 3);
    TU_OK(akt_tell(sys, tp, tu_msg("t.Open", "")));
    /* Then the rest, offered as room frees (the producer's retry loop), in order. */
    const int n = 1000;
    for (int i = accepted; i < n;) {
        akt_msg *m = i64(i);
        int rc = akt_stream_offer(s, m);
        if (rc == 0) {
            i++;
            continue;
        }
        assert_int_equal(rc, AKT_EFULL);
        akt_msg_release(m);
        assert_true(tu_now_ns() < dl);
        sched_yield();
    }
    TU_OK(akt_stream_drain(s));
    akt_msg *late = i64(-1);
    TU_RC(AKT_ESTOPPED, akt_stream_offer(s, late));
    akt_msg_release(late);
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    TU_EVENTUALLY(atomic_load(&t.done) != 0);
    assert_int_equal(atomic_load(&t.n_got), n);
    assert_int_equal(atomic_load(&t.done), n + 1); /* on_complete came after the last */
    for (int i = 0; i < n; i++) assert_int_equal(t.got[i], i);
    assert_int_equal(atomic_load(&t.max_unacked), 3);
    assert_int_equal(metrics(s, 0).out, (uint64_t)n);
    assert_int_equal(metrics(s, 1).out, (uint64_t)n);
    assert_string_equal(metrics(s, 0).name, "queue");
    assert_string_equal(metrics(s, 1).name, "actor");
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_msg_release(done));
    tu_stop_wait(sys, tp);
}

/* An actor pushes: a producer actor offers from its receive, and on AKT_EFULL asks itself
 * to try again (a tell to itself, no sleep). */
typedef struct producer {
    akt_stream *s;
    int next, n;
    atomic_int refusals;
} producer;

static int producer_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    producer *p = state;
    while (p->next < p->n) {
        akt_msg *m = i64(p->next);
        int rc = akt_stream_offer(p->s, m);
        if (rc == AKT_EFULL) {
            akt_msg_release(m);
            atomic_fetch_add(&p->refusals, 1);
            akt_pid self;
            akt_ctx_self(ctx, &self);
            return akt_ctx_tell(ctx, self, tu_msg("p.Again", ""));
        }
        TU_CB_RC(0, rc);
        p->next++;
    }
    TU_CB_RC(0, akt_stream_drain(p->s));
    (void)msg;
    return 0;
}

static int add_one(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    *out = i64(val(in) + 1);
    return *out ? 0 : AKT_ENOMEM;
}

static void test_actor_pushes_into_a_queue(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 2));
    TU_OK(akt_stream_source_queue(g, 2));
    TU_OK(akt_stream_map(g, add_one, NULL));
    TU_OK(akt_stream_sink_collect(g));
    static producer p;
    memset(&p, 0, sizeof p);
    p.n = 2000;
    TU_OK(akt_stream_run(sys, g, &p.s));
    akt_behavior b = tu_behavior(producer_receive);
    akt_pid pp = tu_spawn(sys, &b, &p, "producer");
    TU_OK(akt_tell(sys, pp, tu_msg("p.Go", "")));
    TU_OK(akt_stream_wait(p.s, TU_DEADLINE_NS));
    size_t n = 0;
    TU_OK(akt_stream_result_count(p.s, &n));
    assert_int_equal(n, 2000);
    for (size_t i = 0; i < n; i++) assert_int_equal(result(p.s, i), (int64_t)i + 1);
    TU_OK(akt_stream_release(p.s));
    TU_OK(akt_stream_graph_free(g));
    tu_stop_wait(sys, pp);
}

static void test_actor_sink_target_stops_mid_stream(void **state) {
    (void)state;
    static target t;
    memset(&t, 0, sizeof t);
    akt_behavior b = tu_behavior(target_receive);
    akt_pid tp = tu_spawn(sys, &b, &t, "target2");
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 1000000, 1));
    TU_OK(akt_stream_sink_actor(g, tp, 2, NULL));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_EVENTUALLY(atomic_load(&t.n_got) == 2); /* never acked: the source waits */
    tu_stop_wait(sys, tp);
    TU_RC(AKT_ESTOPPED, akt_stream_wait(s, TU_DEADLINE_NS));
    const char *why = NULL;
    TU_OK(akt_stream_reason(s, &why));
    assert_string_equal(why, "stage 1 (actor): the target actor stopped");
    assert_true(metrics(s, 0).out <= 2 + 16 + 16); /* bounded by the windows */
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

/* ---- map_async ---------------------------------------------------------------------- */

/* A completer thread that completes pending calls in LIFO order once it holds `batch` of
 * them (or the stream's input is exhausted: `flush`), so ordered and unordered differ. */
typedef struct job {
    akt_stream_async *p;
    int64_t v;
} job;

typedef struct completer {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job jobs[64];
    int n, batch, quit, fail_at;
    int expected; /* once this many calls came (0: never), whatever is held is completed */
    atomic_int in_flight, max_in_flight, calls;
    pthread_t th;
} completer;

static void *completer_main(void *arg) {
    completer *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->quit && c->n < c->batch &&
               !(c->expected && c->n && atomic_load(&c->calls) >= c->expected))
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->quit && c->n == 0) break;
        while (c->n > 0) {
            job j = c->jobs[--c->n];
            pthread_mutex_unlock(&c->mu);
            atomic_fetch_sub(&c->in_flight, 1);
            if (j.v == c->fail_at)
                akt_stream_async_complete(j.p, AKT_EFAILED, NULL);
            else
                akt_stream_async_complete(j.p, 0, i64(j.v * 10));
            pthread_mutex_lock(&c->mu);
        }
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static int submit(akt_msg *in, akt_stream_async *p, void *data) {
    completer *c = data;
    atomic_fetch_add(&c->calls, 1);
    int now = atomic_fetch_add(&c->in_flight, 1) + 1;
    if (now > atomic_load(&c->max_in_flight)) atomic_store(&c->max_in_flight, now);
    pthread_mutex_lock(&c->mu);
    c->jobs[c->n++] = (job){p, val(in)};
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return 0;
}

static void completer_start(completer *c, int batch, int fail_at) {
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->batch = batch;
    c->fail_at = fail_at;
    pthread_create(&c->th, NULL, completer_main, c);
}

static void completer_stop(completer *c) {
    pthread_mutex_lock(&c->mu);
    c->quit = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->th, NULL);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
}

static void run_map_async(int ordered, int parallelism) {
    static completer c;
    completer_start(&c, parallelism, -1);
    pthread_mutex_lock(&c.mu);
    c.expected = 400; /* the last calls need not make a whole batch */
    pthread_mutex_unlock(&c.mu);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 400, 1));
    TU_OK(akt_stream_map_async(g, (size_t)parallelism, ordered, submit, &c));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS)); /* 400 is a multiple of every batch used */
    size_t n = 0;
    TU_OK(akt_stream_result_count(s, &n));
    assert_int_equal(n, 400);
    int seen[400] = {0};
    int in_order = 1;
    for (size_t i = 0; i < n; i++) {
        int64_t v = result(s, i);
        assert_true(v % 10 == 0 && v >= 0 && v < 4000);
        seen[v / 10]++;
        if (v != (int64_t)i * 10) in_order = 0;
    }
    for (int i = 0; i < 400; i++) assert_int_equal(seen[i], 1); /* no loss, no duplicate */
    assert_int_equal(in_order, ordered); /* LIFO completions: unordered is out of order */
    assert_true(atomic_load(&c.max_in_flight) <= parallelism);
    assert_int_equal(atomic_load(&c.max_in_flight), parallelism);
    assert_string_equal(metrics(s, 1).name, "map_async");
    assert_int_equal(metrics(s, 1).out, 400);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    completer_stop(&c);
}

static void test_map_async_ordered(void **state) {
    (void)state;
    run_map_async(1, 4);
    run_map_async(1, 1);
}

static void test_map_async_unordered(void **state) {
    (void)state;
    run_map_async(0, 4);
}

static void test_map_async_failure_and_resume(void **state) {
    (void)state;
    for (int resume = 0; resume <= 1; resume++) {
        static completer c;
        completer_start(&c, 1, 7);
        akt_stream_graph *g = NULL;
        TU_OK(akt_stream_graph_new(&g));
        TU_OK(akt_stream_source_range(g, 0, 20, 1));
        TU_OK(akt_stream_map_async(g, 3, 1, submit, &c));
        if (resume) TU_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RESUME, 0));
        TU_OK(akt_stream_sink_collect(g));
        akt_stream *s = NULL;
        TU_OK(akt_stream_run(sys, g, &s));
        int rc = akt_stream_wait(s, TU_DEADLINE_NS);
        if (resume) {
            assert_int_equal(rc, 0);
            size_t n = 0;
            TU_OK(akt_stream_result_count(s, &n));
            assert_int_equal(n, 19);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(result(s, i), (int64_t)(i < 7 ? i : i + 1) * 10);
            assert_int_equal(metrics(s, 1).drops, 1);
        } else {
            assert_int_equal(rc, AKT_EFAILED);
            const char *why = NULL;
            TU_OK(akt_stream_reason(s, &why));
            assert_string_equal(why, "stage 1 (map_async): actor failed");
        }
        assert_int_equal(metrics(s, 1).errors, 1);
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(g));
        completer_stop(&c);
    }
}

/* Canceled with calls pending: their late completions are released, nothing leaks. */
static void test_map_async_cancel_with_pending(void **state) {
    (void)state;
    static completer c;
    completer_start(&c, 1000, -1); /* holds every call until stopped */
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 1000, 1));
    TU_OK(akt_stream_map_async(g, 5, 0, submit, &c));
    TU_OK(akt_stream_sink_ignore(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_EVENTUALLY(atomic_load(&c.calls) == 5);
    TU_OK(akt_stream_cancel(s));
    TU_RC(AKT_ECANCELED, akt_stream_wait(s, TU_DEADLINE_NS));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    completer_stop(&c); /* completes the 5 after the end */
    assert_int_equal(atomic_load(&c.calls), 5);
}

static int refuse(akt_msg *in, akt_stream_async *p, void *data) {
    (void)in, (void)p, (void)data;
    return AKT_EFAILED;
}

static void test_bad_input(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_RC(AKT_EINVAL, akt_stream_source_queue(NULL, 4));
    TU_RC(AKT_EINVAL, akt_stream_source_queue(g, 0));
    TU_RC(AKT_EINVAL, akt_stream_source_queue(g, 65537));
    TU_RC(AKT_EMISUSE, akt_stream_map_async(g, 1, 1, refuse, NULL)); /* no source yet */
    TU_OK(akt_stream_source_range(g, 0, 3, 1));
    TU_RC(AKT_EMISUSE, akt_stream_source_queue(g, 4));
    TU_RC(AKT_EINVAL, akt_stream_map_async(g, 0, 1, refuse, NULL));
    TU_RC(AKT_EINVAL, akt_stream_map_async(g, 4097, 1, refuse, NULL));
    TU_RC(AKT_EINVAL, akt_stream_map_async(g, 2, 2, refuse, NULL));
    TU_RC(AKT_EINVAL, akt_stream_map_async(g, 2, 1, NULL, NULL));
    TU_RC(AKT_EINVAL, akt_stream_sink_actor(g, (akt_pid){0}, 1, NULL));
    TU_RC(AKT_EINVAL, akt_stream_sink_actor(g, (akt_pid){5}, 0, NULL));
    akt_msg *bad = tu_msg("akt.stream.Mine", "");
    TU_RC(AKT_EINVAL, akt_stream_sink_actor(g, (akt_pid){5}, 1, bad));
    TU_OK(akt_stream_map_async(g, 2, 1, refuse, NULL));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_RC(AKT_EFAILED, akt_stream_wait(s, TU_DEADLINE_NS)); /* fn refused its element */
    akt_msg *m = i64(1);
    TU_RC(AKT_EINVAL, akt_stream_offer(s, m)); /* not a queue source */
    TU_RC(AKT_EINVAL, akt_stream_offer(NULL, m));
    size_t q;
    TU_RC(AKT_EINVAL, akt_stream_queued(s, &q));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    TU_RC(AKT_EINVAL, akt_stream_async_complete(NULL, 0, NULL));
    /* A queue: reserved types refused, offers after the end refused. */
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_queue(g, 2));
    TU_OK(akt_stream_sink_ignore(g));
    TU_OK(akt_stream_run(sys, g, &s));
    TU_RC(AKT_EINVAL, akt_stream_offer(s, bad));
    TU_OK(akt_stream_cancel(s));
    TU_RC(AKT_ESTOPPED, akt_stream_offer(s, m));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    akt_msg_release(m);
    akt_msg_release(bad);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        T_TEST(test_queue_to_actor_backpressure_no_loss),
        T_TEST(test_actor_pushes_into_a_queue),
        T_TEST(test_actor_sink_target_stops_mid_stream),
        T_TEST(test_map_async_ordered),
        T_TEST(test_map_async_unordered),
        T_TEST(test_map_async_failure_and_resume),
        T_TEST(test_map_async_cancel_with_pending),
        T_TEST(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
