"""Protobuf messages as the generated class (system.serializer_protobuf): a _pb2 class made
by protoc for this run crosses to another node and back as itself, its bytes are its
protobuf encoding under its full name, and what is not a generated class is refused."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

import akt
from actors import Echo

PROTO = 'syntax = "proto3";\npackage pytest.pb;\nmessage Note { string text = 1; int64 n = 2; }\n'


@pytest.fixture(scope="module")
def note_cls(tmp_path_factory: Any) -> Any:
    d = tmp_path_factory.mktemp("pb")
    (d / "note.proto").write_text(PROTO)
    subprocess.run(["protoc", f"--proto_path={d}", f"--python_out={d}", "note.proto"], check=True)
    sys.path.insert(0, str(d))
    try:
        return importlib.import_module("note_pb2").Note
    finally:
        sys.path.remove(str(d))


@pytest.fixture
def nodes(note_cls: Any) -> Iterator[tuple[akt.ActorSystem, akt.Pid]]:
    with akt.ActorSystem("pbalpha") as a, akt.ActorSystem("pbbeta") as b:
        assert a.serializer_protobuf(note_cls) == "pytest.pb.Note"
        b.serializer_protobuf(note_cls)
        addr_b = b.remote_start()
        a.remote_start()
        b.spawn("echo", Echo())
        yield a, a.remote_lookup(addr_b + "/user/echo")


def test_generated_class_crosses_as_itself(nodes: Any, note_cls: Any) -> None:
    a, echo = nodes
    assert a.serializer_for("pytest.pb.Note") == "protobuf"
    note = note_cls(text="héllo", n=-3)
    assert akt.type_name(note) == "pytest.pb.Note"
    assert akt.wire_bytes(note) == note.SerializeToString()
    back = echo.ask_sync(note, timeout=10)
    assert isinstance(back, note_cls) and back == note


def test_bytes_of_the_full_name_arrive_as_the_class(nodes: Any, note_cls: Any) -> None:
    a, echo = nodes
    raw = note_cls(text="raw", n=9).SerializeToString()
    back = echo.ask_sync(akt.Bytes("pytest.pb.Note", raw), timeout=10)
    assert isinstance(back, note_cls) and back.text == "raw" and back.n == 9


@pytest.mark.parametrize("bad", [int, object(), akt.Bytes, "pytest.pb.Note"])
def test_not_a_generated_class_is_refused(bad: Any) -> None:
    with akt.ActorSystem("pbbad") as s:
        with pytest.raises(TypeError):
            s.serializer_protobuf(bad)
