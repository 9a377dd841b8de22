"""Edges of the rules added most recently that no other test pinned (found by a mutation run):
remarks after a record's trailer (SMS trace and CMTrace), the log saved as CSV, the search
tools' exports, newest first, and more."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.exports import is_raw_export, raw_text
from logsync.formats import ParseContext, cuts, paste, remarks, sms, wholes
from logsync.formats.dayorder import stamp_time
from logsync.sampling import PEEK
from logsync.sources import InputStats
from logsync.times import FIRST_YEAR, LAST_YEAR

from .conftest import SAMPLES

DEMO = SAMPLES / "CloudUserSync.log"
FAILING = (
    "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of 2026-11-25T16:04:59.644-08:00; "
    "1 pending user not counted by --fail-on waiting,overdue,failed,connector"
)
runner = CliRunner()


def demo_lines() -> list[str]:
    return DEMO.read_text(encoding="utf-8-sig").splitlines()


def cmtrace_lines() -> list[str]:
    return (SAMPLES / "cmtrace" / "CloudUserSync.log").read_text(encoding="utf-16").splitlines()


def written(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
    return path


# -- text after a record's trailer (remarks) -----------------------------------------------------

REMOVED = demo_lines()[4]  # (`Successfully removed users from cloud 0  $$<…>`)
REDACTED = (
    "NotifyAccountAddition - SCCM user to add = <UPN of User Account (redacted)>  "
    "$$<SMS_CLOUD_USERSYNC><11-24-2026 07:00:04.600+480><thread=5616 (0x15F0)>"
)
"""A record whose message ends with `)>` (a redaction that notes why) before its trailer."""


@pytest.mark.parametrize("after", ["   ", "\t", "<-- this is the user", "(edited)"])
def test_blanks_alone_or_text_with_no_blank_before_it_after_a_trailer_are_no_remark(after: str) -> None:
    """A remark is text after blanks: blanks alone are none, nor text glued to the `)>`."""
    stats = InputStats("")
    assert remarks.unremarked(REMOVED + after, sms.looks_like, stats) == REMOVED + after
    assert (stats.remarked, stats.remark) == (0, "")


def test_a_remark_after_a_record_whose_message_ends_with_a_bracket_is_taken_off() -> None:
    """The remark is after the line's last `)>`, the trailer's, not after the message's."""
    stats = InputStats("")
    assert remarks.unremarked(REDACTED + "   <-- this is the user", sms.looks_like, stats) == REDACTED
    assert (stats.remarked, stats.remark) == (1, "<-- this is the user")


def test_a_message_that_ends_with_a_bracket_before_its_trailer_is_no_reflow() -> None:
    """`)>  $$<…>` is a message's end, then its trailer: no text after a trailer."""
    lines = demo_lines()
    assert not wholes.run_together([lines[3], REDACTED, REMOVED + "   <-- this is the user", lines[5]])


def test_records_run_together_in_the_first_lines_are_refused_not_taken_for_a_remark(tmp_path: Path) -> None:
    """Text after a trailer that begins a record is the next record a reflow joined to it:
    the input is refused, not read without it as if it were a remark."""
    lines = demo_lines()
    lines[5] += "  NotifyAccountAddition - SCCM user to add = carol@contoso.com"
    path = written(tmp_path / "joined.log", lines)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"logsync: error: {path}: SMS-trace records run together by a reflow (`fmt`, a mail "
        "client that joins lines: `...)> Failed to add user ...`)"
    )


def test_equal_remarks_on_the_widest_first_lines_are_no_width_the_lines_were_cut_at(tmp_path: Path) -> None:
    """Lines 6 and 11, the widest of the first lines, with one remark each: two lines as wide
    as the text that begin records, as a text cut off at a width has; taken off first, the
    remark is no record cut off (its note showed the mark of a cut: `<-- this\ufdd0`)."""
    lines = demo_lines()
    assert len(lines[5]) == len(lines[10]) == max(map(len, lines[:40]))
    lines[5] += "   <-- this"
    lines[10] += "   <-- this"
    path = written(tmp_path / "remarked.log", lines)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"logsync: {path}: 2 lines hold a remark added to the copy (`<-- this`), read without "
        "it"
    )


