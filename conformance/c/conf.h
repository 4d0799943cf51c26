/*
 * conf.h -- the small toolkit shared by the C conformance cases.
 *
 * Each helper here is something every binding has its own idiom for (a print, a
 * bytes message, an awaited ask, a list of lines written from callbacks); the README
 * says what each one means so that the Python, Node and Java cases can do the same.
 */
#ifndef AKT_CONF_H
#define AKT_CONF_H

#include <akt/akt.h>

#include <stddef.h>
#include <stdint.h>

/* Every case names its system "conf", so paths read akt://conf/user/... */
#define CONF_SYSTEM "conf"
/* Asks that are expected to succeed get this long: far beyond any real delay, well under
 * the runner's 30 s limit. */
#define CONF_ASK_NS (5LL * 1000 * 1000 * 1000)
#define CONF_MS (1000LL * 1000)

/* Ends the program (exit 1, message on stderr) when rc is not 0. The transcript then
 * stops short, so the runner shows where. */
void conf_check(int rc, const char *what);
#define CONF_OK(expr) conf_check((expr), #expr)
/* Ends the program (exit 1) with a message: the scenario was violated. */
void conf_fatal(const char *fmt, ...);

/* "ok" for 0, else the code's AKT_E* name. */
const char *conf_rc(int rc);

/* A system named "conf" with default options; also makes stdout line-buffered. */
akt_system *conf_system_create(void);
/* Shuts the system down, waits for the end, prints what callbacks logged meanwhile
 * (sorted: shutdown stops actors concurrently) and releases the system. */
void conf_system_finish(akt_system *system);

/* A bytes message: type plus the text as payload (copied, no NUL). Never NULL. */
akt_msg *conf_msg(const char *type, const char *text);
/* 1 if msg has this type. */
int conf_is(const akt_msg *msg, const char *type);
/* The payload as text in buf (truncated to len-1). Returns buf. */
const char *conf_text(akt_msg *msg, char *buf, size_t len);
/* The payload as a decimal integer (0 when empty or not a number). */
long conf_num(akt_msg *msg);

/* The path of pid with anonymous names ("$" + digits) written "$N", or the error name
 * when it has no path. Returns buf. */
const char *conf_path(akt_system *system, akt_pid pid, char *buf, size_t len);
/* The same for the actor running the callback. */
const char *conf_self_path(akt_ctx *ctx, char *buf, size_t len);

/* Asks and waits for the answer. Returns the first error met (from the ask itself or from
 * its future), else 0 with *reply set (release it). */
int conf_ask(akt_system *system, akt_pid to, const char *type, const char *text, int64_t timeout_ns,
             akt_msg **reply);
/* conf_ask with CONF_ASK_NS, formatted as "<reply type> <reply text>" (just the type when
 * the text is empty) or as the error name. Returns buf. */
const char *conf_ask_str(akt_system *system, akt_pid to, const char *type, const char *text,
                         char *buf, size_t len);
/* Formats a reply as conf_ask_str does. Returns buf. */
const char *conf_reply_str(akt_msg *reply, char *buf, size_t len);
/* Waits for a future and formats its result as conf_ask_str does; releases the future. */
const char *conf_future_str(akt_future *future, char *buf, size_t len);

/* Sending a bytes message; the message is released when akt did not take it. Return the
 * send's code. */
int conf_tell(akt_system *system, akt_pid to, const char *type, const char *text);
int conf_ctx_tell(akt_ctx *ctx, akt_pid to, const char *type, const char *text);
int conf_respond(akt_ctx *ctx, const char *type, const char *text);

/* Spawns a top-level actor (name NULL: anonymous); ends the program on failure. */
akt_pid conf_spawn(akt_system *system, const akt_behavior *behavior, void *state, const char *name);
/* akt_lookup that ends the program when the actor is not found. */
akt_pid conf_lookup(akt_system *system, const char *path);
/* Graceful stop, waited for: the first error (call or future), or 0. */
int conf_stop_graceful(akt_system *system, akt_pid pid);

/* A finished fact, printed now by the main flow: "<step>: <fact>\n". */
void conf_say(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The journal: callbacks (receive, pre_start, post_stop, events, deciders) never print;
 * they append a line here, from any thread. The main flow prints the journal once it has
 * waited for the effects that wrote it. */
void conf_log(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Waits until the journal holds at least n lines (ends the program after 10 s). */
void conf_wait_log(size_t n);
/* Prints the journal in the order the lines were appended, then empties it. */
void conf_flush(void);
/* Prints the journal sorted bytewise (for concurrent effects), then empties it. */
void conf_flush_sorted(void);
/* Lines currently in the journal. */
size_t conf_log_count(void);

#endif /* AKT_CONF_H */
