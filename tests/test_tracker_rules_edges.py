"""Edges of the tracker's rules that the mutation run (docs/mutation-survivors.md) found
untested, each on logs written in the connector's and its siblings' own words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.events import (
    AddTotals,
    CertificateWait,
    ComponentStarted,
    StatusMessage,
    SyncStarted,
    UserAddFailed,
    UserAddRequested,
)
from logsync.health import HealthCollector
from logsync.times import NO_TIMES, iso, micros, moment_time
from logsync.tracker import GAP_WINDOW, MAX_CAUSES, Tracker, UserState

from .conftest import SAMPLES
from .logtext import Log, sms_line

STOPPING = "CCloudUserSync::Process - User sync processing thread is now stopping."
CERTIFICATE = "Certmgr has not installed certificate yet, sleep for 1 minutes."


def sitecomp_error(when: datetime, status: int, bias: int = 300) -> str:
    """sitecomp.log's error status message for the connector: an install error."""
    return sms_line(
        when,
        f'STATMSG: ID={status} SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" '
        f"SYS=CM1.CORP.CONTOSO.COM SITE=CHQ PID=7888 TID=7040 GMTDATE=Mon Mar 02 14:00:00.000 2026 "
        'ISTR0="60" NUMATTRS=0 LE=0X0',
        bias=bias,
        thread=7040,
        component="SMS_SITE_COMPONENT_MANAGER",
    )


def write(path: Path, lines: list[str]) -> str:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return str(path)


def test_causes_past_the_kept_number_are_not_named(tmp_path: Path) -> None:
    """Rule 9 keeps at most MAX_CAUSES records of sibling logs since the last cycle: an install
    error after that many is not among the status messages named."""
    Log(bias=300).cycle("2026-03-02 09:00:00").at("2026-03-02 09:30:00", STOPPING).write(
        tmp_path / "CloudUserSync.log"
    )
    first = datetime(2026, 3, 2, 9, 1)
    errors = [sitecomp_error(first + timedelta(seconds=n), 1016) for n in range(MAX_CAUSES)]
    errors.append(sitecomp_error(datetime(2026, 3, 2, 9, 10), 1081))  # one past the bound
    write(tmp_path / "sitecomp.log", errors)
    connector = analyze([str(tmp_path)]).connector
    assert connector.state == "stopped"
    assert [(c.kind, iso(c.time), c.line, c.status_ids) for c in connector.causes] == [
        ("install_errors", "2026-03-02T09:01:00-05:00", 1, (1016,))
    ]


def test_causes_at_one_instant_in_two_offsets_are_both_named(tmp_path: Path) -> None:
    """CertMgr.log written at -08:00 and dmpuploader.log at UTC, each with a cause at the same
    instant: both are named, root first, each in its own log's offset."""
    log = Log(bias=480).cycle("2023-02-26 19:45:00")
    log.at("2023-02-26 20:14:12.427", CERTIFICATE)
    log.write(tmp_path / "CloudUserSync.log")
    write(
        tmp_path / "CertMgr.log",
        [
            sms_line(
                datetime(2023, 2, 26, 19, 52, 16, 318000),
                "Failed to get connector certificate",
                bias=480,
                thread=6960,
                component="SMS_CERTIFICATE_MANAGER",
            )
        ],
    )
    write(
        tmp_path / "dmpuploader.log",
        [
            sms_line(
                datetime(2023, 2, 27, 3, 52, 16, 318000),  # the same instant, in UTC
                "HasIntuneSubscription: Site has no Intune subscription.~~",
                bias=0,
                thread=6700,
                component="SMS_DMP_UPLOADER",
            )
        ],
    )
    connector = analyze([str(tmp_path)]).connector
    assert (connector.state, iso(connector.since)) == (
        "waiting_for_certificate",
        "2023-02-26T20:14:12.427-08:00",
    )
    assert [(c.kind, iso(c.time), Path(c.source).name, c.line) for c in connector.causes] == [
        ("no_intune_subscription", "2023-02-27T03:52:16.318+00:00", "dmpuploader.log", 1),
        ("certificate_failed", "2023-02-26T19:52:16.318-08:00", "CertMgr.log", 1),
    ]


def test_a_user_held_back_since_before_the_log_that_fails_in_it_keeps_its_own_timer(
    tmp_path: Path,
) -> None:
    """bob is notified and not received (held back since before the log, rule 2b), then his
    retry fails in the log: from then on his own 24 h timer holds him. A later complete cycle
    that does not notify him is no evidence that he was added."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com")  # received = 0: held back
    log.cycle("2026-03-02 09:05:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    log.cycle("2026-03-02 09:10:00")  # notifies nobody
    log.write(tmp_path / "CloudUserSync.log")
    (bob,) = analyze([str(tmp_path / "CloudUserSync.log")]).users
    assert (bob.state, bob.failures, bob.recovery_by, bob.bound, bob.recovered_at) == (
        "waiting", 1, "timer", None, None,
    )
    # the failing run began before the log (its first failure is unknown); its last failure is
    # in it, and starts the timer
    assert (bob.before_input, bob.first_failure) == (True, None)
    assert (iso(bob.last_failure), iso(bob.full_sync_due), iso(bob.expected_recovery)) == (
        "2026-03-02T09:05:02-05:00",
        "2026-03-03T09:05:02-05:00",
        "2026-03-03T09:10:00-05:00",
    )


def test_a_user_held_back_past_a_restart_s_full_sync_is_expected_at_that_observed_cycle(
    tmp_path: Path,
) -> None:
    """bob, held back since before the log, is notified again in the full sync after a restart
    and not received there either (skipped): his expected recovery is that observed cycle."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com")
    log.steady(datetime(2026, 3, 2, 9, 5), "bob@contoso.com")
    log.restart("2026-03-02 09:08:00")
    log.steady(datetime(2026, 3, 2, 9, 10), "bob@contoso.com")
    (bob,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (bob.state, bob.skipped, bob.recovery_by, bob.bound) == ("waiting", 1, "restart", None)
    assert (iso(bob.expected_recovery), bob.expected_recovery_observed) == (
        "2026-03-02T09:10:00-05:00",
        True,
    )
    assert iso(bob.full_sync_due_by) == "2026-03-03T09:00:00-05:00"


def test_a_restart_s_full_sync_predicted_at_the_latest_bound_s_cycle_leaves_the_bound(
    tmp_path: Path,
) -> None:
    """With a 1 h timer, bob (held back since before the log, which begins at 09:12) is due at
    10:12 at the latest: the cycle at 10:15. A restart at 10:10 predicts its full sync one
    interval later, at 10:15 too: not sooner, so the latest bound of his timer stays."""
    log = Log(bias=300)
    log.at("2026-03-02 09:12:00", "Total received users from SCCM to be removed from cloud = 0")
    moment = datetime(2026, 3, 2, 9, 15)
    while moment <= datetime(2026, 3, 2, 10, 5):
        log.steady(moment, "bob@contoso.com")  # received = 0: held back
        moment += timedelta(minutes=5)
    log.restart("2026-03-02 10:10:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], full_sync_after=timedelta(hours=1))
    (bob,) = analysis.users
    assert iso(analysis.as_of) == "2026-03-02T10:10:00-05:00"
    assert (bob.state, bob.recovery_by, bob.bound, bob.expected_recovery_observed) == (
        "waiting", "timer", "latest", False,
    )
    assert (iso(bob.full_sync_due_by), iso(bob.expected_recovery), bob.seconds_remaining) == (
        "2026-03-02T10:12:00-05:00",
        "2026-03-02T10:15:00-05:00",
        300.0,
    )


def test_a_user_first_held_back_after_a_restart_keeps_the_latest_bound_of_its_timer(
    tmp_path: Path,
) -> None:
    """After a restart, a cycle whose start is not in the log notifies carol and receives
    nobody: she is held back since before the log from then on. Only a restart after that frees
    such a user (`failure_restarts`), so the one before it predicts nothing for her. (The
    cycles before show their totals only: a whole cycle that did not notify her would show
    that she was not held back then.)"""
    totals = "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0"
    log = Log(bias=300).at("2026-03-02 09:00:00", totals).at("2026-03-02 09:05:00", totals)
    log.restart("2026-03-02 09:08:00")
    log.at("2026-03-02 09:10:01", "NotifyAccountAddition - SCCM user to add = carol@contoso.com")
    log.at(
        "2026-03-02 09:10:02",
        "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0",
    )
    (carol,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (carol.state, carol.before_input, carol.recovery_by, carol.bound) == (
        "waiting", True, "timer", "latest",
    )
    # her failure is not in the input: no reason, no failure, nowhere to point at
    assert (carol.reason, carol.failures, carol.failure_source, carol.failure_line) == (
        None, 0, None, None,
    )
    # (no cycle's start in the input: the first cycle after that bound is one interval after
    # it at the latest)
    assert (iso(carol.expected_recovery), carol.seconds_remaining) == (
        "2026-03-03T09:05:00-05:00",
        86098.0,
    )


def test_a_what_if_restart_on_an_input_with_no_times_saves_an_unknown_time() -> None:
    """Lines with no times (NO_TIMES) keep only their order: a what-if restart frees bob
    sooner than his timer, by a time nobody can tell (None)."""
    tracker = Tracker()
    tracker.feed_rows(
        [
            (0, NO_TIMES, "sync_started", SyncStarted("delta", True), "pasted", 1),
            (1, NO_TIMES, "user_add_requested", UserAddRequested("bob@contoso.com"), "pasted", 2),
            (2, NO_TIMES, "user_add_failed", UserAddFailed("bob@contoso.com", "UserNotFound"), "pasted", 3),
            (3, NO_TIMES, "add_totals", AddTotals(1, 0), "pasted", 4),
        ]
    )
    (bob,) = tracker.result(restart_at=moment_time(3, NO_TIMES)).users
    assert (bob.state, bob.recovery_by, bob.time_saved_s, bob.seconds_remaining) == (
        "waiting", "what-if", None, None,
    )
    assert bob.expected_recovery is None  # (no times: never shown)


def test_the_health_summary_counts_the_notifications_of_a_user_held_back_since_before_the_log(
    tmp_path: Path,
) -> None:
    """Three cycles notify bob and receive nobody: the first makes him held back since before
    the log (its totals tell), so the tracker tells the observer that the next two held him;
    and the first, which its totals did not receive, is no try either (`timeline` says held
    back there: it was `(1, 2, 0, 0)`)."""
    log = Log(bias=300)
    for minute in (0, 5, 10):
        log.steady(datetime(2026, 3, 2, 9, minute), "bob@contoso.com")
    collector = HealthCollector()
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")], collector=collector)
    summary = collector.summarize(analysis)
    assert {
        day: (c.requested, c.held_back, c.added, c.failed) for day, c in summary.per_day.items()
    } == {"2026-03-02": (0, 3, 0, 0)}


def test_a_stalled_connector_points_at_its_last_cycle_s_start(tmp_path: Path) -> None:
    log = Log(bias=300).cycle("2026-03-02 09:00:00").cycle("2026-03-02 09:05:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path], now=datetime(2026, 3, 2, 9, 30)).connector
    assert (connector.state, connector.code, iso(connector.since)) == (
        "stalled", "connector_stalled", "2026-03-02T09:05:00-05:00",
    )
    assert (connector.source, connector.line) == (path, 6)  # its "Starting user delta sync"


def test_as_of_is_the_latest_row_read_when_the_last_record_is_a_little_earlier(
    tmp_path: Path,
) -> None:
    """Threads write a few milliseconds out of order: the log's last record (09:05:00.400) is
    earlier than the cycle start before it (.500). The judgement is as of the latest, on the
    plain path (whose input statistics keep the last record) as on the fast one."""
    log = Log(bias=300).cycle("2026-03-02 09:00:00")
    log.at("2026-03-02 09:05:00.500", "Starting user delta sync, raise failure status messages = True")
    log.at("2026-03-02 09:05:00.400", "Total received users from SCCM to be removed from cloud = 0")
    path = log.write(tmp_path / "CloudUserSync.log")
    for fast in (True, False):
        assert iso(analyze([path], fast=fast).as_of) == "2026-03-02T09:05:00.500-05:00"


def test_an_excerpt_of_a_cycle_s_totals_alone_stalls_at_its_totals_line(tmp_path: Path) -> None:
    """A log that starts inside a cycle and holds only its totals: the connector ran then, and
    the totals line is the evidence of its stall."""
    log = Log(bias=300)
    log.at(
        "2026-03-02 09:00:02",
        "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0",
    )
    log.at("2026-03-02 09:00:02", "UserDeltaSync:- Users Added = 0, Users Removed = 0")
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path], now=datetime(2026, 3, 2, 9, 30)).connector
    assert (connector.state, iso(connector.since), connector.last_cycle) == (
        "stalled", "2026-03-02T09:00:02-05:00", None,
    )
    assert (connector.source, connector.line) == (path, 1)


def test_a_user_notified_in_a_cycle_a_restart_cut_short_and_again_later_is_newly_notified(
    tmp_path: Path,
) -> None:
    """dave is notified in a cycle that a restart cuts short (no totals), not in the restart's
    full sync, then with erin, whom nobody notified before, in a cycle that receives one and
    adds one. Neither was notified in the cycle before, so neither may be held back since
    before the log: the counts cannot say which was added, and the cycle is unreconciled."""
    notify = "NotifyAccountAddition - SCCM user to add = {}"
    log = Log(bias=300).cycle("2026-03-02 09:00:00")
    log.at("2026-03-02 09:05:00", "Starting user delta sync, raise failure status messages = True")
    log.at("2026-03-02 09:05:02", notify.format("dave@contoso.com"))
    log.restart("2026-03-02 09:06:00")
    log.cycle("2026-03-02 09:10:00")
    log.steady(datetime(2026, 3, 2, 9, 15), "dave@contoso.com", "erin@contoso.com", received=1, added=1)
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert [(u.upn, u.state, u.before_input) for u in analysis.users] == [
        ("dave@contoso.com", "pending", False),
        ("erin@contoso.com", "pending", False),
    ]
    assert (analysis.result.cycles, analysis.result.unreconciled_count) == (4, 1)
    (cycle,) = analysis.result.unreconciled
    assert (iso(cycle.time), cycle.line, cycle.received, cycle.added, cycle.notified) == (
        "2026-03-02T09:15:00-05:00", 15, 1, 1, 2,
    )


def test_a_restart_logged_by_the_connector_alone_is_where_its_stall_begins(tmp_path: Path) -> None:
    """Only the connector's own line tells of the restart at 09:08 (no smsexec.log): no cycle
    followed it, so the connector stalled from the restart, which is the evidence."""
    log = Log(bias=300).cycle("2026-03-02 09:00:00").cycle("2026-03-02 09:05:00")
    log.at("2026-03-02 09:08:00", "CCloudUserSync::Process - User sync processing has started.")
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], now=datetime(2026, 3, 2, 9, 30))
    assert [(iso(r.time), r.via, r.line) for r in analysis.result.restarts] == [
        ("2026-03-02T09:08:00-05:00", "processing_started", 11)
    ]
    connector = analysis.connector
    assert (connector.state, iso(connector.since), iso(connector.last_cycle)) == (
        "stalled", "2026-03-02T09:08:00-05:00", "2026-03-02T09:05:00-05:00",
    )
    assert (connector.source, connector.line) == (path, 11)


