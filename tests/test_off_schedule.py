"""A search of a user's lines keeps its notifications but not the lines of the cycles they were
written in, nor SMS Executive's restart: a held-back user named off the cycles' schedule there
may have been retried by the full sync after a restart the search left out (`User.off_schedule`).
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.times import iso
from logsync.tracker import RETRY_UNSEEN
from logsync.tracker.users import OFF_SCHEDULE_US

from .conftest import SAMPLES
from .logtext import Log, grep

RESTART_DAY = SAMPLES / "restart-day" / "CloudUserSync.log"
XAVIER = "xavier@fabrikam.com"
NOTIFIED = f"NotifyAccountAddition - SCCM user to add = {XAVIER}"
FAILED = f"Failed to add user {XAVIER}; reason UserNotFound"


def searched(tmp_path: Path, word: str, context: int = 0) -> str:
    """The restart-day sample's lines that hold `word` (any case), with `context` lines on each
    side and no separator (`grep -i -C N --no-group-separator`)."""
    lines = RESTART_DAY.read_text(encoding="utf-8-sig").splitlines(True)
    path = tmp_path / f"{word}-C{context}.log"
    path.write_text("".join(grep(lines, word, context)), encoding="utf-8")
    return str(path)


def test_a_search_of_a_user_s_lines_past_a_restart_it_leaves_out_is_pending(tmp_path: Path) -> None:
    """`grep -i xavier` of the restart-day log: xavier failed at 09:00:05 and was held back in
    every cycle, at :01.485 past each fifth minute, until SMS Executive restarted at 13:00:12;
    the full sync after it named him at 13:00:36.385 (5 min 34.9 s after the last) and added
    him. The search holds none of that but his lines: the last is off the schedule, so a
    restart may have retried him there. Before, he was `waiting` for his timer to run out."""
    path = searched(tmp_path, "xavier")
    found = analyze([path]).users
    assert [(u.upn, u.state, u.pending_reason, u.requests) for u in found] == [
        (XAVIER, "pending", RETRY_UNSEEN, 49)
    ]
    assert iso(found[0].last_seen) == "2026-03-02T13:00:36.385-05:00"
    # the whole log at that instant: the retry's outcome is not logged yet; at its end, added
    at = datetime.fromisoformat("2026-03-02T13:00:36.385-05:00")
    whole = {u.upn: (u.state, u.pending_reason) for u in analyze([str(RESTART_DAY)], now=at).users}
    assert whole[XAVIER] == ("pending", "awaiting_totals")
    assert {u.upn: u.state for u in analyze([str(RESTART_DAY)]).users}[XAVIER] == "recovered"
    # the notification before it was on the schedule: waiting, his timer's recovery expected
    # (by one interval after his due time, at the latest: the search holds no cycle's start)
    before = analyze([path], now=datetime.fromisoformat("2026-03-02T12:59:00-05:00")).users
    assert [(u.state, u.pending_reason, iso(u.expected_recovery), u.bound) for u in before] == [
        ("waiting", None, "2026-03-03T09:05:05.022-05:00", "latest")
    ]
    gate = CliRunner().invoke(app, ["check", path])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines()[-1] == (
        "FAIL: 1 user (1 pending that may be stuck), limit 0 as of 2026-03-02T13:00:36.385-05:00"
    )


def test_the_timeline_says_where_the_schedule_moved(tmp_path: Path) -> None:
    path = searched(tmp_path, "xavier")
    steps = analyze([path], follow=XAVIER).tracker.history.followed()
    assert [(s.what, iso(s.time), s.line, s.detail) for s in steps if s.what != "held_back"] == [
        ("requested", "2026-03-02T09:00:04.885-05:00", 1, f"NotifyAccountAddition {XAVIER}"),
        (
            "failed",
            "2026-03-02T09:00:05.022-05:00",
            2,
            "reason UserNotFound; full sync due 2026-03-03T09:00:05.022-05:00",
        ),
        (
            "requested",
            "2026-03-02T13:00:36.385-05:00",
            50,
            "notified off the cycles' schedule, whose start lines the input leaves out: SMS "
            "Executive may have restarted there, and this cycle be a full sync that retried it",
        ),
    ]


def test_a_search_with_a_line_of_context_reads_the_same(tmp_path: Path) -> None:
    """`grep -i -C1 xavier --no-group-separator`: the removal lines before each notification
    open its cycle (never its start), and one failure's totals line is kept: the same answer."""
    found = analyze([searched(tmp_path, "xavier", context=1)]).users
    assert {u.upn: (u.state, u.pending_reason) for u in found}[XAVIER] == ("pending", RETRY_UNSEEN)


