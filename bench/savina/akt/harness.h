/* The akt side of the Savina benchmarks (bench/savina/README.md): what every benchmark
 * shares. A benchmark is one function that runs one iteration on a running system and
 * returns 0 if its result checked out; the harness times it, 12 times per process by
 * default, and prints the raw times as one JSON line for bench/savina/run.sh. */
#ifndef SV_HARNESS_H
#define SV_HARNESS_H

#include <akt/akt.h>
#include <pthread.h>

/* The one payload every benchmark message carries: a kind and two numbers. Small enough
 * for akt's pooled message blocks (type and bytes under ~100 bytes), so a tell does not
 * reach the allocator. */
typedef struct sv_msg {
    int kind;
    int a;
    long b;
} sv_msg;

/* Registers the benchmarks' message type; once, before any sv_tell. */
void sv_init(akt_system *sys);
/* Reads the payload of msg (NULL if it is not an sv message). */
const sv_msg *sv_read(akt_msg *msg);
/* Tells to with self as the sender; exits the process on failure (a benchmark bug). */
void sv_tell(akt_ctx *ctx, akt_pid to, int kind, int a, long b);
/* Replies to the current message's sender. */
void sv_respond(akt_ctx *ctx, int kind, int a, long b);
/* Tells from outside any actor (the main thread). */
void sv_tell_ext(akt_system *sys, akt_pid to, int kind, int a, long b);
/* Spawns a top-level actor; exits on failure. */
akt_pid sv_spawn(akt_system *sys, akt_receive_fn receive, void *state, void (*free_state)(void *));
/* Prints what failed and exits with status 2 when rc is an error. */
void sv_check(int rc, const char *what);

/* Savina's stand-in for work in the fork-join benchmarks: sin(theta)^2, kept alive. */
void sv_compute(double theta);

/* One iteration's end: released once by whichever actor finishes, awaited by main. */
typedef struct sv_latch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done, ok;
} sv_latch;

void sv_latch_init(sv_latch *l);
/* ok = 1 if the result checked out. */
void sv_latch_release(sv_latch *l, int ok);
/* Returns the ok given to sv_latch_release, or 0 if nobody released it within
 * SV_LATCH_TIMEOUT_S seconds (a lost or extra message that kept the run from ending; the
 * process then exits non-zero without waiting for the stuck actors). */
#define SV_LATCH_TIMEOUT_S 120
int sv_latch_wait(sv_latch *l);
void sv_latch_destroy(sv_latch *l);

typedef int (*sv_bench_fn)(akt_system *sys);

int sv_pingpong(akt_system *sys);
int sv_counting(akt_system *sys);
int sv_threadring(akt_system *sys);
int sv_chameneos(akt_system *sys);
int sv_big(akt_system *sys);
int sv_fjthrput(akt_system *sys);
int sv_fjcreate(akt_system *sys);

#endif
