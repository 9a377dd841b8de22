"""The library's entry point, `analyze` (logsync/analysis.py), and its rules about a judgement,
as `from logsync import analyze` gives them without the command line: the time it judges at, the
records it leaves out after a cut-off, records in two inputs counted once, runs of one input
merged by time, a what-if restart, the cut-offs it refuses, a log that ended long ago, and
report's --fail-on."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from logsync import analyze
from logsync.errors import UsageError
from logsync.health import HealthCollector
from logsync.render import Display, markdown
from logsync.verdicts import fails, what_if

from .logtext import Log

SCOTT = "scott@contoso.com"
LOCAL = timezone(timedelta(hours=-4))
"""The offset of the logs below: a bias of +240 minutes."""


def failing_log() -> Log:
    """scott fails with UserNotFound in the 10:00 cycle (37 records up to the 10:30 cycle)."""
    return (
        Log()
        .cycle("2026-03-02 10:00", (SCOTT,), failed={SCOTT: "UserNotFound"})
        .cycles("2026-03-02 10:05", "2026-03-02 10:35")
    )


def test_it_judges_as_of_the_last_record_and_leaves_nothing_out(tmp_path: Path) -> None:
    analysis = analyze([failing_log().write(tmp_path / "CloudUserSync.log")])
    assert (analysis.as_of, analysis.left_out, analysis.duplicates, analysis.runs) == (
        datetime(2026, 3, 2, 10, 30, tzinfo=LOCAL),
        0,
        0,
        (),
    )
    (user,) = analysis.users
    assert (user.upn, user.state, user.full_sync_due, user.expected_recovery) == (
        SCOTT,
        "waiting",
        datetime(2026, 3, 3, 10, 0, 2, tzinfo=LOCAL),
        datetime(2026, 3, 3, 10, 5, tzinfo=LOCAL),  # the first cycle on the schedule after
    )
    assert (user.recovery_by, user.seconds_remaining, analysis.restart_at) == ("timer", 84900.0, None)


def test_a_cutoff_is_read_in_the_logs_offset_and_leaves_out_the_records_after_it(
    tmp_path: Path,
) -> None:
    path = failing_log().write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], now=datetime(2026, 3, 2, 10, 12))
    # the cycles of 10:15, 10:20, 10:25 and 10:30, five records each
    assert (analysis.as_of, analysis.left_out) == (datetime(2026, 3, 2, 10, 12, tzinfo=LOCAL), 20)
    assert (analysis.result.cycles, analysis.result.last_time) == (
        3,
        datetime(2026, 3, 2, 10, 10, tzinfo=LOCAL),
    )
    assert analysis.users[0].seconds_remaining == 85980.0  # 10:12 to 10:05 the next day: 23h 53m


def test_a_cutoff_with_an_offset_is_shown_in_the_logs_offset(tmp_path: Path) -> None:
    path = failing_log().write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], now=datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc))
    # only the first three records, at 10:00:00.000, are not after it; scott's came at 10:00:02
    assert (analysis.as_of, analysis.left_out, analysis.users) == (
        datetime(2026, 3, 2, 10, 0, tzinfo=LOCAL),
        34,
        [],
    )


@pytest.mark.parametrize(
    ("cutoff", "message"),
    [
        (
            {"now": datetime(2026, 3, 2, 9, 0)},
            "--now: 2026-03-02T09:00:00-04:00 is before the first record of the input; it spans "
            "2026-03-02T10:00:00-04:00 to 2026-03-02T10:30:00-04:00",
        ),
        (
            {"now": datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)},
            "--now: 2026-03-02T06:00:00-04:00 is before the first record of the input; it spans "
            "2026-03-02T10:00:00-04:00 to 2026-03-02T10:30:00-04:00",
        ),
        (
            {"restart_at": datetime(2026, 3, 1, 10, 0)},
            "--restart-at: 2026-03-01T10:00:00-04:00 is before the first record of the input; "
            "it spans 2026-03-02T10:00:00-04:00 to 2026-03-02T10:30:00-04:00",
        ),
        (
            {"now": datetime(2026, 3, 2, 10, 0), "restart_at": datetime(2026, 3, 2, 10, 0)},
            "--restart-at judges as of its own time: give it without --now",
        ),
    ],
)
def test_a_cutoff_it_cannot_judge_at_is_a_usage_error(
    tmp_path: Path, cutoff: dict[str, datetime], message: str
) -> None:
    path = failing_log().write(tmp_path / "CloudUserSync.log")
    with pytest.raises(UsageError) as raised:
        analyze([path], **cutoff)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_a_what_if_restart_judges_as_of_its_time(tmp_path: Path) -> None:
    path = failing_log().write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], restart_at=datetime(2026, 3, 2, 10, 20))
    at = datetime(2026, 3, 2, 10, 20, tzinfo=LOCAL)
    assert (analysis.as_of, analysis.restart_at, analysis.left_out) == (at, at, 10)
    (user,) = analysis.users
    # no restart in the log to learn its delay from: its full sync comes one interval after
    assert (user.state, user.recovery_by, user.expected_recovery) == (
        "waiting",
        "what-if",
        datetime(2026, 3, 2, 10, 25, tzinfo=LOCAL),
    )
    assert (user.time_saved_s, user.seconds_remaining) == (85200.0, 300.0)


def test_records_in_two_inputs_are_counted_once(tmp_path: Path) -> None:
    first = (
        Log()
        .cycle("2026-03-02 10:00", (SCOTT,), failed={SCOTT: "UserNotFound"})
        .cycles("2026-03-02 10:05", "2026-03-02 10:25")
    )
    second = Log().cycles("2026-03-02 10:15", "2026-03-02 10:35")
    analysis = analyze(
        [first.write(tmp_path / "CloudUserSync.log"), second.write(tmp_path / "later.log")]
    )
    # the cycles of 10:15 and 10:20 are in both, five records each
    assert (analysis.duplicates, analysis.runs, analysis.result.cycles) == (10, (), 7)
    assert analysis.as_of == datetime(2026, 3, 2, 10, 30, tzinfo=LOCAL)
    assert analysis.result.interval == timedelta(minutes=5)


def test_runs_of_one_input_pasted_out_of_order_are_merged_by_time(tmp_path: Path) -> None:
    earlier = (
        Log()
        .cycle("2026-03-02 10:00", (SCOTT,), failed={SCOTT: "UserNotFound"})
        .cycles("2026-03-02 10:05", "2026-03-02 10:25")
    )
    later = Log().cycles("2026-03-02 10:15", "2026-03-02 10:35")
    pasted = Log()
    pasted.lines = later.lines + earlier.lines
    path = pasted.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path])
    assert (analysis.runs, analysis.duplicates, analysis.result.cycles) == (((path, 2),), 10, 7)
    (user,) = analysis.users
    assert (user.state, user.full_sync_due) == (
        "waiting",
        datetime(2026, 3, 3, 10, 0, 2, tzinfo=LOCAL),
    )


SAMPLES = Path(__file__).resolve().parent.parent / "sample_logs"


def test_a_log_that_ended_long_ago_says_so_to_library_callers() -> None:
    """SPEC §4 rule 5 is the library's: the wall clock (fixed by conftest at
    2026-11-25T16:10-08:00) is 12y 71d past the spec case's last record."""
    spec = [str(SAMPLES / "spec-case" / "CloudUserSync.log")]
    analysis = analyze(spec)
    assert analysis.ended_ago == 384860747.575
    collector = HealthCollector()
    health = collector.summarize(analyze(spec, collector=collector))
    page = markdown.report(analysis, analysis.users, analysis.result.counts, Display(), health)
    assert "**As of:** 2014-09-15 10:24:12 -04:00 (the log's end, 12y 71d ago)  \n" in page
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


