/* test_events: the event stream: masks, lifecycle events, dead letters, unhandled
 * messages, unsubscribing. */
#include "tu.h"

#include <string.h>

static akt_system *sys;
static tu_events ev;
static akt_subscription *sub;

static int ev_setup(void **state) {
    sys = tu_system("events", 2);
    tu_events_init(&ev);
    sub = NULL;
    return tu_setup(state);
}

static int ev_teardown(void **state) {
    if (sub) TU_OK(akt_unsubscribe(sub));
    sub = NULL;
    tu_system_end(sys);
    sys = NULL;
    tu_events_destroy(&ev);
    return tu_teardown(state);
}
#define EV_TEST(f) cmocka_unit_test_setup_teardown(f, ev_setup, ev_teardown)

static const akt_pid ANY = {0};

typedef struct actor_state {
    tu_gate *gate;
    atomic_int handled;
} actor_state;

static int actor_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    actor_state *s = state;
    if (tu_is(msg, "block")) {
        tu_gate_wait(s->gate);
        return 0;
    }
    if (tu_is(msg, "u1")) return AKT_EUNHANDLED;
    if (tu_is(msg, "u2")) {
        TU_CB_RC(0, akt_ctx_unhandled(ctx));
        return 0;
    }
    if (tu_is(msg, "u3")) /* marked and returned: still one unhandled message */
        return akt_ctx_unhandled(ctx) == 0 ? AKT_EUNHANDLED : AKT_EINVAL;
    if (tu_is(msg, "relay")) { /* tells the pid in the payload a message of type "dl" */
        TU_CB_RC(0, akt_ctx_tell(ctx, tu_pid(msg), tu_msg("dl", NULL)));
        return 0;
    }
    if (tu_is(msg, "relay-u1")) {
        TU_CB_RC(0, akt_ctx_tell(ctx, tu_pid(msg), tu_msg("u1", NULL)));
        return 0;
    }
    if (tu_is(msg, "fail")) return akt_ctx_fail(ctx, "on purpose");
    atomic_fetch_add(&s->handled, 1);
    return tu_reply(ctx, "ok", NULL);
}

static akt_pid spawn_actor(actor_state *s, const char *name) {
    akt_behavior b = tu_behavior(actor_receive);
    return tu_spawn(sys, &b, s, name);
}

static void subscribe(unsigned mask) {
    TU_OK(akt_subscribe(sys, mask, tu_events_cb, &ev, &sub));
    assert_non_null(sub);
}

/* ---- masks and lifecycle ------------------------------------------------------------ */

static void test_mask_started_only(void **state) {
    (void)state;
    subscribe(AKT_EVENT_ACTOR_STARTED);
    static actor_state s1, s2;
    akt_pid a = spawn_actor(&s1, "a");
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_STARTED, a) == 1);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_ACTOR_STARTED, a, &e));
    assert_true(e.has_path);
    assert_string_equal(e.path, "akt://events/user/a");
    TU_OK(akt_tell(sys, a, tu_msg("fail", NULL)));
    TU_OK(tu_ask(sys, a, tu_msg("sync", NULL), NULL));
    tu_stop_wait(sys, a);
    /* A later event we do want, to be sure the others had their chance. */
    akt_pid b = spawn_actor(&s2, "b");
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_STARTED, b) == 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ALL & ~AKT_EVENT_ACTOR_STARTED, ANY), 0);
}

static void test_mask_stopped_only(void **state) {
    (void)state;
    subscribe(AKT_EVENT_ACTOR_STOPPED);
    static actor_state s1;
    akt_pid a = spawn_actor(&s1, "a");
    tu_stop_wait(sys, a);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_STOPPED, a) == 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ALL & ~AKT_EVENT_ACTOR_STOPPED, ANY), 0);
}

static int index_of(unsigned kind, akt_pid pid, int nth) {
    int seen = 0, at = -1;
    pthread_mutex_lock(&ev.mu);
    for (int i = 0; i < ev.n && i < TU_EV_MAX; i++) {
        if (ev.ev[i].kind == kind && ev.ev[i].pid.id == pid.id && seen++ == nth) {
            at = i;
            break;
        }
    }
    pthread_mutex_unlock(&ev.mu);
    return at;
}

static void test_lifecycle_events(void **state) {
    (void)state;
    subscribe(AKT_EVENT_ALL);
    static actor_state s;
    akt_pid a = spawn_actor(&s, "life");
    TU_OK(akt_tell(sys, a, tu_msg("fail", NULL)));
    TU_OK(tu_ask(sys, a, tu_msg("sync", NULL), NULL));
    tu_stop_wait(sys, a);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_STOPPED, a) == 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_STARTED, a), 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_FAILED, a), 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_RESTARTED, a), 1);
    /* In the order they happened. */
    int started = index_of(AKT_EVENT_ACTOR_STARTED, a, 0);
    int failed = index_of(AKT_EVENT_ACTOR_FAILED, a, 0);
    int restarted = index_of(AKT_EVENT_ACTOR_RESTARTED, a, 0);
    int stopped = index_of(AKT_EVENT_ACTOR_STOPPED, a, 0);
    assert_true(started < failed);
    assert_true(failed < restarted);
    assert_true(restarted < stopped);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_ACTOR_STOPPED, a, &e));
    assert_string_equal(e.path, "akt://events/user/life");
    assert_false(e.has_msg);
}

