"""Cycles an excerpt shows without their start or totals lines: `grep -C` without `--`,
`Select-String -Context` (which never marks where it leaves lines out), a search that keeps the
starts but no totals. A cycle names a user once; a user named again over a minute later is
named in the next cycle, whose start the input leaves out. Whom a cycle received, with its
totals not in the input, the next complete cycle tells of a user it names again (not added),
never of one it does not name (a failure left out with the totals: failed users are not named
again). Found by a newcomer's sweep of searches of the demo log against the whole log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.times import iso

from .conftest import SAMPLES
from .logtext import Log, grep
from .test_bulk import conclusions

runner = CliRunner()
DEMO_LINES = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
START = "Starting user delta sync, raise failure status messages = True"
NOTIFY = "NotifyAccountAddition - SCCM user to add = {}"
TOTALS = "Total received users to add from SCCM = {}, Total Successfully added users to Cloud = {}"


def searched(tmp_path: Path, keep: list[str], name: str = "excerpt.log") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return path


def context(word: str, around: int) -> list[str]:
    """`grep -C<around> word --no-group-separator` of the demo log."""
    return grep(DEMO_LINES, word, around)


def states(path: Path) -> list[tuple[str, str, str | None]]:
    return [(u.upn, u.state, u.pending_reason) for u in analyze([str(path)]).users]


def test_a_user_named_in_a_cycle_whose_totals_are_left_out_is_not_held_back_by_the_next(
    tmp_path: Path,
) -> None:
    """`grep -C1 -i bob --no-group-separator`: Mallory, named once at 09:10:12, was taken into
    09:15's cycle, whose totals received nobody: `waiting`, "held back since before the log",
    due by the next day. The whole log has her `synced`. heidi, named again at 09:15:04, shows
    that 09:15's cycle had begun: Mallory's cycle is one whose totals the excerpt leaves out."""
    path = searched(tmp_path, context("bob", 1))
    assert states(path) == [
        ("bob@contoso.com", "waiting", None),
        ("heidi@contoso.com", "pending", "undetermined"),
        ("Mallory.Admin@Contoso.com", "pending", "undetermined"),
    ]
    steps = json.loads(runner.invoke(app, ["timeline", "mallory", "--format", "json", str(path)]).stdout)
    assert [(s["what"], s["detail"], s["line"]) for s in steps["steps"][:2]] == [
        ("requested", "NotifyAccountAddition Mallory.Admin@Contoso.com", 4),
        ("undecided", "the cycle's totals are not in the input: whether it was received or "
         "held back", 5),
    ]
    gate = runner.invoke(app, ["check", str(path)])
    assert (gate.exit_code, gate.stdout.splitlines()[-1]) == (
        1,
        "FAIL: 3 users (1 waiting, 2 pending that may be stuck), limit 0 as of "
        "2026-11-25T16:00:05.159-08:00",
    )


@pytest.mark.parametrize(
    ("again", "expected"),
    [
        # a minute after (or less): the same cycle, read as before this rule
        (59_999_000, [("ann@x.com", "pending", "undetermined"), ("ben@x.com", "synced", None)]),
        (60_000_000, [("ann@x.com", "pending", "undetermined"), ("ben@x.com", "synced", None)]),
        # a millisecond later (the log's precision): the next cycle, ann's alone, whose totals
        # received and added her; ben's cycle has no totals line
        (60_001_000, [("ben@x.com", "pending", "undetermined"), ("ann@x.com", "synced", None)]),
    ],
    ids=["59.999 s", "60 s", "60.001 s"],
)
def test_a_user_named_again_over_a_minute_later_begins_a_cycle(
    tmp_path: Path, again: int, expected: list[tuple[str, str, str | None]]
) -> None:
    first = datetime(2026, 3, 2, 9, 0, 2)
    log = Log()
    log.cycle(first - timedelta(minutes=5))
    log.at(first, NOTIFY.format("ann@x.com")).at(first, NOTIFY.format("ben@x.com"))
    log.at(first + timedelta(microseconds=again), NOTIFY.format("ann@x.com"))
    log.at(first + timedelta(microseconds=again, seconds=1), TOTALS.format(1, 1))
    assert states(Path(log.write(tmp_path / "CloudUserSync.log"))) == expected


def test_a_user_missing_from_the_cycle_after_one_without_totals_stays_undecided(
    tmp_path: Path,
) -> None:
    """a, named at 08:00 in a cycle with no totals line, is not named at 08:05: it was added,
    or it failed in the lines left out with the totals (a failed user is not named again).
    b, named at 08:00 and again at 08:05, was not added at 08:00: held back since then."""
    log = Log()
    log.cycle("2026-03-02 07:55:00")
    log.at("2026-03-02 08:00:00", START)
    log.at("2026-03-02 08:00:01", NOTIFY.format("a@x.com")).at("2026-03-02 08:00:01", NOTIFY.format("b@x.com"))
    log.at("2026-03-02 08:05:00", START)
    log.at("2026-03-02 08:05:01", NOTIFY.format("b@x.com")).at("2026-03-02 08:05:02", TOTALS.format(0, 0))
    path = Path(log.write(tmp_path / "CloudUserSync.log"))
    found = {u.upn: u for u in analyze([str(path)]).users}
    assert (found["a@x.com"].state, found["a@x.com"].pending_reason) == ("pending", "undetermined")
    assert (found["b@x.com"].state, found["b@x.com"].before_input) == ("pending", False)


def test_users_a_timer_holds_back_leave_room_in_the_counts_for_a_retry_not_shown(
    tmp_path: Path,
) -> None:
    """`grep -iE 'Failed to add|Total received users to add|heidi'`: at 07:45 carol's retry was
    received and added (received 1, added 1), her line not kept. heidi, named there, is held
    back by her timer (not received): the one received was someone the search left out. carol
    was `overdue`; her retry may be there: `pending` (`retry_unseen`), as without heidi's
    lines."""
    keep = ("Failed to add", "Total received users to add")
    lines = [x for x in DEMO_LINES if x.startswith(keep) or "heidi@" in x]
    found = {upn: (state, why) for upn, state, why in states(searched(tmp_path, lines))}
    assert found["carol@contoso.com"] == ("pending", "retry_unseen")
    assert found["ivan@contoso.com"] == ("pending", "retry_unseen")
    assert found["heidi@contoso.com"] == ("waiting", None)


def test_a_cycle_whose_start_is_shown_and_totals_not_may_hold_a_retry(tmp_path: Path) -> None:
    """`grep -iE 'Starting user|Failed to add'`: every cycle's start, no notification, no
    totals. carol, who recovered at 07:45, was `overdue`: her retry's cycle was seen, her
    notification not (no notification is in the input). Such a cycle may have retried her."""
    lines = [x for x in DEMO_LINES if x.startswith(("Starting user", "Failed to add"))]
    found = {upn: (state, why) for upn, state, why in states(searched(tmp_path, lines))}
    assert found["carol@contoso.com"] == ("pending", "retry_unseen")
    assert found["bob@contoso.com"] == ("waiting", None)


def test_users_named_in_cycle_after_cycle_without_totals_fail_the_gate(tmp_path: Path) -> None:
    """`grep -iE 'NotifyAccount|Starting user'`: bob, heidi, erin and ivan are named in every
    cycle (a user added is named no more), and `check` passed: "10 pending users not counted".
    A user named in a later cycle was not added in the one before: it may be stuck. frank,
    named only in the last cycle, may be too: no cycle of the input is whole (none has its
    totals), so none tells whether he was named, held back, before."""
    lines = [x for x in DEMO_LINES if x.startswith(("NotifyAccount", "Starting user"))]
    path = searched(tmp_path, lines)
    gate = runner.invoke(app, ["check", str(path)])
    assert (gate.exit_code, gate.stdout.splitlines()[-1]) == (
        1,
        "FAIL: 10 users (10 pending that may be stuck), limit 0 as of "
        "2026-11-25T16:04:59.644-08:00",
    )
    undetermined = {u for u, _, why in states(path) if why == "undetermined"}
    assert {"bob@contoso.com", "heidi@contoso.com", "erin@contoso.com", "ivan@contoso.com",
            "frank@contoso.com"} <= undetermined


def test_users_named_only_in_an_excerpt_s_one_cycle_without_totals_fail_the_gate(
    tmp_path: Path,
) -> None:
    """`grep -C1 -i alice --no-group-separator`: three notifications of the 08:00 cycle on the
    24th, nothing else. `check` passed ("3 pending users not counted") where the whole log has
    carol held back by her timer at that instant: a user held back is named in every cycle, and
    no earlier cycle of the input says whether these were. They may be stuck."""
    path = searched(tmp_path, context("alice", 1))
    assert states(path) == [
        ("alice@contoso.com", "pending", "undetermined"),
        ("carol@contoso.com", "pending", "undetermined"),
        ("grace@contoso.com", "pending", "undetermined"),
    ]
    gate = runner.invoke(app, ["check", str(path)])
    assert (gate.exit_code, gate.stdout.splitlines()[-1]) == (
        1,
        "FAIL: 3 users (3 pending that may be stuck), limit 0 as of "
        "2026-11-24T08:00:11.962-08:00",
    )
    whole = analyze([str(SAMPLES / "CloudUserSync.log")], now=datetime.fromisoformat(
        "2026-11-24T08:00:11.962-08:00"))
    assert [(u.upn, u.state) for u in whole.users if u.upn.startswith("carol")] == [
        ("carol@contoso.com", "waiting")
    ]


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        # nothing before the cycle: new@ may have been held back since before the input
        ("", ("pending", "undetermined")),
        # a whole cycle that did not name new@: it was not held back then
        ("whole", ("pending", "awaiting_totals")),
        # that cycle's totals left out: it cannot say
        ("start", ("pending", "undetermined")),
        # a restart: its full sync retries every user held back (rule 3)
        ("restart", ("pending", "awaiting_totals")),
    ],
)
def test_a_user_named_in_a_cycle_without_totals_awaits_them_only_after_a_whole_cycle_or_restart(
    tmp_path: Path, before: str, expected: tuple[str, str]
) -> None:
    log = Log()
    if before in ("whole", "start"):
        log.cycle("2026-03-02 07:55:00", requested=("old@x.com",))
        if before == "start":
            del log.lines[-2:]  # (its totals lines)
    if before == "restart":
        log.restart("2026-03-02 07:59:40")
    log.at("2026-03-02 08:00:00", START).at("2026-03-02 08:00:02", NOTIFY.format("new@x.com"))
    found = {u.upn: (u.state, u.pending_reason) for u in analyze([log.write(tmp_path / "CloudUserSync.log")]).users}
    assert found["new@x.com"] == expected


@pytest.mark.parametrize(("restart", "expected"), [(True, "awaiting_totals"), (False, "undetermined")])
def test_a_user_named_before_a_restart_and_in_its_full_sync_awaits_the_full_sync_s_totals(
    tmp_path: Path, restart: bool, expected: str
) -> None:
    """new@ is named in a cycle cut off with no totals, then in the next cycle, whose totals
    are not in the input yet. Where a restart came between, that cycle is its full sync, which
    retries every user whatever held it back: its totals will tell. Without one, new@ was not
    added in the first cycle (a user added is named no more): it may be held back."""
    log = Log()
    log.at("2026-03-02 07:55:00", START).at("2026-03-02 07:55:02", NOTIFY.format("new@x.com"))
    if restart:
        log.restart("2026-03-02 07:59:40")
        log.at("2026-03-02 08:00:00", "Starting user full sync, raise failure status messages = True")
    else:
        log.at("2026-03-02 08:00:00", START)
    log.at("2026-03-02 08:00:02", NOTIFY.format("new@x.com"))
    found = {u.upn: u.pending_reason for u in analyze([log.write(tmp_path / "CloudUserSync.log")]).users}
    assert found == {"new@x.com": expected}


RESTART_DAY = (SAMPLES / "restart-day" / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()


@pytest.mark.parametrize(
    "search",
    ["grep -iE 'Failed to add|Total received users to add|xavier|yolanda'", "grep -C3 xavier"],
)
def test_a_user_a_timer_holds_in_a_cycle_whose_counts_received_it_may_have_been_retried(
    tmp_path: Path, search: str
) -> None:
    """The restart-day log: SMS Executive restarts at 13:00:12, and the full sync at 13:00:32
    retries xavier and yolanda (received 2, added 1: yolanda fails again). Searches that keep
    neither the restart nor (the first) the cycle's start read xavier, whose timer runs to the
    next morning, as held back there: `waiting` until 09:00 the next day, where the whole log
    has him `recovered` at 13:00. The counts received more users than the search names
    outside running timers: a full sync may have retried him (`pending`, `retry_unseen`)."""
    if search.startswith("grep -iE"):
        words = ("failed to add", "total received users to add", "xavier", "yolanda")
        lines = [x for x in RESTART_DAY if any(w in x.lower() for w in words)]
    else:
        found = [n for n, x in enumerate(RESTART_DAY) if "xavier" in x]
        lines = [RESTART_DAY[n] for n in sorted({n + d for n in found for d in range(-3, 4)})]
    assert not any("SMS_EXECUTIVE started" in x for x in lines)
    found_states = {u: (s, why) for u, s, why in states(searched(tmp_path, lines))}
    assert found_states["xavier@fabrikam.com"] == ("pending", "retry_unseen")
    assert found_states["yolanda@fabrikam.com"] == ("waiting", None)  # (she failed again)


@pytest.mark.parametrize(
    ("totals_at", "named_again", "expected"),
    [
        # the totals line in the millisecond of ann's notification: still that cycle's
        ("09:10:03", False, ("pending", "retry_unseen")),
        ("09:10:02", False, ("pending", "retry_unseen")),
        # named again (held back) after: the cycle did not retry her
        ("09:10:02", True, ("waiting", None)),
    ],
    ids=["totals a second later", "totals in the same millisecond", "named again after"],
)
def test_only_the_users_a_timer_holds_in_a_cycle_with_room_may_have_been_retried(
    tmp_path: Path, totals_at: str, named_again: bool, expected: tuple[str, str | None]
) -> None:
    """ann and ben fail at 09:00 (UserNotFound). The 09:10 cycle names ann alone, held back by
    her timer, and counts one user received and added: ann, were it a full sync. ben, whose
    timer runs too but whom that cycle does not name, was not retried there."""
    log = Log()
    log.cycle("2026-03-02 09:00:00", ("ann@x.com", "ben@x.com"), {"ann@x.com": "UserNotFound", "ben@x.com": "UserNotFound"})
    log.steady(datetime(2026, 3, 2, 9, 5), "ann@x.com", "ben@x.com")
    log.at("2026-03-02 09:10:00", START).at("2026-03-02 09:10:02", NOTIFY.format("ann@x.com"))
    log.at(f"2026-03-02 {totals_at}", TOTALS.format(1, 1))
    if named_again:
        log.steady(datetime(2026, 3, 2, 9, 15), "ann@x.com", "ben@x.com")
    found = {u: (s, why) for u, s, why in states(Path(log.write(tmp_path / "CloudUserSync.log")))}
    assert found["ann@x.com"] == expected
    assert found["ben@x.com"] == ("waiting", None)


def test_a_user_held_since_before_the_excerpt_retried_by_a_restart_awaits_its_cycle_s_totals(
    tmp_path: Path,
) -> None:
    """`sed -n 328,386p` of the restart-day log: xavier, held back since before the excerpt (his
    failure at 09:00 is not in it), is named in the restart's full sync at 13:00:36, and the
    excerpt ends before that cycle's totals. He was `waiting`, his expected recovery the full
    sync's start, already past; the whole log at that instant has him `pending`: the retry came,
    its outcome is not in the input. yolanda failed again in that cycle: `waiting`."""
    path = searched(tmp_path, RESTART_DAY[327:386])
    assert "SMS_EXECUTIVE started" in RESTART_DAY[378]
    found = {u: (s, why) for u, s, why in states(path)}
    assert found == {
        "yolanda@fabrikam.com": ("waiting", None),
        "xavier@fabrikam.com": ("pending", "awaiting_totals"),
    }
    whole = SAMPLES / "restart-day" / "CloudUserSync.log"
    truth = analyze([str(whole)], now=datetime.fromisoformat("2026-03-02T13:00:40.133-05:00"))
    assert {u.upn: (u.state, u.pending_reason) for u in truth.users}["xavier@fabrikam.com"] == (
        "pending", "awaiting_totals",
    )


def test_users_an_undecided_cycle_named_stay_undecided_until_a_complete_cycle_decides(
    tmp_path: Path,
) -> None:
    """`grep -iE 'dave|SMS_EXECUTIVE|Total received users to add|NotifyAccount'`: no cycle
    start, so no complete cycle. The 07:45 counts on the 25th cannot say whether carol (held
    back since before the excerpt) was received; later counts that could not say of others
    replaced the undecided users with theirs, carol was judged by her latest due time again:
    `overdue`, where the whole log has her `recovered` at 07:45. ivan (`overdue` in the whole
    log) is named in those cycles too: whether he was received there, nothing tells."""
    keep = ("dave", "sms_executive", "total received users to add", "notifyaccount")
    lines = [x for x in DEMO_LINES if any(word in x.lower() for word in keep)]
    found = {upn: (state, why) for upn, state, why in states(searched(tmp_path, lines))}
    assert found["carol@contoso.com"] == ("pending", "undetermined")
    assert found["ivan@contoso.com"] == ("pending", "undetermined")
    assert found["dave@contoso.com"] == ("failed", None)


@pytest.mark.parametrize("around", [1, 2])
def test_a_user_held_since_before_an_excerpt_and_missing_from_its_later_cycles_may_have_recovered(
    tmp_path: Path, around: int
) -> None:
    """`grep -C1 -i ivan --no-group-separator` (and `-C2`): carol, held back since before the
    excerpt, is named beside ivan in every cycle up to 07:40 on the 25th; at 07:45 the
    connector named her after ivan and heidi, out of the context lines, and retried and added
    her. The cycles after it show ivan's lines and no totals. carol was `waiting`, due by 08:20
    at the latest; the whole log has her `recovered` at 07:45. A user held back is named in
    every cycle, so those cycles leave her line out, and her retry may be among them."""
    path = searched(tmp_path, context("ivan", around))
    found = {u: (s, why) for u, s, why in states(path)}
    assert found["carol@contoso.com"] == ("pending", "retry_unseen")
    assert found["ivan@contoso.com"] == ("waiting", None)
    gate = runner.invoke(app, ["check", str(path)])
    assert gate.exit_code == 1
    end = analyze([str(path)]).as_of
    whole = analyze([str(SAMPLES / "CloudUserSync.log")], now=end)
    assert [(u.upn, u.state) for u in whole.users if u.upn.startswith("carol")] == [
        ("carol@contoso.com", "recovered")
    ]


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # the cycle after the last notification has not ended: held@ may yet be named in it
        ("", ("waiting", None)),
        # it ended with no line about held@: its retry may be the line left out
        ("start", ("pending", "retry_unseen")),
        # a complete cycle that does not name it passed it over (`due_cycle`): decided
        ("totals", ("waiting", None)),
        # named again, held back: its timer still runs
        ("named", ("waiting", None)),
    ],
)
def test_a_user_held_since_before_the_input_missing_from_an_ended_cycle_may_have_been_retried(
    tmp_path: Path, after: str, expected: tuple[str, str | None]
) -> None:
    log = Log()
    log.at("2026-03-02 08:00:00", START).at("2026-03-02 08:00:02", NOTIFY.format("held@x.com"))
    log.at("2026-03-02 08:00:03", TOTALS.format(0, 0))  # (held back since before the input)
    log.at("2026-03-02 08:05:00", START).at("2026-03-02 08:05:02", NOTIFY.format("x@x.com"))
    if after == "totals":
        log.at("2026-03-02 08:05:03", TOTALS.format(1, 1))
    if after:
        log.at("2026-03-02 08:10:00", START)
    if after == "named":
        log.at("2026-03-02 08:10:02", NOTIFY.format("held@x.com"))
    found = {u.upn: (u.state, u.pending_reason) for u in analyze([log.write(tmp_path / "CloudUserSync.log")]).users}
    assert found["held@x.com"] == expected


REMOVAL = ("Total received users from SCCM to be removed from cloud = 0", "Successfully removed users from cloud 0")


@pytest.mark.parametrize(
    ("between", "expected"),
    [
        # the removal lines after held@'s cycle's totals: the next cycle began, its start left
        # out; it named x@ and logged totals, so it ended when the next removal lines came
        ("totals", ("pending", "retry_unseen")),
        # the same with no totals: after a cycle that named a user, they begin the next
        ("names", ("pending", "retry_unseen")),
        # no removal lines: the names and totals read as one stretch after held@'s cycle, which
        # no later cycle ends: its timer runs as before
        ("none", ("waiting", None)),
    ],
)
def test_removal_lines_begin_a_cycle_whose_start_an_excerpt_leaves_out(
    tmp_path: Path, between: str, expected: tuple[str, str | None]
) -> None:
    """Every cycle logs its removal lines just after its start (`grep -C2` keeps them where it
    leaves the start out): after a cycle that named users or logged its totals, they begin the
    next cycle. held@, held back since before the input, is not named in such a cycle that
    ended: its line is left out, and its retry may be that line."""
    log = Log()
    log.at("2026-03-02 08:00:00", START).at("2026-03-02 08:00:02", NOTIFY.format("held@x.com"))
    log.at("2026-03-02 08:00:03", TOTALS.format(0, 0))
    for minute, upn in ((5, "x@x.com"), (10, "y@x.com")):  # (none named again: see `named_again`)
        if between != "none":
            log.at(f"2026-03-02 08:{minute:02d}:00", REMOVAL[0]).at(f"2026-03-02 08:{minute:02d}:00", REMOVAL[1])
        log.at(f"2026-03-02 08:{minute:02d}:02", NOTIFY.format(upn))
        if between != "names":
            log.at(f"2026-03-02 08:{minute:02d}:03", TOTALS.format(0, 0))
    found = {u.upn: (u.state, u.pending_reason) for u in analyze([log.write(tmp_path / "CloudUserSync.log")]).users}
    assert found["held@x.com"] == expected


def test_removal_lines_after_a_cycle_start_or_after_each_other_begin_no_cycle(tmp_path: Path) -> None:
    """The removal lines of a cycle whose start is in the input, and the second of the two
    lines, begin nothing: a log's cycles are read as they were (each complete cycle decides)."""
    log = Log()
    log.cycle("2026-03-02 08:00:00", ("held@x.com", "new@x.com"), {"held@x.com": "UserNotFound"})
    log.cycle("2026-03-02 08:05:00", ("held@x.com",), added=0)
    log.lines[-2] = log.lines[-2].replace("add from SCCM = 1", "add from SCCM = 0")  # (its timer)
    log.cycle("2026-03-02 08:10:00", ("old@x.com",), added=0)
    log.lines[-2] = log.lines[-2].replace("add from SCCM = 1", "add from SCCM = 0")
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    assert [(u.upn, u.state, u.pending_reason) for u in analysis.users] == [
        ("held@x.com", "waiting", None),
        ("old@x.com", "pending", "undetermined"),
        ("new@x.com", "synced", None),
    ]
    assert analysis.result.cycles == 3
    assert analysis.tracker.cycle_no == 3


