/* test_stream_merge: flatMap merge and the room signal of a queue source (akt/stream.h).
 * flat_map_merge runs up to breadth inner sources at once and passes their elements on as
 * they come (per inner in order), completes after the outer and every inner, holds memory
 * bounded under a slow sink, and handles its function's and its inners' failures under the
 * stage's strategy; akt_stream_on_room tells a producer when an offer refused with AKT_EFULL
 * may succeed, or that the queue closed. */
#define _GNU_SOURCE
#include "tu_stream.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TU_STREAM_FIXTURE("streams-merge")

static akt_stream_stage_metrics metrics(akt_stream *s, size_t stage) {
    akt_stream_stage_metrics m = {.size = sizeof m};
    TU_OK(akt_stream_metrics(s, stage, &m));
    return m;
}

/* ---- inner sources ------------------------------------------------------------------ */

/* Element x becomes the inner range [x * 1000, x * 1000 + x % 7 + 1): key x, 1..7 items. */
typedef struct inner_cfg {
    size_t window;
    int fusion_off;
    int64_t fail_key; /* -1: none; this key's inner fails on its second element */
    int64_t bad_key;  /* -1: none; the function fails for it */
    atomic_int calls;
} inner_cfg;

static int fail_second(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    if (tu_i64_val(in) % 1000 == 1) return AKT_EFAILED;
    akt_msg_retain(in);
    *out = in;
    return 0;
}

static int64_t inner_len(int64_t x) { return x % 7 + 1; }

static int make_range_inner(akt_msg *in, akt_stream_graph **out, void *data) {
    inner_cfg *c = data;
    atomic_fetch_add(&c->calls, 1);
    int64_t x = tu_i64_val(in);
    if (x == c->bad_key) return AKT_EFAILED;
    akt_stream_graph *ig = NULL;
    int rc = akt_stream_graph_new(&ig);
    if (rc) return rc;
    if ((rc = akt_stream_graph_set_buffer(ig, c->window)) == 0 &&
        (rc = akt_stream_graph_set_fusion(ig, !c->fusion_off)) == 0 &&
        (rc = akt_stream_source_range(ig, x * 1000, x * 1000 + inner_len(x), 1)) == 0 &&
        x == c->fail_key)
        rc = akt_stream_map(ig, fail_second, NULL);
    if (rc) {
        akt_stream_graph_free(ig);
        return rc;
    }
    *out = ig;
    return 0;
}

/* Runs range [0, n) through flat_map_merge(breadth) into collect; checks every element came
 * once, per key in order. Returns the stream (ended). */
static akt_stream *run_merge(int64_t n, size_t breadth, size_t window, int fusion_off,
                             inner_cfg *cfg) {
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, window));
    TU_OK(akt_stream_graph_set_fusion(g, !fusion_off));
    TU_OK(akt_stream_source_range(g, 0, n, 1));
    TU_OK(akt_stream_flat_map_merge(g, breadth, make_range_inner, cfg));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    size_t total = 0, got = 0;
    for (int64_t x = 0; x < n; x++) total += (size_t)inner_len(x);
    TU_OK(akt_stream_result_count(s, &got));
    assert_int_equal(got, total);
    int64_t *next = calloc((size_t)n, sizeof *next); /* per key: the next item expected */
    assert_non_null(next);
    for (size_t i = 0; i < got; i++) {
        akt_msg *m = NULL;
        TU_OK(akt_stream_result_at(s, i, &m));
        int64_t v = tu_i64_val(m), key = v / 1000, item = v % 1000;
        assert_true(key >= 0 && key < n);
        assert_int_equal(item, next[key]); /* in order within its inner, none twice */
        next[key]++;
    }
    for (int64_t x = 0; x < n; x++) assert_int_equal(next[x], inner_len(x));
    free(next);
    return s;
}

static void test_merge_every_element_once_in_inner_order(void **state) {
    (void)state;
    static inner_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.window = 4, cfg.fail_key = -1, cfg.bad_key = -1;
    akt_stream *s = run_merge(200, 4, 8, 0, &cfg);
    assert_int_equal(atomic_load(&cfg.calls), 200);
    assert_string_equal(metrics(s, 1).name, "flat_map_merge");
    assert_int_equal(metrics(s, 1).in, 200);
    assert_int_equal(metrics(s, 2).in, metrics(s, 1).out);
    TU_OK(akt_stream_release(s));
}

