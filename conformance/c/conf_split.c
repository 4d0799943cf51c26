/* The remote mode of the conformance runner, C side (conf_split.h). */
#define _GNU_SOURCE /* dladdr */
#include "conf_split.h"

#include <akt/remote.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPLIT_LINE_MAX 1024
#define SPLIT_WAIT_S 10

/* Offsets are taken from here: an object of the executable, as the behaviors are. */
static const char anchor = 0;

static struct {
    pthread_mutex_t lock; /* guards everything below but the fds */
    pthread_cond_t changed;
    int mode; /* -1 until read */
    FILE *to_b, *from_b;
    pid_t b;
    char address[256];
    long mark, asked_mark;
    int spawned; /* a "spawned" line is waiting in spawn_rc / spawn_path */
    int spawn_rc;
    char spawn_path[512];
    int down, eof;
    pthread_t reader;
} split = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER, .mode = -1};

int conf__split_mode(void) {
    if (split.mode < 0) { /* read on the main thread before any other starts */
        const char *v = getenv("AKT_CONF_REMOTE");
        if (v == NULL || *v == 0)
            split.mode = CONF_SPLIT_LOCAL;
        else if (strcmp(v, "driver") == 0)
            split.mode = CONF_SPLIT_DRIVER;
        else if (strcmp(v, "host") == 0)
            split.mode = CONF_SPLIT_HOST;
        else
            conf_fatal("AKT_CONF_REMOTE=%s: expected driver or host", v);
    }
    return split.mode;
}

/* ------------------------------------------------------------------ node B */

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* One whole line to A (stdout is the pipe A reads). */
static void host_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void host_send(const char *fmt, ...) {
    char line[SPLIT_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    pthread_mutex_lock(&out_lock);
    fputs(line, stdout);
    fflush(stdout);
    pthread_mutex_unlock(&out_lock);
}

void conf__split_log(const char *line) { host_send("log %s", line); }

static const void *from_offset(const char *text) {
    return strcmp(text, "-") == 0 ? NULL : &anchor + strtoll(text, NULL, 10);
}

static void host_serve(akt_system *system) {
    CONF_OK(akt_remote_start(system, NULL));
    char line[SPLIT_LINE_MAX], addr[256];
    CONF_OK(akt_remote_address(system, addr, sizeof addr, NULL));
    host_send("address %s", addr);
    while (fgets(line, sizeof line, stdin) != NULL) {
        line[strcspn(line, "\n")] = 0;
        char name[256], boff[32], soff[32];
        long k;
        if (sscanf(line, "spawn %255s %31s %31s", name, boff, soff) == 3) {
            akt_spawn_options options;
            akt_pid pid = {AKT_PID_NONE_ID};
            char path[512] = "-";
            CONF_OK(akt_spawn_options_init(&options));
            options.name = strcmp(name, "-") == 0 ? NULL : name;
            int rc = akt_spawn(system, from_offset(boff), (void *)from_offset(soff), &options,
                               &pid);
            if (rc == 0) rc = akt_pid_path(system, pid, path, sizeof path, NULL);
            host_send("spawned %d %s", rc, path);
        } else if (sscanf(line, "barrier %ld", &k) == 1) {
            host_send("mark %ld", k);
        } else if (strcmp(line, "finish") == 0) {
            CONF_OK(akt_system_shutdown(system, NULL, NULL));
            CONF_OK(akt_system_wait(system, (int64_t)SPLIT_WAIT_S * 1000 * CONF_MS));
            CONF_OK(akt_system_release(system));
            host_send("down");
            exit(0);
        } else {
            conf_fatal("node B: unknown command '%s'", line);
        }
    }
    _Exit(1); /* A went away */
}

/* ------------------------------------------------------------------ node A */

static void *reader_main(void *arg) {
    (void)arg;
    char line[SPLIT_LINE_MAX];
    while (fgets(line, sizeof line, split.from_b) != NULL) {
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, "log ", 4) == 0) {
            conf__journal_append(line + 4);
            continue;
        }
        pthread_mutex_lock(&split.lock);
        long k;
        int rc;
        char path[512];
        if (sscanf(line, "mark %ld", &k) == 1) {
            split.mark = k;
        } else if (sscanf(line, "spawned %d %511s", &rc, path) == 2) {
            split.spawned = 1;
            split.spawn_rc = rc;
            snprintf(split.spawn_path, sizeof split.spawn_path, "%s", path);
        } else if (strcmp(line, "down") == 0) {
            split.down = 1;
        }
        pthread_cond_broadcast(&split.changed);
        pthread_mutex_unlock(&split.lock);
    }
    pthread_mutex_lock(&split.lock);
    split.eof = 1;
    pthread_cond_broadcast(&split.changed);
    pthread_mutex_unlock(&split.lock);
    return NULL;
}

/* Waits (split.lock held) until done() holds; B gone or SPLIT_WAIT_S passed: fatal. */
static void wait_for(int (*done)(void), const char *what) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += SPLIT_WAIT_S;
    while (!done()) {
        if (split.eof) conf_fatal("node B ended while waiting for %s", what);
        if (pthread_cond_timedwait(&split.changed, &split.lock, &deadline) != 0 && !done())
            conf_fatal("waited %d s for node B's %s", SPLIT_WAIT_S, what);
    }
}