def test_a_stopped_connector_keeps_its_last_cycle_and_restart(tmp_path: Path) -> None:
    log = Log(bias=300).restart("2026-03-02 08:58:00").cycle("2026-03-02 09:00:00")
    log.at("2026-03-02 09:02:00", STOPPING)
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path]).connector
    assert (connector.state, connector.code, iso(connector.since), connector.line) == (
        "stopped", "connector_stopped", "2026-03-02T09:02:00-05:00", 8,
    )
    assert (iso(connector.last_cycle), iso(connector.last_restart)) == (
        "2026-03-02T09:00:00-05:00",
        "2026-03-02T08:58:00-05:00",
    )


def test_a_log_with_a_restart_and_no_cycle_shows_the_restart_as_evidence(tmp_path: Path) -> None:
    """A certificate wait, then a restart (which ends the wait), and no cycle after it: no
    cycles, since the log's first record, shown by the restart."""
    log = Log(bias=300).at("2026-03-02 09:00:00", CERTIFICATE).restart("2026-03-02 09:05:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path]).connector
    assert (connector.state, connector.code, iso(connector.since)) == (
        "no_cycles", "no_cycles", "2026-03-02T09:00:00-05:00",
    )
    assert (connector.source, connector.line, iso(connector.last_restart)) == (
        path, 2, "2026-03-02T09:05:00-05:00",
    )


def test_a_running_connector_names_no_cause(tmp_path: Path) -> None:
    """An install error after the last cycle explains a problem; while the connector runs
    (its next cycle is not late yet) there is none, and no cause is named."""
    Log(bias=300).cycle("2026-03-02 09:00:00").write(tmp_path / "CloudUserSync.log")
    write(tmp_path / "sitecomp.log", [sitecomp_error(datetime(2026, 3, 2, 9, 1), 1016)])
    connector = analyze([str(tmp_path)], now=datetime(2026, 3, 2, 9, 2)).connector
    assert (connector.state, connector.code, connector.causes) == ("running", None, ())


NOTIFY = "NotifyAccountAddition - SCCM user to add = {}"


@pytest.mark.parametrize(
    ("held", "undetermined"),
    [(("amy@contoso.com",), 1), (("amy@contoso.com", "carol@contoso.com"), 2)],
    ids=["one", "every one"],
)
def test_users_left_out_by_state_still_count_as_undetermined_when_they_are(
    tmp_path: Path, held: tuple[str, ...], undetermined: int
) -> None:
    """The log starts inside a cycle that notifies amy (and carol) and bob and receives them
    all: amy (and carol) may have been held back since before the log (undetermined); bob
    failed with UserNotFound (waiting). Listing only failed users lists nobody, and still
    counts every undetermined user."""
    log = Log(bias=300)
    for upn in (*held, "bob@contoso.com"):
        log.at("2026-03-02 09:00:02", NOTIFY.format(upn))
    log.at("2026-03-02 09:00:04", "Failed to add user bob@contoso.com; reason UserNotFound")
    log.at(
        "2026-03-02 09:00:05",
        f"Total received users to add from SCCM = {len(held) + 1}, "
        f"Total Successfully added users to Cloud = {len(held)}",
    )
    result = analyze([log.write(tmp_path / "CloudUserSync.log")], states={"failed"}).result
    assert (result.users, result.undetermined) == ([], undetermined)
    assert {state: n for state, n in result.counts.items() if n} == {
        "pending": undetermined, "waiting": 1,
    }


def test_a_user_of_an_undecided_cycle_failing_in_the_next_is_no_longer_undetermined(
    tmp_path: Path,
) -> None:
    """amy's cycle (the log starts inside it) cannot say whether she was received; the next
    cycle notifies her again and she fails for another reason, and the log ends before its
    totals: she is failed, not undetermined, listed or not."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:02", NOTIFY.format("amy@contoso.com"))
    log.at(
        "2026-03-02 09:00:05",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    )
    log.at("2026-03-02 09:05:00", "Starting user delta sync, raise failure status messages = True")
    log.at("2026-03-02 09:05:02", NOTIFY.format("amy@contoso.com"))
    log.at("2026-03-02 09:05:02", "Failed to add user amy@contoso.com; reason LicenseLimitReached")
    path = log.write(tmp_path / "CloudUserSync.log")
    for states in (None, {"waiting"}):
        result = analyze([path], states=states).result
        assert (result.undetermined, result.counts["failed"]) == (0, 1)


def test_an_excerpt_of_user_rows_alone_shows_the_connector_at_work(
    tmp_path: Path,
) -> None:
    """An excerpt that starts at a failure inside a cycle and ends before its totals: no cycle
    start, no totals, no restart. Its failure and notification show a cycle at work: the
    connector runs as of the excerpt's end, and for three intervals after its last line; past
    them it has shown no sign of work (stalled since that line, as any silence)."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:02", "Failed to add user amy@contoso.com; reason UserNotFound")
    log.at("2026-03-02 09:00:03", NOTIFY.format("bob@contoso.com"))
    path = log.write(tmp_path / "CloudUserSync.log")
    result = analyze([path]).result
    assert (result.cycles, result.connector.state) == (1, "running")
    at_limit = analyze([path], now=datetime(2026, 3, 2, 9, 15, 3)).connector
    past = analyze([path], now=datetime(2026, 3, 2, 9, 15, 4)).connector
    assert (at_limit.state, past.state, iso(past.since)) == (
        "running", "stalled", "2026-03-02T09:00:03-05:00"
    )


def test_a_tracker_fed_rows_without_begin_starts_at_its_first_row() -> None:
    """`begin` is optional: without it the input starts at the first row, and the latest due
    time of a user held back since before the input is 24 h after that row."""
    tracker = Tracker()
    zone = timezone(timedelta(hours=-5))
    start = micros(datetime(2026, 3, 2, 9, 0, tzinfo=zone))
    second = 1_000_000
    tracker.feed_rows(
        [
            (start, zone, "sync_started", SyncStarted("delta", True), "CloudUserSync.log", 1),
            (start + 2 * second, zone, "user_add_requested", UserAddRequested("amy@contoso.com"), "CloudUserSync.log", 2),
            (start + 3 * second, zone, "add_totals", AddTotals(0, 0), "CloudUserSync.log", 3),
        ]
    )
    (amy,) = tracker.result().users
    assert (amy.state, amy.before_input, amy.bound) == ("waiting", True, "latest")
    assert iso(amy.full_sync_due_by) == "2026-03-03T09:00:00-05:00"


def _rows(zone: timezone, *minutes: float) -> list[tuple]:  # type: ignore[type-arg]
    """Cycle starts at these minutes past 09:00 (2026-03-02, in `zone`), one a line."""
    start = micros(datetime(2026, 3, 2, 9, 0, tzinfo=zone))
    return [
        (start + int(minute * 60_000_000), zone, "sync_started", SyncStarted("delta", True), "CloudUserSync.log", n)
        for n, minute in enumerate(minutes, 1)
    ]


def test_begin_keeps_the_first_time_it_is_given_and_ignores_none() -> None:
    zone = timezone(timedelta(hours=-5))
    tracker = Tracker()
    tracker.begin(None)  # an input with no record yet
    tracker.begin(datetime(2026, 3, 2, 8, 0, tzinfo=zone))
    tracker.begin(datetime(2026, 3, 2, 8, 30, tzinfo=zone))  # a later reading: the start stays
    tracker.feed_rows(_rows(zone, 0))
    assert tracker.start == micros(datetime(2026, 3, 2, 8, 0, tzinfo=zone))


def test_the_latest_row_is_kept_across_batches_written_out_of_order() -> None:
    """Threads write a few milliseconds out of order, also across the end of a batch: a row of
    the next batch a little before the latest one leaves the latest as it was."""
    zone = timezone(timedelta(hours=-5))
    tracker = Tracker()
    tracker.feed_rows(_rows(zone, 0, 5.01))
    tracker.feed_rows(_rows(zone, 5.005))
    assert iso(tracker.latest_time()) == "2026-03-02T09:05:00.600-05:00"


def test_rows_before_1970_are_read_like_any_others() -> None:
    tracker = Tracker()
    start = micros(datetime(1969, 7, 20, 20, 17, tzinfo=timezone.utc))
    tracker.feed_rows([(start, timezone.utc, "sync_started", SyncStarted("delta", True), "CloudUserSync.log", 1)])
    assert iso(tracker.latest_time()) == "1969-07-20T20:17:00+00:00"
    assert iso(tracker.result().last_cycle) == "1969-07-20T20:17:00+00:00"


