"""The per-user rules of SPEC §4, each on a log written in the connector's own words."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.events import ComponentStarted
from logsync.pipeline import EventStream
from logsync.render.machine import state_counts
from logsync.times import iso
from logsync.tracker import STATES, Tracker, TrackerOptions, UserState, ZoneTable

from .conftest import SAMPLES
from .logtext import Log

UNF = "UserNotFound"


def by_upn(users: list[UserState]) -> dict[str, UserState]:
    return {user.upn: user for user in users}


def test_spec_case_recovers_24h_18s_after_failure() -> None:
    analysis = analyze([str(SAMPLES / "spec-case" / "CloudUserSync.log")])
    (scott,) = analysis.users
    assert scott.upn == "scott@contoso.com"
    assert scott.state == "recovered"
    assert iso(scott.first_failure) == "2014-09-14T10:23:54-04:00"
    assert iso(scott.full_sync_due) == "2014-09-15T10:23:54-04:00"
    assert iso(scott.recovered_at) == "2014-09-15T10:24:12-04:00"
    assert scott.recovered_at - scott.first_failure == timedelta(hours=24, seconds=18)
    assert scott.failures == 1
    assert scott.requests == 289
    assert analysis.result.cycles == 289
    assert iso(analysis.as_of) == "2014-09-15T10:24:12.425-04:00"


def friday_saturday_log() -> Log:
    log = Log(bias=480)
    moment = datetime(2026, 11, 20, 14, 55)
    while moment <= datetime(2026, 11, 21, 16, 0):
        if moment == datetime(2026, 11, 20, 15, 0):
            log.cycle(moment, ("alice@contoso.com",), {"alice@contoso.com": UNF})
        elif moment == datetime(2026, 11, 20, 17, 0):
            log.cycle(moment, ("bob@contoso.com",), {"bob@contoso.com": UNF})
        elif moment == datetime(2026, 11, 21, 15, 5):
            log.cycle(moment, ("alice@contoso.com",))
        else:
            log.cycle(moment)
        moment += timedelta(minutes=5)
    return log


def test_friday_failures_one_recovered_one_waiting(tmp_path: Path) -> None:
    path = friday_saturday_log().write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path])
    users = by_upn(analysis.users)
    alice, bob = users["alice@contoso.com"], users["bob@contoso.com"]
    assert iso(analysis.as_of) == "2026-11-21T16:00:00-08:00"
    assert alice.state == "recovered"
    assert iso(alice.recovered_at) == "2026-11-21T15:05:02-08:00"
    assert iso(alice.full_sync_due) == "2026-11-21T15:00:02-08:00"
    assert bob.state == "waiting"
    assert iso(bob.full_sync_due) == "2026-11-21T17:00:02-08:00"
    assert iso(bob.expected_recovery) == "2026-11-21T17:05:00-08:00"
    assert bob.expected_recovery_observed is False
    assert bob.seconds_remaining == 3900.0
    assert analysis.result.interval == timedelta(minutes=5)


def test_now_moves_the_judgement(tmp_path: Path) -> None:
    path = friday_saturday_log().write(tmp_path / "CloudUserSync.log")
    later = analyze([path], now=datetime(2026, 11, 21, 17, 20))
    bob = by_upn(later.users)["bob@contoso.com"]
    assert iso(later.as_of) == "2026-11-21T17:20:00-08:00"
    assert bob.state == "overdue"
    assert bob.seconds_remaining == -900.0


def test_restart_full_sync_adds_one_and_restarts_the_others_timer() -> None:
    day = SAMPLES / "restart-day"
    analysis = analyze([str(day / "smsexec.log"), str(day / "CloudUserSync.log")])
    users = by_upn(analysis.users)
    xavier, yolanda = users["xavier@fabrikam.com"], users["yolanda@fabrikam.com"]
    assert xavier.state == "recovered"
    assert iso(xavier.recovered_at) == "2026-03-02T13:00:36.385-05:00"
    assert iso(xavier.full_sync_due) == "2026-03-03T09:00:05.022-05:00"
    assert yolanda.state == "waiting"
    assert yolanda.failures == 2
    assert iso(yolanda.first_failure) == "2026-03-02T11:00:05.233-05:00"
    assert iso(yolanda.last_failure) == "2026-03-02T13:00:40.133-05:00"
    assert iso(yolanda.full_sync_due) == "2026-03-03T13:00:40.133-05:00"
    # smsexec.log and CloudUserSync.log report the same starts: two restarts, not four
    assert [iso(r.time) for r in analysis.result.restarts] == [
        "2026-03-02T07:59:56-05:00",
        "2026-03-02T13:00:12.500-05:00",
    ]


def test_restart_makes_the_next_cycle_the_expected_recovery(tmp_path: Path) -> None:
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", ("uma@fabrikam.com",), {"uma@fabrikam.com": UNF})
    log.cycle("2026-03-02 09:05:00")
    log.restart("2026-03-02 09:07:30")
    log.cycle("2026-03-02 09:08:00")
    log.at("2026-03-02 09:08:30", "Sleeping")
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    (uma,) = analysis.users
    assert uma.state == "waiting"
    assert uma.recovery_by == "restart"
    assert uma.expected_recovery_observed is True
    assert iso(uma.expected_recovery) == "2026-03-02T09:08:00-05:00"
    assert iso(uma.full_sync_due) == "2026-03-03T09:00:02-05:00"


def test_restart_without_a_cycle_yet_predicts_the_first_cycle_after_it(tmp_path: Path) -> None:
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", ("uma@fabrikam.com",), {"uma@fabrikam.com": UNF})
    log.cycle("2026-03-02 09:05:00")
    log.restart("2026-03-02 09:07:30")
    (uma,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert uma.recovery_by == "restart"
    assert iso(uma.expected_recovery) == "2026-03-02T09:12:30-05:00"


def test_daylight_saving_change_shows_due_in_the_new_offset(tmp_path: Path) -> None:
    log = Log()
    instant = datetime(2025, 11, 1, 13, 55, tzinfo=timezone.utc)
    dst_end = datetime(2025, 11, 2, 6, 0, tzinfo=timezone.utc)
    while instant <= datetime(2025, 11, 2, 13, 0, tzinfo=timezone.utc):
        bias = 240 if instant < dst_end else 300
        local = (instant - timedelta(minutes=bias)).replace(tzinfo=None)
        if local == datetime(2025, 11, 1, 10, 0):
            log.cycle(local, ("vic@contoso.com",), {"vic@contoso.com": UNF}, bias=bias)
        else:
            log.cycle(local, bias=bias)
        instant += timedelta(minutes=5)
    (vic,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert iso(vic.last_failure) == "2025-11-01T10:00:02-04:00"
    # 24 h of elapsed time: one hour earlier on the wall clock after the change
    assert iso(vic.full_sync_due) == "2025-11-02T09:00:02-05:00"
    assert iso(vic.expected_recovery) == "2025-11-02T09:05:00-05:00"


def test_rotation_given_newest_first_reads_the_same() -> None:
    rotated = SAMPLES / "rotated"
    in_order = analyze([str(rotated / "CloudUserSync.lo_"), str(rotated / "CloudUserSync.log")])
    newest_first = analyze([str(rotated / "CloudUserSync.log"), str(rotated / "CloudUserSync.lo_")])
    assert newest_first.users == in_order.users
    (jan,) = [u for u in newest_first.users if u.state == "waiting"]
    assert jan.upn == "jan@example.org"
    assert iso(jan.full_sync_due) == "2025-06-11T09:15:04.022+01:00"
    assert newest_first.result.cycles == 30


def test_upns_match_case_insensitively_and_keep_the_first_spelling(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("Scott@Contoso.COM",), {"Scott@Contoso.COM": UNF})
    log.cycle("2014-09-15 10:05:00", ("scott@contoso.com",))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    (scott,) = analysis.users
    assert scott.upn == "Scott@Contoso.COM"
    assert scott.state == "recovered"
    assert iso(scott.recovered_at) == "2014-09-15T10:05:02-04:00"


def test_demo_day_states() -> None:
    users = by_upn(analyze([str(SAMPLES / "CloudUserSync.log")]).users)
    states = {upn: user.state for upn, user in users.items()}
    assert states == {
        "carol@contoso.com": "recovered",
        "alice@contoso.com": "synced",
        "grace@contoso.com": "synced",
        "ivan@contoso.com": "overdue",
        "heidi@contoso.com": "waiting",
        "dave@contoso.com": "failed",
        "bob@contoso.com": "waiting",
        "Mallory.Admin@Contoso.com": "synced",
        "erin@contoso.com": "waiting",
        "frank@contoso.com": "pending",
    }
    dave = users["dave@contoso.com"]
    assert (dave.reason, dave.full_sync_due, dave.expected_recovery) == (
        "LicenseLimitReached",
        None,
        None,
    )
    ivan = users["ivan@contoso.com"]
    assert iso(ivan.expected_recovery) == "2026-11-25T08:25:04.296-08:00"
    assert ivan.expected_recovery_observed is True
    heidi = users["heidi@contoso.com"]
    assert heidi.failures == 2
    assert iso(heidi.first_failure) == "2026-11-24T10:05:08.824-08:00"


def test_a_cycle_that_adds_fewer_than_requested_confirms_nobody(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@contoso.com", "b@contoso.com"), added=1)
    users = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert [(u.upn, u.state) for u in users] == [
        ("a@contoso.com", "pending"),
        ("b@contoso.com", "pending"),
    ]


def test_full_sync_after_option_changes_the_timer(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@contoso.com",), {"a@contoso.com": UNF})
    (user,) = analyze([log.write(tmp_path / "c.log")], full_sync_after=timedelta(hours=2)).users
    assert iso(user.full_sync_due) == "2014-09-14T12:00:02-04:00"
    assert iso(user.expected_recovery) == "2014-09-14T12:05:00-04:00"


def test_pasted_excerpt_times_stay_naive_unless_a_zone_is_given() -> None:
    path = str(SAMPLES / "pasted" / "ticket.txt")
    (naive,) = analyze([path]).users
    assert iso(naive.first_failure) == "2014-09-14T10:23:54"
    assert iso(naive.recovered_at) == "2014-09-15T10:24:12"
    from logsync.times import parse_zone

    (zoned,) = analyze([path], source_tz=parse_zone("America/New_York", "--source-tz")).users
    assert iso(zoned.first_failure) == "2014-09-14T10:23:54-04:00"


def test_timeline_follows_one_user_with_line_references() -> None:
    analysis = analyze(
        [str(SAMPLES / "spec-case" / "CloudUserSync.log")], follow="SCOTT@contoso.com"
    )
    steps = [(s.what, iso(s.time), s.line) for s in analysis.result.timeline]
    assert steps[:3] == [
        ("requested", "2014-09-14T10:23:54-04:00", 4),
        ("failed", "2014-09-14T10:23:54-04:00", 5),
        ("held_back", "2014-09-14T10:28:54.320-04:00", 11),
    ]
    assert steps[-4:] == [
        ("full_sync_due", "2014-09-15T10:23:54-04:00", 0),
        ("retry_cycle", "2014-09-15T10:24:08.400-04:00", 1730),
        ("requested", "2014-09-15T10:24:12-04:00", 1733),
        ("added", "2014-09-15T10:24:12.411-04:00", 1734),
    ]


# -- invariants on random connector histories ---------------------------------------------

USERS = ["u0@contoso.com", "U1@contoso.com", "u2@contoso.com", "u1@CONTOSO.com"]
cycle_plans = st.lists(
    st.tuples(
        st.lists(st.sampled_from(USERS), max_size=3, unique=True),
        st.dictionaries(st.sampled_from(USERS), st.sampled_from([UNF, UNF, "LicenseLimitReached"])),
        st.integers(min_value=1, max_value=600),
        st.booleans(),
    ),
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plans=cycle_plans)
def test_tracker_invariants_hold_on_random_histories(tmp_path: Path, plans: list) -> None:
    log = Log()
    moment = datetime(2014, 9, 14, 10, 0)
    for requested, failures, gap_minutes, restart in plans:
        if restart:
            log.restart(moment.isoformat(sep=" "))
        fails = {u: r for u, r in failures.items() if u in requested}
        log.cycle(moment, tuple(requested), fails)
        moment += timedelta(minutes=gap_minutes)
    path = tmp_path / "CloudUserSync.log"
    if not log.lines:
        return
    analysis = analyze([log.write(path)])
    for user in analysis.users:
        assert user.state in STATES
        if user.state == "recovered":
            assert user.recovered_at is not None and user.first_failure is not None
            assert user.recovered_at >= user.first_failure
        if user.reason == UNF and user.last_failure is not None and user.state != "synced":
            assert user.full_sync_due == user.last_failure + timedelta(hours=24)
        if user.stuck:
            assert user.expected_recovery is not None and user.seconds_remaining is not None
            if user.recovery_by == "timer":
                assert user.expected_recovery >= user.full_sync_due
        if user.failures:
            assert user.first_failure <= user.last_failure
    assert len({u.upn.lower() for u in analysis.users}) == len(analysis.users)


def test_tracker_ignores_events_it_does_not_track(tmp_path: Path) -> None:
    log = Log()
    log.at("2014-09-14 10:00:00", "UserFullSync:- Users Added = 0, Users Removed = 0")
    log.at("2014-09-14 10:01:00", "UserDeltaSync:- Users Added = 3, Users Removed = 0")
    log.at("2014-09-14 10:02:00", "Some other message about scott@contoso.com")
    tracker = Tracker(TrackerOptions())
    from logsync.pipeline import EventStream

    events = list(EventStream([log.write(tmp_path / "CloudUserSync.log")]))
    assert [e.kind for e in events] == ["sync_summary", "sync_summary", "message"]
    for event in events:
        tracker.feed(event)
    result = tracker.result()
    assert (result.users, result.cycles, result.as_of, result.restarts) == ([], 0, None, [])


def test_a_start_seen_only_as_status_message_500_is_a_restart(tmp_path: Path) -> None:
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", ("uma@fabrikam.com",), {"uma@fabrikam.com": UNF})
    log.at(
        "2026-03-02 09:07:30",
        'STATMSG: ID=500 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" SYS=CM01 SITE=FAB PID=2240 TID=7012',
    )
    log.at(
        "2026-03-02 09:07:31",
        'STATMSG: ID=500 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_DMP_DOWNLOADER" SYS=CM01 SITE=FAB PID=2240 TID=7013',
    )
    log.restart("2026-03-02 09:07:32", thread=7012)  # the same start, as CloudUserSync.log words it
    log.cycle("2026-03-02 09:08:00")
    analysis = analyze([log.write(tmp_path / "smsexec.log")])
    assert [(iso(r.time), r.via, r.thread_id) for r in analysis.result.restarts] == [
        ("2026-03-02T09:07:30-05:00", "status_message", 7012)
    ]
    (uma,) = analysis.users
    assert (uma.recovery_by, iso(uma.expected_recovery)) == ("restart", "2026-03-02T09:08:00-05:00")


# -- one scenario, every conclusion pinned ------------------------------------------------

START = "Starting user delta sync, raise failure status messages = True"
FULL = "Starting user full sync, raise failure status messages = True"
NOTIFY = "NotifyAccountAddition - SCCM user to add = {}"
FAILED = "Failed to add user {}; reason {}"
TOTALS = "Total received users to add from SCCM = {}, Total Successfully added users to Cloud = {}"
CERTIFICATE = "Certmgr has not installed certificate yet, sleep for 1 minutes."


def scenario_log() -> Log:
    """Two restarts (one seen only as processing_started), a full sync of its own, a held-back
    user retried by a restart's full sync and then by her timer, an unreconciled cycle, a
    failure of another reason, certificate waits. The timer is 1 h to keep it short."""
    log = Log(bias=300)
    log.restart("2026-03-02 08:00:00")  # lines 1-2: one restart
    log.at("2026-03-02 08:00:30", START)  # 3: the full sync after it
    log.at("2026-03-02 08:00:31", TOTALS.format(0, 0))
    log.at("2026-03-02 08:05:30", START)  # 5
    log.at("2026-03-02 08:05:31", NOTIFY.format("ann@x.com"))
    log.at("2026-03-02 08:05:31", FAILED.format("ann@x.com", "UserNotFound"))  # 7
    log.at("2026-03-02 08:05:32", NOTIFY.format("bo@x.com"))
    log.at("2026-03-02 08:05:32", FAILED.format("bo@x.com", "LicenseLimitReached"))  # 9
    log.at("2026-03-02 08:05:33", NOTIFY.format("cy@x.com"))
    log.at("2026-03-02 08:05:34", TOTALS.format(3, 1))  # 11
    log.at("2026-03-02 08:10:30", START)
    log.at("2026-03-02 08:10:31", NOTIFY.format("ann@x.com"))  # 13: held back
    log.at("2026-03-02 08:10:32", TOTALS.format(0, 0))
    log.at("2026-03-02 08:15:30", START)  # 15
    log.at("2026-03-02 08:15:31", NOTIFY.format("dee@x.com"))
    log.at("2026-03-02 08:15:32", NOTIFY.format("eve@x.com"))
    log.at("2026-03-02 08:15:33", TOTALS.format(1, 1))  # 18: 2 sent, 1 received
    log.at("2026-03-02 08:30:00", "CCloudUserSync::Process - User sync processing has started.")
    log.at("2026-03-02 08:30:20", FULL)  # 20: the restart's full sync retries ann
    log.at("2026-03-02 08:30:21", NOTIFY.format("ann@x.com"))
    log.at("2026-03-02 08:30:21", FAILED.format("ann@x.com", "UserNotFound"))  # 22
    log.at("2026-03-02 08:30:22", TOTALS.format(1, 0))
    log.at("2026-03-02 08:35:20", START)
    log.at("2026-03-02 08:35:21", NOTIFY.format("ann@x.com"))  # 25: held back
    log.at("2026-03-02 08:35:22", TOTALS.format(0, 0))
    log.at("2026-03-02 09:20:20", FULL)  # 27: a full sync of its own
    log.at("2026-03-02 09:20:21", NOTIFY.format("ann@x.com"))  # 28: still held back
    log.at("2026-03-02 09:20:22", TOTALS.format(0, 0))
    log.at("2026-03-02 09:30:21", START)  # 30: exactly at ann's full_sync_due
    log.at("2026-03-02 09:30:22", NOTIFY.format("ann@x.com"))
    log.at("2026-03-02 09:30:23", TOTALS.format(1, 1))  # 32
    log.at("2026-03-02 09:31:00", CERTIFICATE)  # 33
    log.at("2026-03-02 09:32:00", CERTIFICATE)
    return log


def test_scenario_every_conclusion(tmp_path: Path) -> None:
    path = scenario_log().write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], full_sync_after=timedelta(hours=1), follow="ANN@x.com")
    result = analysis.result
    assert (result.cycles, result.full_syncs) == (8, 3)
    assert (result.interval, result.interval_observed) == (timedelta(minutes=5), True)
    assert [(iso(r.time), r.source, r.line, r.via, r.thread_id) for r in result.restarts] == [
        ("2026-03-02T08:00:00-05:00", path, 1, "component_started", 7012),
        ("2026-03-02T08:30:00-05:00", path, 19, "processing_started", None),
    ]
    assert result.unreconciled_count == 1
    (cycle,) = result.unreconciled
    assert (iso(cycle.time), cycle.source, cycle.line, cycle.totals_line) == (
        "2026-03-02T08:15:30-05:00", path, 15, 18,
    )
    assert (cycle.received, cycle.added, cycle.notified) == (1, 1, 2)
    assert result.certificate_waits == 2
    connector = result.connector
    assert (connector.state, connector.code, connector.source, connector.line) == (
        "waiting_for_certificate", "certificate_missing", path, 33,
    )
    assert (iso(connector.since), iso(connector.last_cycle), iso(connector.last_restart)) == (
        "2026-03-02T09:31:00-05:00",
        "2026-03-02T09:30:21-05:00",
        "2026-03-02T08:30:00-05:00",
    )
    assert iso(result.first_time) == "2026-03-02T08:00:00-05:00"
    assert iso(result.last_time) == "2026-03-02T09:32:00-05:00"
    rows = [
        (
            u.upn, u.state, u.reason, u.failures, u.requests, u.skipped, iso(u.first_failure),
            iso(u.last_failure), iso(u.full_sync_due), iso(u.recovered_at), iso(u.synced_at),
            u.failure_line, iso(u.first_seen), iso(u.last_seen),
        )
        for u in result.users
    ]
    assert rows == [
        ("bo@x.com", "failed", "LicenseLimitReached", 1, 1, 0, "2026-03-02T08:05:32-05:00",
         "2026-03-02T08:05:32-05:00", None, None, None, 9, "2026-03-02T08:05:32-05:00",
         "2026-03-02T08:05:32-05:00"),
        ("dee@x.com", "pending", None, 0, 1, 0, None, None, None, None, None, None,
         "2026-03-02T08:15:31-05:00", "2026-03-02T08:15:31-05:00"),
        ("eve@x.com", "pending", None, 0, 1, 0, None, None, None, None, None, None,
         "2026-03-02T08:15:32-05:00", "2026-03-02T08:15:32-05:00"),
        ("ann@x.com", "recovered", "UserNotFound", 2, 6, 0, "2026-03-02T08:05:31-05:00",
         "2026-03-02T08:30:21-05:00", "2026-03-02T09:30:21-05:00", "2026-03-02T09:30:22-05:00",
         "2026-03-02T09:30:22-05:00", 22, "2026-03-02T08:05:31-05:00", "2026-03-02T09:30:22-05:00"),
        ("cy@x.com", "synced", None, 0, 1, 0, None, None, None, None, "2026-03-02T08:05:33-05:00",
         None, "2026-03-02T08:05:33-05:00", "2026-03-02T08:05:33-05:00"),
    ]
    steps = [(s.what, iso(s.time), s.detail, s.source, s.line) for s in result.timeline]
    assert steps == [
        ("restart", "2026-03-02T08:00:00-05:00", "SMS_CLOUD_USERSYNC started (component_started)", path, 1),
        ("requested", "2026-03-02T08:05:31-05:00", "NotifyAccountAddition ann@x.com", path, 6),
        ("failed", "2026-03-02T08:05:31-05:00", "reason UserNotFound; full sync due 2026-03-02T09:05:31-05:00", path, 7),
        ("held_back", "2026-03-02T08:10:31-05:00", "notified; timer runs until 2026-03-02T09:05:31-05:00", path, 13),
        ("restart", "2026-03-02T08:30:00-05:00", "SMS_CLOUD_USERSYNC started (processing_started)", path, 19),
        ("retry_cycle", "2026-03-02T08:30:20-05:00", "full sync after restart", path, 20),
        ("requested", "2026-03-02T08:30:21-05:00", "NotifyAccountAddition ann@x.com", path, 21),
        ("failed", "2026-03-02T08:30:21-05:00", "reason UserNotFound; full sync due 2026-03-02T09:30:21-05:00", path, 22),
        ("held_back", "2026-03-02T08:35:21-05:00", "notified; timer runs until 2026-03-02T09:30:21-05:00; held back in 2 cycles, the last at 2026-03-02T09:20:21-05:00", path, 25),
        ("retry_cycle", "2026-03-02T09:30:21-05:00", "first cycle after full sync due", path, 30),
        ("full_sync_due", "2026-03-02T09:30:21-05:00", "1 h timer runs out", "", 0),
        ("requested", "2026-03-02T09:30:22-05:00", "NotifyAccountAddition ann@x.com", path, 31),
        ("added", "2026-03-02T09:30:23-05:00", "added to the cloud: recovered", path, 32),
    ]


def test_scenario_timelines_of_other_users(tmp_path: Path) -> None:
    path = scenario_log().write(tmp_path / "CloudUserSync.log")
    steps = lambda upn: [  # noqa: E731
        (s.what, s.detail, s.line)
        for s in analyze([path], full_sync_after=timedelta(hours=1), follow=upn).result.timeline
        if s.what != "restart"
    ]
    assert steps("bo@x.com") == [
        ("requested", "NotifyAccountAddition bo@x.com", 8),
        ("failed", "reason LicenseLimitReached (no automatic retry)", 9),
    ]
    assert steps("cy@x.com") == [
        ("requested", "NotifyAccountAddition cy@x.com", 10),
        ("added", "added to the cloud", 11),
    ]
    assert steps("dee@x.com") == [
        ("requested", "NotifyAccountAddition dee@x.com", 16),
        ("not_confirmed", "cycle counts do not reconcile: received 1, added 1, 2 notified and not held back", 18),
    ]


def test_scenario_stuck_users_outlook(tmp_path: Path) -> None:
    """Cut before ann's last retry: she waits, her timeline ends with the computed steps."""
    path = scenario_log().write(tmp_path / "CloudUserSync.log")
    analysis = analyze(
        [path], full_sync_after=timedelta(hours=1), follow="ann@x.com",
        now=datetime(2026, 3, 2, 9, 25),
    )
    ann = by_upn(analysis.users)["ann@x.com"]
    assert (ann.state, ann.recovery_by, ann.expected_recovery_observed) == ("waiting", "timer", False)
    # the grid of the last cycle (09:20:20) and the 5 min interval: 09:30:20 is before the due
    # time, so the first cycle at or after it is 09:35:20
    assert iso(ann.expected_recovery) == "2026-03-02T09:35:20-05:00"
    assert ann.seconds_remaining == 620.0
    assert [(s.what, iso(s.time), s.detail) for s in analysis.result.timeline[-2:]] == [
        ("full_sync_due", "2026-03-02T09:30:21-05:00", "1 h timer runs out"),
        ("expected_recovery", "2026-03-02T09:35:20-05:00", "predicted cycle (timer)"),
    ]
    assert analysis.left_out == 5  # lines 30 to 34


