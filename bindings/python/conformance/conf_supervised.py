"""The actors of the supervision cases (supervision_all_for_one, retry_window, backoff,
error_rules, supervision, suspend_reinstate): a worker, a manager that spawns workers, an observer that logs the end of the
actors it watches. Each case brings only its supervisor (C: conformance/c/conf_supervised.c)."""

import akt
import conf


class Failure(Exception):
    """What a worker raises; its message is the failure's reason."""


class InvalidInput(Exception):
    """The kind "invalid" (error_rules)."""


class Fatal(InvalidInput):
    """The kind "fatal": an InvalidInput too, with a rule of its own (error_rules)."""


# The exception a conf.Fail "<reason>" raises, by reason; Failure for the others.
KINDS = {"invalid": InvalidInput, "fatal": Fatal, "other": RuntimeError}


class Worker(akt.Actor):
    """Counts conf.Incr (conf.Get answers conf.Count); conf.Fail "<reason>" fails with that
    reason; conf.Mark "<text>" logs handled."""

    def pre_start(self, ctx):
        self.n = 0
        conf.log("pre_start", conf.path(ctx.self))

    def post_stop(self, ctx):
        conf.log("post_stop", f"{conf.path(ctx.self)} n={self.n}")

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Incr"):
            self.n += 1
        elif conf.is_(msg, "conf.Mark"):
            conf.log("handled", f"{conf.path(ctx.self)} {msg.text} n={self.n}")
        elif conf.is_(msg, "conf.Get"):
            conf.respond(ctx, "conf.Count", str(self.n))
        elif conf.is_(msg, "conf.Fail"):
            conf.log("fail", f"{conf.path(ctx.self)} {msg.text}")
            raise KINDS.get(msg.text, Failure)(msg.text)
        else:
            ctx.unhandled()


class Manager(akt.Actor):
    """conf.SpawnWorker "<name>" spawns a Worker child named so; conf.SpawnManager "<name>"
    spawns a Manager child named so whose children child_supervisor supervises."""

    def __init__(self, child_supervisor: akt.Supervisor | None = None) -> None:
        self.child_supervisor = child_supervisor

    def pre_start(self, ctx):
        conf.log("pre_start", conf.path(ctx.self))

    def post_stop(self, ctx):
        conf.log("post_stop", conf.path(ctx.self))

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.SpawnWorker"):
            conf.respond(ctx, "conf.Done", conf.rc_of(lambda: ctx.spawn(msg.text, Worker)))
        elif conf.is_(msg, "conf.SpawnManager"):
            conf.respond(ctx, "conf.Done", conf.rc_of(lambda: ctx.spawn(
                msg.text, Manager(), supervisor=self.child_supervisor)))
        else:
            ctx.unhandled()


class Observer(akt.Actor):
    """conf.Watch "<path>" watches that actor; its Terminated logs terminated "<path>"."""

    def __init__(self) -> None:
        self.watched: list[tuple[akt.Pid, str]] = []

    def receive(self, ctx, msg):
        if isinstance(msg, akt.Terminated):
            for pid, path in self.watched:
                if pid == msg.pid:
                    conf.log("terminated", path)
        elif conf.is_(msg, "conf.Watch"):
            def watch():
                pid = ctx.system.lookup(msg.text)
                self.watched.append((pid, conf.path(pid)))
                ctx.watch(pid)
            conf.respond(ctx, "conf.Done", conf.rc_of(watch))
        else:
            ctx.unhandled()
