"""What a copy of the log added to its records' lines (`formats.remarks`).

A remark added after a record's trailer on its line (`<-- this is the user`, a chat's
`(edited)`): the record is read without it, and stderr says so. One such line in the first
lines of a log refused the whole input ("records run together by a reflow"); further on, the
record was an `unparsed` line and carol's failure was lost (`waiting` since before the log).

The quotes a spreadsheet's CSV puts around a line that holds a comma: taken off (the totals
lines of a log saved from Excel were no record)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logsync.formats import remarks, sms, wholes
from logsync.sources import InputStats

from .conftest import SAMPLES, run_installed

REMARK = "   <-- this is the user"
NOTE = (
    "1 line holds a remark added to the copy (`<-- this is the user`), "
    "read without it"
)


def demo_lines() -> list[str]:
    return (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(keepends=False)


def written(path: Path, lines: list[str], ending: str = "\r\n") -> Path:
    path.write_bytes(("\ufeff" + ending.join(lines) + ending).encode())
    return path


def answers(path: Path, pure: str) -> tuple[list[tuple[str, str, str | None]], dict[str, int]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    (source,) = document["inputs"]
    counts = {name: source[name] for name in ("lines", "records", "unparsed")}
    return [(u["upn"], u["state"], u["expected_recovery"]) for u in document["users"]], counts


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(("line", "ending"), [(47, "\n"), (47, "\r\n"), (2441, "\n"), (2441, "\r\n")])
def test_a_remark_after_a_record_is_read_without_it(tmp_path: Path, line: int, ending: str, pure: str) -> None:
    """Line 47 is carol's failure (in the sample a pasted text is told by), line 2441 bob's."""
    lines = demo_lines()
    assert lines[line - 1].startswith("Failed to add user")
    clean = answers(written(tmp_path / "clean.log", lines, ending), pure)
    lines[line - 1] += REMARK
    path = written(tmp_path / "remarked.log", lines, ending)
    assert answers(path, pure) == clean
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.returncode == 1
    assert check.stderr.decode().splitlines()[0] == f"logsync: {path}: {NOTE}"
    events = run_installed("events", "--format", "ndjson", str(path), LOGSYNC_PURE=pure)
    (failure,) = [e for e in map(json.loads, events.stdout.decode().splitlines()) if e["line"] == line]
    assert (failure["kind"], failure["text"]) == ("user_add_failed", lines[line - 1].split("  $$<")[0])


def test_remarks_in_an_excerpt_are_counted_and_the_first_shown(tmp_path: Path) -> None:
    lines = demo_lines()[39:130]
    long = "(edited) this one is the user that the ticket is about, see above"
    lines[7] += "  " + long
    lines[-1] += " (edited)"
    path = written(tmp_path / "excerpt.log", lines, "\n")
    check = run_installed("check", str(path))
    assert check.stderr.decode().splitlines()[0] == (
        f"logsync: {path}: 2 lines hold a remark added to the copy (`{long[:39]}…`), "
        "read without it"
    )
    assert check.stdout.decode().splitlines() == [
        "carol@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-25T07:40:14.763-08:00",
        "ivan@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-25T08:20:15.059-08:00",
        "FAIL: 2 users (2 waiting), limit 0 as of 2026-11-24T08:45:04.588-08:00",
    ]


def test_text_after_a_trailer_that_holds_another_trailer_is_no_remark(tmp_path: Path) -> None:
    """The next record's trailer after one's: records run together, refused as before."""
    lines = demo_lines()
    lines[46] += "   see $$<SMS_CLOUD_USERSYNC>"
    path = written(tmp_path / "odd.log", lines)
    result = run_installed("check", str(path))
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode().startswith(
        f"logsync: error: {path}: SMS-trace records run together by a reflow"
    )


TRAILER = "  $$<SMS_CLOUD_USERSYNC><11-24-2026 07:40:08.529+480><thread=5616 (0x15F0)>"
RECORD = "Failed to add user carol@contoso.com; reason UserNotFound" + TRAILER
NEXT = "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0" + TRAILER


@pytest.mark.parametrize(
    ("lines", "together"),
    [
        ([RECORD + " <-- this one", NEXT], False),  # (a record follows the remark)
        ([NEXT, RECORD + " (edited)"], False),  # (the last line)
        ([RECORD + " <-- this one", "", NEXT], False),  # (blank lines are passed over)
        ([RECORD + " Total", "received users to add from SCCM = 1" + TRAILER], True),  # (its rest)
        ([RECORD + " Failed to add user bob@contoso.com;", NEXT], True),  # (a record's start)
        ([RECORD + " x", RECORD + " y", NEXT], True),  # (more than half go on)
        ([RECORD + " x", RECORD, NEXT, "$$<SMS_CLOUD_USERSYNC><11-24"], True),  # (a trailer wrapped)
        ([RECORD, NEXT], False),
    ],
)
def test_which_text_after_trailers_is_a_reflow(lines: list[str], together: bool) -> None:
    assert wholes.run_together(lines) is together
    remarked = any(remarks.unremarked(line, sms.looks_like) != line for line in lines)
    assert remarked is (lines[0] != RECORD)


def csv_line(line: str) -> str:
    """A line as a spreadsheet saves one column as CSV: quoted where it holds a comma or a quote."""
    return f'"{line.replace(chr(34), chr(34) * 2)}"' if "," in line or '"' in line else line


@pytest.mark.parametrize("pure", ["", "1"])
def test_the_log_saved_as_one_column_of_csv_gives_the_answers_of_the_log(tmp_path: Path, pure: str) -> None:
    """Opened in Excel and saved as CSV: every totals line (it holds a comma) was quoted, and 42
    of the excerpt's 91 lines were no record; alice and grace were `pending` where they synced."""
    lines = demo_lines()
    quoted = next(i for i, line in enumerate(lines) if "removed users from cloud 0" in line)
    lines[quoted] = lines[quoted].replace("cloud 0", 'cloud "0"')  # (a quote in a line: doubled)
    clean = answers(written(tmp_path / "clean.log", lines), pure)
    saved = [csv_line(line) for line in lines]
    assert sum(line.startswith('"') for line in saved) == 1193
    assert answers(written(tmp_path / "saved.csv", saved), pure) == clean
    assert clean[1] == {"lines": 3041, "records": 3041, "unparsed": 0}


