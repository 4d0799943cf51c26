"""Cron expressions: validation with the error column, next fire times in UTC and in the
local zone across a DST change, and "never again"."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

import akt

UTC = timezone.utc


@pytest.fixture
def new_york() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.mark.parametrize(
    "expr, after, expected",
    [
        ("0 0 12 ? * MON-FRI", "2024-01-05T12:00:00", "2024-01-08T12:00:00"),
        ("0 0 0 L * ?", "2024-02-01T00:00:00", "2024-02-29T00:00:00"),
        ("0 0 0 1W * ?", "2024-05-15T00:00:00", "2024-06-03T00:00:00"),
        ("0 0 0 ? * 6#3", "2024-01-01T00:00:00", "2024-01-19T00:00:00"),
        ("0 0 0 1 1 ? 2030", "2024-01-01T00:00:00", "2030-01-01T00:00:00"),
    ],
)
def test_next_in_utc(expr: str, after: str, expected: str) -> None:
    got = akt.cron_next(expr, datetime.fromisoformat(after).replace(tzinfo=UTC), utc=True)
    assert got == datetime.fromisoformat(expected).replace(tzinfo=UTC)
    assert got is not None and got.utcoffset() == timedelta(0)


def test_next_is_strictly_after_and_whole_seconds() -> None:
    after = datetime(2024, 1, 1, 0, 0, 0, 250000, tzinfo=UTC)
    assert akt.cron_next("* * * * * ?", after, utc=True) == datetime(2024, 1, 1, 0, 0, 1, tzinfo=UTC)


def test_local_time_across_spring_forward(new_york: None) -> None:
    after = datetime(2024, 3, 9, 17, 0, tzinfo=UTC)  # 12:00 EST
    got = akt.cron_next("0 30 2 * * ?", after)
    # 02:30 does not exist on 2024-03-10: the first instant after the gap, 03:00 EDT
    assert got == datetime(2024, 3, 10, 7, 0, tzinfo=UTC)
    assert got is not None and got.utcoffset() == timedelta(hours=-4)
    # a naive datetime is local time
    assert akt.cron_next("0 0 12 * * ?", datetime(2024, 7, 1, 12, 0)) == datetime(
        2024, 7, 2, 16, 0, tzinfo=UTC
    )


def test_never_again_is_none() -> None:
    assert akt.cron_next("0 0 0 30 2 ?", datetime(2024, 1, 1, tzinfo=UTC), utc=True) is None
    assert akt.cron_next("0 0 0 1 1 ? 2020", datetime(2024, 1, 1, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    "expr, column",
    [
        ("", 1),
        ("* * * * *", 10),
        ("60 * * * * ?", 1),
        ("* * * ? * ?", 11),
        ("* * * ? * 6#6", 13),
        ("* * * ? * MONDAY", 14),
        ("0 0 0 * * ? 2200", 13),
        ("0 0\0 0 * * ?", 4),
    ],
)
def test_syntax_errors_carry_the_column(expr: str, column: int) -> None:
    with pytest.raises(akt.CronSyntaxError) as e:
        akt.validate_cron(expr)
    assert e.value.column == column
    assert isinstance(e.value, ValueError) and isinstance(e.value, akt.InvalidArgument)
    with pytest.raises(akt.CronSyntaxError) as e2:
        akt.cron_next(expr, datetime(2024, 1, 1, tzinfo=UTC))
    assert e2.value.column == column


def test_valid_and_wrong_types() -> None:
    akt.validate_cron("0 0 0 ? * FRIL")
    akt.validate_cron("0 */5 22-2 LW JAN,jul ? 2025-2030")
    with pytest.raises(TypeError):
        akt.validate_cron(None)  # type: ignore[arg-type]
