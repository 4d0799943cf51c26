/* conf.c -- the helpers behind conf.h. */
/* pthreads rather than C11 threads.h: glibc's mtx_* bypass the sanitizers' interceptors,
 * so TSan would report the journal as racy. */
#define _POSIX_C_SOURCE 200809L
#include "conf.h"
#include "conf_split.h"

#include <pthread.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONF_LINE_MAX 1024
#define CONF_WAIT_LIMIT_S 10

/* run.py --remote (conf_split.h): local unless conf_split.c is linked in. */
static int split_mode(void) { return conf__split_mode ? conf__split_mode() : CONF_SPLIT_LOCAL; }

/* ------------------------------------------------------------------ failures */

void conf_fatal(const char *fmt, ...) {
    va_list ap;
    fflush(stdout);
    fputs("conformance: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    /* _Exit: akt threads may still be running; skip atexit work that could race them. */
    _Exit(1);
}

void conf_check(int rc, const char *what) {
    if (rc != 0) conf_fatal("%s failed: %s (%s)", what, akt_err_name(rc), akt_strerror(rc));
}

const char *conf_rc(int rc) { return rc == 0 ? "ok" : akt_err_name(rc); }

/* ------------------------------------------------------------------ journal */

static struct {
    pthread_mutex_t lock; /* guards lines/count/cap and stdout writes */
    pthread_cond_t grown; /* signalled on every append; waits use CLOCK_MONOTONIC */
    pthread_once_t once;
    char **lines;
    size_t count, cap;
} journal = {.lock = PTHREAD_MUTEX_INITIALIZER, .once = PTHREAD_ONCE_INIT};

static void journal_init(void) {
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0 ||
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&journal.grown, &attr) != 0)
        conf_fatal("cannot create the journal's condition variable");
    pthread_condattr_destroy(&attr);
}

static void journal_lock(void) {
    pthread_once(&journal.once, journal_init);
    pthread_mutex_lock(&journal.lock);
}

static void journal_unlock(void) { pthread_mutex_unlock(&journal.lock); }

static void format_line(char *out, size_t len, const char *step, const char *fmt, va_list ap) {
    int n = snprintf(out, len, "%s: ", step);
    if (n < 0 || (size_t)n >= len) conf_fatal("step name too long: %s", step);
    vsnprintf(out + n, len - (size_t)n, fmt, ap);
}