/* breadth 1 runs one inner at a time: the order is the concatenation's. */
static void test_merge_breadth_one_is_concat(void **state) {
    (void)state;
    static inner_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.window = 2, cfg.fail_key = -1, cfg.bad_key = -1;
    akt_stream *s = run_merge(40, 1, 4, 0, &cfg);
    size_t n = 0;
    TU_OK(akt_stream_result_count(s, &n));
    int64_t prev = -1;
    for (size_t i = 0; i < n; i++) {
        akt_msg *m = NULL;
        TU_OK(akt_stream_result_at(s, i, &m));
        assert_true(tu_i64_val(m) > prev);
        prev = tu_i64_val(m);
    }
    TU_OK(akt_stream_release(s));
}

/* Many short inners completing at the same time on two workers, one actor per stage and
 * windows of 1 (every element a hop, every Complete racing the others'): nothing lost,
 * nothing twice, and the stream completes only after the last. */
static void test_merge_race_inners_completing_concurrently(void **state) {
    (void)state;
    static inner_cfg cfg;
    for (int round = 0; round < 6; round++) {
        memset(&cfg, 0, sizeof cfg);
        cfg.window = 1 + (size_t)(round % 2), cfg.fusion_off = 1;
        cfg.fail_key = -1, cfg.bad_key = -1;
        akt_stream *s = run_merge(300, 16, 1 + (size_t)round, 1, &cfg);
        assert_int_equal(atomic_load(&cfg.calls), 300);
        TU_OK(akt_stream_release(s));
    }
}

/* ---- memory stays bounded with a slow sink ------------------------------------------ */

typedef struct slow {
    atomic_llong made; /* elements the inner sources made */
    atomic_llong seen; /* elements the sink took */
    atomic_int inners;
} slow;

static int endless(void *data, akt_msg **out) {
    slow *w = data;
    atomic_fetch_add(&w->made, 1);
    *out = tu_i64(7);
    return *out ? 0 : AKT_ENOMEM;
}

static int make_endless_inner(akt_msg *in, akt_stream_graph **out, void *data) {
    (void)in;
    slow *w = data;
    atomic_fetch_add(&w->inners, 1);
    akt_stream_graph *ig = NULL;
    int rc = akt_stream_graph_new(&ig);
    if (rc == 0 && (rc = akt_stream_graph_set_buffer(ig, 8)) == 0 &&
        (rc = akt_stream_source_unfold(ig, endless, w)) == 0) {
        *out = ig;
        return 0;
    }
    if (ig) akt_stream_graph_free(ig);
    return rc;
}

static int slow_each(akt_msg *in, void *data) {
    (void)in;
    slow *w = data;
    usleep(200);
    atomic_fetch_add(&w->seen, 1);
    return 0;
}

static void test_merge_memory_bounded_with_slow_sink(void **state) {
    (void)state;
    static slow w;
    memset(&w, 0, sizeof w);
    enum { BREADTH = 4, WINDOW = 8 };
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, WINDOW));
    TU_OK(akt_stream_source_range(g, 0, 1000000, 1));
    TU_OK(akt_stream_flat_map_merge(g, BREADTH, make_endless_inner, &w));
    TU_OK(akt_stream_sink_for_each(g, slow_each, &w));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_graph_free(g));
    /* Endless inners never free a slot: exactly breadth of them run, the outer source is
     * held back by the stage's window, and the inners by their credit. */
    long long max_ahead = 0;
    while (atomic_load(&w.seen) < 1500) {
        long long ahead = atomic_load(&w.made) - atomic_load(&w.seen);
        if (ahead > max_ahead) max_ahead = ahead;
        assert_int_equal(akt_stream_wait(s, TU_MS(1)), AKT_ETIMEDOUT);
    }
    assert_int_equal(atomic_load(&w.inners), BREADTH);
    assert_true(metrics(s, 1).in <= BREADTH + WINDOW);
    assert_true(metrics(s, 0).out <= BREADTH + 2 * WINDOW);
    /* per inner: its window (source outq + the stage's ring); then the sink's window */
    assert_true(max_ahead <= BREADTH * 2 * 8 + 2 * WINDOW + 2);
    TU_OK(akt_stream_cancel(s));
    TU_RC(AKT_ECANCELED, akt_stream_wait(s, TU_DEADLINE_NS));
    TU_OK(akt_stream_release(s));
    /* The inners were canceled with it, before the wait returned: each makes at most the
     * element it was making then, and nothing after that. */
    long long made = atomic_load(&w.made);
    usleep(20000);
    long long later = atomic_load(&w.made);
    assert_true(later - made <= BREADTH);
    usleep(20000);
    assert_int_equal(atomic_load(&w.made), later);
}

/* ---- failures ----------------------------------------------------------------------- */

