"""A cycle's counts speak for whom it received only if the cycle was heard through: its totals
line no later after its start than the connector may be silent before it counts as stalled
(three intervals; SPEC §4 rules 2b and 9). An excerpt pasted in two pieces, the second
beginning inside a cycle hours later, made one "cycle" of a start and the totals of another:
the users it did not notify were taken for received and added (`synced`, the gate passing),
where the lines left out between them may hold anything."""

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
from .logtext import Log

runner = CliRunner()
DEMO_LINES = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
TOTALS_NONE = "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0"


def two_cycles(tmp_path: Path, span: timedelta) -> str:
    """A cycle that notifies ann and ben and receives one of them (the counts cannot say
    which), then one that notifies ben again, its totals `span` after its start."""
    log = Log(bias=300).steady(
        datetime(2026, 3, 2, 9, 0), "ann@contoso.com", "ben@contoso.com", received=1, added=1
    )
    start = datetime(2026, 3, 2, 9, 5)
    log.at(start, "Starting user delta sync, raise failure status messages = True")
    log.at(start + timedelta(seconds=2), "NotifyAccountAddition - SCCM user to add = ben@contoso.com")
    log.at(start + span, TOTALS_NONE)
    return log.write(tmp_path / "CloudUserSync.log")  # type: ignore[no-any-return]


def states(path: str, interval: timedelta | None = None) -> list[tuple[str, str, str | None]]:
    result = analyze([path], interval=interval).result
    return [(u.upn, u.state, u.pending_reason) for u in result.users]


HEARD = [("ben@contoso.com", "waiting", None), ("ann@contoso.com", "synced", None)]
"""The second cycle heard through: ben, notified again, was the one held back; ann was added."""
UNHEARD = [
    ("ann@contoso.com", "pending", "undetermined"),
    ("ben@contoso.com", "pending", "undetermined"),
]
"""Not heard through: whom the first cycle received, the second cannot say."""


@pytest.mark.parametrize(
    ("interval", "span", "expected"),
    [
        # the observed interval (5 min: one cycle to the next): three of them
        (None, timedelta(minutes=15), HEARD),
        (None, timedelta(minutes=15, milliseconds=1), UNHEARD),
        # a given interval
        (timedelta(minutes=10), timedelta(minutes=30), HEARD),
        (timedelta(minutes=10), timedelta(minutes=30, milliseconds=1), UNHEARD),
        # within a minute, a cycle is heard through whatever the interval
        (timedelta(seconds=10), timedelta(seconds=60), HEARD),
        (timedelta(seconds=10), timedelta(seconds=60, milliseconds=1), UNHEARD),
    ],
)
def test_a_cycle_is_heard_through_up_to_three_intervals_from_its_start(
    tmp_path: Path, interval: timedelta | None, span: timedelta, expected: list[object]
) -> None:
    assert states(two_cycles(tmp_path, span), interval) == expected


def excerpt(tmp_path: Path, marker: bool) -> str:
    """Two pieces of the demo log: its 09:10 cycle (heidi, bob and Mallory notified, 2
    received, 1 added, bob failed: heidi or Mallory held back) and the next cycle's start, then
    the last lines, from the 15:55 cycle's totals on (with grep's `--` between, or not)."""
    lines = [*DEMO_LINES[2435:2445], *(["--"] if marker else []), *DEMO_LINES[3029:3041]]
    path = tmp_path / "ticket.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("marker", [True, False], ids=["with --", "without a mark"])
