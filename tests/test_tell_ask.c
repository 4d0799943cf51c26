/* test_tell_ask: ordering, batches, asks and their futures, replies between actors,
 * forwarding, and the deadlock guard of akt_future_wait. */
#include "tu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static akt_system *sys;

static int ta_setup(void **state) {
    sys = tu_system("tellask", 2);
    return tu_setup(state);
}

static int ta_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define TA_TEST(f) cmocka_unit_test_setup_teardown(f, ta_setup, ta_teardown)

/* ---- ordering ------------------------------------------------------------------------- */

#define NSENDERS 4
typedef struct seq_state {
    uint64_t next[NSENDERS];
    uint64_t total;
    uint64_t violations;
} seq_state;

typedef struct seq_payload {
    uint64_t sender;
    uint64_t n;
} seq_payload;

static int seq_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    seq_state *s = state; /* only this actor touches it: callbacks never run concurrently */
    if (tu_is(msg, "seq")) {
        const void *data;
        size_t len;
        TU_CB_RC(0, akt_msg_bytes(msg, &data, &len));
        seq_payload p;
        memcpy(&p, data, sizeof p);
        if (p.sender >= NSENDERS || p.n != s->next[p.sender]) {
            if (s->violations++ == 0)
                tu_cb_fail(__FILE__, __LINE__, "sender %llu: got %llu, expected %llu",
                           (unsigned long long)p.sender, (unsigned long long)p.n,
                           (unsigned long long)s->next[p.sender % NSENDERS]);
        } else {
            s->next[p.sender]++;
        }
        s->total++;
        return 0;
    }
    if (tu_is(msg, "total")) return tu_reply_u64(ctx, "total", s->total);
    return AKT_EUNHANDLED;
}

static akt_msg *seq_msg(uint64_t sender, uint64_t n) {
    seq_payload p = {sender, n};
    akt_msg *m = NULL;
    TU_CB_RC(0, akt_msg_new_bytes("seq", &p, sizeof p, AKT_COPY, &m));
    return m;
}

static void test_one_sender_order(void **state) {
    (void)state;
    static seq_state s = {0};
    akt_behavior b = tu_behavior(seq_receive);
    akt_pid pid = tu_spawn(sys, &b, &s, "seq");
    const uint64_t N = 100000;
    for (uint64_t i = 0; i < N; i++) TU_OK(akt_tell(sys, pid, seq_msg(0, i)));
    /* The ask comes after the tells from this same thread: it sees all of them. */
    assert_int_equal(tu_ask_u64(sys, pid, "total"), N);
    assert_int_equal(s.violations, 0);
    assert_int_equal(s.next[0], N);
}

typedef struct sender_arg {
    akt_pid to;
    uint64_t id, count;
} sender_arg;

static void *sender_main(void *arg) {
    sender_arg *a = arg;
    for (uint64_t i = 0; i < a->count; i++) TU_CB_RC(0, akt_tell(sys, a->to, seq_msg(a->id, i)));
    return NULL;
}