static void driver_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void driver_send(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(split.to_b, fmt, ap);
    va_end(ap);
    fputc('\n', split.to_b);
    if (fflush(split.to_b) != 0) conf_fatal("node B does not read its commands");
}

static void driver_start(akt_system *system) {
    akt_remote_options options;
    CONF_OK(akt_remote_options_init(&options));
    options.host = "127.0.0.1";
    options.port = 0;
    CONF_OK(akt_remote_start(system, &options));
    int down[2], up[2];
    if (pipe(down) != 0 || pipe(up) != 0) conf_fatal("pipe: no descriptors");
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) conf_fatal("fork failed");
    if (pid == 0) { /* node B: the same executable, in the same process group */
        dup2(down[0], 0);
        dup2(up[1], 1);
        close(down[0]);
        close(down[1]);
        close(up[0]);
        close(up[1]);
        setenv("AKT_CONF_REMOTE", "host", 1);
        execl("/proc/self/exe", "conf-node-b", (char *)NULL);
        _exit(127);
    }
    close(down[0]);
    close(up[1]);
    split.b = pid;
    split.to_b = fdopen(down[1], "w");
    split.from_b = fdopen(up[0], "r");
    char line[SPLIT_LINE_MAX];
    if (!split.to_b || !split.from_b || fgets(line, sizeof line, split.from_b) == NULL ||
        sscanf(line, "address %255s", split.address) != 1)
        conf_fatal("node B did not start");
    if (pthread_create(&split.reader, NULL, reader_main, NULL) != 0)
        conf_fatal("cannot start the reader of node B");
    /* run.py --remote checks for this line: a helper without the mode would run locally. */
    fprintf(stderr, "conformance: remote mode: the actors are on node B, %s\n", split.address);
}

void conf__split_start(akt_system *system) {
    if (conf__split_mode() == CONF_SPLIT_HOST) host_serve(system);
    driver_start(system);
}

static int marked(void) { return split.mark >= split.asked_mark; }

void conf__split_barrier(void) {
    pthread_mutex_lock(&split.lock);
    long k = ++split.asked_mark;
    driver_send("barrier %ld", k);
    wait_for(marked, "journal barrier");
    pthread_mutex_unlock(&split.lock);
}

/* "<offset>" of p from the anchor, or "-" for NULL; fatal when p is not in the executable
 * (then the same offset would not name the same object in B). */
static void offset_text(const void *p, char *out, size_t len, const char *what) {
    Dl_info here, there;
    if (p == NULL) {
        snprintf(out, len, "-");
        return;
    }
    if (!dladdr(&anchor, &here) || !dladdr(p, &there) || here.dli_fbase != there.dli_fbase)
        conf_fatal("not remote-capable: the %s given to conf_spawn is not an object of the "
                   "executable (a stack or heap address cannot reach node B)",
                   what);
    snprintf(out, len, "%lld", (long long)((intptr_t)p - (intptr_t)&anchor));
}

static int got_spawned(void) { return split.spawned; }

akt_pid conf__split_spawn(akt_system *system, const akt_behavior *behavior, void *state,
                          const char *name) {
    char boff[32], soff[32], full[800];
    offset_text(behavior, boff, sizeof boff, "behavior");
    offset_text(state, soff, sizeof soff, "state");
    if (name != NULL && strpbrk(name, " \n") != NULL) conf_fatal("a name with a space: %s", name);
    pthread_mutex_lock(&split.lock);
    split.spawned = 0;
    driver_send("spawn %s %s %s", name ? name : "-", boff, soff);
    wait_for(got_spawned, "spawn");
    int rc = split.spawn_rc;
    const char *path = strstr(split.spawn_path, "/user/");
    snprintf(full, sizeof full, "%s%s", split.address, path ? path : "/user/?");
    pthread_mutex_unlock(&split.lock);
    if (rc != 0)
        conf_fatal("spawning %s failed: %s", name ? name : "(anonymous)", akt_err_name(rc));
    akt_pid pid = {AKT_PID_NONE_ID};
    CONF_OK(akt_remote_lookup(system, full, &pid));
    return pid;
}

static int is_down(void) { return split.down; }

void conf__split_finish(void) {
    pthread_mutex_lock(&split.lock);
    driver_send("finish");
    wait_for(is_down, "shutdown");
    pthread_mutex_unlock(&split.lock);
    pthread_join(split.reader, NULL);
    fclose(split.to_b);
    fclose(split.from_b);
    int status = 0;
    if (waitpid(split.b, &status, 0) != split.b || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        conf_fatal("node B did not exit cleanly");
}

void conf__split_local_path(char *path) {
    if (strncmp(path, "akt://", 6) != 0) return;
    char *at = strchr(path + 6, '@'), *slash = strchr(path + 6, '/');
    if (at == NULL || (slash != NULL && slash < at)) return;
    if (slash == NULL) slash = at + strlen(at);
    memmove(at, slash, strlen(slash) + 1);
}