def held(
    *gaps: float, failed_again: bool = False, starts: bool = False, totals: bool = False
) -> Log:
    """A user that failed at 09:00:02 (as a search keeps it: its notification and failure at
    one instant), then notified at each gap (seconds) after the last; with `starts`, each
    notification after its cycle's start line, two seconds before it; with `totals`, each
    cycle also ends with its totals line (received nobody), as a whole log's cycles do."""
    log = Log(bias=300)
    moment = datetime(2026, 3, 2, 9, 0, 2)
    log.at(moment, NOTIFIED).at(moment, FAILED)
    for gap in gaps:
        moment += timedelta(seconds=gap)
        if starts:
            log.at(moment - timedelta(seconds=2), "Starting user delta sync, raise failure status messages = True")
        log.at(moment, NOTIFIED)
        if totals:
            log.at(moment + timedelta(milliseconds=137), "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0")
    if failed_again:
        log.at(moment + timedelta(milliseconds=137), FAILED)
    return log


def states(
    log: Log, tmp_path: Path, minutes: int | None = None, follow: str | None = None
) -> list[tuple[str, str | None, int]]:
    path = log.write(tmp_path / "search.log")
    interval = None if minutes is None else timedelta(minutes=minutes)
    found = analyze([path], interval=interval, follow=follow).users
    return [(u.state, u.pending_reason, u.failures) for u in found]


TOLERANCE = OFF_SCHEDULE_US / 1e6
WAITING = [("waiting", None, 1)]
PENDING = [("pending", RETRY_UNSEEN, 1)]


def test_the_schedule_s_bounds_are_ten_seconds_each_side_of_one_interval(tmp_path: Path) -> None:
    assert TOLERANCE == 10
    assert states(held(300, 300 + TOLERANCE), tmp_path) == WAITING
    assert states(held(300, 300 + TOLERANCE + 0.001), tmp_path) == PENDING
    assert states(held(300, 300 - TOLERANCE), tmp_path) == WAITING
    assert states(held(300, 300 - TOLERANCE - 0.001), tmp_path) == PENDING


def test_cycles_left_out_between_keep_the_schedule(tmp_path: Path) -> None:
    """`grep -B4 -A2` leaves out the cycles between its groups: a user named again a whole
    number of intervals later is on the schedule (sweep: bob `pending`, heidi beside him
    `waiting`); ten seconds each side of each multiple, as of one."""
    assert states(held(300, 600), tmp_path) == WAITING
    assert states(held(300, 600 + TOLERANCE), tmp_path) == WAITING
    assert states(held(300, 600 + TOLERANCE + 0.001), tmp_path) == PENDING
    assert states(held(300, 900 - TOLERANCE), tmp_path) == WAITING
    assert states(held(300, 900 - TOLERANCE - 0.001), tmp_path) == PENDING
    assert states(held(300, 450), tmp_path) == PENDING
    assert states(held(300, 52 * 300 + 1), tmp_path) == WAITING
    assert states(held(300, 100), tmp_path) == PENDING  # (sooner than one interval)


def test_the_schedule_is_one_given_interval_else_five_minutes(tmp_path: Path) -> None:
    assert states(held(360, 360), tmp_path) == PENDING
    assert states(held(360, 360), tmp_path, minutes=6) == WAITING