static void test_two_senders_each_ordered(void **state) {
    (void)state;
    static seq_state s = {0};
    akt_behavior b = tu_behavior(seq_receive);
    akt_pid pid = tu_spawn(sys, &b, &s, "seq2");
    sender_arg args[2] = {{pid, 1, 50000}, {pid, 2, 50000}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, sender_main, &args[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    assert_int_equal(tu_ask_u64(sys, pid, "total"), 100000);
    assert_int_equal(s.violations, 0);
    assert_int_equal(s.next[1], 50000);
    assert_int_equal(s.next[2], 50000);
}

/* ---- batches ----------------------------------------------------------------------------- */

static atomic_int batch_freed;
static void batch_free(void *p) {
    free(p);
    atomic_fetch_add(&batch_freed, 1);
}

static akt_msg *owned_seq_msg(uint64_t sender, uint64_t n) {
    seq_payload *p = malloc(sizeof *p);
    p->sender = sender;
    p->n = n;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("seq", p, sizeof *p, batch_free, &m));
    return m;
}

static void test_tell_batch_in_order(void **state) {
    (void)state;
    static seq_state s = {0};
    akt_behavior b = tu_behavior(seq_receive);
    akt_pid pid = tu_spawn(sys, &b, &s, "batch");
    uint64_t n = 0;
    for (int round = 0; round < 50; round++) {
        TU_OK(akt_tell(sys, pid, seq_msg(0, n++)));
        akt_msg *batch[10];
        for (int i = 0; i < 10; i++) batch[i] = seq_msg(0, n++);
        TU_OK(akt_tell_batch(sys, pid, batch, 10));
    }
    assert_int_equal(tu_ask_u64(sys, pid, "total"), n);
    assert_int_equal(s.violations, 0);
}

static void test_tell_batch_all_or_none(void **state) {
    (void)state;
    atomic_store(&batch_freed, 0);
    static seq_state s = {0};
    akt_behavior b = tu_behavior(seq_receive);
    akt_pid pid = tu_spawn(sys, &b, &s, "aon");
    /* A NULL in the middle: refused, nothing taken, nothing delivered. */
    akt_msg *batch[5] = {owned_seq_msg(0, 0), owned_seq_msg(0, 1), NULL, owned_seq_msg(0, 2),
                         owned_seq_msg(0, 3)};
    TU_RC(AKT_EINVAL, akt_tell_batch(sys, pid, batch, 5));
    assert_int_equal(tu_ask_u64(sys, pid, "total"), 0);
    assert_int_equal(atomic_load(&batch_freed), 0);
    /* To a stale pid: the same. */
    static seq_state gone_state;
    akt_pid gone = tu_spawn(sys, &b, &gone_state, NULL);
    tu_stop_wait(sys, gone);
    akt_msg *good[4] = {batch[0], batch[1], batch[3], batch[4]};
    TU_RC(AKT_ENOTFOUND, akt_tell_batch(sys, gone, good, 4));
    assert_int_equal(atomic_load(&batch_freed), 0);
    /* Still ours: releasing each once frees each once. */
    for (int i = 0; i < 4; i++) TU_OK(akt_msg_release(good[i]));
    assert_int_equal(atomic_load(&batch_freed), 4);
}

/* ---- the responder ------------------------------------------------------------------------ */

typedef struct resp_state {
    tu_gate *gate;
    akt_pid peer; /* forward / ping target */
    akt_pid _Atomic last_sender;
    atomic_int respond_rc; /* akt_ctx_respond to a plain tell from outside */
    atomic_int got_pong;
    akt_pid _Atomic pong_sender;
    int forwarder; /* "fwd-who" is forwarded to peer instead of answered */
    atomic_int got_fromb;
    akt_pid _Atomic fromb_sender;
    atomic_int cb_rc;     /* result seen by the ctx_ask completion callback */
    atomic_int cb_answer; /* the callback's tell arrived */
    akt_system *system;
    akt_pid self;
} resp_state;

static void peer_answer_cb(akt_future *future, int rc, akt_msg *reply, void *data) {
    resp_state *s = data;
    atomic_store(&s->cb_rc, rc);
    /* A callback may call akt: tell the asking actor that the answer came. */
    akt_msg *m = tu_msg("answer", NULL);
    int trc = akt_tell(s->system, s->self, m);
    if (trc != 0) {
        tu_cb_fail(__FILE__, __LINE__, "tell from a future callback: %s", akt_err_name(trc));
        akt_msg_release(m);
    }
}

/* Waits on asks that only this actor could answer: must be refused, not block. */
static int self_ask_waits(akt_ctx *ctx) {
    akt_pid self;
    akt_system *system = NULL;
    TU_CB_RC(0, akt_ctx_self(ctx, &self));
    TU_CB_RC(0, akt_ctx_system(ctx, &system));
    int64_t t0 = tu_now_ns();
    akt_future *f1 = NULL, *f2 = NULL;
    akt_msg *r1 = NULL, *r2 = NULL;
    akt_msg *m1 = tu_msg("echo", NULL), *m2 = tu_msg("echo", NULL);
    int w1 = akt_ctx_ask(ctx, self, m1, TU_SEC(5), &f1);
    if (w1 == 0)
        w1 = akt_future_wait(f1, TU_SEC(5), &r1);
    else
        akt_msg_release(m1);
    int w2 = akt_ask(system, self, m2, TU_SEC(5), &f2);
    if (w2 == 0)
        w2 = akt_future_wait(f2, TU_SEC(5), &r2);
    else
        akt_msg_release(m2);
    TU_CB_CHECK(tu_now_ns() - t0 < TU_SEC(2));
    if (r1) akt_msg_release(r1);
    if (r2) akt_msg_release(r2);
    if (f1) akt_future_release(f1);
    if (f2) akt_future_release(f2);
    return tu_reply_u64(ctx, "rcs", (uint64_t)(uint32_t)w1 | (uint64_t)(uint32_t)w2 << 32);
}

static int resp_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    resp_state *s = state;
    akt_pid sender = {0};
    TU_CB_RC(0, akt_ctx_sender(ctx, &sender));
    atomic_store(&s->last_sender, sender);
    if (tu_is(msg, "echo")) {
        akt_msg_retain(msg);
        int rc = akt_ctx_respond(ctx, msg);
        if (rc != 0) akt_msg_release(msg);
        return rc == AKT_ENOTFOUND ? 0 : rc; /* a plain tell has nobody to answer */
    }
    if (tu_is(msg, "block")) {
        tu_gate_wait(s->gate);
        int rc = tu_reply(ctx, "echo", "unblocked");
        return rc == AKT_ENOTFOUND ? 0 : rc;
    }
    if (tu_is(msg, "ignore")) return 0;
    if (tu_is(msg, "unhandled")) return AKT_EUNHANDLED;
    if (tu_is(msg, "unhandled2")) return akt_ctx_unhandled(ctx);
    if (tu_is(msg, "fail")) return akt_ctx_fail(ctx, "asked to fail");
    if (tu_is(msg, "tell-respond")) {
        akt_msg *m = tu_msg("r", NULL);
        int rc = akt_ctx_respond(ctx, m);
        if (rc != 0) akt_msg_release(m);
        atomic_store(&s->respond_rc, rc);
        return 0;
    }
    if (tu_is(msg, "ping")) return tu_reply(ctx, "pong", NULL);
    if (tu_is(msg, "start-ping")) {
        akt_msg *m = tu_msg("ping", NULL);
        TU_CB_RC(0, akt_ctx_tell(ctx, s->peer, m));
        return 0;
    }
    if (tu_is(msg, "pong")) {
        atomic_store(&s->pong_sender, sender);
        atomic_fetch_add(&s->got_pong, 1);
        return 0;
    }
    if (tu_is(msg, "fwd-who")) {
        if (s->forwarder) return akt_ctx_forward(ctx, s->peer);
        return tu_reply(ctx, "from-b", NULL);
    }
    if (tu_is(msg, "start-fwd")) {
        TU_CB_RC(0, akt_ctx_tell(ctx, s->peer, tu_msg("fwd-who", NULL)));
        return 0;
    }
    if (tu_is(msg, "from-b")) {
        atomic_store(&s->fromb_sender, sender);
        atomic_fetch_add(&s->got_fromb, 1);
        return 0;
    }
    if (tu_is(msg, "selfask")) return self_ask_waits(ctx);
    if (tu_is(msg, "ask-peer")) {
        akt_future *f = NULL;
        TU_CB_RC(0, akt_ctx_ask(ctx, s->peer, tu_msg("echo", NULL), TU_DEADLINE_NS, &f));
        if (f) {
            TU_CB_RC(0, akt_future_on_complete(f, peer_answer_cb, s));
            akt_future_release(f);
        }
        return 0;
    }
    if (tu_is(msg, "answer")) {
        atomic_store(&s->cb_answer, 1);
        return 0;
    }
    return AKT_EUNHANDLED;
}

