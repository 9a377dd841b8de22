"""Time handling: the bias sign, durations, zones, user-given times, ISO output, human durations."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logsync import times
from logsync.errors import UsageError
from logsync.times import (
    UTC,
    Now,
    WallClock,
    bias_zone,
    human_duration,
    instant_key,
    iso,
    micros,
    moment_iso,
    moment_time,
    parse_duration,
    parse_when,
    parse_zone,
)
from logsync.tracker import timer_label

from .conftest import WALL_CLOCK


@pytest.mark.parametrize(
    ("bias", "offset"),
    [(240, "-04:00"), (-60, "+01:00"), (0, "+00:00"), (480, "-08:00"), (-330, "+05:30"), (1439, "-23:59")],
)
def test_bias_is_minutes_added_to_local_time_to_get_utc(bias: int, offset: str) -> None:
    zone = bias_zone(bias)
    local = datetime(2014, 9, 14, 10, 23, 54, tzinfo=zone)
    assert local.isoformat()[-6:] == offset
    assert local.astimezone(UTC).replace(tzinfo=None) == datetime(2014, 9, 14, 10, 23, 54) + timedelta(
        minutes=bias
    )
    assert (zone is UTC) == (bias == 0)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("24h", 86400),
        ("5m", 300),
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("90s", 90),
        ("1.5d", 129600),
        ("500ms", 0.5),
        ("2H", 7200),
        (" 10m ", 600),
        ("1d2h3m4s", 93784),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text, "--x") == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24", "--x: '24' has no unit (write it as 24h, 24m or 24s)"),
        ("2.5", "--x: '2.5' has no unit (write it as 2.5h, 2.5m or 2.5s)"),
        ("-5m", "--x: cannot read '-5m' as a duration (try 24h, 5m, 90s)"),
        ("5 minutes", "--x: cannot read '5 minutes' as a duration (try 24h, 5m, 90s)"),
        ("h", "--x: cannot read 'h' as a duration (try 24h, 5m, 90s)"),
        ("5m x", "--x: cannot read '5m x' as a duration (try 24h, 5m, 90s)"),
        ("x5m", "--x: cannot read 'x5m' as a duration (try 24h, 5m, 90s)"),
        ("0s", "--x: '0s' must be a positive duration"),
        ("0", "--x: '0' must be a positive duration"),  # (not "write it as 0s")
        ("0h0m", "--x: '0h0m' must be a positive duration"),
        ("", "--x: cannot read '' as a duration (try 24h, 5m, 90s)"),
    ],
)
def test_bad_durations(text: str, message: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_duration(text, "--x")
    assert error.value.message == message


@pytest.mark.parametrize(
    ("name", "offset"),
    [
        ("UTC", timedelta(0)),
        ("utc", timedelta(0)),
        ("Z", timedelta(0)),
        ("+02:00", timedelta(hours=2)),
        ("-0530", timedelta(hours=-5, minutes=-30)),
        ("+2:00", timedelta(hours=2)),
        ("Europe/Berlin", timedelta(hours=1)),
        ("europe/berlin", timedelta(hours=1)),
        ("AMERICA/NEW_YORK", timedelta(hours=-5)),
    ],
)
def test_zones(name: str, offset: timedelta) -> None:
    zone = parse_zone(name, "--tz")
    assert datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset() == offset


def test_local_zone_and_unknown_zones() -> None:
    local = parse_zone("local", "--tz")
    assert datetime(2026, 1, 15, 12, tzinfo=local).utcoffset() == datetime(2026, 1, 15, 12).astimezone().utcoffset()
    with pytest.raises(UsageError) as error:
        parse_zone("Mars/Base", "--tz")
    assert error.value.message == (
        "--tz: unknown time zone 'Mars/Base' "
        "(give UTC, local, an offset such as -05:00, an IANA name such as America/New_York or a Windows name such as Eastern Standard Time)"
    )


def test_user_given_times() -> None:
    assert parse_when("2014-09-15 10:00", "--now") == datetime(2014, 9, 15, 10, 0)
    assert parse_when("9/15/2014 10:00 AM", "--now") == datetime(2014, 9, 15, 10, 0)
    assert parse_when("2014-09-15T10:00:00-04:00", "--now") == datetime(
        2014, 9, 15, 14, 0, tzinfo=timezone.utc
    )
    zoned = parse_when("2014-09-15 10:00", "--now", timezone(timedelta(hours=2)))
    assert zoned.utcoffset() == timedelta(hours=2)
    now = parse_when(" NOW ", "--now")
    assert isinstance(now, WallClock) and now.tzinfo is not None
    assert now == WALL_CLOCK  # the wall clock (fixed for the tests), to the millisecond
    with pytest.raises(UsageError) as error:
        parse_when("garbage", "--now")
    assert error.value.message == (
        "--now: cannot read 'garbage' as a date and time (for example 2026-11-25T12:00 or '11/25/2026 12:00 PM')"
    )


def test_slash_dates_are_month_first_and_relative_times_follow_the_wall_clock() -> None:
    """SPEC §5: month/day/year as SMS logs write them; `now-2h` is a wall-clock time (a log
    without offsets reads it as local time) but not `now` itself (the HTML says "now")."""
    assert parse_when("1/2/2026 10:00", "--now") == datetime(2026, 1, 2, 10, 0)
    assert parse_when("11-25-26 10:00", "--now") == datetime(2026, 11, 25, 10, 0)
    earlier = parse_when("now-2h", "--now")
    assert (type(earlier), earlier) == (WallClock, WALL_CLOCK - timedelta(hours=2))
    assert type(parse_when("now", "--now")) is Now
    japan = parse_when("2026-11-25 12:00 japan", "--now")
    assert japan.utcoffset() == timedelta(hours=9)  # an IANA name, not an abbreviation
    for abbreviation in ("est", "Cet", "pst", "gb", "gmt0bst"):
        with pytest.raises(UsageError, match="reads as a zone abbreviation"):
            parse_zone(abbreviation, "--tz")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2014, 9, 14, 10, 23, 54), "2014-09-14T10:23:54"),
        (datetime(2014, 9, 14, 10, 23, 54, 15000), "2014-09-14T10:23:54.015"),
        (datetime(2014, 9, 14, 10, 23, 54, 15001), "2014-09-14T10:23:54.015001"),
        (datetime(2014, 9, 14, 10, 23, 54, 1000, tzinfo=bias_zone(240)), "2014-09-14T10:23:54.001-04:00"),
        (datetime(2014, 9, 14, 10, 23, 54, 1, tzinfo=UTC), "2014-09-14T10:23:54.000001+00:00"),
        (None, None),
    ],
)
def test_iso_keeps_the_precision_the_value_has(value: datetime | None, text: str | None) -> None:
    assert iso(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (59.9, "59s"),
        (60, "1m"),
        (3599, "59m"),
        (3600, "1h 00m"),
        (3660, "1h 01m"),
        (86399, "23h 59m"),
        (86400, "1d"),
        (90000, "1d 1h"),
        (-125, "2m"),
        (365 * 86400 - 1, "364d 23h"),
        (365 * 86400, "365d"),  # a year is 365.2425 days (the calendar's mean)
        (365 * 86400 + 6 * 3600, "1y"),  # (365.25 days)
        (367 * 86400, "1y 1d"),
        (730 * 86400, "1y 364d"),
        (731 * 86400, "2y"),
        (4454 * 86400, "12y 71d"),  # 2014-09-15 to 2026-11-25 (three leap days between)
    ],
)
def test_human_durations(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


@pytest.mark.parametrize(
    ("length", "label"),
    [(timedelta(hours=24), "24 h"), (timedelta(minutes=90), "90 min"), (timedelta(seconds=45), "45 s"), (timedelta(hours=1), "1 h")],
)
def test_timer_labels(length: timedelta, label: str) -> None:
    assert timer_label(length) == label


def test_instant_key_treats_naive_times_as_utc() -> None:
    assert instant_key(datetime(1970, 1, 1, 0, 0, 1)) == 1.0
    assert instant_key(datetime(1970, 1, 1, 0, 0, 1, tzinfo=bias_zone(-60))) == -3599.0


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)
    ),
    st.sampled_from([None, 0, 240, -60, 480, -330]),
)
def test_moments_round_trip(value: datetime, bias: int | None) -> None:
    zoned = value if bias is None else value.replace(tzinfo=bias_zone(bias))
    us = micros(zoned)
    back = moment_time(us, zoned.tzinfo)
    assert back == zoned and back.utcoffset() == zoned.utcoffset()
    assert us == round(instant_key(zoned) * 1_000_000) or abs(us - instant_key(zoned) * 1e6) < 2


_ZONES = [None, UTC, bias_zone(240), bias_zone(-330), bias_zone(1439), bias_zone(-1439)]


@given(
    st.integers(min_value=-62_135_596_800_000_000, max_value=253_402_300_799_999_999),
    st.sampled_from([*_ZONES, ZoneInfo("America/New_York")]),
    st.sampled_from([0, 1, 999, 1000, 123_000, 123_456, 999_999]),
)
def test_iso_from_microseconds_is_the_datetime_s_iso(us: int, zone: Any, micro: int) -> None:
    us = us - us % 1_000_000 + micro  # every kind of fraction: none, milli, micro
    try:
        expected = iso(moment_time(us, zone))
    except (OverflowError, ValueError) as error:  # beyond what datetime holds: the same error
        with pytest.raises(type(error)):
            moment_iso(us, zone)
        return
    assert moment_iso(us, zone) == expected


@pytest.mark.parametrize(
    ("us", "zone", "expected"),
    [
        (0, None, "1970-01-01T00:00:00"),
        (0, UTC, "1970-01-01T00:00:00+00:00"),
        (1_410_704_634_372_000, bias_zone(240), "2014-09-14T10:23:54.372-04:00"),
        (1_410_704_634_000_001, bias_zone(-330), "2014-09-14T19:53:54.000001+05:30"),
        (-1, None, "1969-12-31T23:59:59.999999"),
        (253_402_300_799_999_999, None, "9999-12-31T23:59:59.999999"),
        (-62_135_596_800_000_000, None, "0001-01-01T00:00:00"),
        (-30_610_224_000_000_000, None, "1000-01-01T00:00:00"),
        (-30_610_224_000_000_001, None, "0999-12-31T23:59:59.999999"),  # four-digit years
    ],
)
def test_iso_from_microseconds_at_the_edges(us: int, zone: Any, expected: str) -> None:
    for cache in (times._FIXED, times._MINUTES, times._DATES):
        cache.clear()  # made afresh, then read from the caches
    assert moment_iso(us, zone) == expected == iso(moment_time(us, zone))
    assert moment_iso(us, zone) == expected


def test_naive_instants_do_not_depend_on_the_machine_s_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert instant_key(datetime(1970, 1, 2)) == 86400.0
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_given_offset_wins_over_the_default_zone() -> None:
    value = parse_when("2014-09-15T10:00:00+02:00", "--now", timezone.utc)
    assert value.utcoffset() == timedelta(hours=2)


def test_now_is_the_wall_clock_cut_to_the_millisecond(monkeypatch: pytest.MonkeyPatch) -> None:
    """The log's times have milliseconds: `now` and `now-2h` drop the microseconds the clock has
    (not rounding them, and keeping its zone)."""
    pacific = timezone(timedelta(hours=-8))
    clock = datetime(2026, 11, 25, 16, 10, 5, 999_456, tzinfo=pacific)
    monkeypatch.setattr("logsync.times.wall_clock", lambda: clock)
    now = parse_when("now", "--now")
    assert (type(now), now, now.tzinfo) == (Now, datetime(2026, 11, 25, 16, 10, 5, 999_000, tzinfo=pacific), pacific)
    earlier = parse_when("now-2h", "--now")
    assert (type(earlier), earlier) == (WallClock, datetime(2026, 11, 25, 14, 10, 5, 999_000, tzinfo=pacific))


def test_the_zone_of_an_input_with_no_times_names_itself_and_has_no_offset() -> None:
    from logsync.times import NO_TIMES, timeless

    moment = datetime(2026, 11, 25, 12, 0, tzinfo=NO_TIMES)
    assert (moment.utcoffset(), moment.dst(), moment.tzname(), repr(NO_TIMES)) == (
        timedelta(0), timedelta(0), "no times", "NO_TIMES",
    )
    assert (timeless(moment), timeless(None), iso(moment)) == (True, False, None)


@pytest.mark.parametrize(
    ("name", "offset"),
    [("+14:00", timedelta(hours=14)), ("-14", timedelta(hours=-14)), ("UTC+05:59", timedelta(hours=5, minutes=59))],
)
def test_offsets_up_to_14_hours_and_59_minutes_are_zones(name: str, offset: timedelta) -> None:
    assert parse_zone(name, "--tz").utcoffset(None) == offset


@pytest.mark.parametrize("name", ["+15:00", "-15", "+05:60", "UTC-14:99"])
def test_offsets_beyond_14_hours_or_59_minutes_are_refused(name: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_zone(name, "--tz")
    assert error.value.message == f"--tz: {name!r} is no UTC offset"


DAY_FIRST = "reads only day-first; dates of numbers are month/day/year, as SMS logs write them: write the ISO form"
CANNOT_READ = "as a date and time (for example 2026-11-25T12:00 or '11/25/2026 12:00 PM')"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13/11/2026 10:00", f"'13/11/2026 10:00' {DAY_FIRST} 2026-11-13"),
        ("13/1/2026 10:00", f"'13/1/2026 10:00' {DAY_FIRST} 2026-01-13"),
        ("13/12/2026 10:00", f"'13/12/2026 10:00' {DAY_FIRST} 2026-12-13"),
        ("26/11/26 10:00", f"'26/11/26 10:00' {DAY_FIRST} 2026-11-26"),
        # no month reading either way: unreadable, with no ISO form to hint
        ("13/13/2026 10:00", f"cannot read '13/13/2026 10:00' {CANNOT_READ}"),
    ],
)
def test_a_date_is_refused_as_day_first_only_when_only_its_second_number_is_a_month(
    text: str, message: str
) -> None:
    with pytest.raises(UsageError) as error:
        parse_when(text, "--now")
    assert error.value.message == f"--now: {message}"


def test_a_date_whose_first_number_is_twelve_is_month_first() -> None:
    assert parse_when("12/11/2026 10:00", "--now") == datetime(2026, 12, 11, 10, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11/25/2026 12:00 PM -0500", datetime(2026, 11, 25, 12, 0, tzinfo=timezone(timedelta(hours=-5)))),
        ("11/25/2026 12:00 PM +0000", datetime(2026, 11, 25, 12, 0, tzinfo=UTC)),
        ("Wed Nov 25 12:00:00 UTC 2026", datetime(2026, 11, 25, 12, 0, tzinfo=UTC)),
        ("2026-11-25 12:00 a.m.", datetime(2026, 11, 25, 0, 0)),
    ],
)
def test_offsets_and_utc_read_in_a_common_form(text: str, expected: datetime) -> None:
    value = parse_when(text, "--now")
    assert (value, value.utcoffset()) == (expected, expected.utcoffset())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Wed Nov 25 12:00:00 EST 2026", "'Wed Nov 25 12:00:00 EST 2026': 'EST' reads as a zone abbreviation, which names no one zone: give an offset such as -05:00, an IANA name such as America/New_York or a Windows name such as Eastern Standard Time"),
        ("2026-11-25 12:00 EST -0500", "'2026-11-25 12:00 EST -0500': 'EST' reads as a zone abbreviation, which names no one zone: give an offset such as -05:00, an IANA name such as America/New_York or a Windows name such as Eastern Standard Time"),
        ("2026-11-25T12:00-05:00 America/New_York", "'2026-11-25T12:00-05:00 America/New_York' has both an offset and a zone name"),
    ],
)
def test_an_abbreviation_inside_a_time_or_an_offset_and_a_zone_are_refused(text: str, message: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_when(text, "--now")
    assert error.value.message == f"--now: {message}"


@pytest.mark.parametrize(
    "text",
    ["0002-01-01T00:00:00", "0002-01-01T00:00:00-01:00", "9998-12-31T23:59:59", "9998-12-31T23:59:59+01:00"],
)
def test_the_first_and_last_years_read_are_2_and_9998_in_the_time_and_in_utc(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bound holds in UTC, whatever the machine's zone (Tokyo here: 9998-12-31T22:59:59Z is
    9999 there)."""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert iso(parse_when(text, "--now")) == text
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("text", ["0002-01-01T00:00:00+01:00", "0001-12-31T23:00:00-01:00", "9999-01-01T00:30:00+01:00"])
def test_a_time_whose_utc_year_is_outside_2_to_9998_is_refused(text: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_when(text, "--now")
    assert error.value.message == f"--now: {text!r} is outside the years logsync reads (2 to 9998)"


def test_an_instant_past_the_last_utc_time_datetime_holds_is_left_to_datetime() -> None:
    """9999-12-31T20:00-04:00 is in year 10000 in UTC: beyond what datetime holds, whatever the
    local day; `moment_iso` fails as datetime does rather than write a time."""
    beyond = 253_402_300_800_000_000  # 10000-01-01T00:00:00Z
    with pytest.raises(OverflowError):
        moment_time(beyond, bias_zone(240))
    with pytest.raises(OverflowError):
        moment_iso(beyond, bias_zone(240))


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # an offset after GMT or UTC is the offset it names, as `UTC+2` is (never the POSIX way)
        ("2026-11-25 12:00 GMT -0500", "2026-11-25T12:00:00-05:00"),
        ("2026-11-25 12:00 GMT-0500", "2026-11-25T12:00:00-05:00"),
        ("Wed Nov 25 12:00:00 GMT+1 2026", "2026-11-25T12:00:00+01:00"),
        ("2026-11-25 12:00 UTC+2", "2026-11-25T12:00:00+02:00"),
        # meridiems with dots, UTC names in any case
        ("2026-11-25 12:00 P.M.", "2026-11-25T12:00:00"),
        ("11/25/2026 12:00 a.m.", "2026-11-25T00:00:00"),
        ("Wed Nov 25 12:00:00 utc 2026", "2026-11-25T12:00:00+00:00"),
        ("2026-11-25 12:00 Etc/UTC", "2026-11-25T12:00:00+00:00"),
    ],
)
def test_utc_names_offsets_and_dotted_meridiems_are_read_as_written(text: str, read: str) -> None:
    """Found by mutation testing: `GMT -0500` was read as UTC (the offset dropped), `GMT+1` in
    the middle as -01:00, `P.M.` refused as a zone named M, `utc` in the middle unreadable."""
    assert parse_when(text, "--now").isoformat() == read


