"""The dates of pasted text.

Dates of numbers that read both ways (`01/12/2026`) are told by the change of date between two
records in turn: records in turn are within a day of each other, in one order only. A British
copy of CMTrace's rows taken on the 1st to the 12th of a month was read month first (SPEC §2:
copied text in any common locale form): every date fell in January or February, two users were
`pending` with recoveries a month late, and `summary` saw a stall of 30 days at midnight.

A date line whose spaces a web page made one is read where a known message follows."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats import ParseContext, paste
from logsync.sources import InputStats

from .conftest import SAMPLES, run_installed

FAILED = "Failed to add user a@b.c; reason UserNotFound"


def parse(text: str) -> tuple[list[datetime | None], list[str]]:
    stats = InputStats("ticket.txt")
    items = list(paste.parse(iter([text]), ParseContext(stats)))
    return [getattr(item, "time", None) for item in items], stats.notes


@pytest.mark.parametrize(
    ("first", "second", "times", "notes"),
    [
        (  # day first: 1 to 2 December across midnight (month first: January 12 to February 12)
            "01/12/2026 23:55:05",
            "02/12/2026 00:00:04",
            [datetime(2026, 12, 1, 23, 55, 5), datetime(2026, 12, 2, 0, 0, 4)],
            ["its dates are read day/month/year, as the change from 01/12/2026 23:55:05 to "
             "02/12/2026 00:00:04 shows"],
        ),
        (  # month first: December 1 to 2 (day first: January 12 to February 12)
            "12/01/2026 23:55:05",
            "12/02/2026 00:00:04",
            [datetime(2026, 12, 1, 23, 55, 5), datetime(2026, 12, 2, 0, 0, 4)],
            [],
        ),
        (  # a day less a millisecond apart, day first
            "01/12/2026 10:00:00.000",
            "02/12/2026 09:59:59.999",
            [datetime(2026, 12, 1, 10), datetime(2026, 12, 2, 9, 59, 59, 999000)],
            ["its dates are read day/month/year, as the change from 01/12/2026 10:00:00.000 to "
             "02/12/2026 09:59:59.999 shows"],
        ),
        (  # a whole day apart: an excerpt that leaves a day out says nothing of the order
            "01/12/2026 10:00:00",
            "02/12/2026 10:00:00",
            [datetime(2026, 1, 12, 10), datetime(2026, 2, 12, 10)],
            ["its dates could be month/day or day/month (01/12/2026; none of its first dates says "
             "which): they are read month/day/year, as SMS logs write them"],
        ),
        (  # back across midnight (threads out of order, or newest first): told as forward
            "02/12/2026 00:00:01",
            "01/12/2026 23:59:59",
            [datetime(2026, 12, 2, 0, 0, 1), datetime(2026, 12, 1, 23, 59, 59)],
            ["its dates are read day/month/year, as the change from 02/12/2026 00:00:01 to "
             "01/12/2026 23:59:59 shows"],
        ),
        (  # a whole day back: nothing told
            "02/12/2026 10:00:00",
            "01/12/2026 10:00:00",
            [datetime(2026, 2, 12, 10), datetime(2026, 1, 12, 10)],
            ["its dates could be month/day or day/month (02/12/2026; none of its first dates says "
             "which): they are read month/day/year, as SMS logs write them"],
        ),
    ],
)
def test_the_change_of_date_between_records_in_turn_tells_the_order(
    first: str, second: str, times: list[datetime], notes: list[str]
) -> None:
    assert parse(f"{first}  {FAILED}\n{second}  {FAILED}\n") == (times, notes)


def test_the_same_date_twice_tells_nothing_and_a_later_change_does() -> None:
    text = "".join(
        f"{stamp}  {FAILED}\n"
        for stamp in ("03/12/2026 23:50:00", "03/12/2026 23:55:00", "04/12/2026 00:00:00")
    )
    assert parse(text) == (
        [datetime(2026, 12, 3, 23, 50), datetime(2026, 12, 3, 23, 55), datetime(2026, 12, 4)],
        ["its dates are read day/month/year, as the change from 03/12/2026 23:55:00 to "
         "04/12/2026 00:00:00 shows"],
    )


def copied(day_first: bool) -> str:
    """The demo log as CMTrace's rows copied on a British (or US) machine, moved to 1 and 2
    December: every date reads both ways."""
    rows = []
    for line in (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines():
        message, trailer = line.split("  $$<", 1)
        component, stamp, thread = trailer.rstrip(">").split("><")
        moment = datetime.strptime(stamp[:23], "%m-%d-%Y %H:%M:%S.%f") + timedelta(days=7)
        date = moment.strftime("%d/%m/%Y" if day_first else "%m/%d/%Y")
        shown = f"{date} {moment.strftime('%H:%M:%S.%f')[:-3]}"
        rows.append("\t".join((message, component, shown, thread.removeprefix("thread="))))
    return "\n".join(rows) + "\n"


def test_a_british_copy_of_the_rows_gives_the_answers_of_the_us_copy(tmp_path: Path) -> None:
    british, us = tmp_path / "british.txt", tmp_path / "us.txt"
    british.write_text(copied(day_first=True))
    us.write_text(copied(day_first=False))
    answers = {}
    for path in (british, us):
        result = CliRunner().invoke(app, ["report", "--all", "--format", "json", str(path)])
        assert result.exit_code == 0, result.output
        answers[path.name] = result.stdout.replace(path.name, "copy")
        assert "2026-12-02T16:04:59.644" in result.stdout
    assert answers["british.txt"] == answers["us.txt"]
    summary = CliRunner().invoke(app, ["summary", "--format", "json", str(british)])
    assert "connector_stalled" not in summary.stdout
    check = CliRunner().invoke(app, ["check", str(british)])
    assert check.stdout.splitlines()[-1].startswith("FAIL: 5 users (3 waiting, 1 overdue, 1 failed)")
    assert check.stderr.splitlines()[0] == (
        f"logsync: {british}: its dates are read day/month/year, as the change from "
        "01/12/2026 23:55:05.703 to 02/12/2026 00:00:04.559 shows"
    )


def test_an_excerpt_whose_spaces_a_web_page_made_one_gives_the_answers_of_the_excerpt(tmp_path: Path) -> None:
    """SPEC §1's excerpt as a ticket's HTML view shows it (a run of spaces is one): its two
    date lines were no record ("2 lines are no record", "the input has no times"), and scott
    was `waiting` where he recovered at 10:24:12 the next day."""
    text = (SAMPLES / "pasted" / "ticket.txt").read_text()
    collapsed = tmp_path / "ticket.txt"
    collapsed.write_text(re.sub(" +", " ", text))
    assert collapsed.read_text().splitlines()[0] == (
        "9/14/2014 10:23:54 AM NotifyAccountAddition - SCCM user to add = scott@contoso.com"
    )
    result = CliRunner().invoke(app, ["report", "--all", "--format", "json", str(collapsed)])
    assert result.exit_code == 0, result.output
    (user,) = json.loads(result.stdout)["users"]
    assert (user["state"], user["recovered_at"], user["first_failure"]) == (
        "recovered", "2014-09-15T10:24:12", "2014-09-14T10:23:54"
    )
    assert "no record" not in result.stderr


@pytest.mark.parametrize(
    ("line", "dated"),
    [
        ("9/14/2014 10:23:54 AM NotifyAccountAddition - SCCM user to add = a@b.c", True),
        ("9/14/2014 10:23:54 AM Failed to add user a@b.c; reason UserNotFound", True),
        ("9/14/2014 10:23:54 AM we restarted SMS Executive", False),  # (a sentence)
        ("9/14/2014 10:23:54 AM  we restarted SMS Executive", True),  # (two spaces: a date line)
        # (a message whose first words alone do not tell it: `User` may be any word)
        ("2026-11-01 12:55:09.822 UserDeltaSync:- Users Added = 0, Users Removed = 0", True),
        ("2026-11-01 12:55:09.822 UserFullSync:- Users Added = 0, Users Removed = 0", True),
        ("2026-11-01 12:55:09.822 User Bob was added by hand", False),
    ],
)
def test_a_date_then_one_space_begins_a_date_line_before_a_known_message_only(line: str, dated: bool) -> None:
    assert (paste._dated(line)[1] is not None) is dated


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_date_then_one_space_before_a_sync_s_summary(tmp_path: Path, pure: str) -> None:
    """Its record, not a line of the record before: `summary` counts the cycle's adds."""
    path = tmp_path / "ticket.txt"
    path.write_text(
        "2026-11-01 12:55:04.100 Starting user delta sync, raise failure status messages = True\n"
        "2026-11-01 12:55:09.685 Total received users to add from SCCM = 0, Total Successfully "
        "added users to Cloud = 0\n"
        "2026-11-01 12:55:09.822 UserDeltaSync:- Users Added = 0, Users Removed = 0\n",
        encoding="utf-8",
    )
    result = run_installed("events", "--format", "ndjson", str(path), LOGSYNC_PURE=pure)
    kinds = [(event["kind"], event["time"]) for event in map(json.loads, result.stdout.splitlines())]
    assert kinds == [
        ("sync_started", "2026-11-01T12:55:04.100"),
        ("add_totals", "2026-11-01T12:55:09.685"),
        ("sync_summary", "2026-11-01T12:55:09.822"),
    ]