static akt_stream *run_failing(inner_cfg *cfg, int strategy) {
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 30, 1));
    TU_OK(akt_stream_flat_map_merge(g, 3, make_range_inner, cfg));
    TU_OK(akt_stream_stage_on_error(g, strategy, 0));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_graph_free(g));
    return s;
}

static void test_merge_inner_failure_fails_or_resumes(void **state) {
    (void)state;
    static inner_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.window = 4, cfg.fail_key = 12, cfg.bad_key = -1; /* 12 % 7 + 1 = 6 items */
    akt_stream *s = run_failing(&cfg, AKT_STREAM_ON_ERROR_FAIL);
    TU_RC(AKT_EFAILED, akt_stream_wait(s, TU_DEADLINE_NS));
    const char *why = NULL;
    TU_OK(akt_stream_reason(s, &why));
    assert_non_null(strstr(why, "stage 1 (flat_map_merge): inner: stage 1 (map)"));
    TU_OK(akt_stream_release(s));

    /* resume: the failed inner is dropped after its first element; the rest go on */
    memset(&cfg, 0, sizeof cfg);
    cfg.window = 4, cfg.fail_key = 12, cfg.bad_key = -1;
    s = run_failing(&cfg, AKT_STREAM_ON_ERROR_RESUME);
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    size_t n = 0, want = 0;
    for (int64_t x = 0; x < 30; x++) want += x == 12 ? 1 : (size_t)inner_len(x);
    TU_OK(akt_stream_result_count(s, &n));
    assert_int_equal(n, want);
    assert_int_equal(metrics(s, 1).errors, 1);
    assert_int_equal(metrics(s, 1).drops, 1);
    TU_OK(akt_stream_release(s));
}

static void test_merge_function_failure_fails_or_resumes(void **state) {
    (void)state;
    static inner_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.window = 4, cfg.fail_key = -1, cfg.bad_key = 5;
    akt_stream *s = run_failing(&cfg, AKT_STREAM_ON_ERROR_FAIL);
    TU_RC(AKT_EFAILED, akt_stream_wait(s, TU_DEADLINE_NS));
    const char *why = NULL;
    TU_OK(akt_stream_reason(s, &why));
    assert_non_null(strstr(why, "stage 1 (flat_map_merge)"));
    TU_OK(akt_stream_release(s));

    memset(&cfg, 0, sizeof cfg);
    cfg.window = 4, cfg.fail_key = -1, cfg.bad_key = 5;
    s = run_failing(&cfg, AKT_STREAM_ON_ERROR_RESUME);
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    size_t n = 0, want = 0;
    for (int64_t x = 0; x < 30; x++) want += x == 5 ? 0 : (size_t)inner_len(x);
    TU_OK(akt_stream_result_count(s, &n));
    assert_int_equal(n, want);
    assert_int_equal(metrics(s, 1).drops, 1);
    TU_OK(akt_stream_release(s));
}

/* The function gives no graph, or one that is not an inner source (it has a sink). */
static int give_nothing(akt_msg *in, akt_stream_graph **out, void *data) {
    (void)in, (void)out, (void)data;
    return 0;
}

static int give_with_sink(akt_msg *in, akt_stream_graph **out, void *data) {
    (void)in, (void)data;
    akt_stream_graph *ig = NULL;
    int rc = akt_stream_graph_new(&ig);
    if (rc) return rc;
    akt_stream_source_range(ig, 0, 3, 1);
    akt_stream_sink_ignore(ig);
    *out = ig; /* akt frees it */
    return 0;
}

static void test_merge_bad_inner_and_bad_input(void **state) {
    (void)state;
    akt_stream_flat_merge_fn fns[2] = {give_nothing, give_with_sink};
    for (int k = 0; k < 2; k++) {
        akt_stream_graph *g = NULL;
        TU_OK(akt_stream_graph_new(&g));
        TU_OK(akt_stream_source_range(g, 0, 5, 1));
        TU_OK(akt_stream_flat_map_merge(g, 2, fns[k], NULL));
        TU_OK(akt_stream_sink_ignore(g));
        akt_stream *s = NULL;
        TU_OK(akt_stream_run(sys, g, &s));
        TU_RC(AKT_EINVAL, akt_stream_wait(s, TU_DEADLINE_NS));
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(g));
    }
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_RC(AKT_EMISUSE, akt_stream_flat_map_merge(g, 2, give_nothing, NULL)); /* no source */
    TU_OK(akt_stream_source_range(g, 0, 5, 1));
    TU_RC(AKT_EINVAL, akt_stream_flat_map_merge(NULL, 2, give_nothing, NULL));
    TU_RC(AKT_EINVAL, akt_stream_flat_map_merge(g, 0, give_nothing, NULL));
    TU_RC(AKT_EINVAL, akt_stream_flat_map_merge(g, 4097, give_nothing, NULL));
    TU_RC(AKT_EINVAL, akt_stream_flat_map_merge(g, 2, NULL, NULL));
    TU_OK(akt_stream_flat_map_merge(g, 4096, give_nothing, NULL));
    TU_OK(akt_stream_graph_free(g));
}

