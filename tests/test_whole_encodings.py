"""The encoding that `inputs[].encoding` names for an input read whole to be decoded (a search
tool's CSV or JSON export, a Markdown table, logsync's own events) saved from a Windows program
in cp1252: its text is read so, but the input was said to be `utf-8`."""

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
    assert [i["encoding"] for i in report["inputs"]] == [encoding]


def test_whole_text_tells_cp1252_only_where_utf_8_fails() -> None:
    told: list[str] = []
    assert whole_text([b"zo", b"\xc3\xab"], "t", "{}", told) == "zoë"
    assert told == []
    assert whole_text([b"zo\xeb"], "t", "{}", told) == "zoë"
    assert told == ["cp1252"]
