/* timers: once, every and cron schedules, in deadline order, cancelled by reference. */
#define _POSIX_C_SOURCE 200809L
#include "conf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct ticker {
    long ticks;
} ticker;

static int ticker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    ticker *t = state;
    char text[64];
    if (conf_is(msg, "conf.Once")) {
        conf_log("once", "%s", conf_text(msg, text, sizeof text));
        return 0;
    }
    if (conf_is(msg, "conf.Tick")) {
        t->ticks++;
        return 0;
    }
    if (conf_is(msg, "conf.Count")) {
        snprintf(text, sizeof text, "%ld", t->ticks);
        return conf_respond(ctx, "conf.Count", text);
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior ticker_behavior = {.size = sizeof(akt_behavior),
                                             .receive = ticker_receive};

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static long count(akt_system *sys, akt_pid pid) {
    akt_msg *reply = NULL;
    CONF_OK(conf_ask(sys, pid, "conf.Count", "", CONF_ASK_NS, &reply));
    long n = conf_num(reply);
    akt_msg_release(reply);
    return n;
}

static void wait_ticks(akt_system *sys, akt_pid pid, long k) {
    for (int i = 0; i < 5000; i++) {
        if (count(sys, pid) >= k) return;
        sleep_ms(2);
    }
    conf_fatal("waited 10 s for %ld ticks", k);
}

/* Schedules msg once (reference ref, NULL: generated); the reference or the error name. */
static const char *once(akt_system *sys, akt_pid to, const char *text, long delay_ms,
                        const char *ref, char *out, size_t cap) {
    akt_schedule_options o = {sizeof o, ref, {0}};
    akt_msg *m = conf_msg("conf.Once", text);
    int rc = akt_schedule_once(sys, to, m, delay_ms * CONF_MS, &o, out, cap);
    if (rc) {
        akt_msg_release(m);
        return conf_rc(rc);
    }
    return out;
}

static void count_one(const akt_schedule_info *info, void *data) { (void)info, (void)data; }

static void print_cron(const akt_schedule_info *info, void *data) {
    (void)data;
    if (info->kind == AKT_SCHEDULE_CRON)
        conf_say("cron.listed", "cron \"%s\" %s", info->expression,
                 info->cron_flags & AKT_CRON_UTC ? "utc" : "local");
}

static size_t listed(akt_system *sys) {
    size_t n = 0;
    CONF_OK(akt_schedule_list(sys, count_one, NULL, &n));
    return n;
}

int main(void) {
    static ticker state;
    char ref[AKT_SCHEDULE_REF_MAX + 1];
    akt_system *sys = conf_system_create();
    akt_pid t = conf_spawn(sys, &ticker_behavior, &state, "ticker");

    /* 1. Fires come in deadline order, not in the order they were made. */
    conf_say("schedule.once", "%s", once(sys, t, "a", 600, "once-a", ref, sizeof ref));
    conf_say("schedule.once", "%s", once(sys, t, "b", 200, "once-b", ref, sizeof ref));
    conf_say("schedule.once", "%s", once(sys, t, "c", 400, "once-c", ref, sizeof ref));
    conf_wait_log(3);
    conf_flush();

    /* 2. A generated reference is a UUID. */
    once(sys, t, "d", 0, NULL, ref, sizeof ref);
    conf_say("reference.generated", "%zu chars", strlen(ref));
    conf_wait_log(1);
    conf_flush();

    /* 3. Every interval until cancelled; nothing after the cancel returned. */
    akt_schedule_options every = {sizeof every, "every", {0}};
    akt_msg *tick = conf_msg("conf.Tick", "");
    int rc = akt_schedule_every(sys, t, tick, 0, 10 * CONF_MS, &every, ref, sizeof ref);
    if (rc) akt_msg_release(tick);
    conf_say("schedule.every", "%s", rc ? conf_rc(rc) : ref);
    wait_ticks(sys, t, 3);
    conf_say("every.fired", "at least 3");
    conf_say("cancel.every", "%s", conf_rc(akt_schedule_cancel(sys, "every")));
    long n1 = count(sys, t);
    sleep_ms(50);
    long n2 = count(sys, t);
    conf_say("every.after_cancel", "%s", n1 == n2 ? "same" : "more");
    conf_say("cancel.again", "%s", conf_rc(akt_schedule_cancel(sys, "every")));

    /* 4. A cancelled schedule never fires: the later one comes first. */
    once(sys, t, "never", 100, "never", ref, sizeof ref);
    conf_say("cancel.never", "%s", conf_rc(akt_schedule_cancel(sys, "never")));
    once(sys, t, "e", 150, "once-e", ref, sizeof ref);
    conf_wait_log(1);
    conf_flush();

    /* 5. References are unique. */
    const char *r = once(sys, t, "x", 3600L * 1000, "dup", ref, sizeof ref);
    conf_say("schedule.dup", "%s", strcmp(r, "dup") == 0 ? "ok" : r);
    conf_say("duplicate", "%s", once(sys, t, "x", 0, "dup", ref, sizeof ref));
    conf_say("schedules", "%zu", listed(sys));
    conf_say("cancel.dup", "%s", conf_rc(akt_schedule_cancel(sys, "dup")));
    conf_say("schedules", "%zu", listed(sys));

    /* 6. On a cron expression, every second: listed with it, fires, cancelled; a bad one
     * names its column. */
    long c0 = count(sys, t);
    akt_schedule_options cron = {sizeof cron, "cron", {0}};
    tick = conf_msg("conf.Tick", "");
    rc = akt_schedule_cron(sys, t, tick, "* * * * * ?", AKT_CRON_UTC, &cron, ref, sizeof ref, NULL);
    if (rc) akt_msg_release(tick);
    conf_say("schedule.cron", "%s", rc ? conf_rc(rc) : ref);
    CONF_OK(akt_schedule_list(sys, print_cron, NULL, NULL));
    wait_ticks(sys, t, c0 + 2);
    conf_say("cron.fired", "at least 2");
    conf_say("cancel.cron", "%s", conf_rc(akt_schedule_cancel(sys, "cron")));
    size_t col = 0;
    akt_msg *bad = conf_msg("conf.Tick", "");
    rc = akt_schedule_cron(sys, t, bad, "0 0 25 * * ?", 0, NULL, NULL, 0, &col);
    if (rc) akt_msg_release(bad);
    conf_say("cron.bad", "%s at column %zu", conf_rc(rc), col);
    conf_say("schedules", "%zu", listed(sys));

    conf_system_finish(sys);
    return 0;
}