def test_a_cycle_s_start_and_the_totals_of_another_hours_later_decide_nobody(
    tmp_path: Path, marker: bool
) -> None:
    """heidi was taken as received at 09:10 and added (`synced`), and `check --user heidi*`
    passed, where the whole log shows her held back (failed since 11-24, waiting)."""
    path = excerpt(tmp_path, marker)
    assert DEMO_LINES[2444].startswith("Starting user delta sync")
    assert DEMO_LINES[3029].startswith("Total received users to add from SCCM = 0")
    result = runner.invoke(app, ["report", "--all", "--format", "json", path])
    users = [
        (u["upn"], u["state"], u["pending_reason"], u["expected_recovery"])
        for u in json.loads(result.stdout)["users"]
    ]
    # (failed at 09:10:08: due 24 h later, then the next cycle on the schedule of the last
    # one, at the interval observed; an excerpt with a mark's cycles are not in a row, and its
    # interval is the default)
    retried = "2026-11-26T09:14:55.644-08:00" if marker else "2026-11-26T09:15:03.266-08:00"
    assert users == [
        ("bob@contoso.com", "waiting", None, retried),
        # held back since before the excerpt, or in the hours it leaves out: since when (and so
        # until when) it cannot say; without a mark, erin was due "by" 11-26 09:15, before the
        # whole log's 14:35 (her failure at 14:30 is in the lines left out)
        ("erin@contoso.com", "pending", "undetermined", None),
        ("frank@contoso.com", "pending", "awaiting_totals", None),
        ("heidi@contoso.com", "pending", "undetermined", None),
        # (absent from 16:00's cycle: added at 09:10, or held back there and passed over
        # after its timer ran out in the hours left out, which the absence cannot tell apart)
        ("Mallory.Admin@Contoso.com", "pending", "undetermined", None),
    ]
    check = runner.invoke(app, ["check", "--user", "heidi*", path])
    assert check.exit_code == 1


def silent_day(tmp_path: Path, resume: str) -> str:
    """ann fails (UserNotFound) at 09:00:02, due 09:00:02 the next day; a cycle every 5
    minutes to 08:40 that day, then none until `resume`, then cycles for half an hour, none of
    which notifies her."""
    log = Log(bias=300).cycle(
        "2026-03-02 09:00:00", ("ann@contoso.com",), {"ann@contoso.com": "UserNotFound"}
    )
    log.cycles("2026-03-02 09:05:00", "2026-03-03 08:41:00")
    again = datetime.fromisoformat(resume)
    log.cycles(resume, (again + timedelta(minutes=30)).isoformat(sep=" "))
    return log.write(tmp_path / "CloudUserSync.log")  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("resume", "expected"),
    [
        # heard (15 minutes with no cycle: three intervals): the 09:05 cycle was her retry
        ("2026-03-03 08:55:00", ("overdue", None, "2026-03-03T09:05:00-05:00")),
        # not heard from 08:40, but it ends at her due time: the cycle then was her retry
        ("2026-03-03 09:00:02", ("overdue", None, "2026-03-03T09:00:02-05:00")),
        # not heard past her due time: her retry may have come there, unseen
        ("2026-03-03 09:00:02.001", ("pending", "retry_unseen", "2026-03-03T09:00:02.001-05:00")),
        ("2026-03-03 12:00:00", ("pending", "retry_unseen", "2026-03-03T12:00:00-05:00")),
    ],
)
def test_a_retry_due_while_the_connector_was_not_heard_may_be_unseen(
    tmp_path: Path, resume: str, expected: tuple[str, str | None, str]
) -> None:
    """Two pieces of a log pasted together with no mark (or a stall): the lines between may
    hold the retry, and the user it added is not notified after. She was `overdue` (the gate
    failing on a user that recovered); where the connector was silent past her due time, her
    retry may be unseen (pending, which still fails the gate: it may be stuck)."""
    (ann,) = analyze([silent_day(tmp_path, resume)]).users
    assert (ann.state, ann.pending_reason, iso(ann.expected_recovery)) == expected


def unheard_note(start: str, end: str, span: str) -> str:
    """The line stderr says where the connector was not heard from `start` to `end`."""
    return (
        f"logsync: the connector was not heard from {start} to {end} ({span} with no cycle, "
        "then cycles again): lines may be left out there (an excerpt in pieces?), or it "
        "stalled; users whose failure or retry may be there are pending"
    )


