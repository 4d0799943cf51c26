/* mixed_node (C): one of the four nodes of tests/multiproc/mixed.py, the C one.
 *
 * System "cnode", remoting on 127.0.0.1 with an ephemeral port, akt.Json bound to CBOR.
 * Actors: /user/relay (forwards ring messages, answers asks), /user/watcher (watches the
 * next node's victim), /user/victim (stopped on command). It prints "ready <address>",
 * then obeys one command per stdin line and reports on stdout (the protocol is in
 * mixed.py). A JSON value arrives here as an akt.Json message: its text, decoded from CBOR.
 * Its trace sink (akt_trace_set_sink, installed at start) reports each span of a
 * "mixed.trace" message as a "span ..." line; the "otlp" command starts the OTLP exporter
 * (akt_otlp_start, to $AKT_MIXED_OTLP, service.name "cnode"), which replaces that sink: from
 * then on the spans go to mixed.py's receiver. */
#include <akt/akt.h>
#include <akt/remote.h>
#include <akt/telemetry.h>

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ME "cnode"
#define RING 4
#define ASK_NS (10LL * 1000 * 1000 * 1000)
#define TRACE_TYPE "mixed.trace" /* a traced ring message: bytes, the nodes it passed */
#define OTLP_FLUSH_MS 100        /* the exporter's batch interval (and metric readings) */

static const char PAYLOAD[] =
    "{\"text\":\"h\\u00e9llo w\\u00f6rld\",\"n\":42,\"neg\":-7,\"f\":2.5,\"t\":true,"
    "\"nil\":null,\"list\":[1,\"two\",3.25,false],\"nested\":{\"a\":{\"b\":[]}}}";

static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t next_mu = PTHREAD_MUTEX_INITIALIZER;
static akt_pid next_relay = {AKT_PID_NONE_ID};
static json_t *payload;

/* One protocol line on stdout, whole (actors and the main thread both report). */
static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&out_mu);
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout);
    pthread_mutex_unlock(&out_mu);
    va_end(ap);
}

static const char *rc_name(int rc) { return rc ? akt_err_name(rc) : "ok"; }

static akt_msg *json_msg(json_t *v) {
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    akt_msg *m = NULL;
    if (text == NULL || akt_msg_new_bytes(AKT_TYPE_JSON, text, strlen(text), AKT_COPY, &m))
        m = NULL;
    free(text);
    return m;
}

/* The value of an akt.Json message, or NULL (and a "bad" line) for anything else. */
static json_t *json_of(akt_msg *msg) {
    const void *data;
    size_t len;
    if (strcmp(akt_msg_type(msg), AKT_TYPE_JSON) != 0 || akt_msg_bytes(msg, &data, &len)) {
        say("bad not akt.Json: %s", akt_msg_type(msg));
        return NULL;
    }
    json_error_t err;
    json_t *v = json_loadb(data, len, 0, &err);
    if (v == NULL || !json_is_object(v)) {
        say("bad not a JSON object: %.*s", (int)len, (const char *)data);
        json_decref(v);
        return NULL;
    }
    return v;
}

static void report(const char *what, json_t *v) {
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    say("%s akt.Json %s", what, text ? text : "?");
    free(text);
}

static void hex(char *out, const uint8_t *id, size_t n) {
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", id[i]);
}

/* The trace sink: a "span <trace id> <span id> <parent id> <actor path> <message type>
 * <flags>" line for each handled "mixed.trace" message (a root's parent id is 16 zeros,
 * flags two hex digits). */
static void trace_sink(const akt_span *sp, void *data) {
    (void)data;
    if (strcmp(sp->message_type, TRACE_TYPE) != 0) return;
    char t[33], s[17], p[17];
    hex(t, sp->trace_id, 16);
    hex(s, sp->span_id, 8);
    hex(p, sp->parent_id, 8);
    say("span %s %s %s %s %s %02x", t, s, p, sp->actor_path, sp->message_type, sp->flags);
}