def test_a_user_named_again_or_failing_after_is_not_taken_for_retried(tmp_path: Path) -> None:
    """Named again in a later cycle, it was not added where the schedule moved (a user added is
    named no more); failing there, it was retried and is missing still: its timer restarts."""
    assert states(held(300, 340, 300), tmp_path) == WAITING
    assert states(held(300, 340, failed_again=True), tmp_path) == [("waiting", None, 2)]


def test_the_gap_from_the_failing_cycle_is_not_judged(tmp_path: Path) -> None:
    """The notification before the failure was in the cycle that tried the user: the cycle
    after it names the user sooner or later than one interval after, whatever the schedule."""
    assert states(held(340), tmp_path) == WAITING
    assert states(held(340, 300), tmp_path) == WAITING


def test_whole_cycles_keep_their_own_schedule(tmp_path: Path) -> None:
    """With each cycle's start and totals lines, a cycle that came late is no sign of a
    restart left out: the restart lines would be there as the cycles' are (a long cycle moves
    the schedule of the next ones: the connector waits an interval after each)."""
    whole = held(300, 300, 300, 340, starts=True, totals=True)
    assert states(whole, tmp_path) == WAITING
    # (a user whose timeline is kept reads every notification with the rules, not only the first)
    assert states(whole, tmp_path, follow=XAVIER) == WAITING
    assert states(held(300, 300, 300, 340), tmp_path, follow=XAVIER) == PENDING


def test_a_start_after_a_cycle_whose_totals_are_left_out_may_follow_a_restart(tmp_path: Path) -> None:
    """`grep -C3` of a user keeps the start of some of its cycles, not their totals: lines are
    left out before such a start, and a restart may be among them. A user it names off the
    schedule may have been retried by its full sync (the simulated history of
    `test_searches_simulated` has one: restarted at 11:45, the next cycle named a user 6 min
    20 s after the last)."""
    assert states(held(300, 300, 300, 340, starts=True), tmp_path) == PENDING
    assert states(held(300, 300, 300, 300, starts=True), tmp_path) == WAITING


@settings(max_examples=60, deadline=None)
@given(
    on=st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=4),
    last=st.integers(1_000, 900_000),
)
def test_a_held_back_user_s_last_notification_decides_by_its_own_gap(
    on: list[int], last: int, tmp_path_factory
) -> None:
    """Notifications within the bounds of the schedule, then one `last` milliseconds later:
    pending exactly where that gap is off the schedule (ten seconds from every multiple)."""
    gaps = [300 + ms / 1000 for ms in on] + [last / 1000]
    off = min(abs(last - k * 300_000) for k in (1, 2, 3)) > 10_000
    expected = PENDING if off else WAITING
    assert states(held(*gaps), tmp_path_factory.mktemp("gap")) == expected


def test_the_interval_asked_at_users_lines_follows_the_cycles_read_so_far() -> None:
    """The median of the gaps between cycles is kept until a cycle starts (users' lines ask for
    it in a search), and forgotten where times begin after lines with none."""
    from datetime import timezone

    from logsync.tracker.connector import ConnectorLog
    from logsync.tracker.model import ZoneTable

    log = ConnectorLog(ZoneTable([], []))
    utc = timezone.utc
    minute = 60_000_000

    def starts(*minutes: int) -> None:
        for at in minutes:
            log.cycle_started((at * minute, utc), "delta", "CloudUserSync.log", at)

    assert log.interval(None) == (timedelta(minutes=5), False)
    starts(0, 7, 14)
    assert log.interval(None) == (timedelta(minutes=7), True)
    starts(16, 18, 20)
    assert log.interval(None) == (timedelta(minutes=2), True)
    assert log.interval(timedelta(minutes=9)) == (timedelta(minutes=9), False)
    log.times_begin(30 * minute, utc, "CloudUserSync.log", 30)
    assert log.interval(None) == (timedelta(minutes=5), False)