def test_an_observer_sees_the_rows_of_any_iterable() -> None:
    """`feed_rows` takes any iterable of rows; its observer sees them all, with whether each
    notification was held back."""
    seen: list[tuple[list, list[bool]]] = []  # type: ignore[type-arg]

    class Recorder:
        def rows(self, rows: list, held_back: list[bool]) -> None:  # type: ignore[type-arg]
            seen.append((list(rows), held_back))

    zone = timezone(timedelta(hours=-5))
    notified_at = micros(datetime(2026, 3, 2, 9, 0, 2, tzinfo=zone))
    notified = UserAddRequested("amy@contoso.com")
    rows = [*_rows(zone, 0), (notified_at, zone, "user_add_requested", notified, "CloudUserSync.log", 2)]
    tracker = Tracker()
    tracker.observer = Recorder()
    tracker.feed_rows(row for row in rows)
    assert seen == [(rows, [False])]
    assert tracker.latest == (notified_at, zone)


def test_of_rows_at_the_latest_instant_the_one_read_last_gives_the_zone() -> None:
    """The connector's log (at -05:00) and smsexec.log (at UTC, a status message that is no
    start) end at one instant: the judgement is shown in the offset of the row read last."""
    eastern = timezone(timedelta(hours=-5))
    end = micros(datetime(2026, 3, 2, 9, 5, tzinfo=eastern))
    status = StatusMessage(9999, "I", "SMS_CLOUD_USERSYNC", 7012)
    tracker = Tracker()
    tracker.feed_rows(_rows(eastern, 0, 5))
    tracker.feed_rows([(end, timezone.utc, "status_message", status, "smsexec.log", 3)])
    assert tracker.latest == (end, timezone.utc)
    assert iso(tracker.latest_time()) == "2026-03-02T14:05:00+00:00"


def test_an_observer_can_be_detached_between_batches() -> None:
    zone = timezone(timedelta(hours=-5))
    seen: list[list[bool]] = []

    class Recorder:
        def rows(self, rows: list, held_back: list[bool]) -> None:  # type: ignore[type-arg]
            seen.append(held_back)

    tracker = Tracker()
    tracker.observer = Recorder()
    tracker.feed_rows(_rows(zone, 0))
    tracker.observer = None
    notified_at = micros(datetime(2026, 3, 2, 9, 0, 2, tzinfo=zone))
    tracker.feed_rows(
        [(notified_at, zone, "user_add_requested", UserAddRequested("amy@contoso.com"), "CloudUserSync.log", 2)]
    )
    assert seen == [[]]
    assert [(u.upn, u.state, u.pending_reason) for u in tracker.result().users] == [
        # (no whole cycle before hers: she may be held back since before the rows)
        ("amy@contoso.com", "pending", "undetermined")
    ]


def test_how_soon_a_cycle_follows_a_restart_is_the_median_of_the_latest_restarts() -> None:
    """Like the interval, the delay from a restart to its first cycle is the lower median of
    the latest GAP_WINDOW restarts (memory stays flat): older ones no longer count."""
    zone = timezone.utc
    hour, minute = 3_600_000_000, 60_000_000
    begin = micros(datetime(2026, 1, 1, tzinfo=zone))
    rows = []
    for n in range(2 * GAP_WINDOW):
        at = begin + n * hour
        delay = minute // 2 if n < GAP_WINDOW else minute  # 30 s at first, then 1 min
        rows.append((at, zone, "component_started", ComponentStarted(n), "smsexec.log", 2 * n + 1))
        rows.append((at + delay, zone, "sync_started", SyncStarted("full", True), "CloudUserSync.log", 2 * n + 2))
    tracker = Tracker()
    tracker.feed_rows(rows)
    assert tracker.log.restart_delay(5 * minute) == minute


def test_a_part_of_a_upn_follows_the_user_whose_upn_it_is_else_the_first_that_holds_it(
    tmp_path: Path,
) -> None:
    """`timeline` reads once: the tracker follows, of the users met, the one whose UPN the part
    is, else the first whose UPN holds it; the steps of a user it stopped following are not
    shown."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("bob@contoso.com.au",), {"bob@contoso.com.au": "UserNotFound"})
    log.cycle("2014-09-14 10:05:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    log.cycle("2014-09-14 10:10:00", ("BOB@contoso.com.au",))
    path = log.write(tmp_path / "CloudUserSync.log")

    exact = analyze([path], follow="Bob@Contoso.com", follow_part=True).tracker
    assert (exact.follow, exact.history.matches) == (
        "bob@contoso.com",
        ["bob@contoso.com.au", "bob@contoso.com"],
    )
    steps = [(s.what, s.line) for s in exact.history.followed()]
    assert steps == [("requested", 11), ("failed", 12)]  # none of bob@contoso.com.au's

    first = analyze([path], follow="bob", follow_part=True).tracker
    assert first.follow == "bob@contoso.com.au"
    steps = [(s.what, s.line) for s in first.history.followed()]
    assert steps == [("requested", 4), ("failed", 5), ("held_back", 18)]

    nobody = analyze([path], follow="carol", follow_part=True).tracker
    assert (nobody.follow, nobody.history.matches, nobody.history.followed()) == (None, [], [])
    # without follow_part, the UPN is followed whole, as before
    whole = analyze([path], follow="bob", follow_part=False).tracker
    assert (whole.follow, whole.history.matches, whole.history.followed()) == ("bob", [], [])


def test_recovered_gives_each_recovered_user_s_wait_in_the_order_a_conclusion_lists_them(
    tmp_path: Path,
) -> None:
    """The dirsync advice's figures without concluding every user: of the UPNs given, the users
    added after failing, by key, each with the seconds from its first failure to its add."""
    demo = analyze([str(Path(__file__).parent.parent / "sample_logs" / "CloudUserSync.log")])
    asked = ["heidi@contoso.com", "Carol@Contoso.com", "nobody@contoso.com", "CAROL@contoso.com"]
    # carol failed at 2026-11-24 07:40:08.529 and was added at 2026-11-25 07:45:08.707; heidi waits
    assert demo.tracker.recovered(asked) == [("carol@contoso.com", 86700.178)]
    listed = [u for u in demo.users if u.state == "recovered"]
    waits = [(u.recovered_at - u.first_failure).total_seconds() for u in listed]  # type: ignore[operator]
    everyone = demo.tracker.recovered(demo.upns())
    assert everyone == [(u.upn, wait) for u, wait in zip(listed, waits, strict=True)]
    assert len(everyone) == 1  # (the demo log has one recovered user)
    # an input with no times: the user is recovered, its wait unknown
    lines = [
        "Starting user delta sync, raise failure status messages = True",
        "NotifyAccountAddition - SCCM user to add = carol@contoso.com",
        "Failed to add user carol@contoso.com; reason UserNotFound",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0",
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).",
        "Starting user full sync, raise failure status messages = True",
        "NotifyAccountAddition - SCCM user to add = carol@contoso.com",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    ]
    timeless = analyze([write(tmp_path / "quoted.txt", lines)])
    assert timeless.tracker.recovered(["carol@contoso.com"]) == [("carol@contoso.com", None)]


def test_recovered_lists_users_by_key_whatever_order_they_are_asked_in(tmp_path: Path) -> None:
    log = Log()
    log.cycle(
        "2014-09-14 10:00:00",
        ("Zed@x.com", "amy@x.com"),
        {"Zed@x.com": "UserNotFound", "amy@x.com": "UserNotFound"},
    )
    log.restart("2014-09-14 10:30:00")
    log.cycle("2014-09-14 10:35:00", ("Zed@x.com", "amy@x.com"))
    tracker = analyze([log.write(tmp_path / "CloudUserSync.log")]).tracker
    # Zed failed at 10:00:02 and amy at 10:00:04; each is added as of its request at 10:35:02
    # and 10:35:04 (the cycle's totals confirm them). By key amy comes first, though "Zed" sorts
    # before "amy" as spelled.
    assert tracker.recovered(["zed@x.com", "AMY@x.com"]) == [("amy@x.com", 2100.0), ("Zed@x.com", 2100.0)]


def test_recovered_gives_no_wait_for_a_user_whose_failing_began_before_the_log(
    tmp_path: Path,
) -> None:
    """Held back since before the input, then failing at a full sync and added at the next: its
    first failure is before the log, so how long it waited is not known."""
    log = Log()
    log.steady(datetime(2014, 9, 14, 10, 0), "held@x.com")
    log.steady(datetime(2014, 9, 14, 10, 5), "held@x.com")
    log.restart("2014-09-14 10:30:00")
    log.cycle("2014-09-14 10:35:00", ("held@x.com",), {"held@x.com": "UserNotFound"})
    log.restart("2014-09-14 11:30:00")
    log.cycle("2014-09-14 11:35:00", ("held@x.com",))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    (user,) = analysis.tracker.result(analysis.as_of).users
    assert (user.state, user.first_failure, iso(user.recovered_at)) == (
        "recovered",
        None,
        "2014-09-14T11:35:02-04:00",
    )
    assert analysis.tracker.recovered(["held@x.com"]) == [("held@x.com", None)]


def test_a_retry_whose_outcome_is_not_in_the_input_is_pending(tmp_path: Path) -> None:
    """`findstr carol CloudUserSync.log`: carol failed, was held back for 24 h, and was
    notified at her due cycle (07:45:08 on the 25th): retried. The totals line that says she
    was added is not in the excerpt, and no failure line followed: her outcome is not in the
    input, so she is pending (awaiting_totals), not overdue, however late it is judged. With
    that cycle's start and totals lines she is recovered; with a failure line after the retry
    she waits again."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    carol = [line for line in lines if "carol@" in line]
    path = tmp_path / "carol.log"
    path.write_text("".join(carol), encoding="utf-8")
    for now in (None, datetime(2026, 11, 27)):
        (user,) = analyze([str(path)], now=now).users
        assert (user.state, user.pending_reason, iso(user.full_sync_due)) == (
            "pending", "awaiting_totals", "2026-11-25T07:40:08.529-08:00",
        )
    retry = lines.index(carol[-1])
    start = max(i for i in range(retry) if "Starting user delta sync" in lines[i])
    totals = next(i for i in range(retry, len(lines)) if "Total received users to add" in lines[i])
    path.write_text("".join([*carol[:-1], lines[start], carol[-1], lines[totals]]), encoding="utf-8")
    (user,) = analyze([str(path)]).users
    assert (user.state, iso(user.recovered_at)) == ("recovered", "2026-11-25T07:45:08.707-08:00")
    again = carol[-1].replace("NotifyAccountAddition - SCCM user to add = carol@contoso.com",
                              "Failed to add user carol@contoso.com; reason UserNotFound")
    path.write_text("".join([*carol, again]), encoding="utf-8")
    (user,) = analyze([str(path)]).users
    assert (user.state, user.failures, iso(user.full_sync_due)) == (
        "waiting", 2, "2026-11-26T07:45:08.707-08:00",
    )
    # held back before her due (the excerpt cut before the retry): waiting, as before
    path.write_text("".join(carol[:-1]), encoding="utf-8")
    (user,) = analyze([str(path)]).users
    assert (user.state, user.pending_reason) == ("waiting", None)


FAILED_LINES_ANSWER = [
    ("bob@contoso.com", "waiting", None),
    ("heidi@contoso.com", "waiting", None),
    ("erin@contoso.com", "waiting", None),
    ("dave@contoso.com", "failed", None),
    ("carol@contoso.com", "pending", "retry_unseen"),
    ("ivan@contoso.com", "pending", "retry_unseen"),
]
"""The demo log's failure lines, with or without its totals lines: the users and states."""


