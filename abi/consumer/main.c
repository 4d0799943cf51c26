/* A program outside the akt tree, built only from what `make install` ships: the header,
 * libakt.so and either the CMake package or akt.pc. It does one real round trip (spawn,
 * ask, reply, shutdown) so a package that links but cannot run is caught too. */
#include <akt/akt.h>

#include <stdio.h>
#include <string.h>

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (akt_msg_retain(msg) != 0) {
        return AKT_EFAILED;
    }
    int rc = akt_ctx_respond(ctx, msg);
    if (rc != 0) {
        akt_msg_release(msg);
    }
    return rc;
}

static int fail(const char *what, int rc) {
    fprintf(stderr, "consumer: %s: %s (%s)\n", what, akt_err_name(rc), akt_strerror(rc));
    return 1;
}

int main(void) {
    /* The header the program was compiled with must match the library it loaded. */
    if (akt_version() != (unsigned)AKT_VERSION_HEX) {
        fprintf(stderr, "consumer: header %#x, library %#x\n", (unsigned)AKT_VERSION_HEX,
                akt_version());
        return 1;
    }
    akt_system_options opts;
    akt_system_options_init(&opts);
    opts.name = "consumer";
    opts.workers = 1;
    akt_system *sys = NULL;
    int rc = akt_system_create(&opts, &sys);
    if (rc != 0) {
        return fail("akt_system_create", rc);
    }
    akt_behavior echo = {.size = sizeof echo, .receive = echo_receive};
    akt_pid pid;
    akt_msg *ping = NULL;
    akt_future *future = NULL;
    akt_msg *reply = NULL;
    const void *data = NULL;
    size_t len = 0;
    if ((rc = akt_spawn(sys, &echo, NULL, NULL, &pid)) != 0) {
        return fail("akt_spawn", rc);
    }
    if ((rc = akt_msg_new_bytes("consumer.Ping", "ping", 4, AKT_BORROW, &ping)) != 0) {
        return fail("akt_msg_new_bytes", rc);
    }
    if ((rc = akt_ask(sys, pid, ping, 5000000000LL, &future)) != 0) {
        return fail("akt_ask", rc);
    }
    if ((rc = akt_future_wait(future, -1, &reply)) != 0) {
        return fail("akt_future_wait", rc);
    }
    if ((rc = akt_msg_bytes(reply, &data, &len)) != 0) {
        return fail("akt_msg_bytes", rc);
    }
    if (len != 4 || memcmp(data, "ping", 4) != 0) {
        fprintf(stderr, "consumer: wrong reply (%zu bytes)\n", len);
        return 1;
    }
    akt_msg_release(reply);
    akt_future_release(future);
    if ((rc = akt_system_shutdown(sys, NULL, NULL)) != 0) {
        return fail("akt_system_shutdown", rc);
    }
    if ((rc = akt_system_wait(sys, 5000000000LL)) != 0) {
        return fail("akt_system_wait", rc);
    }
    akt_system_release(sys);
    printf("consumer: akt %s round trip ok\n", akt_version_string());
    return 0;
}
