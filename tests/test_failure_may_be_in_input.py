"""A user held back by a failure the input does not show, where that failure may be in it: its
first cycle's counts show a failed add that no line names (a ticket that deleted the failure
line, a search that missed it). Its timer runs out by 24 h after that cycle's totals, not by
24 h after the input's first record, which comes before the failure (sweep: bob `waiting`,
recovery "by 09:05:14" the next day, where his failure at 09:10:08 makes it 09:10:14)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from logsync import analyze
from logsync.times import iso

from .conftest import SAMPLES
from .logtext import Log


def excerpt(tmp_path: Path, keep_failure: bool) -> str:
    """The demo log's lines 2434-2460 (11-25 09:05 to 09:25), bob's failure line kept or not."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()[2433:2460]
    kept = [line for line in lines if keep_failure or "Failed to add user bob" not in line]
    assert len(kept) == 27 - (not keep_failure)
    path = tmp_path / "excerpt.log"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return str(path)


def bounds(path: str) -> dict[str, tuple[str, str | None, str | None, str | None, str | None]]:
    return {
        user.upn: (
            user.state,
            iso(user.full_sync_due),
            iso(user.full_sync_due_by),
            iso(user.expected_recovery),
            user.bound,
        )
        for user in analyze([path]).users
        if user.upn in ("bob@contoso.com", "heidi@contoso.com")
    }


def test_the_bound_comes_after_the_cycle_whose_failed_add_no_line_names(tmp_path: Path) -> None:
    assert bounds(excerpt(tmp_path, keep_failure=False)) == {
        "bob@contoso.com": (
            "waiting", None, "2026-11-26T09:10:12.210-08:00", "2026-11-26T09:10:14.885-08:00", "latest",
        ),
        "heidi@contoso.com": (
            "waiting", None, "2026-11-26T09:10:12.210-08:00", "2026-11-26T09:10:14.885-08:00", "latest",
        ),
    }


def test_with_the_failure_line_the_bound_is_the_input_s_first_record(tmp_path: Path) -> None:
    """bob's own line gives his due time; heidi, held back in every cycle, failed before the
    input: its first record plus 24 h, as before."""
    assert bounds(excerpt(tmp_path, keep_failure=True)) == {
        "bob@contoso.com": (
            "waiting", "2026-11-26T09:10:08.462-08:00", None, "2026-11-26T09:10:14.885-08:00", None,
        ),
        "heidi@contoso.com": (
            "waiting", None, "2026-11-26T09:05:05.214-08:00", "2026-11-26T09:05:14.848-08:00", "latest",
        ),
    }


def test_a_cycle_at_the_input_s_bound_that_holds_them_back_skips_them(tmp_path: Path) -> None:
    """Two users named in the input's first cycle, which received one and added none (a failed
    add no line names), then held back in every cycle. One was held back since before the
    input: the cycle at its first record plus 24 h was its retry, and passed it over. Which one,
    the input cannot say; both are judged by that bound, as users held back since before the
    input are (`overdue` at 09:10:03: the gate fails), not by the later one of a failure in the
    first cycle (`waiting` for both would pass `--fail-on overdue`)."""
    log = Log(bias=300)
    start = datetime(2026, 3, 2, 9, 0, 0)
    log.steady(start, "u1@fabrikam.com", "u2@fabrikam.com", received=1)
    moment = start + timedelta(minutes=5)
    while moment <= start + timedelta(days=1, minutes=10):
        log.steady(moment, "u1@fabrikam.com", "u2@fabrikam.com")
        moment += timedelta(minutes=5)
    users = analyze([log.write(tmp_path / "held.log")]).users
    assert [(u.upn, u.state, u.skipped, iso(u.full_sync_due_by), iso(u.expected_recovery)) for u in users] == [
        ("u1@fabrikam.com", "overdue", 3, "2026-03-03T09:00:00-05:00", "2026-03-03T09:00:00-05:00"),
        ("u2@fabrikam.com", "overdue", 3, "2026-03-03T09:00:00-05:00", "2026-03-03T09:00:00-05:00"),
    ]
