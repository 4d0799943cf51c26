/* ask_failure: the asker of a failed receive gets the code and the failure's reason. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

/* account: conf.Withdraw "<n>" subtracts n and responds the balance, or fails. The balance
 * starts at 50; a failure changes nothing, so a restart (which keeps C state) starts from
 * the same balance as a binding's fresh actor. */
typedef struct account {
    long balance;
} account;

static int account_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    account *a = state;
    char text[96];
    if (!conf_is(msg, "conf.Withdraw")) return AKT_EUNHANDLED;
    long n = conf_num(msg);
    if (n < 0)
        return akt_ctx_fail(ctx, "InvalidAmount"); /* a binding's exception without message */
    if (n > a->balance) {
        /* As a binding writes its exception: "<type>: <message>". */
        snprintf(text, sizeof text, "Overdrawn: balance %ld, asked %ld", a->balance, n);
        return akt_ctx_fail(ctx, text);
    }
    a->balance -= n;
    snprintf(text, sizeof text, "%ld", a->balance);
    return conf_respond(ctx, "conf.Balance", text);
}

static const akt_behavior account_behavior = {.size = sizeof(akt_behavior),
                                              .receive = account_receive};

static void on_failed(const akt_event *ev, void *data) {
    (void)data;
    if (ev->path == NULL || strncmp(ev->path, "akt://conf/user/", 16) != 0) return;
    conf_log("failed", "%s %s reason=%s", ev->path, akt_err_name(ev->code),
             ev->reason != NULL ? ev->reason : "-");
}

/* Asks conf.Withdraw "<amount>" and prints the reply, or the error name and the reason. */
static void withdraw(akt_system *sys, akt_pid pid, const char *amount) {
    char step[64], buf[256];
    akt_future *f = NULL;
    CONF_OK(akt_ask(sys, pid, conf_msg("conf.Withdraw", amount), CONF_ASK_NS, &f));
    akt_msg *reply = NULL;
    int rc = akt_future_wait(f, CONF_ASK_NS, &reply);
    snprintf(step, sizeof step, "withdraw.%s", amount);
    if (rc == 0) {
        conf_say(step, "%s", conf_reply_str(reply, buf, sizeof buf));
        akt_msg_release(reply);
    } else {
        const char *reason = NULL;
        CONF_OK(akt_future_failure(f, &reason, NULL));
        conf_say(step, "%s", akt_err_name(rc));
        snprintf(step, sizeof step, "withdraw.%s.reason", amount);
        conf_say(step, "%s", reason != NULL ? reason : "-");
    }
    CONF_OK(akt_future_release(f));
}

int main(void) {
    static account acct = {50};
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_FAILED, on_failed, NULL, &sub));
    akt_pid pid = conf_spawn(sys, &account_behavior, &acct, "account");

    withdraw(sys, pid, "80"); /* 2. more than the balance */
    withdraw(sys, pid, "-1"); /* 3. a failure whose exception has no message */
    withdraw(sys, pid, "20"); /* 4. the restarted account answers */

    /* 5. The supervisor saw the same reasons, in order. */
    conf_wait_log(2);
    conf_flush();

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