def test_an_azure_monitor_export_of_the_log_s_lines_gives_their_answers(tmp_path: Path) -> None:
    """Log Analytics' CSV of a custom log: its time, the computer, and the line as `RawData`."""
    lines = demo_lines()[39:130]
    clean = answers(written(tmp_path / "clean.log", lines), "")
    exported = ["TimeGenerated [UTC],Computer,RawData"] + [
        f'"11/24/2026, 3:{40 + i // 10:02d}:00.000 PM",SCCM01,{csv_line(line)}' for i, line in enumerate(lines)
    ]
    users, counts = answers(written(tmp_path / "export.csv", exported), "")
    assert users == clean[0]
    assert counts == {"lines": 92, "records": 91, "unparsed": 0}  # (its column; its header blank)


def test_a_quoted_line_that_holds_no_record_is_left_as_it_is(tmp_path: Path) -> None:
    lines = demo_lines()
    lines.insert(100, '"see below, then $$<this>"')
    path = written(tmp_path / "noted.log", lines)
    events = run_installed("events", "--format", "ndjson", "--kind", "unparsed", str(path))
    (event,) = map(json.loads, events.stdout.decode().splitlines())
    assert (event["line"], event["text"]) == (101, '"see below, then $$<this>"')


@pytest.mark.parametrize("remark", ["   <-- this one", "\t(edited)"])
def test_a_remark_after_a_cmtrace_record_is_read_without_it(tmp_path: Path, remark: str) -> None:
    """SPEC §1's case as CMTrace writes it, a remark after scott's failure: the record was an
    `unparsed` line, scott `waiting` with no reason ("its failure is not in the input")."""
    text = (SAMPLES / "cmtrace" / "CloudUserSync.log").read_text(encoding="utf-16")
    lines = text.splitlines()
    assert lines[2].startswith("<![LOG[Failed to add user scott@contoso.com; reason UserNotFound]")
    clean = answers(written(tmp_path / "clean.log", lines), "")
    lines[2] += remark
    path = written(tmp_path / "remarked.log", lines)
    assert answers(path, "") == clean
    assert clean[0][0][:2] == ("scott@contoso.com", "recovered")
    result = run_installed("report", "--format", "text", str(path))
    assert result.stderr.decode().splitlines()[0] == (
        f"logsync: {path}: 1 line holds a remark added to the copy (`{remark.strip()}`), "
        "read without it"
    )