def test_a_timer_run_out_in_an_input_without_cycle_lines_is_no_overdue(tmp_path: Path) -> None:
    """`findstr "Failed to add" CloudUserSync.log`: the failures alone, no cycle's start or
    totals, no notification. carol and ivan's timers ran out in it, but whether their retry came
    (carol was added at it) is not in the input: pending (`retry_unseen`), which a gate on
    waiting users counts, never overdue with "no retry logged"."""
    from typer.testing import CliRunner

    from logsync.cli import app

    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    path = tmp_path / "failed.txt"
    path.write_text("".join(line for line in lines if "Failed to add" in line), encoding="utf-8")
    analysis = analyze([str(path)])
    assert [(u.upn, u.state, u.pending_reason) for u in analysis.users] == FAILED_LINES_ANSWER
    assert (analysis.result.retry_unseen, analysis.result.undetermined) == (2, 0)
    gate = CliRunner().invoke(app, ["check", str(path)])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines()[-3:] == [
        "carol@contoso.com\tpending\tUserNotFound\toutcome unknown: its timer may have run out, or a restart "
        "may have retried it, and the input holds no cycle's start or totals, leaves lines out, "
        "shows no cycle where the schedule had one after its due time, names it in a cycle off the cycles' schedule, or cycles since then received users it does "
        "not name: it cannot show whether it was retried and added; the whole log would tell",
        "ivan@contoso.com\tpending\tUserNotFound\toutcome unknown: its timer may have run out, or a restart "
        "may have retried it, and the input holds no cycle's start or totals, leaves lines out, "
        "shows no cycle where the schedule had one after its due time, names it in a cycle off the cycles' schedule, or cycles since then received users it does "
        "not name: it cannot show whether it was retried and added; the whole log would tell",
        "FAIL: 6 users (3 waiting, 1 failed, 2 pending that may be stuck), limit 0 as of "
        "2026-11-25T14:30:09.041-08:00",
    ]
    only_failed = CliRunner().invoke(app, ["check", "--fail-on", "failed", str(path)])
    assert only_failed.exit_code == 1 and "2 pending users not counted" in only_failed.stdout
    # before their timers ran out, they wait; in the whole log, carol recovered and ivan is overdue
    early = analyze([str(path)], now=datetime(2026, 11, 25, 7, 0)).users
    assert {u.upn: u.state for u in early}["carol@contoso.com"] == "waiting"
    whole = {u.upn: u.state for u in analyze([str(SAMPLES / "CloudUserSync.log")]).users}
    assert (whole["carol@contoso.com"], whole["ivan@contoso.com"]) == ("recovered", "overdue")


def test_a_timer_that_ran_out_in_an_input_with_totals_but_no_notification_is_pending(
    tmp_path: Path,
) -> None:
    """`findstr /c:"Failed to add" /c:"Total received users to add"`: the cycles show by their
    totals, but not who they received. A cycle since carol's expected retry received one user
    the input does not name (07:45, `received = 1, added = 1`: it was carol), so `overdue`, "no
    retry logged", was an answer the input cannot give; so for ivan, after whose retry cycles
    received users it does not name. A notification of another user changes nothing."""
    demo = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    words = ("Failed to add", "Total received users to add")
    path = tmp_path / "failed.log"
    for also in ((), ("to add = grace@",)):
        path.write_text("".join(line for line in demo if any(w in line for w in words + also)))
        analysis = analyze([str(path)])
        assert [
            (u.upn, u.state, u.pending_reason) for u in analysis.users if u.upn[0] != "g"
        ] == FAILED_LINES_ANSWER


def test_a_user_whose_retry_cycles_received_nobody_unnamed_is_overdue(tmp_path: Path) -> None:
    """The demo log to line 2430 without its notifications: every cycle since ivan's expected
    retry (2026-11-25T08:25) received nobody, so he was not retried: `overdue`, and the gate
    on overdue users fails. Carol's retry cycle received one user the input does not name: she
    may be overdue or added, and that gate counts her too."""
    demo = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    path = tmp_path / "quiet.log"
    path.write_text("".join(line for line in demo[:2430] if "NotifyAccountAddition" not in line))
    states = {u.upn: (u.state, u.pending_reason) for u in analyze([str(path)]).users}
    assert (states["ivan@contoso.com"], states["carol@contoso.com"]) == (
        ("overdue", None), ("pending", "retry_unseen"),
    )
    from typer.testing import CliRunner

    from logsync.cli import app

    gate = CliRunner().invoke(app, ["check", "--fail-on", "overdue", str(path)])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines()[-1].startswith(
        "FAIL: 2 users (1 overdue, 1 pending that may be stuck), limit 0 as of "
    )


def test_a_cycle_without_its_totals_line_cannot_say_a_retry_was_missed(tmp_path: Path) -> None:
    """The demo log without its add totals (`findstr /v`, or lines cut off at the width): the
    cycle at 07:45 notified carol after her due time and logged no failure, but what it added
    is not in the input (it added her). "No retry logged" would be false: carol and ivan are
    `pending` (`retry_unseen`), not `overdue`. With one totals line left out, the users
    retried in that cycle only."""
    demo = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    path = tmp_path / "no-totals.log"
    path.write_text("".join(line for line in demo if "Total received users to add" not in line))
    states = {u.upn: (u.state, u.pending_reason) for u in analyze([str(path)]).users}
    assert (states["carol@contoso.com"], states["ivan@contoso.com"]) == (
        ("pending", "retry_unseen"), ("pending", "retry_unseen"),
    )
    carol_cycle = next(
        number for number, line in enumerate(demo)
        if "Total received users to add from SCCM = 1" in line and "11-25-2026 07:45" in line
    )
    path.write_text("".join(line for number, line in enumerate(demo) if number != carol_cycle))
    states = {u.upn: (u.state, u.pending_reason) for u in analyze([str(path)]).users}
    assert (states["carol@contoso.com"], states["ivan@contoso.com"]) == (
        ("pending", "retry_unseen"), ("overdue", None),
    )



@pytest.mark.parametrize(
    ("moved", "left_out"),
    [
        # the 07:40 cycle's totals and summary logged in the very millisecond 07:45 starts
        ({"07:40:05.407": "07:45:04.400", "07:40:05.544": "07:45:04.400"}, ["07:45:08.844"]),
        # a millisecond earlier: the same answer (the rule does not compare times)
        ({"07:40:05.407": "07:45:04.399", "07:40:05.544": "07:45:04.399"}, ["07:45:08.844"]),
        # the 07:45 cycle's start and totals both left out: its lines follow 07:40's totals
        ({}, ["07:45:04.400", "07:45:08.844"]),
    ],
    ids=["totals-in-the-next-start-millisecond", "a-millisecond-before", "start-left-out"],
)
def test_users_named_after_the_last_totals_line_were_in_a_cycle_whose_totals_are_not_read(
    tmp_path: Path, moved: dict[str, str], left_out: list[str]
) -> None:
    """Whether a cycle's totals are in the input is told by the cycle, not by times: with
    07:45's totals line left out, carol's retry there (she was added) is `pending`
    (`retry_unseen`), also where the 07:40 cycle's totals share 07:45's starting millisecond
    (they were taken for 07:45's: carol `overdue`), and where 07:45's start is left out too
    (its lines came after 07:40's totals: carol `overdue`). ivan, due later, stays `overdue`."""
    demo = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    lines = []
    for line in demo:
        if any(f"11-25-2026 {time}" in line for time in left_out):
            continue
        for old, new in moved.items():
            line = line.replace(f"11-25-2026 {old}", f"11-25-2026 {new}")
        lines.append(line)
    assert len(lines) == len(demo) - len(left_out)
    path = tmp_path / "excerpt.log"
    path.write_text("".join(lines))
    states = {u.upn: (u.state, u.pending_reason) for u in analyze([str(path)]).users}
    assert (states["carol@contoso.com"], states["ivan@contoso.com"]) == (
        ("pending", "retry_unseen"), ("overdue", None),
    )


def test_a_cycle_whose_start_is_left_out_is_judged_from_its_own_lines(tmp_path: Path) -> None:
    """The demo log without the line that starts the cycle at 07:45 (`grep -v`, or a line lost
    in a paste): its lines follow 07:40's totals. carol's due time (07:40:08) is after 07:40's
    start and before 07:45's, so her notification there (07:45:08) is her retry, and its totals
    say she was added: `recovered` at 07:45:08.707, as in the whole log. Before, the cycle was
    taken to have begun at 07:40: her timer "still ran", she was `overdue`, and the cycle's
    totals were "unreconciled", named by 07:40's start (line 2317)."""
    demo = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    path = tmp_path / "excerpt.log"
    path.write_text("".join(line for line in demo if "11-25-2026 07:45:04.400" not in line))
    analysis = analyze([str(path)])
    carol = next(u for u in analysis.users if u.upn == "carol@contoso.com")
    assert (carol.state, carol.pending_reason, iso(carol.recovered_at)) == (
        "recovered", None, "2026-11-25T07:45:08.707-08:00",
    )
    assert analysis.result.unreconciled == []
    whole = {u.upn: u.state for u in analyze([str(SAMPLES / "CloudUserSync.log")]).users}
    assert {u.upn: u.state for u in analysis.users} == whole


def test_a_cycle_without_its_totals_line_before_a_user_s_retry_cycle_leaves_no_room_for_it(
    tmp_path: Path,
) -> None:
    """The demo log without the totals line of the 08:20 cycle (2026-11-25), which notified
    ivan and heidi, both held back by their timers: what that cycle received is unknown, but
    ivan's retry was due at the 08:25 cycle, which is logged whole and does not notify him.
    The unknown cycle began before his expected retry, so no unseen retry of his can be there:
    ivan stays `overdue` ("no retry logged"), not `pending`."""
    demo = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    left_out = [line for line in demo if "11-25-2026 08:20:05.092" in line]
    assert len(left_out) == 1 and "Total received users to add" in left_out[0]
    lines = [line for line in demo if line not in left_out]
    path = tmp_path / "excerpt.log"
    path.write_text("".join(lines))
    states = {u.upn: (u.state, u.pending_reason) for u in analyze([str(path)]).users}
    assert states["ivan@contoso.com"] == ("overdue", None)


# -- outlook: each stuck user's expected recovery ---------------------------------------------

STARTING = "Starting user delta sync, raise failure status messages = True"