def test_a_utc_name_beside_another_offset_is_refused() -> None:
    with pytest.raises(UsageError) as refused:
        parse_when("2026-11-25 12:00 Z +0100", "--now")
    assert refused.value.message == (
        "--now: '2026-11-25 12:00 Z +0100' has both an offset and a zone name (Z)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Etc/GMT+5 is five hours *behind* UTC (the POSIX sign), as the IANA data has it
        ("2026-11-25 10:00 Etc/GMT+5", "2026-11-25T10:00:00-05:00"),
        ("2026-11-25 10:00 Etc/GMT-14", "2026-11-25T10:00:00+14:00"),
        ("11/25/2026 10:00 PM America/Argentina/Buenos_Aires", "2026-11-25T22:00:00-03:00"),
    ],
)
def test_zone_names_with_digits_are_read(text: str, expected: str) -> None:
    assert parse_when(text, "--now").isoformat() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24T10", "2026-11-24T10:00:00"),
        ("20261124T1030", "2026-11-24T10:30:00"),
        ("2026-11-24 T10", "2026-11-24T10:00:00"),
    ],
)
def test_a_time_after_a_t_is_no_zone_name(text: str, expected: str) -> None:
    assert parse_when(text, "--since").isoformat() == expected


@pytest.mark.parametrize("word", ["foo", "zzz", "Pacifc"])
def test_a_word_that_is_no_zone_is_an_unknown_zone_not_an_abbreviation(word: str) -> None:
    """Only an abbreviation a zone shows (EST, cest, GMT0BST) is refused as one that several
    zones share; another word is an unknown zone, in --tz and inside a time alike."""
    unknown = f"unknown time zone '{word}' (give UTC, local, an offset such as -05:00"
    with pytest.raises(UsageError, match=re.escape(f"--tz: {unknown}")):
        parse_zone(word, "--tz")
    with pytest.raises(UsageError, match=re.escape(unknown)):
        times.parse_when(f"2026-11-25 10:00 {word}", "--now")
    for abbreviation in ("EST", "cest", "GMT0BST", "gb", "SGT", "BRT"):
        with pytest.raises(UsageError, match="reads as a zone abbreviation, which names no one zone"):
            times.parse_when(f"2026-11-25 10:00 {abbreviation}", "--now")
        with pytest.raises(UsageError, match="reads as a zone abbreviation, which names no one zone"):
            parse_zone(abbreviation, "--tz")
    with pytest.raises(UsageError, match="'GB' reads as a zone abbreviation"):
        times.parse_when("10:00 GB 2026-11-25", "--now")  # (the zone's word before the date)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.01.2026 11:00", datetime(2026, 1, 5, 11, 0)),
        ("25.11.2026 12:00", datetime(2026, 11, 25, 12, 0)),
        ("5.1.26 11:00", datetime(2026, 1, 5, 11, 0)),
        ("12.11.2026 10:00", datetime(2026, 11, 12, 10, 0)),  # (the twelfth of November)
        ("11/12/2026 10:00", datetime(2026, 11, 12, 10, 0)),  # (slashes: month first)
    ],
)
def test_a_date_with_dots_is_day_month_year_as_the_logs_read_it(
    text: str, expected: datetime
) -> None:
    """A log's `05.01.2026 10:23:54` is read as 5 January; `--now '05.01.2026 11:00'` was read
    as 1 May, so every user of the excerpt was judged four months on (`overdue`)."""
    assert parse_when(text, "--now") == expected