def test_a_date_alone_above_a_blank_line_dates_no_message_at_the_margin_below(
    tmp_path: Path,
) -> None:
    """A date typed above message lines with no time, a blank line between (`11/24/2026 9:15
    AM`, then the log's lines): every line was dated 09:15, so 376 of 400 records were "pasted
    twice" and dropped (3 cycles of 55), and erin failed "at 09:15". The lines a time dates
    are indented under it, with no blank line between: these are lines with no time."""
    from .test_pasted_narrow import UNTIMED

    runner = CliRunner()
    clean = tmp_path / "clean.txt"
    clean.write_text(UNTIMED)
    dated = tmp_path / "ticket.txt"
    dated.write_text("11/24/2026 9:15 AM\n\n" + UNTIMED)
    expected = runner.invoke(app, ["report", "--all", "--format", "json", str(clean)])
    result = runner.invoke(app, ["report", "--all", "--format", "json", str(dated)])
    document, clean_document = json.loads(result.stdout), json.loads(expected.stdout)
    assert document["users"] == clean_document["users"]
    assert document["summary"] == clean_document["summary"]
    assert clean_document["summary"]["cycles"] == 55
    assert "pasted twice" not in result.stderr
    # (with no blank line, a known message at the margin is under the date, as before)
    joined = tmp_path / "joined.txt"
    joined.write_text("11/24/2026 9:15 AM  Failed to add user ann@contoso.com; reason UserNotFound\n"
                      "NotifyAccountAddition - SCCM user to add = bob@contoso.com\n")
    listed = runner.invoke(app, ["events", "--format", "csv", str(joined)]).stdout.splitlines()
    assert [row.split(",")[1] for row in listed[1:]] == ["2026-11-24T09:15:00"] * 2


def test_an_excerpt_double_spaced_at_the_margin_keeps_its_times(tmp_path: Path) -> None:
    """SPEC §1's excerpt as a mail client that makes each line a paragraph leaves it: a blank
    line after every line, the indentation gone. A line under a dated line that holds a
    message is dated by it, blank line or not (a date alone above a blank line is not)."""
    ticket = (Path(__file__).parent.parent / "sample_logs" / "pasted" / "ticket.txt").read_text()
    spaced = tmp_path / "ticket.txt"
    spaced.write_text("".join(line.strip() + "\n\n" for line in ticket.splitlines()))
    result = CliRunner().invoke(app, ["report", "--all", "--format", "json", str(spaced)])
    assert result.exit_code == 0, result.stderr
    [user] = json.loads(result.stdout)["users"]
    assert (user["upn"], user["state"], user["first_failure"], user["recovered_at"]) == (
        "scott@contoso.com", "recovered", "2014-09-14T10:23:54", "2014-09-15T10:24:12"
    )
