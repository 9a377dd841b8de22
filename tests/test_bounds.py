"""The reader's one bound rule (logsync/bounds.py): `--now` keeps the records at or before T,
`events --since` those at or after it, `--until` those before it, and a time with or without
an offset is treated alike by all three."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.bounds import Cutoff, since, until
from logsync.cli import app
from logsync.times import WallClock, bias_zone, micros

from .conftest import SAMPLES

DEMO = str(SAMPLES / "CloudUserSync.log")
PASTED = str(SAMPLES / "pasted" / "ticket.txt")
runner = CliRunner()

# lines 3 and 8 of the demo log, as logged (bias +480: -08:00)
LINE_3 = "2026-11-24T07:00:04.211"
LINE_8 = "2026-11-24T07:05:04.248"
PACIFIC = bias_zone(480)


def event_lines(*args: str) -> list[int]:
    result = runner.invoke(app, ["events", "--format", "ndjson", *args])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line)["line"] for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (LINE_3, LINE_8),  # the log's own wall clock
        ("2026-11-24T15:00:04.211Z", "2026-11-24T15:05:04.248Z"),  # the same instants in UTC
        ("2026-11-24T10:00:04.211-05:00", "2026-11-24T10:05:04.248-05:00"),
    ],
)
def test_since_keeps_a_record_at_its_time_and_until_leaves_one_out(start: str, end: str) -> None:
    assert event_lines("--since", start, "--until", end, DEMO) == [3, 4, 5, 6, 7]


def test_a_microsecond_either_side_of_the_bounds_moves_one_record() -> None:
    assert event_lines(
        "--since", "2026-11-24T07:00:04.211001", "--until", "2026-11-24T07:05:04.248001", DEMO
    ) == [4, 5, 6, 7, 8]


@pytest.mark.parametrize(
    ("now", "left_out"),
    [
        (datetime(2026, 11, 24, 7, 5, 4, 248000), 3033),  # line 8 kept: lines 9 to 3041 out
        (datetime(2026, 11, 24, 15, 5, 4, 248000, tzinfo=timezone.utc), 3033),
        (datetime(2026, 11, 24, 7, 5, 4, 247999), 3034),
        (datetime(2026, 11, 24, 15, 5, 4, 247999, tzinfo=timezone.utc), 3034),
    ],
)
def test_now_keeps_the_record_at_its_time(now: datetime, left_out: int) -> None:
    assert analyze([DEMO], now=now).left_out == left_out


@pytest.mark.parametrize("args", [["report", "--now"], ["events", "--since"], ["events", "--until"]])
def test_a_bound_with_an_offset_on_a_log_without_offsets_is_refused_alike(args: list[str]) -> None:
    """Which instant a pasted excerpt's times are is not known: `--since` dropped the offset
    and compared wall clocks where `--now` refused."""
    result = runner.invoke(app, [*args, "2014-09-15T00:00:00+02:00", PASTED])
    assert (result.exit_code, result.stdout, result.stderr.splitlines()[-1]) == (
        2,
        "",
        f"logsync: error: {args[1]}: 2014-09-15T00:00:00+02:00 has a UTC offset but the log "
        "times have none; give the time without an offset, or --source-tz ZONE",
    )


def test_a_bound_without_an_offset_on_a_log_without_offsets_compares_as_logged() -> None:
    assert event_lines("--since", "2014-09-15T10:24:12", PASTED) == [4, 5, 6]
    assert event_lines("--until", "2014-09-15T10:24:12", PASTED) == [1, 2, 3]


def test_every_bound_decides_alike_at_its_time() -> None:
    """One rule: at the bound itself `--now` and `--since` keep the record, `--until` does not;
    an offset compares instants, none the wall clock, `now` a log without offsets as local."""
    at = micros(datetime(2026, 11, 24, 15, 5, 4, 248000, tzinfo=timezone.utc))
    naive = micros(datetime(2026, 11, 24, 7, 5, 4, 248000))
    for when in (datetime(2026, 11, 24, 7, 5, 4, 248000), datetime.fromtimestamp(at / 1e6, PACIFIC)):
        assert [b.keeps(at, PACIFIC) for b in (Cutoff(when), since(when), until(when))] == [
            True,
            True,
            False,
        ]
        later = at + 1
        assert [b.keeps(later, PACIFIC) for b in (Cutoff(when), since(when), until(when))] == [
            False,
            True,
            False,
        ]
    wall = WallClock(2026, 11, 24, 7, 5, 4, 248000, tzinfo=timezone(timedelta(hours=-3)))
    assert [b.keeps(naive, None) for b in (Cutoff(wall), since(wall), until(wall))] == [
        True,
        True,
        False,
    ]
