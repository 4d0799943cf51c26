"""pubsub: topics, counts, unsubscribe, a stopped subscriber, a callback subscription."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Sub(akt.Actor):
    def __init__(self, name: str) -> None:
        self.name = name

    def receive(self, ctx, msg):
        if not conf.is_(msg, "conf.News"):
            return ctx.unhandled()
        sender = conf.path(ctx.sender) if ctx.sender is not None else "none"
        conf.log(self.name, f"{conf.text(msg)} from {sender}")


class Publisher(akt.Actor):
    def receive(self, ctx, msg):
        if not conf.is_(msg, "conf.Publish"):
            return ctx.unhandled()
        topic, text = conf.text(msg).split(" ", 1)
        rc = conf.rc_of(lambda: ctx.system.topic(topic).publish(conf.msg("conf.News", text)))
        conf.respond(ctx, "conf.Done", rc)


system = conf.system_create()
s1, s2, s3 = (system.spawn(n, Sub(n)) for n in ("s1", "s2", "s3"))
pub = system.spawn("pub", Publisher())
news, sport = system.topic("news"), system.topic("sport")

# 1. Subscriptions, acknowledged with the topic's count.
conf.say("subscribe.s1.news", str(news.subscribe(s1).result(conf.ASK_S)))
conf.say("subscribe.s2.news", str(news.subscribe(s2).result(conf.ASK_S)))
conf.say("subscribe.s1.news.again", str(news.subscribe(s1).result(conf.ASK_S)))
conf.say("subscribe.s3.sport", str(sport.subscribe(s3).result(conf.ASK_S)))

# 2. Publishing from outside: no sender; nobody listens to weather.
news.publish(conf.msg("conf.News", "n1"))
news.publish(conf.msg("conf.News", "n2"))
sport.publish(conf.msg("conf.News", "goal"))
system.topic("weather").publish(conf.msg("conf.News", "void"))
conf.wait_log(5)
conf.flush_sorted()

# 3. Counts.
for name in ("news", "sport", "weather"):
    conf.say(f"count.{name}", str(system.topic(name).count_sync(conf.ASK_S)))

# 4. Publishing from an actor: it is the sender.
conf.say("publish.pub", conf.ask_str(pub, "conf.Publish", "sport kickoff"))
conf.wait_log(1)
conf.flush()

# 5. Unsubscribe.
conf.say("unsubscribe.s2.news", str(news.unsubscribe(s2).result(conf.ASK_S)))
news.publish(conf.msg("conf.News", "n3"))
conf.wait_log(1)
conf.flush()

# 6. A callback subscription.
alerts = system.topic("alerts")
alerts.subscribe_callback(lambda m: conf.log("callback", conf.text(m)))
alerts.publish(conf.msg("conf.News", "a1"))
alerts.publish(conf.msg("conf.News", "a2"))
conf.wait_log(2)
conf.flush()
conf.say("count.alerts", str(alerts.count_sync(conf.ASK_S)))

# 7. A stopped subscriber leaves its topics.
s1.stop_graceful_sync(conf.ASK_S)
conf.say("stop.s1", "ok")
deadline = time.monotonic() + 10
while (n := news.count_sync(conf.ASK_S)) != 0 and time.monotonic() < deadline:
    time.sleep(0.002)
if n != 0:
    conf.fatal("s1 did not leave news")
conf.say("count.news.after_stop", str(n))

conf.system_finish(system)
