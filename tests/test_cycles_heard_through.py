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
    assert users == [
        # (failed at 09:10:08: due 24 h later, then the next cycle on the default schedule)
        ("bob@contoso.com", "waiting", None, "2026-11-26T09:14:55.644-08:00"),
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