def test_a_start_line_then_processing_started_is_one_restart_two_processing_starts_two(
    tmp_path: Path,
) -> None:
    log = Log()
    log.restart("2026-03-02 08:00:00")
    log.at("2026-03-02 08:10:00", "CCloudUserSync::Process - User sync processing has started.")
    log.at("2026-03-02 08:20:00", "CCloudUserSync::Process - User sync processing has started.")
    log.cycle("2026-03-02 08:20:30")
    restarts = analyze([log.write(tmp_path / "CloudUserSync.log")]).result.restarts
    assert [(iso(r.time), r.via) for r in restarts] == [
        ("2026-03-02T08:00:00-04:00", "component_started"),
        ("2026-03-02T08:10:00-04:00", "processing_started"),
        ("2026-03-02T08:20:00-04:00", "processing_started"),
    ]


def test_a_start_logged_a_few_milliseconds_after_the_connector_s_own_is_one_restart(
    tmp_path: Path,
) -> None:
    """Threads write a little out of order: the demo log with its first two lines the other
    way round (`processing has started` at .214 before `SMS_EXECUTIVE started` at .211) holds
    one restart, named by the start line, as the log in order does."""
    lines = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines(keepends=True)
    swapped = tmp_path / "CloudUserSync.log"
    swapped.write_text("".join([lines[1], lines[0], *lines[2:]]), encoding="utf-8")
    clean, disordered = analyze([str(SAMPLES / "CloudUserSync.log")]), analyze([str(swapped)])
    assert [(iso(r.time), r.line, r.via) for r in disordered.result.restarts] == [
        ("2026-11-24T06:59:55.211-08:00", 2, "component_started")
    ]
    assert [u._replace(failure_source="", zones=None) for u in disordered.result.users] == [
        u._replace(failure_source="", zones=None) for u in clean.result.users
    ]
    assert disordered.result.full_syncs == clean.result.full_syncs == 1
    # (nor is it a finding: a start at the log's beginning, within its threads' disorder)
    codes = [
        [f["code"] for f in json.loads(CliRunner().invoke(app, ["summary", "--format", "json", path]).stdout)["findings"]]
        for path in (str(SAMPLES / "CloudUserSync.log"), str(swapped))
    ]
    assert codes[0] == codes[1] and "restarts" not in codes[1] and "stuck_users" in codes[1]


