"""The history `timeline` shows (`tracker.history`), on logs written in the connector's own
words: kept only for a user to follow, and, for a part of a UPN, only that of the user it
resolves to, however many steps of another user it kept before that user was met."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from logsync import analyze
from logsync.times import iso

from .logtext import Log

AU = "bob@contoso.com.au"
"""Met first: the first user whose UPN holds the part `bob@contoso.com`."""
BOB = "bob@contoso.com"
"""Met later: the user whose UPN the part is, followed from then on."""


def steps_of(
    log: Log, path: Path, follow: str
) -> tuple[list[tuple[str, int, str]], list[tuple[str, int]]]:
    """What the tracker keeps for `follow` given in part, and the timeline concluded."""
    analysis = analyze([log.write(path)], follow=follow, follow_part=True)
    kept = [(s.what, s.line, s.detail) for s in analysis.tracker.history.followed()]
    return kept, [(s.what, s.line) for s in analysis.result.timeline]


def test_without_a_user_to_follow_no_step_is_kept(tmp_path: Path) -> None:
    """A report follows nobody: not even the connector's restarts are kept as steps."""
    log = Log().cycle("2014-09-14 10:00:00", (BOB,)).restart("2014-09-14 10:02:00")
    log.cycle("2014-09-14 10:03:00", (BOB,))
    path = log.write(tmp_path / "CloudUserSync.log")

    analysis = analyze([path])
    history = analysis.tracker.history
    assert (history.on, history.key, history.followed(), analysis.result.timeline) == (
        False,
        None,
        [],
        [],
    )
    # the same log, following a UPN nobody has: the restart is kept (the connector's step)
    carol = analyze([path], follow="carol@contoso.com")
    assert [(s.what, s.line) for s in carol.result.timeline] == [("restart", 7)]