static akt_pid spawn_resp(resp_state *s, const char *name) {
    akt_behavior b = tu_behavior(resp_receive);
    return tu_spawn(sys, &b, s, name);
}

static void test_ask_reply(void **state) {
    (void)state;
    static resp_state s = {0};
    akt_pid pid = spawn_resp(&s, "echo");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("echo", "hello"), &reply));
    assert_true(tu_is(reply, "echo"));
    char text[16];
    tu_text(reply, text, sizeof text);
    assert_string_equal(text, "hello");
    akt_msg_release(reply);
    /* An ask from outside has no sender pid. */
    assert_int_equal(atomic_load(&s.last_sender).id, 0);
}

static void test_ask_timeout(void **state) {
    (void)state;
    static resp_state s = {0};
    akt_pid pid = spawn_resp(&s, "mute");
    akt_future *f = NULL;
    int64_t t0 = tu_now_ns();
    TU_OK(akt_ask(sys, pid, tu_msg("ignore", NULL), TU_MS(100), &f));
    akt_msg *reply = (akt_msg *)0x1;
    TU_RC(AKT_ETIMEDOUT, akt_future_wait(f, TU_DEADLINE_NS, &reply));
    int64_t dt = tu_now_ns() - t0;
    assert_ptr_equal(reply, (akt_msg *)0x1);
    if (dt < TU_MS(95) || dt > TU_MS(100) + TU_SEC(3))
        fail_msg("a 100 ms ask timed out after %lld ms", (long long)(dt / 1000000));
    TU_OK(akt_future_release(f));
}

