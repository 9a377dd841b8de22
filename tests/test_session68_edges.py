"""Edges of the rules added most recently that no other test pinned (found by a third mutation
run): records cut short in their trailer, a retry cycle left out between a due time and the
next cycle, a remark after an indented request, masked names, Markdown tables, a retry awaited,
addresses between brackets, blanks after a trailer, a ~ in an address, Excel's `sep=` line,
archives packed in a zip, and an input of NUL bytes."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.cloud import read_cloud_users
from logsync.events import decode_text
from logsync.formats import ParseContext, remarks, sms
from logsync.formats.copies import linked, unlinked
from logsync.formats.cutshort import CUT_SHORT_NOTE, cut_short
from logsync.masks import masked_as
from logsync.records import Record
from logsync.sources import InputStats
from logsync.tables import table_text

from .conftest import SAMPLES, run_installed

RESTART_LOG = SAMPLES / "restart-day" / "CloudUserSync.log"
RESTART_DAY = RESTART_LOG.read_text(encoding="utf-8-sig").splitlines()
XAVIER_FAILED = RESTART_DAY[66]  # (`Failed to add user xavier@fabrikam.com; reason UserNotFound  $$<…>`)
BEFORE_TIME = datetime.fromisoformat("2026-03-02T09:00:04.885-05:00")

# -- a record cut short in its trailer (cutshort.cut_short) --------------------------------------


def test_only_the_first_record_cut_short_of_an_input_is_noted() -> None:
    """Two lines cut in their trailer (`$$<SMS_CLOUD_U`, then only the `>` lost): both read,
    and the input's notes name the first only (stderr says it once)."""
    assert XAVIER_FAILED.startswith("Failed to add user xavier@fabrikam.com; reason UserNotFound  $$<")
    stats = InputStats("CloudUserSync.log")
    stats.saw(BEFORE_TIME, "SMS_CLOUD_USERSYNC")
    first = cut_short(XAVIER_FAILED[:-60], 67, None, stats)
    second = cut_short(XAVIER_FAILED[:-1], 69, None, stats)
    assert first is not None and second is not None
    assert stats.notes == [f"line 67 {CUT_SHORT_NOTE}"]


def test_a_record_cut_short_first_in_its_chunk_takes_the_input_s_last_component() -> None:
    """With no record before it in its chunk, a record cut short is read at the input's last
    time so far and with its last component (a chunk begins where a block of the file did)."""
    stats = InputStats("CloudUserSync.log")
    stats.saw(BEFORE_TIME, "SMS_CLOUD_USERSYNC")
    found = cut_short(XAVIER_FAILED[:-60], 67, None, stats)
    assert found is not None
    assert (found.line, found.time, found.component, found.thread, found.message) == (
        67, BEFORE_TIME, "SMS_CLOUD_USERSYNC", None, "Failed to add user xavier@fabrikam.com; reason UserNotFound"
    )


# -- a remark after a pasted request's UPN (remarks.upn_unremarked) ------------------------------


def test_a_remark_after_an_indented_request_s_upn_is_taken_off_and_its_indent_kept() -> None:
    """A request's message as an excerpt indents it under its date: the remark after its UPN is
    taken off all the same, the blanks before the message left as they are."""
    stats = InputStats("ticket.txt")
    message = "    NotifyAccountAddition - SCCM user to add = scott@contoso.com   <-- first try"
    assert remarks.upn_unremarked(message, stats) == "    NotifyAccountAddition - SCCM user to add = scott@contoso.com"
    assert (stats.remarked, stats.remark) == (1, "<-- first try")


# -- masked names (masks.masked_as) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "found"),
    [
        # (each user once, however often it is given, in the order first given)
        (
            ["s***@contoso.com", "sam@contoso.com", "s***@contoso.com", "sam@contoso.com"],
            [("s***@contoso.com", ["sam@contoso.com"])],
        ),
        # (the domain's dots are dots: `contoso.com` is not `contoso-com`)
        (["s***@contoso.com", "sam@contoso-com"], []),
        (["s***@contoso.com", "sam@contoso.com.au"], []),
    ],
)
def test_which_names_a_masked_one_may_be_by_its_domain(names: list[str], found: list[tuple[str, list[str]]]) -> None:
    assert masked_as(names) == found