def test_a_user_followed_until_the_one_named_is_met_leaves_none_of_its_steps(
    tmp_path: Path,
) -> None:
    """The first user holding the part is followed until the user it names is met: its timer
    held back, its recovery after a restart's full sync and its failure with no retry are not
    steps of the user shown; the connector's restart is."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", (AU,), {AU: "UserNotFound"})
    log.steady(datetime(2014, 9, 14, 10, 5), AU)  # notified while its timer runs
    log.restart("2014-09-14 10:07:00")
    log.cycle("2014-09-14 10:08:00", (AU,))  # the full sync: received and added
    log.cycle("2014-09-14 10:10:00", (AU,), {AU: "LicenseLimitReached"})
    log.cycle("2014-09-14 10:15:00", (BOB,))
    path = tmp_path / "CloudUserSync.log"

    kept, _ = steps_of(log, path, "bob")  # AU alone: each of its steps is kept
    assert kept == [
        ("requested", 4, f"NotifyAccountAddition {AU}"),
        ("failed", 5, "reason UserNotFound; full sync due 2014-09-15T10:00:02-04:00"),
        ("held_back", 9, "notified; timer runs until 2014-09-15T10:00:02-04:00"),
        ("restart", 11, "SMS_CLOUD_USERSYNC started (component_started)"),
        ("retry_cycle", 13, "full sync after restart"),
        ("requested", 16, f"NotifyAccountAddition {AU}"),
        ("added", 17, "added to the cloud: recovered"),
        ("requested", 22, f"NotifyAccountAddition {AU}"),
        ("failed", 23, "reason LicenseLimitReached (no automatic retry)"),
    ]

    kept, shown = steps_of(log, path, BOB)
    assert kept == [
        ("restart", 11, "SMS_CLOUD_USERSYNC started (component_started)"),
        ("requested", 29, f"NotifyAccountAddition {BOB}"),
        ("added", 30, "added to the cloud"),
    ]
    assert shown == [("restart", 11), ("requested", 29), ("added", 30)]


def test_a_user_held_back_since_before_the_log_and_followed_until_the_one_named_is_met(
    tmp_path: Path,
) -> None:
    """The first user holding the part, held back since before the log and notified again,
    is followed until the user it names is met: none of its steps are shown."""
    log = Log()
    log.steady(datetime(2014, 9, 14, 10, 0), AU)  # received 0: held back since before the log
    log.steady(datetime(2014, 9, 14, 10, 5), AU)  # notified again, still held back
    log.cycle("2014-09-14 10:10:00", (BOB,))
    path = tmp_path / "CloudUserSync.log"

    kept, _ = steps_of(log, path, "bob")
    assert kept == [
        ("requested", 2, f"NotifyAccountAddition {AU}"),
        (
            "held_back",
            3,
            "not received: held back since before the log (its failure is not in the input)",
        ),
        ("held_back", 5, "notified; held back since before the log: failure not in the input"),
        ("skipped", 11, "passed over: not notified, nor received, after its timer ran out"),
    ]  # (missing from the 10:10 cycle after a cycle that received nobody: not added, rule 2b)

    kept, shown = steps_of(log, path, BOB)
    assert kept == [
        ("requested", 10, f"NotifyAccountAddition {BOB}"),
        ("added", 11, "added to the cloud"),
    ]
    assert shown == [("requested", 10), ("added", 11)]


def test_a_user_added_and_followed_until_the_one_named_is_met_leaves_none_of_its_steps(
    tmp_path: Path,
) -> None:
    """The first user holding the part, added in its first cycle, is followed until the user
    it names is met: its addition is not a step of the user shown."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", (AU,))
    log.cycle("2014-09-14 10:05:00", (BOB,))
    path = tmp_path / "CloudUserSync.log"

    kept, _ = steps_of(log, path, "bob")
    assert kept == [
        ("requested", 4, f"NotifyAccountAddition {AU}"),
        ("added", 5, "added to the cloud"),
    ]

    kept, shown = steps_of(log, path, BOB)
    assert kept == [
        ("requested", 10, f"NotifyAccountAddition {BOB}"),
        ("added", 11, "added to the cloud"),
    ]
    assert shown == [("requested", 10), ("added", 11)]


