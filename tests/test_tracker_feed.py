"""`Tracker.feed_rows` reads the notification of a user its timer held back in an earlier cycle
without calling `_on_requested` (most rows of a large log are such notifications): the answers
must be those of `_on_requested` for every row, at every boundary of rule 2."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from logsync.events import AddTotals, SyncStarted, UserAddRequested
from logsync.formats.paste import NO_TIMES_START
from logsync.pipeline import EventStream
from logsync.times import NO_TIMES, iso, micros
from logsync.tracker import Tracker, TrackerOptions
from logsync.tracker.model import Row

from .logtext import Log

UNF = "UserNotFound"
HOUR = TrackerOptions(full_sync_after=timedelta(hours=1))


class _Forgets(dict):  # type: ignore[type-arg]
    """A memory of held-back users that keeps nothing: every row goes to `_on_requested`."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


class _Observer:
    def __init__(self) -> None:
        self.held_back: list[bool] = []

    def rows(self, rows: list[Row], held_back: list[bool]) -> None:
        self.held_back += held_back


def rows_of(path: str) -> list[Row]:
    return [
        (micros(e.time), e.time.tzinfo, e.kind, e.data, e.source, e.line)
        for e in EventStream([path])
        if e.time is not None
    ]


def tracker_of(reference: bool = False, follow: str | None = None) -> Tracker:
    """A tracker with a 1 h timer, ready for rows; `reference`: its memory of held users keeps
    nothing."""
    tracker = Tracker(HOUR._replace(follow=follow))
    if reference:
        tracker.timers.held = _Forgets()
    tracker.begin(None)
    return tracker


def fed(rows: list[Row], reference: bool, batch: int, follow: str | None = None) -> tuple:
    tracker = tracker_of(reference, follow)
    observer = tracker.observer = _Observer()
    for at in range(0, len(rows), batch):
        tracker.feed_rows(rows[at : at + batch])
    users = {
        key: tuple(getattr(user, name) for name in sorted(_slots(type(user))))
        for key, user in tracker.users.items()
    }
    steps = tracker.history.followed()
    result = tracker.result()
    return users, tracker.notified, observer.held_back, steps, result.users, result.cycles


def _slots(cls: type) -> set[str]:
    return {name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())}