static void test_two_subscribers(void **state) {
    (void)state;
    static tu_events other;
    tu_events_init(&other);
    akt_subscription *sub2 = NULL;
    subscribe(AKT_EVENT_ACTOR_STARTED);
    TU_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_STARTED | AKT_EVENT_ACTOR_STOPPED, tu_events_cb,
                        &other, &sub2));
    static actor_state s;
    akt_pid a = spawn_actor(&s, "a");
    tu_stop_wait(sys, a);
    TU_EVENTUALLY(tu_events_count(&other, AKT_EVENT_ACTOR_STOPPED, a) == 1);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_STARTED, a) == 1);
    assert_int_equal(tu_events_count(&other, AKT_EVENT_ACTOR_STARTED, a), 1);
    TU_OK(akt_unsubscribe(sub2));
    tu_events_destroy(&other);
}

/* ---- dead letters ------------------------------------------------------------------- */

static void test_dead_letters_for_queued_messages(void **state) {
    (void)state;
    subscribe(AKT_EVENT_DEAD_LETTER);
    static tu_gate g;
    tu_gate_init(&g);
    static actor_state s = {.gate = &g}, relay_s;
    akt_pid a = spawn_actor(&s, "target");
    akt_pid relay = spawn_actor(&relay_s, "relay");
    TU_OK(akt_tell(sys, a, tu_msg("block", NULL)));
    tu_gate_await_waiters(&g, 1);
    for (int i = 0; i < 50; i++) TU_OK(akt_tell(sys, a, tu_msg("dl", NULL)));
    /* One more from an actor: its dead letter names it as the sender. */
    TU_OK(akt_tell(sys, relay, tu_msg_pid("relay", a)));
    TU_OK(tu_ask(sys, relay, tu_msg("sync", NULL), NULL));
    TU_OK(akt_stop(sys, a));
    tu_gate_open(&g);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, a) == 51);
    assert_int_equal(atomic_load(&s.handled), 0);
    int from_relay = 0, from_outside = 0, typed = 0;
    pthread_mutex_lock(&ev.mu);
    for (int i = 0; i < ev.n && i < TU_EV_MAX; i++) {
        if (ev.ev[i].pid.id != a.id) continue;
        from_relay += ev.ev[i].sender.id == relay.id;
        from_outside += ev.ev[i].sender.id == 0;
        typed += ev.ev[i].has_msg && strcmp(ev.ev[i].type, "dl") == 0;
    }
    pthread_mutex_unlock(&ev.mu);
    assert_int_equal(from_relay, 1);
    assert_int_equal(from_outside, 50);
    assert_int_equal(typed, 51);
    tu_wait_dead(sys, a);
    tu_gate_destroy(&g);
}

static void test_tell_to_stale_pid_is_not_a_dead_letter(void **state) {
    (void)state;
    subscribe(AKT_EVENT_DEAD_LETTER);
    static actor_state s;
    akt_pid a = spawn_actor(&s, "gone");
    tu_stop_wait(sys, a);
    akt_msg *m = tu_msg("dl", NULL);
    TU_RC(AKT_ENOTFOUND, akt_tell(sys, a, m)); /* refused: the caller knows */
    TU_OK(akt_msg_release(m));
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, ANY), 0);
}

/* ---- unhandled -------------------------------------------------------------------------- */

static void test_unhandled_events(void **state) {
    (void)state;
    subscribe(AKT_EVENT_UNHANDLED | AKT_EVENT_ACTOR_FAILED | AKT_EVENT_ACTOR_RESTARTED);
    static actor_state s, relay_s;
    akt_pid a = spawn_actor(&s, "picky");
    akt_pid relay = spawn_actor(&relay_s, "relay");
    TU_OK(akt_tell(sys, a, tu_msg("u1", NULL)));
    TU_OK(akt_tell(sys, a, tu_msg("u2", NULL)));
    TU_OK(akt_tell(sys, a, tu_msg("u3", NULL)));
    TU_OK(akt_tell(sys, a, tu_msg("handled", NULL)));
    TU_OK(akt_tell(sys, relay, tu_msg_pid("relay-u1", a)));
    TU_OK(tu_ask(sys, relay, tu_msg("sync", NULL), NULL));
    TU_OK(tu_ask(sys, a, tu_msg("sync", NULL), NULL));
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_UNHANDLED, a) == 4);
    int u1 = 0, u2 = 0, u3 = 0, from_relay = 0;
    pthread_mutex_lock(&ev.mu);
    for (int i = 0; i < ev.n && i < TU_EV_MAX; i++) {
        if (ev.ev[i].kind != AKT_EVENT_UNHANDLED || ev.ev[i].pid.id != a.id) continue;
        u1 += strcmp(ev.ev[i].type, "u1") == 0;
        u2 += strcmp(ev.ev[i].type, "u2") == 0;
        u3 += strcmp(ev.ev[i].type, "u3") == 0;
        from_relay += ev.ev[i].sender.id == relay.id;
    }
    pthread_mutex_unlock(&ev.mu);
    assert_int_equal(u1, 2);
    assert_int_equal(u2, 1);
    assert_int_equal(u3, 1);
    assert_int_equal(from_relay, 1);
    /* Unhandled is not a failure. */
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_FAILED | AKT_EVENT_ACTOR_RESTARTED, a),
                     0);
    assert_int_equal(atomic_load(&s.handled), 2); /* "handled" and the sync */
}

