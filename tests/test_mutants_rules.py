"""Rules that mutation testing (mutmut, docs/mutation-survivors.md) found untested: the
boundaries of a silence of the connector (`ConnectorLog.unheard`) where a cycle decides users
or a retry may be unseen, the places an excerpt leaves lines out (`connector.leaves_out`), how
a pasted text was broken (`cuts.cut_at`, `cuts._spaced_both_ways`) or cut off
(`cuts._piece_of`), and where `watch` says the causes it reads apart are."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.follow import Follower
from logsync.formats import aspasted, cuts
from logsync.health import HealthCollector
from logsync.times import iso, micros
from logsync.tracker import Tracker, TrackerOptions
from logsync.watch import Watcher

from .conftest import REAL_LOGS, SAMPLES
from .logtext import Log
from .test_as_pasted import (
    BLOG_QUOTES,
    EXCERPT_TEXT,
    _as_dated_lines,
    cut,
    demo_window,
    how_pasted,
    wrapped,
)
from .test_cycles_heard_through import unheard_note

runner = CliRunner()
START = "Starting user delta sync, raise failure status messages = True"
ANN, BEN = "ann@contoso.com", "ben@contoso.com"
TOTALS_NONE = "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0"


def held(*upns: str) -> Log:
    """Cycles every 5 minutes from 09:00 to 09:25 that notify `upns` and receive nobody: held
    back since before the log, and an interval of 5 minutes observed (a silence of more than
    15 minutes is not heard through)."""
    log = Log(bias=300)
    for minute in range(0, 30, 5):
        log.steady(datetime(2026, 3, 2, 9, minute), *upns)
    return log


def states(tmp_path: Path, log: Log) -> list[tuple[str, str, str | None, str | None]]:
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    return [(u.upn, u.state, u.pending_reason, iso(u.recovered_at)) for u in result.users]


def test_an_undecided_cycle_that_ends_a_silence_is_decided_by_the_next(tmp_path: Path) -> None:
    """A totals line at 09:00, then nothing until 12:00 (the connector not heard, at the default
    interval), where the first whole cycle notifies ann and ben and receives one of them; the
    next cycle notifies ben again: ann was the one received, and added, in that cycle. The
    silence ends at the cycle's start: nothing is left out after it. (Users held back since
    before the log are decided by their absence too, see `_released_by_absence`: these are
    not.)"""
    log = Log(bias=300).at("2026-03-02 09:00:00", TOTALS_NONE)
    log.steady(datetime(2026, 3, 2, 12, 0), ANN, BEN, received=1, added=1)
    log.steady(datetime(2026, 3, 2, 12, 5), BEN)
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert analysis.tracker.log.unheard == (
        micros(datetime.fromisoformat("2026-03-02T09:00:00-05:00")),
        micros(datetime.fromisoformat("2026-03-02T12:00:00-05:00")),
    )
    assert [(u.upn, u.state, u.pending_reason, iso(u.synced_at)) for u in analysis.users] == [
        (BEN, "pending", "undetermined", None),
        (ANN, "synced", None, "2026-03-02T12:00:02-05:00"),
    ]


def test_a_user_kept_undecided_across_a_silence_stays_so_through_later_cycles(
    tmp_path: Path,
) -> None:
    """ann and ben notified at 09:30, one of them received; then no cycle until 12:00, and three
    cycles that notify ben: whether ann was received at 09:30, or held back and passed over in
    the hours not heard, no later cycle can say. She stays undecided through both."""
    log = held(ANN, BEN)
    log.steady(datetime(2026, 3, 2, 9, 30), ANN, BEN, received=1, added=1)
    log.steady(datetime(2026, 3, 2, 12, 0), BEN)
    log.steady(datetime(2026, 3, 2, 12, 5), BEN)
    log.steady(datetime(2026, 3, 2, 12, 10), BEN)
    assert states(tmp_path, log) == [
        (ANN, "pending", "undetermined", None),
        (BEN, "pending", "undetermined", None),
    ]


def test_a_held_user_notified_as_a_silence_ends_is_judged_by_the_cycles_after_it(
    tmp_path: Path,
) -> None:
    """As `test_cycles_heard_through`'s test of that name, with cycles every 5 minutes before
    the silence (there, a single cycle before it makes the interval observed 3 hours: the
    connector is heard through), and counts that do not reconcile (2 received, 1 added, 1 user
    named), which alone decide nothing: x, held back, is notified at 12:00:00, the instant the
    silence ends; the next cycle does not notify it: received at 12:00, and added."""
    log = held("x@contoso.com")
    log.at("2026-03-02 12:00:00", START)
    log.at("2026-03-02 12:00:00", "NotifyAccountAddition - SCCM user to add = x@contoso.com")
    log.at(
        "2026-03-02 12:00:01",
        "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 1",
    )
    log.steady(datetime(2026, 3, 2, 12, 5))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert analysis.tracker.log.unheard == (
        micros(datetime.fromisoformat("2026-03-02T09:25:03-05:00")),
        micros(datetime.fromisoformat("2026-03-02T12:00:00-05:00")),
    )
    (x,) = analysis.users
    assert (x.state, iso(x.recovered_at)) == ("recovered", "2026-03-02T12:00:00-05:00")


def test_a_first_cycle_not_heard_through_decides_nobody(tmp_path: Path) -> None:
    """The log's first cycle starts at 09:00, notifies ann, and its totals (1 received, 1
    added) come at 09:30, more than three intervals later: not heard through, it is no whole
    cycle, whose counts would say that ann was the one received (users it notified before
    the lines left out count in them too)."""
    log = Log(bias=300).at("2026-03-02 09:00:00", START)
    log.at("2026-03-02 09:00:02", f"NotifyAccountAddition - SCCM user to add = {ANN}")
    log.at(
        "2026-03-02 09:30:00",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    )
    (ann,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    found = (ann.upn, ann.state, ann.pending_reason, ann.synced_at)
    assert found == (ANN, "pending", "undetermined", None)


def test_the_connector_not_heard_twice_is_said_from_the_first_silence_to_the_last(
    tmp_path: Path,
) -> None:
    """Cycles every 5 minutes from 09:00, 11:00 and 13:00, half an hour each: not heard from
    09:25 to 11:00 nor from 11:25 to 13:00; lines may be left out anywhere from 09:25 to 13:00."""
    log = Log(bias=300).cycles("2026-03-02 09:00", "2026-03-02 09:30")
    log.cycles("2026-03-02 11:00", "2026-03-02 11:30").cycles("2026-03-02 13:00", "2026-03-02 13:30")
    result = runner.invoke(app, ["check", log.write(tmp_path / "CloudUserSync.log")])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == unheard_note(
        "2026-03-02T09:25:00-05:00", "2026-03-02T13:00:00-05:00", "3h 35m"
    )


def test_cycles_15_minutes_apart_are_heard_through_whatever_the_interval(
    tmp_path: Path,
) -> None:
    """Cycles every 2 minutes (the interval observed), then one 15 minutes after the last (three
    default intervals, `HEARD_RUN_US`): more than three intervals of 2 minutes, but heard
    through, as cycles that far apart at most are whatever the interval."""
    every = timedelta(minutes=2)
    log = Log(bias=300).cycles("2026-03-02 09:00", "2026-03-02 09:21", every=every)
    log.cycles("2026-03-02 09:35", "2026-03-02 09:45", every=every)
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path])
    assert (analysis.tracker.log.unheard, analysis.result.interval) == (None, every)
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 0
    assert "not heard" not in result.stderr


def test_a_retry_due_before_a_silence_may_be_in_the_lines_after_it(tmp_path: Path) -> None:
    """ann fails (UserNotFound) at 09:00:02, due at 09:00:02 the next day; the cycle at 09:05
    then does not notify her, and the connector is not heard from 09:10 to 12:00: her retry
    was due before the silence, but lines may be left out there, where it may have come."""
    log = Log(bias=300).cycle("2026-03-02 09:00:00", (ANN,), {ANN: "UserNotFound"})
    log.cycles("2026-03-02 09:05:00", "2026-03-03 09:11:00")
    log.cycles("2026-03-03 12:00:00", "2026-03-03 12:30:00")
    (ann,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (ann.state, ann.pending_reason, iso(ann.expected_recovery)) == (
        "pending", "retry_unseen", "2026-03-03T09:05:00-05:00",
    )


def test_a_held_user_whose_last_cycle_is_decided_as_a_silence_begins(tmp_path: Path) -> None:
    """x, held back since before the log, is last notified at 09:25:03; the 09:30 cycle
    receives nobody and ends at 09:30:03 (x's last cycle plus the interval: its hold decided
    there), and the connector is not heard until 12:00. Nothing is left out before 09:30:03:
    x was passed over at 09:30, its timer run out; its retry may be in the silence after."""
    log = held("x@contoso.com")
    log.lines[-3:] = []  # (the 09:25 cycle, written again with x notified at its totals)
    log.at("2026-03-02 09:25:00", START)
    log.at("2026-03-02 09:25:03", "NotifyAccountAddition - SCCM user to add = x@contoso.com")
    log.at("2026-03-02 09:25:03", TOTALS_NONE)
    log.at("2026-03-02 09:30:00", START)
    log.at("2026-03-02 09:30:03", TOTALS_NONE)
    log.cycles("2026-03-02 12:00:00", "2026-03-02 12:15:00")
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert analysis.tracker.log.unheard is not None
    assert analysis.tracker.log.unheard[0] == micros(datetime.fromisoformat("2026-03-02T09:30:03-05:00"))
    (x,) = analysis.users
    assert (x.state, x.pending_reason, iso(x.expected_recovery)) == (
        "pending", "retry_unseen", "2026-03-02T09:30:00-05:00",
    )


def test_an_excerpt_that_begins_with_a_gap_still_shows_a_stall_after_it(tmp_path: Path) -> None:
    """grep's `--` before the first record: lines are left out before the log (the place's
    start is None), none after its first record; cycles from 10:00 to 10:25, judged at 14:00:
    stalled."""
    log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30")
    log.lines.insert(0, "--")
    path = log.write(tmp_path / "CloudUserSync.log")
    collector = HealthCollector()
    analysis = analyze([path], now=datetime(2026, 3, 2, 14, 0), collector=collector)
    assert analysis.tracker.totals.unheard is not None
    assert analysis.tracker.totals.unheard[0] is None
    assert analysis.result.connector.state == "stalled"
    assert [(f.code, f.message) for f in collector.summarize(analysis).findings] == [
        (
            "connector_stalled",
            "no cycle for the last 3h 35m (last cycle at 2026-03-02T10:25:00-04:00) — more "
            "than 3 intervals of 5m",
        )
    ]


def test_a_gap_marked_just_after_a_silence_leaves_nothing_out_of_it(tmp_path: Path) -> None:
    """Cycles to 10:25, none until 12:00, whose cycle's start is followed by grep's `--`: the
    lines left out come after 12:00, not in the silence before, which is a stall."""
    log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30")
    log.at("2026-03-02 12:00:00", START)
    log.lines.append("--")
    log.cycles("2026-03-02 12:05", "2026-03-02 12:30")
    collector = HealthCollector()
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")], collector=collector)
    assert [(f.code, f.message) for f in collector.summarize(analysis).findings] == [
        (
            "connector_stalled",
            "no cycle for 1h 35m between 2026-03-02T10:25:00-04:00 and "
            "2026-03-02T12:00:00-04:00 — more than 3 intervals of 5m",
        )
    ]


WRAPPED_BEFORE_A_CAPITAL = """\
Failed to add user ann@contoso.com; reason
UserNotFound
Failed to add user bob@contoso.com; reason
UserNotFound
Successfully removed users from cloud 0
"""
"""Failure lines wrapped at 42 columns before their reason: each 42-wide line begins a record
that it does not end, as a line cut off at 42 would; but a piece follows each, which begins
no record and with which it makes a message the catalogue knows (with a space between, not
as cut): wrapped, not cut off, though the piece begins with a capital letter."""


def test_a_narrow_text_wrapped_before_a_capital_letter_is_not_taken_as_cut_off(
    tmp_path: Path,
) -> None:
    """Put back together (message lines with no date, from 30 columns): before, 42 columns
    were too narrow, and its four lines were read as no record (no user)."""
    assert [len(line) for line in WRAPPED_BEFORE_A_CAPITAL.splitlines()] == [42, 12, 42, 12, 39]
    found = aspasted.pasting(WRAPPED_BEFORE_A_CAPITAL)
    assert found is not None
    assert (found.width, found.cut, found.cut_off) == (42, False, None)
    path = tmp_path / "ticket.txt"
    path.write_text(WRAPPED_BEFORE_A_CAPITAL)
    result = runner.invoke(app, ["report", "--all", "--format", "json", str(path)])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [(u["upn"], u["state"], u["reason"]) for u in document["users"]] == [
        ("ann@contoso.com", "waiting", "UserNotFound"),
        ("bob@contoso.com", "waiting", "UserNotFound"),
    ]
    assert (document["inputs"][0]["records"], document["inputs"][0]["unparsed"]) == (3, 0)
    assert result.stderr == (
        "logsync: the input has no times: its lines are read in order; every time, timer and "
        "due time is null\n"
    )


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        (BLOG_QUOTES, 31, [("<UPN of User Account>", "waiting", "UserNotFound", 1)]),
        (EXCERPT_TEXT, 30, [("scott@contoso.com", "recovered", "UserNotFound", 1)]),
    ],
    ids=["the blog post's quotes at 31", "SPEC §1's excerpt at 30"],
)
def test_message_lines_cut_narrow_before_spaces_are_put_back_together(
    tmp_path: Path, text: str, width: int, expected: list[tuple[str, str, str, int]]
) -> None:
    """`fold -w` at 30 and 31 columns cuts lines just before a space (`<UPN of User|
    Account>`, `... add from SCCM| = 1, Total`: the piece after begins with it): each such
    line is that wide and a piece follows it, a cut like the others, and the text is read as
    cut at the width, its users as whole."""
    pasted = cut(text, width)
    assert how_pasted(pasted) == (False, width, "", True, None)
    path = tmp_path / "ticket.txt"
    path.write_text(pasted)
    assert [(u.upn, u.state, u.reason, u.failures) for u in analyze([str(path)]).users] == expected


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        # few lines that pieces follow, most of them that wide: three in four, of cuts that
        # pieces tell (`Total Succ|essfully`) and none that a wrapper at spaces made
        (cut(BLOG_QUOTES, 30), (False, 30, "", True, None)),
        (cut(BLOG_QUOTES, 40), (False, 40, "", True, None)),
        # three lines that wide, pieces after each: no longer the rule of two breaks
        (cut(_as_dated_lines(demo_window(2400, 2420)), 85), (False, 85, "", True, None)),
        # wrapped at spaces: a piece that ends its record at another width is no cut
        (wrapped(EXCERPT_TEXT, 65), (False, 65, "", False, None)),
    ],
    ids=["blog quotes, fold -w 30", "blog quotes, fold -w 40", "dated lines, fold -w 85",
         "SPEC §1's excerpt, wrapped at 65"],
)
def test_a_text_cut_at_its_width_is_told_from_one_wrapped_at_spaces(
    pasted: str, expected: tuple[bool, int, str, bool, None]
) -> None:
    assert how_pasted(pasted) == expected


TOTAL, ADD = "Total Successfully ", "added users to Cloud = 0"
"""A break that kept its space at the end of the piece (`... Total Successfully |added ...`)."""


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (("<UPN of User Accoun", "t>"), True),  # no space at either side: cut at the width
        (("NotifyAccountAddition - SCCM user to add", " = bob@contoso.com"), False),
        (("UserDeltaSync:- Users Added =\t", "0, Users Removed = 0"), False),
        (("Failed to add user bob@contoso.com; reason User-", "NotFound"), False),
    ],
    ids=["bare", "space before the piece", "tab after", "hyphen"],
)
def test_two_breaks_are_spaced_both_ways_only_where_one_kept_a_space_and_one_had_none(
    second: tuple[str, str], expected: bool
) -> None:
    """A space (or a tab) kept at the end of a piece, or at the start of the next, is kept;
    a break with none at either side, nor a hyphen that a wrapper breaks after, is bare: a
    wrapper at spaces keeps them all or drops them all, never both."""
    assert cuts._spaced_both_ways([(TOTAL, ADD), second]) is expected


def test_watch_names_each_cause_it_reads_apart_with_its_file_and_line(tmp_path: Path) -> None:
    """The lab's folder (`test_siblings`): the sibling logs `watch` reads after the connector's
    log name the causes, each with the file and line it comes from, as one reading does."""
    lab = tmp_path / "Logs"
    lab.mkdir()
    shutil.copy(SAMPLES / "certificate-wait" / "CloudUserSync.log", lab)
    for name in ("CertMgr.log", "dmpuploader.log", "sitecomp.log"):
        shutil.copy(REAL_LOGS / name, lab)
    watcher = Watcher(Follower(lab / "CloudUserSync.log"), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    watcher.read_siblings()
    result, _ = watcher.changes(watcher.as_of(watcher.last_time))  # type: ignore[arg-type]
    found = [(c.kind, Path(c.source).name, c.line, c.status_ids) for c in result.connector.causes]
    assert found == [
        ("no_intune_subscription", "dmpuploader.log", 8, ()),
        ("certificate_failed", "CertMgr.log", 29, ()),
        ("install_errors", "sitecomp.log", 579, (1091, 1081, 1016)),
    ]