def failing_log(tmp_path: Path) -> str:
    """Quiet cycles 07:00-07:55 (-04:00), then a cycle at 08:00 where a@x.com fails with
    UserNotFound (08:00:02): his timer runs out at 2026-03-03 08:00:02."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 08:00")
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": "UserNotFound"})
    return log.write(tmp_path / "CloudUserSync.log")


def test_users_that_are_not_stuck_have_no_recovery_by() -> None:
    """Only a stuck user's recovery comes by something: the demo's failed dave and pending
    frank have none (None, not an empty word)."""
    users = {u.upn: u for u in analyze([str(SAMPLES / "CloudUserSync.log")]).users}
    assert (users["dave@contoso.com"].state, users["dave@contoso.com"].recovery_by) == ("failed", None)
    assert (users["frank@contoso.com"].state, users["frank@contoso.com"].recovery_by) == ("pending", None)


def test_a_user_failing_before_a_restart_recovers_in_its_observed_full_sync(tmp_path: Path) -> None:
    """a@x.com fails at 08:00:02, SMS Executive restarts at 08:02 and the full sync starts at
    08:03: his expected recovery is that observed cycle, by the restart."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 08:00")
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": "UserNotFound"})
    log.restart("2026-03-02 08:02")
    log.at("2026-03-02 08:03:00", STARTING)
    (a,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (a.state, a.recovery_by, a.expected_recovery_observed) == ("waiting", "restart", True)
    assert iso(a.expected_recovery) == "2026-03-02T08:03:00-04:00"


def test_a_what_if_restart_saves_the_time_to_the_user_s_own_retry_only_when_sooner(
    tmp_path: Path,
) -> None:
    """a@x.com's own retry is the cycle at 2026-03-03 08:05:00. A restart at his failure
    (full sync at 08:05:02) saves 86,398 s; one whose full sync lands on his retry (08:00) or
    after it (08:05) saves nothing and leaves his timer; one when he is overdue (08:15) retries
    him, saving no time that could be told (None)."""
    path = failing_log(tmp_path)

    def user(restart_at: datetime) -> tuple[str, str | None, float | None, str]:
        (found,) = analyze([path], restart_at=restart_at).users
        return found.state, found.recovery_by, found.time_saved_s, iso(found.expected_recovery)

    assert user(datetime(2026, 3, 2, 8, 0, 2)) == ("waiting", "what-if", 86398.0, "2026-03-02T08:05:02-04:00")
    assert user(datetime(2026, 3, 3, 8, 0)) == ("waiting", "timer", None, "2026-03-03T08:05:00-04:00")
    assert user(datetime(2026, 3, 3, 8, 5)) == ("waiting", "timer", None, "2026-03-03T08:05:00-04:00")
    assert user(datetime(2026, 3, 3, 8, 15)) == ("overdue", "what-if", None, "2026-03-03T08:20:00-04:00")


def test_a_user_that_failed_once_was_requested_once_and_points_at_its_failure(tmp_path: Path) -> None:
    """One notification, one failure: one request, and the failure's file and line (65)."""
    path = failing_log(tmp_path)
    (a,) = analyze([path]).users
    assert (a.requests, a.failures, a.failure_source, a.failure_line) == (1, 1, path, 65)


def test_an_overdue_user_whose_due_cycle_was_seen_is_retried_by_a_what_if_restart(
    tmp_path: Path,
) -> None:
    """a@x.com's due cycle (2026-03-03 08:05) is in the log and he was not retried: overdue.
    A what-if restart at 08:30:30 retries him; its cycle is predicted, not observed."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 08:00")
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": "UserNotFound"})
    log.cycles("2026-03-02 08:05", "2026-03-03 08:30")
    path = log.write(tmp_path / "CloudUserSync.log")
    (a,) = analyze([path], restart_at=datetime(2026, 3, 3, 8, 30, 30)).users
    assert (a.state, a.recovery_by, a.expected_recovery_observed) == ("overdue", "what-if", False)
    assert (iso(a.expected_recovery), a.time_saved_s) == ("2026-03-03T08:35:30-04:00", None)


# -- the connector's state --------------------------------------------------------------------

CERTIFICATE_WAIT_LOG = SAMPLES / "certificate-wait" / "CloudUserSync.log"
NOTIFY_A = "NotifyAccountAddition - SCCM user to add = a@x.com"


def test_a_stop_after_certificate_waits_keeps_the_first_wait_of_its_run() -> None:
    """The sample's last run waits from 20:14:12.427 and stops at 20:19:12.431."""
    connector = analyze([str(CERTIFICATE_WAIT_LOG)]).result.connector
    assert (connector.state, iso(connector.since), iso(connector.certificate_since)) == (
        "stopped", "2023-02-26T20:19:12.431-08:00", "2023-02-26T20:14:12.427-08:00",
    )


def test_a_certificate_wait_not_stopped_is_shown_by_its_first_wait(tmp_path: Path) -> None:
    """The sample without its last stop: the last run still waits, since its first wait
    (line 15), after its restart at 20:14:12.426."""
    lines = CERTIFICATE_WAIT_LOG.read_bytes().splitlines(keepends=True)
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"".join(lines[:-1]))
    connector = analyze([str(path)]).result.connector
    assert (connector.state, iso(connector.since), iso(connector.last_restart)) == (
        "waiting_for_certificate", "2023-02-26T20:14:12.427-08:00", "2023-02-26T20:14:12.426-08:00",
    )
    assert (connector.source, connector.line) == (str(path), 15)


def test_a_certificate_wait_after_cycles_keeps_the_last_cycle(tmp_path: Path) -> None:
    """Cycles at 07:00 and 07:05, then a certificate wait at 07:07: the last cycle is 07:05."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 07:10").at("2026-03-02 07:07", CERTIFICATE)
    connector = analyze([log.write(tmp_path / "CloudUserSync.log")]).result.connector
    assert (connector.state, iso(connector.last_cycle)) == (
        "waiting_for_certificate", "2026-03-02T07:05:00-04:00",
    )


def test_a_log_of_one_unrelated_connector_line_has_no_cycles(tmp_path: Path) -> None:
    """No cycle, totals, restart or user's line: no cycles."""
    log = Log().at("2026-03-02 07:00", "UserDeltaSync:- checking the cloud service endpoint")
    connector = analyze([log.write(tmp_path / "CloudUserSync.log")]).result.connector
    assert (connector.state, connector.code) == ("no_cycles", "no_cycles")


def test_a_restart_followed_only_by_a_user_s_line_is_running(tmp_path: Path) -> None:
    """A restart at 08:00, then only a notification at 08:10:02: the connector is at work at
    08:11, and keeps its restart."""
    log = Log().restart("2026-03-02 08:00").at("2026-03-02 08:10:02", NOTIFY_A)
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path], now=datetime(2026, 3, 2, 8, 11)).result.connector
    assert (connector.state, iso(connector.last_restart)) == ("running", "2026-03-02T08:00:00-04:00")


def test_cycles_after_a_restart_run_until_three_intervals_pass(tmp_path: Path) -> None:
    """Cycles to 07:55, a restart at 08:01, cycles 08:05-08:25: running at 08:31 and at 08:40
    (exactly three intervals after the last cycle), stalled at 09:00; the restart and the last
    cycle are kept throughout."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 08:00").restart("2026-03-02 08:01")
    path = log.cycles("2026-03-02 08:05", "2026-03-02 08:30").write(tmp_path / "CloudUserSync.log")

    def state(now: datetime) -> tuple[str, str, str]:
        connector = analyze([path], now=now).result.connector
        return connector.state, iso(connector.last_cycle), iso(connector.last_restart)

    cycle, restart = "2026-03-02T08:25:00-04:00", "2026-03-02T08:01:00-04:00"
    assert state(datetime(2026, 3, 2, 8, 31)) == ("running", cycle, restart)
    assert state(datetime(2026, 3, 2, 8, 40)) == ("running", cycle, restart)
    assert state(datetime(2026, 3, 2, 9, 0)) == ("stalled", cycle, restart)


def test_a_user_s_line_one_interval_after_the_last_cycle_leaves_the_cycle_the_reference(
    tmp_path: Path,
) -> None:
    """A notification at 08:00:00, exactly one interval after the last cycle (07:55): not
    later than an interval, so the stall is since that cycle, shown by its start (line 56)."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 08:00").at("2026-03-02 08:00:00", NOTIFY_A)
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path], now=datetime(2026, 3, 2, 8, 30)).result.connector
    assert (connector.state, iso(connector.since)) == ("stalled", "2026-03-02T07:55:00-04:00")
    assert (connector.source, connector.line) == (path, 56)