def test_a_user_named_in_the_cycle_before_and_again_after_removal_lines_begins_no_further_cycle(
    tmp_path: Path,
) -> None:
    """The removal lines begin the cycle that names x@ again: x@ is named there once, so it
    begins no cycle of its own (a user named again over a minute later does, where no cycle
    began since, see `named_again`). held@, named in the cycle before, may yet be named in the
    cycle under way: its timer runs."""
    log = Log()
    log.at("2026-03-02 08:00:00", START).at("2026-03-02 08:00:02", NOTIFY.format("held@x.com"))
    log.at("2026-03-02 08:00:03", TOTALS.format(0, 0))
    log.at("2026-03-02 08:05:00", REMOVAL[1])
    log.at("2026-03-02 08:05:02", NOTIFY.format("held@x.com")).at("2026-03-02 08:05:02", NOTIFY.format("x@x.com"))
    log.at("2026-03-02 08:10:00", REMOVAL[1]).at("2026-03-02 08:10:02", NOTIFY.format("x@x.com"))
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    found = {u.upn: (u.state, u.pending_reason) for u in analysis.users}
    assert (found["held@x.com"], analysis.tracker.cycle_no) == (("waiting", None), 3)


def test_a_user_held_since_before_the_input_retried_by_a_restart_s_full_sync_waits_for_it(
    tmp_path: Path,
) -> None:
    """A restart and its full sync's start end no cycle that left held@ out: the full sync
    retries it (rule 3), and the input ends before its line. It waits for that cycle."""
    log = Log()
    log.at("2026-03-02 08:00:00", START).at("2026-03-02 08:00:02", NOTIFY.format("held@x.com"))
    log.at("2026-03-02 08:00:03", TOTALS.format(0, 0))
    log.restart("2026-03-02 08:02:00")
    log.at("2026-03-02 08:02:20", "Starting user full sync, raise failure status messages = True")
    analysis = analyze([log.write(tmp_path / "CloudUserSync.log")])
    [held] = analysis.users
    assert (held.state, held.pending_reason, held.recovery_by, iso(held.expected_recovery)) == (
        "waiting", None, "restart", "2026-03-02T08:02:20-04:00"
    )