/* ---- room in a queue source --------------------------------------------------------- */

typedef struct gate {
    atomic_int entered; /* the sink holds an element: the queue can only fill now */
    atomic_int open;
    atomic_llong seen;
} gate;

static int gated_each(akt_msg *in, void *data) {
    (void)in;
    gate *gt = data;
    atomic_fetch_add(&gt->entered, 1);
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (!atomic_load(&gt->open) && tu_now_ns() < dl) usleep(200);
    atomic_fetch_add(&gt->seen, 1);
    return 0;
}

typedef struct room_rec {
    atomic_int calls;
    atomic_int rc;
} room_rec;

static void on_room_rec(akt_stream *s, int rc, void *data) {
    (void)s;
    room_rec *r = data;
    atomic_store(&r->rc, rc);
    atomic_fetch_add(&r->calls, 1);
}

static akt_stream *gated_queue(gate *gt, size_t capacity) {
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 2));
    TU_OK(akt_stream_source_queue(g, capacity));
    TU_OK(akt_stream_sink_for_each(g, gated_each, gt));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_graph_free(g));
    return s;
}

/* Offers until refused: the queue is full (the sink is stuck). */
static int fill(akt_stream *s, gate *gt) {
    int accepted = 0;
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    for (;;) {
        akt_msg *m = tu_i64(accepted);
        int rc = akt_stream_offer(s, m);
        if (rc == 0) {
            accepted++;
            continue;
        }
        akt_msg_release(m);
        assert_int_equal(rc, AKT_EFULL);
        size_t q = 0;
        TU_OK(akt_stream_queued(s, &q));
        if (q == 4 && atomic_load(&gt->entered)) {
            usleep(5000); /* what the sink asked for has reached it */
            TU_OK(akt_stream_queued(s, &q));
            if (q == 4) return accepted;
        }
        assert_true(tu_now_ns() < dl);
        usleep(100);
    }
}

static void test_room_signal_when_full_then_when_drained(void **state) {
    (void)state;
    static gate gt;
    static room_rec r1, r2, now, closed;
    memset(&gt, 0, sizeof gt);
    memset(&r1, 0, sizeof r1), memset(&r2, 0, sizeof r2);
    memset(&now, 0, sizeof now), memset(&closed, 0, sizeof closed);
    akt_stream *s = gated_queue(&gt, 4);
    fill(s, &gt);
    TU_OK(akt_stream_on_room(s, on_room_rec, &r1));
    TU_OK(akt_stream_on_room(s, on_room_rec, &r2));
    usleep(20000); /* still full: nobody is told */
    assert_int_equal(atomic_load(&r1.calls), 0);
    atomic_store(&gt.open, 1);
    TU_EVENTUALLY(atomic_load(&r1.calls) == 1 && atomic_load(&r2.calls) == 1);
    assert_int_equal(atomic_load(&r1.rc), 0);
    assert_int_equal(atomic_load(&r2.rc), 0);
    TU_EVENTUALLY(atomic_load(&gt.seen) >= 4);
    /* room now: called at once, on this thread */
    TU_OK(akt_stream_on_room(s, on_room_rec, &now));
    assert_int_equal(atomic_load(&now.calls), 1);
    assert_int_equal(atomic_load(&now.rc), 0);
    TU_OK(akt_stream_drain(s));
    TU_OK(akt_stream_on_room(s, on_room_rec, &closed));
    assert_int_equal(atomic_load(&closed.calls), 1);
    assert_int_equal(atomic_load(&closed.rc), AKT_ESTOPPED);
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&r1.calls), 1); /* exactly once each */
    TU_OK(akt_stream_release(s));
}