def test_a_user_s_line_more_than_an_interval_after_the_last_cycle_is_the_reference(
    tmp_path: Path,
) -> None:
    """A notification at 08:07, more than an interval after the last cycle (07:55): a later
    cycle was at work, whose start is not in the log: stalled since the notification, with no
    record to show."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 08:00").at("2026-03-02 08:07:00", NOTIFY_A)
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path], now=datetime(2026, 3, 2, 8, 30)).result.connector
    assert (connector.state, iso(connector.since)) == ("stalled", "2026-03-02T08:07:00-04:00")
    assert (connector.source, connector.line) == ("", 0)


def test_a_restart_at_the_instant_of_the_last_cycle_is_where_the_stall_begins(
    tmp_path: Path,
) -> None:
    """A restart logged at 07:55, the instant the last cycle started, with no cycle after it:
    the stall is shown by the restart (line 61), not by the cycle."""
    log = Log().cycles("2026-03-02 07:00", "2026-03-02 08:00").restart("2026-03-02 07:55")
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path], now=datetime(2026, 3, 2, 9, 0)).result.connector
    assert (connector.state, iso(connector.since), connector.line) == (
        "stalled", "2026-03-02T07:55:00-04:00", 61,
    )


def test_a_wait_names_no_install_error_between_its_first_and_a_later_wait(tmp_path: Path) -> None:
    """The certificate wait began at 09:02 (its first record); an install error at 09:03,
    before the next wait record (09:04, the log's last), came after the wait began: only the
    one at 09:01 is named."""
    log = Log(bias=300).cycle("2026-03-02 09:00:00")
    log.at("2026-03-02 09:02:00", CERTIFICATE).at("2026-03-02 09:04:00", CERTIFICATE)
    log.write(tmp_path / "CloudUserSync.log")
    write(
        tmp_path / "sitecomp.log",
        [sitecomp_error(datetime(2026, 3, 2, 9, 1), 1081), sitecomp_error(datetime(2026, 3, 2, 9, 3), 1016)],
    )
    connector = analyze([str(tmp_path)]).connector
    assert (connector.state, iso(connector.since)) == (
        "waiting_for_certificate", "2026-03-02T09:02:00-05:00",
    )
    assert [(c.kind, iso(c.time), c.line, c.status_ids) for c in connector.causes] == [
        ("install_errors", "2026-03-02T09:01:00-05:00", 1, (1081,))
    ]


def test_a_stop_names_no_install_error_after_it_before_a_later_wait(tmp_path: Path) -> None:
    """Stopped at 09:02, then a certificate wait at 09:04 (the log's last record): the install
    error at 09:03 came after the stop and is no cause of it."""
    log = Log(bias=300).cycle("2026-03-02 09:00:00")
    log.at("2026-03-02 09:02:00", STOPPING).at("2026-03-02 09:04:00", CERTIFICATE)
    log.write(tmp_path / "CloudUserSync.log")
    write(
        tmp_path / "sitecomp.log",
        [sitecomp_error(datetime(2026, 3, 2, 9, 1), 1081), sitecomp_error(datetime(2026, 3, 2, 9, 3), 1016)],
    )
    connector = analyze([str(tmp_path)]).connector
    assert (connector.state, iso(connector.since)) == ("stopped", "2026-03-02T09:02:00-05:00")
    assert [(c.kind, iso(c.time), c.line, c.status_ids) for c in connector.causes] == [
        ("install_errors", "2026-03-02T09:01:00-05:00", 1, (1081,))
    ]


def test_a_sibling_record_exactly_a_day_before_the_log_begins_is_a_cause(tmp_path: Path) -> None:
    """CAUSE_REACH is a day: an install error a day before the connector's log begins (its
    stop at 09:00) is named, one a millisecond earlier is not."""
    Log(bias=300).at("2026-03-02 09:00:00", STOPPING).write(tmp_path / "CloudUserSync.log")
    write(
        tmp_path / "sitecomp.log",
        [
            sitecomp_error(datetime(2026, 3, 1, 8, 59, 59, 999000), 1091),
            sitecomp_error(datetime(2026, 3, 1, 9, 0), 1081),
        ],
    )
    connector = analyze([str(tmp_path)]).connector
    assert connector.state == "stopped"
    assert [(c.kind, iso(c.time), c.line, c.status_ids) for c in connector.causes] == [
        ("install_errors", "2026-03-01T09:00:00-05:00", 2, (1081,))
    ]


def test_sibling_causes_before_any_connector_row_are_named_with_no_cycles() -> None:
    """`watch` reads sitecomp.log apart (`note_causes`) while the connector's log holds no row
    yet: no cycles, and the install error is named (no log start to bound it)."""
    zone = timezone(timedelta(hours=-5))
    at = micros(datetime(2026, 3, 2, 9, 1, tzinfo=zone))
    error = StatusMessage(1081, "E", "SMS_CLOUD_USERSYNC", 7040)
    tracker = Tracker()
    tracker.log.note_causes([(at, zone, "status_message", error, "/site/Logs/sitecomp.log", 1)])
    connector = tracker.connector(None, 300_000_000)
    assert connector.state == "no_cycles"
    assert [(c.kind, iso(c.time), c.line, c.status_ids) for c in connector.causes] == [
        ("install_errors", "2026-03-02T09:01:00-05:00", 1, (1081,))
    ]


def test_a_cause_after_the_judgement_is_not_named() -> None:
    """A certificate wait at 09:02; CertMgr's failure at 09:01 and dmpuploader's word at 09:10
    (read apart, as `watch` does): as of 09:02 only the first is named, as of 09:10 both."""
    zone = timezone(timedelta(hours=-5))
    start, minute = micros(datetime(2026, 3, 2, 9, 0, tzinfo=zone)), 60_000_000
    tracker = Tracker()
    tracker.feed_rows(
        [
            (start, zone, "sync_started", SyncStarted("delta", True), "CloudUserSync.log", 1),
            (start + 2 * minute, zone, "certificate_wait", CertificateWait(1), "CloudUserSync.log", 2),
        ]
    )
    tracker.log.note_causes(
        [
            (start + minute, zone, "certificate_failed", None, "CertMgr.log", 1),
            (start + 10 * minute, zone, "no_intune_subscription", None, "dmpuploader.log", 1),
        ]
    )
    then = tracker.connector(start + 2 * minute, 5 * minute)
    assert then.state == "waiting_for_certificate"
    assert [(c.kind, iso(c.time)) for c in then.causes] == [
        ("certificate_failed", "2026-03-02T09:01:00-05:00")
    ]
    later = tracker.connector(start + 10 * minute, 5 * minute)
    assert [(c.kind, iso(c.time)) for c in later.causes] == [
        ("no_intune_subscription", "2026-03-02T09:10:00-05:00"),
        ("certificate_failed", "2026-03-02T09:01:00-05:00"),
    ]


def test_the_tracker_s_connector_reads_its_users_lines(tmp_path: Path) -> None:
    """`Tracker.connector` (what `watch` asks) judges with the users' lines as `analyze` does:
    an excerpt of bob's lines alone shows cycles at work, not no_cycles."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:02", NOTIFY.format("bob@contoso.com"))
    log.at("2026-03-02 09:00:02", "Failed to add user bob@contoso.com; reason UserNotFound")
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    connector = analysis.tracker.connector(micros(analysis.as_of), 300_000_000)
    assert (connector.state, connector.code, analysis.connector.state) == ("running", None, "running")


def test_a_user_held_back_since_before_an_excerpt_is_pending_where_lines_may_be_left_out_before_the_decision(
    tmp_path: Path,
) -> None:
    """bob is notified at 09:00:02 in a cycle that receives nobody (held back since before the
    input); its next cycle would decide by 09:05:02. Where the excerpt leaves lines out (grep's
    `--`) after a record before then, his hold is undetermined (pending); where the record
    before the first `--` is at 09:05:02 or the `--` comes first, he waits on his timer."""
    held = Log(bias=300).steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com").lines
    later = Log(bias=300).steady(datetime(2026, 3, 2, 9, 10)).lines  # (2 intervals on: heard)
    removed = "Total received users from SCCM to be removed from cloud = 0"
    at_decision = Log(bias=300).at(datetime(2026, 3, 2, 9, 5, 2), removed).lines
    excerpts = {
        "gap.log": [*held, "--", *later],
        "open.log": [*held, "--"],  # nothing after the gap
        "decision.log": [*held, *at_decision, "--", *later],
        "first.log": ["--", *held, *later],  # nothing before the gap
    }
    found = {}
    for name, lines in excerpts.items():
        (bob,) = analyze([write(tmp_path / name, lines)]).users
        found[name] = (bob.state, bob.pending_reason, bob.before_input)
    assert found == {
        "gap.log": ("pending", "undetermined", True),
        "open.log": ("pending", "undetermined", True),
        "decision.log": ("waiting", None, True),
        "first.log": ("waiting", None, True),
    }


def nobody_next(log: Log, tmp_path: Path) -> list[UserState]:
    """The users of `log` judged after one more cycle, at 09:10, that notifies nobody."""
    log.steady(datetime(2026, 3, 2, 9, 10))
    return analyze([log.write(tmp_path / "CloudUserSync.log")]).users


def test_a_user_held_in_its_last_cycle_does_not_keep_the_next_held_user_from_release(
    tmp_path: Path,
) -> None:
    """amy and bob are held back since before the log (09:00, nobody received); 09:05 notifies
    bob and carol and receives both (unreconciled: one added); 09:10 notifies nobody. amy's
    last cycle left no room for her: still held. bob's did: he was added at 09:05:02, though
    amy comes before him among the held users."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "amy@contoso.com", "bob@contoso.com")
    log.steady(datetime(2026, 3, 2, 9, 5), "bob@contoso.com", "carol@contoso.com", received=2, added=1)
    users = nobody_next(log, tmp_path)
    assert [(u.upn, u.state, u.before_input, iso(u.recovered_at)) for u in users] == [
        ("amy@contoso.com", "waiting", True, None),
        ("carol@contoso.com", "pending", False, None),
        ("bob@contoso.com", "recovered", True, "2026-03-02T09:05:02-05:00"),
    ]


def test_a_user_not_received_from_its_due_time_or_after_a_restart_is_skipped(
    tmp_path: Path,
) -> None:
    """bob fails (UserNotFound) at 09:00:02, due at 09:00:02 the next day. A cycle that
    notifies him and receives nobody is a skip (evidence for `overdue`) when it starts at the
    due time itself, or after a restart since the failure; one a second before the due time is
    not."""
    found = {}
    for name, later in (
        ("at-due.log", lambda log: log.steady(datetime(2026, 3, 3, 9, 0, 2), "bob@contoso.com")),
        ("before-due.log", lambda log: log.steady(datetime(2026, 3, 3, 9, 0, 1), "bob@contoso.com")),
        (
            "restarted.log",
            lambda log: log.restart("2026-03-02 10:00:00").steady(datetime(2026, 3, 2, 10, 5), "bob@contoso.com"),
        ),
    ):
        log = Log(bias=300)
        log.cycle("2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
        later(log)
        (bob,) = analyze([log.write(tmp_path / name)]).users
        found[name] = (bob.state, bob.failures, bob.skipped)
    assert found == {
        "at-due.log": ("waiting", 1, 1),
        "before-due.log": ("waiting", 1, 0),
        "restarted.log": ("waiting", 1, 1),
    }


def test_a_failure_line_accounts_for_one_failed_add_of_its_cycle(tmp_path: Path) -> None:
    """amy and bob are received and nobody is added; only bob's failure has a line: one failed
    add no failure line names (amy's), counted at the totals line (line 7)."""
    log = Log(bias=300).cycle(
        "2026-03-02 09:00:00",
        ("amy@contoso.com", "bob@contoso.com"),
        {"bob@contoso.com": "UserNotFound"},
        added=0,
    )
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert result.unnamed_failures == 1
    assert result.unnamed_at is not None
    assert (iso(result.unnamed_at[0]), result.unnamed_at[2]) == ("2026-03-02T09:00:04-05:00", 7)


def test_an_overdue_user_is_pending_where_an_excerpt_leaves_lines_out_after_its_retry(
    tmp_path: Path,
) -> None:
    """bob fails (UserNotFound) at 09:00:02; his retry was expected in the 09:05 cycle the
    next day, and the cycles to 09:30 do not notify him: overdue. Where the excerpt leaves
    lines out (grep's `--`) after 09:05, or at its end, his retry may be there (pending,
    retry_unseen); where the lines after the last `--` begin at 09:05, it is not."""
    failed = Log(bias=300).cycle("2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    failed.cycles("2026-03-02 09:05:00", "2026-03-03 09:05:00")  # (a cycle every 5 minutes)
    later = Log(bias=300)
    for minute in range(5, 35, 5):
        later.cycle(f"2026-03-03 09:{minute:02d}:00")
    first, rest = later.lines[:5], later.lines[5:]  # the 09:05 cycle, the cycles after it
    excerpts = {
        "whole.log": [*failed.lines, *first, *rest],
        "after-retry.log": [*failed.lines, *first, "--", *rest],
        "at-retry.log": [*failed.lines, "--", *first, *rest],
        "open.log": [*failed.lines, *first, *rest, "--"],
    }
    found = {}
    for name, lines in excerpts.items():
        (bob,) = analyze([write(tmp_path / name, lines)]).users
        found[name] = (bob.state, bob.pending_reason, iso(bob.expected_recovery))
    retry = "2026-03-03T09:05:00-05:00"
    assert found == {
        "whole.log": ("overdue", None, retry),
        "after-retry.log": ("pending", "retry_unseen", retry),
        "at-retry.log": ("overdue", None, retry),
        "open.log": ("pending", "retry_unseen", retry),
    }


def test_a_user_held_back_since_before_the_log_that_fails_beside_an_add_is_no_longer_held(
    tmp_path: Path,
) -> None:
    """bob is held back since before the log (09:00); at 09:05 he fails (UserNotFound) while
    carol is added; 09:10 notifies nobody. His failure ends the hold: his absence at 09:10 is
    no add (his timer holds him), though his last cycle added someone."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com")
    log.cycle("2026-03-02 09:05:00", ("bob@contoso.com", "carol@contoso.com"), {"bob@contoso.com": "UserNotFound"})
    log.cycle("2026-03-02 09:10:00")
    bob, carol = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (bob.upn, bob.state, bob.failures, bob.recovery_by, iso(bob.full_sync_due), bob.recovered_at) == (
        "bob@contoso.com", "waiting", 1, "timer", "2026-03-03T09:05:02-05:00", None,
    )
    assert (carol.upn, carol.state) == ("carol@contoso.com", "synced")


def test_a_retry_in_a_restart_s_full_sync_with_no_times_awaits_its_totals() -> None:
    """Lines with no times: bob fails (UserNotFound), the connector restarts and its full sync
    notifies him, and the input ends before its totals. The full sync holds nobody back: bob
    is pending, awaiting the totals, not held by a timer nobody can time."""
    tracker = Tracker()
    tracker.feed_rows(
        [
            (0, NO_TIMES, "sync_started", SyncStarted("delta", True), "pasted", 1),
            (1, NO_TIMES, "user_add_requested", UserAddRequested("bob@contoso.com"), "pasted", 2),
            (2, NO_TIMES, "user_add_failed", UserAddFailed("bob@contoso.com", "UserNotFound"), "pasted", 3),
            (3, NO_TIMES, "add_totals", AddTotals(1, 0), "pasted", 4),
            (4, NO_TIMES, "component_started", ComponentStarted(7012), "pasted", 5),
            (5, NO_TIMES, "sync_started", SyncStarted("full", True), "pasted", 6),
            (6, NO_TIMES, "user_add_requested", UserAddRequested("bob@contoso.com"), "pasted", 7),
        ]
    )
    (bob,) = tracker.result().users
    assert (bob.state, bob.pending_reason, bob.failures) == ("pending", "awaiting_totals", 1)


def test_a_user_first_held_back_beside_one_received_stays_held_when_next_left_out(
    tmp_path: Path,
) -> None:
    """09:00 notifies amy and dave, receives both and adds one (unreconciled); 09:05 notifies
    amy again and carol, new, and receives and adds one: carol; amy, notified twice, is held
    back since before the log there. 09:10 notifies nobody: amy's last cycle left no room for
    her, so her absence is no add."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "amy@contoso.com", "dave@contoso.com", received=2, added=1)
    log.steady(datetime(2026, 3, 2, 9, 5), "amy@contoso.com", "carol@contoso.com", received=1, added=1)
    users = nobody_next(log, tmp_path)
    assert [(u.upn, u.state, u.before_input, iso(u.synced_at)) for u in users] == [
        ("amy@contoso.com", "waiting", True, None),
        ("dave@contoso.com", "pending", False, None),
        ("carol@contoso.com", "synced", False, "2026-03-02T09:05:02-05:00"),
    ]


def test_a_user_held_back_when_the_first_cycle_is_decided_is_added_by_its_later_absence(
    tmp_path: Path,
) -> None:
    """The log begins inside a cycle that notifies amy and adds one (undecided). The first
    complete cycle, 09:05, notifies her again (held back since before the log) and carol, and
    receives both and adds one (unreconciled: room for her). 09:10 notifies nobody: amy was
    added at 09:05:02."""
    log = Log(bias=300)
    log.at(datetime(2026, 3, 2, 9, 0, 2), NOTIFY.format("amy@contoso.com"))
    log.at(
        datetime(2026, 3, 2, 9, 0, 3),
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    )
    log.steady(datetime(2026, 3, 2, 9, 5), "amy@contoso.com", "carol@contoso.com", received=2, added=1)
    users = nobody_next(log, tmp_path)
    assert [(u.upn, u.state, u.before_input, iso(u.recovered_at)) for u in users] == [
        ("carol@contoso.com", "pending", False, None),
        ("amy@contoso.com", "recovered", True, "2026-03-02T09:05:02-05:00"),
    ]


def test_a_cycle_that_received_more_users_than_it_names_may_hold_an_unseen_retry(
    tmp_path: Path,
) -> None:
    """bob fails (UserNotFound) at 09:00:02; his retry was expected at 09:05 the next day, and
    no cycle to 09:30 notifies him. The 09:10 cycle names only carol: where it received one
    user, bob is overdue; where it received two, bob's retry may have been the other (pending,
    retry_unseen)."""
    found = {}
    for received in (1, 2):
        log = Log(bias=300)
        log.cycle("2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
        log.cycles("2026-03-02 09:05:00", "2026-03-03 09:05:00")
        for minute in range(5, 35, 5):
            if minute == 10:
                log.steady(datetime(2026, 3, 3, 9, 10), "carol@contoso.com", received=received, added=received)
            else:
                log.cycle(f"2026-03-03 09:{minute:02d}:00")
        users = analyze([log.write(tmp_path / f"received-{received}.log")]).users
        (bob,) = [u for u in users if u.upn == "bob@contoso.com"]
        found[received] = (bob.state, bob.pending_reason, iso(bob.expected_recovery))
    assert found == {
        1: ("overdue", None, "2026-03-03T09:05:00-05:00"),
        2: ("pending", "retry_unseen", "2026-03-03T09:05:00-05:00"),
    }


def test_a_timer_runs_at_a_cycle_that_starts_before_its_due_time_though_it_notifies_after(
    tmp_path: Path,
) -> None:
    """bob fails (UserNotFound) at 09:00:02, due at 09:00:02 the next day. A cycle starting at
    09:00:01 notifies him at 09:00:03 and counts nobody received: his timer still ran when the
    cycle started, so he was held back, not passed over. Had it counted one user received and
    added, that could be bob only if the cycle was a full sync (a restart the input does not
    show): `pending` (`retry_unseen`), neither `waiting` nor `recovered`. (Two cycles a day
    apart measure no interval: his retry is foretold on the default's schedule, 09:05:01.)"""
    for received, state, why in ((0, "waiting", None), (1, "pending", "retry_unseen")):
        log = Log(bias=300)
        log.cycle("2026-03-02 09:00:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
        log.steady(datetime(2026, 3, 3, 9, 0, 1), "bob@contoso.com", received=received, added=received)
        (bob,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
        assert (bob.state, bob.pending_reason, bob.recovered_at, iso(bob.expected_recovery)) == (
            state, why, None, "2026-03-03T09:05:01-05:00",
        )


def test_a_cycle_s_failure_lines_count_among_the_users_it_names(tmp_path: Path) -> None:
    """dave's retry was expected at 09:05 (he failed the day before) and no cycle to 09:30
    notifies him. The 09:10 cycle names carol and erin, whose add fails: received 3 is more
    than the two it names, so dave's retry may be the third (pending). With erin's failure
    line but not her notification, received 2 is the two it names: dave is overdue."""
    totals = "Total received users to add from SCCM = {}, Total Successfully added users to Cloud = 1"
    found = {}
    for name, notified, received in (("notified.log", True, 3), ("failure-only.log", False, 2)):
        log = Log(bias=300)
        log.cycle("2026-03-02 09:00:00", ("dave@contoso.com",), {"dave@contoso.com": "UserNotFound"})
        log.cycles("2026-03-02 09:05:00", "2026-03-03 09:05:00")
        for minute in range(5, 35, 5):
            if minute != 10:
                log.cycle(f"2026-03-03 09:{minute:02d}:00")
                continue
            log.at("2026-03-03 09:10:00", STARTING)
            log.at("2026-03-03 09:10:02", NOTIFY.format("carol@contoso.com"))
            if notified:
                log.at("2026-03-03 09:10:02", NOTIFY.format("erin@contoso.com"))
            log.at("2026-03-03 09:10:02", "Failed to add user erin@contoso.com; reason Forbidden")
            log.at("2026-03-03 09:10:03", totals.format(received))
        users = analyze([log.write(tmp_path / name)]).users
        (dave,) = [u for u in users if u.upn == "dave@contoso.com"]
        found[name] = (dave.state, dave.pending_reason)
    assert found == {
        "notified.log": ("pending", "retry_unseen"),
        "failure-only.log": ("overdue", None),
    }


def test_a_cycle_that_received_nobody_though_a_user_failed_in_it_is_unreconciled(
    tmp_path: Path,
) -> None:
    """erin is notified and fails (Forbidden: no retry) in a cycle whose totals say nobody was
    received: the counts contradict her failure, so the cycle is unreconciled, with its start
    (line 1) and totals line (4) as evidence."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:00", STARTING)
    log.at("2026-03-02 09:00:02", NOTIFY.format("erin@contoso.com"))
    log.at("2026-03-02 09:00:02", "Failed to add user erin@contoso.com; reason Forbidden")
    log.at("2026-03-02 09:00:03", "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0")
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert [(u.upn, u.state) for u in analysis.users] == [("erin@contoso.com", "failed")]
    assert [
        (iso(c.time), c.line, c.totals_line, c.received, c.added, c.notified)
        for c in analysis.result.unreconciled
    ] == [("2026-03-02T09:00:00-05:00", 1, 4, 0, 0, 1)]



def test_a_totals_line_after_a_restart_names_nobody_so_may_hold_an_unseen_retry(
    tmp_path: Path,
) -> None:
    """dave's retry was expected at 09:30 (he failed the day before). The connector restarts
    at 09:36 and a totals line (one received, one added) follows with no cycle start and no
    notification: the restart left nobody named, so the user received may be dave (pending,
    retry_unseen), though no cycle to 09:55 notifies him."""
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", ("dave@contoso.com",), {"dave@contoso.com": "UserNotFound"})
    log.cycle("2026-03-03 09:30:00")
    log.restart("2026-03-03 09:36:00")
    log.at("2026-03-03 09:36:30", "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1")
    for minute in (40, 45, 50, 55):
        log.cycle(f"2026-03-03 09:{minute}:00")
    (dave,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (dave.state, dave.pending_reason, dave.recovery_by) == ("pending", "retry_unseen", "timer")


def test_a_user_whose_outcome_is_unknown_is_listed_with_the_waiting(tmp_path: Path) -> None:
    """The log starts inside a cycle that notifies amy and bob and receives both: amy may have
    been held back since before the log (pending, undetermined: a gate counts her as
    waiting), bob failed with UserNotFound (waiting). Listing the waiting users lists both,
    bob first; amy is still counted pending."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:02", NOTIFY.format("amy@contoso.com"))
    log.at("2026-03-02 09:00:04", NOTIFY.format("bob@contoso.com"))
    log.at("2026-03-02 09:00:04", "Failed to add user bob@contoso.com; reason UserNotFound")
    log.at(
        "2026-03-02 09:00:05",
        "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 1",
    )
    result = analyze([log.write(tmp_path / "CloudUserSync.log")], states={"waiting"}).result
    assert [(u.upn, u.state, u.pending_reason) for u in result.users] == [
        ("bob@contoso.com", "waiting", None),
        ("amy@contoso.com", "pending", "undetermined"),
    ]
    assert {state: n for state, n in result.counts.items() if n} == {"pending": 1, "waiting": 1}
    assert result.undetermined == 1


def test_a_user_held_by_its_timer_beside_an_add_is_no_skip_when_the_first_cycle_is_decided(
    tmp_path: Path,
) -> None:
    """The log starts inside a cycle that notifies amy and receives and adds one user: whether
    that was amy is undecided. Her failure (UserNotFound) follows, so her timer runs; the next
    cycle notifies her and bob and adds one, bob. The next complete cycle decides the first by
    her presence: she waits for her timer, with no skip (a skip is a notification past her due
    time, evidence for `overdue`)."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:02", NOTIFY.format("amy@contoso.com"))
    log.at(
        "2026-03-02 09:00:03",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    )
    log.at("2026-03-02 09:00:04", "Failed to add user amy@contoso.com; reason UserNotFound")
    log.steady(
        datetime(2026, 3, 2, 9, 5), "amy@contoso.com", "bob@contoso.com", received=1, added=1
    )
    log.cycle("2026-03-02 09:10:00")
    users = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert [(u.upn, u.state, u.before_input, u.skipped) for u in users] == [
        ("amy@contoso.com", "waiting", False, 0),
        ("bob@contoso.com", "synced", False, 0),
    ]


def test_an_excerpt_s_interval_is_the_default_not_one_observed_across_what_it_leaves_out(
    tmp_path: Path,
) -> None:
    """Cycles every 10 minutes before and after grep's `--`: the cycles an excerpt shows are not
    in a row, so the interval is the default 5 minutes, not observed. The same cycles with
    nothing left out: 10 minutes, observed."""
    every = timedelta(minutes=10)
    before = Log(bias=300).cycles("2026-03-02 09:00:00", "2026-03-02 09:40:00", every)
    after = Log(bias=300).cycles("2026-03-02 11:00:00", "2026-03-02 11:40:00", every)
    found = {}
    for name, lines in {
        "excerpt.log": [*before.lines, "--", *after.lines],
        "whole.log": [*before.lines, *after.lines],
    }.items():
        result = analyze([write(tmp_path / name, lines)]).result
        found[name] = (result.interval, result.interval_observed)
    assert found == {
        "excerpt.log": (timedelta(minutes=5), False),
        "whole.log": (timedelta(minutes=10), True),
    }


def test_users_left_out_by_state_still_count_as_retry_unseen_when_they_are(
    tmp_path: Path,
) -> None:
    """dave's retry may lie unseen after a restart (as above), and erin, met later, waits on
    her timer. Listing only failed users lists nobody and counts one user whose retry the
    input may not show: dave."""
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", ("dave@contoso.com",), {"dave@contoso.com": "UserNotFound"})
    log.cycle("2026-03-03 09:30:00")
    log.restart("2026-03-03 09:36:00")
    log.at(
        "2026-03-03 09:36:30",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    )
    log.cycle("2026-03-03 09:40:00", ("erin@contoso.com",), {"erin@contoso.com": "UserNotFound"})
    for minute in (45, 50, 55):
        log.cycle(f"2026-03-03 09:{minute}:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    everyone = analyze([path]).users
    assert [(u.upn, u.state, u.pending_reason) for u in everyone] == [
        ("erin@contoso.com", "waiting", None),
        ("dave@contoso.com", "pending", "retry_unseen"),
    ]
    result = analyze([path], states={"failed"}).result
    assert (result.users, result.retry_unseen) == ([], 1)


def test_a_connector_whose_cycles_stopped_before_1970_is_stalled(tmp_path: Path) -> None:
    """Cycles every 5 minutes to 20:10 on 1969-07-20, judged at 20:30: more than three
    intervals since the last cycle, so stalled since it, as at any other time."""
    log = Log(bias=300).cycles("1969-07-20 20:00:00", "1969-07-20 20:15:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    connector = analyze([path], now=datetime(1969, 7, 20, 20, 30)).connector
    assert (connector.state, iso(connector.since)) == ("stalled", "1969-07-20T20:10:00-05:00")
    at_limit = analyze([path], now=datetime(1969, 7, 20, 20, 25)).connector
    assert (at_limit.state, at_limit.since) == ("running", None)


def test_rows_of_no_cycle_in_two_offsets_show_no_cycles_by_the_first() -> None:
    """smsexec.log's status messages of another component, the second after the clock was set
    back (-04:00 to -05:00), and no row of the connector: no cycles since the first row,
    which shows it."""
    daylight, standard = timezone(timedelta(hours=-4)), timezone(timedelta(hours=-5))
    first = micros(datetime(2026, 11, 1, 1, 50, tzinfo=daylight))
    other = StatusMessage(500, "I", "SMS_DISTRIBUTION_MANAGER", 7040)
    tracker = Tracker()
    tracker.feed_rows(
        [
            (first, daylight, "status_message", other, "smsexec.log", 7),
            (first + 1_200_000_000, standard, "status_message", other, "smsexec.log", 9),
        ]
    )
    connector = tracker.connector(None, 300_000_000)
    assert (connector.state, iso(connector.since), connector.source, connector.line) == (
        "no_cycles", "2026-11-01T01:50:00-04:00", "smsexec.log", 7,
    )


def test_a_user_held_back_since_before_an_excerpt_and_left_out_by_state_is_counted_undetermined(
    tmp_path: Path,
) -> None:
    """bob is held back since before the input, and the excerpt leaves lines out before his
    hold is decided (as above): undetermined. Listing only failed users lists nobody and still
    counts him, pending and undetermined."""
    held = Log(bias=300).steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com").lines
    later = Log(bias=300).steady(datetime(2026, 3, 2, 9, 10)).lines  # (2 intervals on: heard)
    path = write(tmp_path / "gap.log", [*held, "--", *later])
    result = analyze([path], states={"failed"}).result
    assert (result.users, result.undetermined, result.counts["pending"]) == ([], 1, 1)


def test_a_log_that_starts_at_a_failure_counts_no_notification_before_it(tmp_path: Path) -> None:
    """The log starts inside a cycle, at dave's failure (UserNotFound; with a timer of one
    second his retry is due at 09:00:03), and the cycle's totals (09:00:05) received two users:
    one the input does not name, who may be dave's retry. He is pending, not overdue."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:02", "Failed to add user dave@contoso.com; reason UserNotFound")
    log.at(
        "2026-03-02 09:00:05",
        "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 0",
    )
    path = log.write(tmp_path / "CloudUserSync.log")
    (dave,) = analyze(
        [path], full_sync_after=timedelta(seconds=1), now=datetime(2026, 3, 2, 9, 30)
    ).users
    assert (dave.state, dave.pending_reason) == ("pending", "retry_unseen")


def test_a_user_held_back_since_before_the_log_in_an_undecided_last_cycle_is_pending(
    tmp_path: Path,
) -> None:
    """amy is held back since before the log (09:00, nobody received); the last cycle, 09:05,
    notifies her, carol and dave and receives one of them: which one, only the next cycle
    would tell. All three are pending, undetermined, amy too though her timer runs."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "amy@contoso.com")
    log.steady(
        datetime(2026, 3, 2, 9, 5),
        "amy@contoso.com",
        "carol@contoso.com",
        "dave@contoso.com",
        received=1,
        added=1,
    )
    users = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert [(u.upn, u.state, u.pending_reason, u.before_input, u.expected_recovery) for u in users] == [
        ("amy@contoso.com", "pending", "undetermined", True, None),
        ("carol@contoso.com", "pending", "undetermined", False, None),
        ("dave@contoso.com", "pending", "undetermined", False, None),
    ]


def outlook(user: UserState) -> tuple[object, ...]:
    """A waiting user's state and expected recovery: when, whether observed, by what, how
    bound; and its timer's latest due time."""
    return (
        user.state,
        iso(user.expected_recovery),
        user.expected_recovery_observed,
        user.recovery_by,
        user.bound,
        iso(user.full_sync_due_by),
    )


def test_a_user_held_back_since_before_the_log_and_passed_over_was_due_by_that_cycle(
    tmp_path: Path,
) -> None:
    """bob is held back since before the log (09:00, nobody received); 09:05 does not notify
    him and receives nobody: the connector passed him over, so his timer ran out by that
    cycle's start. His retry is that observed cycle (timer), and his timer was due by 09:05,
    not by the log's first time and a day (the latest it could be otherwise)."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com")
    log.steady(datetime(2026, 3, 2, 9, 5))
    log.steady(datetime(2026, 3, 2, 9, 10))
    (bob,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert outlook(bob) == (
        "waiting",
        "2026-03-02T09:05:00-05:00",
        True,
        "timer",
        None,
        "2026-03-02T09:05:00-05:00",
    )


def test_a_user_held_back_since_before_the_log_past_its_latest_due_time_waits_on_that_cycle(
    tmp_path: Path,
) -> None:
    """bob is held back since before the log (09:00) and still the next day: his timer ran
    out by 09:00 that day at the latest, and the cycle of 09:05 is the first at or after it:
    his retry is that observed cycle, at the latest. (Held back in every cycle between, to
    08:55: a day with no cycle is not heard, and may hold his retry.)"""
    log = Log(bias=300)
    for cycle in range(288):  # (09:00 to 08:55 the next day)
        log.steady(datetime(2026, 3, 2, 9, 0) + timedelta(minutes=5 * cycle), "bob@contoso.com")
    log.steady(datetime(2026, 3, 3, 9, 5), "bob@contoso.com")
    log.steady(datetime(2026, 3, 3, 9, 10), "bob@contoso.com")
    (bob,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert outlook(bob) == (
        "waiting",
        "2026-03-03T09:05:00-05:00",
        True,
        "timer",
        "latest",
        "2026-03-03T09:00:00-05:00",
    )


def test_a_user_held_back_since_before_the_log_is_retried_by_a_restart_after_the_hold(
    tmp_path: Path,
) -> None:
    """bob is held back since before the log (09:00); SMS Executive restarts the connector at
    09:30 and the log ends before its full sync: that retries bob five minutes later
    (predicted), long before his timer's latest due time (09:00 the next day)."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com")
    log.restart("2026-03-02 09:30:00")
    (bob,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert outlook(bob) == (
        "waiting",
        "2026-03-02T09:35:00-05:00",
        False,
        "restart",
        None,
        "2026-03-03T09:00:00-05:00",
    )


@pytest.mark.parametrize(
    ("earlier", "first", "held", "expected"),
    [
        (0, 1, 0, (1, "first")),
        (0, 2, 1, (1, "first")),
        (0, 1, 1, (0, None)),
        (0, 1, 2, (0, None)),
        (3, 2, 0, (5, "first")),
        (3, 2, 2, (3, "later")),
        (3, None, 0, (3, "later")),
    ],
)
def test_failed_adds_of_the_input_s_first_cycle_count_beyond_the_users_held_back_before_it(
    earlier: int, first: int | None, held: int, expected: tuple[int, str | None]
) -> None:
    """The first cycle's failed adds that no line names (its start, and maybe its failure lines,
    precede the input) count beyond the users held back since before the input: each may be
    one of them, counted already as a stuck user. Its totals line is then the first shown."""
    from logsync.tracker.totals import CycleTotals

    totals = CycleTotals(None)  # type: ignore[arg-type]  # (the ledger is not read here)
    where = {"first": ((1, None), "a.log", 2), "later": ((9, None), "a.log", 40)}
    totals.unnamed = earlier
    totals.unnamed_at = where["later"] if earlier else None  # type: ignore[assignment]
    if first is not None:
        totals.first_unnamed = (first, where["first"])  # type: ignore[assignment]
    totals.held_before = held
    count, at = totals.unnamed_failures()
    assert (count, at) == (expected[0], where.get(expected[1]) if expected[1] else None)


# -- the failed adds of an input's first cycle, against users held back since before it ---

RECEIVED_2 = "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 0"
ADDED_0 = "UserDeltaSync:- Users Added = 0, Users Removed = 0"
NOTIFY = "NotifyAccountAddition - SCCM user to add = {}"


def test_two_users_held_back_since_before_the_log_account_for_two_failed_adds_of_its_first_cycle(
    tmp_path: Path,
) -> None:
    """The log begins inside a cycle that names alice and bob and received 2, added 0; the next
    cycle notifies both again and receives nobody: both were held back since before the log.
    They are the first cycle's two failed adds, so no failed add is left unnamed, and
    `check --max-stuck 2` passes (each held user counts once, not once per cycle: `_hold`
    mutant 9, `held_before = 1`, left one add unnamed and failed the gate)."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:02", NOTIFY.format("alice@contoso.com"))
    log.at("2026-03-02 09:00:02", NOTIFY.format("bob@contoso.com"))
    log.at("2026-03-02 09:00:03", RECEIVED_2)
    log.at("2026-03-02 09:00:03", ADDED_0)
    log.steady(datetime(2026, 3, 2, 9, 5), "alice@contoso.com", "bob@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    result = analyze([path]).result
    assert [(u.upn, u.state) for u in result.users] == [
        ("alice@contoso.com", "waiting"),
        ("bob@contoso.com", "waiting"),
    ]
    assert (result.unnamed_failures, result.unnamed_at) == (0, None)
    check = CliRunner().invoke(app, ["check", "--max-stuck", "2", path])
    assert (check.exit_code, check.stdout.splitlines()[-1]) == (
        0, "ok: 2 users (2 waiting), limit 2 as of 2026-03-02T09:05:03-05:00",
    )


def test_one_user_held_back_since_before_the_log_accounts_for_one_of_two_failed_adds(
    tmp_path: Path,
) -> None:
    """The log begins at a totals line (received 2, added 0; no user named); the next cycle
    notifies alice and receives nobody: she is held back since before the log and may be one
    of the two failed adds, the other stays unnamed (first at line 1). `check --max-stuck 1`
    fails on alice and that add (`_hold` mutant 11, `held_before += 2`, took alice for both
    adds and passed)."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:03", RECEIVED_2)
    log.at("2026-03-02 09:00:03", ADDED_0)
    log.steady(datetime(2026, 3, 2, 9, 5), "alice@contoso.com")
    path = log.write(tmp_path / "CloudUserSync.log")
    result = analyze([path]).result
    assert [(u.upn, u.state) for u in result.users] == [("alice@contoso.com", "waiting")]
    assert result.unnamed_failures == 1
    assert result.unnamed_at is not None
    assert (result.unnamed_at[0].isoformat(), result.unnamed_at[1:]) == (
        "2026-03-02T09:00:03-05:00", (path, 1),
    )
    said = f"1 failed add that no failure line of the input names (cycle totals, first at {path}:1)"
    check = CliRunner().invoke(app, ["check", "--max-stuck", "1", path])
    assert (check.exit_code, check.stdout.splitlines()[-1]) == (
        1, f"FAIL: 1 user (1 waiting), limit 1; {said} as of 2026-03-02T09:05:03-05:00",
    )


TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")
"""SPEC §1's excerpt as a ticket pastes it."""


def test_the_concluded_connector_of_a_pasted_excerpt_is_running_between_its_records(
    tmp_path: Path,
) -> None:
    """As of a time between the pasted excerpt's two days, its 23 hours with no cycle are lines
    the one who pasted it left out, no stall: `conclude` hands `CycleTotals.unheard` to the
    connector's state (`conclude` 225 and 229, which hand it nothing, said `stalled` since
    2014-09-14T10:23:54 and failed the gate)."""
    path = tmp_path / "ticket.txt"
    path.write_text(TICKET)
    analysis = analyze([str(path)], now=datetime(2014, 9, 15, 10, 0))
    assert (analysis.connector.state, analysis.connector.code) == ("running", None)
    assert [(u.upn, u.state) for u in analysis.result.users] == [("scott@contoso.com", "waiting")]
    gate = CliRunner().invoke(
        app, ["check", "--fail-on", "connector", "--now", "9/15/2014 10:00 AM", str(path)]
    )
    assert (gate.exit_code, gate.stdout.splitlines()[-1]) == (
        0,
        "ok: no connector problem as of 2014-09-15T10:00:00; 1 stuck user not counted by "
        "--fail-on connector",
    )
