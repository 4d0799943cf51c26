/* interop: a C actor (peer.h) and host-language actors; here the host language is C. */
#include "conf.h"
#include "peer.h"

#include <stdio.h>
#include <string.h>

/* host: conf.Start "<t>" -> tells peer conf.Question "<t>" as itself, responds
 * conf.Started; conf.Answer -> journal; conf.Watch -> watches peer; Terminated -> journal. */
static int host_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_system *sys = NULL;
    akt_pid peer, sender;
    char text[64], path[256], answer[160];
    CONF_OK(akt_ctx_system(ctx, &sys));
    if (conf_is(msg, "conf.Start")) {
        CONF_OK(akt_lookup(sys, "peer", &peer));
        CONF_OK(conf_ctx_tell(ctx, peer, "conf.Question", conf_text(msg, text, sizeof text)));
        return conf_respond(ctx, "conf.Started", "");
    }
    if (conf_is(msg, "conf.Answer")) {
        CONF_OK(akt_ctx_sender(ctx, &sender));
        conf_log("host", "%s from=%s", conf_reply_str(msg, answer, sizeof answer),
                 sender.id == AKT_PID_NONE_ID ? "-" : conf_path(sys, sender, path, sizeof path));
        return 0;
    }
    if (conf_is(msg, "conf.Watch")) {
        int rc = akt_lookup(sys, "peer", &peer);
        if (rc == 0) rc = akt_ctx_watch(ctx, peer);
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    if (conf_is(msg, AKT_TYPE_TERMINATED)) {
        /* The only actor host watches is peer, which had this path. */
        conf_log("terminated", "akt://conf/user/peer");
        return 0;
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior host_behavior = {.size = sizeof(akt_behavior), .receive = host_receive};

/* ---- host objects: a C object message stands for a host language's in-process object. */

static void object_release(void *object, void *ops_data) { (void)object, (void)ops_data; }

static int text_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                         akt_free_fn *free_fn) {
    (void)ops_data;
    *data = object;
    *len = strlen(object);
    *free_fn = AKT_BORROW; /* the text lives as long as the object (static storage) */
    return 0;
}

static const akt_object_ops text_ops = {
    .size = sizeof(akt_object_ops), .release = object_release, .to_bytes = text_to_bytes};
static const akt_object_ops opaque_ops = {.size = sizeof(akt_object_ops),
                                          .release = object_release};

static const char *ask_object(akt_system *sys, akt_pid to, const char *type,
                              const akt_object_ops *ops, void *object, char *buf, size_t len) {
    akt_msg *msg = NULL;
    akt_future *future = NULL;
    CONF_OK(akt_msg_new_object(type, object, ops, &msg));
    int rc = akt_ask(sys, to, msg, CONF_ASK_NS, &future);
    if (rc != 0) {
        akt_msg_release(msg);
        snprintf(buf, len, "%s", akt_err_name(rc));
        return buf;
    }
    return conf_future_str(future, buf, len);
}

/* A tell of a host object as a binding makes it (issue 17): to an actor that is not one of
 * the host's (its receive is another's, akt_pid_receive) the object must have bytes, or the
 * tell is refused at the sender and nothing is delivered. "accepted" or "refused <code>". */
static const char *tell_object(akt_system *sys, akt_pid to, const char *type,
                               const akt_object_ops *ops, void *object) {
    akt_msg *msg = NULL;
    CONF_OK(akt_msg_new_object(type, object, ops, &msg));
    akt_receive_fn reader = NULL;
    const void *data = NULL;
    size_t len = 0;
    int rc = akt_pid_receive(sys, to, &reader);
    if (rc == 0 && reader && reader != host_receive) rc = akt_msg_bytes(msg, &data, &len);
    if (rc == 0) rc = akt_tell(sys, to, msg);
    if (rc != 0) {
        akt_msg_release(msg);
        static char refused[64];
        snprintf(refused, sizeof refused, "refused %s", akt_err_name(rc));
        return refused;
    }
    return "accepted";
}

int main(void) {
    static char text_object[] = "text-object";
    static int opaque_object;
    char buf[256];
    akt_system *sys = conf_system_create();

    /* 1. The C actor answers a bytes question. */
    akt_pid peer = conf_spawn(sys, &conf_peer_behavior, NULL, "peer");
    conf_say("ask.peer", "%s", conf_ask_str(sys, peer, "conf.Question", "hello", buf, sizeof buf));

    /* 2. A host actor tells the C actor as itself; the C actor answers the host actor. */
    akt_pid host = conf_spawn(sys, &host_behavior, NULL, "host");
    conf_say("start.host", "%s",
             conf_ask_str(sys, host, "conf.Start", "from-host", buf, sizeof buf));
    conf_wait_log(1);
    conf_flush();

    /* 3. A host object reaches C as its bytes ... */
    conf_say("object.text", "%s",
             ask_object(sys, peer, "conf.TextObject", &text_ops, text_object, buf, sizeof buf));
    /* 4. ... and one without bytes is refused at the sender: a C actor could not read it. */
    conf_say("object.opaque", "%s",
             tell_object(sys, peer, "conf.OpaqueObject", &opaque_ops, &opaque_object));

    /* 5. Death watch across the language line. */
    conf_say("watch.peer", "%s", conf_ask_str(sys, host, "conf.Watch", "", buf, sizeof buf));
    conf_say("stop.peer", "%s", conf_rc(conf_stop_graceful(sys, peer)));
    conf_wait_log(1);
    conf_flush();

    conf_system_finish(sys);
    return 0;
}