static void test_ask_unhandled_and_failed(void **state) {
    (void)state;
    static resp_state s = {0};
    akt_pid pid = spawn_resp(&s, "picky");
    TU_RC(AKT_EUNHANDLED, tu_ask(sys, pid, tu_msg("unhandled", NULL), NULL));
    TU_RC(AKT_EUNHANDLED, tu_ask(sys, pid, tu_msg("unhandled2", NULL), NULL));
    TU_RC(AKT_EFAILED, tu_ask(sys, pid, tu_msg("fail", NULL), NULL));
    /* Restarted by the default supervisor: still answering. */
    TU_OK(tu_ask(sys, pid, tu_msg("echo", NULL), NULL));
}

static void test_ask_stopped_actor(void **state) {
    (void)state;
    static tu_gate gate;
    tu_gate_init(&gate);
    static resp_state s = {.gate = &gate};
    akt_pid pid = spawn_resp(&s, "stopping");
    TU_OK(akt_tell(sys, pid, tu_msg("block", NULL)));
    tu_gate_await_waiters(&gate, 1);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, pid, tu_msg("echo", NULL), TU_DEADLINE_NS, &f));
    TU_OK(akt_stop(sys, pid));
    tu_gate_open(&gate);
    TU_RC(AKT_ESTOPPED, tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    tu_wait_dead(sys, pid);
    /* Asking the stale pid fails at once; the message stays ours. */
    akt_msg *m = tu_msg("echo", NULL);
    f = (akt_future *)0x1;
    TU_RC(AKT_ENOTFOUND, akt_ask(sys, pid, m, TU_SEC(1), &f));
    assert_ptr_equal(f, (akt_future *)0x1);
    TU_OK(akt_msg_release(m));
    tu_gate_destroy(&gate);
}

/* ---- future callbacks, waits, cancel ---------------------------------------------------- */

typedef struct cb_rec {
    atomic_int calls;
    atomic_int rc;
    atomic_int reply_ok;
    pthread_t _Atomic thread;
} cb_rec;

static void record_cb(akt_future *future, int rc, akt_msg *reply, void *data) {
    cb_rec *r = data;
    TU_CB_CHECK(future != NULL);
    atomic_store(&r->rc, rc);
    atomic_store(&r->reply_ok, rc == 0 ? tu_is(reply, "echo") : reply == NULL);
    atomic_store(&r->thread, pthread_self());
    atomic_fetch_add(&r->calls, 1);
}

static void test_future_callback_pending(void **state) {
    (void)state;
    static tu_gate gate;
    tu_gate_init(&gate);
    static resp_state s = {.gate = &gate};
    akt_pid pid = spawn_resp(&s, "cb");
    TU_OK(akt_tell(sys, pid, tu_msg("block", NULL)));
    tu_gate_await_waiters(&gate, 1);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, pid, tu_msg("echo", NULL), TU_DEADLINE_NS, &f));
    static cb_rec r = {0}, r2 = {0};
    TU_OK(akt_future_on_complete(f, record_cb, &r));
    TU_RC(AKT_EBUSY, akt_future_on_complete(f, record_cb, &r2));
    assert_int_equal(atomic_load(&r.calls), 0);
    tu_gate_open(&gate);
    TU_OK(tu_wait(f, NULL));
    TU_EVENTUALLY(atomic_load(&r.calls) == 1);
    assert_int_equal(atomic_load(&r.rc), 0);
    assert_true(atomic_load(&r.reply_ok));
    /* Completed by the responder's worker, not by this thread. */
    assert_false(pthread_equal(atomic_load(&r.thread), pthread_self()));
    TU_OK(akt_future_release(f));
    TU_OK(tu_ask(sys, pid, tu_msg("echo", NULL), NULL)); /* let the worker settle */
    assert_int_equal(atomic_load(&r.calls), 1);
    assert_int_equal(atomic_load(&r2.calls), 0);
    tu_gate_destroy(&gate);
}

static void test_future_callback_immediate_if_completed(void **state) {
    (void)state;
    static resp_state s = {0};
    akt_pid pid = spawn_resp(&s, "done");
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, pid, tu_msg("echo", NULL), TU_DEADLINE_NS, &f));
    TU_OK(tu_wait(f, NULL));
    static cb_rec r = {0};
    TU_OK(akt_future_on_complete(f, record_cb, &r));
    /* Ran at once, here. */
    assert_int_equal(atomic_load(&r.calls), 1);
    assert_true(pthread_equal(atomic_load(&r.thread), pthread_self()));
    assert_int_equal(atomic_load(&r.rc), 0);
    assert_true(atomic_load(&r.reply_ok));
    /* Waiting again after completion gives the same result and a new reference. */
    akt_msg *a = NULL, *b = NULL;
    TU_OK(akt_future_wait(f, 0, &a));
    TU_OK(akt_future_wait(f, -1, &b));
    assert_ptr_equal(a, b);
    TU_OK(akt_msg_release(a));
    TU_OK(akt_msg_release(b));
    TU_OK(akt_future_release(f));
    assert_int_equal(atomic_load(&r.calls), 1);
}