def test_where_the_connector_was_not_heard_is_said_on_stderr(tmp_path: Path) -> None:
    path = silent_day(tmp_path, "2026-03-03 12:00:00")
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == unheard_note(
        "2026-03-03T08:40:00-05:00", "2026-03-03T12:00:00-05:00", "3h 20m"
    )
    assert result.stdout.splitlines()[-1].startswith("FAIL: 1 user (1 pending that may be stuck)")
    quiet = runner.invoke(app, ["check", "--quiet", path])
    assert "not heard" not in quiet.stderr


@pytest.mark.parametrize("mark", ["[snip]", "--", "- - -"])
def test_a_silence_where_the_input_marks_lines_left_out_is_said_once(
    tmp_path: Path, mark: str
) -> None:
    """Two pieces of the demo log (lines 1-40, 200-240): without a mark, stderr says that the
    connector was not heard for 2 hours, lines may be left out there or it stalled; with one,
    the excerpt's note says where lines are left out, and the silence is not said again as
    a possible stall."""
    pieces = [*DEMO_LINES[:40], mark, *DEMO_LINES[199:240]]
    marked = tmp_path / "marked.log"
    marked.write_text("\n".join(pieces) + "\n", encoding="utf-8")
    plain = tmp_path / "plain.log"
    plain.write_text("\n".join(p for p in pieces if p != mark) + "\n", encoding="utf-8")
    note = unheard_note("2026-11-24T07:35:04.470-08:00", "2026-11-24T09:35:04.558-08:00", "2h 00m")
    assert runner.invoke(app, ["report", str(plain)]).stderr.splitlines()[0] == note
    stderr = runner.invoke(app, ["report", str(marked)]).stderr.splitlines()
    assert stderr[0] == (
        f"logsync: {marked}: an excerpt that leaves lines out in 1 place (grep's `--`, `...`): "
        "users whose failure or retry may be there are pending; the whole log would tell"
    )
    assert not [line for line in stderr if "not heard" in line]


def _instant(line: str) -> datetime:
    """The time of a line of the demo log (SMS trace), as logged."""
    stamp = line.split("$$<SMS_CLOUD_USERSYNC><")[1][:23]
    return datetime.strptime(stamp, "%m-%d-%Y %H:%M:%S.%f")


def _states(path: Path, now: str | None = None) -> tuple[str, dict[str, str]]:
    args = ["report", "--all", "--format", "json", str(path), *(["--now", now] if now else [])]
    document = json.loads(runner.invoke(app, args).stdout)
    return document["as_of"], {u["upn"]: u["state"] for u in document["users"]}


@pytest.mark.parametrize("marker", [True, False], ids=["with --", "without a mark"])
@pytest.mark.parametrize("seed", range(4))
def test_two_pieces_of_the_demo_log_pasted_together_give_its_answers_or_pending(
    tmp_path: Path, marker: bool, seed: int
) -> None:
    """Two pieces of the demo log, one after the other: each user's state is the whole log's
    as of the pieces' end, or `pending` where the pieces cannot say. Without a mark, where
    the lines left out span more than three intervals (the connector not heard), and with
    grep's `--` at any length. Of 60 such pairs without a mark, 30 gave a state the whole log
    contradicts (`overdue` for users that recovered or wait, `recovered` for one overdue);
    with `--`, 2."""
    import random

    whole = tmp_path / "CloudUserSync.log"
    whole.write_text("\n".join(DEMO_LINES) + "\n", encoding="utf-8")
    rng = random.Random(seed)
    checked = 0
    while checked < 12:
        a, b, c, d = sorted(rng.sample(range(len(DEMO_LINES)), 4))
        if not marker and _instant(DEMO_LINES[c]) - _instant(DEMO_LINES[b - 1]) <= timedelta(minutes=15):
            continue  # (a few cycles left out, the connector heard throughout: nothing tells)
        piece = tmp_path / "ticket.log"
        piece.write_text(
            "\n".join([*DEMO_LINES[a:b], *(["--"] if marker else []), *DEMO_LINES[c:d]]) + "\n",
            encoding="utf-8",
        )
        as_of, found = _states(piece)
        if as_of is None:
            continue  # (no record with a time: refused or empty)
        truth = _states(whole, as_of)[1]
        wrong = {u: (s, truth.get(u)) for u, s in found.items() if s not in ("pending", truth.get(u))}
        assert wrong == {}, (a, b, c, d)
        checked += 1


