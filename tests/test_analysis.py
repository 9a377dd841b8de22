"""The library's rules about a judgement (`logsync.analysis`), as `from logsync import analyze`
gives them without the command line."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from logsync import analyze
from logsync.analysis import fails, what_if
from logsync.health import HealthCollector
from logsync.render import Display, markdown

SAMPLES = Path(__file__).resolve().parent.parent / "sample_logs"


def test_a_log_that_ended_long_ago_says_so_to_library_callers() -> None:
    """SPEC §4 rule 5 is the library's: the wall clock (fixed by conftest at
    2026-11-25T16:10-08:00) is 12y 74d past the spec case's last record."""
    spec = [str(SAMPLES / "spec-case" / "CloudUserSync.log")]
    analysis = analyze(spec)
    assert analysis.ended_ago == 384860747.575
    collector = HealthCollector()
    health = collector.summarize(analyze(spec, collector=collector))
    page = markdown.report(analysis, analysis.users, analysis.result.counts, Display(), health)
    assert "**As of:** 2014-09-15 10:24:12 -04:00 (the log's end, 12y 74d ago)  \n" in page
    # judged as of a given time: the judgement is not as of the log's end
    given = datetime(2014, 9, 15, 10, 25, tzinfo=timezone(timedelta(hours=-4)))
    assert analyze(spec, now=given).ended_ago is None
    assert analyze(spec, restart_at=given).ended_ago is None


def test_a_log_that_ends_within_three_intervals_of_the_wall_clock_is_current() -> None:
    assert analyze([str(SAMPLES / "CloudUserSync.log")]).ended_ago is None


def test_what_a_restart_changes_is_the_librarys_rule() -> None:
    """The users a what-if restart frees strictly sooner (waiting) and retries (overdue), as
    `report --restart-at` shows them, without the command line."""
    when = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=-8)))
    analysis = analyze([str(SAMPLES / "CloudUserSync.log")], restart_at=when)
    change = what_if(analysis.users)
    assert [u.upn for u in change.freed] == ["bob@contoso.com", "heidi@contoso.com"]
    assert [u.upn for u in change.retried] == ["ivan@contoso.com"]
    assert round(sum(change.time_saved_s), 3) == 84001.558
    assert change.not_in_azure_ad is None  # no export of Azure AD users given


def test_report_fails_on_a_state_any_matched_user_is_in() -> None:
    analysis = analyze([str(SAMPLES / "CloudUserSync.log")], states=frozenset({"failed"}))
    assert fails(analysis, frozenset({"overdue"}))  # counted though not listed
    assert not fails(analysis, frozenset({"no_cycles", "certificate_missing"}))  # it cycles