CMTRACE_FAILED = cmtrace_lines()[2]  # (scott's failure)


@pytest.mark.parametrize(
    "after",
    [
        "(edited)",  # (glued to the record's `>`)
        "  " + cmtrace_lines()[3],  # (the next record, run together with it)
    ],
)
def test_what_is_no_remark_after_a_cmtrace_record(after: str) -> None:
    stats = InputStats("")
    assert remarks.cmtrace_unremarked(CMTRACE_FAILED + after, stats) == CMTRACE_FAILED + after
    assert stats.remarked == 0


def test_a_cmtrace_remark_that_quotes_a_name_is_taken_off_whole() -> None:
    """The remark begins after the record's own `">`, not after a `">` in the remark."""
    stats = InputStats("")
    line = CMTRACE_FAILED + '   <-- "scott"> is the user'
    assert remarks.cmtrace_unremarked(line, stats).rstrip() == CMTRACE_FAILED
    assert (stats.remarked, stats.remark) == (1, '<-- "scott"> is the user')


def test_a_record_quoted_in_a_column_after_another_is_left_as_it_is() -> None:
    """Only a line that is one quoted field (a one-column CSV) is a record quoted: a second
    column's quotes (`2026-11-24,"…"`) are not taken off, leaving the date before the record."""
    totals = demo_lines()[5]  # (it holds a comma: quoted)
    line = f'2026-11-24,"{totals}"'
    text = f'\n"{totals}"\n{line}\n'
    assert remarks.records_unquoted(text, sms.looks_like) == f"\n{totals}\n{line}\n"


# -- a search tool's CSV export (exports) --------------------------------------------------------


def test_a_log_analytics_header_with_many_columns_before_raw_data_is_an_export() -> None:
    header = (
        b'\xef\xbb\xbf"TimeGenerated [UTC]",Computer,"_ResourceId",SourceSystem,FilePath,'
        b"Type,RawData\r\n"
    )
    assert len(header) > 64
    assert is_raw_export(header + b'"11/25/2026, 5:10:08.462 PM",SCCM01,,OpsManager,x,Log,y\r\n')


def test_an_export_s_rows_are_its_lines_its_blank_rows_none_and_cp1252_read_as_such() -> None:
    """A blank row (the export's last line) is a blank line, as its header is (each row keeps
    its line's number); text that is no UTF-8 is cp1252."""
    failed = demo_lines()[2440].replace("bob@", "bob.m\xfcller@")
    data = f'_raw,_time\r\n"{failed}",2026-11-25T09:10:08.462-08:00\r\n\r\n'.encode("cp1252")
    assert raw_text([data], "export.csv") == f"\n{failed}\n\n".encode()


# -- an input newest first (merge.newest_first, sampling) ----------------------------------------


