/* headers: metadata told with a message, read in receive, kept by forward, refused when bad. */
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The headers of msg as "k=v" sorted by key, joined by ",", or "none". */
static void headers_text(const akt_msg *msg, char *buf, size_t len) {
    size_t n = 0;
    CONF_OK(akt_msg_header_count(msg, &n));
    const char *keys[AKT_HEADERS_MAX];
    for (size_t i = 0; i < n; i++) CONF_OK(akt_msg_header_at(msg, i, &keys[i], NULL, NULL));
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of keys */
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    snprintf(buf, len, "%s", n ? "" : "none");
    for (size_t i = 0; i < n; i++) {
        const void *v;
        size_t vl;
        CONF_OK(akt_msg_header(msg, keys[i], &v, &vl));
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s=%.*s", i ? "," : "", keys[i], (int)vl,
                 (const char *)v);
    }
}

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char *kept = state;
    if (conf_is(msg, "conf.Note")) {
        headers_text(msg, kept, 256);
        return 0;
    }
    if (conf_is(msg, "conf.Get")) return conf_respond(ctx, "conf.Headers", kept);
    return AKT_EUNHANDLED;
}

static int relay_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return akt_ctx_forward(ctx, *(akt_pid *)state);
}

static const akt_behavior sink_behavior = {.size = sizeof(akt_behavior), .receive = sink_receive};
static const akt_behavior relay_behavior = {.size = sizeof(akt_behavior), .receive = relay_receive};

/* Tells conf.Note with n headers (keys[i] = values[i]); the code of the first refusal. */
static int tell_note(akt_system *sys, akt_pid to, size_t n, const char *const *keys,
                     const char *const *values) {
    akt_msg *m = conf_msg("conf.Note", "");
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = akt_msg_set_header(m, keys[i], values[i], strlen(values[i]));
    if (!rc) rc = akt_tell(sys, to, m);
    if (rc) akt_msg_release(m);
    return rc;
}

static void ask_step(akt_system *sys, akt_pid pid, const char *step) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, "conf.Get", "", buf, sizeof buf));
}

int main(void) {
    static char kept[256] = "none";
    static akt_pid sink;
    akt_system *sys = conf_system_create();
    sink = conf_spawn(sys, &sink_behavior, kept, "sink");
    akt_pid relay = conf_spawn(sys, &relay_behavior, &sink, "relay");

    /* 1. Headers told with the message reach receive. */
    const char *k1[] = {"trace", "tenant"}, *v1[] = {"t1", "acme"};
    CONF_OK(tell_note(sys, sink, 2, k1, v1));
    ask_step(sys, sink, "direct");
    /* 2. A message without headers has none. */
    CONF_OK(tell_note(sys, sink, 0, NULL, NULL));
    ask_step(sys, sink, "none");
    /* 3. A forward is the same message: its headers go with it. */
    const char *k3[] = {"trace"}, *v3[] = {"t2"};
    CONF_OK(tell_note(sys, relay, 1, k3, v3));
    ask_step(sys, relay, "forwarded");
    /* 4. Bad headers are refused; nothing is sent. */
    const char *k4[] = {"a key"}, *v4[] = {"v"};
    conf_say("bad.name", "%s", conf_rc(tell_note(sys, sink, 1, k4, v4)));
    char *big = malloc(AKT_HEADER_VALUE_MAX + 2);
    if (!big) conf_fatal("out of memory");
    memset(big, 'x', AKT_HEADER_VALUE_MAX + 1);
    big[AKT_HEADER_VALUE_MAX + 1] = 0;
    const char *k5[] = {"big"}, *v5[] = {big};
    conf_say("bad.size", "%s", conf_rc(tell_note(sys, sink, 1, k5, v5)));
    free(big);
    ask_step(sys, sink, "after_bad");

    conf_system_finish(sys);
    return 0;
}
