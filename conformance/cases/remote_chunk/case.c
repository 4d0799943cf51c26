/* remote_chunk: a message larger than the frame limit crosses in chunks, both ways. */
#include "conf.h"

#include <akt/remote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_REPEAT 700000

/* echo: conf.Question "<t>" -> conf.Answer "re:<t>" (any size). */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (!conf_is(msg, "conf.Question")) return AKT_EUNHANDLED;
    const void *data = NULL;
    size_t n = 0;
    CONF_OK(akt_msg_bytes(msg, &data, &n));
    char *answer = malloc(n + 3);
    if (!answer) return AKT_ENOMEM;
    memcpy(answer, "re:", 3);
    memcpy(answer + 3, data, n);
    akt_msg *reply = NULL;
    int rc = akt_msg_new_bytes("conf.Answer", answer, n + 3, AKT_COPY, &reply);
    free(answer);
    return rc ? rc : akt_ctx_respond(ctx, reply);
}

static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};

static int start(akt_system *system) {
    akt_remote_options options;
    CONF_OK(akt_remote_options_init(&options));
    options.host = "127.0.0.1";
    options.port = 0;
    return akt_remote_start(system, &options);
}

int main(void) {
    static char address[256], full[300], small[300];
    size_t tn = 9 * (size_t)T_REPEAT;
    char *t = malloc(tn), *want = malloc(tn + 3);
    if (!t || !want) return 1;
    for (size_t i = 0; i < T_REPEAT; i++) memcpy(t + i * 9, "chunk me ", 9);
    memcpy(want, "re:", 3);
    memcpy(want + 3, t, tn);
    akt_system *sys = conf_system_create();
    CONF_OK(start(sys));
    conf_say("remote.start", "ok");
    akt_system_options options;
    akt_system *peer = NULL;
    CONF_OK(akt_system_options_init(&options));
    options.name = "peer";
    CONF_OK(akt_system_create(&options, &peer));
    CONF_OK(start(peer));
    conf_spawn(peer, &echo_behavior, NULL, "echo");
    CONF_OK(akt_remote_address(peer, address, sizeof address, NULL));
    snprintf(full, sizeof full, "%s/user/echo", address);
    akt_pid echo;
    CONF_OK(akt_remote_lookup(sys, full, &echo));
    akt_msg *m = NULL, *reply = NULL;
    akt_future *f = NULL;
    CONF_OK(akt_msg_new_bytes("conf.Question", t, tn, AKT_COPY, &m));
    CONF_OK(akt_ask(sys, echo, m, 10 * 1000 * CONF_MS, &f));
    int rc = akt_future_wait(f, 10 * 1000 * CONF_MS, &reply);
    const void *data = NULL;
    size_t n = 0;
    int intact = rc == 0 && strcmp(akt_msg_type(reply), "conf.Answer") == 0 &&
                 akt_msg_bytes(reply, &data, &n) == 0 && n == tn + 3 && memcmp(data, want, n) == 0;
    conf_say("ask.big", "%s", intact ? "intact" : rc ? akt_err_name(rc) : "garbled");
    if (reply) akt_msg_release(reply);
    CONF_OK(akt_future_release(f));
    conf_say("ask.small", "%s",
             conf_ask_str(sys, echo, "conf.Question", "small", small, sizeof small));
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, 10 * 1000 * CONF_MS));
    CONF_OK(akt_system_release(peer));
    free(t);
    free(want);
    conf_system_finish(sys);
    return 0;
}
