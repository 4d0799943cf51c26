/* test_router: routers (akt.h section 11): each strategy's distribution, asks answered by
 * the routees, broadcast, consistent-hash stability and minimal movement on resize,
 * scatter-gather's deadline and losers, tail-chopping's order, resize, routee death, the
 * failure policies and the router's own end. */
#include "tu.h"

#include <string.h>

/* ---- routees ------------------------------------------------------------------------ */

typedef struct slot {
    atomic_int count;  /* "count" messages handled */
    atomic_int starts; /* pre_start calls */
    int64_t delay_ms;  /* group routees: how long a "slow" takes */
    int64_t seen_at;   /* tail-chopping: when the routee got its "quiet" */
} slot;

#define SLOTS 16
static slot slots[SLOTS];
static atomic_int total;

static int routee_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    slot *s = state;
    if (tu_is(msg, "who")) return tu_reply_u64(ctx, "idx", (uint64_t)(s - slots));
    if (tu_is(msg, "pid") || tu_is(msg, "key")) {
        akt_pid self;
        TU_CB_RC(0, akt_ctx_self(ctx, &self));
        return tu_reply_u64(ctx, "pid", self.id);
    }
    if (tu_is(msg, "count")) {
        atomic_fetch_add(&s->count, 1);
        atomic_fetch_add(&total, 1);
        return 0;
    }
    if (tu_is(msg, "slow")) {
        tu_sleep_ms((int)s->delay_ms); /* the routee's work, not synchronisation */
        return tu_reply_u64(ctx, "idx", (uint64_t)(s - slots));
    }
    if (tu_is(msg, "quiet")) { /* handled, never answered */
        s->seen_at = tu_now_ns();
        atomic_fetch_add(&total, 1);
        return 0;
    }
    if (tu_is(msg, "boom")) return AKT_EFAILED;
    return AKT_EUNHANDLED;
}

static int routee_pre_start(akt_ctx *ctx, void *state) {
    atomic_fetch_add(&((slot *)state)->starts, 1);
    return 0;
}

static const akt_behavior routee_behavior = {
    .size = sizeof(akt_behavior), .receive = routee_receive, .pre_start = routee_pre_start};

static int slot_state(void *data, size_t index, void **state) {
    if (index >= SLOTS) return AKT_ENOMEM;
    *state = &slots[index];
    return 0;
}

static void reset(void) {
    memset(slots, 0, sizeof slots);
    atomic_store(&total, 0);
}

static akt_router_options pool(int strategy, size_t n) {
    akt_router_options o;
    TU_OK(akt_router_options_init(&o));
    o.strategy = strategy;
    o.pool_size = n;
    o.routee_behavior = &routee_behavior;
    o.routee_state = slot_state;
    o.seed = 42;
    return o;
}

static akt_pid spawn_router(akt_system *sys, const akt_router_options *o, const char *name) {
    akt_pid pid = {0};
    TU_OK(akt_router_spawn(sys, NULL, name, o, &pid));
    return pid;
}

/* The number of routees: with no room for pids, AKT_ERANGE says how many there are. */
static size_t routee_count(akt_system *sys, akt_pid router) {
    size_t n = 0;
    int rc = akt_router_routees(sys, router, NULL, 0, &n);
    if (rc != 0 && rc != AKT_ERANGE) fail_msg("akt_router_routees: %s", akt_err_name(rc));
    return n;
}

/* Group routees: actors spawned here, with their slots. */
static akt_pid group_member(akt_system *sys, int i, int64_t delay_ms) {
    slots[i].delay_ms = delay_ms;
    return tu_spawn(sys, &routee_behavior, &slots[i], NULL);
}

/* ---- strategies --------------------------------------------------------------------- */

static void test_round_robin_is_exact_and_asks_are_answered_by_routees(void **state) {
    reset();
    akt_system *sys = tu_system("rr", 2);
    akt_router_options o = pool(AKT_ROUTE_ROUND_ROBIN, 3);
    akt_pid r = spawn_router(sys, &o, "rr");
    for (uint64_t i = 0; i < 9; i++) assert_int_equal(tu_ask_u64(sys, r, "who"), i % 3);
    char path[128];
    akt_pid pids[3];
    size_t n = 0;
    TU_OK(akt_router_routees(sys, r, pids, 3, &n));
    assert_int_equal(n, 3);
    TU_OK(akt_pid_path(sys, pids[1], path, sizeof path, NULL));
    assert_string_equal(path, "akt://rr/user/rr/routee-1");
    tu_system_end(sys);
}

