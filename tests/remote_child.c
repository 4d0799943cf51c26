/* The other node of test_remote_process: a system "child" with remoting on 127.0.0.1 and
 * an ephemeral port, an "echo" actor and a "hole" actor that never answers. Prints its
 * address on one line, then lives until it is killed (or its stdin closes). */
#include <akt/akt.h>
#include <akt/remote.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    const void *data;
    size_t len;
    if (akt_msg_bytes(msg, &data, &len)) return AKT_EINVAL;
    akt_msg *r;
    if (akt_msg_new_bytes("echoed", data, len, AKT_COPY, &r)) return AKT_ENOMEM;
    if (akt_ctx_respond(ctx, r)) akt_msg_release(r);
    return 0;
}

static int hole_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)msg;
    (void)st;
    return 0;
}

int main(void) {
    akt_system_options so;
    akt_system_options_init(&so);
    so.name = "child";
    so.workers = 1;
    akt_system *sys;
    if (akt_system_create(&so, &sys) || akt_remote_start(sys, NULL)) return 2;
    akt_behavior b = {.size = sizeof b, .receive = echo_receive};
    akt_spawn_options sp;
    akt_spawn_options_init(&sp);
    akt_pid pid;
    sp.name = "echo";
    if (akt_spawn(sys, &b, NULL, &sp, &pid)) return 3;
    b.receive = hole_receive;
    sp.name = "hole";
    if (akt_spawn(sys, &b, NULL, &sp, &pid)) return 3;
    char addr[200];
    if (akt_remote_address(sys, addr, sizeof addr, NULL)) return 4;
    printf("%s\n", addr);
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return 0;
}