/* A trace message's text is the nodes it passed, comma-separated: forwarded with this
 * node added until it passed all of them (back at its origin: "trace-home <nodes>"). The
 * send inside receive carries this span's traceparent (akt adds it). */
static int relay_trace(akt_ctx *ctx, akt_msg *msg) {
    const void *data;
    size_t len;
    char text[256];
    if (akt_msg_bytes(msg, &data, &len) || len + sizeof "," ME > sizeof text) {
        say("bad trace message");
        return 0;
    }
    memcpy(text, data, len);
    text[len] = 0;
    int passed = 1;
    for (size_t i = 0; i < len; i++) passed += text[i] == ',';
    if (passed >= RING) {
        say("trace-home %s", text);
        return 0;
    }
    strcat(text, "," ME);
    pthread_mutex_lock(&next_mu);
    akt_pid to = next_relay;
    pthread_mutex_unlock(&next_mu);
    akt_msg *m = NULL;
    int rc = akt_msg_new_bytes(TRACE_TYPE, text, strlen(text), AKT_COPY, &m);
    if (rc == 0 && (rc = akt_ctx_tell(ctx, to, m)) != 0) akt_msg_release(m);
    if (rc) say("bad trace forward %s", akt_err_name(rc));
    return 0;
}

static int relay_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (strcmp(akt_msg_type(msg), TRACE_TYPE) == 0) return relay_trace(ctx, msg);
    json_t *v = json_of(msg);
    if (v == NULL) return 0;
    if (!json_equal(json_object_get(v, "payload"), payload)) report("bad payload differs", v);
    int rc = 0;
    if (json_object_get(v, "q") != NULL) { /* an ask: the answer carries what came */
        json_t *a = json_pack("{s:O,s:s,s:O}", "a", json_object_get(v, "q"), "by", ME, "echo", v);
        akt_msg *r = a ? json_msg(a) : NULL;
        json_decref(a);
        if (r == NULL || (rc = akt_ctx_respond(ctx, r)) != 0) {
            if (r) akt_msg_release(r);
            say("bad respond %s", akt_err_name(rc ? rc : AKT_ENOMEM));
        }
        json_decref(v);
        return 0;
    }
    report("got", v);
    json_t *path = json_object_get(v, "path");
    if (!json_is_array(path)) {
        json_decref(v);
        return 0;
    }
    if (json_array_size(path) >= RING) {
        report("home", v);
        json_decref(v);
        return 0;
    }
    json_array_append_new(path, json_string(ME));
    json_object_set_new(v, "hops", json_integer((json_int_t)json_array_size(path) - 1));
    pthread_mutex_lock(&next_mu);
    akt_pid to = next_relay;
    pthread_mutex_unlock(&next_mu);
    akt_msg *m = json_msg(v);
    if (m == NULL || (rc = akt_ctx_tell(ctx, to, m)) != 0) {
        if (m) akt_msg_release(m);
        say("bad forward %s", akt_err_name(rc ? rc : AKT_ENOMEM));
    }
    json_decref(v);
    return 0;
}

/* The watcher's state: the paths of the pids it watches (a gone pid may not tell its path
 * any more); only its own receive touches it, one message at a time. */
typedef struct {
    akt_pid pid[8];
    char path[8][512];
    int n;
} watched;

