/* respond_without_asker: a reply nobody waits for is a dead letter; the actor goes on. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

/* account: conf.Deposit "<n>" adds n, conf.Balance reads; both respond the balance. */
typedef struct account {
    long balance;
} account;

static const char *yes_no(akt_ctx *ctx) {
    int expected = 0;
    CONF_OK(akt_ctx_reply_expected(ctx, &expected));
    return expected ? "yes" : "no";
}

static int account_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    account *a = state;
    char text[32];
    if (conf_is(msg, "conf.Deposit")) {
        long n = conf_num(msg);
        a->balance += n;
        conf_log("deposit", "%ld reply_expected=%s", n, yes_no(ctx));
    } else if (conf_is(msg, "conf.Balance")) {
        conf_log("balance", "reply_expected=%s", yes_no(ctx));
    } else {
        return AKT_EUNHANDLED;
    }
    /* Answered whether or not someone asked: a reply to a tell is a dead letter, and
     * respond still succeeds (a failure here would restart the account). */
    snprintf(text, sizeof text, "%ld", a->balance);
    return conf_respond(ctx, "conf.Balance", text);
}

static const akt_behavior account_behavior = {.size = sizeof(akt_behavior),
                                              .receive = account_receive};

static void on_dead_letter(const akt_event *ev, void *data) {
    akt_system *sys = data;
    const void *bytes = NULL;
    size_t len = 0;
    char from[256] = "-";
    if (ev->msg == NULL || strncmp(akt_msg_type(ev->msg), "conf.", 5) != 0) return;
    if (akt_msg_bytes(ev->msg, &bytes, &len) != 0) len = 0;
    if (ev->sender.id != AKT_PID_NONE_ID) conf_path(sys, ev->sender, from, sizeof from);
    conf_log("dead_letter", "%s %.*s to=%s from=%s reason=%s", akt_msg_type(ev->msg), (int)len,
             (const char *)bytes, ev->path != NULL ? ev->path : "-", from,
             ev->reason != NULL ? ev->reason : "-");
}

int main(void) {
    static account acct;
    char buf[256];
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, on_dead_letter, sys, &sub));
    akt_pid pid = conf_spawn(sys, &account_behavior, &acct, "account");

    /* 2. Five deposits told from outside: nobody asked, so every reply is a dead letter. */
    for (int i = 0; i < 5; i++) CONF_OK(conf_tell(sys, pid, "conf.Deposit", "10"));

    /* 3. The account kept every deposit. */
    conf_say("balance", "%s", conf_ask_str(sys, pid, "conf.Balance", "", buf, sizeof buf));

    /* 4. Five deposits, five dead letters and the balance. */
    conf_wait_log(11);
    conf_flush_sorted();

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
