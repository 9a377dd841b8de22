"""Edges of the what-if restart (`outlook.freed_by_restart`, `_restarted`, `_freed`) that the
mutation run of the functions a83d7b6 changed found untested (docs/mutation-survivors.md), each
on a log written in the connector's own words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from logsync import analyze
from logsync.analysis import REPORTED_STATES
from logsync.conclusions import conclusion, restart_now
from logsync.times import iso

from .logtext import Log

NOTIFY = "NotifyAccountAddition - SCCM user to add = {}"
FAILED = "Failed to add user {}; reason UserNotFound"


def held_and_failed(tmp_path: Path) -> str:
    """amy held back since before the log (notified, received 0: rule 2b), Zoe and adam failed
    in the 09:05 cycle (Zoe's UPN in mixed case), then quiet cycles to 09:25."""
    log = Log()
    log.steady(datetime(2026, 3, 2, 9, 0), "amy@contoso.com")
    log.cycle(
        "2026-03-02 09:05:00",
        ("Zoe@contoso.com", "adam@contoso.com", "bob@contoso.com"),
        failed={"Zoe@contoso.com": "UserNotFound", "adam@contoso.com": "UserNotFound"},
        added=1,
    )
    log.cycles("2026-03-02 09:10:00", "2026-03-02 09:30:00")
    return log.write(tmp_path / "CloudUserSync.log")


def test_a_what_if_restart_changes_only_a_freed_user_s_recovery(tmp_path: Path) -> None:
    """`_restarted` rebuilds the user it frees field by field: all but the expected recovery,
    its source, the seconds remaining and saved are the user's own (its requests, skipped
    cycles, where its failure is logged, that its failing began before the log, why it is
    pending), as `report --restart-at` shows them."""
    path = held_and_failed(tmp_path)
    plain = analyze([path], states=REPORTED_STATES)
    assert iso(plain.as_of) == "2026-03-02T09:25:00-04:00"
    asked = analyze([path], restart_at=plain.as_of, states=REPORTED_STATES)
    shown = [
        (
            u.upn,
            u.state,
            u.requests,
            u.skipped,
            u.failure_source,
            u.failure_line,
            u.before_input,
            u.pending_reason,
            u.recovery_by,
            iso(u.expected_recovery),
            u.time_saved_s,
        )
        for u in asked.users
    ]
    assert shown == [
        ("adam@contoso.com", "waiting", 1, 0, path, 10, False, None, "what-if", "2026-03-02T09:30:00-04:00", 85200.0),
        ("Zoe@contoso.com", "waiting", 1, 0, path, 8, False, None, "what-if", "2026-03-02T09:30:00-04:00", 85200.0),
        ("amy@contoso.com", "overdue", 1, 0, None, None, True, None, "what-if", "2026-03-02T09:30:00-04:00", None),
    ]
    kept = ("upn", "state", "reason", "failures", "requests", "skipped", "failure_source")
    kept += ("failure_line", "zones", "before_input", "pending_reason", "in_azure_ad")
    for before, after in zip(plain.users, asked.users, strict=True):
        assert [getattr(after, name) for name in kept] == [getattr(before, name) for name in kept]
        assert after.instants[:3] + after.instants[4:] == before.instants[:3] + before.instants[4:]


def test_a_restart_frees_users_of_one_state_in_the_order_of_their_keys(tmp_path: Path) -> None:
    """`freed_by_restart` orders the users it frees as `conclude` lists them with the restart
    (all expected at its cycle): by state (waiting before overdue), then by key, the UPN in
    lower case, not as logged ("Zoe" after "adam", though "Z" < "a")."""
    path = held_and_failed(tmp_path)
    plain = analyze([path], states=REPORTED_STATES)
    stuck, freed = restart_now(plain)
    assert [u.upn for u in stuck] == ["adam@contoso.com", "Zoe@contoso.com", "amy@contoso.com"]
    assert [(u.upn, u.state, saved) for u, saved in freed] == [
        ("adam@contoso.com", "waiting", 85200.0),
        ("Zoe@contoso.com", "waiting", 85200.0),
        ("amy@contoso.com", "overdue", None),
    ]
    restarted = conclusion(plain, restart_at=plain.as_of, states=REPORTED_STATES).users
    assert [u.upn for u, _ in freed] == [u.upn for u in restarted]


def test_a_user_whose_retry_may_be_unseen_is_freed_and_stays_pending(tmp_path: Path) -> None:
    """An input with no cycle line (`findstr "Failed to add"`): past their due times carol and
    bob may have been retried unseen (pending, `retry_unseen`). They are not stuck, yet their
    timers run: a restart's full sync would retry them, and they stay pending."""
    log = Log()
    for when, upn in (("2026-03-02 09:00:02", "carol@contoso.com"), ("2026-03-02 09:05:02", "bob@contoso.com")):
        log.at(when, NOTIFY.format(upn))
        log.at(when, FAILED.format(upn))
    path = log.write(tmp_path / "findstr.log")
    plain = analyze([path], states=REPORTED_STATES, now=datetime(2026, 3, 3, 12, 0))
    assert [(u.upn, u.state, u.pending_reason) for u in plain.users] == [
        ("carol@contoso.com", "pending", "retry_unseen"),
        ("bob@contoso.com", "pending", "retry_unseen"),
    ]
    stuck, freed = restart_now(plain)
    assert [u.upn for u in stuck] == ["carol@contoso.com", "bob@contoso.com"]
    assert [(u.upn, u.state, saved) for u, saved in freed] == [
        ("bob@contoso.com", "pending", None),
        ("carol@contoso.com", "pending", None),
    ]
    asked = analyze([path], restart_at=plain.as_of, states=REPORTED_STATES)
    assert [(u.upn, u.state, u.pending_reason, u.recovery_by, iso(u.expected_recovery)) for u in asked.users] == [
        ("bob@contoso.com", "pending", "retry_unseen", "what-if", "2026-03-03T12:05:00-04:00"),
        ("carol@contoso.com", "pending", "retry_unseen", "what-if", "2026-03-03T12:05:00-04:00"),
    ]


def test_a_restart_before_a_user_s_failure_does_not_free_it(tmp_path: Path) -> None:
    """`Tracker.result` with a restart before the time judged at: one at 09:05:03 frees Zoe
    (failed at 09:05:02), not adam, who failed after it (09:05:04) and keeps his own timer."""
    analysis = analyze([held_and_failed(tmp_path)])
    restart = datetime(2026, 3, 2, 9, 5, 3, tzinfo=timezone(timedelta(hours=-4)))
    result = analysis.tracker.result(analysis.as_of, restart_at=restart)
    assert [
        (u.upn, u.state, u.recovery_by, iso(u.expected_recovery), u.time_saved_s)
        for u in result.users
    ] == [
        ("Zoe@contoso.com", "waiting", "what-if", "2026-03-02T09:10:03-04:00", 86397.0),
        ("adam@contoso.com", "waiting", "timer", "2026-03-03T09:10:00-04:00", None),
        ("amy@contoso.com", "overdue", "what-if", "2026-03-02T09:10:03-04:00", None),
        ("bob@contoso.com", "synced", None, None, None),
    ]


def test_a_failed_user_named_in_an_undecided_cycle_is_not_counted_undetermined(
    tmp_path: Path,
) -> None:
    """dave failed for good (Forbidden) in the log's first, partial cycle; the next notifies
    him again with eve and fay (both may be held back since before the log), and receives 2 of
    the 3: the cycle is undecided, dave among its users. Left out by a list of the waiting, he
    counts as failed, not undetermined (`conclude`'s shortcut for a settled state counts only a
    pending user so), as in the conclusion of every user."""
    log = Log()
    log.at("2026-03-02 09:00:02", NOTIFY.format("dave@contoso.com"))
    log.at("2026-03-02 09:00:02", "Failed to add user dave@contoso.com; reason Forbidden")
    log.at(
        "2026-03-02 09:00:02",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0",
    )
    log.steady(
        datetime(2026, 3, 2, 9, 5), "dave@contoso.com", "eve@contoso.com", "fay@contoso.com",
        received=2, added=2,
    )
    path = log.write(tmp_path / "CloudUserSync.log")
    every = analyze([path])
    assert sorted(every.tracker.totals.undecided) == ["dave@contoso.com", "eve@contoso.com", "fay@contoso.com"]
    assert [(u.upn, u.state, u.pending_reason) for u in every.users] == [
        ("dave@contoso.com", "failed", None),
        ("eve@contoso.com", "pending", "undetermined"),
        ("fay@contoso.com", "pending", "undetermined"),
    ]
    waiting = analyze([path], states={"waiting"})
    assert [u.upn for u in waiting.users] == ["eve@contoso.com", "fay@contoso.com"]
    counts = {"waiting": 0, "overdue": 0, "failed": 1, "pending": 2, "recovered": 0, "synced": 0}
    assert (every.result.undetermined, every.result.counts) == (2, counts)
    assert (waiting.result.undetermined, waiting.result.counts) == (2, counts)
