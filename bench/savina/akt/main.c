#define _POSIX_C_SOURCE 200809L
/* akt-savina -bench=NAME [-workers=W] [-iterations=12]: runs one Savina benchmark W
 * iterations in one process (one system) and prints
 * {"impl":"akt","bench":NAME,"threads":W,"unit":"ms","times":[...]} (the raw times; run.sh
 * takes Savina's median within +-20 % of the raw median). Exits 1 if a result was wrong. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
    const char *name;
    sv_bench_fn fn;
} benches[] = {
    {"pingpong", sv_pingpong},   {"counting", sv_counting}, {"threadring", sv_threadring},
    {"chameneos", sv_chameneos}, {"big", sv_big},           {"fjthrput", sv_fjthrput},
    {"fjcreate", sv_fjcreate},
};

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    const char *which = NULL;
    int workers = 1, iterations = 12;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-bench=", 7) == 0)
            which = argv[i] + 7;
        else if (strncmp(argv[i], "-workers=", 9) == 0)
            workers = atoi(argv[i] + 9);
        else if (strncmp(argv[i], "-iterations=", 12) == 0)
            iterations = atoi(argv[i] + 12);
    }
    sv_bench_fn fn = NULL;
    for (size_t i = 0; which && i < sizeof benches / sizeof benches[0]; i++)
        if (strcmp(which, benches[i].name) == 0) fn = benches[i].fn;
    if (!fn || workers < 1 || iterations < 1) {
        fprintf(stderr, "usage: akt-savina -bench=pingpong|counting|threadring|chameneos|big|"
                        "fjthrput|fjcreate [-workers=1] [-iterations=12]\n");
        return 2;
    }
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "savina";
    o.workers = workers;
    akt_system *sys;
    sv_check(akt_system_create(&o, &sys), "system");
    sv_init(sys);
    int bad = 0;
    printf("{\"impl\":\"akt\",\"bench\":\"%s\",\"threads\":%d,\"unit\":\"ms\",\"times\":[", which,
           workers);
    for (int i = 0; i < iterations; i++) {
        double t0 = now_ms();
        int rc = fn(sys);
        double dt = now_ms() - t0;
        if (rc) {
            fprintf(stderr, "savina: %s: wrong result in iteration %d\n", which, i);
            bad = 1;
        }
        printf("%s%.3f", i ? "," : "", dt);
    }
    printf("]}\n");
    fflush(stdout);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return bad;
}
