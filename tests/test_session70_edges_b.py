"""Edges of the rules added most recently that no other test pinned (found by a second mutation
run of them): a pasted time's UTC offset as ISO 8601 writes it, right after the time, with or
without its colon (`paste._CLOCK`); date lines set off in other ways, or not read
(`paste._DECORATED_RE`, `paste._DATE_LIKE_RE`); a message a ticket quotes above a whole log
across the night its clock is set forward (`InputStats.chosen`); offsets that change once
within an overlap (`sites._offset_changes`); times with no offset that go back twice within
an hour (`sites._no_clock_change`)."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.errors import UsageError
from logsync.events import classify
from logsync.formats.paste import _dated
from logsync.merge import RunSpan
from logsync.sites import one_connector
from logsync.sources import InputStats
from logsync.tracker.model import ZoneTable

from .conftest import LOGSYNC, SAMPLES, env_without_color, run_installed
from .logtext import Log
from .test_daylight_saving import across_spring_forward, without_offsets
from .test_health import summarize
from .test_pasted_offsets import shipped
from .test_pasted_offsets import users as shipped_users
from .test_quoted_above_log import QUOTE
from .test_set_off_dates import CYCLE, PLAIN, erin, write
from .test_sites import _across_the_fall_back
from .test_watch import Reader

runner = CliRunner()

# -- a pasted time's UTC offset (paste._CLOCK) ---------------------------------------------------


def test_lines_after_a_time_with_an_offset_without_its_colon_are_read_at_their_instants(
    tmp_path: Path,
) -> None:
    """`-0800` (ISO 8601's basic form, as `date +%z` writes it) is the offset `-08:00` is."""
    extended, basic = tmp_path / "extended.txt", tmp_path / "basic.txt"
    extended.write_text(shipped("offset"), encoding="utf-8")
    basic.write_text(shipped("offset").replace("-08:00 ", "-0800 "), encoding="utf-8")
    assert "-0800 " in basic.read_text(encoding="utf-8")
    found = shipped_users(basic)
    assert found == shipped_users(extended)
    assert found[2][:4] == (
        "erin@contoso.com",
        "waiting",
        "2026-11-25T14:30:09.041-08:00",
        "2026-11-26T14:30:09.041-08:00",
    )


# -- a date line set off (paste._DECORATED_RE) ---------------------------------------------------


def test_a_date_line_in_a_code_span_of_two_backticks_dates_the_lines_under_it(
    tmp_path: Path,
) -> None:
    assert erin(write(tmp_path, f"``{PLAIN}``")) == (
        "erin@contoso.com",
        "waiting",
        "2026-11-25T14:30:04",
        "2026-11-26T14:30:04",
        "2026-11-26T14:35:04",
    )


@pytest.mark.parametrize(
    "line",
    [
        f"###{PLAIN}",  # (no heading: Markdown's `#` is one with a space after it)
        "2026-11-25 14:30:04.",  # (a sentence's stop: only a colon sets a date line off)
    ],
)
def test_a_line_set_off_otherwise_is_no_date_line(line: str) -> None:
    assert _dated(line) == (None, None)


# -- a message a ticket quotes above a whole log (InputStats.chosen) -----------------------------


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_log_quoted_under_a_message_across_the_night_its_clock_is_set_forward_is_refused(
    tmp_path: Path, pure: str
) -> None:
    """The log's own lines, with no offset, across 02:00 to 03:00 that the Pacific clock skips:
    a run of the log's lines (the message quoted above them no line someone chose among them),
    so the hour its cycles jump is a daylight-saving change, refused as in the log alone."""
    log = without_offsets(across_spring_forward(), "sms")
    path = tmp_path / "ticket.txt"
    path.write_text(f"Hi team, we see this error:\n\n{QUOTE}\nFull log below:\n\n{log}", "utf-8")
    result = run_installed("report", str(path), LOGSYNC_PURE=pure)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode().splitlines()[-1] == (
        f"logsync: error: {path}: its cycles go on at 2027-03-14 03:00:04 (line 1,778) after "
        "01:55:04, an hour past their schedule with no restart: the hour a daylight-saving "
        "change skips, which times without a UTC offset cannot place; give --source-tz ZONE "
        "(the site's zone, for example --source-tz America/New_York) to read them"
    )


# -- offsets while two runs overlap (sites._offset_changes) --------------------------------------

_EAST, _WEST = timezone(timedelta(hours=1)), timezone(timedelta(hours=-8))


def test_the_zone_a_window_begins_in_is_no_change_of_offset() -> None:
    """Two runs from the input's first record (1000 s): the zone it begins in, then one change
    (daylight saving) within the overlap, is one change, not two."""
    stats = InputStats("all.log")
    stats.format = "sms-trace"
    runs = {"all.log": [RunSpan(1000.0, 7200.0, 1), RunSpan(1000.0, 9000.0, 50)]}
    table = ZoneTable([1000 * 1_000_000, 2000 * 1_000_000], [_WEST, _EAST])
    one_connector([stats], 0, runs, table)
    assert stats.notes == [
        "its lines from 1 and from 50 overlap for 1h 43m and share no record: if they are "
        "two connectors' logs (two sites?) pasted together, the answers mix them; give one "
        "site's log at a time"
    ]
    twice = ZoneTable([1000 * 1_000_000, 2000 * 1_000_000, 3000 * 1_000_000], [_WEST, _EAST, _WEST])
    with pytest.raises(UsageError, match="their UTC offsets alternate"):
        one_connector([stats], 0, runs, twice)


# -- times with no offset that go back twice within an hour (sites._no_clock_change) -------------


def test_times_without_an_offset_that_go_back_twice_within_the_hour_are_said_to_be_pieces(
    tmp_path: Path,
) -> None:
    """Three pieces of 01:00 to 01:45 (each at other milliseconds, each ending later than the
    one before): no one clock goes back twice; the refusal counts the times and says what
    else the input may be, not a daylight-saving change alone."""
    first = _across_the_fall_back("2026-11-01 05:00", "2026-11-01 05:40")
    second = re.sub(
        r"\.\d{3}>", ".900>", _across_the_fall_back("2026-11-01 05:10", "2026-11-01 05:45")
    )
    third = re.sub(
        r"\.\d{3}>", ".950>", _across_the_fall_back("2026-11-01 05:20", "2026-11-01 05:50")
    )
    path = tmp_path / "CloudUserSync.log"
    path.write_text(first + second + third, encoding="utf-8")
    result = runner.invoke(app, ["summary", "--format", "json", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"logsync: error: {path}: its times go back 2 times, by 29m at line 19, within "
        "2026-11-01 01:00 to 01:59, and go on: rows sorted by another column, or pieces pasted "
        "together, where the hour a daylight-saving change repeats cannot be told apart without "
        "a UTC offset; give --source-tz ZONE (the site's zone, for example --source-tz "
        "America/New_York) to read them\n"
    )
    placed = runner.invoke(
        app, ["summary", "--format", "json", "--source-tz", "UTC", str(path)]
    )
    assert placed.exit_code == 0, placed.stderr
    assert "its 3 runs are merged by time" in placed.stderr


# -- messages held with no time (paste._untimed's `unread`) ---------------------------------------

HEAD = "11/24/2026 2:00:04 PM\n" + CYCLE
ERIN = "    Failed to add user erin@contoso.com; reason UserNotFound\n"
DEMO_LINE = next(
    line
    for line in (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines()
    if "<11-25-2026 16:00:05" in line
)


def _refusal(tmp_path: Path, text: str) -> str:
    path = tmp_path / "ticket.md"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    return result.stderr.splitlines()[-1].replace(f"{path}: ", "")


@pytest.mark.parametrize("after", ["", f"{DEMO_LINE}\n"], ids=["at the end", "a line of the log"])
def test_a_message_under_a_date_not_read_is_refused_where_no_date_line_follows(
    tmp_path: Path, after: str
) -> None:
    """The excerpt ends under the date not read, or the log's own line (with its time) follows:
    the message is refused as one under that date, as where a date line follows."""
    assert _refusal(tmp_path, f"{HEAD}{PLAIN} PST\n{ERIN}{after}") == (
        "logsync: error: line 6 is a message of the connector under line 5, which begins with a "
        "date or time that is not read as a date line: when it was logged is unknown, so nothing "
        "can be judged with it; give that date and time alone on its line (as "
        "`11/25/2026 2:30:04 PM`)"
    )


def test_a_message_held_above_a_date_not_read_is_not_said_to_be_under_it(tmp_path: Path) -> None:
    """A known message at the margin after a reply's words (line 7), then a date not read (line
    8): the message is above that date, refused as one with no time, not as one under it."""
    text = f"{HEAD}\nThanks,\n{ERIN.strip()}\n{PLAIN} PST\n{ERIN}11/25/2026 3:00:04 PM\n{CYCLE}"
    assert _refusal(tmp_path, text) == (
        "logsync: error: line 7 is a message of the connector with no time, after lines with "
        "times: when it was logged is unknown, so nothing can be judged with it; give it with its "
        "time (its line of the log), or the lines with no time apart"
    )


# -- a highlighted message (decoration._EMPHASIS_RE) ---------------------------------------------


def test_a_message_in_bold_with_words_after_its_marks_is_no_highlighted_message() -> None:
    failed = "Failed to add user bob@contoso.com; reason UserNotFound"
    assert classify(f"**{failed}** see above", highlighted=True) == ("message", None)
    assert classify(f"**{failed}**  \n", highlighted=True)[0] == "user_add_failed"


# -- a day's failed adds (health.collector: totals clamped at zero) ------------------------------


def test_a_cycle_that_added_more_than_it_received_takes_no_failed_add_from_its_day(
    tmp_path: Path,
) -> None:
    """Cycle totals that add one user more than they received (0 received, 1 added) count no
    failed add: they take none from the 2 another cycle of the day counts."""
    log = Log(bias=480)
    log.cycle("2026-11-25 10:00:04", ("bob@contoso.com", "eve@contoso.com"), added=0)
    log.cycle("2026-11-25 10:05:04", added=1)
    log.cycle("2026-11-25 10:10:04")
    summary = summarize(log.write(tmp_path / "CloudUserSync.log"))
    assert [(day, c.failed, c.added) for day, c in summary.per_day.items()] == [
        ("2026-11-25", 2, 1)
    ]


def test_watch_s_table_piped_is_written_at_start_though_the_log_holds_no_user(
    tmp_path: Path,
) -> None:
    """Piped, the view is written whole at start even where nothing has changed yet (a quiet
    log: no user, no change to write)."""
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    live = tmp_path / "CloudUserSync.log"
    live.write_text(Log(bias=0).cycle(now - timedelta(seconds=60)).text())
    process = subprocess.Popen(
        [LOGSYNC, "watch", str(live), "--format", "table", "--poll", "0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env_without_color(), "COLUMNS": "120"},
    )
    reader = Reader(process)
    try:
        first = reader.lines.get(timeout=20).decode()
        assert first.startswith(f"Watching {live} · last cycle ")
    finally:
        process.terminate()
        process.communicate(timeout=20)
