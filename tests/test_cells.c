/* test_cells: the cell table and its pids. A pid reaches only the incarnation it was issued
 * for: never a cell nobody spawned, an actor of another (or a released) system, or a later
 * incarnation of its slot, also once a slot's generation is exhausted. A spawn makes its
 * cell reachable only once it owns it, and never waits for another thread's run of a freed
 * cell. White-box: links akt_static for the test hooks (akt__spawn_hook in actor/spawn.h,
 * akt__cell_test_age in kernel/sys.h) and the pid layout (kernel/cell.h). */
#define _GNU_SOURCE
#include "tu.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor/spawn.h"
#include "kernel/sys.h"

static akt_system *sys;

static int cells_setup(void **state) {
    sys = NULL;
    return tu_setup(state);
}

static int cells_teardown(void **state) {
    akt__spawn_hook = NULL;
    akt__spawn_hook_data = NULL;
    if (sys) tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define CELLS_TEST(f) cmocka_unit_test_setup_teardown(f, cells_setup, cells_teardown)

/* ---- actors -------------------------------------------------------------------------- */

/* Counts "n" messages; "count" asks for the number; post_stop and free_state are counted. */
typedef struct counter {
    atomic_int n, posts, frees;
} counter;

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    counter *c = state;
    if (tu_is(msg, "n")) {
        atomic_fetch_add(&c->n, 1);
        return 0;
    }
    if (tu_is(msg, "count")) return tu_reply_u64(ctx, "count", (uint64_t)atomic_load(&c->n));
    if (tu_is(msg, "quit")) { /* its own stop, from its turn */
        akt_pid self;
        TU_CB_RC(0, akt_ctx_self(ctx, &self));
        TU_CB_RC(0, akt_ctx_stop(ctx, self));
        return 0;
    }
    return akt_ctx_unhandled(ctx);
}

static void counter_post_stop(akt_ctx *ctx, void *state) {
    (void)ctx;
    atomic_fetch_add(&((counter *)state)->posts, 1);
}

static void counter_free(void *state) { atomic_fetch_add(&((counter *)state)->frees, 1); }

static const akt_behavior counter_behavior = {.size = sizeof(akt_behavior),
                                              .receive = counter_receive,
                                              .post_stop = counter_post_stop,
                                              .free_state = counter_free};

/* Tries every ctx function that takes a pid on the pid of a "probe" and replies with a bit
 * for each that did not return AKT_ENOTFOUND. "parent" replies with its parent's pid. */
static int prober_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "parent")) {
        akt_pid p = {0};
        TU_CB_RC(0, akt_ctx_parent(ctx, &p));
        return tu_reply_u64(ctx, "parent", p.id);
    }
    if (!tu_is(msg, "probe")) return akt_ctx_unhandled(ctx);
    akt_pid f = tu_pid(msg);
    uint64_t bad = 0;
    akt_msg *m = tu_msg("n", NULL);
    int rc = akt_ctx_tell(ctx, f, m);
    if (rc != 0) akt_msg_release(m);
    bad |= (uint64_t)(rc != AKT_ENOTFOUND) << 0;
    m = tu_msg("n", NULL);
    akt_future *fu = NULL;
    rc = akt_ctx_ask(ctx, f, m, TU_SEC(1), &fu);
    if (rc == 0)
        akt_future_release(fu);
    else
        akt_msg_release(m);
    bad |= (uint64_t)(rc != AKT_ENOTFOUND) << 1;
    bad |= (uint64_t)(akt_ctx_watch(ctx, f) != AKT_ENOTFOUND) << 2;
    bad |= (uint64_t)(akt_ctx_stop(ctx, f) != AKT_ENOTFOUND) << 3;
    bad |= (uint64_t)(akt_ctx_forward(ctx, f) != AKT_ENOTFOUND) << 4;
    return tu_reply_u64(ctx, "probed", bad);
}

/* Every way in from outside must say AKT_ENOTFOUND for pid (and not alive). */
static void expect_not_found(akt_system *s, akt_pid pid) {
    if (akt_pid_is_alive(s, pid)) fail_msg("pid %#llx counts as alive", (unsigned long long)pid.id);
    char buf[64];
    TU_RC(AKT_ENOTFOUND, akt_pid_path(s, pid, buf, sizeof buf, NULL));
    akt_msg *m = tu_msg("n", NULL);
    TU_RC(AKT_ENOTFOUND, akt_tell(s, pid, m));
    TU_RC(AKT_ENOTFOUND, akt_tell_batch(s, pid, &m, 1));
    akt_future *f = NULL;
    TU_RC(AKT_ENOTFOUND, akt_ask(s, pid, m, TU_SEC(1), &f));
    TU_RC(AKT_ENOTFOUND, akt_ask_batch(s, pid, &m, 1, TU_SEC(1), &f));
    akt_msg_release(m); /* still ours: nothing took it */
    TU_RC(AKT_ENOTFOUND, akt_stop(s, pid));
    TU_RC(AKT_ENOTFOUND, akt_poison(s, pid));
    TU_RC(AKT_ENOTFOUND, akt_stop_graceful(s, pid, TU_SEC(1), &f));
}

