/* test_replies: replies nobody waits for (dead letters with a reason, the actor goes on),
 * akt_ctx_reply_expected, and what the asker of a failed receive learns (code, reason,
 * detail). */
#include "tu.h"

#include <stdio.h>
#include <string.h>

static akt_system *sys;
static tu_events ev;
static akt_subscription *sub;

static int rp_setup(void **state) {
    sys = tu_system("replies", 2);
    tu_events_init(&ev);
    TU_OK(akt_subscribe(sys, AKT_EVENT_ALL, tu_events_cb, &ev, &sub));
    return tu_setup(state);
}

static int rp_teardown(void **state) {
    TU_OK(akt_unsubscribe(sub));
    sub = NULL;
    tu_system_end(sys);
    sys = NULL;
    tu_events_destroy(&ev);
    return tu_teardown(state);
}
#define RP_TEST(f) cmocka_unit_test_setup_teardown(f, rp_setup, rp_teardown)

/* Dead letters whose sender is from (id 0: any) and whose reason starts with why. */
static int dead_letters_from(akt_pid from, const char *why) {
    int n = 0;
    pthread_mutex_lock(&ev.mu);
    for (int i = 0; i < ev.n && i < TU_EV_MAX; i++) {
        tu_ev *e = &ev.ev[i];
        if (e->kind == AKT_EVENT_DEAD_LETTER && (!from.id || e->sender.id == from.id) &&
            e->has_reason && strncmp(e->reason, why, strlen(why)) == 0)
            n++;
    }
    pthread_mutex_unlock(&ev.mu);
    return n;
}

/* ---- respond with nobody to answer ---------------------------------------------------- */

/* A bank account: "deposit" (u64) adds and responds "ack"; "balance" responds the sum. The
 * receive fails if a respond fails, as a binding's receive raises. */
static int bank_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    uint64_t *balance = state;
    if (tu_is(msg, "deposit")) {
        *balance += tu_u64(msg);
        akt_msg *ack = tu_msg("ack", NULL);
        int rc = akt_ctx_respond(ctx, ack);
        if (rc) akt_msg_release(ack);
        return rc;
    }
    if (tu_is(msg, "balance")) return tu_reply_u64(ctx, "balance", *balance);
    return AKT_EUNHANDLED;
}

static void test_respond_to_a_tell_from_outside_is_a_dead_letter(void **state) {
    (void)state;
    static uint64_t balance;
    balance = 0;
    akt_behavior b = tu_behavior(bank_receive);
    akt_pid bank = tu_spawn(sys, &b, &balance, "bank");
    for (int i = 0; i < 5; i++) TU_OK(akt_tell(sys, bank, tu_msg_u64("deposit", 10)));
    /* Before the fix each respond returned AKT_ENOTFOUND: five failures and five restarts
     * (a binding's actor loses its state in each; this C state happens to survive). */
    assert_int_equal(tu_ask_u64(sys, bank, "balance"), 50);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_FAILED, bank), 0);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_RESTARTED, bank), 0);
    assert_int_equal(dead_letters_from(bank, "reply to a message nobody asked"), 5);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_DEAD_LETTER, (akt_pid){0}, &e));
    assert_true(e.has_msg);
    assert_string_equal(e.type, "ack");
    assert_int_equal(e.pid.id, 0); /* nobody was to receive it */
}

/* ---- akt_ctx_reply_expected ----------------------------------------------------------- */

typedef struct probe_state {
    tu_gate *gate;       /* "wait" blocks on it */
    atomic_int expected; /* what reply_expected said for the last "q"; -1 before */
    atomic_int respond_rc;
    atomic_int handled; /* the "q"s handled: the tests that do not ask poll it */
} probe_state;

static int probe_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    probe_state *p = state;
    if (tu_is(msg, "wait")) {
        tu_gate_wait(p->gate);
        return 0;
    }
    if (tu_is(msg, "wq")) tu_gate_wait(p->gate); /* then as "q" */
    if (tu_is(msg, "q") || tu_is(msg, "wq")) {
        int expected = -2;
        TU_CB_RC(0, akt_ctx_reply_expected(ctx, &expected));
        /* Before the respond: an asker reads it as soon as the reply has come. */
        atomic_store(&p->expected, expected);
        akt_msg *r = tu_msg("a", NULL);
        int rc = akt_ctx_respond(ctx, r);
        if (rc) akt_msg_release(r);
        atomic_store(&p->respond_rc, rc);
        atomic_fetch_add(&p->handled, 1); /* last: the tests that do not ask poll it */
        return 0;
    }
    return AKT_EUNHANDLED;
}