static void test_future_callback_on_timeout(void **state) {
    (void)state;
    static resp_state s = {0};
    akt_pid pid = spawn_resp(&s, "mute2");
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, pid, tu_msg("ignore", NULL), TU_MS(20), &f));
    static cb_rec r = {0};
    TU_OK(akt_future_on_complete(f, record_cb, &r));
    /* The caller may drop its reference at once: the pending ask keeps its own. */
    TU_OK(akt_future_release(f));
    TU_EVENTUALLY(atomic_load(&r.calls) == 1);
    assert_int_equal(atomic_load(&r.rc), AKT_ETIMEDOUT);
    assert_true(atomic_load(&r.reply_ok)); /* reply NULL on failure */
}

static void test_wait_zero_on_pending_is_eagain(void **state) {
    (void)state;
    static tu_gate gate;
    tu_gate_init(&gate);
    static resp_state s = {.gate = &gate};
    akt_pid pid = spawn_resp(&s, "slow");
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, pid, tu_msg("block", NULL), TU_DEADLINE_NS, &f));
    tu_gate_await_waiters(&gate, 1);
    akt_msg *reply = (akt_msg *)0x1;
    TU_RC(AKT_EAGAIN, akt_future_wait(f, 0, &reply));
    int64_t t0 = tu_now_ns();
    TU_RC(AKT_EAGAIN, akt_future_wait(f, TU_MS(30), &reply));
    assert_true(tu_now_ns() - t0 >= TU_MS(25));
    assert_ptr_equal(reply, (akt_msg *)0x1);
    tu_gate_open(&gate);
    TU_OK(tu_wait(f, &reply));
    char text[16];
    tu_text(reply, text, sizeof text);
    assert_string_equal(text, "unblocked");
    akt_msg_release(reply);
    TU_OK(akt_future_release(f));
    tu_gate_destroy(&gate);
}

static void test_cancel(void **state) {
    (void)state;
    static tu_gate gate;
    tu_gate_init(&gate);
    static tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    static resp_state s = {.gate = &gate};
    akt_pid pid = spawn_resp(&s, "late");
    TU_OK(akt_tell(sys, pid, tu_msg("block", NULL)));
    tu_gate_await_waiters(&gate, 1);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, pid, tu_msg("echo", "late-reply"), TU_DEADLINE_NS, &f));
    static cb_rec r = {0};
    TU_OK(akt_future_on_complete(f, record_cb, &r));
    TU_OK(akt_future_cancel(f));
    /* The callback ran on this thread, during cancel. */
    assert_int_equal(atomic_load(&r.calls), 1);
    assert_int_equal(atomic_load(&r.rc), AKT_ECANCELED);
    assert_true(pthread_equal(atomic_load(&r.thread), pthread_self()));
    akt_msg *none = NULL;
    TU_RC(AKT_ECANCELED, akt_future_wait(f, 0, &none));
    assert_null(none);
    TU_RC(AKT_EMISUSE, akt_future_cancel(f));
    tu_gate_open(&gate);
    /* The late reply goes to dead letters, not to the cancelled future. */
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, (akt_pid){0}) >= 1);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_DEAD_LETTER, (akt_pid){0}, &e));
    assert_string_equal(e.type, "echo");
    assert_int_equal(atomic_load(&r.calls), 1);
    TU_OK(akt_future_release(f));
    /* Cancel after completion: refused. */
    TU_OK(akt_ask(sys, pid, tu_msg("echo", NULL), TU_DEADLINE_NS, &f));
    TU_OK(tu_wait(f, NULL));
    TU_RC(AKT_EMISUSE, akt_future_cancel(f));
    TU_OK(akt_future_release(f));
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
    tu_gate_destroy(&gate);
}