/* The same from inside an actor of s (prober). */
static void expect_not_found_inside(akt_system *s, akt_pid prober, akt_pid pid) {
    akt_msg *reply = NULL;
    TU_OK(tu_ask(s, prober, tu_msg_pid("probe", pid), &reply));
    uint64_t bad = tu_u64(reply);
    akt_msg_release(reply);
    if (bad)
        fail_msg("pid %#llx: ctx functions (bits: tell, ask, watch, stop, forward) %#llx did "
                 "not return AKT_ENOTFOUND",
                 (unsigned long long)pid.id, (unsigned long long)bad);
}

/* ---- 1. pids nobody was given ---------------------------------------------------------- */

static akt_pid forged[2048];
static size_t nforged;

static void add_forged(uint64_t id, const akt_pid *live, size_t nlive) {
    if (!id || nforged == sizeof forged / sizeof forged[0]) return;
    for (size_t i = 0; i < nlive; i++)
        if (live[i].id == id) return;
    forged[nforged++].id = id;
}

static void test_forged_pids_are_not_found(void **state) {
    (void)state;
    sys = tu_system("cells", 2);
    static counter c;
    memset(&c, 0, sizeof c);
    akt_pid l = tu_spawn(sys, &counter_behavior, &c, "l");
    akt_behavior pb = tu_behavior(prober_receive);
    akt_pid p = tu_spawn(sys, &pb, NULL, "prober");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, p, tu_msg("parent", NULL), &reply));
    akt_pid guardian = tu_pid(reply);
    akt_msg_release(reply);
    const akt_pid live[] = {l, p, guardian};

    /* Cells of the first page (used and never used), of pages that do not exist, and the
     * index bits of every width, with generations in both halves of the id; the pids next
     * to the live ones; and arbitrary values. */
    const uint64_t idx[] = {1,
                            2,
                            3,
                            4,
                            5,
                            6,
                            7,
                            8,
                            9,
                            10,
                            11,
                            100,
                            1000,
                            4094,
                            4095,
                            4096,
                            4097,
                            65535,
                            65536,
                            1u << 20,
                            (1u << 24) - 1,
                            1u << 24,
                            (1u << 24) + 2,
                            1u << 31,
                            UINT32_MAX};
    const uint64_t gens[] = {0, 1, 2, 3, 255, 256, 0xffffffu, 0xffffffffu};
    nforged = 0;
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        for (size_t g = 0; g < sizeof gens / sizeof gens[0]; g++) {
            add_forged(gens[g] << 32 | idx[i], live, 3);
            add_forged(gens[g] << 24 | idx[i], live, 3);
            add_forged(gens[g] << 40 | idx[i], live, 3);
        }
    for (size_t i = 0; i < 3; i++) {
        uint32_t at = akt__pid_index(live[i]);
        uint64_t gen = akt__pid_gen(live[i]);
        add_forged(akt__pid_make(at, gen + 1).id, live, 3);
        add_forged(akt__pid_make(at, gen - 1).id, live, 3);
        add_forged(akt__pid_make(at, 0).id, live, 3);
        add_forged(akt__pid_make(at + 1, gen).id, live, 3);
        add_forged(akt__pid_make(at + 2, gen).id, live, 3);
        add_forged(live[i].id ^ (1ull << 63), live, 3);
    }
    uint64_t x = 0x9e3779b97f4a7c15ull; /* xorshift64: the same values every run */
    for (int i = 0; i < 256; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        add_forged(x, live, 3);
    }
    for (size_t i = 0; i < nforged; i++) {
        expect_not_found(sys, forged[i]);
        expect_not_found_inside(sys, p, forged[i]);
    }
    /* The live ones still work. */
    TU_OK(akt_tell(sys, l, tu_msg("n", NULL)));
    assert_int_equal(tu_ask_u64(sys, l, "count"), 1);
    assert_int_equal(akt_pid_is_alive(sys, l), 1);
}