# -- a Markdown table (tables.table_text) ----------------------------------------------------------


def test_a_table_whose_header_s_names_are_dashes_is_read_from_the_row_under_them() -> None:
    """The first line is a row of dashes with no line above it: no header to leave out, so it
    is the header's names (its cells `---`), and the row of dashes under it the header's."""
    text = b"| --- | --- |\n| --- | --- |\n| 9/14/2014 10:23:54 AM | x |\n"
    assert table_text([text], "t.md").decode() == "\n\n9/14/2014 10:23:54 AM\tx\n"


def test_a_cell_that_only_begins_with_a_backtick_keeps_it() -> None:
    """Code marks are taken off a cell only where they are around it (a backtick at each end):
    `` `x `` is the cell's text as it is."""
    text = b"| Time | Message |\n|---|---|\n| 9/14/2014 10:23:54 AM | `x |\n"
    assert table_text([text], "t.md").decode() == "\n\n9/14/2014 10:23:54 AM\t`x\n"


# -- a user retried after its failure, its cycle's totals to come (UserState.retry_awaited) ------


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_timeline_says_why_a_user_retried_before_its_cycle_s_totals_may_be_stuck_still(pure: str) -> None:
    """At 13:00:39.996 the full sync after the restart has notified yolanda, who failed at 11:00,
    and not logged her outcome: the Markdown timeline's state says why it is unknown, in the
    words of a retry awaited (not of a retry the input leaves out)."""
    result = run_installed(
        "timeline", "--format", "markdown", "--now", "2026-03-02T13:00:39.996-05:00",
        "yolanda@fabrikam.com", str(RESTART_LOG), LOGSYNC_PURE=pure,
    )
    (state,) = [line for line in result.stdout.decode().splitlines() if line.startswith("**State:**")]
    assert state == (
        "**State:** pending · 1 failure(s), reason UserNotFound · outcome unknown: retried after its "
        "failure in a cycle whose totals the input does not hold yet: it may be held back still"
    )


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_user_retried_before_its_cycle_s_totals_is_not_counted_as_overdue(pure: str) -> None:
    """A user whose outcome is unknown in an input with times may be waiting, never overdue: its
    due time is known, and a day off. `check --fail-on overdue` passes, naming the two pending
    users it does not count."""
    check = run_installed(
        "check", "--fail-on", "overdue", "--now", "2026-03-02T13:00:39.996-05:00", str(RESTART_LOG), LOGSYNC_PURE=pure
    )
    assert (check.returncode, check.stdout.decode().splitlines()) == (0, [
        "ok: no overdue user as of 2026-03-02T13:00:39.996-05:00; 2 pending users not counted by --fail-on overdue"
    ])


# -- an address between angle brackets (copies.unlinked) -------------------------------------------


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (
            "NotifyAccountAddition - SCCM user to add = <scott@contoso.com>, see below",
            "NotifyAccountAddition - SCCM user to add = scott@contoso.com, see below",
        ),
        ("Failed to add user <scott@contoso.com>; reason UserNotFound", "Failed to add user scott@contoso.com; reason UserNotFound"),
        ("Failed to add user\t<scott@contoso.com>; reason", "Failed to add user\tscott@contoso.com; reason"),
        ("the user that failed:\n<scott@contoso.com>\n", "the user that failed:\nscott@contoso.com\n"),  # (first on its line)
    ],
)
def test_an_address_between_angle_brackets_before_a_comma_or_semicolon_is_the_address(text: str, read: str) -> None:
    assert unlinked(text) == read
    assert linked(text)