/* "go" (a pid): tells that actor "q" with self as sender; replies "a" are handled. */
static int relay_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "go")) {
        akt_msg *q = tu_msg("q", NULL);
        int rc = akt_ctx_tell(ctx, tu_pid(msg), q);
        if (rc) akt_msg_release(q);
        return rc;
    }
    return tu_is(msg, "a") ? 0 : AKT_EUNHANDLED;
}

static void noop_complete(akt_future *f, int rc, akt_msg *reply, void *data) {
    (void)f, (void)rc, (void)reply, (void)data;
}

static void test_reply_expected(void **state) {
    (void)state;
    tu_gate g;
    tu_gate_init(&g);
    static probe_state p;
    p.gate = &g;
    atomic_store(&p.expected, -1);
    atomic_store(&p.handled, 0);
    akt_behavior pb = tu_behavior(probe_receive);
    akt_pid probe = tu_spawn(sys, &pb, &p, "probe");
    akt_behavior rb = tu_behavior(relay_receive);
    akt_pid relay = tu_spawn(sys, &rb, NULL, "relay");

    /* A tell from outside: nobody waits. */
    TU_OK(akt_tell(sys, probe, tu_msg("q", NULL)));
    TU_EVENTUALLY(atomic_load(&p.handled) == 1);
    assert_int_equal(atomic_load(&p.expected), 0);
    assert_int_equal(atomic_load(&p.respond_rc), 0);

    /* An ask: its asker waits. */
    atomic_store(&p.expected, -1);
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, probe, tu_msg("q", NULL), &reply));
    assert_true(tu_is(reply, "a"));
    akt_msg_release(reply);
    assert_int_equal(atomic_load(&p.expected), 1);

    /* An ask whose asker registered a completion callback (as every binding does) still
     * waits: the callback flag in the future's state is not a completion. */
    atomic_store(&p.expected, -1);
    akt_future *f = NULL;
    static tu_gate held; /* a gate of its own: g is for the last case below */
    tu_gate_init(&held);
    p.gate = &held;
    TU_OK(akt_tell(sys, probe, tu_msg("wait", NULL))); /* registered before q is handled */
    tu_gate_await_waiters(&held, 1);
    TU_OK(akt_ask(sys, probe, tu_msg("q", NULL), TU_SEC(10), &f));
    TU_OK(akt_future_on_complete(f, noop_complete, NULL));
    tu_gate_open(&held);
    TU_OK(akt_future_wait(f, TU_DEADLINE_NS, NULL));
    TU_OK(akt_future_release(f));
    p.gate = &g; /* read by the probe only after the tells below */
    assert_int_equal(atomic_load(&p.expected), 1);

    /* A tell from a live actor: the sender gets the reply. */
    atomic_store(&p.expected, -1);
    TU_OK(akt_tell(sys, relay, tu_msg_pid("go", probe)));
    TU_EVENTUALLY(atomic_load(&p.handled) == 4);
    assert_int_equal(atomic_load(&p.expected), 1);
    assert_int_equal(atomic_load(&p.respond_rc), 0);

    /* A sender that stopped before the question was handled: a dead letter. */
    atomic_store(&p.expected, -1);
    TU_OK(akt_tell(sys, probe, tu_msg("wait", NULL)));
    tu_gate_await_waiters(&g, 1);
    TU_OK(akt_tell(sys, relay, tu_msg_pid("go", probe)));
    tu_stop_wait(sys, relay); /* its "go" was handled first: the question is queued */
    tu_gate_open(&g);
    TU_EVENTUALLY(atomic_load(&p.handled) == 5);
    assert_int_equal(atomic_load(&p.expected), 0);
    assert_int_equal(atomic_load(&p.respond_rc), 0);
    assert_int_equal(dead_letters_from(probe, "reply to a sender that is gone"), 1);
    assert_int_equal(tu_events_count(&ev, AKT_EVENT_ACTOR_FAILED, probe), 0);
    tu_gate_destroy(&g);
}

/* An ask that timed out while it waited in the mailbox is not handled: a dead letter
 * saying the asker gave up. */
static void test_ask_timed_out_in_the_mailbox_is_skipped(void **state) {
    (void)state;
    tu_gate g;
    tu_gate_init(&g);
    static probe_state p;
    p.gate = &g;
    atomic_store(&p.expected, -1);
    atomic_store(&p.handled, 0);
    akt_behavior pb = tu_behavior(probe_receive);
    akt_pid probe = tu_spawn(sys, &pb, &p, NULL);
    TU_OK(akt_tell(sys, probe, tu_msg("wait", NULL)));
    tu_gate_await_waiters(&g, 1);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, probe, tu_msg("q", NULL), TU_MS(1), &f));
    assert_int_equal(tu_wait(f, NULL), AKT_ETIMEDOUT);
    const char *why = (const char *)0x1;
    TU_OK(akt_future_failure(f, &why, NULL));
    assert_null(why); /* a timeout is no receiver's failure */
    TU_OK(akt_future_release(f));
    tu_gate_open(&g);
    /* A later ask is answered: the one before it was dropped, not handled. */
    akt_msg *r = NULL;
    assert_int_equal(tu_ask(sys, probe, tu_msg("q", NULL), &r), 0);
    akt_msg_release(r);
    /* The reply can reach us before its handler counted it: one more message of the probe
     * (unhandled) comes back only after that handler returned. */
    assert_int_equal(tu_ask(sys, probe, tu_msg("sync", NULL), &r), AKT_EUNHANDLED);
    assert_int_equal(atomic_load(&p.handled), 1);
    assert_int_equal(dead_letters_from((akt_pid){0}, "asker gave up"), 1);
    assert_int_equal(dead_letters_from(probe, "reply to an ask that already completed"), 0);
    tu_gate_destroy(&g);
}

