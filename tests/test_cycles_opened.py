"""A cycle whose start line the input leaves out begins at its removal lines (`Openings.opens`):
where a user's timer ran out before it, it is the user's retry (`User.due_cycle`), as a cycle
whose start is shown is. Before, only start lines were: `grep -C2 --no-group-separator 'user to
add'` of the demo log (no cycle start kept but the last) made ivan `waiting` for the log's last
cycle, and `check --fail-on overdue` passed where the whole log fails it (fuzzing)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.times import iso
from logsync.tracker.timers import OPENED_US

from .conftest import SAMPLES
from .logtext import Log


def searched(tmp_path: Path) -> str:
    """`grep -C2 --no-group-separator 'user to add'` of the demo log."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
    hits = [n for n, line in enumerate(lines) if "user to add" in line]
    kept = sorted({n + d for n in hits for d in range(-2, 3)} & set(range(len(lines))))
    path = tmp_path / "searched.log"
    path.write_text("\n".join(lines[n] for n in kept) + "\n", encoding="utf-8")
    return str(path)


def test_ivan_s_retry_is_the_first_cycle_its_removal_lines_open(tmp_path: Path) -> None:
    path = searched(tmp_path)
    users = {u.upn: u for u in analyze([path]).users}
    ivan = users["ivan@contoso.com"]
    # (its removal line: the cycle began at most a second before, at 08:25:04.296 in the log)
    assert (ivan.state, iso(ivan.expected_recovery)) == ("overdue", "2026-11-25T08:25:04.433-08:00")
    gate = CliRunner().invoke(app, ["check", "--fail-on", "overdue", path])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines() == [
        "ivan@contoso.com\toverdue\tUserNotFound\texpected recovery 2026-11-25T08:25:04.433-08:00 "
        "passed, no retry logged",
        "FAIL: 1 user (1 overdue), limit 0 as of 2026-11-25T16:04:59.644-08:00; 3 stuck users, 1 "
        "failed user and 1 pending user not counted by --fail-on overdue",
    ]


def opened(tmp_path: Path, after: float) -> str | None:
    """u fails at 09:00:02; then cycles shown from their removal lines, `after` seconds past
    each fifth minute, with their totals (no start lines): the time of u's retry cycle."""
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", ("u@fabrikam.com",), {"u@fabrikam.com": "UserNotFound"})
    moment = datetime(2026, 3, 2, 9, 5) + timedelta(seconds=after)
    while moment < datetime(2026, 3, 3, 9, 20):
        log.at(moment, "Total received users from SCCM to be removed from cloud = 0")
        log.at(moment + timedelta(milliseconds=100), "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0")
        moment += timedelta(minutes=5)
    path = log.write(tmp_path / f"opened-{after}.log")
    steps = analyze([path], follow="u@fabrikam.com").tracker.history.followed()
    return next((iso(s.time) for s in steps if s.what == "retry_cycle"), None)


@pytest.mark.parametrize(
    ("after", "retry"),
    [
        (2.0, "2026-03-03T09:05:02-05:00"),  # (its removal line at its due time: too close)
        (2.999, "2026-03-03T09:05:02.999-05:00"),
        (3.001, "2026-03-03T09:00:03.001-05:00"),  # (more than a second after: its retry)
        (1.5, "2026-03-03T09:05:01.500-05:00"),  # (before its due time)
    ],
)
def test_a_cycle_opened_a_second_after_a_due_time_is_the_retry(tmp_path: Path, after: float, retry: str) -> None:
    assert OPENED_US == 1_000_000
    assert opened(tmp_path, after) == retry