/* Once an actor is gone, the next generation of its slot is nobody's until a spawn. */
static void test_next_generation_is_not_alive(void **state) {
    (void)state;
    sys = tu_system("cells", 1);
    static counter c;
    memset(&c, 0, sizeof c);
    akt_pid p = tu_spawn(sys, &counter_behavior, &c, "x");
    tu_stop_wait(sys, p);
    expect_not_found(sys, p);
    uint32_t at = akt__pid_index(p);
    expect_not_found(sys, akt__pid_make(at, akt__pid_gen(p) + 1));
    expect_not_found(sys, akt__pid_make(at, akt__pid_gen(p) + 2));
}

/* ---- 11. pids of other systems ------------------------------------------------------- */

#define CROSS_N 64

static void test_pid_of_another_system(void **state) {
    (void)state;
    static counter ca[CROSS_N], cb[CROSS_N];
    memset(ca, 0, sizeof ca);
    memset(cb, 0, sizeof cb);
    akt_system *a = tu_system("akt", 1);
    sys = tu_system("akt", 1); /* same name, same shape: only the pid can tell them apart */
    akt_pid pa[CROSS_N], pb[CROSS_N];
    for (int i = 0; i < CROSS_N; i++) {
        pa[i] = tu_spawn(a, &counter_behavior, &ca[i], NULL);
        pb[i] = tu_spawn(sys, &counter_behavior, &cb[i], NULL);
    }
    akt_behavior prb = tu_behavior(prober_receive);
    akt_pid prober_a = tu_spawn(a, &prb, NULL, "prober");
    akt_pid prober_b = tu_spawn(sys, &prb, NULL, "prober");
    for (int i = 0; i < CROSS_N; i++) {
        for (int j = 0; j < CROSS_N; j++)
            if (pa[i].id == pb[j].id)
                fail_msg("systems a and b both issued pid %#llx", (unsigned long long)pa[i].id);
        expect_not_found(sys, pa[i]);
        expect_not_found(a, pb[i]);
        expect_not_found_inside(sys, prober_b, pa[i]);
        expect_not_found_inside(a, prober_a, pb[i]);
    }
    for (int i = 0; i < CROSS_N; i++) {
        assert_int_equal(akt_pid_is_alive(a, pa[i]), 1);
        assert_int_equal(akt_pid_is_alive(sys, pb[i]), 1);
        assert_int_equal(atomic_load(&ca[i].n) + atomic_load(&cb[i].n), 0);
    }
    tu_system_end(a);
}

static void test_pid_of_released_system(void **state) {
    (void)state;
    static counter ca[CROSS_N], cb[CROSS_N];
    memset(ca, 0, sizeof ca);
    memset(cb, 0, sizeof cb);
    akt_system *a = tu_system("akt", 1);
    akt_pid old[CROSS_N];
    for (int i = 0; i < CROSS_N; i++) old[i] = tu_spawn(a, &counter_behavior, &ca[i], NULL);
    tu_system_end(a);
    sys = tu_system("akt", 1);
    for (int i = 0; i < CROSS_N; i++) tu_spawn(sys, &counter_behavior, &cb[i], NULL);
    for (int i = 0; i < CROSS_N; i++) expect_not_found(sys, old[i]);
    for (int i = 0; i < CROSS_N; i++) assert_int_equal(atomic_load(&cb[i].n), 0);
}

/* ---- 2. a cell is reachable only once its spawn owns it ------------------------------- */

enum hook_mode { HOOK_TELL, HOOK_STOP, HOOK_STOP_PARENT, HOOK_SHUTDOWN };

static struct {
    akt_system *sys;
    int mode;
    const char *path; /* the new actor's, for akt_lookup */
    akt_pid parent;   /* HOOK_STOP_PARENT */
    tu_gate *open;    /* opened once the hook has acted, if set */
    atomic_int calls;
} hk;

/* Runs in the spawn, right when the new actor became reachable. */
static void spawn_hook(akt_system *s, akt_pid pid, void *data) {
    TU_CB_CHECK(data == &hk);
    if (s != hk.sys || atomic_fetch_add(&hk.calls, 1) != 0) return;
    akt_pid found = {0};
    TU_CB_RC(0, akt_lookup(s, hk.path, &found));
    TU_CB_CHECK(found.id == pid.id);
    TU_CB_CHECK(akt_pid_is_alive(s, pid) == 1);
    switch (hk.mode) {
    case HOOK_TELL: {
        akt_msg *m = tu_msg("n", NULL);
        int rc = akt_tell(s, found, m);
        TU_CB_RC(0, rc);
        if (rc != 0) akt_msg_release(m);
        break;
    }
    case HOOK_STOP:
        TU_CB_RC(0, akt_stop(s, found));
        break;
    case HOOK_STOP_PARENT:
        TU_CB_RC(0, akt_stop(s, hk.parent));
        break;
    case HOOK_SHUTDOWN:
        TU_CB_RC(0, akt_system_shutdown(s, NULL, NULL));
        break;
    }
    if (hk.open) tu_gate_open(hk.open);
}