def test_a_log_newest_first_with_a_line_that_is_no_record_gives_the_log_s_answers(tmp_path: Path) -> None:
    """A line with no time among records newest first is left out of the order they are told
    by (it stays with the record before it)."""
    lines = demo_lines()[::-1]
    lines.insert(1500, "#### junk line ####")
    path = written(tmp_path / "newest-first.log", lines)
    result = runner.invoke(app, ["check", str(path)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (1, FAILING)
    assert result.stderr.splitlines()[:2] == [
        f"logsync: {path}: its records are newest first (an export sorted so): they were read in reverse",
        f"logsync: {path}: 1 line is no record and not judged (logsync events --kind unparsed lists them)",
    ]


def test_a_log_newest_first_of_exactly_twice_the_bytes_peeked_is_told_from_every_record(tmp_path: Path) -> None:
    """A file of 2 × `PEEK` bytes is small enough to be read whole: every record tells it is
    newest first (its first and last alone, the samples of it, cannot), and it is read in
    reverse, not as 138 runs of logs pasted together."""
    newest, size = demo_lines()[::-1], 2 * PEEK
    lines: list[str] = []
    for line in newest:
        if len("\r\n".join([*lines, line]).encode()) + 3 + 2 > size - 200:
            break
        lines.append(line)
    pad = size - len(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
    lines[1] = lines[1].replace("  $$<", " " * (pad + 2) + "$$<", 1)  # (a wider separator)
    path = written(tmp_path / "newest-first.log", lines)
    assert path.stat().st_size == size
    result = runner.invoke(app, ["check", str(path)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (1, (
        "FAIL: 4 users (3 waiting, 1 overdue), limit 0 as of 2026-11-25T16:04:59.644-08:00; 1 "
        "pending user not counted by --fail-on waiting,overdue,failed,connector"
    ))
    assert result.stderr.splitlines()[0] == (
        f"logsync: {path}: its records are newest first (an export sorted so): they were read in reverse"
    )


# -- the dates of pasted text (dayorder) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("stamp", "year"),
    [("01/02/0002 10:00:00", 2), ("01/02/0001 10:00:00", None), ("12/31/9998 10:00:00", 9998), ("01/01/9999 10:00:00", None)],
)
def test_a_pasted_stamp_is_read_in_the_years_logsync_reads_and_no_other(stamp: str, year: int | None) -> None:
    assert (FIRST_YEAR, LAST_YEAR) == (2, 9998)
    if year is None:
        with pytest.raises(ValueError, match=r"date out of range \(years 2 to 9998\)"):
            stamp_time(stamp)
    else:
        assert stamp_time(stamp).year == year


def pasted(text: str) -> tuple[list[datetime | None], list[str]]:
    stats = InputStats("ticket.txt")
    items = list(paste.parse(iter([text]), ParseContext(stats)))
    return [getattr(item, "time", None) for item in items], stats.notes


FAILED = "Failed to add user a@b.c; reason UserNotFound"


def test_dates_with_dots_say_nothing_of_the_order_of_the_input_s_other_dates() -> None:
    """`01.12.2026` is day.month.year whatever the input's order: no note that its dates could
    be either."""
    text = f"01.12.2026 10:00:00\n{FAILED}\n01.12.2026 10:05:00\n{FAILED}\n"
    assert pasted(text) == ([datetime(2026, 12, 1, 10), datetime(2026, 12, 1, 10, 5)], [])


@pytest.mark.parametrize("weekday", ["Sunday, ", "Sun. "])
def test_date_lines_that_begin_with_a_weekday_tell_the_order(weekday: str) -> None:
    text = f"{weekday}14/09/2014 10:23:54\n{FAILED}\n{weekday}14/09/2014 10:28:54\n{FAILED}\n"
    assert pasted(text) == (
        [datetime(2014, 9, 14, 10, 23, 54), datetime(2014, 9, 14, 10, 28, 54)],
        [f"its dates are read day/month/year, as {weekday}14/09/2014 shows"],
    )


# -- SMS trace cut off at a width (cuts.trace_cut_off) -------------------------------------------


def test_sms_trace_lines_as_wide_as_the_widest_one_of_them_followed_by_its_rest_are_not_cut_off() -> None:
    """Thirteen lines at 150 columns: lines 2 and 11 are that wide; the rest of line 11 follows
    it (wrapped, not cut off): every such line must be followed by a record's start."""
    whole = demo_lines()[2432:2445]
    lines = [line[:150] for line in whole]
    assert [number for number, line in enumerate(whole, 1) if len(line) > 150] == [2, 11]
    assert cuts.trace_cut_off(lines)
    lines.insert(11, whole[10][150:])
    assert not cuts.trace_cut_off(lines)
