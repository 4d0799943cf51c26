/* test_mailbox: mailbox kinds as a spawn option: bounds with each policy when full (fail,
 * drop, block), the overload accounting, priority and fair order, and a stress of several
 * senders against a bounded mailbox. */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <string.h>

typedef struct slow {
    tu_gate gate; /* "hold" blocks on it */
    atomic_int received;
    atomic_int held;
    atomic_int inner_rc; /* a tell from inside an actor to a full blocking mailbox */
    akt_pid peer;
    tu_log log;
} slow;

static int slow_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    slow *a = state;
    atomic_fetch_add(&a->received, 1);
    if (tu_is(msg, "hold")) {
        atomic_store(&a->held, 1);
        tu_gate_wait(&a->gate);
    } else if (tu_is(msg, "poke-peer")) {
        akt_msg *m = tu_msg("x", NULL);
        int rc = akt_ctx_tell(ctx, a->peer, m);
        if (rc) akt_msg_release(m);
        atomic_store(&a->inner_rc, rc);
    } else if (tu_is(msg, "n")) {
        tu_log_add(&a->log, "%llu", (unsigned long long)tu_u64(msg));
    }
    return 0;
}

static akt_pid spawn_with(akt_system *sys, slow *a, const akt_mailbox_spec *mb) {
    akt_behavior b = tu_behavior(slow_receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.mailbox = mb;
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, &b, a, &o, &pid));
    return pid;
}

static void slow_init(slow *a) {
    memset(a, 0, sizeof *a);
    tu_gate_init(&a->gate);
    tu_log_init(&a->log);
}

static void slow_destroy(slow *a) {
    tu_gate_destroy(&a->gate);
    tu_log_destroy(&a->log);
}

static akt_mailbox_spec bounded(uint32_t cap, int when_full) {
    return (akt_mailbox_spec){.size = sizeof(akt_mailbox_spec),
                              .capacity = cap,
                              .when_full = when_full,
                              .block_timeout_ns = TU_MS(50)};
}

/* Holds the actor inside its first message, then fills its mailbox with cap messages. */
static void fill(akt_system *sys, slow *a, akt_pid pid, uint32_t cap) {
    TU_OK(akt_tell(sys, pid, tu_msg("hold", NULL)));
    TU_EVENTUALLY(atomic_load(&a->held));
    for (uint32_t i = 0; i < cap; i++) TU_OK(akt_tell(sys, pid, tu_msg("x", NULL)));
}

static int cmp_never(akt_msg *a, akt_msg *b, void *d) {
    (void)a, (void)b, (void)d;
    return 0;
}

