"""Remoting over TLS 1.3: mutual TLS between two systems of this process, with a CA and
certificates made for the test by the openssl CLI (tests/tools/tls_certs.sh)."""
from __future__ import annotations

import pathlib
import subprocess
import time

import pytest

import akt
from actors import Echo

CERTS_SH = pathlib.Path(__file__).resolve().parents[3] / "tests" / "tools" / "tls_certs.sh"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    d = tmp_path_factory.mktemp("certs")
    subprocess.run(["sh", str(CERTS_SH), str(d)], check=True, timeout=60)
    return d


def _mtls(d: pathlib.Path, name: str = "node") -> dict[str, object]:
    return {"tls_cert": d / f"{name}.pem", "tls_key": str(d / f"{name}.key"),
            "tls_ca": d / "ca.pem", "tls_require_client_cert": True}


def test_ask_over_mtls(certs: pathlib.Path) -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start(**_mtls(certs))  # type: ignore[arg-type]
        a.remote_start(**_mtls(certs))  # type: ignore[arg-type]
        b.spawn("echo", Echo())
        echo = a.remote_lookup(addr_b + "/user/echo")
        assert echo.ask_sync("over mTLS", timeout=10) == "over mTLS"
        assert echo.ask_sync(b"\x00" * 50000, timeout=10) == b"\x00" * 50000


def test_untrusted_certificate_is_unreachable(certs: pathlib.Path) -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start(**_mtls(certs))  # type: ignore[arg-type]
        a.remote_start(**_mtls(certs, "rogue"))  # type: ignore[arg-type]
        b.spawn("echo", Echo())
        with pytest.raises(akt.Unreachable, match="TLS"):
            a.remote_lookup(addr_b + "/user/echo").ask_sync("x", timeout=10)
        # b refused a's certificate and says why.
        deadline = time.monotonic() + 10
        while b.remote_tls_failures()[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        count, reason = b.remote_tls_failures()
        assert count >= 1
        assert "certificate rejected" in reason
        assert a.remote_tls_failures()[0] >= 1


def test_tls_options_are_checked(certs: pathlib.Path) -> None:
    with akt.ActorSystem("pyalpha") as a:
        with pytest.raises(akt.ActorNotFound):
            a.remote_tls_failures()
        with pytest.raises(akt.InvalidArgument):
            a.remote_start(tls_cert=certs / "node.pem")  # no key
        with pytest.raises(akt.InvalidArgument):
            a.remote_start(tls_cert=certs / "missing.pem", tls_key=certs / "node.key")
        with pytest.raises(akt.InvalidArgument):
            a.remote_start(tls_require_client_cert=True)  # mTLS without TLS
        with pytest.raises(TypeError):
            a.remote_start(tls_cert=7)  # type: ignore[arg-type]
        assert a.remote_start(**_mtls(certs)).startswith("akt://pyalpha@")  # type: ignore[arg-type]
        assert a.remote_tls_failures() == (0, "")