# -- a remark after a pasted request's UPN -------------------------------------------------------

TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("remark", ["   <-- first try", " (edited)", "\t# the one that failed"])
def test_a_remark_after_a_pasted_request_s_upn_is_read_without_it(
    tmp_path: Path, remark: str, pure: str
) -> None:
    """SPEC §1's excerpt with a remark after scott's first request: scott was `waiting` with a
    second, `pending` user `scott@contoso.com   <-- first try` (not a UPN) beside him."""
    clean_path = tmp_path / "clean.txt"
    clean_path.write_text(TICKET, encoding="utf-8")
    clean = answers(clean_path, pure)
    assert clean[0] == [("scott@contoso.com", "recovered", None)]
    path = tmp_path / "remarked.txt"
    path.write_text(TICKET.replace("scott@contoso.com\n", "scott@contoso.com" + remark + "\n", 1))
    assert answers(path, pure) == clean
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.stderr.decode().splitlines()[0] == (
        f"logsync: {path}: 1 line holds a remark added to the copy (`{remark.strip()}`), "
        "read without it"
    )


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("NotifyAccountAddition - SCCM user to add = scott@contoso.com  <-- here",
         "NotifyAccountAddition - SCCM user to add = scott@contoso.com"),
        ("NotifyAccountAddition  -  SCCM user to add=scott@contoso.com\tx",
         "NotifyAccountAddition  -  SCCM user to add=scott@contoso.com"),
        ("NotifyAccountAddition \u2013 SCCM user to add = scott@contoso.com (edited)",
         "NotifyAccountAddition \u2013 SCCM user to add = scott@contoso.com"),
        ("NotifyAccountAddition - SCCM user to add = scott@contoso.com", None),
        ("NotifyAccountAddition - SCCM user to add = scott@contoso.com  ", None),
        ("NotifyAccountAddition - SCCM user to add = John Smith", None),
        ("NotifyAccountAddition - SCCM user to add = <UPN of User Account>", None),
        ("NotifyAccountAddition - SCCM user to add = a@b@c.com x", None),
        ("NotifyAccountAddition - SCCM user to add = @contoso.com x", None),
        ("NotifyAccountAddition - SCCM user to add = scott@ x", None),
        ("Failed to add user scott@contoso.com; reason UserNotFound  <-- here", None),
    ],
)
def test_which_text_after_a_request_s_upn_is_a_remark(message: str, read: str | None) -> None:
    stats = InputStats("x")
    assert remarks.upn_unremarked(message, stats) == (read or message)
    assert (stats.remarked, stats.remark) == ((1, message[len(read) :].strip()) if read else (0, ""))


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(("line", "ending"), [(47, "\n"), (2441, "\n"), (2441, "\r\n")])
@pytest.mark.parametrize("blanks", ["  ", "\t", " \t "])
def test_blanks_after_a_record_s_trailer_are_no_part_of_it(
    tmp_path: Path, line: int, ending: str, blanks: str, pure: str
) -> None:
    """Blanks after bob's failure (line 2441, past the lines a pasted text is told by) made it a
    line that is no record: bob `pending` and "a failed add that no failure line names" (found
    by a mutation run); on line 47 they were taken off already."""
    lines = demo_lines()
    clean = answers(written(tmp_path / "clean.log", lines, ending), pure)
    lines[line - 1] += blanks
    path = written(tmp_path / "padded.log", lines, ending)
    assert answers(path, pure) == clean
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.stdout.decode().splitlines()[-1].startswith("FAIL: 5 users (3 waiting, 1 overdue, 1 failed)")
    assert check.stderr.decode().count("\n") == 1  # (the log's end, nothing else)