static void test_bad_specs(void **st) {
    (void)st;
    akt_system *sys = tu_system("mb-bad", 1);
    slow a;
    slow_init(&a);
    akt_behavior b = tu_behavior(slow_receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    akt_pid pid;
    akt_mailbox_spec bad[] = {
        {.size = sizeof(akt_mailbox_spec), .kind = 7},
        {.size = sizeof(akt_mailbox_spec), .kind = -1},
        {.size = sizeof(akt_mailbox_spec), .kind = AKT_MAILBOX_PRIORITY}, /* no compare */
        {.size = sizeof(akt_mailbox_spec), .capacity = 4, .when_full = 9},
        {.size = sizeof(akt_mailbox_spec), .capacity = 4, .when_full = AKT_MAILBOX_BLOCK},
        {.size = sizeof(akt_mailbox_spec), .capacity = UINT32_MAX},
        {.size = 4},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.mailbox = &bad[i];
        TU_RC(AKT_EINVAL, akt_spawn(sys, &b, &a, &o, &pid));
    }
    akt_mailbox_spec ok = {.size = sizeof ok, .kind = AKT_MAILBOX_PRIORITY, .compare = cmp_never};
    o.mailbox = &ok;
    TU_OK(akt_spawn(sys, &b, &a, &o, &pid));
    tu_system_end(sys);
    slow_destroy(&a);
}

static void test_bounded_fail_keeps_the_message(void **st) {
    (void)st;
    akt_system *sys = tu_system("mb-fail", 2);
    slow a;
    slow_init(&a);
    akt_mailbox_spec mb = bounded(8, AKT_MAILBOX_FAIL);
    akt_pid pid = spawn_with(sys, &a, &mb);
    fill(sys, &a, pid, 8);
    akt_msg *m = tu_msg("x", NULL);
    TU_RC(AKT_EFULL, akt_tell(sys, pid, m));
    TU_RC(AKT_EFULL, akt_tell(sys, pid, m)); /* still ours: retry */
    akt_future *f = NULL;
    TU_RC(AKT_EFULL, akt_ask(sys, pid, m, TU_SEC(5), &f));
    assert_null(f);
    akt_msg *two[2] = {m, m};
    TU_RC(AKT_EFULL, akt_tell_batch(sys, pid, two, 2));
    tu_gate_open(&a.gate);
    TU_EVENTUALLY(atomic_load(&a.received) == 9);
    TU_OK(akt_tell(sys, pid, m)); /* room again: taken now */
    TU_EVENTUALLY(atomic_load(&a.received) == 10);
    tu_system_end(sys);
    slow_destroy(&a);
}

static void test_bounded_drop_dead_letters(void **st) {
    (void)st;
    akt_system *sys = tu_system("mb-drop", 2);
    tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    slow a;
    slow_init(&a);
    akt_mailbox_spec mb = bounded(4, AKT_MAILBOX_DROP);
    akt_pid pid = spawn_with(sys, &a, &mb);
    fill(sys, &a, pid, 4);
    TU_OK(akt_tell(sys, pid, tu_msg("dropped", NULL)));
    akt_future *f;
    TU_OK(akt_ask(sys, pid, tu_msg("dropped", NULL), TU_SEC(5), &f));
    TU_RC(AKT_EFULL, tu_wait(f, NULL));
    akt_future_release(f);
    akt_msg *batch[3] = {tu_msg("dropped", NULL), tu_msg("dropped", NULL), tu_msg("dropped", NULL)};
    TU_OK(akt_tell_batch(sys, pid, batch, 3));
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, pid) == 5);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_DEAD_LETTER, pid, &e));
    assert_string_equal(e.reason, "mailbox full");
    assert_string_equal(e.type, "dropped");
    tu_gate_open(&a.gate);
    TU_EVENTUALLY(atomic_load(&a.received) == 5);
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(sys);
    tu_events_destroy(&ev);
    slow_destroy(&a);
}

static void test_bounded_block_waits_outside_actors_only(void **st) {
    (void)st;
    akt_system *sys = tu_system("mb-block", 2);
    slow a, b;
    slow_init(&a);
    slow_init(&b);
    akt_mailbox_spec mb = bounded(2, AKT_MAILBOX_BLOCK);
    akt_pid pid = spawn_with(sys, &a, &mb);
    b.peer = pid;
    akt_pid poker = spawn_with(sys, &b, NULL);
    fill(sys, &a, pid, 2);
    akt_msg *m = tu_msg("x", NULL);
    int64_t t0 = tu_now_ns();
    TU_RC(AKT_ETIMEDOUT, akt_tell(sys, pid, m));
    assert_true(tu_now_ns() - t0 >= TU_MS(45));
    /* Inside an actor: refused at once, never a blocked worker. */
    atomic_store(&b.inner_rc, 1);
    TU_OK(akt_tell(sys, poker, tu_msg("poke-peer", NULL)));
    TU_EVENTUALLY(atomic_load(&b.inner_rc) != 1);
    assert_int_equal(atomic_load(&b.inner_rc), AKT_EFULL);
    akt_msg_release(m);
    tu_gate_open(&a.gate);
    TU_EVENTUALLY(atomic_load(&a.received) == 3);
    tu_system_end(sys);
    slow_destroy(&a);
    slow_destroy(&b);
}

/* Counts dead letters dropped for a full mailbox (any number, unlike tu_events). */
static void count_full(const akt_event *ev, void *data) {
    if (ev->reason && !strcmp(ev->reason, "mailbox full")) atomic_fetch_add((atomic_int *)data, 1);
}

/* One fast sender, one slow actor, a mailbox of 64: what waits never exceeds the bound, and
 * every message is accounted for. */