def test_a_cycle_cut_short_in_a_whole_log_is_no_sign_of_lines_left_out(tmp_path: Path) -> None:
    """The 09:15 cycle names ann (held back) and bob, then fails (a timeout) with no totals
    line; the connector waits an interval after it, so the next cycle starts 100 s late. Every
    start is in the log: no restart was left out, and ann is `waiting` (her timeline says
    nothing of a schedule). Only an input that has left a cycle's start out reads a cycle
    after one with no totals as one whose lines around it are left out."""
    ann, bob = "ann@contoso.com", "bob@contoso.com"
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", requested=(ann,), failed={ann: "UserNotFound"})
    moment = datetime(2026, 3, 2, 9, 0, 0)
    for n in range(1, 6):
        moment += timedelta(minutes=5)
        if n == 3:  # (cut short: the adds time out, no totals line)
            log.at(moment, "Starting user delta sync, raise failure status messages = True")
            log.at(moment, "Total received users from SCCM to be removed from cloud = 0")
            log.at(moment, "Successfully removed users from cloud 0")
            log.at(moment + timedelta(seconds=1), f"NotifyAccountAddition - SCCM user to add = {ann}")
            log.at(moment + timedelta(seconds=2), f"NotifyAccountAddition - SCCM user to add = {bob}")
            log.at(moment + timedelta(seconds=102), "ERROR: Exception when adding users to cloud: The operation has timed out")
            moment += timedelta(seconds=100)
        else:
            log.steady(moment, ann)
    path = log.write(tmp_path / "CloudUserSync.log")
    found = analyze([path], now=datetime.fromisoformat("2026-03-02T09:27:00-05:00")).users
    assert {u.upn: (u.state, u.pending_reason) for u in found}[ann] == ("waiting", None)
    steps = analyze([path], follow=ann).tracker.history.followed()
    assert [s.detail for s in steps if "schedule" in s.detail] == []


START = "Starting user delta sync, raise failure status messages = True"
NO_ADDS = "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0"
REMOVED = "Successfully removed users from cloud 0"


def lines_left_out(how: str) -> list[tuple[str, str]]:
    """09:05 to 09:15, after the failure at 09:00:02 (held back since): an
    input that leaves a cycle's start out in one of three ways, each telling it leaves lines
    out (see `Openings`); the cycle under way at 09:15 has no totals line."""
    if how == "named again with no start":
        return [("09:05:02", NOTIFIED), ("09:10:02", NOTIFIED), ("09:10:03", NO_ADDS)]
    if how == "removal lines with no start":
        return [("09:05:00", START), ("09:05:02", NOTIFIED), ("09:10:00", REMOVED), ("09:10:02", NOTIFIED), ("09:10:03", NO_ADDS)]
    assert how == "named twice in a started cycle"
    return [("09:05:00", START), ("09:05:02", NOTIFIED), ("09:10:02", NOTIFIED), ("09:10:03", NO_ADDS)]


def after(how: str, *tail: tuple[str, str]) -> Log:
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", requested=(XAVIER,), failed={XAVIER: "UserNotFound"})
    for clock, text in [*lines_left_out(how), ("09:15:00", START), ("09:15:02", NOTIFIED), *tail]:
        log.at(f"2026-03-02 {clock}", text)
    return log


HOWS = ["named again with no start", "removal lines with no start", "named twice in a started cycle"]


def test_a_start_after_one_cycle_with_no_totals_is_read_as_lines_left_out_once_the_input_left_a_start_out(
    tmp_path: Path,
) -> None:
    """One cycle with no totals line before a start is no sign of lines left out in a log
    that has shown every start (a cycle cut short); in an input that has left a start out, the
    restart that moved the schedule may be among the lines left out there. (The interval is
    given: these few cycles are too far apart to measure it.)"""
    for how in HOWS:
        late = after(how, ("09:20:40", START), ("09:20:42", NOTIFIED))
        assert states(late, tmp_path, minutes=5) == PENDING, how
    whole = Log(bias=300)
    whole.cycle("2026-03-02 09:00:00", requested=(XAVIER,), failed={XAVIER: "UserNotFound"})
    for clock, text in [("09:10:00", START), ("09:10:02", NOTIFIED), ("09:10:03", NO_ADDS), ("09:15:00", START), ("09:15:02", NOTIFIED), ("09:20:40", START), ("09:20:42", NOTIFIED)]:
        whole.at(f"2026-03-02 {clock}", text)
    assert states(whole, tmp_path, minutes=5) == WAITING
    # two cycles in a row with no totals line: a search that keeps starts, not totals
    assert states(held(300, 340, starts=True), tmp_path, minutes=5) == PENDING