static void test_random_is_roughly_uniform(void **state) {
    reset();
    akt_system *sys = tu_system("rand", 2);
    akt_router_options o = pool(AKT_ROUTE_RANDOM, 4);
    akt_pid r = spawn_router(sys, &o, "rand");
    for (int i = 0; i < 4000; i++) TU_OK(akt_tell(sys, r, tu_msg("count", NULL)));
    TU_EVENTUALLY(atomic_load(&total) == 4000);
    for (int i = 0; i < 4; i++) {
        int c = atomic_load(&slots[i].count);
        if (c < 800 || c > 1200) fail_msg("routee %d got %d of 4000", i, c);
    }
    tu_system_end(sys);
}

static void test_broadcast_strategy_and_envelope_reach_every_routee(void **state) {
    reset();
    akt_system *sys = tu_system("bc", 2);
    akt_router_options o = pool(AKT_ROUTE_BROADCAST, 3);
    akt_pid r = spawn_router(sys, &o, "bc");
    TU_OK(akt_tell(sys, r, tu_msg("count", NULL)));
    TU_EVENTUALLY(atomic_load(&total) == 3);
    /* An ask broadcast completes with the first reply. */
    uint64_t who = tu_ask_u64(sys, r, "who");
    assert_true(who < 3);

    akt_router_options rr = pool(AKT_ROUTE_ROUND_ROBIN, 3);
    reset();
    akt_pid r2 = spawn_router(sys, &rr, "rr");
    TU_OK(akt_router_broadcast(sys, r2, tu_msg("count", NULL)));
    TU_EVENTUALLY(atomic_load(&total) == 3);
    for (int i = 0; i < 3; i++) assert_int_equal(atomic_load(&slots[i].count), 1);
    /* The broadcast did not move the round-robin cursor. */
    assert_int_equal(tu_ask_u64(sys, r2, "who"), 0);
    tu_system_end(sys);
}

static uint64_t key_of(const akt_msg *msg, void *data) {
    const void *p;
    size_t len;
    uint64_t k = 0;
    if (akt_msg_bytes((akt_msg *)msg, &p, &len) == 0 && len == 8) memcpy(&k, p, 8);
    return k * UINT64_C(0x9E3779B97F4A7C15); /* spread small keys over the ring */
}

#define KEYS 600

static void owners(akt_system *sys, akt_pid r, uint64_t *out) {
    for (uint64_t k = 0; k < KEYS; k++) {
        akt_msg *reply;
        TU_OK(tu_ask(sys, r, tu_msg_u64("key", k), &reply));
        out[k] = tu_u64(reply);
        akt_msg_release(reply);
    }
}

static void test_consistent_hash_is_stable_and_moves_little_on_resize(void **state) {
    reset();
    akt_system *sys = tu_system("ch", 2);
    akt_router_options o = pool(AKT_ROUTE_CONSISTENT_HASH, 4);
    o.key = key_of;
    akt_pid r = spawn_router(sys, &o, "ch");
    static uint64_t before[KEYS], again[KEYS], after[KEYS];
    owners(sys, r, before);
    owners(sys, r, again);
    assert_memory_equal(before, again, sizeof before);
    TU_OK(akt_router_resize(sys, r, 5));
    akt_pid pids[5];
    size_t n;
    TU_OK(akt_router_routees(sys, r, pids, 5, &n));
    assert_int_equal(n, 5);
    owners(sys, r, after);
    int moved = 0;
    for (int k = 0; k < KEYS; k++) {
        if (after[k] == before[k]) continue;
        moved++;
        /* Minimal movement: a key only ever moves to the new routee. */
        assert_true(after[k] == pids[4].id);
    }
    /* About a fifth of the keys belong to the new routee. */
    if (moved < KEYS / 10 || moved > KEYS * 3 / 10) fail_msg("%d of %d keys moved", moved, KEYS);

    /* Without a key function: type and bytes decide, the same message the same routee. */
    akt_router_options d = pool(AKT_ROUTE_CONSISTENT_HASH, 3);
    akt_pid r2 = spawn_router(sys, &d, "ch2");
    akt_msg *a, *b;
    TU_OK(tu_ask(sys, r2, tu_msg("key", "user-17"), &a));
    TU_OK(tu_ask(sys, r2, tu_msg("key", "user-17"), &b));
    assert_int_equal(tu_u64(a), tu_u64(b));
    akt_msg_release(a);
    akt_msg_release(b);
    tu_system_end(sys);
}