static void test_ask_batch(void **state) {
    (void)state;
    static resp_state s = {0};
    akt_pid pid = spawn_resp(&s, "batcher");
    enum { N = 10 };
    akt_msg *msgs[N];
    akt_future *fs[N];
    for (int i = 0; i < N; i++) {
        char text[8];
        snprintf(text, sizeof text, "%d", i);
        msgs[i] = tu_msg("echo", text);
    }
    TU_OK(akt_ask_batch(sys, pid, msgs, N, TU_DEADLINE_NS, fs));
    for (int i = 0; i < N; i++) {
        akt_msg *reply = NULL;
        TU_OK(tu_wait(fs[i], &reply));
        char text[8], want[8];
        tu_text(reply, text, sizeof text);
        snprintf(want, sizeof want, "%d", i);
        assert_string_equal(text, want);
        akt_msg_release(reply);
        TU_OK(akt_future_release(fs[i]));
    }
    /* All or none: to a stale pid nothing is taken and no future is made. */
    tu_stop_wait(sys, pid);
    atomic_store(&batch_freed, 0);
    for (int i = 0; i < N; i++) {
        msgs[i] = owned_seq_msg(0, (uint64_t)i);
        fs[i] = (akt_future *)0x1;
    }
    TU_RC(AKT_ENOTFOUND, akt_ask_batch(sys, pid, msgs, N, TU_SEC(1), fs));
    for (int i = 0; i < N; i++) {
        assert_ptr_equal(fs[i], (akt_future *)0x1);
        TU_OK(akt_msg_release(msgs[i]));
    }
    assert_int_equal(atomic_load(&batch_freed), N);
}

/* ---- replies between actors, forwarding ----------------------------------------------- */

static void test_respond_to_actor_sender(void **state) {
    (void)state;
    static resp_state sb = {0};
    akt_pid b = spawn_resp(&sb, "b");
    static resp_state sa;
    sa.peer = b;
    akt_pid a = spawn_resp(&sa, "a");
    TU_OK(akt_tell(sys, a, tu_msg("start-ping", NULL)));
    TU_EVENTUALLY(atomic_load(&sa.got_pong) == 1);
    /* B saw A as the sender of "ping"; A saw B as the sender of "pong". */
    assert_int_equal(atomic_load(&sb.last_sender).id, a.id);
    assert_int_equal(atomic_load(&sa.pong_sender).id, b.id);
}

static void test_respond_without_sender(void **state) {
    (void)state;
    static resp_state s = {0};
    atomic_store(&s.respond_rc, 1);
    akt_pid pid = spawn_resp(&s, "lonely");
    TU_OK(akt_tell(sys, pid, tu_msg("tell-respond", NULL)));
    TU_OK(tu_ask(sys, pid, tu_msg("echo", NULL), NULL)); /* after the tell */
    /* Nobody to answer: the reply is a dead letter (test_replies), not an error. */
    assert_int_equal(atomic_load(&s.respond_rc), 0);
}

static void test_forward_keeps_asker(void **state) {
    (void)state;
    static resp_state sb = {0};
    akt_pid b = spawn_resp(&sb, "fb");
    static resp_state sf;
    sf.peer = b;
    sf.forwarder = 1;
    akt_pid f = spawn_resp(&sf, "ff");
    /* The test asks F; F forwards to B; B's reply completes the test's future. */
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, f, tu_msg("fwd-who", NULL), &reply));
    assert_true(tu_is(reply, "from-b"));
    akt_msg_release(reply);
    assert_int_equal(atomic_load(&sb.last_sender).id, 0); /* the original: outside */
}

static void test_forward_keeps_actor_sender(void **state) {
    (void)state;
    static resp_state sb = {0};
    akt_pid b = spawn_resp(&sb, "fb2");
    static resp_state sf;
    sf.peer = b;
    sf.forwarder = 1;
    akt_pid f = spawn_resp(&sf, "ff2");
    static resp_state sa;
    sa.peer = f;
    akt_pid a = spawn_resp(&sa, "fa");
    /* A tells F, F forwards to B: B sees A as the sender and its reply goes to A. */
    TU_OK(akt_tell(sys, a, tu_msg("start-fwd", NULL)));
    TU_EVENTUALLY(atomic_load(&sa.got_fromb) == 1);
    assert_int_equal(atomic_load(&sb.last_sender).id, a.id);
    assert_int_equal(atomic_load(&sa.fromb_sender).id, b.id);
    assert_int_equal(atomic_load(&sf.got_fromb), 0);
}

static void test_wait_on_own_ask_is_edeadlk(void **state) {
    (void)state;
    static resp_state s = {0};
    akt_pid pid = spawn_resp(&s, "narcissus");
    uint64_t rcs = tu_ask_u64(sys, pid, "selfask");
    int via_ctx = (int)(int32_t)(uint32_t)rcs, via_sys = (int)(int32_t)(uint32_t)(rcs >> 32);
    if (via_ctx != AKT_EDEADLK || via_sys != AKT_EDEADLK)
        fail_msg("waiting inside an actor on its own ask: akt_ctx_ask -> %s, akt_ask -> %s, "
                 "expected AKT_EDEADLK",
                 akt_err_name(via_ctx), akt_err_name(via_sys));
    /* The actor was not blocked and is still fine. */
    TU_OK(tu_ask(sys, pid, tu_msg("echo", NULL), NULL));
}