/* A reply to an ask that completed (here: cancelled) while receive ran is a dead letter
 * with its reason. */
static void test_reply_after_the_asker_gave_up_is_a_dead_letter(void **state) {
    (void)state;
    tu_gate g;
    tu_gate_init(&g);
    static probe_state p;
    p.gate = &g;
    atomic_store(&p.expected, -1);
    atomic_store(&p.handled, 0);
    akt_behavior pb = tu_behavior(probe_receive);
    akt_pid probe = tu_spawn(sys, &pb, &p, NULL);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, probe, tu_msg("wq", NULL), TU_MS(60000), &f));
    tu_gate_await_waiters(&g, 1); /* receive has started */
    TU_OK(akt_future_cancel(f));
    assert_int_equal(tu_wait(f, NULL), AKT_ECANCELED);
    TU_OK(akt_future_release(f));
    tu_gate_open(&g);
    TU_EVENTUALLY(atomic_load(&p.handled) == 1);
    assert_int_equal(atomic_load(&p.expected), 0);
    assert_int_equal(atomic_load(&p.respond_rc), 0);
    assert_int_equal(dead_letters_from(probe, "reply to an ask that already completed"), 1);
    tu_gate_destroy(&g);
}

/* ---- what the asker of a failed receive learns ---------------------------------------- */

static const char OVERDRAWN[] = "Overdrawn: balance 50, asked 80";

static int failing_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    tu_gate *g = state;
    if (tu_is(msg, "wait")) {
        tu_gate_wait(g);
        return 0;
    }
    if (tu_is(msg, "withdraw")) return akt_ctx_fail(ctx, OVERDRAWN);
    if (tu_is(msg, "silent")) return AKT_EFAILED; /* no reason given */
    if (tu_is(msg, "typed")) {
        akt_ctx_fail(ctx, "typed");
        return AKT_ETYPE; /* a code of its own */
    }
    if (tu_is(msg, "detail")) {
        akt_msg *d = tu_msg("exc", "the exception");
        int rc = akt_ctx_fail_with(ctx, OVERDRAWN, d);
        akt_msg_release(d); /* borrowed: akt keeps its own reference */
        return rc;
    }
    if (tu_is(msg, "changed-mind")) { /* a detail, then handled after all: no failure */
        akt_msg *d = tu_msg("exc", "dropped");
        TU_CB_RC(AKT_EFAILED, akt_ctx_fail_with(ctx, "never mind", d));
        akt_msg_release(d);
        return tu_reply(ctx, "fine", NULL);
    }
    return AKT_EUNHANDLED;
}

/* Asks type and waits; returns the code, the reason (copied into why) and the detail. */
static int ask_failure(akt_pid to, const char *type, char *why, size_t len, akt_msg **detail) {
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, to, tu_msg(type, NULL), TU_DEADLINE_NS, &f));
    akt_msg *reply = (akt_msg *)0x1;
    int rc = tu_wait(f, &reply);
    const char *r = (const char *)0x1;
    TU_OK(akt_future_failure(f, &r, detail));
    why[0] = 0;
    if (r)
        snprintf(why, len, "%s", r);
    else
        snprintf(why, len, "(none)");
    TU_OK(akt_future_release(f));
    return rc;
}

static void test_failed_ask_carries_the_reason(void **state) {
    (void)state;
    tu_gate g;
    tu_gate_init(&g);
    akt_behavior b = tu_behavior(failing_receive);
    akt_pid acct = tu_spawn(sys, &b, &g, "account");
    char why[128];
    akt_msg *detail = (akt_msg *)0x1;
    /* Before the fix the asker saw AKT_EFAILED and nothing else. */
    assert_int_equal(ask_failure(acct, "withdraw", why, sizeof why, &detail), AKT_EFAILED);
    assert_string_equal(why, OVERDRAWN);
    assert_null(detail);
    assert_int_equal(ask_failure(acct, "silent", why, sizeof why, NULL), AKT_EFAILED);
    assert_string_equal(why, "(none)");
    assert_int_equal(ask_failure(acct, "typed", why, sizeof why, NULL), AKT_ETYPE);
    assert_string_equal(why, "typed");
    /* The supervisor learnt the same reason (and restarted the actor each time). */
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_ACTOR_FAILED, acct, &e));
    assert_string_equal(e.reason, OVERDRAWN);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_ACTOR_RESTARTED, acct) == 3);
    tu_gate_destroy(&g);
}