static int watcher_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    watched *w = state;
    akt_system *sys = NULL;
    char buf[512];
    akt_ctx_system(ctx, &sys);
    if (strcmp(akt_msg_type(msg), AKT_TYPE_TERMINATED) == 0) {
        akt_pid gone;
        const char *path = "?";
        if (akt_msg_pid(msg, &gone) == 0)
            for (int i = 0; i < w->n; i++)
                if (w->pid[i].id == gone.id) path = w->path[i];
        say("terminated %s", path);
        return 0;
    }
    if (strcmp(akt_msg_type(msg), "watch") == 0) {
        const void *data;
        size_t len;
        akt_pid pid;
        int rc = akt_msg_bytes(msg, &data, &len);
        if (rc == 0 && len < sizeof buf) {
            memcpy(buf, data, len);
            buf[len] = 0;
            rc = akt_remote_lookup(sys, buf, &pid);
        }
        if (rc == 0 && w->n == 8) rc = AKT_EFULL;
        if (rc == 0) rc = akt_pid_path(sys, pid, w->path[w->n], sizeof w->path[0], NULL);
        if (rc == 0) rc = akt_ctx_watch(ctx, pid);
        if (rc == 0) w->pid[w->n++] = pid;
        akt_msg *r = NULL;
        const char *name = rc ? akt_err_name(rc) : "ok";
        if (akt_msg_new_bytes("watched", name, strlen(name), AKT_COPY, &r) == 0 &&
            akt_ctx_respond(ctx, r) != 0)
            akt_msg_release(r);
        return 0;
    }
    return AKT_EUNHANDLED;
}

static int victim_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)msg;
    (void)state;
    return AKT_EUNHANDLED;
}

static akt_pid spawn(akt_system *sys, akt_receive_fn receive, void *state, const char *name) {
    akt_behavior b = {.size = sizeof b, .receive = receive};
    akt_spawn_options so;
    akt_spawn_options_init(&so);
    so.name = name;
    akt_pid pid = {AKT_PID_NONE_ID};
    int rc = akt_spawn(sys, &b, state, &so, &pid);
    if (rc) {
        fprintf(stderr, "mixed_node(c): spawning %s: %s\n", name, akt_err_name(rc));
        exit(1);
    }
    return pid;
}

static int ask_json(akt_system *sys, akt_pid to, akt_msg *m, akt_msg **reply) {
    akt_future *f = NULL;
    int rc = akt_ask(sys, to, m, ASK_NS, &f);
    if (rc) {
        akt_msg_release(m);
        return rc;
    }
    rc = akt_future_wait(f, ASK_NS, reply);
    akt_future_release(f);
    return rc;
}

