"""The log's lines exported as JSON: JSON lines from a log shipper or a search tool (`{"message":
…}`, `{"_raw": …}`), an array of objects (Log Analytics' `RawData`), an array of strings, and
PowerShell 5's `Get-Content CloudUserSync.log | ConvertTo-Json > log.json` (UTF-16, objects whose
`value` is the line). They were refused with a false reason ("397 lines are cut off at 163
columns") or as "no CloudUserSync records found". A shipper's `message` without the trailer is
read after the object's time, as lines after an ISO 8601 time are."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logsync.exports import is_json_export, json_line, json_text

from .conftest import SAMPLES, run_installed

DEMO = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
_SUFFIX = "  $$<SMS_CLOUD_USERSYNC><"


def answers(path: str, *env_pure: str, stdin: bytes | None = None) -> tuple[object, ...]:
    """Every user's state, failures, add and recovery (in UTC), and the input's counts."""
    pure = {"LOGSYNC_PURE": env_pure[0]} if env_pure else {}
    result = run_installed("report", "--all", "--format", "json", "--tz", "UTC", path, stdin=stdin, **pure)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    users = [
        (u["upn"], u["state"], u["failures"], u["synced_at"], u["expected_recovery"])
        for u in document["users"]
    ]
    (stats,) = document["inputs"]
    return users, (stats["lines"], stats["records"], stats["unparsed"]), document["summary"]


CLEAN = answers(str(SAMPLES / "CloudUserSync.log"))


def shipped(line: str) -> dict[str, str]:
    """A shipper's record of one line: its message without the trailer, its time in UTC."""
    if _SUFFIX not in line:
        return {"message": line}
    message, _, trailer = line.partition(_SUFFIX)
    stamp = datetime.strptime(trailer[:23], "%m-%d-%Y %H:%M:%S.%f")
    utc = stamp + timedelta(minutes=int(trailer[23:].split(">", 1)[0]))
    return {"@timestamp": utc.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", "message": message}


FORMS = {
    "json lines, message": lambda: "".join(json.dumps({"host": "SCCM01", "message": line}) + "\n" for line in DEMO),
    "json lines, _raw": lambda: "".join(json.dumps({"_time": "x", "_raw": line}) + "\n" for line in DEMO),
    "array of RawData": lambda: json.dumps([{"TimeGenerated": "x", "RawData": line} for line in DEMO], indent=2),
    "array of strings": lambda: json.dumps(DEMO),
    "a shipper's messages": lambda: "".join(json.dumps(shipped(line)) + "\n" for line in DEMO),
}


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("form", list(FORMS))
def test_the_demo_log_exported_as_json_gives_its_answers(tmp_path: Path, form: str, pure: str) -> None:
    path = tmp_path / "export.json"
    path.write_text(FORMS[form](), encoding="utf-8")
    assert answers(str(path), pure) == CLEAN


def test_powershell_5_convertto_json_in_utf16_and_on_stdin(tmp_path: Path) -> None:
    """`Get-Content … | ConvertTo-Json > log.json` in Windows PowerShell 5: UTF-16 with its
    BOM, an object a line with its `value`, `PSPath` and `ReadCount`."""
    items = [{"value": line, "PSPath": r"C:\Logs\CloudUserSync.log", "ReadCount": n} for n, line in enumerate(DEMO, 1)]
    data = json.dumps(items, indent=4).encode("utf-16")
    path = tmp_path / "log.json"
    path.write_bytes(data)
    assert answers(str(path)) == CLEAN
    assert answers("-", stdin=data) == CLEAN


def test_a_line_of_json_lines_that_is_no_json_or_holds_no_line_is_no_record(tmp_path: Path) -> None:
    """A JSON line cut off, and an object with no field of a line, are kept as they are, each
    an `unparsed` event at its line: never dropped."""
    lines = [json.dumps({"message": line}) for line in DEMO[:20]]
    lines[5] = lines[5][:30]
    lines[9] = json.dumps({"level": "info"})
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_installed("events", "--kind", "unparsed", "--format", "csv", str(path))
    rows = [row.split(",")[3] for row in result.stdout.decode().splitlines()[1:]]
    assert rows == ["6", "10"]


def test_a_json_array_that_cannot_be_read_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('[{"message": "Starting user delta sync"}, oops', encoding="utf-8")
    result = run_installed("check", str(path))
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"logsync: error: {path}: a JSON array that cannot be read (Expecting value: line 1 column "
        "43 (char 42))\n"
    )


@pytest.mark.parametrize(
    ("head", "json_export"),
    [
        (b'{"message": "a"}\n', True),
        (b'\xef\xbb\xbf  {"_raw": "a", "n": 1}\r\n{', True),
        (b'[\n  {\n    "value": "a"', True),
        (b'["a", "b"]', True),
        ('["a"]'.encode("utf-16"), True),
        (b'{\n  "message": "a"\n}\n', False),  # (one object over several lines: no JSON lines)
        (b'{"message": "cut', False),
        (b"[snip]\nStarting user delta sync", False),
        (b"[12:00] Starting user delta sync", False),
        (b"[]", False),
        (b"{}", False),
        (b"Starting user delta sync  $$<SMS_CLOUD_USERSYNC><", False),
    ],
)
def test_which_heads_are_a_json_export(head: bytes, json_export: bool) -> None:
    assert is_json_export(head) is json_export


def test_an_object_s_time_is_put_before_a_line_with_none_of_its_own() -> None:
    assert json_line({"Time": "2026-11-25T22:10:04Z", "Message": "Starting"}) == "2026-11-25T22:10:04Z Starting"
    own = "Starting  $$<SMS_CLOUD_USERSYNC><11-25-2026 14:10:04.449+480><thread=1 (0x1)>"
    assert json_line({"time": "2026-11-25T22:10:04Z", "message": own}) == own
    cm = '<![LOG[Starting]LOG]!><time="14:10:04.449+480" date="11-25-2026" component="x">'
    assert json_line({"time": "t", "message": cm}) == cm
    assert json_line({"message": {"nested": 1}, "log": "line"}) == "line"
    assert json_line({"level": "info"}) == '{"level": "info"}'
    assert json_line(7) == "7"


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")))))
def test_an_array_of_strings_is_its_strings_a_line(strings: list[str]) -> None:
    assert json_text([json.dumps(strings).encode()], "x") == "".join(f"{s}\n" for s in strings).encode()
