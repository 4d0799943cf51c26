/* tls: remoting over mutual TLS between two systems of one process; a node with a
 * certificate of an untrusted CA and a plaintext node are refused. */
#define _DEFAULT_SOURCE
#include "conf_remote.h"

#include <akt/remote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char certs[64];

/* echo: conf.Note "<n>" -> journals it; conf.Question "<t>" -> conf.Answer "re:<t>". */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[128], answer[160];
    (void)state;
    if (conf_is(msg, "conf.Note")) {
        conf_log("peer.note", "%s", conf_text(msg, text, sizeof text));
        return 0;
    }
    if (conf_is(msg, "conf.Question")) {
        snprintf(answer, sizeof answer, "re:%s", conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Answer", answer);
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};

/* Remoting on 127.0.0.1, an ephemeral port; with mutual TLS as `who` ("node", "rogue") or
 * without TLS (NULL). */
static void start(akt_system *system, const char *who) {
    char cert[128], key[128], ca[128];
    akt_remote_options options;
    CONF_OK(akt_remote_options_init(&options));
    options.host = "127.0.0.1";
    options.port = 0;
    if (who) {
        snprintf(cert, sizeof cert, "%s/%s.pem", certs, who);
        snprintf(key, sizeof key, "%s/%s.key", certs, who);
        snprintf(ca, sizeof ca, "%s/ca.pem", certs);
        options.tls_cert_file = cert;
        options.tls_key_file = key;
        options.tls_ca_file = ca;
        options.tls_require_client_cert = 1;
    }
    CONF_OK(akt_remote_start(system, &options));
}

static akt_pid remote(akt_system *from, const char *address) {
    akt_pid pid;
    CONF_OK(akt_remote_lookup(from, address, &pid));
    return pid;
}

static void node_end(akt_system *system) {
    CONF_OK(akt_system_shutdown(system, NULL, NULL));
    CONF_OK(akt_system_wait(system, 10 * 1000 * CONF_MS));
    CONF_OK(akt_system_release(system));
}

int main(void) {
    char buf[512], peer_address[256], echo_address[300], cmd[200];

    /* 1. The certificates, made for this run. */
    snprintf(certs, sizeof certs, "/tmp/akt-conf-tls-XXXXXX");
    if (!mkdtemp(certs)) conf_fatal("cannot make a temporary directory");
    snprintf(cmd, sizeof cmd, "sh certs.sh '%s'", certs);
    if (system(cmd) != 0) conf_fatal("certs.sh failed");
    conf_say("certs", "ok");

    /* 2. Mutual TLS on both nodes. */
    akt_system *sys = conf_system_create();
    akt_system *peer = conf_node_create("peer");
    start(sys, "node");
    start(peer, "node");
    conf_say("remote.start", "ok");
    conf_spawn(peer, &echo_behavior, NULL, "echo");
    CONF_OK(akt_remote_address(peer, peer_address, sizeof peer_address, NULL));
    snprintf(echo_address, sizeof echo_address, "%s/user/echo", peer_address);

    /* 3. An ask over mutual TLS. */
    akt_pid echo = remote(sys, echo_address);
    conf_say("ask.mtls", "%s", conf_ask_str(sys, echo, "conf.Question", "hello", buf, sizeof buf));

    /* 4. Tells arrive in the order sent. */
    CONF_OK(conf_tell(sys, echo, "conf.Note", "1"));
    CONF_OK(conf_tell(sys, echo, "conf.Note", "2"));
    CONF_OK(conf_tell(sys, echo, "conf.Note", "3"));
    conf_wait_log(3);
    conf_flush();

    /* 5. A certificate of another CA: refused. */
    akt_system *rogue = conf_node_create("rogue");
    start(rogue, "rogue");
    conf_say("ask.untrusted", "%s",
             conf_ask_str(rogue, remote(rogue, echo_address), "conf.Question", "let me in", buf,
                          sizeof buf));

    /* 6. No TLS at all: refused. */
    akt_system *plain = conf_node_create("plain");
    start(plain, NULL);
    conf_say("ask.plaintext", "%s",
             conf_ask_str(plain, remote(plain, echo_address), "conf.Question", "let me in", buf,
                          sizeof buf));

    /* 7. The peer still serves its own. */
    conf_say("ask.again", "%s",
             conf_ask_str(sys, echo, "conf.Question", "still here", buf, sizeof buf));

    /* 8. The other nodes go. */
    node_end(plain);
    node_end(rogue);
    node_end(peer);
    conf_say("peers.shutdown", "ok");

    conf_system_finish(sys);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", certs);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", certs);
    return 0;
}
