/* serializers_protobuf: a protobuf message (conf.proto, compiled by protoc-c) crosses as
 * itself between two systems of one process over 127.0.0.1. */
#include "conf_remote.h"

#include <akt/remote.h>
#include <protobuf-c/protobuf-c.h>
#include <stdio.h>
#include <string.h>

#include "conf.pb-c.h"

/* echo: journals the Greeting it got and responds with a new one made here. */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    ProtobufCMessage *pm = NULL;
    if (akt_msg_protobuf(msg, &conf__greeting__descriptor, &pm) != 0) {
        conf_log("peer.got", "other %s", akt_msg_type(msg));
        return 0;
    }
    Conf__Greeting *g = (Conf__Greeting *)pm;
    conf_log("peer.got", "conf.Greeting %s %lld", g->text, (long long)g->count);
    char text[300];
    snprintf(text, sizeof text, "%s back", g->text);
    char *tags[17];
    size_t n = g->n_tags < 16 ? g->n_tags : 16;
    for (size_t i = 0; i < n; i++) tags[i] = g->tags[i];
    tags[n] = "peer";
    Conf__Greeting r = CONF__GREETING__INIT;
    r.text = text;
    r.count = g->count + 1;
    r.n_tags = n + 1;
    r.tags = tags;
    akt_msg *reply = NULL;
    CONF_OK(akt_msg_new_protobuf(&r.base, &reply));
    protobuf_c_message_free_unpacked(pm, NULL);
    return akt_ctx_respond(ctx, reply);
}

static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};

int main(void) {
    char buf[512], peer_address[256];
    akt_system *sys = conf_system_create();
    akt_system *peer = conf_node_create("peer");

    /* 1. The descriptor on both nodes, then remoting. */
    CONF_OK(akt_serializer_protobuf(sys, &conf__greeting__descriptor));
    CONF_OK(akt_serializer_protobuf(peer, &conf__greeting__descriptor));
    conf_remote_start(sys);
    conf_remote_start(peer);
    conf_say("remote.start", "ok");
    const char *name = NULL;
    CONF_OK(akt_serializer_for(sys, "conf.Greeting", &name));
    conf_say("protobuf.serializer", "%s", name ? name : "none");
    conf_spawn(peer, &echo_behavior, NULL, "echo");
    CONF_OK(akt_remote_address(peer, peer_address, sizeof peer_address, NULL));
    snprintf(buf, sizeof buf, "%s/user/echo", peer_address);
    akt_pid echo;
    CONF_OK(akt_remote_lookup(sys, buf, &echo));

    /* 2. The Greeting and its encoding. */
    char *tags[] = {"a", "b"};
    Conf__Greeting g = CONF__GREETING__INIT;
    g.text = "hello";
    g.count = 41;
    g.n_tags = 2;
    g.tags = tags;
    akt_msg *m = NULL;
    CONF_OK(akt_msg_new_protobuf(&g.base, &m));
    const void *data = NULL;
    size_t len = 0;
    CONF_OK(akt_msg_bytes(m, &data, &len));
    char hex[256] = "";
    for (size_t i = 0; i < len && 2 * i + 2 < sizeof hex; i++)
        snprintf(hex + 2 * i, 3, "%02x", ((const unsigned char *)data)[i]);
    conf_say("encoded", "%s", hex);

    /* 3. Ask the remote echo. */
    akt_future *f = NULL;
    CONF_OK(akt_ask(sys, echo, m, CONF_ASK_NS, &f));
    akt_msg *reply = NULL;
    CONF_OK(akt_future_wait(f, CONF_ASK_NS + 1000 * CONF_MS, &reply));
    CONF_OK(akt_future_release(f));
    ProtobufCMessage *rm = NULL;
    int rc = akt_msg_protobuf(reply, &conf__greeting__descriptor, &rm);
    conf_say("reply.generated", "%s", rc == 0 ? "yes" : "no");
    if (rc == 0) {
        Conf__Greeting *r = (Conf__Greeting *)rm;
        char joined[256] = "";
        for (size_t i = 0; i < r->n_tags; i++) {
            if (i) strncat(joined, ",", sizeof joined - strlen(joined) - 1);
            strncat(joined, r->tags[i], sizeof joined - strlen(joined) - 1);
        }
        conf_say("reply", "text=%s count=%lld tags=%s", r->text, (long long)r->count, joined);
        protobuf_c_message_free_unpacked(rm, NULL);
    }
    akt_msg_release(reply);

    /* 4. A tell, then the journal in order. */
    Conf__Greeting t = CONF__GREETING__INIT;
    t.text = "told";
    t.count = 7;
    CONF_OK(akt_msg_new_protobuf(&t.base, &m));
    CONF_OK(akt_tell(sys, echo, m));
    conf_wait_log(2);
    conf_flush();

    /* 5. */
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, 10 * 1000 * CONF_MS));
    CONF_OK(akt_system_release(peer));
    conf_system_finish(sys);
    return 0;
}
