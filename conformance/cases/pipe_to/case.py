"""pipe_to: results delivered with the piping actor as sender (to self, a pid, a name);
failures, timeouts, gone targets and an open breaker as dead letters or refusals."""
import concurrent.futures
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
breaker = akt.CircuitBreaker(min_requests=1, half_open_max_calls=1, open_timeout=60.0)
go_aheads: list[threading.Event] = []  # what the waiting tasks wait for, oldest first
go_lock = threading.Lock()
pids: dict[str, akt.Pid] = {}


class TaskFailed(Exception):
    pass


def go_ahead() -> None:
    with go_lock:
        go_aheads.pop(0).set()


def waiting_task(value: str):
    go = threading.Event()
    with go_lock:
        go_aheads.append(go)

    def task() -> akt.Bytes:
        if not go.wait(conf.WAIT_LIMIT_S):
            conf.fatal("no go-ahead")
        return conf.msg("conf.Result", value)

    return task


def failing_task() -> akt.Bytes:
    raise TaskFailed("the task failed")


def journal_result(ctx: akt.Context, msg: akt.Bytes, who: str) -> None:
    conf.log(who, f"{msg.text} from {conf.path(ctx.sender)}")


class Sink(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Result"):
            journal_result(ctx, msg, "sink")
        elif conf.is_(msg, "conf.Sync"):
            conf.respond(ctx, "conf.Done")
        else:
            ctx.unhandled()


class Piper(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Result"):
            journal_result(ctx, msg, "piper")
            return
        if not conf.is_(msg, "conf.Pipe"):
            ctx.unhandled()
            return
        how, value = msg.text.split(" ")

        def result() -> akt.Bytes:
            return conf.msg("conf.Result", value)

        task = result
        opts = {"to": pids["sink"]}
        if how == "self":
            opts = {}
        elif how == "name":
            opts = {"name": "/user/sink"}
        elif how == "fail":
            task = failing_task
        elif how == "slow":
            opts["timeout"] = 0.05
            task = waiting_task(value)
        elif how == "gone":
            opts["to"] = pids["target"]
            task = waiting_task(value)
        elif how == "breaker":
            opts["breaker"] = breaker
            task = failing_task
        piped = conf.rc_of(lambda: ctx.pipe_to(lambda: pool.submit(task), **opts))
        conf.respond(ctx, "conf.Piped", piped)


def on_dead(event: akt.Event) -> None:
    if event.path not in ("akt://conf/user/sink", "akt://conf/user/target"):
        return
    m = event.message
    conf.log("dead", f"{event.path} {event.reason or '-'} "
                     f"{m.type if isinstance(m, akt.Bytes) else '-'}")


system = conf.system_create()
subscription = system.on_dead_letter(on_dead)
pids["sink"] = system.spawn("sink", Sink())
pids["target"] = system.spawn("target", Sink())
piper = system.spawn("piper", Piper())


def pipe(step: str, cmd: str) -> None:
    conf.say(step, conf.ask_str(piper, "conf.Pipe", cmd))


pipe("pipe.self", "self 1")
conf.wait_log(1)
conf.flush()
pipe("pipe.pid", "pid 2")
pipe("pipe.name", "name 3")
conf.wait_log(2)
conf.flush_sorted()

pipe("pipe.fail", "fail 4")
conf.wait_log(1)
conf.flush()

pipe("pipe.slow", "slow 5")
conf.wait_log(1)
conf.flush()
go_ahead()
conf.say("sync", conf.ask_str(pids["sink"], "conf.Sync"))

pipe("pipe.gone", "gone 6")
pids["target"].stop_graceful_sync(conf.ASK_S)
go_ahead()
conf.wait_log(1)
conf.flush()

pipe("pipe.breaker", "breaker 7")
conf.wait_log(1)
conf.flush()
pipe("pipe.breaker.open", "breaker 8")

subscription.close()
conf.system_finish(system)
pool.shutdown()