def test_a_reading_that_starts_over_shows_the_summary_each_row_once(tmp_path: Path) -> None:
    """Two overlapping pasted excerpts (the ticket, and the ticket with one more line): the
    reading starts over to count their shared records once, and the health summary too (it
    counted the first day's request and failure twice)."""
    ticket = (Path(__file__).resolve().parent.parent / "sample_logs" / "pasted" / "ticket.txt").read_text()
    first, second = tmp_path / "t1.txt", tmp_path / "t2.txt"
    first.write_text(ticket)
    second.write_text(ticket + "                       UserDeltaSync:- Users Added = 1, Users Removed = 0\n")
    collector = HealthCollector()
    both = collector.summarize(analyze([str(first), str(second)], collector=collector))
    alone = HealthCollector()
    one = alone.summarize(analyze([str(first)], collector=alone))
    assert both.per_day == one.per_day
    assert {day: (c.requested, c.failed) for day, c in both.per_day.items()} == {
        "2014-09-14": (1, 1),
        "2014-09-15": (1, 0),
    }
    assert both.reasons == {"UserNotFound": 1}


def test_the_collector_is_paused_while_states_are_concluded_and_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Concluding tens of thousands of users makes no cycles: the cyclic collector is paused
    meanwhile (each collection walks every user kept), and left as it was found."""
    import gc

    from logsync.tracker import outlook

    seen: list[bool] = []
    real = outlook.conclude

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("logsync.tracker.rules.conclude", watched)
    analysis = analyze([str(SAMPLES / "CloudUserSync.log")])
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        analysis.tracker.result(analysis.as_of)
        assert seen == [False, False] and not gc.isenabled()  # (not turned on by it)
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("name", "concluded", "matches"),
    [
        ("SCOTT@contoso.com", ["scott@contoso.com"], ["scott@contoso.com"]),  # whole, any case
        ("scott", ["scott@contoso.com"], ["scott@contoso.com"]),  # a part of one UPN
        ("contoso", [], ["scott@contoso.com", "ann@contoso.com"]),  # a part of two: neither
        ("bob", [], []),  # nobody
    ],
)
def test_only_the_followed_user_is_concluded_once_the_input_tells_who_it_is(
    tmp_path: Path, name: str, concluded: list[str], matches: list[str]
) -> None:
    """`timeline`'s one reading: the name (or the part of one) is resolved as the input is read,
    and only the user it names is concluded, with its history; the other users are not."""
    log = failing_log().cycle("2026-03-02 10:40", ("ann@contoso.com",))
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow=name.lower(), follow_part=True, only_followed=True)
    assert [user.upn for user in analysis.users] == concluded
    assert [analysis.tracker.users[key].upn for key in analysis.tracker.history.matches] == matches
    assert sum(analysis.result.counts.values()) == len(concluded)
    assert analysis.tracker.history.named() == (concluded[0] if concluded else None)
    every = analyze([path], follow=name.lower(), follow_part=True)  # (all users concluded)
    assert [(user.upn, user.state) for user in every.users] == [
        ("scott@contoso.com", "waiting"),
        ("ann@contoso.com", "synced"),
    ]
    assert sum(every.result.counts.values()) == 2