def test_the_user_a_name_names_is_the_one_whose_upn_it_is_else_the_only_one_holding_it(
    tmp_path: Path,
) -> None:
    """`History.named`, which `timeline` shows: the user whose UPN the name is, even among
    others that hold it; else the one user that holds it; none when several or none do."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", (AU, BOB, "carol@contoso.com"))
    path = log.write(tmp_path / "CloudUserSync.log")

    def named(name: str, part: bool = True) -> str | None:
        return analyze([path], follow=name, follow_part=part).tracker.history.named()

    assert named("BOB@contoso.com") == BOB  # also held by bob@contoso.com.au
    assert named("com.au") == AU  # the only one holding it
    assert named("carol") == "carol@contoso.com"
    assert named("bob") is None  # two hold it, neither is it
    assert named("dave") is None
    assert named("dave@contoso.com", part=False) == "dave@contoso.com"  # a whole UPN is named


def test_a_held_step_with_no_times_of_a_user_followed_until_the_one_named_is_met_is_not_shown() -> None:
    """Lines with no times: bob@contoso.com.au fails and is notified again (held back, as the
    counts will tell), then bob@contoso.com, whom the part names, is met. None of the first
    user's steps is shown, not even the held one, as the connector's."""
    from logsync.events import AddTotals, SyncStarted, UserAddFailed, UserAddRequested
    from logsync.times import NO_TIMES
    from logsync.tracker import Tracker, TrackerOptions

    rows = [
        (0, NO_TIMES, "sync_started", SyncStarted("delta", True), "pasted", 1),
        (1, NO_TIMES, "user_add_requested", UserAddRequested(AU), "pasted", 2),
        (2, NO_TIMES, "user_add_failed", UserAddFailed(AU, "UserNotFound"), "pasted", 3),
        (3, NO_TIMES, "add_totals", AddTotals(1, 0), "pasted", 4),
        (4, NO_TIMES, "sync_started", SyncStarted("delta", True), "pasted", 5),
        (5, NO_TIMES, "user_add_requested", UserAddRequested(AU), "pasted", 6),
        (6, NO_TIMES, "add_totals", AddTotals(1, 0), "pasted", 7),
        (7, NO_TIMES, "sync_started", SyncStarted("delta", True), "pasted", 8),
        (8, NO_TIMES, "user_add_requested", UserAddRequested(BOB), "pasted", 9),
        (9, NO_TIMES, "add_totals", AddTotals(1, 1), "pasted", 10),
    ]
    tracker = Tracker(TrackerOptions(follow=BOB, follow_part=True))
    tracker.feed_rows(rows)
    assert tracker.follow == BOB
    assert [(s.what, s.line, s.detail) for s in tracker.history.followed()] == [
        ("requested", 9, f"NotifyAccountAddition {BOB}"),
        ("added", 10, "added to the cloud"),
    ]


def test_held_back_notifications_folded_into_one_step_show_both_times_in_the_zone_asked(
    tmp_path: Path,
) -> None:
    """bob fails (UserNotFound) and is notified in the next two cycles while his timer runs:
    the two held-back steps are folded into one that names his due time and the last
    notification's. Shown in another zone (`--tz`), both times are in that zone."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", (BOB,), {BOB: "UserNotFound"})
    log.steady(datetime(2014, 9, 14, 10, 5), BOB)
    log.steady(datetime(2014, 9, 14, 10, 10), BOB)
    result = analyze([log.write(tmp_path / "CloudUserSync.log")], follow=BOB).result
    (held,) = [step for step in result.timeline if step.what == "held_back"]
    assert held.detail == (
        "notified; timer runs until 2014-09-15T10:00:02-04:00; held back in 2 cycles, "
        "the last at 2014-09-14T10:10:02-04:00"
    )
    assert [iso(time) for time in held.times] == [
        "2014-09-15T10:00:02-04:00",
        "2014-09-14T10:10:02-04:00",
    ]
    assert held.text(lambda time: iso(time.astimezone(timezone.utc))) == (
        "notified; timer runs until 2014-09-15T14:00:02+00:00; held back in 2 cycles, "
        "the last at 2014-09-14T14:10:02+00:00"
    )


def test_the_steps_are_made_again_when_the_log_read_grows(tmp_path: Path) -> None:
    """A tracker concluded, then fed more (as `watch` does): its timeline holds the steps read
    since, and a time a step names is shown in the offset the log used then, as the offsets
    read since tell it (here bob's due time, after the log's bias changed from 300 to 240)."""
    from logsync.pipeline import EventStream
    from logsync.tracker import Tracker, TrackerOptions

    before = Log(bias=300).cycle("2014-09-14 10:00:00", (BOB,), {BOB: "UserNotFound"})
    after = Log(bias=240).cycle("2014-09-14 11:00:00", (BOB,)).cycle("2014-09-15 12:00:00", (BOB,))
    tracker = Tracker(TrackerOptions(follow=BOB))
    for event in EventStream([before.write(tmp_path / "a.log")]):
        tracker.feed(event)
    first = [(s.what, s.detail) for s in tracker.result().timeline]
    assert first[1] == ("failed", "reason UserNotFound; full sync due 2014-09-15T10:00:02-05:00")
    for event in EventStream([after.write(tmp_path / "b.log")]):
        tracker.feed(event)
    again = [(s.what, s.detail) for s in tracker.result().timeline]
    assert again[1] == ("failed", "reason UserNotFound; full sync due 2014-09-15T11:00:02-04:00")
    assert [what for what, _ in again] == [
        "requested", "failed", "held_back", "full_sync_due", "retry_cycle", "requested", "added",
    ]
    assert len(first) < len(again)