USERS = ["u0@contoso.com", "U0@contoso.com", "u1@contoso.com", "u2@contoso.com"]
GAPS = st.sampled_from([1, 5, 5, 5, 30, 55, 59, 60, 61, 65, 120])
OVERDUE_BESIDE_HELD = [
    (["u2@contoso.com"], {"u2@contoso.com": UNF}, None, 60, False, True),
    (["u1@contoso.com"], {"u1@contoso.com": UNF}, None, 5, False, True),
] + [(["u1@contoso.com"], {}, 0, 5, False, True)] * 3
cycles = st.lists(
    st.tuples(
        st.lists(st.sampled_from(USERS), max_size=4),
        st.dictionaries(st.sampled_from(USERS), st.sampled_from([UNF, UNF, "LicenseLimitReached"])),
        st.one_of(st.none(), st.integers(min_value=0, max_value=3)),
        GAPS,
        st.booleans(),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=cycles,
    cut=st.integers(min_value=0, max_value=4),
    batch=st.sampled_from([1, 3, 7, 50, 1000]),
    follow=st.sampled_from([None, "u1@contoso.com"]),
)
@example(  # held back for an hour of cycles, then freed at the cycle after the due time
    plan=[(["u1@contoso.com"], {"u1@contoso.com": UNF}, None, 5, False, True)]
    + [(["u1@contoso.com"], {}, 0, 5, False, True)] * 13,
    cut=0,
    batch=50,  # (a batch that begins inside a cycle and reads the cycles after it)
    follow=None,
)
@example(  # u2 overdue; a cycle names as many users as it received only if u1's count
    plan=OVERDUE_BESIDE_HELD, cut=0, batch=1, follow=None
)
@example(  # ends with a held notification: the log's last time
    plan=OVERDUE_BESIDE_HELD, cut=2, batch=1000, follow=None
)
def test_the_rows_of_users_held_back_read_as_one_by_one(
    tmp_path: Path, plan: list, cut: int, batch: int, follow: str | None
) -> None:
    """Any history (cycles whose totals are not in the log, a log cut inside a cycle), read
    in batches that begin anywhere, gives the same users, steps and counts."""
    log = Log()
    moment = datetime(2026, 3, 2, 8, 0)
    for requested, failures, added, gap, restart, totals in plan:
        if restart:
            log.restart(moment.isoformat(sep=" "))
        fails = {u: r for u, r in failures.items() if u in requested}
        log.cycle(moment, tuple(requested), fails, added=added)
        if not totals:
            del log.lines[-2:]
        moment += timedelta(minutes=gap)
    del log.lines[len(log.lines) - cut :]
    if not log.lines:
        return
    rows = rows_of(log.write(tmp_path / "CloudUserSync.log"))
    assert fed(rows, False, batch, follow) == fed(rows, True, batch, follow)


def held_log(last: str) -> Log:
    """u@x.com fails at 08:00:02 (due 09:00:02 with a 1 h timer), is notified in every cycle
    (received 0) up to 08:55, then once more in a cycle that starts at `last`, received and
    added there."""
    log = Log().cycle("2026-03-02 08:00:00", ("u@x.com",), {"u@x.com": UNF})
    start = datetime(2026, 3, 2, 8, 5)
    while start < datetime(2026, 3, 2, 9, 0):
        log.steady(start, "u@x.com")
        start += timedelta(minutes=5)
    return log.steady(datetime.fromisoformat(last), "u@x.com", received=1, added=1)


def test_a_cycle_that_starts_at_the_due_time_receives_the_user_held_back_until_then(
    tmp_path: Path,
) -> None:
    tracker = tracker_of()
    tracker.feed_rows(rows_of(held_log("2026-03-02 09:00:02").write(tmp_path / "c.log")))
    (user,) = tracker.result().users
    assert (user.state, iso(user.recovered_at), user.requests, user.skipped) == (
        "recovered",
        "2026-03-02T09:00:04-04:00",
        13,
        0,
    )


def test_a_cycle_that_starts_a_millisecond_before_the_due_time_holds_the_user_back(
    tmp_path: Path,
) -> None:
    tracker = tracker_of()
    tracker.feed_rows(rows_of(held_log("2026-03-02 09:00:01.999").write(tmp_path / "c.log")))
    (user,) = tracker.result().users
    # its notification there was held back, and its retry is the next cycle's, one interval
    # on; the cycle's 1 received is of no user read but could be it, had a restart the input
    # does not show made the cycle a full sync: `pending` (`retry_unseen`), not `waiting`
    assert (
        user.state, user.pending_reason, iso(user.expected_recovery), user.requests,
        user.recovered_at,
    ) == ("pending", "retry_unseen", "2026-03-02T09:05:01.999-04:00", 13, None)
    assert tracker.totals.unreconciled_count == 1


def test_a_notification_with_no_time_after_times_is_not_held_back_by_a_timer(
    tmp_path: Path,
) -> None:
    """Rows with no times (SPEC §2) after rows with times: whether the timer still runs is
    unknown there, so the user is not taken to be held back (rule 2 needs times)."""
    rows = rows_of(held_log("2026-03-02 08:58:00").write(tmp_path / "c.log"))[:-2]
    untimed = micros(NO_TIMES_START)
    rows += [
        (untimed + 1, NO_TIMES, "sync_started", SyncStarted("delta", True), "m.txt", 1),
        (untimed + 2, NO_TIMES, "user_add_requested", UserAddRequested("u@x.com"), "m.txt", 2),
        (untimed + 3, NO_TIMES, "add_totals", AddTotals(1, 1), "m.txt", 3),
    ]
    answers = []
    for reference in (False, True):
        tracker = tracker_of(reference)
        tracker.feed_rows(rows)
        answers.append([(u.state, u.requests) for u in tracker.result().users])
    assert answers[0] == answers[1] == [("recovered", 13)]


def _calls(rows: list[Row], reference: bool) -> tuple[list[tuple[str, str, int]], int]:
    """The users' (UPN, state, requests), and how many rows `_on_requested` read."""
    tracker = tracker_of(reference)
    read = tracker._on_requested
    calls = []

    def counted(*row: Any) -> None:
        calls.append(row)
        read(*row)

    tracker._on_requested = counted  # type: ignore[method-assign]
    tracker._handlers["user_add_requested"] = counted
    tracker.feed_rows(rows)
    return [(u.upn, u.state, u.requests) for u in tracker.result().users], len(calls)


def test_only_the_first_notification_held_back_by_a_timer_is_read_by_the_whole_rule(
    tmp_path: Path,
) -> None:
    """Of the 13 notifications: the failing one, the first held back, and the one after the
    timer ran out go through `_on_requested`; the 10 between are read by `feed_rows` alone."""
    rows = rows_of(held_log("2026-03-02 09:00:02").write(tmp_path / "c.log"))
    assert _calls(rows, reference=False) == ([("u@x.com", "recovered", 13)], 3)
    assert _calls(rows, reference=True) == ([("u@x.com", "recovered", 13)], 13)


def test_a_restart_inside_a_cycle_frees_a_user_held_back_before_it(tmp_path: Path) -> None:
    """A restart frees every user whose timer runs (rule 3): one held back in the cycle the
    restart interrupts, notified after it (before any cycle start), is received."""
    log = held_log("2026-03-02 08:58:00")
    del log.lines[-1]  # (the cycle that notified u goes on after the restart)
    log.restart("2026-03-02 08:58:10")
    log.at("2026-03-02 08:58:20", "NotifyAccountAddition - SCCM user to add = u@x.com")
    log.at(
        "2026-03-02 08:58:21",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    )
    rows = rows_of(log.write(tmp_path / "c.log"))
    assert _calls(rows, reference=False)[0] == _calls(rows, reference=True)[0] == [
        ("u@x.com", "recovered", 14)
    ]
