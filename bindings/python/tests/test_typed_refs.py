"""Typed references: Pid[M], Actor[M], akt.typed. Checked by mypy --strict (static/) and, at
run time, the same pids and actors as untyped ones."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import pytest

import akt

STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class Deposit:
    amount: int


@dataclass(frozen=True)
class Balance:
    pass


class Account(akt.Actor[Union[Deposit, Balance]]):
    def __init__(self) -> None:
        self.total = 0

    def receive(self, ctx: akt.Context, msg: Union[Deposit, Balance]) -> None:
        if isinstance(msg, Deposit):
            self.total += msg.amount
        elif isinstance(msg, Balance):
            ctx.respond(self.total)
        else:
            ctx.unhandled()


def test_a_typed_actor_spawns_and_answers_as_any_actor(any_system: akt.ActorSystem) -> None:
    pid = any_system.spawn("account", Account())
    assert type(pid) is akt.Pid  # one class at run time, whatever its parameter
    pid.tell(Deposit(2))
    pid.tell_batch([Deposit(3), Deposit(4)])
    assert pid.ask_sync(Balance(), timeout=5) == 9
    # Typing only: a wrong message still reaches the actor, which refuses it itself.
    with pytest.raises(akt.Unhandled):
        pid.ask_sync("nine", timeout=5)  # type: ignore[arg-type]


def test_pid_and_actor_take_a_type_parameter_at_run_time() -> None:
    assert akt.Pid[int] is not akt.Pid  # subscripting works (annotations, casts)
    assert akt.Pid[int].__origin__ is akt.Pid  # type: ignore[attr-defined]
    assert issubclass(Account, akt.Actor)
    assert akt.Actor[str] is not akt.Actor


def test_typed_returns_the_same_pid(system: akt.ActorSystem) -> None:
    pid = system.spawn("account", Account())
    looked_up = akt.typed(system.lookup("/user/account"), Deposit)
    assert looked_up is not None and looked_up == pid and hash(looked_up) == hash(pid)
    looked_up.tell(Deposit(5))
    assert pid.ask_sync(Balance(), timeout=5) == 5


def test_typed_refuses_what_is_not_a_pid() -> None:
    with pytest.raises(TypeError, match="expected an akt.Pid"):
        akt.typed("/user/account", Deposit)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        akt.typed(None, Deposit)  # type: ignore[arg-type]


def _mypy(*files: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    # From a neutral directory: the installed package (py.typed, _fast.pyi) is what the
    # files import, as a user's code does.
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-error-codes",
         "--cache-dir", str(cache), *map(str, files)],
        capture_output=True, text=True, cwd="/", timeout=600)


def test_mypy_strict_accepts_typed_usage_and_reports_every_misuse(tmp_path: Path) -> None:
    """static/typed_usage.py passes mypy --strict; static/typed_errors.py fails it on exactly
    its lines marked ``# error`` (a wrong message type told, asked or batched to a Pid[M],
    through the context too, or a Pid[M] used as a Pid of another type)."""
    usage, errors = STATIC / "typed_usage.py", STATIC / "typed_errors.py"
    r = _mypy(usage, errors, cache=tmp_path / "mypy")
    # 2: mypy itself failed (mypy is pinned in scripts/setup.sh: not installed is a failure)
    assert r.returncode in (0, 1), r.stdout + r.stderr
    reported: dict[str, set[int]] = {}
    for m in re.finditer(r"^(.*?\.py):(\d+): error: ", r.stdout, re.M):
        reported.setdefault(Path(m.group(1)).name, set()).add(int(m.group(2)))
    assert reported.get(usage.name, set()) == set(), r.stdout
    marked = {i for i, line in enumerate(errors.read_text().splitlines(), 1)
              if line.rstrip().endswith("# error")}
    assert len(marked) >= 8
    assert reported.get(errors.name, set()) == marked, r.stdout
    assert set(reported) <= {errors.name}, r.stdout  # no error inside akt's own stubs
    assert '"tell" of "Pid" has incompatible type "str"; expected "Deposit"' in r.stdout


def test_mypy_sees_a_pid_of_a_typed_spawn_as_typed(tmp_path: Path) -> None:
    """Without the type parameter the snippet's wrong tell would pass: mypy must name it."""
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "import akt\n"
        "class Ints(akt.Actor[int]):\n"
        "    def receive(self, ctx: akt.Context, msg: int) -> None:\n"
        "        ctx.respond(msg + 1)\n"
        "def f(system: akt.ActorSystem) -> None:\n"
        "    pid = system.spawn(None, Ints())\n"
        "    reveal_type(pid)\n"
        "    pid.tell('one')\n")
    r = _mypy(snippet, cache=tmp_path / "mypy")
    assert r.returncode == 1, r.stdout + r.stderr
    assert re.search(r'Revealed type is "akt\.pid\.Pid\[(builtins\.)?int\]"', r.stdout), r.stdout
    assert re.search(r'snippet\.py:8: error: Argument 1 to "tell" of "Pid" has incompatible '
                     r'type "str"; expected "int"', r.stdout), r.stdout


def test_mypy_sees_the_contexts_pids_and_system_typed(tmp_path: Path) -> None:
    """ctx.self is a Pid, ctx.sender / ctx.parent an Optional[Pid] (a sender may be absent:
    using it unchecked is an error), ctx.system the ActorSystem: none of them is Any."""
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "import akt\n"
        "class A(akt.Actor):\n"
        "    def receive(self, ctx: akt.Context, msg: object) -> None:\n"
        "        reveal_type(ctx.self)\n"
        "        reveal_type(ctx.sender)\n"
        "        reveal_type(ctx.parent)\n"
        "        reveal_type(ctx.system)\n"
        "        ctx.sender.tell(msg)\n")
    r = _mypy(snippet, cache=tmp_path / "mypy")
    assert r.returncode == 1, r.stdout + r.stderr
    pid = r'akt\.pid\.Pid\[Any\]'
    for line, revealed in ((4, pid), (5, rf"Union\[{pid}, None\]|{pid} \| None"),
                           (6, rf"Union\[{pid}, None\]|{pid} \| None"),
                           (7, r"akt\.system\.ActorSystem")):
        assert re.search(rf'snippet\.py:{line}: note: Revealed type is "({revealed})"',
                         r.stdout), r.stdout
    assert re.search(r'snippet\.py:8: error: Item "None" of .* has no attribute "tell"',
                     r.stdout), r.stdout
