"""The log's rows as CSV whose thread column holds the thread's number alone (`5616`, not
CMTrace's `5616 (0x15F0)`), as a spreadsheet or `Export-Csv` of a log parser's objects writes
them. They were read as lines with no times: bob and heidi `failed` for the reason
`UserNotFound,SMS_CLOUD_USERSYNC,11/25/2026` (no timer), three more users named after whole
rows; `Export-Csv`'s form (every field quoted, a `#TYPE` line) was refused as "11 lines are cut
off at 139 columns", and then read with a `"` taken for a prefix of every line (users named
`heidi@contoso.com"`). They give the answers of the same rows separated by tabs."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from logsync.formats.paste import copied_row

from .conftest import SAMPLES, run_installed

RECORD_RE = re.compile(
    r"^(.*?)  \$\$<([^>]*)><(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)\.\d{3}[+-]\d+>"
    r"<thread=(\d+) \((0x[0-9A-F]+)\)>"
)


def rows() -> list[tuple[str, str, str, str, str]]:
    """Lines 2430 to 2600 of the demo log as (message, component, time as CMTrace shows it,
    thread number, thread in hex)."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
    found = []
    for line in lines[2429:2600]:
        match = RECORD_RE.match(line)
        assert match is not None
        message, component, month, day, year, hour, minute, second, thread, hexa = match.groups()
        clock = f"{int(hour) % 12 or 12}:{minute}:{second} {'AM' if int(hour) < 12 else 'PM'}"
        found.append((message, component, f"{int(month)}/{int(day)}/{year} {clock}", thread, hexa))
    return found


def written(tmp_path: Path, form: str) -> Path:
    path = tmp_path / f"{form}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        if form == "tabs":  # (CMTrace's copied rows: the answers to give)
            out.writelines(f"{m}\t{c}\t{t}\t{n} ({x})\n" for m, c, t, n, x in rows())
            return path
        if form == "export-csv":
            out.write("#TYPE System.Management.Automation.PSCustomObject\r\n")
            sheet = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
            sheet.writerow(["Message", "Component", "DateTime", "Thread"])
        else:
            sheet = csv.writer(out, delimiter=";" if form == "semicolons" else ",")
            sheet.writerow(["Log Text", "Component", "Date/Time", "Thread"])
        sheet.writerows((m, c, t, n) for m, c, t, n, _ in rows())
    return path


def answers(path: Path, pure: str) -> tuple[list[tuple[object, ...]], int]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    users = [
        (u["upn"], u["state"], u["reason"], u["full_sync_due"], u["expected_recovery"])
        for u in document["users"]
    ]
    return users, document["summary"]["cycles"]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("form", ["commas", "semicolons", "export-csv"])
def test_rows_saved_as_csv_with_the_thread_s_number_give_the_answers_of_the_rows(
    tmp_path: Path, form: str, pure: str
) -> None:
    expected = answers(written(tmp_path, "tabs"), pure)
    assert expected == (
        [
            ("bob@contoso.com", "waiting", "UserNotFound", "2026-11-26T09:10:08",
             "2026-11-26T09:15:04"),
            ("heidi@contoso.com", "waiting", "UserNotFound", "2026-11-26T10:10:08",
             "2026-11-26T10:15:04"),
            ("Mallory.Admin@Contoso.com", "synced", None, None, None),
        ],
        25,
    )
    assert answers(written(tmp_path, form), pure) == expected


def test_export_csv_s_lines_that_are_no_row_are_counted_not_judged(tmp_path: Path) -> None:
    result = run_installed("check", str(written(tmp_path, "export-csv")))
    assert result.returncode == 1
    assert (
        f"logsync: {tmp_path / 'export-csv.csv'}: 2 lines are no record and not judged "
        "(logsync events --kind unparsed lists them)"
    ) in result.stderr.decode().splitlines()


@pytest.mark.parametrize(
    ("line", "row"),
    [
        (
            "Failed to add user bob@contoso.com; reason UserNotFound,SMS_CLOUD_USERSYNC,"
            "11/25/2026 9:10:08 AM,5616",
            ("Failed to add user bob@contoso.com; reason UserNotFound", "SMS_CLOUD_USERSYNC",
             "11/25/2026 9:10:08 AM", "5616"),
        ),
        (
            '"Total received users to add from SCCM = 0, Total Successfully added users to '
            'Cloud = 0","SMS_CLOUD_USERSYNC","11/25/2026 9:10:08 AM","5616"  ',
            ("Total received users to add from SCCM = 0, Total Successfully added users to "
             "Cloud = 0", "SMS_CLOUD_USERSYNC", "11/25/2026 9:10:08 AM", "5616"),
        ),
        # not rows: a pasted line that ends in a count, a thread with no time before it
        (
            "9/14/2014 10:23:54 AM  Total received users to add from SCCM = 1, Total "
            "Successfully added users to Cloud = 0",
            None,
        ),
        ("Users Added = 1,Users Removed = 0,5616", None),
        ("Users Added = 1,SMS_CLOUD_USERSYNC,5616", None),
    ],
)
def test_which_lines_are_rows_saved_as_csv(line: str, row: tuple[str, ...] | None) -> None:
    assert copied_row(line) == row
