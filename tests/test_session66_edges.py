"""Edges of the rules added since 67a26e6 that no other test pins (found by mutation testing):
the connector's log renamed, a zip member that holds nothing, the change of date that tells a
pasted input's order, remarks after a record's trailer, and more."""

from __future__ import annotations

import json
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats import ParseContext, cuts, paste
from logsync.lognames import folder_logs, is_renamed
from logsync.merge import newest_first
from logsync.sources import InputStats

from .conftest import LOGSYNC, SAMPLES

DEMO = SAMPLES / "CloudUserSync.log"
MARKER = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
FAILING = (
    "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of 2026-11-25T16:04:59.644-08:00; "
    "1 pending user not counted by --fail-on waiting,overdue,failed,connector"
)
runner = CliRunner()


def halves() -> tuple[bytes, bytes]:
    """The demo log as a rotated pair: its first 45 lines and the marker, then the rest."""
    lines = DEMO.read_bytes().splitlines(keepends=True)
    return b"".join(lines[:45]) + MARKER, b"".join(lines[45:])


def demo_lines() -> list[str]:
    return DEMO.read_text(encoding="utf-8-sig").splitlines()


def written(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
    return path


# -- the connector's log renamed (lognames, halves) ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "renamed"),
    [
        ("CloudUserSync.log.100", True),  # (a backup numbered up to three digits)
        ("CloudUserSync.lo_.999", True),
        ("CloudUserSync.log.1000", False),
    ],
)
def test_a_log_numbered_with_up_to_three_digits_is_the_log_renamed(name: str, renamed: bool) -> None:
    assert is_renamed(name) is renamed


def test_a_folder_lists_its_logs_oldest_first_with_their_copies_renamed() -> None:
    """History, the older half's copies (whatever the case of `.LO_`), the `.lo_`, the log's
    copies, the log, then the sibling logs: the order `report`'s `inputs` lists them in."""
    names = [
        "SMSExec.log",
        "CloudUserSync.log",
        "CloudUserSync - Copy.log",
        "CloudUserSync.lo_",
        "CloudUserSync (1).LO_",
        "CloudUserSync-20261124-120000.log",
        "notes.txt",
    ]
    assert folder_logs(names) == [
        "CloudUserSync-20261124-120000.log",
        "CloudUserSync (1).LO_",
        "CloudUserSync.lo_",
        "CloudUserSync - Copy.log",
        "CloudUserSync.log",
        "SMSExec.log",
    ]