static void hook_install(akt_system *s, int mode, const char *path, tu_gate *open) {
    hk.sys = s;
    hk.mode = mode;
    hk.path = path;
    hk.parent.id = 0;
    hk.open = open;
    atomic_store(&hk.calls, 0);
    akt__spawn_hook_data = &hk;
    akt__spawn_hook = spawn_hook;
}

static void test_spawn_hook_tell_to_fresh_cell(void **state) {
    (void)state;
    sys = tu_system("cells", 2);
    static counter c;
    memset(&c, 0, sizeof c);
    hook_install(sys, HOOK_TELL, "fresh", NULL);
    akt_pid p = tu_spawn(sys, &counter_behavior, &c, "fresh");
    akt__spawn_hook = NULL;
    assert_int_equal(atomic_load(&hk.calls), 1);
    assert_int_equal(tu_ask_u64(sys, p, "count"), 1);
}

/* A parent that spawns its child "kid" on "spawn" and replies with the kid's pid. */
static counter kid_state;
static int parent_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (!tu_is(msg, "spawn")) return akt_ctx_unhandled(ctx);
    akt_spawn_options o;
    TU_CB_RC(0, akt_spawn_options_init(&o));
    o.name = "kid";
    akt_pid kid = {0};
    TU_CB_RC(0, akt_ctx_spawn(ctx, &counter_behavior, &kid_state, &o, &kid));
    return tu_reply_u64(ctx, "kid", kid.id);
}

static void test_spawn_hook_stop_parent_of_fresh_cell(void **state) {
    (void)state;
    sys = tu_system("cells", 2);
    memset(&kid_state, 0, sizeof kid_state);
    akt_behavior pb = tu_behavior(parent_receive);
    akt_pid parent = tu_spawn(sys, &pb, NULL, "parent");
    hook_install(sys, HOOK_STOP_PARENT, "parent/kid", NULL);
    hk.parent = parent;
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, parent, tu_msg("spawn", NULL), &reply));
    akt_pid kid = tu_pid(reply);
    akt_msg_release(reply);
    assert_int_equal(atomic_load(&hk.calls), 1);
    tu_wait_dead(sys, parent);
    tu_wait_dead(sys, kid);
    TU_EVENTUALLY(atomic_load(&kid_state.frees) == 1);
    assert_int_equal(atomic_load(&kid_state.posts), 1);
}

static void test_spawn_hook_shutdown_with_fresh_cell(void **state) {
    (void)state;
    sys = tu_system("cells", 2);
    static counter c;
    memset(&c, 0, sizeof c);
    hook_install(sys, HOOK_SHUTDOWN, "late", NULL);
    tu_spawn(sys, &counter_behavior, &c, "late");
    assert_int_equal(atomic_load(&hk.calls), 1);
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    assert_int_equal(atomic_load(&c.posts), 1);
    assert_int_equal(atomic_load(&c.frees), 1);
}

/* The old incarnation's run outlives its finalisation: a graceful stop's waiter that is
 * still queued when the stop signal finalises the actor completes after it, in the same
 * run, and its callback holds that run (it blocks, which callbacks must not do: here it is
 * the point). A spawn in that window must not share the cell with that run. */
static tu_gate gate_busy, gate_park;
static counter lingering, newcomer;

static int blocker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "block")) {
        tu_gate_wait(&gate_busy);
        return 0;
    }
    return akt_ctx_unhandled(ctx);
}

static void park_cb(akt_future *f, int rc, akt_msg *reply, void *data) {
    (void)f;
    (void)reply;
    (void)data;
    TU_CB_RC(0, rc);
    tu_gate_wait(&gate_park);
}

static akt_future *hold_old_run(void) {
    tu_gate_init(&gate_busy);
    tu_gate_init(&gate_park);
    memset(&lingering, 0, sizeof lingering);
    memset(&newcomer, 0, sizeof newcomer);
    akt_behavior bb = tu_behavior(blocker_receive);
    akt_pid x = tu_spawn(sys, &bb, &lingering, "x");
    TU_OK(akt_tell(sys, x, tu_msg("block", NULL)));
    tu_gate_await_waiters(&gate_busy, 1);
    akt_future *f = NULL;
    TU_OK(akt_stop_graceful(sys, x, TU_DEADLINE_NS, &f));
    TU_OK(akt_future_on_complete(f, park_cb, NULL));
    TU_OK(akt_stop(sys, x));
    tu_gate_open(&gate_busy);
    tu_gate_await_waiters(&gate_park, 1); /* x is finalised; its run is held */
    assert_int_equal(akt_pid_is_alive(sys, x), 0);
    return f;
}