static void overload(int when_full) {
    akt_system *sys = tu_system("mb-overload", 2);
    atomic_int dropped = 0;
    akt_subscription *sub;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, count_full, &dropped, &sub));
    slow a;
    slow_init(&a);
    akt_mailbox_spec mb = bounded(64, when_full);
    mb.block_timeout_ns = TU_SEC(10);
    akt_pid pid = spawn_with(sys, &a, &mb);
    const int total = 20000;
    int accepted = 0, refused = 0, worst = 0;
    for (int i = 0; i < total; i++) {
        akt_msg *m = tu_msg("x", NULL);
        int rc = akt_tell(sys, pid, m);
        if (rc == 0) {
            accepted++;
        } else {
            assert_int_equal(rc, AKT_EFULL);
            akt_msg_release(m); /* refused: still the caller's */
            refused++;
        }
        int waiting = accepted - atomic_load(&a.received);
        if (when_full == AKT_MAILBOX_DROP) /* a drop is published on this thread */
            waiting -= atomic_load(&dropped);
        if (waiting > worst) worst = waiting;
    }
    akt_future *f;
    TU_OK(akt_stop_graceful(sys, pid, TU_SEC(10), &f));
    TU_OK(tu_wait(f, NULL));
    akt_future_release(f);
    /* at most 64 waiting, plus the one in hand not yet counted as received */
    assert_true(worst <= 65);
    int dead = atomic_load(&dropped);
    assert_int_equal(accepted, atomic_load(&a.received) + dead);
    assert_int_equal(accepted + refused, total);
    if (when_full == AKT_MAILBOX_FAIL) assert_int_equal(dead, 0);
    if (when_full == AKT_MAILBOX_DROP) assert_int_equal(refused, 0);
    if (when_full == AKT_MAILBOX_BLOCK) assert_int_equal(accepted, total);
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(sys);
    slow_destroy(&a);
}

static void test_overload_fail(void **st) {
    (void)st;
    overload(AKT_MAILBOX_FAIL);
}
static void test_overload_drop(void **st) {
    (void)st;
    overload(AKT_MAILBOX_DROP);
}
static void test_overload_block(void **st) {
    (void)st;
    overload(AKT_MAILBOX_BLOCK);
}

/* ---- order: the receiver runs on an external dispatcher, so everything is queued before
 * it takes its first message ---------------------------------------------------------- */

static void no_notify(void *d) { (void)d; }

static int by_priority(akt_msg *x, akt_msg *y, void *data) {
    (void)data;
    uint64_t px = tu_u64(x) / 10, py = tu_u64(y) / 10;
    return px > py ? -1 : px < py; /* higher first */
}

static void run_all(akt_dispatcher *d) {
    int rc;
    while ((rc = akt_dispatcher_run(d, 100, NULL)) == AKT_EAGAIN) {
    }
    TU_OK(rc);
}

static void test_priority_order_is_stable(void **st) {
    (void)st;
    akt_system *sys = tu_system("mb-prio", 1);
    akt_dispatcher *d;
    TU_OK(akt_dispatcher_create_external(sys, no_notify, NULL, &d));
    slow a;
    slow_init(&a);
    akt_mailbox_spec mb = {.size = sizeof mb, .kind = AKT_MAILBOX_PRIORITY, .compare = by_priority};
    akt_behavior b = tu_behavior(slow_receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.mailbox = &mb;
    o.dispatcher = d;
    akt_pid pid;
    TU_OK(akt_spawn(sys, &b, &a, &o, &pid));
    /* value = priority * 10 + arrival */
    const uint64_t sent[] = {30, 11, 32, 53, 14, 35, 56, 17};
    for (size_t i = 0; i < sizeof sent / sizeof sent[0]; i++)
        TU_OK(akt_tell(sys, pid, tu_msg_u64("n", sent[i])));
    run_all(d);
    assert_string_equal(tu_log_str(&a.log), "53 56 30 32 35 11 14 17");
    tu_system_end_running(sys, d);
    slow_destroy(&a);
}

typedef struct sender {
    akt_pid target;
    const char *tag;
} sender;

static int sender_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    sender *s = state;
    (void)msg;
    for (int i = 1; i <= 3; i++) {
        akt_msg *m = tu_msg_u64("n", (uint64_t)(s->tag[0] - 'A' + 1) * 10 + (uint64_t)i);
        TU_CB_RC(0, akt_ctx_tell(ctx, s->target, m));
    }
    return tu_reply(ctx, "done", NULL);
}

