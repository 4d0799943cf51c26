/* pubsub: topics, counts, unsubscribe, a stopped subscriber, a callback subscription. */
#define _POSIX_C_SOURCE 200809L
#include "conf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* conf.News -> journal "<name>: <text> from <sender path | none>". */
static int sub_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    const char *name = state;
    if (!conf_is(msg, "conf.News")) return AKT_EUNHANDLED;
    akt_system *sys = NULL;
    akt_pid from = {0};
    char text[64], path[128] = "none";
    CONF_OK(akt_ctx_system(ctx, &sys));
    CONF_OK(akt_ctx_sender(ctx, &from));
    if (from.id) conf_path(sys, from, path, sizeof path);
    conf_log(name, "%s from %s", conf_text(msg, text, sizeof text), path);
    return 0;
}

/* conf.Publish "<topic> <text>" -> publishes conf.News <text> to <topic>. */
static int publisher_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (!conf_is(msg, "conf.Publish")) return AKT_EUNHANDLED;
    akt_system *sys = NULL;
    char buf[128];
    CONF_OK(akt_ctx_system(ctx, &sys));
    conf_text(msg, buf, sizeof buf);
    char *sp = strchr(buf, ' ');
    if (!sp) return AKT_EINVAL;
    *sp = 0;
    akt_msg *news = conf_msg("conf.News", sp + 1);
    int rc = akt_topic_publish(sys, buf, news);
    if (rc) akt_msg_release(news);
    return conf_respond(ctx, "conf.Done", conf_rc(rc));
}

static void on_alert(akt_system *sys, const char *topic, akt_msg *msg, void *data) {
    char text[64];
    conf_log("callback", "%s", conf_text(msg, text, sizeof text));
}

static const akt_behavior sub_behavior = {.size = sizeof(akt_behavior), .receive = sub_receive};
static const akt_behavior publisher_behavior = {.size = sizeof(akt_behavior),
                                                .receive = publisher_receive};

/* The subscriber count a topic future answers (an akt.Int64). */
static long count_of(akt_future *f) {
    akt_msg *reply = NULL;
    CONF_OK(akt_future_wait(f, CONF_ASK_NS, &reply));
    akt_future_release(f);
    const unsigned char *p;
    size_t n;
    CONF_OK(akt_msg_bytes(reply, (const void **)&p, &n));
    if (strcmp(akt_msg_type(reply), AKT_TYPE_INT64) || n != 8) conf_fatal("not an akt.Int64");
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    akt_msg_release(reply);
    return (long)v;
}

static long subscribe(akt_system *sys, const char *topic, akt_pid pid) {
    akt_future *f;
    CONF_OK(akt_topic_subscribe(sys, topic, pid, CONF_ASK_NS, &f));
    return count_of(f);
}

static long count(akt_system *sys, const char *topic) {
    akt_future *f;
    CONF_OK(akt_topic_count(sys, topic, CONF_ASK_NS, &f));
    return count_of(f);
}

static void publish(akt_system *sys, const char *topic, const char *text) {
    akt_msg *m = conf_msg("conf.News", text);
    CONF_OK(akt_topic_publish(sys, topic, m));
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_pid s1 = conf_spawn(sys, &sub_behavior, "s1", "s1");
    akt_pid s2 = conf_spawn(sys, &sub_behavior, "s2", "s2");
    akt_pid s3 = conf_spawn(sys, &sub_behavior, "s3", "s3");
    akt_pid pub = conf_spawn(sys, &publisher_behavior, NULL, "pub");

    /* 1. Subscriptions, acknowledged with the topic's count. */
    conf_say("subscribe.s1.news", "%ld", subscribe(sys, "news", s1));
    conf_say("subscribe.s2.news", "%ld", subscribe(sys, "news", s2));
    conf_say("subscribe.s1.news.again", "%ld", subscribe(sys, "news", s1));
    conf_say("subscribe.s3.sport", "%ld", subscribe(sys, "sport", s3));

    /* 2. Publishing from outside: no sender; nobody listens to weather. */
    publish(sys, "news", "n1");
    publish(sys, "news", "n2");
    publish(sys, "sport", "goal");
    publish(sys, "weather", "void");
    conf_wait_log(5);
    conf_flush_sorted();

    /* 3. Counts. */
    conf_say("count.news", "%ld", count(sys, "news"));
    conf_say("count.sport", "%ld", count(sys, "sport"));
    conf_say("count.weather", "%ld", count(sys, "weather"));

    /* 4. Publishing from an actor: it is the sender. */
    char buf[256];
    conf_say("publish.pub", "%s",
             conf_ask_str(sys, pub, "conf.Publish", "sport kickoff", buf, sizeof buf));
    conf_wait_log(1);
    conf_flush();

    /* 5. Unsubscribe. */
    akt_future *f;
    CONF_OK(akt_topic_unsubscribe(sys, "news", s2, CONF_ASK_NS, &f));
    conf_say("unsubscribe.s2.news", "%ld", count_of(f));
    publish(sys, "news", "n3");
    conf_wait_log(1);
    conf_flush();

    /* 6. A callback subscription. */
    akt_pid cb;
    CONF_OK(akt_topic_subscribe_fn(sys, "alerts", on_alert, NULL, NULL, &cb));
    publish(sys, "alerts", "a1");
    publish(sys, "alerts", "a2");
    conf_wait_log(2);
    conf_flush();
    conf_say("count.alerts", "%ld", count(sys, "alerts"));

    /* 7. A stopped subscriber leaves its topics. */
    conf_say("stop.s1", "%s", conf_rc(conf_stop_graceful(sys, s1)));
    long n = -1;
    for (int i = 0; i < 5000 && (n = count(sys, "news")) != 0; i++)
        nanosleep(&(struct timespec){0, 2000000}, NULL);
    if (n != 0) conf_fatal("s1 did not leave news");
    conf_say("count.news.after_stop", "%ld", n);

    conf_system_finish(sys);
    return 0;
}