static void test_room_waiters_told_when_stream_ends(void **state) {
    (void)state;
    static gate gt;
    static room_rec r, drained;
    memset(&gt, 0, sizeof gt);
    memset(&r, 0, sizeof r), memset(&drained, 0, sizeof drained);
    akt_stream *s = gated_queue(&gt, 4);
    fill(s, &gt);
    TU_OK(akt_stream_on_room(s, on_room_rec, &drained));
    TU_OK(akt_stream_drain(s)); /* closed: the waiter is told at once */
    assert_int_equal(atomic_load(&drained.calls), 1);
    assert_int_equal(atomic_load(&drained.rc), AKT_ESTOPPED);
    TU_OK(akt_stream_cancel(s));
    TU_OK(akt_stream_on_room(s, on_room_rec, &r));
    assert_int_equal(atomic_load(&r.calls), 1);
    assert_int_equal(atomic_load(&r.rc), AKT_ESTOPPED);
    atomic_store(&gt.open, 1);
    TU_RC(AKT_ECANCELED, akt_stream_wait(s, TU_DEADLINE_NS));
    TU_OK(akt_stream_release(s));
    /* a canceled stream's waiter, registered while full */
    memset(&gt, 0, sizeof gt);
    memset(&r, 0, sizeof r);
    s = gated_queue(&gt, 4);
    fill(s, &gt);
    TU_OK(akt_stream_on_room(s, on_room_rec, &r));
    TU_OK(akt_stream_cancel(s));
    assert_int_equal(atomic_load(&r.calls), 1);
    assert_int_equal(atomic_load(&r.rc), AKT_ESTOPPED);
    atomic_store(&gt.open, 1);
    TU_OK(akt_stream_release(s));
    /* not a queue; NULL arguments */
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 3, 1));
    TU_OK(akt_stream_sink_ignore(g));
    TU_OK(akt_stream_run(sys, g, &s));
    TU_RC(AKT_EINVAL, akt_stream_on_room(s, on_room_rec, &r));
    TU_RC(AKT_EINVAL, akt_stream_on_room(s, NULL, &r));
    TU_RC(AKT_EINVAL, akt_stream_on_room(NULL, on_room_rec, &r));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

/* A producer driven by the signal only (no polling): it offers until refused, then asks
 * to be told, and goes on from the callback. Every element arrives, in order. */
#define PRODUCE_N 3000
typedef struct producer {
    akt_stream *s;
    atomic_int next;
    atomic_int waits;
    atomic_int stopped;
    int64_t got[PRODUCE_N];
    atomic_int n_got;
} producer;

static void produce(producer *p);

static void produce_on_room(akt_stream *s, int rc, void *data) {
    (void)s;
    producer *p = data;
    if (rc != 0) {
        atomic_store(&p->stopped, 1);
        return;
    }
    produce(p);
}

static void produce(producer *p) {
    for (;;) {
        int i = atomic_load(&p->next);
        if (i == PRODUCE_N) {
            akt_stream_drain(p->s);
            return;
        }
        akt_msg *m = tu_i64(i);
        int rc = akt_stream_offer(p->s, m);
        if (rc == 0) {
            atomic_store(&p->next, i + 1);
            continue;
        }
        akt_msg_release(m);
        TU_CB_RC(AKT_EFULL, rc);
        atomic_fetch_add(&p->waits, 1);
        akt_stream_on_room(p->s, produce_on_room, p); /* may call produce at once */
        return;
    }
}

static int record_each(akt_msg *in, void *data) {
    producer *p = data;
    int n = atomic_load(&p->n_got);
    if (n < PRODUCE_N) p->got[n] = tu_i64_val(in);
    atomic_store(&p->n_got, n + 1);
    if (n % 64 == 0) usleep(500); /* slower than the producer now and then */
    return 0;
}

static void test_room_signal_drives_a_producer(void **state) {
    (void)state;
    static producer p;
    memset(&p, 0, sizeof p);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 4));
    TU_OK(akt_stream_source_queue(g, 8));
    TU_OK(akt_stream_sink_for_each(g, record_each, &p));
    TU_OK(akt_stream_run(sys, g, &p.s));
    TU_OK(akt_stream_graph_free(g));
    produce(&p);
    TU_OK(akt_stream_wait(p.s, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&p.n_got), PRODUCE_N);
    for (int i = 0; i < PRODUCE_N; i++) assert_int_equal(p.got[i], i);
    assert_true(atomic_load(&p.waits) > 0); /* it was refused, and resumed by the signal */
    TU_OK(akt_stream_release(p.s));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        T_TEST(test_merge_every_element_once_in_inner_order),
        T_TEST(test_merge_breadth_one_is_concat),
        T_TEST(test_merge_race_inners_completing_concurrently),
        T_TEST(test_merge_memory_bounded_with_slow_sink),
        T_TEST(test_merge_inner_failure_fails_or_resumes),
        T_TEST(test_merge_function_failure_fails_or_resumes),
        T_TEST(test_merge_bad_inner_and_bad_input),
        T_TEST(test_room_signal_when_full_then_when_drained),
        T_TEST(test_room_waiters_told_when_stream_ends),
        T_TEST(test_room_signal_drives_a_producer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
