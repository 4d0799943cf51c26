/* schedule_lifecycle: pause/resume, listing, sender, the end of a stopped actor's
 * schedules, dead letters for a gone target, shutdown. */
#define _POSIX_C_SOURCE 200809L
#include "conf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct worker {
    long ticks;
} worker;

static int worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    worker *w = state;
    char text[64], from[256] = "-";
    if (conf_is(msg, "conf.Tick")) {
        w->ticks++;
        return 0;
    }
    if (conf_is(msg, "conf.Count")) {
        snprintf(text, sizeof text, "%ld", w->ticks);
        return conf_respond(ctx, "conf.Count", text);
    }
    if (conf_is(msg, "conf.Hello")) {
        akt_pid sender = {0};
        akt_system *sys = NULL;
        CONF_OK(akt_ctx_sender(ctx, &sender));
        CONF_OK(akt_ctx_system(ctx, &sys));
        if (sender.id != AKT_PID_NONE_ID) conf_path(sys, sender, from, sizeof from);
        conf_log("hello", "from=%s", from);
        return 0;
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior worker_behavior = {.size = sizeof(akt_behavior),
                                             .receive = worker_receive};

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

static void print_one(const akt_schedule_info *info, void *data) {
    (void)data;
    const char *kind = info->kind == AKT_SCHEDULE_EVERY  ? "every"
                       : info->kind == AKT_SCHEDULE_CRON ? "cron"
                                                         : "once";
    conf_say("schedule", "%s %s paused=%s", info->reference, kind, info->paused ? "yes" : "no");
}

static void list(akt_system *sys) { CONF_OK(akt_schedule_list(sys, print_one, NULL, NULL)); }

static void count_one(const akt_schedule_info *info, void *data) { (void)info, (void)data; }

static size_t listed(akt_system *sys) {
    size_t n = 0;
    CONF_OK(akt_schedule_list(sys, count_one, NULL, &n));
    return n;
}

static int once(akt_system *sys, akt_pid to, const char *type, const char *text, long delay_ms,
                const char *ref, akt_pid sender) {
    akt_schedule_options o = {sizeof o, ref, sender};
    akt_msg *m = conf_msg(type, text);
    int rc = akt_schedule_once(sys, to, m, delay_ms * CONF_MS, &o, NULL, 0);
    if (rc) akt_msg_release(m);
    return rc;
}

static akt_pid worker_pid;

static void on_dead_letter(const akt_event *ev, void *data) {
    const void *bytes = NULL;
    size_t len = 0;
    (void)data;
    if (ev->msg == NULL || strncmp(akt_msg_type(ev->msg), "conf.", 5) != 0) return;
    if (akt_msg_bytes(ev->msg, &bytes, &len) != 0) len = 0;
    conf_log("dead_letter", "%s %.*s to=%s", akt_msg_type(ev->msg), (int)len, (const char *)bytes,
             ev->pid.id == worker_pid.id ? "worker" : "other");
}

int main(void) {
    static worker w_state, g_state;
    akt_pid none = {0};
    akt_system *sys = conf_system_create();
    akt_pid w = conf_spawn(sys, &worker_behavior, &w_state, "worker");
    akt_pid g = conf_spawn(sys, &worker_behavior, &g_state, "greeter");
    worker_pid = w;

    /* 1. Pause keeps the reference and stops the fires; resume starts them again. */
    akt_schedule_options beat = {sizeof beat, "beat", {0}};
    akt_msg *tick = conf_msg("conf.Tick", "");
    int rc = akt_schedule_every(sys, w, tick, 0, 10 * CONF_MS, &beat, NULL, 0);
    if (rc) conf_fatal("schedule beat: %s", conf_rc(rc));
    wait_ticks(sys, w, 2);
    conf_say("pause", "%s", conf_rc(akt_schedule_pause(sys, "beat")));
    conf_say("pause.again", "%s", conf_rc(akt_schedule_pause(sys, "beat")));
    list(sys);
    long n1 = count(sys, w);
    sleep_ms(60);
    long n2 = count(sys, w);
    conf_say("paused.quiet", "%s", n1 == n2 ? "yes" : "no");
    conf_say("resume", "%s", conf_rc(akt_schedule_resume(sys, "beat")));
    wait_ticks(sys, w, n1 + 1);
    conf_say("resumed", "yes");
    list(sys);

    /* 2. Unknown references. */
    conf_say("pause.unknown", "%s", conf_rc(akt_schedule_pause(sys, "nope")));
    conf_say("resume.unknown", "%s", conf_rc(akt_schedule_resume(sys, "nope")));
    conf_say("cancel.unknown", "%s", conf_rc(akt_schedule_cancel(sys, "nope")));
    /* ft begin: the bindings' schedule errors carry the reference; C has the one it passed */
    conf_say("unknown.reference", "%s", akt_schedule_cancel(sys, "nope") ? "nope" : "-");
    akt_msg *again = conf_msg("conf.Tick", "");
    rc = akt_schedule_once(sys, w, again, 3600000 * CONF_MS, &beat, NULL, 0);
    if (rc) akt_msg_release(again); /* refused: still ours */
    conf_say("taken", "%s %s", conf_rc(rc), rc == AKT_EEXIST ? "beat" : "-");
    /* ft end */

    /* 3. The fires' sender. */
    CONF_OK(once(sys, w, "conf.Hello", "", 0, "hello", g));
    conf_wait_log(1);
    conf_flush();

    /* 4. The schedules of an actor that stops end with it, paused ones too. */
    CONF_OK(once(sys, w, "conf.Tick", "", 3600L * 1000, "later", none));
    CONF_OK(akt_schedule_pause(sys, "later"));
    list(sys);
    conf_say("stop.worker", "%s", conf_rc(conf_stop_graceful(sys, w)));
    for (int i = 0; listed(sys) != 0; i++) {
        if (i == 5000) conf_fatal("the stopped worker's schedules did not end");
        sleep_ms(2);
    }
    conf_say("after.stop", "0 schedules");
    conf_say("cancel.beat", "%s", conf_rc(akt_schedule_cancel(sys, "beat")));

    /* 5. A fire whose target is gone is a dead letter, and ends its schedule. */
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, on_dead_letter, NULL, &sub));
    conf_say("schedule.stopped", "%s",
             conf_rc(once(sys, w, "conf.Late", "gone", 0, "ghost", none)));
    conf_wait_log(1);
    conf_flush();
    conf_say("schedules", "%zu", listed(sys));
    CONF_OK(akt_unsubscribe(sub));

    /* 6. A cron schedule (every second) pauses, resumes and cancels like the others. */
    akt_schedule_options cron = {sizeof cron, "cron", {0}};
    char cref[64] = "";
    tick = conf_msg("conf.Tick", "");
    rc = akt_schedule_cron(sys, g, tick, "* * * * * ?", AKT_CRON_UTC, &cron, cref, sizeof cref,
                           NULL);
    if (rc) akt_msg_release(tick);
    conf_say("schedule.cron", "%s", rc ? conf_rc(rc) : cref);
    list(sys);
    wait_ticks(sys, g, 1);
    conf_say("pause.cron", "%s", conf_rc(akt_schedule_pause(sys, "cron")));
    list(sys);
    long c1 = count(sys, g);
    sleep_ms(1500);
    long c2 = count(sys, g);
    conf_say("paused.quiet.cron", "%s", c1 == c2 ? "yes" : "no");
    conf_say("resume.cron", "%s", conf_rc(akt_schedule_resume(sys, "cron")));
    wait_ticks(sys, g, c1 + 1);
    conf_say("resumed.cron", "yes");
    conf_say("cancel.cron", "%s", conf_rc(akt_schedule_cancel(sys, "cron")));
    conf_say("after.cancel", "%zu schedules", listed(sys));

    /* 7. Shutdown ends what is still pending. */
    CONF_OK(once(sys, g, "conf.Tick", "", 3600L * 1000, "pending", none));
    conf_system_finish(sys);
    return 0;
}
