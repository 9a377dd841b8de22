"""Edges of times.py that the mutation run (docs/mutation-survivors.md) found untested."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from logsync import times
from logsync.errors import UsageError
from logsync.times import UTC, bias_zone, micros, moment_iso, parse_duration, parse_when


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        # the last day datetime holds, and the first: written by datetime, with the offset
        (datetime(9999, 12, 31, 12, 0, tzinfo=UTC), timezone(timedelta(hours=1)), "9999-12-31T13:00:00+01:00"),
        (datetime(9999, 12, 31, 12, 0, tzinfo=UTC), bias_zone(240), "9999-12-31T08:00:00-04:00"),
        (datetime(1, 1, 1, 12, 0, tzinfo=UTC), timezone(timedelta(hours=1)), "0001-01-01T13:00:00+01:00"),
    ],
)
def test_a_day_at_the_ends_of_datetime_keeps_its_offset(
    instant: datetime, zone: timezone, expected: str
) -> None:
    for cache in (times._FIXED, times._MINUTES, times._DATES):
        cache.clear()
    assert moment_iso(micros(instant), zone) == expected


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("2026-11-25 1:00 PM.", datetime(2026, 11, 25, 13, 0)),
        ("2026-11-25 1:00 pm.", datetime(2026, 11, 25, 13, 0)),
        ("11/25/2026 1:00 AM.", datetime(2026, 11, 25, 1, 0)),
    ],
)
def test_a_meridiem_with_a_dot_after_it_is_no_zone(text: str, read: datetime) -> None:
    assert parse_when(text, "--now") == read


def test_the_longest_duration_is_366_days() -> None:
    assert parse_duration("366d", "--full-sync-after") == timedelta(days=366)
    assert parse_duration("8784h", "--interval") == timedelta(days=366)
    with pytest.raises(UsageError) as error:
        parse_duration("367d", "--full-sync-after")
    assert error.value.message == "--full-sync-after: '367d' is longer than 366 days"


def test_a_duration_of_exactly_one_mean_year_is_a_year() -> None:
    """A year is the Gregorian mean, 365.2425 days (31,556,952 s): that long is `1y`, a second
    less `365d 5h`, and a day more `1y 1d`."""
    year = 31_556_952
    assert times.human_duration(year) == "1y"
    assert times.human_duration(year - 1) == "365d 5h"
    assert times.human_duration(year + 86_400) == "1y 1d"


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("11/01/2026 1:30 AM Eastern Standard Time", "Eastern Standard Time"),
        ("2026-11-01 01:30 eastern standard time", "eastern standard time"),
    ],
)
def test_a_time_a_windows_zone_shows_twice_is_refused_with_the_option_the_text_and_the_zone(
    text: str, zone: str
) -> None:
    """SPEC §5: 01:30 came twice on 2026-11-01 in Eastern Standard Time (set back at 02:00
    EDT): refused, naming the option, the text as given and the zone as written in it."""
    with pytest.raises(UsageError) as error:
        parse_when(text, "--restart-at")
    assert error.value.message == (
        f"--restart-at: {text!r} is no single time in {zone}: its clock is set back or forward "
        "there; give the offset (2026-11-01T01:30:00-04:00 or 2026-11-01T01:30:00-05:00)"
    )