def test_a_date_with_dots_that_reads_only_month_first_is_refused() -> None:
    with pytest.raises(UsageError) as error:
        parse_when("11.25.2026 12:00", "--now")
    assert error.value.message == (
        "--now: '11.25.2026 12:00' reads only month-first; dates with dots are day.month.year: "
        "write the ISO form 2026-11-25"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mon 11/25/2026 4 PM", "'Mon 11/25/2026 4 PM' says Mon, but 2026-11-25 is a Wednesday"),
        (
            "Friday, November 25, 2026 4:00 PM",
            "'Friday, November 25, 2026 4:00 PM' says Friday, but 2026-11-25 is a Wednesday",
        ),
        ("tue. 25.11.2026 10:00", "'tue. 25.11.2026 10:00' says tue., but 2026-11-25 is a Wednesday"),
    ],
)
def test_a_weekday_that_is_not_the_date_s_is_refused(text: str, message: str) -> None:
    with pytest.raises(UsageError) as error:
        parse_when(text, "--now")
    assert error.value.message == f"--now: {message}: correct the date, or leave the weekday out"


@pytest.mark.parametrize(
    "text", ["Wed 11/25/2026 4 PM", "Wednesday, November 25, 2026 4:00 PM", "Wed Nov 25 12:00:00 2026"]
)
def test_a_weekday_that_is_the_date_s_is_read(text: str) -> None:
    assert parse_when(text, "--now").date() == datetime(2026, 11, 25).date()


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Tues 11/24/2026 10:00", 24),
        ("tues. 11/24/2026 10:00", 24),
        ("Weds 11/25/2026 10:00", 25),
        ("Thur 11/26/2026 10:00", 26),
        ("THURS. Nov 26 2026 10:00", 26),
    ],
)
def test_a_weekday_of_four_letters_or_more_is_read(text: str, day: int) -> None:
    """dateutil reads `Tue` and `Tuesday` but not `Tues` or `Thurs`: the whole time was
    unreadable."""
    assert parse_when(text, "--now") == datetime(2026, 11, day, 10)