def test_a_report_on_a_folder_lists_the_log_s_copy_before_the_log(tmp_path: Path) -> None:
    log = DEMO.read_bytes()
    (tmp_path / "CloudUserSync.log").write_bytes(log)
    (tmp_path / "CloudUserSync - Copy.log").write_bytes(log)
    result = runner.invoke(app, ["report", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [source["path"] for source in json.loads(result.stdout)["inputs"]] == [
        str(tmp_path / "CloudUserSync - Copy.log"),
        str(tmp_path / "CloudUserSync.log"),
    ]


def test_a_half_given_with_a_renamed_log_still_names_the_log_beside_it(tmp_path: Path) -> None:
    """A renamed log among the inputs is one of the folder's files: the `.lo_` given with it
    still names the `CloudUserSync.log` beside it that was not read."""
    older, rest = halves()
    rotated, renamed, newer = (
        tmp_path / "CloudUserSync.lo_", tmp_path / "CloudUserSync (1).log", tmp_path / "CloudUserSync.log"
    )
    rotated.write_bytes(older)
    renamed.write_bytes(rest)
    newer.write_bytes(rest)
    result = runner.invoke(app, ["check", str(rotated), str(renamed)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"logsync: {newer} beside {rotated} holds the log's newer records and was not read; "
        f"`logsync check {tmp_path}` reads both"
    )


def test_a_renamed_log_in_another_folder_of_a_zip_is_not_beside_a_half(tmp_path: Path) -> None:
    archive = tmp_path / "logs.zip"
    log = DEMO.read_bytes()
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("a/CloudUserSync.lo_", log)
        packed.writestr("b/CloudUserSync (1).log", log)
    result = runner.invoke(app, ["check", f"{archive}/a/CloudUserSync.lo_"])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (1, FAILING)
    assert not any("beside" in line for line in result.stderr.splitlines())


# -- a zip member that holds nothing (sources._holds_nothing) ------------------------------------


# -- the change of date that tells a pasted input's order (dayorder) -----------------------------

FAILED = "Failed to add user a@b.c; reason UserNotFound"


def parse(text: str) -> tuple[list[tuple[datetime | None, str | None]], list[str]]:
    stats = InputStats("ticket.txt")
    items = list(paste.parse(iter([text]), ParseContext(stats)))
    return [(getattr(i, "time", None), getattr(i, "problem", None)) for i in items], stats.notes


BOTH_WAYS = (
    "its dates could be month/day or day/month ({}; none of its first dates says which): they are "
    "read month/day/year, as SMS logs write them"
)


def test_a_change_of_date_back_one_way_and_weeks_on_the_other_tells_nothing() -> None:
    """12/01 to 01/02: back eleven months month first, twenty days on day first. Neither is
    records in turn within a day: the order is not told (read month first, and said so)."""
    assert parse(f"12/01/2026 10:00:00  {FAILED}\n01/02/2026 10:00:00  {FAILED}\n") == (
        [(datetime(2026, 12, 1, 10), None), (datetime(2026, 1, 2, 10), None)],
        [BOTH_WAYS.format("12/01/2026")],
    )


def test_a_change_of_date_to_an_unreadable_time_tells_nothing() -> None:
    assert parse(f"01/12/2026 10:00:00  {FAILED}\n02/12/2026 25:00:00  {FAILED}\n") == (
        [(datetime(2026, 1, 12, 10), None), (None, "unreadable date")],
        [BOTH_WAYS.format("01/12/2026")],
    )


# -- text after a record's trailer (remarks) -----------------------------------------------------


def unparsed(path: Path) -> list[tuple[int, str]]:
    result = runner.invoke(app, ["events", "--kind", "unparsed", "--format", "ndjson", str(path)])
    assert result.exit_code == 0, result.output
    return [(event["line"], event["text"]) for event in map(json.loads, result.stdout.splitlines())]


REMARK_NOTE = (
    "1 line holds a remark added to the copy (`<-- this is the user`), "
    "read without it"
)


def test_a_remark_after_a_tab_further_on_is_read_without_it(tmp_path: Path) -> None:
    """Line 2441 (bob's failure), past the lines a copy is told by: a remark after a tab (a
    spreadsheet's column of notes) is taken off as one after spaces is."""
    lines = demo_lines()
    lines[2440] += "\t<-- this is the user"
    path = written(tmp_path / "remarked.log", lines)
    result = runner.invoke(app, ["check", str(path)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (1, FAILING)
    assert result.stderr.splitlines()[0] == f"logsync: {path}: {REMARK_NOTE}"
    assert unparsed(path) == []


def test_text_after_a_trailer_further_on_that_holds_a_trailer_is_no_remark(tmp_path: Path) -> None:
    """Past the lines a copy is told by, with a remark (line 47) among them, and without: text
    after bob's failure that holds `$$<` is the next record run together, not taken off."""
    for remark in (True, False):
        lines = demo_lines()
        if remark:
            lines[46] += "   <-- this is the user"
        lines[2440] += "   see $$<SMS_CLOUD_USERSYNC>"
        path = written(tmp_path / f"odd-{remark}.log", lines)
        assert unparsed(path) == [(2441, lines[2440])]
        result = runner.invoke(app, ["check", str(path)])
        assert result.exit_code == 1
        assert "bob@contoso.com\tpending\t-\toutcome unknown" in result.stdout
        notes = [line for line in result.stderr.splitlines() if "a remark added to the copy" in line]
        assert notes == ([f"logsync: {path}: {REMARK_NOTE}"] if remark else [])


def test_text_after_a_closing_bracket_on_a_line_that_is_no_record_is_kept(tmp_path: Path) -> None:
    """A line that is no record (past the lines a copy is told by) keeps its text after `)>`:
    only a record's trailer has a remark after it."""
    lines = demo_lines()
    lines.insert(2440, "the cause (see the ticket)> it was the license")
    path = written(tmp_path / "noted.log", lines)
    assert unparsed(path) == [(2441, "the cause (see the ticket)> it was the license")]
    result = runner.invoke(app, ["check", str(path)])
    assert not any("a remark added to the copy" in line for line in result.stderr.splitlines())


# -- the log's lines saved as one column of CSV (remarks.records_unquoted) -----------------------


def csv_line(line: str) -> str:
    """A line as a spreadsheet saves one column as CSV: quoted where it holds a comma or a quote."""
    return f'"{line.replace(chr(34), chr(34) * 2)}"' if "," in line or '"' in line else line


def test_a_quote_in_a_line_saved_as_csv_is_read_as_one_quote(tmp_path: Path) -> None:
    """Line 2436, past the lines a copy is told by, holds a quote: the CSV doubles it, and the
    record's text has it once again."""
    lines = demo_lines()
    lines[2435] = lines[2435].replace("messages = True", 'messages = "True"')
    path = written(tmp_path / "saved.csv", [csv_line(line) for line in lines])
    result = runner.invoke(app, ["events", "--format", "ndjson", str(path)])
    assert result.exit_code == 0, result.output
    texts = [event["text"] for event in map(json.loads, result.stdout.splitlines()) if event["line"] == 2436]
    assert texts == ['Starting user delta sync, raise failure status messages = "True"']


def test_a_quoted_line_with_spaces_after_its_quote_is_read(tmp_path: Path) -> None:
    """Bob's cycle totals (line 2443) quoted, then a space: the record, as it was."""
    lines = demo_lines()
    lines[2442] = csv_line(lines[2442]) + " "
    path = written(tmp_path / "saved.csv", lines)
    assert unparsed(path) == []
    result = runner.invoke(app, ["check", str(path)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (1, FAILING)


def test_a_remark_of_forty_characters_is_shown_whole(tmp_path: Path) -> None:
    remark = "<-- this is the user the ticket is about"
    assert len(remark) == 40
    lines = demo_lines()
    lines[46] += "   " + remark
    path = written(tmp_path / "remarked.log", lines)
    result = runner.invoke(app, ["check", str(path)])
    assert result.stderr.splitlines()[0] == (
        f"logsync: {path}: 1 line holds a remark added to the copy (`{remark}`), "
        "read without it"
    )


# -- a date line whose spaces a web page made one (paste._dated, looks_like) ---------------------


def test_a_ticket_of_date_lines_with_one_space_each_is_read(tmp_path: Path) -> None:
    """Every line a date, one space, then a known message: text pasted from the log (detected
    by those lines alone), not "no CloudUserSync records found"."""
    path = tmp_path / "ticket.txt"
    path.write_text(
        "9/14/2014 10:23:54 AM NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
        "9/14/2014 10:23:54 AM Failed to add user scott@contoso.com; reason UserNotFound\n"
        "9/14/2014 10:23:54 AM Total received users to add from SCCM = 1, Total Successfully added "
        "users to Cloud = 0\n"
    )
    result = runner.invoke(app, ["check", str(path)])
    assert (result.exit_code, result.stdout.splitlines()) == (
        1,
        [
            "scott@contoso.com\twaiting\tUserNotFound\texpected recovery by 2014-09-15T10:28:54",
            "FAIL: 1 user (1 waiting), limit 0 as of 2014-09-14T10:23:54",
        ],
    )


# -- an input newest first (merge.newest_first) --------------------------------------------------


@pytest.mark.parametrize("keys", [[7, 7, 7, 7], [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8]])
def test_records_of_one_instant_are_not_newest_first(keys: list[int]) -> None:
    """Lines under one date (an excerpt's) share its time: equal instants are no change."""
    assert newest_first(keys) is False


# -- options before the command (application._options_only) -------------------------------------


def test_a_mistyped_flag_before_an_option_and_its_value_keeps_the_command_s_hint() -> None:
    """`--quite` (for `--quiet`) takes no value where the next word is an option: `--format json`
    is still read as the command's, and the error is the one after the command's name."""
    result = subprocess.run([LOGSYNC, "--quite", "--format", "json", "report", "x.log"], capture_output=True, timeout=60)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr == b"logsync: error: no such option: --quite (Possible options: --quiet, --user)\n"


def test_a_path_before_the_command_is_no_value_of_a_flag() -> None:
    """`--all` takes no value: `logsync --all x.log report` is no run of options before the
    command, and is not run as `logsync report --all x.log`."""
    result = subprocess.run([LOGSYNC, "--all", str(DEMO), "report"], capture_output=True, timeout=60)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr == b"logsync: error: no such option: --all\n"


# -- report where no table fits (human._listed) --------------------------------------------------


def test_a_table_exactly_as_wide_as_the_terminal_is_shown() -> None:
    result = runner.invoke(
        app, ["report", "--all", "--format", "table", "--color", "never", str(DEMO)], env={"COLUMNS": "86"}
    )
    lines = result.stdout.splitlines()
    assert lines[2].startswith("User ") and lines[3].startswith("Reason ")
    assert max(map(len, lines)) == 86
    assert "  waiting · UserNotFound" not in result.stdout


def test_where_no_table_fits_the_connector_s_problem_is_still_said(tmp_path: Path) -> None:
    """The demo log, then the connector stopping: at 50 columns each user is listed on lines of
    its own, and the problem follows them as it follows the table."""
    stopping = "SMS_CLOUD_USERSYNC is stopping...  $$<SMS_CLOUD_USERSYNC><11-25-2026 16:05:10.000+480><thread=5616 (0x15F0)>"
    lines = [*demo_lines(), stopping]
    path = written(tmp_path / "CloudUserSync.log", lines)
    result = runner.invoke(
        app, ["report", "--format", "table", "--color", "never", str(path)], env={"COLUMNS": "50"}
    )
    shown = [line.rstrip() for line in result.stdout.splitlines()]
    assert "  waiting · UserNotFound" in shown
    assert "connector stopped since 2026-11-25T16:05:10-08:00" in shown
    assert shown.index("(connector_stopped)") > shown.index("  waiting · UserNotFound")


# -- summary's per-day table (overview._per_day) -------------------------------------------------


@pytest.mark.parametrize(
    ("width", "rows"),
    [
        (60, ["2026-11-24 │     6 │       548 │     2 │      4 │ ██████████", "2026-11-25 │     6 │       486 │     2 │      3 │ ████████"]),
        (54, ["2026-11-24 │     6 │       548 │     2 │      4 │ ████", "2026-11-25 │     6 │       486 │     2 │      3 │ ███"]),
        (53, ["2026-11-24 │     6 │       548 │     2 │      4", "2026-11-25 │     6 │       486 │     2 │      3"]),
    ],
)
def test_the_per_day_bar_takes_the_room_left_whole(width: int, rows: list[str]) -> None:
    """The bar is as wide as the room the numbers leave (a column of 4 at the least), never cut."""
    result = runner.invoke(app, ["summary", "--format", "table", "--color", "never", str(DEMO)], env={"COLUMNS": str(width)})
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("Day "))
    assert lines[at + 2 : at + 4] == rows
    assert all(len(line) <= width for line in lines)


# -- SMS trace cut off at a width (cuts.trace_cut_off) -------------------------------------------


def cut_check(tmp_path: Path, lines: list[str], width: int) -> tuple[Path, Any]:
    """`check` of the lines cut off at `width`, as a ticket holds them."""
    path = tmp_path / "ticket.txt"
    path.write_text("".join(line[:width] + "\n" for line in lines))
    return path, runner.invoke(app, ["check", str(path)])


def refused_as_cut(path: Path, count: int, width: int) -> str:
    return (
        f"logsync: error: {path}: {count} lines are cut off at {width} columns (their ends lost, "
        "as by `cut -c` or a console's copy); paste them whole\n"
    )


def test_two_sms_trace_lines_cut_off_are_enough_to_tell(tmp_path: Path) -> None:
    """Thirteen lines of the demo log cut at 150 columns: two (cycle totals) lost their ends."""
    lines = demo_lines()[2432:2445]
    assert [number for number, line in enumerate(lines, 1) if len(line) > 150] == [2, 11]
    path, result = cut_check(tmp_path, lines, 150)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == refused_as_cut(path, 2, 150)


def test_one_sms_trace_line_as_wide_as_the_widest_is_not_enough_to_tell(tmp_path: Path) -> None:
    """Eight lines cut at 150 columns: one lost its end (two or more tell a cut): the input is
    read, that line (a cycle's totals, cut in its trailer) at the time of the record before it
    (`formats.cutshort`), so heidi, held back by them, is waiting."""
    path, result = cut_check(tmp_path, demo_lines()[2432:2440], 150)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "FAIL: 2 users (1 waiting, 1 pending that may be stuck), limit 0 as of 2026-11-25T09:10:08.325-08:00"
    assert result.stderr.splitlines()[0] == (
        f"logsync: {path}: line 2 is a record cut short in its trailer (the log copied while it was "
        "written?): read at the time of the record before it"
    )


def test_the_last_line_cut_off_counts_with_the_others(tmp_path: Path) -> None:
    """Eleven lines cut at 150 columns: the second and the last lost their ends."""
    path, result = cut_check(tmp_path, demo_lines()[2432:2443], 150)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == refused_as_cut(path, 2, 150)


def test_a_whole_record_as_wide_as_the_cut_is_not_cut_off(tmp_path: Path) -> None:
    """Cut at 143 columns, the tenth line is whole at 143 (its trailer ends it): two lines lost
    their ends, not three."""
    lines = demo_lines()[2432:2445]
    assert len(lines[9]) == 143
    path, result = cut_check(tmp_path, lines, 143)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == refused_as_cut(path, 2, 143)


# -- trailers whose component and thread a browser took for tags (cuts.tags_taken) ---------------

TAGGED = "Failed to add user bob@contoso.com; reason UserNotFound  $$<11-25-2026 09:10:08.462+480>"


@pytest.mark.parametrize(
    ("lines", "taken"),
    [
        ([TAGGED] * 4 + ["Here is the log:"], True),  # (four in five)
        ([TAGGED] * 3 + ["Here is the log:"] * 2, False),  # (three in five)
        ([TAGGED.replace("+480>", "-060>")] * 5, True),  # (a site east of UTC: its bias negative)
    ],
)
def test_which_texts_lost_their_trailers_tags(lines: list[str], taken: bool) -> None:
    assert cuts.tags_taken("\n".join(lines) + "\n") is taken


# -- an input newest first: what stderr says (notes) ---------------------------------------------


def test_a_log_newest_first_is_no_logs_pasted_together_and_its_remark_is_said_after(tmp_path: Path) -> None:
    lines = demo_lines()[::-1]
    lines[600] += "   <-- this is the user"
    path = written(tmp_path / "export.log", lines)
    result = runner.invoke(app, ["check", str(path)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (1, FAILING)
    assert result.stderr.splitlines()[:2] == [
        f"logsync: {path}: its records are newest first (an export sorted so): they were read in reverse",
        f"logsync: {path}: {REMARK_NOTE}",
    ]
    assert not any("time goes back" in line for line in result.stderr.splitlines())


# -- bugs the mutation run found ----------------------------------------------------------------


@pytest.mark.parametrize("at", [100, 2440])
def test_text_after_a_bracket_on_a_line_that_is_no_record_is_kept_wherever_it_is(
    tmp_path: Path, at: int
) -> None:
    """In the lines a pasted text is told by, a line that is no record lost its text after `)>`
    (`the cause (see the ticket)>`), and stderr called it a remark after a record's trailer."""
    lines = demo_lines()
    lines.insert(at, "the cause (see the ticket)> it was the license")
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
    result = runner.invoke(app, ["events", "--kind", "unparsed", "--format", "ndjson", str(path)])
    (event,) = map(json.loads, result.stdout.splitlines())
    assert (event["line"], event["raw"]) == (at + 1, "the cause (see the ticket)> it was the license")
    assert "trailer" not in result.stderr


@pytest.mark.parametrize(("columns", "table"), [(46, False), (47, True)])
def test_the_per_day_table_is_kept_where_it_fits_exactly(columns: int, table: bool) -> None:
    """Day 10, Tried 5, Held back 9, Added 5, Failed 6 and four ` │ `: 47 columns. The table
    gave way to a line a day up to 49."""
    result = runner.invoke(
        app, ["summary", "--format", "table", "--color", "never", str(DEMO)], env={"COLUMNS": str(columns)}
    )
    lines = result.stdout.splitlines()
    assert ("Day        ┃ Tried ┃ Held back ┃ Added ┃ Failed" in lines) is table
    assert any(line.startswith("2026-11-24  tried 6 · held back 548") for line in lines) is not table


def test_an_input_of_one_blank_line_says_one_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"\r\n\r\n   \r\n")
    one = tmp_path / "one.log"
    one.write_bytes(b"  \n")
    result = runner.invoke(app, ["check", str(path)])
    assert result.stderr == f"logsync: error: {path}: no log records, only 3 blank lines\n"
    result = runner.invoke(app, ["check", str(one)])
    assert result.stderr == f"logsync: error: {one}: no log records, only 1 blank line\n"
