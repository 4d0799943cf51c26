/* propagation: a user propagator carries a tenant header from hop to hop. */
#include <string.h>

#include "conf.h"

/* tenant = the handled message's tenant, or "none"; the sender's own is kept. */
static void inject(akt_ctx *ctx, akt_msg *msg, void *data) {
    (void)data;
    const void *had;
    size_t len;
    if (akt_msg_header(msg, "tenant", &had, &len) == 0) return;
    akt_msg *cur = NULL;
    const void *v = "none";
    size_t vl = 4;
    if (ctx && akt_ctx_message(ctx, &cur) == 0 && cur &&
        akt_msg_header(cur, "tenant", &had, &len) == 0) {
        v = had;
        vl = len;
    }
    akt_msg_set_header(msg, "tenant", v, vl);
}

static akt_pid last_pid, mid_pid;

static int hop(akt_ctx *ctx, akt_pid to, const char *text, const char *own) {
    akt_msg *m = conf_msg("conf.Hop", text);
    int rc = own ? akt_msg_set_header(m, "tenant", own, strlen(own)) : 0;
    if (!rc) rc = akt_ctx_tell(ctx, to, m);
    if (rc) akt_msg_release(m);
    return rc;
}

static int last_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)state;
    char text[64];
    if (!conf_is(msg, "conf.Hop")) return AKT_EUNHANDLED;
    const void *v;
    size_t vl;
    if (akt_msg_header(msg, "tenant", &v, &vl))
        conf_log("got", "%s tenant=-", conf_text(msg, text, sizeof text));
    else
        conf_log("got", "%s tenant=%.*s", conf_text(msg, text, sizeof text), (int)vl,
                 (const char *)v);
    return 0;
}

static int mid_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    char text[64];
    if (conf_is(msg, "conf.Hop"))
        return hop(ctx, last_pid, conf_text(msg, text, sizeof text), NULL);
    if (conf_is(msg, "conf.Own"))
        return hop(ctx, last_pid, conf_text(msg, text, sizeof text), "mine");
    return AKT_EUNHANDLED;
}

static int first_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    char text[64];
    if (conf_is(msg, "conf.Hop")) return hop(ctx, mid_pid, conf_text(msg, text, sizeof text), NULL);
    return AKT_EUNHANDLED;
}

static const akt_behavior last_b = {.size = sizeof(akt_behavior), .receive = last_receive};
static const akt_behavior mid_b = {.size = sizeof(akt_behavior), .receive = mid_receive};
static const akt_behavior first_b = {.size = sizeof(akt_behavior), .receive = first_receive};

static void tell(akt_system *sys, akt_pid to, const char *type, const char *text,
                 const char *tenant) {
    akt_msg *m = conf_msg(type, text);
    if (tenant) CONF_OK(akt_msg_set_header(m, "tenant", tenant, strlen(tenant)));
    CONF_OK(akt_tell(sys, to, m));
}

int main(void) {
    akt_propagator p = {.size = sizeof p, .inject = inject};
    akt_system_options o;
    CONF_OK(akt_system_options_init(&o));
    o.name = "conf";
    o.propagator = &p;
    akt_system *sys = NULL;
    CONF_OK(akt_system_create(&o, &sys));
    last_pid = conf_spawn(sys, &last_b, NULL, "last");
    mid_pid = conf_spawn(sys, &mid_b, NULL, "mid");
    akt_pid first = conf_spawn(sys, &first_b, NULL, "first");

    /* 1. Two hops on. */
    tell(sys, first, "conf.Hop", "a", "acme");
    conf_wait_log(1);
    conf_flush();
    /* 2. Injected at the send from outside. */
    tell(sys, first, "conf.Hop", "b", NULL);
    conf_wait_log(1);
    conf_flush();
    /* 3. The sender's own header wins. */
    tell(sys, mid_pid, "conf.Own", "c", "acme");
    conf_wait_log(1);
    conf_flush();

    conf_system_finish(sys);
    return 0;
}
