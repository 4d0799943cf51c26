/* serializers: JSON, CBOR, protobuf and a custom serializer across two systems of one
 * process over 127.0.0.1, and a value that cannot cross. */
#include "conf_remote.h"

#include <akt/remote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* echo: journals the type of what it got and responds with it. */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    conf_log("peer.got", "%s", akt_msg_type(msg));
    CONF_OK(akt_msg_retain(msg));
    return akt_ctx_respond(ctx, msg);
}

static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};

/* point: "x,y" (each 0..255) <-> the two bytes x, y. */
static int point_encode(akt_msg *msg, void *data, void **bytes, size_t *len, akt_free_fn *free_fn) {
    (void)data;
    char text[16];
    unsigned x, y;
    conf_text(msg, text, sizeof text);
    if (sscanf(text, "%u,%u", &x, &y) != 2 || x > 255 || y > 255) return AKT_EINVAL;
    unsigned char *b = malloc(2);
    if (!b) return AKT_ENOMEM;
    b[0] = (unsigned char)x;
    b[1] = (unsigned char)y;
    *bytes = b;
    *len = 2;
    *free_fn = free;
    return 0;
}

static int point_decode(const char *type, const void *bytes, size_t len, void *data,
                        akt_msg **out) {
    (void)data;
    if (len != 2) return AKT_EINVAL;
    const unsigned char *b = bytes;
    char text[16];
    int n = snprintf(text, sizeof text, "%u,%u", b[0], b[1]);
    return akt_msg_new_bytes(type, text, (size_t)n, AKT_COPY, out);
}

static const akt_serializer point = {
    .size = sizeof(akt_serializer),
    .name = "point",
    .encode = point_encode,
    .decode = point_decode,
};

static void serializers(akt_system *system) {
    CONF_OK(akt_serializer_bind(system, AKT_TYPE_JSON, AKT_SERIALIZER_CBOR));
    CONF_OK(akt_serializer_bind(system, "conf.Doc", AKT_SERIALIZER_JSON));
    CONF_OK(akt_serializer_bind(system, "akt.remote.Failure", AKT_SERIALIZER_PROTOBUF));
    CONF_OK(akt_serializer_register(system, &point));
    CONF_OK(akt_serializer_bind(system, "conf.Point", "point"));
}

static void release_nothing(void *object, void *data) {
    (void)object;
    (void)data;
}

static const akt_object_ops opaque_ops = {.size = sizeof(akt_object_ops),
                                          .release = release_nothing};

/* Asks echo with msg (taken): 0 and *reply, or the error. */
static int ask(akt_system *system, akt_pid echo, akt_msg *msg, akt_msg **reply) {
    akt_future *f = NULL;
    int rc = akt_ask(system, echo, msg, CONF_ASK_NS, &f);
    if (rc) {
        akt_msg_release(msg);
        return rc;
    }
    rc = akt_future_wait(f, CONF_ASK_NS + 1000 * CONF_MS, reply);
    CONF_OK(akt_future_release(f));
    return rc;
}

int main(void) {
    char buf[512], peer_address[256];
    akt_system *sys = conf_system_create();
    akt_system *peer = conf_node_create("peer");

    /* 1. The same serializers on both nodes, then remoting. */
    serializers(sys);
    serializers(peer);
    conf_remote_start(sys);
    conf_remote_start(peer);
    conf_say("remote.start", "ok");
    conf_spawn(peer, &echo_behavior, NULL, "echo");
    CONF_OK(akt_remote_address(peer, peer_address, sizeof peer_address, NULL));
    snprintf(buf, sizeof buf, "%s/user/echo", peer_address);
    akt_pid echo;
    CONF_OK(akt_remote_lookup(sys, buf, &echo));

    /* 2. A map as CBOR. */
    const char *name = NULL;
    CONF_OK(akt_serializer_for(sys, AKT_TYPE_JSON, &name));
    conf_say("cbor.serializer", "%s", name ? name : "none");
    const char *doc = "{\"name\": \"akt\", \"list\": [1, 2.5, null, true], \"nested\": {}}";
    akt_msg *reply = NULL;
    CONF_OK(ask(sys, echo, conf_msg(AKT_TYPE_JSON, doc), &reply));
    conf_say("cbor.equal", "%s",
             strcmp(conf_text(reply, buf, sizeof buf),
                    "{\"name\":\"akt\",\"list\":[1,2.5,null,true],\"nested\":{}}") == 0 &&
                     conf_is(reply, AKT_TYPE_JSON)
                 ? "yes"
                 : "no");
    akt_msg_release(reply);

    /* 3. JSON text, sent compact. */
    CONF_OK(ask(sys, echo, conf_msg("conf.Doc", "{ \"b\" : [true, \"x\"] }"), &reply));
    conf_say("json.reply", "%s", conf_text(reply, buf, sizeof buf));
    akt_msg_release(reply);

    /* 4. The bytes of a protobuf message. */
    const unsigned char pb[] = {0x08, 0x09, 0x12, 0x04, 'g', 'o', 'n', 'e'};
    akt_msg *pm = NULL;
    CONF_OK(akt_msg_new_bytes("akt.remote.Failure", pb, sizeof pb, AKT_COPY, &pm));
    CONF_OK(ask(sys, echo, pm, &reply));
    const void *data = NULL;
    size_t len = 0;
    CONF_OK(akt_msg_bytes(reply, &data, &len));
    conf_say("protobuf.equal", "%s", len == sizeof pb && memcmp(data, pb, len) == 0 ? "yes" : "no");
    akt_msg_release(reply);

    /* 5. A custom serializer. */
    CONF_OK(ask(sys, echo, conf_msg("conf.Point", "3,4"), &reply));
    conf_say("custom.reply", "%s", conf_text(reply, buf, sizeof buf));
    akt_msg_release(reply);

    /* 6. No serializer and no bytes: refused here. */
    static int opaque;
    akt_msg *om = NULL;
    CONF_OK(akt_msg_new_object("conf.Opaque", &opaque, &opaque_ops, &om));
    conf_say("refused.ask", "%s", conf_rc(ask(sys, echo, om, &reply)));

    /* 7. What reached the echo, in order. */
    conf_wait_log(4);
    conf_flush();

    /* 8. */
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, 10 * 1000 * CONF_MS));
    CONF_OK(akt_system_release(peer));
    conf_system_finish(sys);
    return 0;
}