@pytest.mark.parametrize(
    ("kept", "expected"),
    [
        # a search that kept no failure line: each user first notified after a whole cycle
        (
            ("NotifyAccountAddition", "Total received users to add", "Starting user"),
            {"bob@contoso.com": "pending", "erin@contoso.com": "pending",
             "heidi@contoso.com": "pending", "ivan@contoso.com": "pending"},
        ),
        # every line but bob's one failure (09:10:08 on 11-25)
        (None, {"bob@contoso.com": "pending", "heidi@contoso.com": "waiting",
                "erin@contoso.com": "waiting", "ivan@contoso.com": "overdue"}),
    ],
    ids=["no failure line", "bob's failure line left out"],
)
def test_a_user_first_notified_after_a_whole_cycle_was_not_held_back_since_before_the_log(
    tmp_path: Path, kept: tuple[str, ...] | None, expected: dict[str, str]
) -> None:
    """A user held back is notified in every cycle: one that a whole cycle of the input did not
    notify was not held back since before the input, whatever its later cycles' counts say.
    bob, held back from 11-25 09:10 by a failure the input does not show, was `overdue`, due
    "by" the input's first record plus 24 h (11-25 06:59:55), hours before he first appears;
    without failure lines, erin and heidi too. Since when they are held back the input cannot
    say: `pending`, which fails the gate (it may be stuck)."""
    if kept is None:
        lines = [line for n, line in enumerate(DEMO_LINES, 1) if n != 2441]
        assert DEMO_LINES[2440].startswith("Failed to add user bob@contoso.com")
    else:
        lines = [line for line in DEMO_LINES if line.startswith(kept)]
    path = tmp_path / "CloudUserSync.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = _states(path)[1]
    assert {upn: found[upn] for upn in expected} == expected
    assert runner.invoke(app, ["check", "--user", "bob*", str(path)]).exit_code == 1


