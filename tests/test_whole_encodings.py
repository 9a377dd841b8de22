"""The encoding that `inputs[].encoding` names for an input read whole to be decoded (a search
tool's CSV or JSON export, a Markdown table, logsync's own events) saved from a Windows program
in cp1252: its text is read so, but the input was said to be `utf-8`. It is read line by line
as any input is (UTF-8, else cp1252), and named as one read line by line: `utf-8+cp1252`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from logsync.mail import whole_text

from .conftest import SAMPLES, run_installed

TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8").replace("scott@", "zoë@")


def raw_csv(lines: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["_raw"], *([line] for line in lines)])
    return out.getvalue()


def table(lines: list[str]) -> str:
    rows = "".join(f"| {line[:21].strip()} | {line[23:]} |\n" for line in lines)
    return "| Time | Message |\n| --- | --- |\n" + rows


FORMS = {
    "csv export": raw_csv,
    "json export": lambda lines: json.dumps([{"_raw": line} for line in lines], ensure_ascii=False),
    "markdown table": table,
}


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
@pytest.mark.parametrize("form", FORMS)
def test_an_input_read_whole_names_its_own_encoding(
    tmp_path: Path, form: str, encoding: str, pure: str
) -> None:
    path = tmp_path / "excerpt"
    path.write_bytes(FORMS[form](TICKET.splitlines()).encode(encoding))
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(u["upn"], u["state"]) for u in report["users"]] == [("zoë@contoso.com", "recovered")]
    assert [i["encoding"] for i in report["inputs"]] == [{"cp1252": "utf-8+cp1252"}.get(encoding, encoding)]


def test_whole_text_tells_cp1252_only_where_utf_8_fails_and_reads_each_line_so() -> None:
    told: list[str] = []
    assert whole_text([b"zo", b"\xc3\xab"], "t", "{}", told) == "zoë"
    assert told == []
    assert whole_text([b"zo\xeb\r\nzo\xc3", b"\xab\n"], "t", "{}", told) == "zoë\r\nzoë\n"
    assert whole_text([b"\xef\xbb\xbfzo\xeb"], "t", "{}", told) == "zoë"
    assert told == ["utf-8+cp1252", "utf-8-sig+cp1252"]


def test_a_table_of_lines_in_utf_8_and_one_in_cp1252_reads_each_as_written(tmp_path: Path) -> None:
    """The whole text was read as cp1252 where one byte was not UTF-8: its UTF-8 lines garbled
    (`zoÃ«`), the user another."""
    lines = TICKET.splitlines()
    data = table(lines).encode("utf-8") + "| 9/16/2014 10:00:00 AM | caf\xe9 |\n".encode("cp1252")
    path = tmp_path / "excerpt"
    path.write_bytes(data)
    result = run_installed("report", "--all", "--format", "json", str(path))
    report = json.loads(result.stdout)
    assert [(u["upn"], u["state"]) for u in report["users"]] == [("zoë@contoso.com", "recovered")]
    assert [i["encoding"] for i in report["inputs"]] == ["utf-8+cp1252"]