int main(void) {
    akt_system_options opts;
    akt_system *sys = NULL;
    akt_system_options_init(&opts);
    opts.name = ME;
    json_error_t jerr;
    payload = json_loads(PAYLOAD, 0, &jerr);
    akt_remote_options ro;
    akt_remote_options_init(&ro);
    ro.host = "127.0.0.1";
    ro.port = 0;
    if (payload == NULL || akt_system_create(&opts, &sys) ||
        akt_serializer_bind(sys, AKT_TYPE_JSON, AKT_SERIALIZER_CBOR) ||
        akt_trace_set_sink(sys, trace_sink, NULL) || akt_remote_start(sys, &ro)) {
        fprintf(stderr, "mixed_node(c): the node did not start\n");
        return 1;
    }
    spawn(sys, relay_receive, NULL, "relay");
    static watched w;
    akt_pid watcher = spawn(sys, watcher_receive, &w, "watcher");
    akt_pid victim = spawn(sys, victim_receive, NULL, "victim");
    char addr[256], next_addr[256] = "", line[1024], buf[512];
    akt_remote_address(sys, addr, sizeof addr, NULL);
    say("ready %s", addr);

    while (fgets(line, sizeof line, stdin) != NULL) {
        line[strcspn(line, "\n")] = 0;
        char *arg = strchr(line, ' ');
        if (arg) *arg++ = 0;
        if (strcmp(line, "next") == 0 && arg) {
            snprintf(next_addr, sizeof next_addr, "%s", arg);
            snprintf(buf, sizeof buf, "%s/user/relay", next_addr);
            akt_pid p;
            int rc = akt_remote_lookup(sys, buf, &p);
            pthread_mutex_lock(&next_mu);
            next_relay = p;
            pthread_mutex_unlock(&next_mu);
            say("next %s", rc_name(rc));
        } else if (strcmp(line, "round") == 0 && arg) {
            long n = strtol(arg, NULL, 10);
            for (long i = 0; i < n; i++) {
                json_t *v = json_pack("{s:s,s:i,s:i,s:[s],s:O}", "origin", ME, "seq", (int)i,
                                      "hops", 0, "path", ME, "payload", payload);
                akt_msg *m = json_msg(v);
                json_decref(v);
                int rc = m ? akt_tell(sys, next_relay, m) : AKT_ENOMEM;
                if (rc) {
                    if (m) akt_msg_release(m);
                    say("bad tell %ld %s", i, akt_err_name(rc));
                }
            }
            say("told %ld", n);
        } else if (strcmp(line, "trace") == 0 && arg) {
            /* trace <traceparent>: a trace message into the ring, its parent span the one
             * mixed.py chose (the first relay's span is that span's child). */
            akt_msg *m = NULL;
            int rc = akt_msg_new_bytes(TRACE_TYPE, ME, strlen(ME), AKT_COPY, &m);
            if (rc == 0) rc = akt_msg_set_header(m, AKT_TRACEPARENT_HEADER, arg, strlen(arg));
            if (rc == 0) rc = akt_tell(sys, next_relay, m);
            if (rc && m) akt_msg_release(m);
            if (rc) say("bad trace %s", akt_err_name(rc));
            say("traced %s", arg);
        } else if (strcmp(line, "otlp") == 0) {
            /* otlp: the exporter to $AKT_MIXED_OTLP; it installs the system's trace sink in
             * place of trace_sink (one sink per system). */
            akt_otlp_options oo;
            akt_otlp_options_init(&oo);
            oo.endpoint = getenv("AKT_MIXED_OTLP");
            oo.service_name = ME;
            oo.flush_interval_ms = OTLP_FLUSH_MS;
            int rc = oo.endpoint ? akt_otlp_start(sys, &oo) : AKT_EINVAL;
            if (rc)
                say("bad otlp %s", akt_err_name(rc));
            else
                say("otlp ok");
        } else if (strcmp(line, "ask") == 0 && arg) {
            long n = strtol(arg, NULL, 10);
            for (long i = 0; i < n; i++) {
                json_t *v = json_pack("{s:i,s:s,s:O}", "q", (int)i, "from", ME, "payload", payload);
                akt_msg *m = json_msg(v), *reply = NULL;
                json_decref(v);
                int rc = m ? ask_json(sys, next_relay, m, &reply) : AKT_ENOMEM;
                if (rc) {
                    say("bad ask %ld %s", i, akt_err_name(rc));
                    continue;
                }
                json_t *a = json_of(reply);
                if (a) report("answer", a);
                json_decref(a);
                akt_msg_release(reply);
            }
        } else if (strcmp(line, "watch") == 0) {
            snprintf(buf, sizeof buf, "%s/user/victim", next_addr);
            akt_msg *m = NULL, *reply = NULL;
            akt_msg_new_bytes("watch", buf, strlen(buf), AKT_COPY, &m);
            int rc = ask_json(sys, watcher, m, &reply);
            const void *data = "";
            size_t len = 0;
            if (rc == 0) akt_msg_bytes(reply, &data, &len);
            say("watching %.*s", rc ? 0 : (int)len, (const char *)data);
            if (rc) say("bad watch %s", akt_err_name(rc));
            if (reply) akt_msg_release(reply);
        } else if (strcmp(line, "stop") == 0) {
            say("stopped %s", rc_name(akt_stop(sys, victim)));
        } else if (strcmp(line, "quit") == 0) {
            break;
        } else {
            say("bad command %s", line);
        }
    }
    akt_system_shutdown(sys, NULL, NULL);
    int rc = akt_system_wait(sys, ASK_NS);
    akt_system_release(sys);
    json_decref(payload);
    say("bye %s", rc_name(rc));
    return rc ? 1 : 0;
}