def test_a_user_held_back_after_the_first_whole_cycle_is_not_told_held_since_before_the_log(
    tmp_path: Path,
) -> None:
    """Every output says of bob what the search shows: held back by a failure it leaves out,
    not since before the log (which begins on 11-24 at 06:59, a day before he first appears). The
    timeline, the JSON's `failure_before_input` and the note on stderr all said "before"."""
    kept = ("NotifyAccountAddition", "Total received users to add", "Starting user")
    path = tmp_path / "search.log"
    path.write_text("\n".join(x for x in DEMO_LINES if x.startswith(kept)) + "\n", encoding="utf-8")
    timeline = runner.invoke(app, ["timeline", "bob@contoso.com", "--format", "json", str(path)])
    steps = [(s["what"], s["detail"], s["line"]) for s in json.loads(timeline.stdout)["steps"]]
    assert steps[2:5] == [
        ("requested", "NotifyAccountAddition bob@contoso.com", 1495),
        ("held_back", "not received: held back by a failure the input leaves out (the log's "
         "first whole cycle did not name it, so it failed after that)", 1496),
        ("held_back", "notified; held back by a failure the input leaves out", 1499),
    ]
    assert not any("before the log" in detail for _, detail, _ in steps)
    report = runner.invoke(app, ["report", "--format", "json", str(path)])
    users = json.loads(report.stdout)["users"]
    assert [(u["upn"], u["state"], u["failure_before_input"]) for u in users] == [
        ("bob@contoso.com", "pending", False), ("erin@contoso.com", "pending", False),
        ("heidi@contoso.com", "pending", False), ("ivan@contoso.com", "pending", False),
    ]
    assert (
        "logsync: 4 users were notified with no outcome in the log: the counts of their cycles "
        "cannot say whether they were held back by a failure before it or in the lines it leaves "
        "out; the whole log would tell\n"
    ) in report.stderr
    # ivan's failure (line 99) left out, then held back from the first whole cycle on: since
    # before the log, as before
    first = [x for x in DEMO_LINES[99:] if x.startswith(kept)]
    early = tmp_path / "early.log"
    early.write_text("\n".join(first) + "\n", encoding="utf-8")
    ivan = runner.invoke(app, ["timeline", "ivan@contoso.com", "--format", "json", str(early)])
    held = [s["detail"] for s in json.loads(ivan.stdout)["steps"] if s["what"] == "held_back"]
    assert held[:2] == [
        "not received: held back since before the log (its failure is not in the input)",
        "notified; held back since before the log: failure not in the input; held back in 20 "
        "cycles, the last at 2026-11-24T10:05:05.076-08:00",
    ]


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        # ivan, held back, notified in the 11-24 22:10 cycle, whose totals `--` leaves out with
        # 12 hours; the next whole cycle does not notify him: he was `recovered` ("received in
        # the cycle before, and added there"), where the whole log has him passed over, overdue
        (((463, 1409), (2520, 2571)), {"ivan@contoso.com": "pending"}),
        # carol and ivan notified on 11-24 at 09:20, then (no totals, no start) the totals of a
        # cycle a day later: they were judged held back since before the log, overdue
        (((181, 183), (2477, 2517)), {"carol@contoso.com": "pending", "ivan@contoso.com": "pending"}),
    ],
    ids=["a held user absent after a silence", "notified a day before a totals line"],
)
def test_pieces_a_silence_apart_decide_nothing_across_it(
    tmp_path: Path, pieces: tuple[tuple[int, int], ...], expected: dict[str, str]
) -> None:
    lines = [line for start, end in pieces for line in DEMO_LINES[start:end]]
    path = tmp_path / "ticket.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = _states(path)[1]
    assert {upn: found[upn] for upn in expected} == expected


def test_a_user_notified_at_the_instant_of_the_first_whole_cycle_s_totals_is_of_that_cycle(
    tmp_path: Path,
) -> None:
    """Lines of one cycle may share a millisecond: ann, notified at the instant of the first
    whole cycle's totals, was notified in it, and held back since before the log."""
    at = "2026-03-02 09:00:02"
    log = Log(bias=300).at("2026-03-02 09:00:00", "Starting user delta sync, raise failure status messages = True")
    log.at(at, "NotifyAccountAddition - SCCM user to add = ann@contoso.com")
    log.at(at, "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0")
    log.steady(datetime(2026, 3, 2, 9, 5), "ann@contoso.com")
    (ann,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (ann.state, ann.before_input, iso(ann.full_sync_due_by)) == (
        "waiting", True, "2026-03-03T09:00:00-05:00",
    )


def test_a_silence_in_a_log_given_with_an_excerpt_is_said_still(tmp_path: Path) -> None:
    """A log with hours of no cycle, given with a pasted excerpt of a later time: the note is
    of the inputs that are not excerpts too (it was left out only where all of them are)."""
    path = silent_day(tmp_path, "2026-03-03 12:00:00")
    excerpt = tmp_path / "zed.txt"
    excerpt.write_text(
        "3/3/2026 12:40:02 PM  NotifyAccountAddition - SCCM user to add = zed@contoso.com\n"
        "                       Total received users to add from SCCM = 1, Total Successfully "
        "added users to Cloud = 1\n"
    )
    result = runner.invoke(app, ["check", "--source-tz", "-05:00", path, str(excerpt)])
    assert any(
        line.startswith("logsync: the connector was not heard from 2026-03-03T08:40:00-05:00 to ")
        for line in result.stderr.splitlines()
    ), result.stderr