def test_a_markdown_link_needs_its_target_right_after_its_text() -> None:
    """`[scott@contoso.com] (mailto:…)` is no Markdown link (a space between its parts): the
    text is left as it is."""
    text = "NotifyAccountAddition - SCCM user to add = [scott@contoso.com] (mailto:scott@contoso.com)"
    assert unlinked(text) == text
    assert not linked(text)


# -- blanks after a line of SMS trace (sms._PADDED_RE) ---------------------------------------------


def test_blanks_before_a_remark_after_a_trailer_stay_where_another_line_ends_with_blanks() -> None:
    """Blanks are taken off after a trailer's `>` only at a line's end: a remark after the next
    record's trailer keeps the blanks before it, and is taken off as a remark (both lines are
    records)."""
    lines = SAMPLES.joinpath("CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
    stats = InputStats("CloudUserSync.log")
    text = f"\n{lines[2439]}  \n{lines[2440]}   <-- this is the user\n"
    items = list(sms.parse_text(text, 2439, ParseContext(stats)))
    assert [type(item) for item in items] == [Record, Record]
    assert (stats.remarked, stats.remark, stats.unparsed) == (1, "<-- this is the user", 0)


# -- a ~ inside an address (events.decode_text) -----------------------------------------------------


def test_a_tilde_inside_an_address_with_an_apostrophe_is_the_upn_s() -> None:
    """`o'neil~ops@fabrikam.com`: an apostrophe is a letter of a UPN too; its `~` is no line
    break, the `~~` after it is (a separator at the message's end)."""
    message = "NotifyAccountAddition - SCCM user to add = o'neil~ops@fabrikam.com~~"
    assert decode_text(message) == "NotifyAccountAddition - SCCM user to add = o'neil~ops@fabrikam.com"


# -- an export Excel saved again with its `sep=` line (cloud.read_cloud_users) ----------------------


def test_blank_lines_after_excel_s_sep_line_come_before_the_header(tmp_path: Path) -> None:
    """The header is the first line that holds something after `sep=;`: the export's users."""
    want = read_cloud_users(str(SAMPLES / "azure-ad-users.csv")).upns
    rows = SAMPLES.joinpath("azure-ad-users.csv").read_text(encoding="utf-8-sig").replace(",", ";")
    path = tmp_path / "azure-ad-users.csv"
    path.write_text("sep=;\r\n\r\n" + rows, encoding="utf-8")
    export = read_cloud_users(str(path))
    assert (export.upns, export.form, len(want)) == (want, "csv", 7)


# -- a zip archive that holds the logs packed (zips._PACKED) ---------------------------------------


@pytest.mark.parametrize("packed", ["Logs.7z", "SMS_Logs.CAB"])
def test_a_zip_that_holds_a_7z_or_a_cab_in_place_of_the_logs_names_it(tmp_path: Path, packed: str) -> None:
    """A 7-Zip archive or a cabinet (as a support tool collects the logs, whatever the case of
    its name) inside the zip is named: extract it first."""
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"ticket/{packed}", b"packed")
        zipped.writestr("readme.txt", b"see inside")
    result = CliRunner().invoke(app, ["check", str(archive)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"logsync: error: {archive}: no CloudUserSync.log or CloudUserSync.lo_ in this zip archive "
        f"(it holds {packed}: extract it first)\n"
    )


# -- an input that holds nothing beside the log (sources._holds_nothing) ---------------------------


def test_a_file_of_nul_bytes_beside_the_log_is_left_out_as_empty(tmp_path: Path) -> None:
    """A log just rotated whose first write was NUL padding (a crash before its first line) holds
    nothing: left out, as an empty file is, and the log beside it judged."""
    nul = tmp_path / "CloudUserSync.lo_"
    nul.write_bytes(b"\0\0\0\0")
    result = CliRunner().invoke(app, ["check", str(SAMPLES / "CloudUserSync.log"), str(nul)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"logsync: {nul} is empty (a log just rotated?): nothing to read"
