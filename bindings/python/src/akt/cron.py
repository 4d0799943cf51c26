"""Cron expressions in Quartz syntax (see akt.h, "Cron expressions"): validation with the
column of the first bad character, and the next fire time after an instant."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ._lib import ffi, lib
from .errors import InvalidArgument, error_for

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class CronSyntaxError(InvalidArgument):
    """The expression does not parse. ``column`` is the 1-based column of the first
    character that cannot be accepted (the column after the text when a part is missing)."""

    def __init__(self, expr: str, column: int) -> None:
        super().__init__(f"invalid cron expression at column {column}: {expr!r}", lib.AKT_EINVAL)
        self.expr = expr
        """The expression that does not parse, as given."""
        self.column = column
        """The 1-based column of the first character that cannot be accepted (the column after
        the text when a part is missing)."""


def _encode(expr: str) -> bytes:
    if not isinstance(expr, str):
        raise TypeError(f"a cron expression is a str, not {type(expr).__name__}")
    data = expr.encode("utf-8")
    if b"\0" in data:
        raise CronSyntaxError(expr, data.index(b"\0") + 1)
    return data


def validate_cron(expr: str) -> None:
    """Returns if ``expr`` is a valid cron expression; raises CronSyntaxError otherwise."""
    data = _encode(expr)
    col = ffi.new("size_t *")
    if lib.akt_cron_validate(data, col) != 0:
        raise CronSyntaxError(expr, int(col[0]))


def _unix_ns(when: datetime) -> int:
    if when.tzinfo is None:  # naive: local time, as datetime.timestamp() reads it
        when = when.astimezone()
    delta = when - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


def cron_next(expr: str, after: datetime, utc: bool = False) -> datetime | None:
    """The first fire time of ``expr`` strictly after ``after`` (a naive datetime is local
    time), or None if it never fires again. Wall-clock times are read in the process's
    local time zone, or in UTC with ``utc=True``. The result is aware: in UTC with
    ``utc=True``, else in the local zone."""
    data = _encode(expr)
    out = ffi.new("int64_t *")
    col = ffi.new("size_t *")
    rc = lib.akt_cron_next_after(data, lib.AKT_CRON_UTC if utc else 0, _unix_ns(after), out, col)
    if rc == lib.AKT_ENOTFOUND:
        return None
    if rc == lib.AKT_EINVAL and col[0]:
        raise CronSyntaxError(expr, int(col[0]))
    if rc != 0:
        raise error_for(rc, "cron_next")
    fire = _EPOCH + timedelta(seconds=out[0] // 1_000_000_000)
    return fire if utc else fire.astimezone()