static akt_pid group_router(akt_system *sys, int strategy, const akt_pid *pids, size_t n,
                            int64_t within_ms, int64_t interval_ms) {
    akt_router_options o;
    TU_OK(akt_router_options_init(&o));
    o.strategy = strategy;
    o.routees = pids;
    o.routee_count = n;
    o.within_ns = TU_MS(within_ms);
    o.interval_ns = TU_MS(interval_ms);
    o.seed = 7;
    return spawn_router(sys, &o, NULL);
}

static void test_scatter_gather_first_reply_wins_losers_are_dead_letters(void **state) {
    reset();
    static tu_events evs;
    tu_events_init(&evs);
    akt_system *sys = tu_system("sg", 4);
    akt_subscription *sub;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &evs, &sub));
    akt_pid g[3] = {group_member(sys, 0, 150), group_member(sys, 1, 5), group_member(sys, 2, 80)};
    akt_pid r = group_router(sys, AKT_ROUTE_SCATTER_GATHER_FIRST, g, 3, 2000, 0);
    assert_int_equal(tu_ask_u64(sys, r, "slow"), 1);
    TU_EVENTUALLY(tu_events_count(&evs, AKT_EVENT_DEAD_LETTER, r) == 2);
    tu_ev ev;
    assert_true(tu_events_find(&evs, AKT_EVENT_DEAD_LETTER, r, &ev));
    assert_string_equal(ev.reason, "router: a later reply");

    /* Nobody within the deadline: the asker gets AKT_ETIMEDOUT, not a late answer. */
    akt_pid r2 = group_router(sys, AKT_ROUTE_SCATTER_GATHER_FIRST, g, 1, 30, 0);
    akt_msg *reply = NULL;
    TU_RC(AKT_ETIMEDOUT, tu_ask(sys, r2, tu_msg("slow", NULL), &reply));
    assert_null(reply);
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(sys);
    tu_events_destroy(&evs);
}

static void test_tail_chopping_asks_one_routee_per_interval(void **state) {
    reset();
    akt_system *sys = tu_system("tc", 2);
    akt_pid g[3] = {group_member(sys, 0, 0), group_member(sys, 1, 0), group_member(sys, 2, 0)};
    akt_pid r = group_router(sys, AKT_ROUTE_TAIL_CHOPPING, g, 3, 400, 60);
    int64_t t0 = tu_now_ns();
    TU_RC(AKT_ETIMEDOUT, tu_ask(sys, r, tu_msg("quiet", NULL), NULL));
    TU_EVENTUALLY(atomic_load(&total) == 3);
    int64_t at[3];
    for (int i = 0; i < 3; i++) at[i] = slots[i].seen_at - t0;
    /* One at a time: the i-th routee is asked no sooner than i intervals after the ask, and
     * each arrives after it is asked, so (as a_i >= s_i elementwise) the i-th arrival in
     * time order is at least i intervals after t0. A late first arrival (a loaded machine)
     * cannot break this bound; asking all at once would. */
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (at[j] < at[i]) {
                int64_t t = at[i];
                at[i] = at[j];
                at[j] = t;
            }
    assert_true(at[1] >= TU_MS(55));
    assert_true(at[2] >= TU_MS(115));

    /* A routee that answers ends it with its reply. */
    akt_pid r2 = group_router(sys, AKT_ROUTE_TAIL_CHOPPING, g, 3, 2000, 50);
    assert_true(tu_ask_u64(sys, r2, "who") < 3);
    tu_system_end(sys);
}

/* Many asks in flight at once: each gets exactly one answer, every other reply is a dead
 * letter, and the gather records race their callbacks against each other (TSan). */
