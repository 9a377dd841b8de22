"""An excerpt's date line that a ticket set off (`**11/25/2026 2:30:04 PM**`, `### …`, `[…]`,
a colon after it) is its date line: the messages under it are of its time. Before, such a line
was read as a message, and the lines under it took the time of the date line above it, a day
earlier: erin failed 2026-11-24T14:00:04, her timer ran out a day early, and with `--now` 45
minutes after the excerpt she was `overdue` (truly waiting 23 h more). A line that begins with
a date or a time that is not read as a date line (`… PM PST`, the time alone) dates the lines
under it as no line above can: a message of the connector there is refused, not misdated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats.paste import _DATE_LIKE_RE, _dated

runner = CliRunner()

CYCLE = (
    "    Starting user delta sync, raise failure status messages = True\n"
    "    Total received users from SCCM to be removed from cloud = 0\n"
    "    Successfully removed users from cloud 0\n"
)
EXCERPT = (
    "11/24/2026 2:00:04 PM\n"
    + CYCLE
    + "    NotifyAccountAddition - SCCM user to add = bob@contoso.com\n"
    "    Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1\n"
    "    UserDeltaSync:- Users Added = 1, Users Removed = 0\n"
    "{date}\n"
    + CYCLE
    + "    NotifyAccountAddition - SCCM user to add = erin@contoso.com\n"
    "    Failed to add user erin@contoso.com; reason UserNotFound\n"
    "    Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0\n"
    "    UserDeltaSync:- Users Added = 0, Users Removed = 0\n"
    "11/25/2026 3:00:04 PM\n"
    + CYCLE
    + "    NotifyAccountAddition - SCCM user to add = erin@contoso.com\n"
    "    Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0\n"
    "    UserDeltaSync:- Users Added = 0, Users Removed = 0\n"
)
"""Two days of a connector's excerpt under date lines; `{date}` is the failure's."""
PLAIN = "11/25/2026 2:30:04 PM"
SET_OFF = [
    f"**{PLAIN}**",
    f"__{PLAIN}__",
    f"`{PLAIN}`",
    f"*{PLAIN}*",
    f"[{PLAIN}]",
    f"({PLAIN})",
    f"### {PLAIN}",
    f"# **{PLAIN}**",
    f"{PLAIN}:",
    f"  **{PLAIN}** : ",
]
NOT_READ = [
    f"{PLAIN} PST",
    "2:30:04 PM",
    "[2:30:04 PM]",
    f"{PLAIN} (UTC-08:00)",
    "14:30",
    "Nov 25 2:30:04 PM",  # (no year)
    "Wed Nov 25 2:30:04 PM",
    "11/25 2:30 PM",
    "25-Nov 14:30:04",
    f"{PLAIN} -08:00",  # (an offset apart from its time: ISO 8601 writes it right after)
    "11/25/2026 2:30-3:45",  # (a range of times: no offset of one digit's hour)
    "(2:30:04 PM)",  # (a time alone, in brackets)
]


def write(tmp_path: Path, date: str) -> str:
    path = tmp_path / "ticket.md"
    path.write_text(EXCERPT.replace("{date}", date), encoding="utf-8")
    return str(path)


def erin(path: str, *options: str) -> tuple[object, ...]:
    result = runner.invoke(app, ["report", "--format", "json", *options, path])
    assert result.exit_code == 0, result.stderr
    [user] = json.loads(result.stdout)["users"]
    return tuple(
        user[k]
        for k in ("upn", "state", "first_failure", "full_sync_due", "expected_recovery")
    )


@pytest.mark.parametrize("date", SET_OFF)
def test_a_date_line_set_off_dates_the_lines_under_it(tmp_path: Path, date: str) -> None:
    assert erin(write(tmp_path, date)) == erin(write(tmp_path, PLAIN)) == (
        "erin@contoso.com",
        "waiting",
        "2026-11-25T14:30:04",
        "2026-11-26T14:30:04",
        "2026-11-26T14:35:04",
    )
    assert erin(write(tmp_path, date), "--now", "2026-11-25T15:45:00")[1] == "waiting"


@pytest.mark.parametrize("date", NOT_READ)
def test_messages_under_a_date_line_not_read_are_refused_not_misdated(
    tmp_path: Path, date: str
) -> None:
    path = write(tmp_path, date)
    result = runner.invoke(app, ["check", path])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        f"logsync: error: {path}: line 9 is a message of the connector under line 8, which "
        "begins with a date or time that is not read as a date line: when it was logged is "
        "unknown, so nothing can be judged with it; give that date and time alone on its "
        "line (as `11/25/2026 2:30:04 PM`)"
    )


def test_a_reply_s_line_that_begins_with_a_time_dates_nothing_it_does_not_hold(
    tmp_path: Path,
) -> None:
    """Words after the excerpt that begin with a time, and no message under them: no record."""
    path = tmp_path / "ticket.txt"
    text = EXCERPT.replace("{date}", PLAIN) + "\n2:45 PM we restarted the service\nThanks\n"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["report", "--format", "json", str(path)])
    assert result.exit_code == 0, result.stderr
    [given] = json.loads(result.stdout)["inputs"]
    assert (given["records"], given["unparsed"]) == (19, 2)


@pytest.mark.parametrize(
    ("line", "date_like"),
    [
        ("2:30 PM", True),
        ("**2:30", True),
        ("> 11/25/2026 nothing", True),
        ("12:345 widgets", False),  # (no time: a third digit)
        ("1:5 pm", False),
        ("Certificate expires 11/25/2026 2:30 PM", False),  # (words first)
        ("11/25 2:30 PM", True),  # (a date with no year: not read, still a date)
        ("Nov 25 2:30:04 PM", True),
        ("Wednesday, Nov 25", True),
        ("25 Nov", True),
        ("Nov 2026 report", False),  # (a month and a year, no day)
        ("11/250 widgets", False),
        ("11/25/", False),
    ],
)
def test_a_line_is_date_like_where_it_begins_with_a_date_or_a_time(
    line: str, date_like: bool
) -> None:
    assert bool(_DATE_LIKE_RE.match(line)) is date_like


@pytest.mark.parametrize(
    "line",
    [f"**{PLAIN} Failed", f"{PLAIN}::", f"#### #{PLAIN}", f"*{PLAIN}* Thanks", f"####### {PLAIN}"],
)
def test_a_set_off_date_line_holds_the_date_alone(line: str) -> None:
    assert _dated(line) == (None, None)


def test_an_excerpt_whose_date_lines_are_all_not_read_is_read_in_order_and_says_why(
    tmp_path: Path,
) -> None:
    """Every date line with no year: no time is read, the records are read in order (as the
    blog post's quotes), and stderr names the first date line not read."""
    text = EXCERPT.replace("{date}", "Nov 25 2:30:04 PM")
    text = text.replace("11/24/2026 2:00:04 PM", "Nov 24 2:00:04 PM")
    text = text.replace("11/25/2026 3:00:04 PM", "Nov 25 3:00:04 PM")
    path = tmp_path / "ticket.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "erin@contoso.com\twaiting\tUserNotFound\texpected recovery unknown: the input has no "
        "times"
    )
    assert result.stderr.splitlines()[0] == (
        f"logsync: {path}: line 1 begins with a date or time that is not read as a date line "
        "('Nov 24 2:00:04 PM'): give dates as `11/25/2026 2:30:04 PM`"
    )
