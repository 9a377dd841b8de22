"""The log's lines exported from a search tool as CSV: Splunk's `_raw` column (newest first, as
it exports them, beside `_time`, the host, the source and its type) and Log Analytics' `RawData`.
With a time that carries an offset before the line, or the line first, the export was refused
("none of its records is a message the connector is known to write", "no CloudUserSync records
found")."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from logsync.exports import is_raw_export

from .conftest import SAMPLES, run_installed

DEMO = SAMPLES / "CloudUserSync.log"
SOURCE = r"C:\Program Files\Microsoft Configuration Manager\Logs\CloudUserSync.log"


def exported(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("raw_first", "bom"), [(False, b""), (True, b""), (True, b"\xef\xbb\xbf"), (True, "utf-16")],
    ids=["splunk's columns", "_raw first", "_raw first after a BOM", "UTF-16 (PowerShell 5)"],
)
def test_a_splunk_export_gives_the_answers_of_the_log(
    tmp_path: Path, raw_first: bool, bom: bytes | str, pure: str
) -> None:
    """After a BOM (as Log Analytics writes its CSV), an export whose raw column came first was
    "no CloudUserSync records found" (found by a mutation run); saved as UTF-16 (Windows
    PowerShell 5's `Export-Csv -Encoding Unicode`, `>`), it was too."""
    lines = DEMO.read_text(encoding="utf-8-sig").splitlines()
    if isinstance(bom, str):
        rows = [[line, "2026-11-25T12:50:04.742-08:00"] for line in lines]
        data = exported(["_raw", "_time"], rows).decode().encode(bom)
    elif raw_first:
        data = bom + exported(["_raw", "_time"], [[line, "2026-11-25T12:50:04.742-08:00"] for line in lines])
    else:
        rows = [["2026-11-25T12:50:04.742-08:00", "SCCM01", SOURCE, "sccm:log", line] for line in reversed(lines)]
        data = exported(["_time", "host", "source", "sourcetype", "_raw"], rows)
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    got = run_installed("check", str(path), LOGSYNC_PURE=pure)
    want = run_installed("check", str(DEMO), LOGSYNC_PURE=pure)
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout) == (1, want.stdout)
    newest = f"logsync: {path}: its records are newest first (an export sorted so): they were read in reverse"
    assert (newest in got.stderr.decode().splitlines()) is not raw_first
    report = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert b'"lines":3042,"records":3041,"unparsed":0' in report.stdout  # (its header: blank)
    # each row keeps its line's number: evidence names the export's own line
    failure = run_installed("events", "--kind", "user_add_failed", "--user", "bob*", "--format", "csv", str(path), LOGSYNC_PURE=pure)
    (row,) = failure.stdout.decode().splitlines()[1:]
    text = data.decode("utf-16") if isinstance(bom, str) else data.decode("utf-8-sig")
    (where,) = [n for n, line in enumerate(text.splitlines(), 1) if "Failed to add user bob@" in line]
    assert row.split(",")[3] == str(where)
    encoding = "utf-16-le" if isinstance(bom, str) else "utf-8"  # (its own, not its text's as read)
    assert json.loads(report.stdout)["inputs"][0]["encoding"] == encoding


@pytest.mark.parametrize(
    ("head", "export"),
    [
        (b"_time,host,source,sourcetype,_raw\r\n2026-11-25", True),
        (b'\xef\xbb\xbf"TimeGenerated [UTC]",Computer,RawData\n', True),
        (b"_raw,_time\n", True),
        (b'\xef\xbb\xbf"RawData","TimeGenerated [UTC]"\r\n', True),
        (b"\xef\xbb\xbf_raw,_time\r\n", True),
        (b"\xef\xbb\xbfx_raw,_time\r\n", False),
        (b"_RAW\n", True),
        (b"TimeGenerated,Computer,RawDataX\n", False),
        (b"Message,Component,Date/Time,Thread\n", False),  # (CMTrace's rows saved: `sheets`)
        (b"Successfully removed _raw,x\n", False),
        (b"time,host\n_raw\n", False),  # (the header is the first line)
        ("_raw,_time\r\n".encode("utf-16"), True),
        ("_raw,_time\r\n".encode("utf-16-be"), False),  # (UTF-16 without its BOM: not told)
    ],
)
def test_which_inputs_are_a_search_tool_s_export(head: bytes, export: bool) -> None:
    assert is_raw_export(head) is export