static void test_concurrent_gathers_answer_once_each(void **state) {
    reset();
    static tu_events evs;
    tu_events_init(&evs);
    akt_system *sys = tu_system("many", 4);
    akt_subscription *sub;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &evs, &sub));
    akt_pid g[4] = {group_member(sys, 0, 0), group_member(sys, 1, 0), group_member(sys, 2, 0),
                    group_member(sys, 3, 0)};
    akt_pid sg = group_router(sys, AKT_ROUTE_SCATTER_GATHER_FIRST, g, 4, 10000, 0);
    akt_pid tc = group_router(sys, AKT_ROUTE_TAIL_CHOPPING, g, 4, 10000, 1);
    enum { N = 100 };
    static akt_future *f[2 * N];
    for (int i = 0; i < 2 * N; i++)
        TU_OK(akt_ask(sys, i < N ? sg : tc, tu_msg("who", NULL), TU_DEADLINE_NS, &f[i]));
    for (int i = 0; i < 2 * N; i++) {
        akt_msg *reply = NULL;
        TU_OK(tu_wait(f[i], &reply));
        assert_true(tu_u64(reply) < 4);
        akt_msg_release(reply);
        TU_OK(akt_future_release(f[i]));
    }
    /* Scatter-gather: every ask has 3 losing replies. */
    TU_EVENTUALLY(tu_events_count(&evs, AKT_EVENT_DEAD_LETTER, sg) == 3 * N);
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(sys);
    tu_events_destroy(&evs);
}

/* ---- control, death and failures -------------------------------------------------------- */

static void test_resize_and_routees(void **state) {
    reset();
    akt_system *sys = tu_system("rs", 2);
    akt_router_options o = pool(AKT_ROUTE_ROUND_ROBIN, 2);
    akt_pid r = spawn_router(sys, &o, "rs");
    assert_int_equal(routee_count(sys, r), 2);
    TU_OK(akt_router_resize(sys, r, 4));
    akt_pid pids[4], one[1];
    size_t n;
    TU_OK(akt_router_routees(sys, r, pids, 4, &n));
    assert_int_equal(n, 4);
    TU_RC(AKT_ERANGE, akt_router_routees(sys, r, one, 1, &n));
    assert_int_equal(n, 4);
    assert_int_equal(one[0].id, pids[0].id);
    TU_OK(akt_router_resize(sys, r, 1));
    assert_int_equal(routee_count(sys, r), 1);
    tu_wait_dead(sys, pids[3]); /* the newest went */
    assert_int_equal(akt_pid_is_alive(sys, pids[0]), 1);
    TU_RC(AKT_EINVAL, akt_router_resize(sys, r, 0));

    akt_pid m = group_member(sys, 8, 0);
    akt_pid gr = group_router(sys, AKT_ROUTE_ROUND_ROBIN, &m, 1, 0, 0);
    TU_RC(AKT_ENOTSUP, akt_router_resize(sys, gr, 3));
    /* A pid that is not a router. */
    TU_RC(AKT_EINVAL, akt_router_resize(sys, m, 3));
    TU_RC(AKT_EINVAL, akt_router_routees(sys, m, NULL, 0, &n));
    tu_system_end(sys);
}

static void test_router_drops_dead_routees_and_stops_when_empty(void **state) {
    reset();
    akt_system *sys = tu_system("death", 2);
    akt_pid g[2] = {group_member(sys, 0, 0), group_member(sys, 1, 0)};
    akt_pid r = group_router(sys, AKT_ROUTE_ROUND_ROBIN, g, 2, 0, 0);
    assert_int_equal(routee_count(sys, r), 2);
    tu_stop_wait(sys, g[0]);
    TU_EVENTUALLY(routee_count(sys, r) == 1);
    for (int i = 0; i < 3; i++) assert_int_equal(tu_ask_u64(sys, r, "who"), 1);
    tu_stop_wait(sys, g[1]);
    tu_wait_dead(sys, r);
    tu_system_end(sys);
}

