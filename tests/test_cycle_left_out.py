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


def bob(tmp_path: Path, name: str, gap_from: str, gap_to: str) -> tuple[str, str | None, str]:
    """bob fails at 09:00:02 (UserNotFound); cycles every 5 minutes to 09:30 the next day, the
    cycles from `gap_from` to before `gap_to` (that day) replaced by `--`."""
    failed = Log(bias=300).cycle("2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    failed.cycles("2026-03-02 09:05:00", "2026-03-03 08:50:00")
    lines = list(failed.lines)
    for minute in range(50, 95, 5):
        hour, at = 8 + minute // 60, minute % 60
        cycle = Log(bias=300).cycle(f"2026-03-03 {hour:02d}:{at:02d}:00").lines
        inside = gap_from <= f"{hour:02d}:{at:02d}" < gap_to
        if inside and lines[-1] != "--":
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
def test_a_retry_in_a_cycle_left_out_is_unseen(tmp_path: Path, gap_from: str, gap_to: str, found: tuple[str, str | None, str]) -> None:
    assert bob(tmp_path, "excerpt.log", gap_from, gap_to) == found


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
