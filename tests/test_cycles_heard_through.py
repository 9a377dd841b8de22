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
        ("Mallory.Admin@Contoso.com", "synced", None, None),  # (absent from 16:00's cycle)
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


def test_where_the_connector_was_not_heard_is_said_on_stderr(tmp_path: Path) -> None:
    path = silent_day(tmp_path, "2026-03-03 12:00:00")
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "logsync: the connector was not heard from 2026-03-03T08:40:00-05:00 to "
        "2026-03-03T12:00:00-05:00 (3h 20m with no cycle, then cycles again): lines may be left "
        "out there (an excerpt in pieces?), or it stalled; users whose failure or retry may be "
        "there are pending"
    )
    assert result.stdout.splitlines()[-1].startswith("FAIL: 1 user (1 pending that may be stuck)")
    quiet = runner.invoke(app, ["check", "--quiet", path])
    assert "not heard" not in quiet.stderr