static void test_spawn_hook_tell_while_old_run_lingers(void **state) {
    (void)state;
    sys = tu_system("cells", 2);
    static tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    akt_future *f = hold_old_run();
    hook_install(sys, HOOK_TELL, "y", &gate_park);
    akt_pid y = tu_spawn(sys, &counter_behavior, &newcomer, "y");
    akt__spawn_hook = NULL;
    assert_int_equal(atomic_load(&hk.calls), 1);
    assert_int_equal(tu_ask_u64(sys, y, "count"), 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, y), 0);
    TU_OK(tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    TU_OK(akt_unsubscribe(sub));
}

static void test_spawn_hook_stop_while_old_run_lingers(void **state) {
    (void)state;
    sys = tu_system("cells", 2);
    akt_future *f = hold_old_run();
    hook_install(sys, HOOK_STOP, "y", &gate_park);
    akt_pid y = tu_spawn(sys, &counter_behavior, &newcomer, "y");
    akt__spawn_hook = NULL;
    assert_int_equal(atomic_load(&hk.calls), 1);
    /* akt_stop returned 0 for a live pid: the actor stops. */
    tu_wait_dead(sys, y);
    TU_EVENTUALLY(atomic_load(&newcomer.frees) == 1);
    assert_int_equal(atomic_load(&newcomer.posts), 1);
    TU_OK(tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
}

/* Stop and respawn by name while another thread tells whatever "x" is now: every accepted
 * tell is received by the incarnation it was sent to, or is a dead letter, exactly once;
 * an incarnation gets all of its own mail while alive; every accepted stop takes effect (or
 * the next spawn by the same name never succeeds). */
#define RESPAWN_ITERS 3000
#define RESPAWN_MAIN 16

typedef struct inc_state {
    int main_n;
} inc_state;

static atomic_long accepted_inc, received_inc, dead_inc, wrong_inc, dead_main;
static atomic_int sender_quit;

static int inc_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    inc_state *st = state;
    if (tu_is(msg, "inc")) {
        akt_pid self = {0};
        TU_CB_RC(0, akt_ctx_self(ctx, &self));
        if (tu_u64(msg) == self.id)
            atomic_fetch_add(&received_inc, 1);
        else
            atomic_fetch_add(&wrong_inc, 1);
        return 0;
    }
    if (tu_is(msg, "main")) {
        st->main_n++;
        return 0;
    }
    if (tu_is(msg, "count")) return tu_reply_u64(ctx, "count", (uint64_t)st->main_n);
    return akt_ctx_unhandled(ctx);
}

static const akt_behavior inc_behavior = {
    .size = sizeof(akt_behavior), .receive = inc_receive, .free_state = free};

static void on_dead_letter(const akt_event *ev, void *data) {
    if (!ev->msg) return;
    if (tu_is(ev->msg, "inc")) {
        TU_CB_CHECK(tu_u64(ev->msg) == ev->pid.id); /* the intended receiver */
        /* A pid is live for one stretch of time; its mail becomes dead letters after it. */
        TU_CB_CHECK(akt_pid_is_alive(data, ev->pid) == 0);
        atomic_fetch_add(&dead_inc, 1);
    } else if (tu_is(ev->msg, "main")) {
        atomic_fetch_add(&dead_main, 1);
    }
}

/* Up to RESPAWN_BURST tells to each "x" it finds, the first ones as soon as the name is
 * there: right where a spawn is still under way. */
#define RESPAWN_BURST 64

static void *respawn_sender(void *arg) {
    akt_system *s = arg;
    akt_pid last = {0};
    int burst = 0;
    while (!atomic_load(&sender_quit)) {
        akt_pid to = {0};
        if (akt_lookup(s, "x", &to) != 0 || (to.id == last.id && burst == RESPAWN_BURST))
            continue; /* no yield: be there the moment the next "x" appears */
        if (to.id != last.id) burst = 0;
        last = to;
        burst++;
        akt_msg *m = tu_msg_u64("inc", to.id);
        int rc = akt_tell(s, to, m);
        if (rc == 0) {
            atomic_fetch_add(&accepted_inc, 1);
        } else {
            akt_msg_release(m);
            TU_CB_RC(AKT_ENOTFOUND, rc);
        }
    }
    return NULL;
}