def test_two_starts_of_other_threads_within_a_second_are_two_restarts() -> None:
    """(only the connector's own `processing has started` before it is the same start)"""
    tracker = Tracker()
    zone = timezone(timedelta(hours=-4))
    at = 1_772_452_800_000_000
    tracker.feed_rows([
        (at, zone, "component_started", ComponentStarted(7012), "CloudUserSync.log", 1),
        (at + 500_000, zone, "component_started", ComponentStarted(7013), "CloudUserSync.log", 2),
    ])
    assert len(tracker.restarts) == 2


@pytest.mark.parametrize(("after_us", "finding"), [(1_000_000, False), (1_001_000, True)])
def test_a_start_within_a_second_of_the_log_s_first_record_is_where_it_begins(
    tmp_path: Path, after_us: int, finding: bool
) -> None:
    """A log's only start, a second after its first record (its threads' disorder), is where
    the log begins: no `restarts` finding; a millisecond later (the log's precision) it is one."""
    log = Log()
    first = datetime(2026, 3, 2, 8, 0, 0)
    log.at(first, "CCloudUserSync::Process - User sync processing has started.")
    log.at(first + timedelta(microseconds=after_us), "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 7012 (0x1B64).", thread=3604)
    log.cycle("2026-03-02 08:00:30")
    path = log.write(tmp_path / "CloudUserSync.log")
    codes = [f["code"] for f in json.loads(CliRunner().invoke(app, ["summary", "--format", "json", path]).stdout)["findings"]]
    assert ("restarts" in codes) == finding


@pytest.mark.parametrize(("apart_us", "restarts"), [(1_000_000, 1), (1_000_001, 2)])
def test_the_connector_s_start_and_the_start_line_are_one_within_a_second(
    apart_us: int, restarts: int
) -> None:
    tracker = Tracker()
    zone = timezone(timedelta(hours=-4))
    at = 1_772_452_800_000_000  # (2026-03-02 12:00 UTC)
    tracker.feed_rows([
        (at + apart_us, zone, "processing_started", None, "CloudUserSync.log", 1),
        (at, zone, "component_started", ComponentStarted(7012), "CloudUserSync.log", 2),
    ])
    assert len(tracker.restarts) == restarts
    assert tracker.restarts[0].via == ("component_started" if restarts == 1 else "processing_started")


def test_cycles_at_the_same_instant_add_no_zero_gap(tmp_path: Path) -> None:
    log = Log()
    for minute in (0, 5, 10):
        log.at(f"2026-03-02 08:{minute:02d}:00", START)
        log.at(f"2026-03-02 08:{minute:02d}:00", START)  # a duplicated line
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert analysis.result.interval == timedelta(minutes=5)
    assert analysis.result.cycles == 6


def test_a_restart_cycle_exactly_at_the_due_time_is_the_timer_s_cycle(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": UNF})  # due 09:00:02 with 1 h
    log.restart("2026-03-02 08:59:00")
    log.at("2026-03-02 09:00:02", START)
    (user,) = analyze([log.write(tmp_path / "c.log")], full_sync_after=timedelta(hours=1)).users
    # not before the due time: the timer's cycle, not the restart's
    assert (user.recovery_by, iso(user.expected_recovery)) == ("timer", "2026-03-02T09:00:02-04:00")


# -- what mutation testing found untested --------------------------------------------------


def test_received_0_with_a_user_never_seen_failing_holds_it_back_since_before_the_log(
    tmp_path: Path,
) -> None:
    """Rule 2b: the cycle received nobody, so the user was held back by a timer whose failure
    lies before the input; not an unreconciled cycle."""
    log = Log()
    log.at("2014-09-14 10:00:00", START)
    log.at("2014-09-14 10:00:01", NOTIFY.format("new@x.com"))
    log.at("2014-09-14 10:00:02", TOTALS.format(0, 0))
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="new@x.com")
    (user,) = analysis.users
    assert (user.state, user.skipped, user.before_input, user.bound) == (
        "waiting", 0, True, "latest",
    )
    assert (user.first_failure, user.full_sync_due, iso(user.full_sync_due_by)) == (
        None, None, "2014-09-15T10:00:00-04:00",
    )
    assert analysis.result.unreconciled == []
    assert [(s.what, s.source, s.line) for s in analysis.result.timeline] == [
        ("requested", path, 2),
        ("held_back", path, 3),
        ("full_sync_due", "", 0),
        ("expected_recovery", "", 0),
    ]


