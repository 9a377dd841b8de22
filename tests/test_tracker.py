"""The per-user rules of SPEC §4, each on a log written in the connector's own words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logsync import analyze
from logsync.times import iso
from logsync.tracker import STATES, Tracker, TrackerOptions, UserState

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
    log.at("2014-09-14 10:00:00", "SMS_CLOUD_USERSYNC is stopping...")
    log.at("2014-09-14 10:01:00", "UserDeltaSync:- Users Added = 3, Users Removed = 0")
    log.at("2014-09-14 10:02:00", "Some other message about scott@contoso.com")
    tracker = Tracker(TrackerOptions())
    from logsync.pipeline import EventStream

    events = list(EventStream([log.write(tmp_path / "CloudUserSync.log")]))
    assert [e.kind for e in events] == ["processing_stopping", "sync_summary", "message"]
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
