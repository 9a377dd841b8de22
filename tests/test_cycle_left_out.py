"""A user past its expected retry where an excerpt leaves out the cycle that retried it (SPEC
§4 rule 5): the first cycle after its due time that the input shows is one interval later
than the schedule's, so the retry may be in the lines left out (`pending`, `retry_unseen`), not
missing (`overdue`).

From a sweep: heidi's re-failure cycle (11-25 10:10) cut out of the demo log and replaced by
grep's `--` made her `overdue` (expected 10:15:04, passed), though stderr said that users whose
retry may be where lines are left out are pending."""

from __future__ import annotations

from pathlib import Path

import pytest

from logsync import analyze
from logsync.times import iso

from .conftest import SAMPLES
from .logtext import Log


def write(path: Path, lines: list[str]) -> str:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return str(path)


def bob(
    tmp_path: Path, name: str, gap_from: str, gap_to: str, mark: bool = True
) -> tuple[str, str | None, str]:
    """bob fails at 09:00:02 (UserNotFound); cycles every 5 minutes to 09:30 the next day, the
    cycles from `gap_from` to before `gap_to` (that day) replaced by `--` (`mark`), or cut out
    with nothing in their place."""
    failed = Log(bias=300).cycle("2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    failed.cycles("2026-03-02 09:05:00", "2026-03-03 08:50:00")
    lines = list(failed.lines)
    for minute in range(50, 95, 5):
        hour, at = 8 + minute // 60, minute % 60
        cycle = Log(bias=300).cycle(f"2026-03-03 {hour:02d}:{at:02d}:00").lines
        inside = gap_from <= f"{hour:02d}:{at:02d}" < gap_to
        if inside and mark and lines[-1] != "--":
            lines.append("--")
        if not inside:
            lines.extend(cycle)
    (user,) = analyze([write(tmp_path / name, lines)]).users
    return user.state, user.pending_reason, iso(user.expected_recovery)


@pytest.mark.parametrize(
    ("gap_from", "gap_to", "found"),
    [
        ("09:05", "09:10", ("pending", "retry_unseen", "2026-03-03T09:10:00-05:00")),  # (its retry)
        ("09:05", "09:15", ("pending", "retry_unseen", "2026-03-03T09:15:00-05:00")),
        ("09:00", "09:10", ("pending", "retry_unseen", "2026-03-03T09:10:00-05:00")),
        ("09:00", "09:05", ("overdue", None, "2026-03-03T09:05:00-05:00")),  # (before its due)
        ("08:55", "09:00", ("overdue", None, "2026-03-03T09:05:00-05:00")),
        ("99:99", "99:99", ("overdue", None, "2026-03-03T09:05:00-05:00")),  # (no gap)
    ],
)
@pytest.mark.parametrize("mark", [True, False])
def test_a_retry_in_a_cycle_left_out_is_unseen(tmp_path: Path, gap_from: str, gap_to: str, found: tuple[str, str | None, str], mark: bool) -> None:
    """Marked or not: where cycles were cut out with nothing in their place, the schedule
    shows where (a silence of one or two intervals is no stall, and a user added in its retry
    cycle is named in no later cycle, as an overdue one is not either)."""
    assert bob(tmp_path, "excerpt.log", gap_from, gap_to, mark) == found


def test_heidi_s_retry_cycle_left_out_of_the_demo_log(tmp_path: Path) -> None:
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
    start = next(k for k, line in enumerate(lines) if "<11-25-2026 10:10:0" in line)
    end = next(k for k, line in enumerate(lines) if "<11-25-2026 10:15:0" in line)
    assert "Failed to add user heidi@contoso.com" in "\n".join(lines[start:end])
    cut = write(tmp_path / "cut.log", [*lines[:start], "--", *lines[end:]])
    users = {user.upn: user for user in analyze([cut]).users}
    heidi = users["heidi@contoso.com"]
    assert (heidi.state, heidi.pending_reason, iso(heidi.expected_recovery)) == (
        "pending", "retry_unseen", "2026-11-25T10:15:04.310-08:00"
    )


def cut_cycle(tmp_path: Path, stamp: str) -> str:
    """The demo log with the cycle that starts at `stamp` (11-25) cut out, nothing in its place."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
    start = next(k for k, line in enumerate(lines) if f"<11-25-2026 {stamp}:0" in line)
    end = start + 1 + next(k for k, line in enumerate(lines[start + 1 :]) if "Starting user delta" in line)
    assert "Starting user delta" in lines[start] and "UserDeltaSync:-" in lines[end - 1]
    return write(tmp_path / "cut.log", [*lines[:start], *lines[end:]])


@pytest.mark.parametrize(
    ("stamp", "upn", "found"),
    [
        # carol's retry cycle, which added her: named in no later cycle, as ivan is not
        ("07:45", "carol@contoso.com", ("pending", "retry_unseen", "2026-11-25T07:50:04.437-08:00")),
        ("07:50", "carol@contoso.com", ("recovered", None, "2026-11-25T07:45:08.707-08:00")),
        ("07:40", "carol@contoso.com", ("recovered", None, "2026-11-25T07:45:08.707-08:00")),
        # ivan's retry cycle, which did not come: the input cannot say so any more
        ("08:25", "ivan@contoso.com", ("pending", "retry_unseen", "2026-11-25T08:30:04.333-08:00")),
        ("08:30", "ivan@contoso.com", ("overdue", None, "2026-11-25T08:25:04.296-08:00")),
        ("08:20", "ivan@contoso.com", ("overdue", None, "2026-11-25T08:25:04.296-08:00")),
    ],
)
def test_a_cycle_cut_out_of_the_demo_log_with_nothing_in_its_place(
    tmp_path: Path, stamp: str, upn: str, found: tuple[str, str | None, str]
) -> None:
    users = {user.upn: user for user in analyze([cut_cycle(tmp_path, stamp)]).users}
    user = users[upn]
    when = user.recovered_at if user.state == "recovered" else user.expected_recovery
    assert (user.state, user.pending_reason, iso(when)) == found


def test_check_counts_a_user_whose_retry_cycle_was_cut_out_as_maybe_stuck(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from logsync.cli import app

    gate = CliRunner().invoke(app, ["check", cut_cycle(tmp_path, "07:45")])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines()[-1] == (
        "FAIL: 6 users (3 waiting, 1 overdue, 1 failed, 1 pending that may be stuck), limit 0 as "
        "of 2026-11-25T16:04:59.644-08:00; 1 other pending user not counted by --fail-on "
        "waiting,overdue,failed,connector"
    )


@pytest.mark.parametrize(
    ("late", "found"),
    [
        (150, ("overdue", None)),  # (its retry at 09:02:30, late: shown, passing him over)
        (450, ("overdue", None)),  # (09:07:30: late by half an interval, the schedule moved)
        (600, ("pending", "retry_unseen")),  # (09:10: the 09:05 cycle missing, cut out?)
        # (ten seconds each side of 15 min after the start of his last cycle, 08:55:00; he
        # was named at 08:55:02)
        (590, ("pending", "retry_unseen")),
        (589.999, ("overdue", None)),
        (612, ("pending", "retry_unseen")),  # (later: a silence of more than 3 intervals)
    ],
)
def test_a_whole_log_whose_connector_was_late_keeps_bob_overdue(tmp_path: Path, late: float, found: tuple[str, str | None]) -> None:
    """bob, due at 09:00:02, last named at 08:55:02; the next cycle comes `late` seconds after
    its place on the schedule (09:00), and the cycles after it keep the new phase; bob is named
    in none. A cycle cut out of a log
    keeps the schedule (a whole number of intervals after his last cycle's start, ten seconds
    each side); a connector that was late moves it: the retry came, and passed him over (review)."""
    from datetime import datetime, timedelta

    log = Log(bias=300).cycle("2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    moment = datetime(2026, 3, 2, 9, 5)
    while moment < datetime(2026, 3, 3, 9, 0):
        log.steady(moment, "bob@contoso.com")  # (held back: received = 0)
        moment += timedelta(minutes=5)
    moment += timedelta(seconds=late)
    while moment < datetime(2026, 3, 3, 9, 40):
        log.steady(moment)
        moment += timedelta(minutes=5)
    (user,) = analyze([write(tmp_path / "late.log", log.lines)]).users
    assert (user.state, user.pending_reason) == found


def late_in_its_cycle(tmp_path: Path, before: int, gap_from: str, gap_to: str) -> tuple[str, str | None, str]:
    """bob as in `bob`, named after `before` users of his cycle (2 s each: 100 users put him
    202 s into it), who were added."""
    names = (*(f"user{k:03d}@contoso.com" for k in range(before)), "bob@contoso.com")
    failed = Log(bias=300).cycle("2026-03-02 09:00:00", names, {"bob@contoso.com": "UserNotFound"})
    lines = list(failed.cycles("2026-03-02 09:05:00", "2026-03-03 08:50:00").lines)
    for minute in range(50, 95, 5):
        at = f"{8 + minute // 60:02d}:{minute % 60:02d}"
        if not gap_from <= at < gap_to:
            lines.extend(Log(bias=300).cycle(f"2026-03-03 {at}:00").lines)
    users = {user.upn: user for user in analyze([write(tmp_path / "late.log", lines)]).users}
    found = users["bob@contoso.com"]
    return found.state, found.pending_reason, iso(found.expected_recovery)


@pytest.mark.parametrize("before", [0, 4, 5, 9, 100])
def test_the_schedule_is_measured_from_the_start_of_the_cycle_that_named_the_user(
    tmp_path: Path, before: int
) -> None:
    """From a mutation run: the schedule was measured from bob's notification, so bob named
    12 s or more into his cycle (after 5 users) was `overdue` where his retry cycle is cut
    out, and named 10 s in, `pending`. The cycles keep the schedule of their starts."""
    assert late_in_its_cycle(tmp_path, before, "09:05", "09:10") == (
        "pending", "retry_unseen", "2026-03-03T09:10:00-05:00"
    )
    assert late_in_its_cycle(tmp_path, before, "99:99", "99:99") == (
        "overdue", None, "2026-03-03T09:05:00-05:00"
    )


def test_every_cycle_s_start_is_kept_by_its_number() -> None:
    """`Openings.numbered` and `began`, across the arrays their starts are kept in (4,096 each):
    each cycle's start by its number, none for a restart's or before the first."""
    from logsync.tracker.openings import Openings

    openings = Openings()
    numbers = [openings.numbered(None if n % 1000 == 0 else n * 300_000_000) for n in range(1, 10_001)]
    assert numbers == list(range(1, 10_001))
    assert [openings.began(n) for n in (0, 1, 4095, 4096, 4097, 8192, 8193, 9000, 10_000)] == [
        None, 300_000_000, 4095 * 300_000_000, 4096 * 300_000_000, 4097 * 300_000_000,
        8192 * 300_000_000, 8193 * 300_000_000, None, None,
    ]