static void test_fair_round_robin(void **st) {
    (void)st;
    akt_system *sys = tu_system("mb-fair", 2);
    akt_dispatcher *d;
    TU_OK(akt_dispatcher_create_external(sys, no_notify, NULL, &d));
    slow a;
    slow_init(&a);
    akt_mailbox_spec mb = {.size = sizeof mb, .kind = AKT_MAILBOX_FAIR};
    akt_behavior b = tu_behavior(slow_receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.mailbox = &mb;
    o.dispatcher = d;
    akt_pid pid;
    TU_OK(akt_spawn(sys, &b, &a, &o, &pid));
    sender s[3] = {{pid, "A"}, {pid, "B"}, {pid, "C"}};
    akt_behavior sb = tu_behavior(sender_receive);
    for (int i = 0; i < 3; i++) { /* each sender's three, one sender after the other */
        akt_pid sp = tu_spawn(sys, &sb, &s[i], NULL);
        TU_OK(tu_ask(sys, sp, tu_msg("go", NULL), NULL));
    }
    TU_OK(akt_tell(sys, pid, tu_msg_u64("n", 99))); /* from outside: a fourth sub-queue */
    run_all(d);
    assert_string_equal(tu_log_str(&a.log), "11 21 31 99 12 22 32 13 23 33");
    tu_system_end_running(sys, d);
    slow_destroy(&a);
}

/* ---- several senders against one bounded mailbox (TSan) ------------------------------ */

typedef struct blast {
    akt_system *sys;
    akt_pid to;
    int n;
    atomic_int *accepted, *refused;
} blast;

static void *blast_run(void *arg) {
    blast *b = arg;
    for (int i = 0; i < b->n; i++) {
        akt_msg *m = tu_msg_u64("s", (uint64_t)i);
        if (akt_tell(b->sys, b->to, m) == 0) {
            atomic_fetch_add(b->accepted, 1);
        } else {
            akt_msg_release(m);
            atomic_fetch_add(b->refused, 1);
        }
    }
    return NULL;
}

static void stress(int kind, int when_full) {
    akt_system *sys = tu_system("mb-stress", 2);
    slow a;
    slow_init(&a);
    akt_mailbox_spec mb = bounded(16, when_full);
    mb.kind = kind;
    mb.compare = cmp_never;
    mb.block_timeout_ns = TU_SEC(10);
    akt_pid pid = spawn_with(sys, &a, &mb);
    atomic_int accepted = 0, refused = 0;
    enum { THREADS = 4, EACH = 5000 };
    pthread_t th[THREADS];
    blast b[THREADS];
    for (int i = 0; i < THREADS; i++) {
        b[i] = (blast){sys, pid, EACH, &accepted, &refused};
        assert_int_equal(pthread_create(&th[i], NULL, blast_run, &b[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
    TU_EVENTUALLY(atomic_load(&a.received) == atomic_load(&accepted));
    assert_int_equal(atomic_load(&accepted) + atomic_load(&refused), THREADS * EACH);
    if (when_full == AKT_MAILBOX_BLOCK) assert_int_equal(atomic_load(&refused), 0);
    /* Room is back: every slot was given back. */
    fill(sys, &a, pid, 16);
    tu_gate_open(&a.gate);
    tu_system_end(sys);
    slow_destroy(&a);
}

static void test_stress_fifo_fail(void **st) {
    (void)st;
    stress(AKT_MAILBOX_FIFO, AKT_MAILBOX_FAIL);
}
static void test_stress_fair_block(void **st) {
    (void)st;
    stress(AKT_MAILBOX_FAIR, AKT_MAILBOX_BLOCK);
}
static void test_stress_priority_fail(void **st) {
    (void)st;
    stress(AKT_MAILBOX_PRIORITY, AKT_MAILBOX_FAIL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_bad_specs),
        TU_TEST(test_bounded_fail_keeps_the_message),
        TU_TEST(test_bounded_drop_dead_letters),
        TU_TEST(test_bounded_block_waits_outside_actors_only),
        TU_TEST(test_overload_fail),
        TU_TEST(test_overload_drop),
        TU_TEST(test_overload_block),
        TU_TEST(test_priority_order_is_stable),
        TU_TEST(test_fair_round_robin),
        TU_TEST(test_stress_fifo_fail),
        TU_TEST(test_stress_fair_block),
        TU_TEST(test_stress_priority_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