@pytest.mark.parametrize(
    ("text", "example"),
    [
        ("26 Nov 2026 -08:00", "26 Nov 2026 00:00 -08:00"),
        ("2026-11-26 +01:00", "2026-11-26 00:00 +01:00"),
        ("Nov 26, 2026 -0800", "Nov 26, 2026 00:00 -0800"),
    ],
)
def test_a_date_with_an_offset_and_no_time_of_day_is_refused(text: str, example: str) -> None:
    """dateutil read `26 Nov 2026 -08:00` as 08:00 with no offset: the offset taken for the
    time, its sign dropped."""
    with pytest.raises(UsageError) as error:
        parse_when(text, "--now")
    assert str(error.value) == (
        f"--now: {text!r} has an offset but no time of day: give one (for example {example})"
    )
    assert parse_when(example, "--now").isoformat() == "2026-11-26T00:00:00" + (
        "+01:00" if "+01" in example else "-08:00"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov 26 2026 10:00 -08:00", "2026-11-26T10:00:00-08:00"),
        ("11/26/2026 10 PM -08:00", "2026-11-26T22:00:00-08:00"),
        ("2026-11-26T09:30 +01:00", "2026-11-26T09:30:00+01:00"),
        ("26 Nov 2026", "2026-11-26T00:00:00"),
    ],
)
def test_a_date_with_a_time_of_day_keeps_its_offset(text: str, expected: str) -> None:
    assert parse_when(text, "--now").isoformat() == expected


