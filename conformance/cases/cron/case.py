"""cron: validation with the error column, and next fire times in UTC."""
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

GOOD = [
    "0 0 12 ? * MON-FRI", "0 */15 9-17 ? * 2-6", "30 5 10 * * ?", "0 0 0 L * ?",
    "0 0 0 L-3 * ?", "0 0 0 1W * ?", "0 0 0 LW * ?", "0 0 0 ? * 6L", "0 0 0 ? * FRI#3",
    "0 0 0 29 2 ?", "0 0 8 1 jan,JUL ?", "0 0 22-2 * * ?", "0 0 0 1 1 ? 2030",
    "0 0 0 1 1 ? 2020",
]
BAD = [
    "", "* * * * *", "60 * * * * ?", "* * * ? * ?", "* * * 1 * MON", "* * * ? * 6#6",
    "* * * ? * MONDAY", "0 0 0 * * ? 2200", "*/0 * * * * ?", "0 0 0 L-31 * ?",
]
START = datetime(2024, 1, 15, 10, 7, 30, tzinfo=timezone.utc)


def iso(when: datetime | None) -> str:
    return "never" if when is None else when.strftime("%Y-%m-%dT%H:%M:%SZ")


def main() -> None:
    for expr in GOOD + BAD:
        try:
            akt.validate_cron(expr)
            conf.say("validate", f'"{expr}": ok')
        except akt.CronSyntaxError as e:
            conf.say("validate", f'"{expr}": {e.name} column {e.column}')
    for expr in GOOD:
        first = akt.cron_next(expr, START, utc=True)
        if first is None:
            conf.say("next", f'"{expr}": never')
            continue
        second = akt.cron_next(expr, first, utc=True)
        conf.say("next", f'"{expr}": {iso(first)} {iso(second)}')


if __name__ == "__main__":
    main()
