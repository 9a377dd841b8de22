"""A gap between cycles longer than three default intervals measures the interval only where
another gap agrees with it: two cycles of a log a day apart (what a `grep -C` of a ticket
kept, or a stall's two ends) are no schedule, and a connector that cycles that slowly shows
each gap again (`schedule.observed_interval`, `LONE_GAP_US`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.tracker.schedule import KEPT_US, LONE_GAP_US, LONGEST_US, observed_interval

runner = CliRunner()
S = 1_000_000
DEMO = (Path(__file__).resolve().parent.parent / "sample_logs" / "CloudUserSync.log").read_text(
    encoding="utf-8-sig"
).splitlines(keepends=True)


def lines(first: int, last: int) -> str:
    """The demo log's lines `first` to `last` (numbered from 1, both kept)."""
    return "".join(DEMO[first - 1 : last])


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        ([LONE_GAP_US], LONE_GAP_US),  # (three default intervals: still a schedule)
        ([LONE_GAP_US + 1], None),
        ([94_200 * S], None),  # (two cycles a day apart)
        ([3600 * S, 3600 * S + KEPT_US], 3600 * S),  # (an hourly connector, seen twice)
        ([LONGEST_US, LONGEST_US], LONGEST_US),
        ([3600 * S, 3600 * S + KEPT_US + 1], None),
        ([3600 * S, 94_200 * S, 3600 * S], 3600 * S),
        ([300 * S, 94_200 * S], 300 * S),  # (a day left out between cycles in a row)
        ([3600 * S + 1, 3600 * S + 1], None),  # (longer than an hour: never, though they agree)
        # (a user's failures a day apart kept by a search: each retry 288 cycles after the last)
        ([86_410_656_000, 86_410_656_000, 86_410_656_000], None),
    ],
)
def test_a_long_gap_measures_the_interval_where_another_agrees(
    gaps: list[int], expected: int | None
) -> None:
    assert observed_interval(gaps, False) == expected


def test_times_to_the_second_are_held_to_the_same_rule() -> None:
    assert observed_interval([3600 * S, 3601 * S], True) == 3600_500_000
    assert observed_interval([86_400 * S], True) is None


def report(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "excerpt.log"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["report", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_two_cycles_of_the_demo_log_a_day_apart_give_the_default_interval(tmp_path: Path) -> None:
    """The demo log's cycle of 11-24 07:00 and the one of bob's failure a day later (11-25
    09:10): the interval was "observed" at 94,200 s, and bob's retry foretold at 11:20 the day
    after his due time. Now the interval is the default, and his retry the first cycle on its
    schedule after 09:10:08.462 (the log's own: 09:10:14.885, 37 ms a cycle later)."""
    document = report(tmp_path, lines(3, 7) + lines(2436, 2444))
    summary = document["summary"]
    assert (summary["cycles"], summary["interval_s"], summary["interval_basis"]) == (
        2,
        300,
        "default",
    )
    assert [(u["upn"], u["state"], u["expected_recovery"]) for u in document["users"]] == [
        ("bob@contoso.com", "waiting", "2026-11-26T09:15:04.229-08:00")
    ]


def test_a_third_cycle_in_a_row_measures_it(tmp_path: Path) -> None:
    """The next cycle kept as well (09:15): the gap of 300.037 s is the interval."""
    document = report(tmp_path, lines(3, 7) + lines(2436, 2451))
    summary = document["summary"]
    assert (summary["interval_s"], summary["interval_basis"]) == (300.037, "observed")
    assert [(u["upn"], u["state"], u["expected_recovery"]) for u in document["users"]] == [
        ("bob@contoso.com", "waiting", "2026-11-26T09:10:14.885-08:00"),
        ("heidi@contoso.com", "pending", None),  # (named twice: held back before, or not)
    ]


def test_a_day_with_no_cycle_between_two_is_not_heard_through(tmp_path: Path) -> None:
    """bob fails at 09:00:02; the log's next cycles are the next day from 09:30, none naming
    him. The interval was "observed" at that day (and a day's silence heard through), so bob
    was `overdue`: his retry, due at 09:00:02, may be in the day the log does not show."""
    from logsync import analyze

    from .logtext import Log

    log = Log(bias=300).cycle(
        "2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"}
    )
    log.cycles("2026-03-03 09:30:00", "2026-03-03 10:00:00")
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert [(u.upn, u.state, u.pending_reason) for u in analysis.users] == [
        ("bob@contoso.com", "pending", "retry_unseen")
    ]
    assert analysis.tracker.log.unheard is not None