def test_a_weekday_of_four_letters_that_is_not_the_date_s_is_refused_in_the_words_given() -> None:
    with pytest.raises(UsageError) as error:
        parse_when("Thurs 11/24/2026 10:00", "--now")
    assert str(error.value) == (
        "--now: 'Thurs 11/24/2026 10:00' says Thurs, but 2026-11-24 is a Tuesday: correct the "
        "date, or leave the weekday out"
    )


@pytest.mark.parametrize(
    ("name", "winter", "summer"),
    [("PST8PDT", -8, -7), ("est5edt", -5, -4), ("CST6CDT", -6, -5), ("MST7MDT", -7, -6)],
)
def test_the_us_zones_named_by_their_rules_are_zones(name: str, winter: int, summer: int) -> None:
    """tzdata's `PST8PDT` is one zone, with its daylight saving: not an abbreviation."""
    zone = parse_zone(name, "--tz")
    assert datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset() == timedelta(hours=winter)
    assert datetime(2026, 7, 15, 12, tzinfo=zone).utcoffset() == timedelta(hours=summer)
    for text in (f"2026-11-25T12:00 {name}", f"11/25/2026 12:00 PM {name}"):  # (not `…8` + `PDT`)
        assert times.parse_when(text, "--now").utcoffset() == timedelta(hours=winter)


@pytest.mark.parametrize(
    ("text", "hint"), [("-2h", "now-2h"), ("+1d", "now+1d"), ("- 90m", "now-90m"), ("-2 Hours", "now-2h")]
)
def test_a_length_of_time_alone_is_no_time(text: str, hint: str) -> None:
    """`--now -2h` was "unknown time zone 'h'"; the hint is a time logsync reads."""
    with pytest.raises(UsageError) as error:
        times.parse_when(text, "--now")
    assert error.value.message == (
        f"--now: {text!r} is a length of time, not a time: write {hint} for a time relative to now"
    )
    times.parse_when(hint, "--now")