@pytest.mark.parametrize(
    "excerpt",
    ["whole", "restart-day", "grep -C1 ivan", "grep -C2 ivan", "grep -C2 heidi", "grep -C1 bob"],
)
def test_leaving_out_removal_lines_that_follow_a_start_changes_no_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, excerpt: str
) -> None:
    """The readers leave out the removal lines that follow a cycle's start (which the tracker
    reads as beginning nothing): every answer is the one of all the rows."""
    if excerpt == "whole":
        path = str(SAMPLES / "CloudUserSync.log")
    elif excerpt == "restart-day":
        path = str(SAMPLES / "restart-day" / "CloudUserSync.log")
    else:
        word, around = excerpt.split()[2], int(excerpt.split()[1][2:])
        path = str(searched(tmp_path, context(word, around)))
    kept = conclusions(analyze([path]))
    monkeypatch.setattr("logsync.analysis.CYCLE_OPENINGS", frozenset())
    assert conclusions(analyze([path])) == kept


@pytest.mark.parametrize(
    ("again", "expected"),
    [
        # a minute after (or less): the same cycle, whose start holds ann back; its totals
        # received one user the input does not name, maybe her in a full sync
        (60_000_000, ("pending", "retry_unseen", None)),
        # a millisecond later (the log's precision): named in the next cycle, whose start the
        # input leaves out (as it leaves out the totals of the one before), after her due time:
        # received there, and added
        (60_001_000, ("recovered", None, "2026-03-03T09:01:00.501-05:00")),
    ],
    ids=["60 s", "60.001 s"],
)
def test_a_user_named_again_over_a_minute_later_in_a_started_cycle_begins_the_next(
    tmp_path: Path, again: int, expected: tuple[str, str | None, str | None]
) -> None:
    """ann fails at 09:00:02 on the 2nd; the cycle of 09:00:00 on the 3rd, its start in the
    input, names her while her timer runs. Its totals, and the next cycle's start, are left out
    (`grep -C3` of a user whose retry came): named again over a minute later, she is named in
    the next cycle, which her timer no longer holds her back in."""
    ann = "ann@x.com"
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", requested=(ann,), failed={ann: "UserNotFound"})  # (09:00:02)
    first = datetime(2026, 3, 3, 9, 0, 0, 500000)
    log.at(first - timedelta(seconds=0.5), START).at(first, NOTIFY.format(ann))
    log.at(first + timedelta(microseconds=again), NOTIFY.format(ann))
    log.at(first + timedelta(microseconds=again, seconds=1), TOTALS.format(1, 1))
    (found,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    recovered = iso(found.recovered_at) if found.recovered_at else None
    assert (found.state, found.pending_reason, recovered) == expected


def test_a_search_with_context_of_a_user_retried_by_its_timer_recovers_it() -> None:
    """`grep -C3 -i user00020 --no-group-separator` of a simulated connector's two days:
    user00020 failed at 06:00:13 on the 1st and was retried by the cycle of 06:00:25 on the
    2nd, which added it at 06:00:36. The search keeps that cycle's totals but not its start; it
    keeps the start of the cycle before, in which the user was held back. It was `waiting`
    for a retry at 06:05 (the cycle after); it is `recovered` at its retry, as in the log."""
    from .test_searches_simulated import history

    kept = grep(history(1, 48).text().splitlines(), "user00020@", 3)
    result = runner.invoke(app, ["report", "--all", "--format", "json", "-"], input="\n".join(kept) + "\n")
    users = {u["upn"]: u for u in json.loads(result.stdout)["users"]}
    assert (users["user00020@contoso.com"]["state"], users["user00020@contoso.com"]["recovered_at"]) == (
        "recovered", "2026-03-02T06:00:36.325-05:00"
    )


def test_the_cycle_a_user_named_twice_begins_holds_every_user_named_after_it(tmp_path: Path) -> None:
    """An excerpt that begins with bob named at 08:55, then the start of 09:00's cycle, which
    names ann while her timer runs; its totals and 09:05's start are left out. ann named again
    at 09:05 begins that cycle, and bob named after her is named in it too (not in another one
    begun by his line of 08:55): its totals received and added both."""
    ann, bob = "ann@x.com", "bob@x.com"
    log = Log(bias=300)
    log.cycle("2026-03-02 09:00:00", requested=(ann,), failed={ann: "UserNotFound"})  # (09:00:02)
    log.at("2026-03-03 08:55:00.500", NOTIFY.format(bob))
    log.at("2026-03-03 09:00:00", START).at("2026-03-03 09:00:00.500", NOTIFY.format(ann))
    log.at("2026-03-03 09:05:00.500", NOTIFY.format(ann)).at("2026-03-03 09:05:00.700", NOTIFY.format(bob))
    log.at("2026-03-03 09:05:01", TOTALS.format(2, 2))
    assert states(Path(log.write(tmp_path / "CloudUserSync.log"))) == [
        (ann, "recovered", None),
        (bob, "synced", None),
    ]


def test_a_user_named_right_after_a_cycle_begun_by_a_user_named_twice_is_read_in_it(
    tmp_path: Path,
) -> None:
    """The 3rd: the excerpt keeps 08:50's start and ann, held back there; then ann again at
    08:55:30 (the next cycle, its start left out) and bob just after her, whose timer ran out
    at 08:52:02: that cycle retried him, and its totals added one. bob is read in the cycle
    ann's line began (not held back by 08:50's start): `recovered`, in `report` as in his
    `timeline`."""
    ann, bob = "ann@x.com", "bob@x.com"
    log = Log(bias=300)
    log.cycle("2026-03-02 08:52:00", requested=(bob,), failed={bob: "UserNotFound"})
    log.cycle("2026-03-02 09:00:00", requested=(ann,), failed={ann: "UserNotFound"})
    log.steady(datetime(2026, 3, 2, 9, 5, 0), bob, ann)
    log.at("2026-03-03 08:50:00", START).at("2026-03-03 08:50:00.500", NOTIFY.format(ann))
    log.at("2026-03-03 08:55:30.500", NOTIFY.format(ann)).at("2026-03-03 08:55:30.700", NOTIFY.format(bob))
    log.at("2026-03-03 08:55:31", TOTALS.format(1, 1))
    path = log.write(tmp_path / "CloudUserSync.log")
    found = {u.upn: u for u in analyze([path]).users}
    assert (found[bob].state, iso(found[bob].recovered_at)) == ("recovered", "2026-03-03T08:55:30.700-05:00")
    followed = {u.upn: u for u in analyze([path], follow=bob).users}
    assert followed[bob].state == "recovered"