static void test_failure_policies(void **state) {
    reset();
    akt_system *sys = tu_system("fail", 2);
    akt_router_options o = pool(AKT_ROUTE_ROUND_ROBIN, 1);
    o.failure_policy = AKT_ROUTEE_RESTART;
    o.max_retries = 1;
    o.retry_within_ns = TU_SEC(60);
    akt_pid r = spawn_router(sys, &o, "restart");
    akt_pid before[1];
    size_t n;
    TU_OK(akt_router_routees(sys, r, before, 1, &n));
    TU_OK(akt_tell(sys, r, tu_msg("boom", NULL)));
    TU_EVENTUALLY(atomic_load(&slots[0].starts) == 2);
    assert_int_equal(tu_ask_u64(sys, r, "who"), 0);
    assert_int_equal(tu_ask_u64(sys, r, "pid"), before[0].id); /* same routee, restarted */
    /* Over the budget: stopped, the pool is empty, the router stops. */
    TU_OK(akt_tell(sys, r, tu_msg("boom", NULL)));
    tu_wait_dead(sys, r);

    reset();
    akt_router_options res = pool(AKT_ROUTE_ROUND_ROBIN, 1);
    res.failure_policy = AKT_ROUTEE_RESUME;
    akt_pid r2 = spawn_router(sys, &res, "resume");
    TU_OK(akt_tell(sys, r2, tu_msg("boom", NULL)));
    assert_int_equal(tu_ask_u64(sys, r2, "who"), 0);
    assert_int_equal(atomic_load(&slots[0].starts), 1);

    reset();
    akt_router_options st = pool(AKT_ROUTE_ROUND_ROBIN, 2);
    akt_pid r3 = spawn_router(sys, &st, "stop");
    TU_OK(akt_tell(sys, r3, tu_msg("boom", NULL)));
    TU_EVENTUALLY(routee_count(sys, r3) == 1);
    assert_int_equal(tu_ask_u64(sys, r3, "who"), 1);
    tu_system_end(sys);
}

static void test_bad_options(void **state) {
    reset();
    akt_system *sys = tu_system("opts", 1);
    akt_pid out = {0}, m = group_member(sys, 0, 0);
    akt_router_options o = pool(AKT_ROUTE_ROUND_ROBIN, 0);
    TU_RC(AKT_EINVAL, akt_router_spawn(sys, NULL, "a", &o, &out)); /* no pool, no group */
    o = pool(AKT_ROUTE_ROUND_ROBIN, 2);
    o.routees = &m;
    o.routee_count = 1;
    TU_RC(AKT_EINVAL, akt_router_spawn(sys, NULL, "b", &o, &out)); /* both */
    o = pool(99, 2);
    TU_RC(AKT_EINVAL, akt_router_spawn(sys, NULL, "c", &o, &out));
    o = pool(AKT_ROUTE_SCATTER_GATHER_FIRST, 2);
    TU_RC(AKT_EINVAL, akt_router_spawn(sys, NULL, "d", &o, &out)); /* no deadline */
    o = pool(AKT_ROUTE_TAIL_CHOPPING, 2);
    o.within_ns = TU_MS(10);
    TU_RC(AKT_EINVAL, akt_router_spawn(sys, NULL, "e", &o, &out)); /* no interval */
    o = pool(AKT_ROUTE_ROUND_ROBIN, 2);
    o.failure_policy = 7;
    TU_RC(AKT_EINVAL, akt_router_spawn(sys, NULL, "f", &o, &out));
    o = pool(AKT_ROUTE_ROUND_ROBIN, 70000);
    TU_RC(AKT_EINVAL, akt_router_spawn(sys, NULL, "g", &o, &out));
    assert_int_equal(out.id, 0);
    /* A taken name: the caller's routee data is not freed. */
    o = pool(AKT_ROUTE_ROUND_ROBIN, 1);
    spawn_router(sys, &o, "taken");
    TU_RC(AKT_EEXIST, akt_router_spawn(sys, NULL, "taken", &o, &out));
    tu_system_end(sys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_round_robin_is_exact_and_asks_are_answered_by_routees),
        TU_TEST(test_random_is_roughly_uniform),
        TU_TEST(test_broadcast_strategy_and_envelope_reach_every_routee),
        TU_TEST(test_consistent_hash_is_stable_and_moves_little_on_resize),
        TU_TEST(test_scatter_gather_first_reply_wins_losers_are_dead_letters),
        TU_TEST(test_tail_chopping_asks_one_routee_per_interval),
        TU_TEST(test_concurrent_gathers_answer_once_each),
        TU_TEST(test_resize_and_routees),
        TU_TEST(test_router_drops_dead_routees_and_stops_when_empty),
        TU_TEST(test_failure_policies),
        TU_TEST(test_bad_options),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