static void test_stop_and_respawn_by_name(void **state) {
    (void)state;
    atomic_store(&accepted_inc, 0);
    atomic_store(&received_inc, 0);
    atomic_store(&dead_inc, 0);
    atomic_store(&wrong_inc, 0);
    atomic_store(&dead_main, 0);
    atomic_store(&sender_quit, 0);
    akt_system *s = tu_system("cells", 2);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(s, AKT_EVENT_DEAD_LETTER, on_dead_letter, s, &sub));
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, respawn_sender, s), 0);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.name = "x";
    for (int it = 0; it < RESPAWN_ITERS; it++) {
        inc_state *st = calloc(1, sizeof *st);
        assert_non_null(st);
        akt_pid pid = {0};
        int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
        int rc;
        while ((rc = akt_spawn(s, &inc_behavior, st, &o, &pid)) == AKT_EEXIST && tu_now_ns() < dl)
            sched_yield(); /* the previous "x" is stopping */
        if (rc != 0) {
            atomic_store(&sender_quit, 1);
            pthread_join(th, NULL);
            fail_msg("iteration %d: spawn returned %s: the stop of the last \"x\" was lost", it,
                     akt_err_name(rc));
        }
        for (int j = 0; j < RESPAWN_MAIN; j++) TU_OK(akt_tell(s, pid, tu_msg("main", NULL)));
        uint64_t got = tu_ask_u64(s, pid, "count");
        if (got != RESPAWN_MAIN) {
            atomic_store(&sender_quit, 1);
            pthread_join(th, NULL);
            fail_msg("iteration %d: the live actor received %llu of its %d messages", it,
                     (unsigned long long)got, RESPAWN_MAIN);
        }
        TU_OK(akt_stop(s, pid));
    }
    atomic_store(&sender_quit, 1);
    pthread_join(th, NULL);
    tu_system_end(s); /* mail still queued anywhere is a dead letter by now */
    long acc = atomic_load(&accepted_inc), rec = atomic_load(&received_inc),
         dead = atomic_load(&dead_inc);
    assert_int_equal(atomic_load(&wrong_inc), 0);
    assert_int_equal(atomic_load(&dead_main), 0);
    if (acc != rec + dead)
        fail_msg("%ld tells accepted, %ld received + %ld dead letters", acc, rec, dead);
    print_message("respawn: %ld tells accepted: %ld received, %ld dead letters\n", acc, rec, dead);
}

/* ---- 3. spawn never waits for a run of a freed cell ---------------------------------- */

/* "watch-spawn" (payload: a pid): watches it, then spawns a counter from this callback and
 * replies with the spawn's code; records the Terminated it gets. */
static counter spawned;
static akt_pid _Atomic terminated_of;

static int watch_spawn_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, AKT_TYPE_TERMINATED)) {
        akt_pid who = {0};
        TU_CB_RC(0, akt_msg_pid(msg, &who));
        atomic_store(&terminated_of, who);
        return 0;
    }
    int spawn = tu_is(msg, "watch-spawn");
    if (!spawn && !tu_is(msg, "watch")) return akt_ctx_unhandled(ctx);
    TU_CB_RC(0, akt_ctx_watch(ctx, tu_pid(msg)));
    int rc = 0;
    if (spawn) {
        akt_pid p = {0};
        akt_system *s = NULL;
        TU_CB_RC(0, akt_ctx_system(ctx, &s));
        rc = akt_spawn(s, &counter_behavior, &spawned, NULL, &p);
    }
    return tu_reply_u64(ctx, "rc", (uint64_t)(uint32_t)rc);
}

static void test_spawn_with_one_worker_and_queued_free_cell(void **state) {
    (void)state;
    sys = tu_system("cells", 1);
    static counter c;
    memset(&c, 0, sizeof c);
    memset(&spawned, 0, sizeof spawned);
    atomic_store(&terminated_of, (akt_pid){0});
    akt_pid x = tu_spawn(sys, &counter_behavior, &c, "x");
    akt_behavior wb = tu_behavior(watch_spawn_receive);
    akt_pid w = tu_spawn(sys, &wb, NULL, "w");
    tu_stop_wait(sys, x);
    /* On the one worker: the watch of x's old pid queues x's freed cell behind w, and w then
     * spawns. */
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, w, tu_msg_pid("watch-spawn", x), &reply));
    assert_int_equal((int32_t)tu_u64(reply), 0);
    akt_msg_release(reply);
    TU_EVENTUALLY(atomic_load(&terminated_of).id == x.id);
    assert_int_equal(atomic_load(&c.frees), 1);
}

static atomic_int ext_spawn_done, ext_spawn_rc;
static counter ext_spawned;

static void on_notify(void *data) { (void)data; }

static void *spawn_elsewhere(void *arg) {
    akt_pid p = {0};
    atomic_store(&ext_spawn_rc, akt_spawn(arg, &counter_behavior, &ext_spawned, NULL, &p));
    atomic_store(&ext_spawn_done, 1);
    return NULL;
}