static void test_ctx_ask_with_callback(void **state) {
    (void)state;
    static resp_state sb = {0};
    akt_pid b = spawn_resp(&sb, "answerer");
    static resp_state sa;
    sa.peer = b;
    sa.system = sys;
    atomic_store(&sa.cb_rc, 1);
    akt_pid a = spawn_resp(&sa, "asker");
    sa.self = a; /* read by the callback only after "ask-peer" below */
    TU_OK(akt_tell(sys, a, tu_msg("ask-peer", NULL)));
    TU_EVENTUALLY(atomic_load(&sa.cb_answer) == 1);
    assert_int_equal(atomic_load(&sa.cb_rc), 0);
    /* The asker was an actor: B saw it as the sender. */
    assert_int_equal(atomic_load(&sb.last_sender).id, a.id);
}

/* ---- a waiting asker runs the target's turn (sched/help.c) ---------------------------- */

typedef struct where_state {
    pthread_t asker;
    atomic_int here; /* turns run on the asking thread */
} where_state;

static int where_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    where_state *w = state;
    if (pthread_equal(pthread_self(), w->asker)) atomic_fetch_add(&w->here, 1);
    return tu_reply(ctx, "echo", NULL);
}

/* Spawns the where actor, counting the turns run on this thread from zero. */
static akt_pid where_spawn(akt_system *s, where_state *w) {
    w->asker = pthread_self();
    atomic_store(&w->here, 0);
    akt_behavior b = tu_behavior(where_receive);
    return tu_spawn(s, &b, w, "where");
}

static void counting_hook(void *data, int index) {
    (void)index;
    atomic_fetch_add((atomic_int *)data, 1);
}

/* Of n asks from this thread, in a one-worker system with thread hooks and
 * waiters_run_turns = opt, how many had their turn run on this thread. */
static int asks_run_here(int opt, int n) {
    static atomic_int hooked;
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "waiterturns";
    o.workers = 1;
    o.thread_start = counting_hook;
    o.thread_hook_data = &hooked;
    o.waiters_run_turns = opt;
    akt_system *s = tu_system_with(&o);
    static where_state w;
    akt_pid pid = where_spawn(s, &w);
    for (int i = 0; i < n; i++) {
        akt_msg *reply = NULL;
        TU_OK(tu_ask(s, pid, tu_msg("where", NULL), &reply));
        assert_true(tu_is(reply, "echo"));
        akt_msg_release(reply);
    }
    assert_true(atomic_load(&hooked) >= 1); /* the hook ran on the worker */
    tu_system_end(s);
    return atomic_load(&w.here);
}

static void test_waiter_runs_turn_with_hooks_only_when_allowed(void **state) {
    (void)state;
    /* With hooks and without the option, the turn always runs on the worker. */
    assert_int_equal(asks_run_here(0, 200), 0);
    /* With it, an asker finding its target still queued runs the turn itself: the worker
     * wakes from a futex well after the asker reached its wait, so most asks do. */
    assert_true(asks_run_here(1, 200) > 0);
}

/* A plain thread's ask of an idle actor holds the actor's cell for that thread, which is
 * about to wait and run the turn itself; a searching worker leaves the cell for a few looks
 * only. An asker that never waits (it only polls) still has every answer, from a worker. */
static void test_held_ask_is_answered_without_a_wait(void **state) {
    (void)state;
    akt_system *s = tu_system("held", 2);
    static where_state w;
    akt_pid pid = where_spawn(s, &w);
    for (int i = 0; i < 300; i++) {
        akt_future *f;
        akt_msg *m = tu_msg("where", NULL);
        TU_OK(akt_ask(s, pid, m, 5000000000ll, &f));
        int rc = AKT_EAGAIN;
        for (int k = 0; k < 2000 && rc == AKT_EAGAIN; k++) { /* <= 2 s */
            rc = akt_future_wait(f, 0, NULL);
            if (rc == AKT_EAGAIN) tu_sleep_ms(1);
        }
        TU_OK(rc);
        akt_future_release(f);
    }
    assert_int_equal(atomic_load(&w.here), 0); /* a poll (timeout 0) never runs a turn */
    /* And an asker that waits runs most turns of its idle target itself, although a
     * worker searches beside it: the hold leaves the cell to it. */
    for (int i = 0; i < 2000; i++) {
        akt_msg *reply = NULL;
        TU_OK(tu_ask(s, pid, tu_msg("where", NULL), &reply));
        akt_msg_release(reply);
    }
    print_message("held: %d of 2000 turns ran on the asker\n", atomic_load(&w.here));
    assert_true(atomic_load(&w.here) > 1000);
    tu_system_end(s);
}

