"""scalars: Python values through the C echo actor and back, as akt's canonical scalars."""
import json
import math
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

VALUES = {
    "string.empty": "",
    "string.utf8": "héllo ✓",
    "bytes.empty": b"",
    "bytes.data": b"\x00\xff\x80",
    "int64.min": -(2**63),
    "int64.max": 2**63 - 1,
    "float64.negzero": -0.0,
    "float64.big": 1e308,
    "float64.nan": math.nan,
    "bool.true": True,
    "bool.false": False,
    "null": conf.msg("conf.Null"),  # Java cannot send None: the echo makes the Null
    "json.nested": {"a": [1, "x", {"b": None}]},
}


def canonical(value):
    """(type name, canonical text) of what arrived; bool before int (bool is an int)."""
    if isinstance(value, str):
        return "akt.String", value
    if isinstance(value, bytes):
        return "akt.Bytes", value.hex()
    if isinstance(value, bool):
        return "akt.Bool", "true" if value else "false"
    if isinstance(value, int):
        return "akt.Int64", str(value)
    if isinstance(value, float):
        return "akt.Float64", struct.pack(">d", value).hex()
    if value is None:
        return "akt.Null", "null"
    if isinstance(value, (dict, list)):
        return "akt.Json", json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    conf.fatal(f"an echo reply of no canonical type: {value!r}")


class Host(akt.Actor):
    step = ""

    def receive(self, ctx, msg):
        if isinstance(msg, akt.Bytes) and msg.type == "conf.Run":
            self.step = msg.text
            ctx.tell(ctx.system.lookup("echo"), VALUES[self.step])
            conf.respond(ctx, "conf.Sent")
        else:
            type_name, text = canonical(msg)
            conf.log(self.step, f"{type_name} {text}" if text else type_name)


system = conf.system_create()
system.spawn_native("echo", conf.echo_behavior())
host = system.spawn("host", Host())

for step in VALUES:
    reply = conf.ask_str(host, "conf.Run", step)
    if reply != "conf.Sent":
        conf.fatal(f"conf.Run {step}: {reply}")
    conf.wait_log(1)
    conf.flush()

conf.system_finish(system)