def test_a_start_after_a_cycle_with_its_totals_keeps_the_schedule_wherever_lines_are_left_out(
    tmp_path: Path,
) -> None:
    for how in HOWS:
        late = after(how, ("09:15:03", NO_ADDS), ("09:20:40", START), ("09:20:42", NOTIFIED))
        assert states(late, tmp_path, minutes=5) == WAITING, how


def test_grep_around_the_demo_log_s_failures_keeps_bob_waiting(tmp_path: Path) -> None:
    """`grep -B4 -A2 'Failed to add'` of the demo log: bob, held back at 10:10 (heidi's group)
    and named at 14:30 (erin's), 52 intervals later, is waiting for his timer as heidi is."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
    hits = [n for n, line in enumerate(lines) if "Failed to add" in line]
    kept = sorted({n + d for n in hits for d in range(-4, 3)})
    out = [lines[n] if n == kept[k - 1] + 1 or k == 0 else f"--\n{lines[n]}" for k, n in enumerate(kept)]
    path = tmp_path / "around.log"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    found = {u.upn: (u.state, u.pending_reason, iso(u.expected_recovery)) for u in analyze([str(path)]).users}
    assert found["bob@contoso.com"] == ("waiting", None, "2026-11-26T09:15:04.507-08:00")
    assert found["heidi@contoso.com"] == ("waiting", None, "2026-11-26T10:15:04.507-08:00")


def test_a_cycle_begun_off_the_schedule_after_lines_left_out_may_be_a_full_sync(tmp_path: Path) -> None:
    """`grep -n -C2 reason` of a simulated history: user00019 failed at 16:51:41; SMS Executive
    restarted the next morning, and its full sync named it at 05:57:46 and added it. The search
    keeps that cycle's removal line (05:57:38.979), 79 s off the schedule of the cycle before
    (16:51:19.878), and no restart: that cycle may be a full sync that retried it (`pending`),
    not a cycle that held it back (`waiting` until 16:56 that day, where it had recovered;
    fuzzing). The gap from its failure's cycle is no sign (`test_the_gap_from_the_failing_...`)."""
    sys.path.insert(0, str(SAMPLES))
    from simulate import simulate

    history = simulate(48, seed=5, per_day=20)
    lines = history.lines[1594:3993]
    hits = [n for n, line in enumerate(lines) if "reason" in line]
    kept = sorted({n + d for n in hits for d in range(-2, 3)} & set(range(len(lines))))
    out = [f"{n + 1}-{lines[n]}" if "reason" not in lines[n] else f"{n + 1}:{lines[n]}" for n in kept]
    path = tmp_path / "searched.log"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    found = {u.upn: u for u in analyze([str(path)]).users}["user00019@contoso.com"]
    assert (found.state, found.pending_reason) == ("pending", RETRY_UNSEEN)


def test_a_cycle_begins_off_the_schedule_ten_seconds_from_every_multiple() -> None:
    from logsync.tracker.openings import Openings

    def off(gap_s: float) -> bool:
        openings = Openings()
        openings.starts(0)
        openings.begins(round(gap_s * 1e6), 300_000_000)
        return openings.off

    assert [off(g) for g in (300, 310, 290, 600 + 10, 47100 + 10)] == [False] * 5
    assert [off(g) for g in (310.001, 289.999, 47179.101, 150)] == [True] * 4
    fresh = Openings()
    fresh.begins(5_000_000, 300_000_000)
    assert fresh.off is False  # (no cycle began before it)