static void run_until_idle(akt_dispatcher *d) {
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    int rc;
    while ((rc = akt_dispatcher_run(d, 1000, NULL)) == AKT_EAGAIN && tu_now_ns() < dl)
        ;
    TU_OK(rc);
}

static void test_spawn_with_freed_cell_queued_on_external_dispatcher(void **state) {
    (void)state;
    akt_system *s = tu_system("cells", 1);
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(s, on_notify, NULL, &d));
    static counter c;
    memset(&c, 0, sizeof c);
    memset(&ext_spawned, 0, sizeof ext_spawned);
    atomic_store(&terminated_of, (akt_pid){0});
    atomic_store(&ext_spawn_done, 0);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.name = "x";
    o.dispatcher = d;
    akt_pid x = {0};
    TU_OK(akt_spawn(s, &counter_behavior, &c, &o, &x));
    akt_behavior wb = tu_behavior(watch_spawn_receive);
    akt_pid w = tu_spawn(s, &wb, NULL, "w");
    TU_OK(akt_stop(s, x));
    run_until_idle(d);
    assert_int_equal(akt_pid_is_alive(s, x), 0);
    assert_int_equal(atomic_load(&c.frees), 1);
    /* The watch queues x's freed cell on d, which only this thread runs. */
    akt_msg *reply = NULL;
    TU_OK(tu_ask(s, w, tu_msg_pid("watch", x), &reply));
    akt_msg_release(reply);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, spawn_elsewhere, s), 0);
    TU_EVENTUALLY(atomic_load(&ext_spawn_done));
    pthread_join(th, NULL);
    TU_OK(atomic_load(&ext_spawn_rc));
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (atomic_load(&terminated_of).id != x.id && tu_now_ns() < dl) {
        int rc = akt_dispatcher_run(d, 1000, NULL);
        if (rc != 0 && rc != AKT_EAGAIN)
            fail_msg("akt_dispatcher_run returned %s", akt_err_name(rc));
        tu_sleep_ms(1);
    }
    assert_true(atomic_load(&terminated_of).id == x.id);
    tu_system_end_running(s, d);
}

/* A stopped actor's cell goes back for the next spawns once its run let it go
 * (kernel/cells.c): 200 actors spawned one after the other, each stopped (by akt_stop, or
 * by its own akt_ctx_stop from its turn) before the next is spawned, use a handful of
 * cells, and each stop ran its post_stop and freed its state once. Without the reuse every
 * spawn takes a new cell (200). */
#define REUSE_N 200
static void test_stopped_cells_are_reused(void **state) {
    (void)state;
    sys = tu_system("cells", 2);
    static counter cs[REUSE_N];
    memset(cs, 0, sizeof cs);
    uint32_t seen[REUSE_N];
    int distinct = 0;
    for (int i = 0; i < REUSE_N; i++) {
        akt_pid p = tu_spawn(sys, &counter_behavior, &cs[i], NULL);
        uint32_t at = akt__pid_index(p);
        int known = 0;
        for (int k = 0; k < distinct; k++) known |= seen[k] == at;
        if (!known) seen[distinct++] = at;
        if (i % 2) {
            TU_OK(akt_tell(sys, p, tu_msg("quit", NULL)));
            TU_EVENTUALLY(atomic_load(&cs[i].frees) == 1);
        } else {
            tu_stop_wait(sys, p);
        }
        expect_not_found(sys, p);
    }
    for (int i = 0; i < REUSE_N; i++) {
        TU_EVENTUALLY(atomic_load(&cs[i].frees) == 1);
        assert_int_equal(atomic_load(&cs[i].posts), 1);
    }
    assert_true(distinct <= 8);
}

/* ---- 9. an exhausted generation retires its slot -------------------------------------- */

static void test_exhausted_generation_retires_slot(void **state) {
    (void)state;
    sys = tu_system("cells", 1);
    static counter ca, cb, cr[64];
    memset(&ca, 0, sizeof ca);
    memset(&cb, 0, sizeof cb);
    memset(cr, 0, sizeof cr);
    akt_pid first = tu_spawn(sys, &counter_behavior, &ca, "a");
    uint32_t at = akt__pid_index(first);
    tu_stop_wait(sys, first);
    /* One incarnation left in the slot: the next spawn takes it. */
    TU_EVENTUALLY(akt__cell_test_age(sys, at, 1) == 0);
    akt_pid last = tu_spawn(sys, &counter_behavior, &cb, "b");
    assert_int_equal(akt__pid_index(last), at);
    assert_true(last.id != first.id);
    tu_stop_wait(sys, last);
    akt_pid later[64];
    for (int i = 0; i < 64; i++) {
        later[i] = tu_spawn(sys, &counter_behavior, &cr[i], NULL);
        if (akt__pid_index(later[i]) == at)
            fail_msg("spawn %d reused the exhausted slot %u (pid %#llx; old pids %#llx, %#llx)", i,
                     at, (unsigned long long)later[i].id, (unsigned long long)first.id,
                     (unsigned long long)last.id);
    }
    expect_not_found(sys, first);
    expect_not_found(sys, last);
    /* What the old pids were told reached nobody. */
    for (int i = 0; i < 64; i++) assert_int_equal(tu_ask_u64(sys, later[i], "count"), 0);
    assert_int_equal(atomic_load(&cb.n), 0);
    TU_RC(AKT_EINVAL, akt__cell_test_age(sys, at, 0));
}

