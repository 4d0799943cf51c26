/* remote_compress: frame compression between a zstd node and peers of each method. */
#include "conf.h"

#include <akt/remote.h>
#include <stdio.h>
#include <string.h>

static char T[3001];

/* echo: conf.Question "<t>" -> conf.Answer "re:<t>". */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    static char text[4000], answer[4100];
    (void)state;
    if (!conf_is(msg, "conf.Question")) return AKT_EUNHANDLED;
    snprintf(answer, sizeof answer, "re:%s", conf_text(msg, text, sizeof text));
    return conf_respond(ctx, "conf.Answer", answer);
}

static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};

static int start(akt_system *system, int method) {
    akt_remote_options options;
    CONF_OK(akt_remote_options_init(&options));
    options.host = "127.0.0.1";
    options.port = 0;
    options.compression = method;
    return akt_remote_start(system, &options);
}

int main(void) {
    static char want[4200], address[256], full[300];
    for (int i = 0; i < 250; i++) memcpy(T + i * 12, "compress me ", 12);
    akt_system *sys = conf_system_create();
    CONF_OK(start(sys, AKT_REMOTE_COMPRESS_ZSTD));
    conf_say("remote.start", "ok");
    const char *names[] = {"zstd", "gzip", "brotli", "none"};
    const int methods[] = {AKT_REMOTE_COMPRESS_ZSTD, AKT_REMOTE_COMPRESS_GZIP,
                           AKT_REMOTE_COMPRESS_BROTLI, AKT_REMOTE_COMPRESS_NONE};
    snprintf(want, sizeof want, "re:%s", T);
    for (int i = 0; i < 4; i++) {
        akt_system_options options;
        akt_system *peer = NULL;
        CONF_OK(akt_system_options_init(&options));
        options.name = "peer";
        CONF_OK(akt_system_create(&options, &peer));
        CONF_OK(start(peer, methods[i]));
        conf_spawn(peer, &echo_behavior, NULL, "echo");
        CONF_OK(akt_remote_address(peer, address, sizeof address, NULL));
        snprintf(full, sizeof full, "%s/user/echo", address);
        akt_pid echo;
        CONF_OK(akt_remote_lookup(sys, full, &echo));
        /* conf_ask_str keeps 256 bytes of a reply: the whole one is compared here. */
        akt_msg *m = NULL, *reply = NULL;
        akt_future *f = NULL;
        CONF_OK(akt_msg_new_bytes("conf.Question", T, strlen(T), AKT_COPY, &m));
        CONF_OK(akt_ask(sys, echo, m, 10 * 1000 * CONF_MS, &f));
        int rc = akt_future_wait(f, 10 * 1000 * CONF_MS, &reply);
        const void *data = NULL;
        size_t n = 0;
        int intact = rc == 0 && strcmp(akt_msg_type(reply), "conf.Answer") == 0 &&
                     akt_msg_bytes(reply, &data, &n) == 0 && n == strlen(want) &&
                     memcmp(data, want, n) == 0;
        char key[32];
        snprintf(key, sizeof key, "ask.%s", names[i]);
        conf_say(key, "%s", intact ? "intact" : rc ? akt_err_name(rc) : "garbled");
        if (reply) akt_msg_release(reply);
        CONF_OK(akt_future_release(f));
        CONF_OK(akt_system_shutdown(peer, NULL, NULL));
        CONF_OK(akt_system_wait(peer, 10 * 1000 * CONF_MS));
        CONF_OK(akt_system_release(peer));
    }
    conf_say("start.bad_method", "%s", start(sys, 9) == AKT_EINVAL ? "refused" : "accepted");
    conf_system_finish(sys);
    return 0;
}