/* ---- unsubscribing ------------------------------------------------------------------------ */

static void churn(int n) {
    static actor_state s[16];
    for (int i = 0; i < n && i < 16; i++) {
        akt_pid a = spawn_actor(&s[i], NULL);
        TU_OK(akt_tell(sys, a, tu_msg("u1", NULL)));
        tu_stop_wait(sys, a);
    }
}

static void test_unsubscribe_stops_callbacks(void **state) {
    (void)state;
    subscribe(AKT_EVENT_ALL);
    churn(1);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_STOPPED, ANY) == 1);
    TU_OK(akt_unsubscribe(sub));
    sub = NULL;
    int before = tu_events_count(&ev, AKT_EVENT_ALL, ANY);
    churn(5);
    /* Something to wait on that is not the old subscription. */
    static tu_events marker;
    tu_events_init(&marker);
    akt_subscription *m = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_STOPPED, tu_events_cb, &marker, &m));
    churn(1);
    TU_EVENTUALLY(tu_events_count(&marker, AKT_EVENT_ACTOR_STOPPED, ANY) == 1);
    TU_OK(akt_unsubscribe(m));
    tu_events_destroy(&marker);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ALL, ANY), before);
}

typedef struct self_unsub {
    akt_subscription *_Atomic sub;
    atomic_int calls, rc;
} self_unsub;

static void unsubscribe_on_first(const akt_event *e, void *data) {
    self_unsub *u = data;
    atomic_fetch_add(&u->calls, 1);
    akt_subscription *s = atomic_exchange(&u->sub, NULL);
    if (s) atomic_store(&u->rc, akt_unsubscribe(s));
}

static void test_unsubscribe_inside_callback(void **state) {
    (void)state;
    static self_unsub u;
    atomic_store(&u.rc, 1);
    akt_subscription *s = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_STARTED, unsubscribe_on_first, &u, &s));
    atomic_store(&u.sub, s);
    churn(1);
    TU_EVENTUALLY(atomic_load(&u.rc) != 1);
    assert_int_equal(atomic_load(&u.rc), 0);
    subscribe(AKT_EVENT_ACTOR_STARTED);
    churn(3);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_STARTED, ANY) == 3);
    assert_int_equal(atomic_load(&u.calls), 1);
}

/* ---- a callback may call akt ------------------------------------------------------------ */

typedef struct forwarder {
    akt_system *system;
    akt_pid to;
} forwarder;

static void tell_on_dead_letter(const akt_event *e, void *data) {
    forwarder *f = data;
    /* Only the victim's message: the collector's replies to these tells are dead letters
     * too (nobody asked), and noticing them would never end. */
    if (!e->msg || !tu_is(e->msg, "dl")) return;
    akt_msg *m = tu_msg("noticed", NULL);
    int rc = akt_tell(f->system, f->to, m);
    if (rc != 0) {
        akt_msg_release(m);
        tu_cb_fail(__FILE__, __LINE__, "tell from an event callback: %s", akt_err_name(rc));
    }
}

static void test_callback_may_tell(void **state) {
    (void)state;
    static actor_state collector_s, victim_s;
    static tu_gate g;
    tu_gate_init(&g);
    victim_s.gate = &g;
    akt_pid collector = spawn_actor(&collector_s, "collector");
    static forwarder f;
    f.system = sys;
    f.to = collector;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tell_on_dead_letter, &f, &sub));
    akt_pid victim = spawn_actor(&victim_s, "victim");
    TU_OK(akt_tell(sys, victim, tu_msg("block", NULL)));
    tu_gate_await_waiters(&g, 1);
    TU_OK(akt_tell(sys, victim, tu_msg("dl", NULL)));
    TU_OK(akt_stop(sys, victim));
    tu_gate_open(&g);
    TU_EVENTUALLY(atomic_load(&collector_s.handled) == 1);
    tu_gate_destroy(&g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        EV_TEST(test_mask_started_only),
        EV_TEST(test_mask_stopped_only),
        EV_TEST(test_lifecycle_events),
        EV_TEST(test_two_subscribers),
        EV_TEST(test_dead_letters_for_queued_messages),
        EV_TEST(test_tell_to_stale_pid_is_not_a_dead_letter),
        EV_TEST(test_unhandled_events),
        EV_TEST(test_unsubscribe_stops_callbacks),
        EV_TEST(test_unsubscribe_inside_callback),
        EV_TEST(test_callback_may_tell),
    };
    return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}