def test_received_0_but_added_1_is_unreconciled_not_a_skip(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@x.com",), {"a@x.com": UNF})
    log.at("2014-09-15 10:05:00", START)
    log.at("2014-09-15 10:05:01", NOTIFY.format("a@x.com"))
    log.at("2014-09-15 10:05:02", TOTALS.format(0, 1))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    (user,) = analysis.users
    assert (user.skipped, analysis.result.unreconciled_count) == (0, 1)


def test_a_recovered_user_notified_with_received_0_is_not_skipped(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@x.com",), {"a@x.com": UNF})
    log.cycle("2014-09-15 10:05:00", ("a@x.com",))  # recovered
    log.at("2014-09-15 10:10:00", START)
    log.at("2014-09-15 10:10:01", NOTIFY.format("a@x.com"))
    log.at("2014-09-15 10:10:02", TOTALS.format(0, 0))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    (user,) = analysis.users
    assert (user.state, user.skipped, analysis.result.unreconciled_count) == ("recovered", 0, 1)


def test_skips_are_counted_each_time_with_their_source(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@x.com",), {"a@x.com": UNF})
    for minute in (5, 10):
        log.at(f"2014-09-15 10:{minute:02d}:00", START)
        log.at(f"2014-09-15 10:{minute:02d}:01", NOTIFY.format("a@x.com"))
        log.at(f"2014-09-15 10:{minute:02d}:02", TOTALS.format(0, 0))
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="a@x.com")
    (user,) = analysis.users
    assert user.skipped == 2
    assert [(s.source, s.line) for s in analysis.result.timeline if s.what == "skipped"] == [
        (path, 10),
        (path, 13),
    ]


def test_a_log_that_starts_with_processing_started_starts_with_a_restart(tmp_path: Path) -> None:
    log = Log()
    log.at("2026-03-02 08:00:00", "CCloudUserSync::Process - User sync processing has started.")
    log.cycle("2026-03-02 08:00:30")
    log.cycle("2026-03-02 08:05:30")
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert [(r.line, r.via) for r in result.restarts] == [(1, "processing_started")]
    assert result.full_syncs == 1


def test_without_a_restart_no_cycle_is_a_full_sync(tmp_path: Path) -> None:
    log = Log().cycles("2026-03-02 08:00", "2026-03-02 08:20")
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert (result.cycles, result.full_syncs, result.restarts) == (4, 0, [])


def test_the_interval_is_the_median_of_the_latest_gaps_only() -> None:
    from logsync.events import SyncStarted
    from logsync.tracker import GAP_WINDOW

    tracker = Tracker()
    rows = []
    moment = 0
    # 5000 gaps of 5 min, then a full window of 10 min gaps: only the window counts
    for gap in [300] * 5000 + [600] * GAP_WINDOW:
        moment += gap * 1_000_000
        rows.append((moment, timezone.utc, "sync_started", SyncStarted("delta", True), "t", 0))
    tracker.feed_rows(rows)
    assert tracker.interval() == (timedelta(minutes=10), True)
    assert Tracker(TrackerOptions(interval=timedelta(minutes=7))).interval() == (
        timedelta(minutes=7),
        False,
    )
    assert Tracker().interval() == (timedelta(minutes=5), False)


def test_feed_rows_skips_untracked_kinds_and_keeps_sources_and_the_last_time() -> None:
    from logsync.events import AddTotals, SyncStarted, UserAddFailed, UserAddRequested

    zone = timezone(timedelta(hours=-4))
    base = 1_410_700_000_000_000
    tracker = Tracker()
    tracker.feed_rows(
        [
            (base, zone, "sync_summary", None, "a.log", 1),  # not tracked: skipped
            (base + 1, zone, "sync_started", SyncStarted("delta", True), "a.log", 2),
            (base + 2, zone, "user_add_requested", UserAddRequested("u@x.com"), "a.log", 3),
            (base + 3, zone, "user_add_failed", UserAddFailed("u@x.com", UNF), "a.log", 4),
            (base + 4, zone, "add_totals", AddTotals(1, 0), "a.log", 5),
            (base + 9, zone, "message", None, "a.log", 6),  # not tracked: not the last time
        ]
    )
    result = tracker.result()
    (user,) = result.users
    assert (user.failure_source, user.failure_line, user.state) == ("a.log", 4, "waiting")
    assert result.as_of == result.last_time == moment_time_of(base + 4, zone)
    assert result.first_time == moment_time_of(base + 1, zone)
    assert result.cycles == 1


def moment_time_of(us: int, zone: timezone) -> datetime:
    from logsync.times import moment_time

    return moment_time(us, zone)


def test_a_naive_log_keeps_its_first_and_last_times() -> None:
    result = analyze([str(SAMPLES / "pasted" / "ticket.txt")]).result
    assert (iso(result.first_time), iso(result.last_time)) == (
        "2014-09-14T10:23:54",
        "2014-09-15T10:24:12",
    )


def test_a_request_after_a_restart_before_its_first_cycle(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": UNF})
    log.restart("2026-03-02 08:10:00")
    log.at("2026-03-02 08:10:01", NOTIFY.format("a@x.com"))  # no cycle line yet
    log.at("2026-03-02 08:10:02", TOTALS.format(1, 1))
    (user,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (user.state, iso(user.recovered_at)) == ("recovered", "2026-03-02T08:10:01-04:00")


def test_a_cycle_without_totals_does_not_carry_its_users_into_the_next(tmp_path: Path) -> None:
    log = Log()
    log.at("2026-03-02 08:00:00", START)
    log.at("2026-03-02 08:00:01", NOTIFY.format("a@x.com"))  # the log has no totals line
    log.at("2026-03-02 08:05:00", START)
    log.at("2026-03-02 08:05:01", NOTIFY.format("b@x.com"))
    log.at("2026-03-02 08:05:02", TOTALS.format(1, 1))
    users = by_upn(analyze([log.write(tmp_path / "CloudUserSync.log")]).users)
    assert (users["a@x.com"].state, users["b@x.com"].state) == ("pending", "synced")


def test_one_restart_reported_by_two_logs_up_to_ten_minutes_apart(tmp_path: Path) -> None:
    status = (
        'STATMSG: ID=500 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" SYS=CM01 '
        "SITE=FAB PID=2240 TID=7012"
    )
    for minutes, expected in ((10, 1), (11, 2)):
        log = Log()
        log.at("2026-03-02 08:00:00", status)
        log.restart(f"2026-03-02 08:{minutes:02d}:00", thread=7012)
        path = log.write(tmp_path / f"smsexec-{minutes}.log")
        restarts = analyze([path], require_connector=False).result.restarts
        assert len(restarts) == expected
        assert (restarts[0].source, restarts[0].line, restarts[0].via) == (path, 1, "status_message")


def test_a_tracker_asked_without_as_of_judges_at_its_last_event(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": UNF})
    tracker = Tracker()
    for event in EventStream([log.write(tmp_path / "CloudUserSync.log")]):
        tracker.feed(event)
    result = tracker.result()
    assert iso(result.as_of) == "2026-03-02T08:00:02-04:00"
    (user,) = result.users
    assert (user.state, user.recovery_by) == ("waiting", "timer")
    assert user.seconds_remaining == 86698.0  # the 5 min grid of 08:00:00: 08:05:00 next day


def test_recovery_by_is_none_for_users_without_a_timer() -> None:
    users = by_upn(analyze([str(SAMPLES / "CloudUserSync.log")]).users)
    assert [users[upn].recovery_by for upn in ("dave@contoso.com", "alice@contoso.com", "frank@contoso.com")] == [
        None, None, None,
    ]
    assert users["ivan@contoso.com"].recovery_by == "timer"


def test_added_short_of_the_received_users_is_unreconciled_with_its_evidence(tmp_path: Path) -> None:
    log = Log()
    log.at("2014-09-14 10:00:00", START)
    log.at("2014-09-14 10:00:01", NOTIFY.format("a@x.com"))
    log.at("2014-09-14 10:00:01", NOTIFY.format("b@x.com"))
    log.at("2014-09-14 10:00:02", TOTALS.format(2, 1))  # both received, one added: who?
    log.at("2014-09-14 10:05:00", START)
    log.at("2014-09-14 10:05:01", NOTIFY.format("c@x.com"))
    log.at("2014-09-14 10:05:02", TOTALS.format(2, 2))  # received does not match either
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="a@x.com")
    result = analysis.result
    assert result.unreconciled_count == 2
    assert [(c.line, c.totals_line, c.received, c.added, c.notified) for c in result.unreconciled] == [
        (1, 4, 2, 1, 2),
        (5, 7, 2, 2, 1),
    ]
    assert [(s.what, s.source, s.line) for s in result.timeline] == [
        ("requested", path, 2),
        ("not_confirmed", path, 4),
    ]
    assert {u.upn: u.state for u in result.users} == {
        "a@x.com": "pending", "b@x.com": "pending", "c@x.com": "pending",
    }


def test_only_the_first_unreconciled_cycles_are_kept_but_all_are_counted(tmp_path: Path) -> None:
    from logsync.tracker import MAX_KEPT

    log = Log()
    for index in range(MAX_KEPT + 1):
        moment = datetime(2014, 9, 14, 10, 0) + timedelta(minutes=5 * index)
        log.at(moment, START)
        log.at(moment, TOTALS.format(1, 0))  # one received, nobody notified
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert (result.unreconciled_count, len(result.unreconciled)) == (MAX_KEPT + 1, MAX_KEPT)


def test_a_cycle_whose_start_is_not_in_the_log_counts_users_notified_before_it(
    tmp_path: Path,
) -> None:
    """Received 3, added 2, where the log names a and b: the third was notified before the log
    began, so the counts do not contradict it (they were called unreconciled) but cannot say
    whether a and b were received or held back; the log ends before a cycle that would tell.
    With a cycle after it that notifies neither, both were added."""
    log = Log()
    log.at("2014-09-14 10:00:01", NOTIFY.format("a@x.com"))
    log.at("2014-09-14 10:00:01", NOTIFY.format("b@x.com"))
    log.at("2014-09-14 10:00:02", TOTALS.format(3, 2))
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert (result.unreconciled, result.unreconciled_count) == ([], 0)
    assert [(u.upn, u.state, u.pending_reason) for u in result.users] == [
        ("a@x.com", "pending", "undetermined"),
        ("b@x.com", "pending", "undetermined"),
    ]
    log.at("2014-09-14 10:05:00", START)
    log.at("2014-09-14 10:05:02", TOTALS.format(0, 0))
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert [(u.upn, u.state, iso(u.synced_at)) for u in result.users] == [
        ("a@x.com", "synced", "2014-09-14T10:00:01-04:00"),
        ("b@x.com", "synced", "2014-09-14T10:00:01-04:00"),
    ]


def test_a_cycle_whose_start_is_not_in_the_log_with_a_failure_before_its_first_notification(
    tmp_path: Path,
) -> None:
    """The log begins at b's failure (b was notified before it), then notifies a: received 2
    (a and b), added 1, one failure: consistent, though b's notification is not in the log (it
    was unreconciled, a `pending`). The next cycle, which does not notify a, shows a added."""
    log = Log()
    log.at("2014-09-14 10:00:01", FAILED.format("b@x.com", UNF))
    log.at("2014-09-14 10:00:01", NOTIFY.format("a@x.com"))
    log.at("2014-09-14 10:00:02", TOTALS.format(2, 1))
    log.at("2014-09-14 10:05:00", START)
    log.at("2014-09-14 10:05:02", TOTALS.format(0, 0))
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert result.unreconciled_count == 0
    assert [(u.upn, u.state, iso(u.synced_at)) for u in result.users] == [
        ("b@x.com", "waiting", None),
        ("a@x.com", "synced", "2014-09-14T10:00:01-04:00"),
    ]


def test_totals_of_a_cycle_whose_start_an_excerpt_leaves_out_are_their_own_evidence(
    tmp_path: Path,
) -> None:
    """Totals lines alone (a search for them): the second received a user nobody was notified
    for, and with no cycle start in the input the evidence of that unreconciled cycle is its
    totals line, in its input."""
    log = Log()
    log.at("2014-09-14 10:00:02", TOTALS.format(0, 0))
    log.at("2014-09-14 10:05:02", TOTALS.format(1, 0))
    path = log.write(tmp_path / "CloudUserSync.log")
    result = analyze([path]).result
    assert [(iso(c.time), c.source, c.line, c.totals_line) for c in result.unreconciled] == [
        ("2014-09-14T10:05:02-04:00", path, 2, 2),
    ]


@pytest.mark.parametrize(("received", "added"), [(3, 1), (2, 0)])
def test_a_cycle_whose_start_is_not_in_the_log_adds_no_more_users_than_its_totals(
    tmp_path: Path, received: int, added: int
) -> None:
    """Fewer added than the log names in that cycle: the next cycle, which notifies none of
    them, cannot make them all added (both were `synced` for received 3, added 1; a was for
    received 2, added 0): the counts do not add up, and the users are left as they were."""
    log = Log()
    log.at("2014-09-14 10:00:01", NOTIFY.format("a@x.com"))
    if added:
        log.at("2014-09-14 10:00:01", NOTIFY.format("b@x.com"))
    log.at("2014-09-14 10:00:02", TOTALS.format(received, added))
    log.at("2014-09-14 10:05:00", START)
    log.at("2014-09-14 10:05:02", TOTALS.format(0, 0))
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert not [u.upn for u in result.users if u.state == "synced"]
    assert result.unreconciled_count == 1


def test_an_unreconciled_cycle_whose_start_is_not_in_the_log(tmp_path: Path) -> None:
    """Received 1, added 2: no user before the log makes these counts add up."""
    log = Log()
    log.at("2014-09-14 10:00:01", NOTIFY.format("a@x.com"))
    log.at("2014-09-14 10:00:01", NOTIFY.format("b@x.com"))
    log.at("2014-09-14 10:00:02", TOTALS.format(1, 2))
    path = log.write(tmp_path / "CloudUserSync.log")
    (cycle,) = analyze([path]).result.unreconciled
    assert (iso(cycle.time), cycle.source, cycle.line, cycle.totals_line) == (
        "2014-09-14T10:00:02-04:00", path, 3, 3,
    )


def test_a_failure_in_a_cycle_without_totals_does_not_break_the_next(tmp_path: Path) -> None:
    log = Log()
    log.at("2026-03-02 08:00:00", START)
    log.at("2026-03-02 08:00:01", NOTIFY.format("a@x.com"))
    log.at("2026-03-02 08:00:01", FAILED.format("a@x.com", UNF))  # no totals line follows
    log.cycle("2026-03-02 08:05:00", ("b@x.com",), {"b@x.com": UNF})
    users = by_upn(analyze([log.write(tmp_path / "CloudUserSync.log")]).users)
    assert (users["a@x.com"].state, users["b@x.com"].state) == ("waiting", "waiting")


def test_another_user_s_skip_is_not_in_a_followed_timeline(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@x.com", "b@x.com"), {"a@x.com": UNF})
    log.at("2014-09-15 10:05:00", START)
    log.at("2014-09-15 10:05:01", NOTIFY.format("a@x.com"))
    log.at("2014-09-15 10:05:02", TOTALS.format(0, 0))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")], follow="b@x.com")
    assert [s.what for s in analysis.result.timeline] == ["requested", "added"]
    assert by_upn(analysis.users)["a@x.com"].skipped == 1


def test_sources_of_added_and_failed_steps(tmp_path: Path) -> None:
    path = scenario_log().write(tmp_path / "CloudUserSync.log")
    for upn, what in (("cy@x.com", "added"), ("bo@x.com", "failed")):
        analysis = analyze([path], full_sync_after=timedelta(hours=1), follow=upn)
        assert [s.source for s in analysis.result.timeline if s.what == what] == [path]


def test_a_run_of_held_back_notifications_names_its_last(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@x.com",), {"a@x.com": UNF})
    for minute in (5, 10, 15):
        log.at(f"2014-09-14 10:{minute:02d}:00", START)
        log.at(f"2014-09-14 10:{minute:02d}:01", NOTIFY.format("a@x.com"))
        log.at(f"2014-09-14 10:{minute:02d}:02", TOTALS.format(0, 0))
    timeline = analyze([log.write(tmp_path / "c.log")], follow="a@x.com").result.timeline
    (held,) = [s for s in timeline if s.what == "held_back"]
    assert held.detail == (
        "notified; timer runs until 2014-09-15T10:00:02-04:00; held back in 3 cycles, "
        "the last at 2014-09-14T10:15:01-04:00"
    )


def test_the_median_of_three_gaps_is_the_middle_one(tmp_path: Path) -> None:
    log = Log()
    for moment in ("08:00:00", "08:05:00", "08:11:00", "08:18:00"):
        log.at(f"2026-03-02 {moment}", START)
    assert analyze([log.write(tmp_path / "c.log")]).result.interval == timedelta(minutes=6)


def test_users_of_one_state_are_ordered_by_upn_ignoring_case(tmp_path: Path) -> None:
    log = Log()
    log.at("2026-03-02 08:00:00", START)
    for upn in ("aab@x.com", "a_b@x.com", "A_C@x.com"):
        log.at("2026-03-02 08:00:01", NOTIFY.format(upn))
    users = analyze([log.write(tmp_path / "c.log")]).users
    assert [u.upn for u in users] == ["a_b@x.com", "A_C@x.com", "aab@x.com"]


def test_a_restart_logged_at_the_failure_instant_counts_as_after_it(tmp_path: Path) -> None:
    log = Log()
    log.cycles("2026-03-02 07:00", "2026-03-02 08:00")
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": UNF})  # failure at 08:00:02
    log.restart("2026-03-02 08:00:02")
    (user,) = analyze([log.write(tmp_path / "c.log")]).users
    assert (user.recovery_by, iso(user.expected_recovery)) == ("restart", "2026-03-02T08:05:02-04:00")


def test_a_restart_predicted_exactly_at_the_due_time_leaves_the_timer(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": UNF})  # due 09:00:02 with 1 h
    log.cycles("2026-03-02 08:05:00", "2026-03-02 08:55:00")
    log.restart("2026-03-02 08:55:02")  # its cycle is predicted one interval later: 09:00:02
    (user,) = analyze([log.write(tmp_path / "c.log")], full_sync_after=timedelta(hours=1)).users
    assert (user.recovery_by, iso(user.expected_recovery)) == ("timer", "2026-03-02T09:05:00-04:00")


def test_what_if_boundaries(tmp_path: Path) -> None:
    log = Log()
    log.cycles("2026-03-02 07:00", "2026-03-02 08:00")
    log.cycle("2026-03-02 08:00:00", ("a@x.com",), {"a@x.com": UNF})  # failure 08:00:02
    path = log.write(tmp_path / "c.log")

    def user(restart_at: datetime) -> UserState:
        (found,) = analyze([path], restart_at=restart_at).users
        return found

    at_failure = user(datetime(2026, 3, 2, 8, 0, 2))
    assert (at_failure.recovery_by, iso(at_failure.expected_recovery)) == (
        "what-if", "2026-03-02T08:05:02-04:00",
    )
    # expected is 2026-03-03T08:05:00: a what-if landing exactly there saves nothing
    same = user(datetime(2026, 3, 3, 8, 0, 0))
    assert (same.recovery_by, same.time_saved_s, iso(same.expected_recovery)) == (
        "timer", None, "2026-03-03T08:05:00-04:00",
    )
    # judged as of the restart: a cycle earlier than two intervals before it keeps its recovery
    kept = user(datetime(2026, 3, 3, 8, 14, 59))
    assert (kept.state, kept.recovery_by, iso(kept.expected_recovery)) == (
        "waiting", "timer", "2026-03-03T08:05:00-04:00",
    )
    # two intervals past the expected recovery with no retry logged, it is overdue then: retried
    later = user(datetime(2026, 3, 3, 8, 15, 0))
    assert (later.state, later.recovery_by, later.time_saved_s, iso(later.expected_recovery)) == (
        "overdue", "what-if", None, "2026-03-03T08:20:00-04:00",
    )


def test_an_overdue_user_under_what_if_is_retried_with_no_saving_claimed() -> None:
    analysis = analyze(
        [str(SAMPLES / "CloudUserSync.log")], restart_at=datetime(2026, 11, 25, 16, 30)
    )
    ivan = by_upn(analysis.users)["ivan@contoso.com"]
    assert (ivan.state, ivan.recovery_by, ivan.time_saved_s) == ("overdue", "what-if", None)
    assert ivan.expected_recovery_observed is False
    assert iso(ivan.expected_recovery) == "2026-11-25T16:30:09-08:00"


def test_an_overdue_user_s_outlook_is_its_observed_cycle() -> None:
    analysis = analyze([str(SAMPLES / "CloudUserSync.log")], follow="ivan@contoso.com")
    assert [(s.what, s.detail) for s in analysis.result.timeline[-3:]] == [
        ("full_sync_due", "24 h timer runs out"),
        ("retry_cycle", "first cycle after full sync due"),
        ("expected_recovery", "observed cycle (timer)"),
    ]
    recovered = analyze([str(SAMPLES / "CloudUserSync.log")], follow="carol@contoso.com")
    assert [s.what for s in recovered.result.timeline][-1] == "added"  # no outlook once recovered


def test_connector_of_an_excerpt_and_of_cycles_without_totals(tmp_path: Path) -> None:
    ticket = str(SAMPLES / "pasted" / "ticket.txt")
    running = analyze([ticket]).connector
    assert (running.state, running.last_cycle, running.last_restart) == ("running", None, None)
    # a day after the excerpt's last totals line: stalled since it (between its two days, a
    # pasted excerpt's silence is no stall: see test_excerpts)
    stalled = analyze([ticket], now=datetime(2014, 9, 16, 10, 0)).connector
    assert (stalled.state, iso(stalled.since)) == ("stalled", "2014-09-15T10:24:12")
    log = Log()
    for minute in (0, 5, 10):
        log.at(f"2026-03-02 08:{minute:02d}:00", START)  # cycles whose totals are not logged
    connector = analyze([log.write(tmp_path / "c.log")]).connector
    assert (connector.state, iso(connector.last_cycle)) == ("running", "2026-03-02T08:10:00-04:00")


def test_connector_stalled_after_a_restart_without_a_cycle(tmp_path: Path) -> None:
    log = Log().cycles("2026-03-02 08:00", "2026-03-02 08:30")
    log.restart("2026-03-02 09:00:00")
    path = log.write(tmp_path / "c.log")
    connector = analyze([path], now=datetime(2026, 3, 2, 9, 15, 1)).connector
    assert (connector.state, iso(connector.since), iso(connector.last_restart)) == (
        "stalled", "2026-03-02T09:00:00-04:00", "2026-03-02T09:00:00-04:00",
    )
    assert iso(connector.last_cycle) == "2026-03-02T08:25:00-04:00"
    assert analyze([path], now=datetime(2026, 3, 2, 9, 15)).connector.state == "running"


def test_no_cycles_after_a_start_names_the_start(tmp_path: Path) -> None:
    """A log whose connector started and logged nothing since: its start is the evidence, and
    no cycle since the log's first record (a cycle's removal lines, its start not in the log)."""
    log = Log()
    log.at("2026-03-02 07:59:00", "Successfully removed users from cloud 0")
    log.at("2026-03-02 08:00:00", "CCloudUserSync::Process - User sync processing has started.")
    path = log.write(tmp_path / "c.log")
    connector = analyze([path]).connector
    assert (connector.state, iso(connector.since), iso(connector.last_restart)) == (
        "no_cycles", "2026-03-02T07:59:00-04:00", "2026-03-02T08:00:00-04:00",
    )
    assert (connector.source, connector.line) == (path, 2)


@pytest.mark.parametrize("first", [0, 1], ids=["both", "the second alone"])
def test_removal_lines_alone_name_the_first_as_the_plain_reading_does(tmp_path: Path, first: int) -> None:
    """A cycle's removal lines alone (an excerpt without its start, found by a review): no
    cycle since the first of them, which is the evidence in both readings (the rows kept no
    line for removal lines, and named none)."""
    log = Log()
    lines = ["Total received users from SCCM to be removed from cloud = 0", "Successfully removed users from cloud 0"]
    for second, message in enumerate(lines[first:]):
        log.at(f"2026-03-02 07:59:0{second}", message)
    path = log.write(tmp_path / "c.log")
    read, plain = analyze([path]), analyze([path], fast=False)
    assert (read.connector.state, read.connector.source, read.connector.line) == ("no_cycles", path, 1)
    assert read.connector == plain.connector


def test_notifications_alone_show_cycles_and_the_connector_at_work(tmp_path: Path) -> None:
    """`findstr bob CloudUserSync.log`: bob's failure and the 82 notifications that held him
    back, and no cycle's start or totals. Each notification was written in a cycle of its own,
    so the connector ran 83 cycles, and was at work as late as the last. Judged later than three
    intervals after it, it is stalled, as the whole log says then: judged `running` it passed a
    gate on the connector a week after the excerpt. Where a user's lines stop may be where the
    user was added (carol's), so the text says that it may have run after."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)

    def grep(name: str, *words: str) -> str:
        path = tmp_path / name
        path.write_text("".join(line for line in lines if any(w in line for w in words)))
        return str(path)

    bob = grep("bob.log", "bob@")
    analysis = analyze([bob])
    connector = analysis.connector
    assert (analysis.result.cycles, connector.state, connector.problems) == (83, "running", ())
    assert [(u.upn, u.state, u.requests) for u in analysis.users] == [
        ("bob@contoso.com", "waiting", 83),
    ]
    restarted = grep("bobr.log", "bob@", "SMS_EXECUTIVE started", "processing has started")
    carol = grep("carol.log", "carol@")
    for path in (bob, restarted, carol):
        assert analyze([path]).connector.state == "running", path  # (as of its last line)
    # (bob's last line 16:00:04.948: three intervals after it (the default 5 minutes: a search's
    # lines show no cycles in a row), running; a millisecond later, not)
    for now, state in (("2026-11-25T16:15:04.948", "running"), ("2026-11-25T16:15:04.949", "stalled")):
        assert analyze([bob], now=datetime.fromisoformat(now)).connector.state == state, now
    stalled = CliRunner().invoke(app, ["check", "--fail-on", "connector", "--now", "2026-11-27", carol])
    assert (stalled.exit_code, stalled.stdout.splitlines()[0]) == (1, (
        "connector\tconnector_stalled\tconnector stalled since 2026-11-25T07:45:08.707-08:00 "
        "(1d 16h with no sign of work: the input holds only users' lines, which stop once a user "
        "is added; it may have run after)"
    ))
    assert [r.line for r in analyze([restarted]).result.restarts] == [1]
    two = Log()
    two.at("2026-03-02 08:00:00", NOTIFY.format("a@x.com"))
    two.at("2026-03-02 08:01:00", NOTIFY.format("b@x.com"))
    result = analyze([two.write(tmp_path / "c.log")]).result
    assert (result.cycles, result.connector.state) == (1, "running")


@pytest.mark.parametrize(
    "states",
    [None, frozenset({"waiting", "overdue", "failed"}), frozenset({"synced"}), frozenset()],
)
@pytest.mark.parametrize("pattern", [None, "*@contoso.com", "[a-e]*", "nobody"])
def test_result_lists_only_the_users_asked_for_and_counts_every_matched_one(
    states: frozenset[str] | None, pattern: str | None
) -> None:
    path = str(SAMPLES / "CloudUserSync.log")
    everyone = analyze([path]).users
    match = None if pattern is None else (lambda upn: fnmatchcase(upn.lower(), pattern))
    matched = [u for u in everyone if match is None or match(u.upn)]
    result = analyze([path], states=states, match=match).result
    assert result.users == [u for u in matched if states is None or u.state in states]
    assert result.counts == state_counts(matched)
    assert sum(result.counts.values()) == len(matched)
    assert len(everyone) == 10 and state_counts(everyone) == {
        "waiting": 3,
        "overdue": 1,
        "failed": 1,
        "pending": 1,
        "recovered": 1,
        "synced": 3,
    }


@given(st.text(max_size=12))
def test_a_user_s_key_is_its_upn_in_lower_case(upn: str) -> None:
    from logsync.tracker import _key

    assert _key(upn) == upn.lower()
    if upn == upn.lower():
        assert _key(upn) is upn  # the key shares the UPN's string


def test_a_failure_without_a_request_line_makes_a_user(tmp_path: Path) -> None:
    """An excerpt may start after the request: the failure alone names the user."""
    log = Log(bias=240)
    log.cycles("2014-09-14 10:00:00", "2014-09-14 10:30:00")
    log.at("2014-09-14 10:31:07.250", "Failed to add user Zoe@Contoso.com; reason UserNotFound")
    log.cycles("2014-09-14 10:35:00", "2014-09-14 11:00:00")
    (zoe,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (zoe.upn, zoe.state, zoe.failures, zoe.requests) == ("Zoe@Contoso.com", "waiting", 1, 0)
    assert iso(zoe.first_seen) == iso(zoe.last_seen) == "2014-09-14T10:31:07.250-04:00"
    assert iso(zoe.full_sync_due) == "2014-09-15T10:31:07.250-04:00"


def test_a_user_synced_before_keeps_its_sync_time_when_it_fails_later(tmp_path: Path) -> None:
    log = Log(bias=240)
    log.cycle("2014-09-14 10:00:00", ("amy@contoso.com",))  # added
    log.cycles("2014-09-14 10:05:00", "2014-09-14 10:30:00")
    log.cycle("2014-09-14 10:30:00", ("amy@contoso.com",), {"amy@contoso.com": "LicenseLimitReached"})
    (amy,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (amy.state, amy.reason, amy.requests) == ("failed", "LicenseLimitReached", 2)
    assert iso(amy.synced_at) == "2014-09-14T10:00:02-04:00"
    assert iso(amy.first_seen) == "2014-09-14T10:00:02-04:00"
    assert iso(amy.last_seen) == "2014-09-14T10:30:02-04:00"


def test_a_user_that_fails_in_a_cycle_counting_nobody_received_is_skipped_not_unreconciled(
    tmp_path: Path,
) -> None:
    """The first failure turns the user's record into a failing one, also where the cycle under
    way holds it: with `received = 0` the cycle's failing UserNotFound user is held back, the
    counts reconcile, and it is no skip (a skip is a notification past the due time, evidence
    for `overdue`: its timer has just started)."""
    log = Log(bias=240)
    log.cycles("2014-09-14 10:00:00", "2014-09-14 10:30:00")
    log.cycle("2014-09-14 10:30:00", ("bea@contoso.com",), {"bea@contoso.com": UNF}, added=0)
    text = log.lines[-2]
    assert text.startswith("Total received users to add from SCCM = 1,")
    log.lines[-2] = text.replace("SCCM = 1,", "SCCM = 0,")
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    (bea,) = analysis.users
    assert (bea.state, bea.skipped, analysis.result.unreconciled_count) == ("waiting", 0, 0)


# -- rule 2b: an undecided user is decided by the first later cycle whose counts can say -----

NOTIFY = "NotifyAccountAddition - SCCM user to add = {}"
TOTALS = "Total received users to add from SCCM = {}, Total Successfully added users to Cloud = {}"
START = "Starting user delta sync, raise failure status messages = True"
SCOTT = "scott@contoso.com"
UNDECIDED_FIRST_CYCLE = [  # SPEC §1's first cycle, its failure line left out of the excerpt
    ("2014-09-14 10:23:54", NOTIFY.format(SCOTT)),
    ("2014-09-14 10:23:54.015", TOTALS.format(1, 0)),
]


def decided(tmp_path: Path, lines: list[tuple[str, str]]) -> dict[str, tuple[object, ...]]:
    log = Log(bias=240)
    for when, text in UNDECIDED_FIRST_CYCLE + lines:
        log.at(when, text)
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    return {
        user.upn: (user.state, user.pending_reason, iso(user.synced_at), iso(user.recovered_at))
        for user in analysis.users
    }


@pytest.mark.parametrize(
    ("second_cycle", "scott"),
    [
        # an excerpt: the second cycle a day later notifies scott alone and receives and adds one
        (
            [("2014-09-15 10:24:12", NOTIFY.format(SCOTT)), ("2014-09-15 10:24:12.411", TOTALS.format(1, 1))],
            ("synced", None, "2014-09-15T10:24:12-04:00", None),
        ),
        # the same cycle with its start: complete, it notifies scott again, who was held back
        (
            [
                ("2014-09-15 10:24:08", START),
                ("2014-09-15 10:24:12", NOTIFY.format(SCOTT)),
                ("2014-09-15 10:24:12.411", TOTALS.format(1, 1)),
            ],
            ("recovered", None, "2014-09-15T10:24:12-04:00", "2014-09-15T10:24:12-04:00"),
        ),
        # a complete cycle that does not notify scott: he was received in the first, which added
        # nobody: he failed there, his failure line left out (as it is), or the input cannot
        # say what (never "added there")
        (
            [("2014-09-14 10:28:50", START), ("2014-09-14 10:28:54.137", TOTALS.format(0, 0))],
            ("pending", "undetermined", None, None),
        ),
        # a complete cycle that notifies him and receives nobody: held back since before the log
        (
            [
                ("2014-09-14 10:28:50", START),
                ("2014-09-14 10:28:54", NOTIFY.format(SCOTT)),
                ("2014-09-14 10:28:54.137", TOTALS.format(0, 0)),
            ],
            ("waiting", None, None, None),
        ),
    ],
)
def test_an_undecided_user_is_decided_by_the_next_cycle_whose_counts_can_say(
    tmp_path: Path, second_cycle: list[tuple[str, str]], scott: tuple[object, ...]
) -> None:
    """The first cycle of an excerpt notifies scott and logs received = 1, added = 0 with no
    failure line: its counts cannot say (the log may start inside it). The next cycle decides,
    whether or not its start is in the excerpt."""
    assert decided(tmp_path, second_cycle) == {SCOTT: scott}


def test_a_user_missing_from_the_next_cycle_was_added_as_far_as_the_undecided_counts_allow(
    tmp_path: Path,
) -> None:
    """SPEC §1's first cycle as an excerpt shows it, but with one user added: scott, missing
    from the next complete cycle, was received and added there (its one add). With two users
    missing and one add, one of them failed with its failure line left out: which, the input
    cannot say, so neither is taken for added."""
    later = [("2014-09-14 10:28:50", START), ("2014-09-14 10:28:54.137", TOTALS.format(0, 0))]
    log = Log(bias=240)
    first = [("2014-09-14 10:23:54", NOTIFY.format(SCOTT))]
    for when, text in [*first, ("2014-09-14 10:23:54.015", TOTALS.format(1, 1)), *later]:
        log.at(when, text)
    (scott,) = analyze([log.write(tmp_path / "one.log")]).users
    assert (scott.state, scott.pending_reason, iso(scott.synced_at)) == (
        "synced", None, "2014-09-14T10:23:54-04:00"
    )
    amy = "amy@contoso.com"
    log = Log(bias=240)
    for when, text in [
        ("2014-09-14 10:23:54", NOTIFY.format(SCOTT)),
        ("2014-09-14 10:23:54.010", NOTIFY.format(amy)),
        ("2014-09-14 10:23:54.015", TOTALS.format(2, 1)),
        *later,
    ]:
        log.at(when, text)
    found = {u.upn: (u.state, u.pending_reason) for u in analyze([log.write(tmp_path / "two.log")]).users}
    assert found == {SCOTT: ("pending", "undetermined"), amy: ("pending", "undetermined")}


def test_users_missing_after_two_undecided_cycles_are_decided_against_their_own_cycle_s_adds(
    tmp_path: Path,
) -> None:
    """scott's cycle (the excerpt starts inside it) added nobody; the next, its start left out,
    received one of amy and bob and added one. The complete cycle after names bob alone: amy
    was received and added in hers; scott, missing too, was not added in his (one failed with
    its failure line left out): each cycle's adds decide its own users, and a cycle that could
    not say keeps none of another's undecided for ever."""
    amy, bob = "amy@contoso.com", "bob@contoso.com"
    log = Log(bias=240)
    for when, text in [
        *UNDECIDED_FIRST_CYCLE,
        ("2014-09-14 10:28:54", NOTIFY.format(amy)),
        ("2014-09-14 10:28:54.010", NOTIFY.format(bob)),
        ("2014-09-14 10:28:54.015", TOTALS.format(1, 1)),
        ("2014-09-14 10:33:50", START),
        ("2014-09-14 10:33:54", NOTIFY.format(bob)),
        ("2014-09-14 10:33:54.137", TOTALS.format(0, 0)),
    ]:
        log.at(when, text)
    found = {u.upn: (u.state, u.pending_reason) for u in analyze([log.write(tmp_path / "two.log")]).users}
    assert found == {
        SCOTT: ("pending", "undetermined"),
        amy: ("synced", None),
        bob: ("waiting", None),
    }


def test_a_cycle_whose_counts_cannot_say_either_leaves_the_decision_to_the_next(
    tmp_path: Path,
) -> None:
    """Between the two, a cycle notifies scott and amy and receives one of them: it decides
    neither. The day after, a cycle that notifies scott alone and receives and adds one does:
    scott is added; amy, not notified in that excerpt of a cycle, stays undecided."""
    users = decided(
        tmp_path,
        [
            ("2014-09-14 10:28:54", NOTIFY.format(SCOTT)),
            ("2014-09-14 10:28:54", NOTIFY.format("amy@contoso.com")),
            ("2014-09-14 10:28:55", TOTALS.format(1, 1)),
            ("2014-09-15 10:24:12", NOTIFY.format(SCOTT)),
            ("2014-09-15 10:24:12.411", TOTALS.format(1, 1)),
        ],
    )
    assert users == {
        "amy@contoso.com": ("pending", "undetermined", None, None),
        SCOTT: ("synced", None, "2014-09-15T10:24:12-04:00", None),
    }


def test_a_cycle_that_received_only_its_failed_users_holds_the_others_back(tmp_path: Path) -> None:
    """Rule 2b's very case: the cycle notifies ann and bob, bob fails, and `received = 1` counts
    bob alone: no room is left for ann, held back since before the log. bob's failure makes him
    waiting on his own timer, not skipped; the counts reconcile."""
    log = Log(bias=240)
    log.at("2014-09-14 10:00:00", START)
    log.at("2014-09-14 10:00:02", NOTIFY.format("ann@contoso.com"))
    log.at("2014-09-14 10:00:02", NOTIFY.format("bob@contoso.com"))
    log.at("2014-09-14 10:00:02", f"Failed to add user bob@contoso.com; reason {UNF}")
    log.at("2014-09-14 10:00:03", TOTALS.format(1, 0))
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="ann@contoso.com")
    users = by_upn(analysis.users)
    ann, bob = users["ann@contoso.com"], users["bob@contoso.com"]
    assert (ann.state, ann.before_input, ann.bound, ann.skipped, ann.synced_at) == (
        "waiting", True, "latest", 0, None,
    )
    assert (ann.first_failure, ann.full_sync_due, iso(ann.full_sync_due_by)) == (
        None, None, "2014-09-15T10:00:00-04:00",
    )
    assert (bob.state, bob.before_input, bob.skipped, bob.failures) == ("waiting", False, 0, 1)
    assert (iso(bob.first_failure), iso(bob.full_sync_due)) == (
        "2014-09-14T10:00:02-04:00", "2014-09-15T10:00:02-04:00",
    )
    assert (analysis.result.unreconciled_count, analysis.result.unreconciled) == (0, [])
    assert [(s.what, s.line) for s in analysis.result.timeline][:2] == [
        ("requested", 2),
        ("held_back", 5),
    ]


def test_a_stop_then_a_restart_with_no_cycle_after_it_is_no_longer_stopped(tmp_path: Path) -> None:
    """Rule 9: a start after the stop ends it; with no cycle after the restart, the connector is
    running until three intervals have passed since the restart, then stalled since it."""
    log = Log(bias=240).cycles("2026-03-02 08:00", "2026-03-02 08:30")
    log.at("2026-03-02 08:31:00", "CCloudUserSync::Process - User sync processing thread is now stopping.")
    log.restart("2026-03-02 09:00:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    running = analyze([path]).connector
    assert (running.state, running.code, running.since, running.source, running.line) == (
        "running", None, None, "", 0,
    )
    assert (iso(running.last_cycle), iso(running.last_restart)) == (
        "2026-03-02T08:25:00-04:00", "2026-03-02T09:00:00-04:00",
    )
    assert analyze([path], now=datetime(2026, 3, 2, 9, 15)).connector.state == "running"
    stalled = analyze([path], now=datetime(2026, 3, 2, 9, 15, 0, 1000)).connector
    assert (stalled.state, stalled.code, iso(stalled.since), stalled.source, stalled.line) == (
        "stalled", "connector_stalled", "2026-03-02T09:00:00-04:00", path, 32,
    )


def test_zone_tables_are_equal_by_their_keys_and_zones(tmp_path: Path) -> None:
    """Results of one log read twice are equal, zone tables included (a user's times are shown
    in the zones of its own log); a table with other keys or other zones is another."""
    log = Log(bias=300).cycle("2026-03-08 01:55:00", ("a@x.com",), {"a@x.com": UNF})
    log.bias = 240
    log.cycle("2026-03-08 03:05:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    (first,), (second,) = analyze([path]).users, analyze([path]).users
    assert first.zones is not second.zones
    assert (first == second, hash(first) == hash(second)) == (True, True)
    minus5, minus4 = timezone(timedelta(hours=-5)), timezone(timedelta(hours=-4))
    table = first.zones
    assert repr(table) == (
        f"ZoneTable([({table.keys[0]}, {minus5!r}), ({table.keys[1]}, {minus4!r})])"
    )
    assert table == ZoneTable(list(table.keys), [minus5, minus4])
    assert hash(table) == hash(ZoneTable(list(table.keys), [minus5, minus4]))
    assert table != ZoneTable(list(table.keys), [minus4, minus4])
    assert table != ZoneTable([table.keys[0], table.keys[1] + 1], [minus5, minus4])
    assert table != tuple(table.keys)


def test_a_stop_seen_only_as_status_message_501_stops_the_connector(tmp_path: Path) -> None:
    """smsexec.log's status message 501 for the connector is its stop (rule 9), as its own
    "is stopping" line would be; another component's 501 is not."""
    log = Log(bias=300).cycle("2026-03-02 09:00:00")
    log.at(
        "2026-03-02 09:03:00",
        'STATMSG: ID=501 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_DMP_DOWNLOADER" SYS=CM01 SITE=FAB PID=2240 TID=7013',
    )
    other = analyze([log.write(tmp_path / "other.log")]).connector
    assert (other.state, other.code) == ("running", None)
    log.at(
        "2026-03-02 09:04:00",
        'STATMSG: ID=501 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" SYS=CM01 SITE=FAB PID=2240 TID=7012',
    )
    path = log.write(tmp_path / "smsexec.log")
    connector = analyze([path]).connector
    assert (connector.state, connector.code, iso(connector.since), connector.source, connector.line) == (
        "stopped", "connector_stopped", "2026-03-02T09:04:00-05:00", path, 7,
    )


def test_the_cause_text_of_a_certificate_failure_alone_and_with_install_errors() -> None:
    """Certmgr's failure seen without dmpuploader.log's word on the subscription (only
    CertMgr.log given) is named alone, before the install errors."""
    from logsync.tracker import Cause, cause_text

    at = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    certificate = Cause("certificate_failed", at, "/site/Logs/CertMgr.log", 12)
    errors = Cause("install_errors", at, "/site/Logs/sitecomp.log", 40, (1016, 4951))
    assert cause_text([certificate]) == "Certmgr failed to get the connector certificate (CertMgr.log:12)"
    assert cause_text([certificate, errors]) == (
        "Certmgr failed to get the connector certificate (CertMgr.log:12); component install "
        "errors: status messages 1016, 4951 (sitecomp.log:40)"
    )
    assert cause_text([]) == ""


def sitecomp_error(when: str, status: int) -> str:
    from .logtext import sms_line

    return sms_line(
        datetime.fromisoformat(when),
        f'STATMSG: ID={status} SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" '
        f"SYS=CM1.CORP.CONTOSO.COM SITE=CHQ PID=7888 TID=7040 GMTDATE=Mon Mar 02 14:00:00.000 2026 "
        'ISTR0="60" NUMATTRS=0 LE=0X0',
        bias=300,
        thread=7040,
        component="SMS_SITE_COMPONENT_MANAGER",
    )


@pytest.mark.parametrize(
    "last_word",
    ["CCloudUserSync::Process - User sync processing thread is now stopping.", CERTIFICATE],
)
def test_a_stop_or_a_wait_names_the_install_errors_after_the_last_cycle_up_to_it(
    tmp_path: Path, last_word: str
) -> None:
    """Rule 9: sitecomp.log's install errors for the connector explain a stop or a certificate
    wait when they come after the last cycle (not at its instant) and no later than the stop
    or the wait itself (at its instant too)."""
    log = Log(bias=300).cycle("2026-03-02 09:00:00")
    log.at("2026-03-02 09:02:00", last_word)
    log.write(tmp_path / "CloudUserSync.log")
    sitecomp = [
        sitecomp_error("2026-03-02 08:59:00", 1091),  # before the last cycle: over
        sitecomp_error("2026-03-02 09:00:00", 1092),  # at the last cycle's instant: over
        sitecomp_error("2026-03-02 09:01:00", 1081),
        sitecomp_error("2026-03-02 09:02:00", 1016),  # at the stop or wait
        sitecomp_error("2026-03-02 09:03:00", 1017),  # after it: no cause of it
    ]
    (tmp_path / "sitecomp.log").write_text("\r\n".join(sitecomp) + "\r\n", encoding="utf-8")
    # the folder, and its two logs given in either order: the order of inputs changes nothing
    connector_log, sitecomp_log = str(tmp_path / "CloudUserSync.log"), str(tmp_path / "sitecomp.log")
    for inputs in ([str(tmp_path)], [connector_log, sitecomp_log], [sitecomp_log, connector_log]):
        connector = analyze(inputs).connector
        assert connector.state in ("stopped", "waiting_for_certificate")
        assert [(c.kind, iso(c.time), Path(c.source).name, c.line, c.status_ids) for c in connector.causes] == [
            ("install_errors", "2026-03-02T09:01:00-05:00", "sitecomp.log", 3, (1081, 1016)),
        ]


def test_the_tracker_is_imported_when_first_asked_for() -> None:
    import logsync.tracker as tracker

    assert [tracker.Observer.__name__, tracker.Tracker.__name__, tracker._key("Ann@X.com")] == [
        "Observer", "Tracker", "ann@x.com",
    ]
    with pytest.raises(AttributeError) as error:
        tracker.Trakcer  # noqa: B018
    assert str(error.value) == "module 'logsync.tracker' has no attribute 'Trakcer'"


def test_an_unreconciled_cycle_that_began_in_the_rotated_log_names_its_start_there(
    tmp_path: Path,
) -> None:
    """The connector rotated its log inside a cycle: the evidence is the cycle's start line in
    CloudUserSync.lo_, with the totals line's number in CloudUserSync.log."""
    old = Log()
    old.cycle("2014-09-14 10:00:00")
    old.at("2014-09-14 10:05:00", START)
    old.at("2014-09-14 10:05:01", NOTIFY.format("a@x.com"))
    new = Log()
    new.at("2014-09-14 10:05:02", NOTIFY.format("b@x.com"))
    new.at("2014-09-14 10:05:03", TOTALS.format(2, 1))  # both received, one added: who?
    rotated = old.write(tmp_path / "CloudUserSync.lo_")
    live = new.write(tmp_path / "CloudUserSync.log")
    result = analyze([rotated, live]).result
    assert [(iso(c.time), c.source, c.line, c.totals_line, c.received, c.added, c.notified) for c in result.unreconciled] == [
        ("2014-09-14T10:05:00-04:00", rotated, 6, 2, 2, 1, 2),
    ]


def test_an_undecided_user_found_held_back_is_held_back_at_the_undecided_cycle(tmp_path: Path) -> None:
    """Rule 2b: the next complete cycle notifies scott again and receives nobody: he was held
    back in the undecided cycle, and the timeline says so at that cycle's totals line."""
    log = Log(bias=240)
    for when, text in [
        *UNDECIDED_FIRST_CYCLE,
        ("2014-09-14 10:28:50", START),
        ("2014-09-14 10:28:54", NOTIFY.format(SCOTT)),
        ("2014-09-14 10:28:54.137", TOTALS.format(0, 0)),
    ]:
        log.at(when, text)
    path = log.write(tmp_path / "CloudUserSync.log")
    timeline = analyze([path], follow=SCOTT).result.timeline
    assert [(s.what, iso(s.time), s.source, s.line) for s in timeline] == [
        ("requested", "2014-09-14T10:23:54-04:00", path, 1),
        ("undecided", "2014-09-14T10:23:54.015-04:00", path, 2),
        ("held_back", "2014-09-14T10:23:54.015-04:00", path, 2),
        ("requested", "2014-09-14T10:28:54-04:00", path, 4),
        ("full_sync_due", "2014-09-15T10:23:54-04:00", "", 0),
        ("expected_recovery", "2014-09-15T10:28:50-04:00", "", 0),
    ]
    assert timeline[2].detail == "not received: held back since before the log (its failure is not in the input)"


def test_a_failed_user_in_the_deciding_cycle_leaves_the_other_undecided_users_decided(
    tmp_path: Path,
) -> None:
    """Rule 2b: the excerpt's first cycle notifies amy and scott and cannot say who was
    received; the next complete cycle fails amy (her failure speaks for her) and does not
    notify scott: he was received, and added, in the first."""
    log = Log(bias=240)
    for when, text in [
        ("2014-09-14 10:23:54", NOTIFY.format("amy@contoso.com")),
        ("2014-09-14 10:23:54", NOTIFY.format(SCOTT)),
        ("2014-09-14 10:23:54.015", TOTALS.format(2, 2)),
        ("2014-09-14 10:28:50", START),
        ("2014-09-14 10:28:54", NOTIFY.format("amy@contoso.com")),
        ("2014-09-14 10:28:54", FAILED.format("amy@contoso.com", UNF)),
        ("2014-09-14 10:28:54.137", TOTALS.format(1, 0)),
    ]:
        log.at(when, text)
    users = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert [(u.upn, u.state, iso(u.synced_at), iso(u.first_failure)) for u in users] == [
        ("amy@contoso.com", "waiting", None, "2014-09-14T10:28:54-04:00"),
        (SCOTT, "synced", "2014-09-14T10:23:54-04:00", None),
    ]


def test_now_without_an_offset_is_read_in_the_offset_of_the_last_record_kept(tmp_path: Path) -> None:
    """Rule 5 and 8: the log leaves daylight saving time behind it (-05:00, then -04:00);
    `--now` before the change, given without an offset, is read in the offset the log used
    then, not in the offset of its end."""
    from typer.testing import CliRunner

    from logsync.cli import app

    log = Log(bias=300).cycles("2026-03-08 01:30", "2026-03-08 02:00")
    log.bias = 240
    log.cycles("2026-03-08 03:00", "2026-03-08 03:30")
    path = log.write(tmp_path / "CloudUserSync.log")
    result = CliRunner().invoke(app, ["report", "--format", "json", "--now", "2026-03-08 01:57", path])
    assert json.loads(result.stdout)["as_of"] == "2026-03-08T01:57:00-05:00"


def test_a_user_failed_for_another_reason_notified_with_received_0_is_not_held_back(
    tmp_path: Path,
) -> None:
    """A failure with no timer (another reason) is in the input: a later cycle that notifies
    the user and receives nobody does not make it held back since before the log; the counts
    do not reconcile."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@x.com",), {"a@x.com": "LicenseLimitReached"})
    log.at("2014-09-14 10:05:00", START)
    log.at("2014-09-14 10:05:01", NOTIFY.format("a@x.com"))
    log.at("2014-09-14 10:05:02", TOTALS.format(0, 0))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    (user,) = analysis.users
    assert (user.state, user.reason, user.before_input, user.skipped) == (
        "failed", "LicenseLimitReached", False, 0,
    )
    assert analysis.result.unreconciled_count == 1


def test_added_domains_are_the_suffixes_after_the_last_at_sign(tmp_path: Path) -> None:
    """The suffixes of the users added, read as `unroutable_suffix` reads a stuck user's: after
    the last @ (a name quoted with an @ inside), case-folded; a user never added adds none."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", ('"ann@old"@Corp.Local', "bob@fabrikam.com"), {"bob@fabrikam.com": UNF})
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert analysis.tracker.users.added_domains() == {"corp.local"}


def test_an_install_error_at_the_instant_of_the_last_cycle_is_over_whatever_the_order(
    tmp_path: Path,
) -> None:
    """An install error logged in the very millisecond of the connector's last cycle came before
    the connector cycled again: it explains no stop after it, whichever log is read first."""
    log = Log(bias=300).cycle("2026-03-02 09:00:00")
    log.at("2026-03-02 09:02:00", "CCloudUserSync::Process - User sync processing thread is now stopping.")
    connector_log = log.write(tmp_path / "CloudUserSync.log")
    sitecomp_log = tmp_path / "sitecomp.log"
    errors = [sitecomp_error("2026-03-02 09:00:00", 1092), sitecomp_error("2026-03-02 09:01:00", 1081)]
    sitecomp_log.write_text("\r\n".join(errors) + "\r\n", encoding="utf-8")
    for inputs in ([connector_log, str(sitecomp_log)], [str(sitecomp_log), connector_log]):
        causes = analyze(inputs).connector.causes
        assert [(c.kind, c.line, c.status_ids) for c in causes] == [("install_errors", 2, (1081,))]


def test_a_user_notified_before_a_restart_is_not_taken_for_one_of_the_cycle_after_it(
    tmp_path: Path,
) -> None:
    """Cycles are told apart across a restart: amy, notified in a cycle that reconciles nothing
    before the restart, is not taken for a user of the complete cycle after it, so the next
    cycle's counts (amy and bob notified, one received) cannot say whom: nobody is confirmed
    or held back."""
    log = Log()
    log.at("2014-09-14 10:00:00", START)
    log.at("2014-09-14 10:00:01", NOTIFY.format("amy@x.com"))
    log.at("2014-09-14 10:00:02", TOTALS.format(2, 0))
    log.restart("2014-09-14 10:03:00")
    log.at("2014-09-14 10:05:00", START)
    log.at("2014-09-14 10:05:02", TOTALS.format(0, 0))
    log.at("2014-09-14 10:10:00", START)
    log.at("2014-09-14 10:10:01", NOTIFY.format("amy@x.com"))
    log.at("2014-09-14 10:10:01", NOTIFY.format("bob@x.com"))
    log.at("2014-09-14 10:10:02", TOTALS.format(1, 1))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert [(u.upn, u.state, u.before_input, u.synced_at) for u in analysis.users] == [
        ("amy@x.com", "pending", False, None),
        ("bob@x.com", "pending", False, None),
    ]
    assert analysis.result.unreconciled_count == 2


def test_a_cycle_that_notified_nobody_but_received_users_is_unreconciled_with_its_evidence(
    tmp_path: Path,
) -> None:
    """Totals that count users received where no user was notified confirm nobody: the
    evidence names the cycle's start line, the totals line, and 0 users notified. Where the
    log starts inside the cycle, the users it received were notified before the log: no
    contradiction (it was counted unreconciled too)."""
    log = Log()
    log.at("2014-09-14 10:00:02", TOTALS.format(1, 0))  # the log starts inside this cycle
    log.at("2014-09-14 10:05:00", START)
    log.at("2014-09-14 10:05:02", TOTALS.format(2, 1))
    path = log.write(tmp_path / "CloudUserSync.log")
    result = analyze([path]).result
    assert [(iso(c.time), c.source, c.line, c.totals_line, c.received, c.added, c.notified) for c in result.unreconciled] == [
        ("2014-09-14T10:05:00-04:00", path, 2, 3, 2, 1, 0),
    ]
    assert result.unreconciled_count == 1


def test_a_cycle_that_received_all_but_a_user_that_may_be_held_back_holds_that_user(
    tmp_path: Path,
) -> None:
    """Rule 2b: scott, notified in the last complete cycle with no outcome, is notified again
    with dana, who is new; one user is received and added: dana. scott is held back since
    before the log, at the totals line, in his timeline only."""
    log = Log()
    log.at("2014-09-14 10:00:00", START)
    log.at("2014-09-14 10:00:01", NOTIFY.format("scott@x.com"))
    log.at("2014-09-14 10:00:02", TOTALS.format(1, 0))
    log.at("2014-09-14 10:05:00", START)
    log.at("2014-09-14 10:05:01", NOTIFY.format("scott@x.com"))
    log.at("2014-09-14 10:05:01", NOTIFY.format("dana@x.com"))
    log.at("2014-09-14 10:05:02", TOTALS.format(1, 1))
    path = log.write(tmp_path / "CloudUserSync.log")
    scott = analyze([path], follow="scott@x.com")
    assert [(s.what, iso(s.time), s.source, s.line) for s in scott.result.timeline][2:4] == [
        ("requested", "2014-09-14T10:05:01-04:00", path, 5),
        ("held_back", "2014-09-14T10:05:02-04:00", path, 7),
    ]
    assert [(u.upn, u.state, u.before_input, iso(u.synced_at)) for u in scott.users] == [
        ("scott@x.com", "waiting", True, None),
        ("dana@x.com", "synced", False, "2014-09-14T10:05:01-04:00"),
    ]
    dana = analyze([path], follow="dana@x.com").result.timeline
    assert [(s.what, iso(s.time), s.source, s.line) for s in dana] == [
        ("requested", "2014-09-14T10:05:01-04:00", path, 6),
        ("added", "2014-09-14T10:05:02-04:00", path, 7),
    ]


def test_a_cycle_that_added_fewer_than_it_received_beside_a_user_that_may_be_held_back(
    tmp_path: Path,
) -> None:
    """After a restart, a cycle whose start is not in the log notifies dana (new: she may be
    held back since before the log) and dave (failed for another reason before); one user is
    received and nobody added: the counts confirm nobody, and the evidence is the totals line."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("dave@x.com",), {"dave@x.com": "LicenseLimitReached"})
    log.restart("2014-09-14 10:03:00")
    log.at("2014-09-14 10:05:01", NOTIFY.format("dana@x.com"))
    log.at("2014-09-14 10:05:01", NOTIFY.format("dave@x.com"))
    log.at("2014-09-14 10:05:02", TOTALS.format(1, 0))
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path], follow="dana@x.com")
    assert [(iso(c.time), c.source, c.line, c.totals_line, c.received, c.added, c.notified) for c in analysis.result.unreconciled] == [
        ("2014-09-14T10:05:02-04:00", path, 12, 12, 1, 0, 2),
    ]
    assert [(s.what, s.line) for s in analysis.result.timeline] == [
        ("restart", 8), ("requested", 10), ("not_confirmed", 12),
    ]
    assert [(u.upn, u.state) for u in analysis.users] == [("dave@x.com", "failed"), ("dana@x.com", "pending")]


def test_a_cycle_receiving_nobody_with_a_recovered_user_before_a_new_one_is_unreconciled(
    tmp_path: Path,
) -> None:
    """`received = 0` leaves room for nobody: the new user is held back (by a failure the log
    does not show: since when, it cannot say, as two whole cycles before did not notify him:
    `pending`, and not held back since before the log), but amy, recovered, cannot be held back: the counts do not reconcile,
    whichever user comes last. After a restart the cycle's start is not in the log: the
    evidence is its totals."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("amy@x.com",), {"amy@x.com": UNF})
    log.cycle("2014-09-15 10:05:00", ("amy@x.com",))  # recovered
    log.restart("2014-09-15 10:08:00")
    log.at("2014-09-15 10:10:01", NOTIFY.format("amy@x.com"))
    log.at("2014-09-15 10:10:01", NOTIFY.format("new@x.com"))
    log.at("2014-09-15 10:10:02", TOTALS.format(0, 0))
    path = log.write(tmp_path / "CloudUserSync.log")
    analysis = analyze([path])
    assert [(u.upn, u.state, u.before_input) for u in analysis.users] == [
        ("new@x.com", "pending", False), ("amy@x.com", "recovered", False),
    ]
    assert [(c.source, c.line, c.totals_line, c.received, c.notified) for c in analysis.result.unreconciled] == [
        (path, 18, 18, 0, 2),
    ]


@pytest.mark.parametrize(
    ("first", "last", "cycles"),
    [
        (1, 3041, 398),  # the whole demo log
        (3, 3041, 398),  # from the first cycle's start
        (6, 3041, 398),  # from its totals line: a cycle whose start is cut off
        (7, 3041, 397),  # from the line after it: the first cycle is not in the input
        (1, 5, 1),  # a start without its totals line
        (1, 6, 1),  # a start and its totals line: one cycle, not two
    ],
)
def test_a_cycle_counts_once_by_its_start_or_else_by_its_totals_line(
    tmp_path: Path, first: int, last: int, cycles: int
) -> None:
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    path = tmp_path / "CloudUserSync.log"
    path.write_text("".join(lines[first - 1 : last]), encoding="utf-8")
    assert analyze([str(path)]).result.cycles == cycles


def test_an_excerpt_of_totals_lines_counts_the_cycles_it_shows() -> None:
    # the ticket quotes two cycles by their notifications and totals, none by its start
    result = analyze([str(SAMPLES / "pasted" / "ticket.txt")]).result
    assert (result.cycles, result.interval_observed, result.connector.state) == (
        2, False, "running",
    )


def test_a_cycle_after_a_restart_counts_by_its_totals_and_users_only_where_nothing_else_does(
    tmp_path: Path,
) -> None:
    """A restart, then a totals line with no cycle start: one cycle (the restart leaves no
    cycle open). Notifications then a cycle's start without totals: the start is the cycle
    the input shows, and the users' lines count for nothing more."""
    totals = "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0"
    log = Log().restart("2026-03-02 08:00:00")
    log.at("2026-03-02 08:05:00", totals)
    assert analyze([log.write(tmp_path / "a.log")]).result.cycles == 1
    log = Log()
    log.at("2026-03-02 08:00:02", NOTIFY.format("bob@x.com"))
    log.at("2026-03-02 08:05:02", NOTIFY.format("bob@x.com"))
    log.at("2026-03-02 08:10:00", "Starting user delta sync, raise failure status messages = True")
    assert analyze([log.write(tmp_path / "b.log")]).result.cycles == 1


def test_one_failed_add_no_failure_line_names_is_said_in_the_singular(tmp_path: Path) -> None:
    """A cycle notifies amy and adds nobody, with no failure line: one failed add that no line
    names, in the singular; two in the plural."""
    from logsync.tracker import unnamed_words

    log = Log(bias=300).cycle("2026-03-02 09:00:00", ("amy@contoso.com",), added=0)
    result = analyze([log.write(tmp_path / "CloudUserSync.log")]).result
    assert result.unnamed_failures == 1
    assert unnamed_words(result.unnamed_failures) == "1 failed add that no failure line of the input names"
    assert unnamed_words(2) == "2 failed adds that no failure line of the input names"