/* The name table (kernel/names.c): 4-byte slots of a cell index and 8 bits of the key's
 * hash. Enough names to grow it several times, with holes (stopped actors: deleted slots)
 * and names respawned into them; every name finds its own actor, a stopped one none. */
#define NAMES_N 3000
static void test_name_table_grows_with_holes(void **state) {
    (void)state;
    assert_int_equal(sizeof(akt__name_slot), 4);
    sys = tu_system("cells", 1);
    static counter cs[NAMES_N];
    static akt_pid pids[NAMES_N];
    char name[32];
    for (int i = 0; i < NAMES_N; i++) {
        snprintf(name, sizeof name, "n-%d", i);
        pids[i] = tu_spawn(sys, &counter_behavior, &cs[i], name);
    }
    for (int i = 0; i < NAMES_N; i += 3) tu_stop_wait(sys, pids[i]);
    for (int i = 0; i < NAMES_N; i++) {
        snprintf(name, sizeof name, "n-%d", i);
        akt_pid found = {0};
        int rc = akt_lookup(sys, name, &found);
        if (i % 3 == 0) {
            if (rc != AKT_ENOTFOUND) fail_msg("stopped %s found: %s", name, akt_strerror(rc));
        } else if (rc != 0 || found.id != pids[i].id) {
            fail_msg("%s: %s, %#llx for %#llx", name, akt_strerror(rc),
                     (unsigned long long)found.id, (unsigned long long)pids[i].id);
        }
    }
    /* The stopped names again (deleted slots reused), and twice as many new ones (growth
     * rehashes every key from its cell). */
    static counter more[2 * NAMES_N];
    static akt_pid more_pids[2 * NAMES_N];
    for (int i = 0; i < NAMES_N; i += 3) {
        snprintf(name, sizeof name, "n-%d", i);
        pids[i] = tu_spawn(sys, &counter_behavior, &cs[i], name);
    }
    for (int i = 0; i < 2 * NAMES_N; i++) {
        snprintf(name, sizeof name, "m-%d", i);
        more_pids[i] = tu_spawn(sys, &counter_behavior, &more[i], name);
    }
    for (int i = 0; i < 3 * NAMES_N; i++) {
        akt_pid want = i < NAMES_N ? pids[i] : more_pids[i - NAMES_N];
        if (i < NAMES_N)
            snprintf(name, sizeof name, "n-%d", i);
        else
            snprintf(name, sizeof name, "m-%d", i - NAMES_N);
        akt_pid found = {0};
        TU_OK(akt_lookup(sys, name, &found));
        if (found.id != want.id) fail_msg("%s: another actor", name);
    }
    akt_pid dup;
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.name = "m-17";
    TU_RC(AKT_EEXIST, akt_spawn(sys, &counter_behavior, &more[0], &o, &dup));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        CELLS_TEST(test_forged_pids_are_not_found),
        CELLS_TEST(test_next_generation_is_not_alive),
        CELLS_TEST(test_pid_of_another_system),
        CELLS_TEST(test_pid_of_released_system),
        CELLS_TEST(test_spawn_hook_tell_to_fresh_cell),
        CELLS_TEST(test_spawn_hook_stop_parent_of_fresh_cell),
        CELLS_TEST(test_spawn_hook_shutdown_with_fresh_cell),
        CELLS_TEST(test_spawn_hook_tell_while_old_run_lingers),
        CELLS_TEST(test_spawn_hook_stop_while_old_run_lingers),
        CELLS_TEST(test_stop_and_respawn_by_name),
        CELLS_TEST(test_spawn_with_one_worker_and_queued_free_cell),
        CELLS_TEST(test_spawn_with_freed_cell_queued_on_external_dispatcher),
        CELLS_TEST(test_exhausted_generation_retires_slot),
        CELLS_TEST(test_stopped_cells_are_reused),
        CELLS_TEST(test_name_table_grows_with_holes),
    };
    return cmocka_run_group_tests_name("cells", tests, NULL, NULL);
}
