#!/usr/bin/env python3
"""Cross-checks the rows of tests/test_cron.c against the tz database (Python zoneinfo),
independently of akt: every local-time row's `after` and `expect` must be written with the
UTC offset its zone really has at that instant, and an expected fire time whose wall-clock
time is not the one the expression names (hour and minute fields given as plain numbers)
is allowed only where that time does not exist that day (a DST gap). Not part of ctest;
run by hand after editing the table:

    python3 tests/tools/cron_crosscheck.py
"""
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

SRC = Path(__file__).resolve().parents[1] / "test_cron.c"
ZONES = {"NY": "America/New_York", "LON": "Europe/London", "LH": "Australia/Lord_Howe",
         '"UTC"': "UTC"}
ROW = re.compile(r'\{"([^"]*)", ([UL]), (\w+|"UTC"), "([^"]+)", (?:"([^"]+)"|NEVER)\}')


def main() -> int:
    bad = 0
    rows = ROW.findall(SRC.read_text())
    for expr, mode, tz, after, expect in rows:
        if mode != "L":
            continue
        zone = ZoneInfo(ZONES[tz])
        for when in (after, expect):
            if not when:
                continue
            t = datetime.fromisoformat(when.replace("Z", "+00:00"))
            real = t.astimezone(zone).utcoffset()
            if real != t.utcoffset():
                print(f"{expr!r} {tz}: {when} is written with offset {t.utcoffset()}, "
                      f"the zone has {real}")
                bad += 1
        fields = expr.split()
        if expect and fields[1].isdigit() and fields[2].isdigit():
            local = datetime.fromisoformat(expect).astimezone(zone)
            named = (int(fields[2]), int(fields[1]))
            if (local.hour, local.minute) != named:
                naive = local.replace(hour=named[0], minute=named[1], tzinfo=None)
                # a wall time exists iff it survives a round trip through UTC
                back = naive.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)
                if back.replace(tzinfo=None) == naive:
                    print(f"{expr!r} {tz}: fires at {local}, but {naive} exists that day")
                    bad += 1
    print(f"{len(rows)} rows, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