static void test_failed_ask_carries_the_detail(void **state) {
    (void)state;
    tu_gate g;
    tu_gate_init(&g);
    akt_behavior b = tu_behavior(failing_receive);
    akt_pid acct = tu_spawn(sys, &b, &g, NULL);
    char why[128], text[64];
    akt_msg *detail = NULL;
    assert_int_equal(ask_failure(acct, "detail", why, sizeof why, &detail), AKT_EFAILED);
    assert_string_equal(why, OVERDRAWN);
    assert_non_null(detail);
    assert_true(tu_is(detail, "exc"));
    tu_text(detail, text, sizeof text);
    assert_string_equal(text, "the exception");
    TU_OK(akt_msg_release(detail));
    /* A detail given and then not failed on is dropped (LeakSanitizer checks it is freed). */
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, acct, tu_msg("changed-mind", NULL), &reply));
    assert_true(tu_is(reply, "fine"));
    akt_msg_release(reply);
    tu_gate_destroy(&g);
}

typedef struct seen {
    atomic_int done;
    int rc;
    char why[128];
} seen;

static void on_failed(akt_future *f, int rc, akt_msg *reply, void *data) {
    seen *s = data;
    TU_CB_CHECK(reply == NULL);
    const char *why = NULL;
    TU_CB_RC(0, akt_future_failure(f, &why, NULL));
    snprintf(s->why, sizeof s->why, "%s", why ? why : "(none)");
    s->rc = rc;
    atomic_store(&s->done, 1);
}

/* An account held in "wait" on g, and an ask of "withdraw" queued behind it: the failure
 * comes once g opens. */
static akt_future *withdraw_while_held(tu_gate *g) {
    tu_gate_init(g);
    akt_behavior b = tu_behavior(failing_receive);
    akt_pid acct = tu_spawn(sys, &b, g, NULL);
    TU_OK(akt_tell(sys, acct, tu_msg("wait", NULL)));
    tu_gate_await_waiters(g, 1);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, acct, tu_msg("withdraw", NULL), TU_DEADLINE_NS, &f));
    return f;
}

static void test_failure_reason_inside_the_callback(void **state) {
    (void)state;
    tu_gate g;
    akt_future *f = withdraw_while_held(&g);
    const char *why = (const char *)0x1;
    akt_msg *detail = (akt_msg *)0x1;
    TU_RC(AKT_EAGAIN, akt_future_failure(f, &why, &detail)); /* still pending */
    assert_ptr_equal(why, (const char *)0x1);
    assert_ptr_equal(detail, (akt_msg *)0x1);
    static seen s;
    TU_OK(akt_future_on_complete(f, on_failed, &s));
    tu_gate_open(&g);
    TU_EVENTUALLY(atomic_load(&s.done) == 1);
    assert_int_equal(s.rc, AKT_EFAILED);
    assert_string_equal(s.why, OVERDRAWN);
    TU_OK(akt_future_release(f));
    tu_gate_destroy(&g);
}

/* As the bindings do: register, then release the handle at once; the callback still reads
 * the failure through its future argument. */
static void test_failure_reason_after_the_handle_went(void **state) {
    (void)state;
    tu_gate g;
    akt_future *f = withdraw_while_held(&g);
    static seen s;
    TU_OK(akt_future_on_complete(f, on_failed, &s));
    TU_OK(akt_future_release(f));
    tu_gate_open(&g);
    TU_EVENTUALLY(atomic_load(&s.done) == 1);
    assert_int_equal(s.rc, AKT_EFAILED);
    assert_string_equal(s.why, OVERDRAWN);
    tu_gate_destroy(&g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        RP_TEST(test_respond_to_a_tell_from_outside_is_a_dead_letter),
        RP_TEST(test_reply_expected),
        RP_TEST(test_ask_timed_out_in_the_mailbox_is_skipped),
        RP_TEST(test_reply_after_the_asker_gave_up_is_a_dead_letter),
        RP_TEST(test_failed_ask_carries_the_reason),
        RP_TEST(test_failed_ask_carries_the_detail),
        RP_TEST(test_failure_reason_inside_the_callback),
        RP_TEST(test_failure_reason_after_the_handle_went),
    };
    return cmocka_run_group_tests_name("replies", tests, NULL, NULL);
}
