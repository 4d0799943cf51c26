"""mailboxes: bounded (fail, drop) and fair mailboxes as a spawn option."""
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Sink(akt.Actor):
    """conf.Hold waits for release; anything else is recorded."""

    def __init__(self) -> None:
        self.held = threading.Event()
        self.release = threading.Event()
        self.seen: list[str] = []

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Hold"):
            self.held.set()
            self.release.wait()
        else:
            self.seen.append(msg.text)


class Sender(akt.Actor):
    def __init__(self, target: akt.Pid, tag: str) -> None:
        self.target, self.tag = target, tag

    def receive(self, ctx, msg):
        for i in range(1, 4):
            ctx.tell(self.target, conf.msg("conf.N", f"{self.tag}{i}"))
        conf.respond(ctx, "conf.Done")


def spawn_held(system: akt.ActorSystem, mailbox: akt.Mailbox) -> tuple[Sink, akt.Pid]:
    sink = Sink()
    pid = system.spawn(None, sink, mailbox=mailbox)
    pid.tell(conf.msg("conf.Hold"))
    sink.held.wait()
    return sink, pid


def wait_until(cond) -> None:
    while not cond():
        time.sleep(0.001)


system = conf.system_create()
full_letters: list[str] = []
sub = system.on_dead_letter(
    lambda ev: full_letters.append(ev.reason) if ev.reason == "mailbox full" else None)

for when_full, step in (("fail", "bounded.fail"), ("drop", "bounded.drop")):
    sink, pid = spawn_held(system, akt.Bounded(3, when_full=when_full))
    accepted, refused, refusal = 0, 0, ""
    for i in range(5):
        try:
            pid.tell(conf.msg("conf.N", str(i)))
            accepted += 1
        except akt.MailboxFullError as e:
            refused += 1
            refusal = conf.rc(e)
    if when_full == "fail":
        conf.say(step, f"accepted {accepted}, refused {refused} ({refusal})")
    else:
        wait_until(lambda: len(full_letters) >= 2)
        conf.say(step, f"accepted {accepted}, dead letters {len(full_letters)} (mailbox full)")
    sink.release.set()
    wait_until(lambda: len(sink.seen) >= 3)
    conf.say(f"{step}.received", " ".join(sink.seen))

fair, target = spawn_held(system, akt.Fair())
# The senders run on akt's workers: the held sink keeps the Python runner busy, and an
# ask that timed out would not be handled at all (its asker gave up).
for tag in "ABC":
    conf.ask_str(system.spawn(None, Sender(target, tag), dispatcher="workers"), "conf.Go")
fair.release.set()
wait_until(lambda: len(fair.seen) >= 9)
conf.say("fair.received", " ".join(fair.seen))

sub.close()
conf.system_finish(system)