/* akt_ask_wait leaves the idle target's wake-up to the asker, which runs the turn itself,
 * or, when it cannot (a worker is in a turn), makes the wake-up it owes: a parked worker
 * answers then, not the busy one after its turn. */
typedef struct busy_state {
    atomic_int started, ended;
} busy_state;

static int busy_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)msg;
    busy_state *b = state;
    atomic_store(&b->started, 1);
    tu_sleep_ms(300);
    atomic_store(&b->ended, 1);
    return 0;
}

static void test_ask_wait_runs_the_turn_or_wakes_a_worker(void **state) {
    (void)state;
    akt_system *s = tu_system("askwait", 2);
    static where_state w;
    akt_pid pid = where_spawn(s, &w);
    for (int i = 0; i < 2000; i++) {
        akt_future *f = NULL;
        akt_msg *reply = NULL;
        TU_OK(akt_ask_wait(s, pid, tu_msg("where", NULL), 5000000000ll, NULL, -1, &f, &reply));
        assert_true(tu_is(reply, "echo"));
        akt_msg_release(reply);
        akt_future_release(f);
    }
    int here = atomic_load(&w.here);
    print_message("ask_wait: %d of 2000 turns ran on the asker\n", here);
    assert_true(here > 1900); /* no worker was woken to race it for the cell */
    /* A caller that only looks is answered by a worker. */
    atomic_store(&w.here, 0);
    for (int i = 0; i < 100; i++) {
        akt_future *f = NULL;
        int rc = akt_ask_wait(s, pid, tu_msg("where", NULL), 5000000000ll, NULL, 0, &f, NULL);
        for (int k = 0; k < 2000 && rc == AKT_EAGAIN; k++) { /* <= 2 s */
            tu_sleep_ms(1);
            rc = akt_future_wait(f, 0, NULL);
        }
        TU_OK(rc);
        akt_future_release(f);
    }
    assert_int_equal(atomic_load(&w.here), 0);
    /* One worker in a long turn: the asker cannot run its target (the order of turns is
     * the workers'), so it wakes the parked worker, which answers within the long turn. */
    static busy_state b;
    akt_behavior bb = tu_behavior(busy_receive);
    akt_pid busy = tu_spawn(s, &bb, &b, "busy");
    TU_OK(akt_tell(s, busy, tu_msg("work", NULL)));
    TU_EVENTUALLY(atomic_load(&b.started));
    akt_future *f = NULL;
    akt_msg *reply = NULL;
    TU_OK(akt_ask_wait(s, pid, tu_msg("where", NULL), 5000000000ll, NULL, -1, &f, &reply));
    assert_false(atomic_load(&b.ended));
    akt_msg_release(reply);
    akt_future_release(f);
    tu_system_end(s);
}

static void test_waiters_run_turns_is_checked(void **state) {
    (void)state;
    akt_system_options o;
    akt_system_options_init(&o);
    o.waiters_run_turns = 2;
    akt_system *s = NULL;
    TU_RC(AKT_EINVAL, akt_system_create(&o, &s));
    assert_null(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TA_TEST(test_one_sender_order),
        TA_TEST(test_two_senders_each_ordered),
        TA_TEST(test_tell_batch_in_order),
        TA_TEST(test_tell_batch_all_or_none),
        TA_TEST(test_ask_reply),
        TA_TEST(test_ask_timeout),
        TA_TEST(test_ask_unhandled_and_failed),
        TA_TEST(test_ask_stopped_actor),
        TA_TEST(test_future_callback_pending),
        TA_TEST(test_future_callback_immediate_if_completed),
        TA_TEST(test_future_callback_on_timeout),
        TA_TEST(test_wait_zero_on_pending_is_eagain),
        TA_TEST(test_cancel),
        TA_TEST(test_ask_batch),
        TA_TEST(test_respond_to_actor_sender),
        TA_TEST(test_respond_without_sender),
        TA_TEST(test_forward_keeps_asker),
        TA_TEST(test_forward_keeps_actor_sender),
        TA_TEST(test_wait_on_own_ask_is_edeadlk),
        TA_TEST(test_ctx_ask_with_callback),
        TA_TEST(test_waiter_runs_turn_with_hooks_only_when_allowed),
        TA_TEST(test_waiters_run_turns_is_checked),
        TA_TEST(test_held_ask_is_answered_without_a_wait),
        TA_TEST(test_ask_wait_runs_the_turn_or_wakes_a_worker),
    };
    return cmocka_run_group_tests_name("tell_ask", tests, NULL, NULL);
}
