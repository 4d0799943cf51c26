"""tls: remoting over mutual TLS between two systems of one process; a node with a
certificate of an untrusted CA and a plaintext node are refused."""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Echo(akt.Actor):
    """conf.Note "<n>" -> journals it; conf.Question "<t>" -> conf.Answer "re:<t>"."""

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Note"):
            conf.log("peer.note", msg.text)
        elif conf.is_(msg, "conf.Question"):
            conf.respond(ctx, "conf.Answer", "re:" + msg.text)
        else:
            ctx.unhandled()


def mutual(who):
    """The mutual TLS settings of `who` ("node" or "rogue")."""
    return {"tls_cert": certs / f"{who}.pem", "tls_key": certs / f"{who}.key",
            "tls_ca": certs / "ca.pem", "tls_require_client_cert": True}


# 1. The certificates, made for this run.
certs = Path(tempfile.mkdtemp(prefix="akt-conf-tls-"))
if subprocess.run(["sh", "certs.sh", str(certs)]).returncode != 0:
    conf.fatal("certs.sh failed")
conf.say("certs", "ok")

# 2. Mutual TLS on both nodes.
system = conf.system_create()
peer = akt.ActorSystem("peer")
system.remote_start("127.0.0.1", 0, **mutual("node"))
peer_address = peer.remote_start("127.0.0.1", 0, **mutual("node"))
conf.say("remote.start", "ok")
peer.spawn("echo", Echo())
echo_address = peer_address + "/user/echo"

# 3. An ask over mutual TLS.
echo = system.remote_lookup(echo_address)
conf.say("ask.mtls", conf.ask_str(echo, "conf.Question", "hello"))

# 4. Tells arrive in the order sent.
for n in ("1", "2", "3"):
    echo.tell(conf.msg("conf.Note", n))
conf.wait_log(3)
conf.flush()

# 5. A certificate of another CA: refused.
rogue = akt.ActorSystem("rogue")
rogue.remote_start("127.0.0.1", 0, **mutual("rogue"))
conf.say("ask.untrusted", conf.ask_str(rogue.remote_lookup(echo_address), "conf.Question",
                                       "let me in"))

# 6. No TLS at all: refused.
plain = akt.ActorSystem("plain")
plain.remote_start("127.0.0.1", 0)
conf.say("ask.plaintext", conf.ask_str(plain.remote_lookup(echo_address), "conf.Question",
                                       "let me in"))

# 7. The peer still serves its own.
conf.say("ask.again", conf.ask_str(echo, "conf.Question", "still here"))

# 8. The other nodes go.
for node in (plain, rogue, peer):
    if not node.shutdown(timeout=conf.WAIT_LIMIT_S):
        conf.fatal("a node's shutdown did not complete")
conf.say("peers.shutdown", "ok")

conf.system_finish(system)
shutil.rmtree(certs, ignore_errors=True)