void conf_say(const char *step, const char *fmt, ...) {
    char line[CONF_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    format_line(line, sizeof line, step, fmt, ap);
    va_end(ap);
    /* Under the journal lock so that a say never lands inside a flush. */
    journal_lock();
    puts(line);
    journal_unlock();
}

void conf_log(const char *step, const char *fmt, ...) {
    char line[CONF_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    format_line(line, sizeof line, step, fmt, ap);
    va_end(ap);
    if (split_mode() == CONF_SPLIT_HOST) { /* node B: the line goes to the driver */
        conf__split_log(line);
        return;
    }
    conf__journal_append(line);
}

void conf__journal_append(const char *line) {
    char *copy = malloc(strlen(line) + 1);
    if (copy == NULL) conf_fatal("out of memory");
    strcpy(copy, line);
    journal_lock();
    if (journal.count == journal.cap) {
        size_t cap = journal.cap ? journal.cap * 2 : 16;
        char **lines = realloc(journal.lines, cap * sizeof *lines);
        if (lines == NULL) conf_fatal("out of memory");
        journal.lines = lines;
        journal.cap = cap;
    }
    journal.lines[journal.count++] = copy;
    pthread_cond_broadcast(&journal.grown);
    journal_unlock();
}

size_t conf_log_count(void) {
    journal_lock();
    size_t n = journal.count;
    journal_unlock();
    return n;
}

void conf_wait_log(size_t n) {
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += CONF_WAIT_LIMIT_S;
    journal_lock();
    while (journal.count < n) {
        if (pthread_cond_timedwait(&journal.grown, &journal.lock, &deadline) != 0 &&
            journal.count < n) {
            size_t have = journal.count;
            for (size_t i = 0; i < have; i++)
                fprintf(stderr, "journal[%zu] = %s\n", i, journal.lines[i]);
            journal_unlock();
            conf_fatal("waited %d s for %zu journal lines, have %zu", CONF_WAIT_LIMIT_S, n, have);
        }
    }
    journal_unlock();
}

static int compare_lines(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void flush(int sorted) {
    journal_lock();
    if (sorted && journal.count > 1) /* qsort's base must not be NULL */
        qsort(journal.lines, journal.count, sizeof *journal.lines, compare_lines);
    for (size_t i = 0; i < journal.count; i++) {
        puts(journal.lines[i]);
        free(journal.lines[i]);
    }
    journal.count = 0;
    journal_unlock();
}

/* In the runner's remote mode the lines of node B's actors come over a pipe: everything B
 * journaled before the effects waited for is in first. */
void conf_flush(void) {
    if (split_mode() == CONF_SPLIT_DRIVER) conf__split_barrier();
    flush(0);
}

void conf_flush_sorted(void) {
    if (split_mode() == CONF_SPLIT_DRIVER) conf__split_barrier();
    flush(1);
}

/* ------------------------------------------------------------------ system */

akt_system *conf_system_create(void) {
    akt_system_options options;
    akt_system *system = NULL;
    /* Line-buffered, so a crash still leaves every finished line for the diff. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    CONF_OK(akt_system_options_init(&options));
    options.name = CONF_SYSTEM;
    CONF_OK(akt_system_create(&options, &system));
    /* run.py --remote: node B serves here (never returns), node A starts B. */
    if (split_mode() != CONF_SPLIT_LOCAL) conf__split_start(system);
    return system;
}

void conf_system_finish(akt_system *system) {
    /* Remote mode: B's actors stop first, their post_stop lines arrive before B's "down". */
    if (split_mode() == CONF_SPLIT_DRIVER) conf__split_finish();
    CONF_OK(akt_system_shutdown(system, NULL, NULL));
    CONF_OK(akt_system_wait(system, (int64_t)CONF_WAIT_LIMIT_S * 1000 * CONF_MS));
    flush(1);
    CONF_OK(akt_system_release(system));
    conf_say("end", "shutdown complete");
}

/* ------------------------------------------------------------------ messages */

akt_msg *conf_msg(const char *type, const char *text) {
    akt_msg *msg = NULL;
    CONF_OK(akt_msg_new_bytes(type, text, strlen(text), AKT_COPY, &msg));
    return msg;
}

int conf_is(const akt_msg *msg, const char *type) {
    const char *t = akt_msg_type(msg);
    return t != NULL && strcmp(t, type) == 0;
}

const char *conf_text(akt_msg *msg, char *buf, size_t len) {
    const void *data = NULL;
    size_t n = 0;
    CONF_OK(akt_msg_bytes(msg, &data, &n));
    if (n >= len) n = len - 1;
    if (n > 0) memcpy(buf, data, n);
    buf[n] = '\0';
    return buf;
}

long conf_num(akt_msg *msg) {
    char text[32];
    return strtol(conf_text(msg, text, sizeof text), NULL, 10);
}

/* ------------------------------------------------------------------ paths */

/* Anonymous names carry a counter that other actors (a binding's own, say) can move;
 * "$N" keeps transcripts equal across languages. The result is never longer. */
static void normalize_anonymous(char *path) {
    size_t len = strlen(path);
    char *copy = malloc(len + 1);
    if (copy == NULL) conf_fatal("out of memory");
    memcpy(copy, path, len + 1);
    char *out = path;
    for (const char *in = copy; *in != '\0';) {
        if (in[0] == '$' && in[1] >= '0' && in[1] <= '9') {
            *out++ = '$';
            *out++ = 'N';
            for (in++; *in >= '0' && *in <= '9'; in++)
                ;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    free(copy);
}

const char *conf_path(akt_system *system, akt_pid pid, char *buf, size_t len) {
    int rc = akt_pid_path(system, pid, buf, len, NULL);
    if (rc != 0) {
        snprintf(buf, len, "%s", akt_err_name(rc));
        return buf;
    }
    if (split_mode() == CONF_SPLIT_DRIVER) conf__split_local_path(buf);
    normalize_anonymous(buf);
    return buf;
}

const char *conf_self_path(akt_ctx *ctx, char *buf, size_t len) {
    akt_system *system = NULL;
    akt_pid self;
    CONF_OK(akt_ctx_system(ctx, &system));
    CONF_OK(akt_ctx_self(ctx, &self));
    return conf_path(system, self, buf, len);
}

/* ------------------------------------------------------------------ asks */

static int wait_future(akt_future *future, akt_msg **reply) {
    int rc = akt_future_wait(future, (int64_t)CONF_WAIT_LIMIT_S * 1000 * CONF_MS, reply);
    akt_future_release(future);
    if (rc == AKT_EAGAIN) conf_fatal("a future did not complete in %d s", CONF_WAIT_LIMIT_S);
    return rc;
}

int conf_ask(akt_system *system, akt_pid to, const char *type, const char *text, int64_t timeout_ns,
             akt_msg **reply) {
    akt_msg *msg = conf_msg(type, text);
    akt_future *future = NULL;
    /* The blocking ask (the bindings' ask_sync / askSync are built on it). */
    int rc = akt_ask_wait(system, to, msg, timeout_ns, NULL,
                          (int64_t)CONF_WAIT_LIMIT_S * 1000 * CONF_MS, &future, reply);
    if (future == NULL) {
        akt_msg_release(msg); /* not taken on failure */
        return rc;
    }
    akt_future_release(future);
    if (rc == AKT_EAGAIN) conf_fatal("a future did not complete in %d s", CONF_WAIT_LIMIT_S);
    return rc;
}

const char *conf_reply_str(akt_msg *reply, char *buf, size_t len) {
    char text[256];
    conf_text(reply, text, sizeof text);
    if (text[0] == '\0')
        snprintf(buf, len, "%s", akt_msg_type(reply));
    else
        snprintf(buf, len, "%s %s", akt_msg_type(reply), text);
    return buf;
}

static const char *result_str(int rc, akt_msg *reply, char *buf, size_t len) {
    if (rc != 0) {
        snprintf(buf, len, "%s", akt_err_name(rc));
        return buf;
    }
    conf_reply_str(reply, buf, len);
    akt_msg_release(reply);
    return buf;
}

const char *conf_ask_str(akt_system *system, akt_pid to, const char *type, const char *text,
                         char *buf, size_t len) {
    akt_msg *reply = NULL;
    int rc = conf_ask(system, to, type, text, CONF_ASK_NS, &reply);
    return result_str(rc, reply, buf, len);
}

const char *conf_future_str(akt_future *future, char *buf, size_t len) {
    akt_msg *reply = NULL;
    int rc = wait_future(future, &reply);
    return result_str(rc, reply, buf, len);
}

/* ------------------------------------------------------------------ sending */

int conf_tell(akt_system *system, akt_pid to, const char *type, const char *text) {
    akt_msg *msg = conf_msg(type, text);
    int rc = akt_tell(system, to, msg);
    if (rc != 0) akt_msg_release(msg);
    return rc;
}

int conf_ctx_tell(akt_ctx *ctx, akt_pid to, const char *type, const char *text) {
    akt_msg *msg = conf_msg(type, text);
    int rc = akt_ctx_tell(ctx, to, msg);
    if (rc != 0) akt_msg_release(msg);
    return rc;
}

int conf_respond(akt_ctx *ctx, const char *type, const char *text) {
    akt_msg *msg = conf_msg(type, text);
    int rc = akt_ctx_respond(ctx, msg);
    if (rc != 0) akt_msg_release(msg);
    return rc;
}

/* ------------------------------------------------------------------ actors */

akt_pid conf_spawn(akt_system *system, const akt_behavior *behavior, void *state,
                   const char *name) {
    akt_spawn_options options;
    akt_pid pid = {AKT_PID_NONE_ID};
    if (split_mode() == CONF_SPLIT_DRIVER) /* run.py --remote: on node B */
        return conf__split_spawn(system, behavior, state, name);
    CONF_OK(akt_spawn_options_init(&options));
    options.name = name;
    int rc = akt_spawn(system, behavior, state, &options, &pid);
    if (rc != 0)
        conf_fatal("spawning %s failed: %s", name ? name : "(anonymous)", akt_err_name(rc));
    return pid;
}

akt_pid conf_lookup(akt_system *system, const char *path) {
    akt_pid pid = {AKT_PID_NONE_ID};
    int rc = akt_lookup(system, path, &pid);
    if (rc != 0) conf_fatal("lookup of %s failed: %s", path, akt_err_name(rc));
    return pid;
}

int conf_stop_graceful(akt_system *system, akt_pid pid) {
    akt_future *future = NULL;
    int rc = akt_stop_graceful(system, pid, CONF_ASK_NS, &future);
    if (rc != 0) return rc;
    akt_msg *reply = NULL;
    rc = wait_future(future, &reply);
    if (reply != NULL) akt_msg_release(reply);
    return rc;
}
