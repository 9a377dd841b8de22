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

from logsync.jsonexports import is_json_export, json_line, json_text

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
    for name, stdin in ((str(path), None), ("-", data)):  # (its own encoding, not its text's)
        report = run_installed("report", "--format", "json", name, stdin=stdin)
        assert [i["encoding"] for i in json.loads(report.stdout)["inputs"]] == ["utf-16-le"]


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
        f"logsync: error: {path}: JSON that cannot be read (Expecting value: line 1 column "
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
        (b'{\n  "message": "a"\n}\n', True),  # (one object: `Get-Content -Raw | ConvertTo-Json`)
        (b'{"message": "cut', True),  # (its line is kept as it is: no record, and said so)
        (b"{0x15F0} Starting user delta sync", False),
        (b'{"no colon"} Starting', False),
        (b"[snip]\nStarting user delta sync", False),
        (b"[12:00] Starting user delta sync", False),
        (b"[]", False),
        (b"[{}]", False),
        (b"[{0x15F0}] Starting user delta sync", False),
        (b'{"": "a"}', False),
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


@pytest.mark.parametrize(
    ("item", "line"),
    [
        ({"time": 100_000_000_000, "message": "x"}, "1973-03-03T09:46:40.000000+00:00 x"),  # ms
        ({"time": 99_999_999_999, "message": "x"}, "5138-11-16T09:46:39.000000+00:00 x"),  # s
        ({"time": 100_000_000, "message": "x"}, "1973-03-03T09:46:40.000000+00:00 x"),  # s
        ({"time": 99_999_999, "message": "x"}, "x"),  # (no time of now)
        ({"time": 10**17, "message": "x"}, "1973-03-03T09:46:40.000000+00:00 x"),  # ns
        ({"time": 10**14, "message": "x"}, "1973-03-03T09:46:40.000000+00:00 x"),  # µs
        ({"time": True, "datetime": "2026-11-25T22:10:04Z", "message": "x"}, "2026-11-25T22:10:04Z x"),
        ({"a": {"message": "x"}}, "x"),
        ({"a": {"b": {"message": "x"}}}, '{"a": {"b": {"message": "x"}}}'),  # (two deep at most)
        ({"message": "x", "time": " "}, "x"),
    ],
)
def test_the_boundaries_of_an_item_s_line_and_time(item: object, line: str) -> None:
    assert json_line(item) == line


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")))))
def test_an_array_of_strings_is_its_strings_a_line(strings: list[str]) -> None:
    assert json_text([json.dumps(strings).encode()], "x") == "".join(f"{s}\n" for s in strings).encode()


def epoch(line: str, per_second: int, as_float: bool = False) -> dict[str, object]:
    """A shipper's record of one line whose time is a number since 1970 (UTC)."""
    record = shipped(line)
    if "@timestamp" not in record:
        return record
    stamp = datetime.strptime(str(record["@timestamp"]), "%Y-%m-%dT%H:%M:%S.%fZ")
    micros = (stamp - datetime(1970, 1, 1)) // timedelta(microseconds=1)
    number = micros / 1e6 if as_float else micros * per_second // 1_000_000
    return {"@timestamp": number, "message": record["message"]}


NESTED = {
    "epoch milliseconds": lambda: "".join(json.dumps(epoch(line, 1000)) + "\n" for line in DEMO),
    "epoch microseconds": lambda: "".join(json.dumps(epoch(line, 1_000_000)) + "\n" for line in DEMO),
    "epoch seconds, a fraction": lambda: "".join(json.dumps(epoch(line, 1, True)) + "\n" for line in DEMO),
    "Splunk's JSON export": lambda: "".join(
        json.dumps({"preview": False, "offset": n, "result": {"_raw": line, "_time": "x"}}) + "\n"
        for n, line in enumerate(DEMO)
    ),
    "ECS event.original": lambda: "".join(
        json.dumps({"@timestamp": "x", "event": {"original": line}}) + "\n" for line in DEMO
    ),
    "Get-Content -Raw, one line": lambda: json.dumps({"value": "\r\n".join(DEMO) + "\r\n", "PSChildName": "x"}),
}


@pytest.mark.parametrize("form", list(NESTED))
def test_nested_fields_numbers_and_one_object_give_the_log_s_answers(tmp_path: Path, form: str) -> None:
    """Times as numbers were dropped (and stderr said the input had no times); Splunk's and
    ECS's fields inside an object, and the whole log in one object, were refused with a false
    reason ("397 lines are cut off at 164 columns", "records run together")."""
    path = tmp_path / "export.json"
    path.write_text(NESTED[form](), encoding="utf-8")
    assert answers(str(path)) == CLEAN


def test_get_content_raw_convertto_json_of_powershell_5(tmp_path: Path) -> None:
    """`Get-Content -Raw CloudUserSync.log | ConvertTo-Json > log.json`: one object over several
    lines, in UTF-16, with `<` written `\\u003c`: it was "no CloudUserSync records found"."""
    text = json.dumps({"value": "\r\n".join(DEMO) + "\r\n", "PSPath": "x"}, indent=4)
    path = tmp_path / "log.json"
    path.write_bytes(text.replace("<", "\\u003c").encode("utf-16"))
    assert "\\u003c" in path.read_bytes().decode("utf-16")
    assert answers(str(path)) == CLEAN


def test_a_shipper_s_rotated_pair_keeps_its_rotation_marker(tmp_path: Path) -> None:
    """The rotation marker shipped with the time of the record before it: it was read as a date
    line that is not one (stderr advised giving dates as `11/25/2026 2:30:04 PM`) and counted
    `unread`."""
    rotated = SAMPLES / "rotated"
    lines = [
        line
        for name in ("CloudUserSync.lo_", "CloudUserSync.log")
        for line in (rotated / name).read_text(encoding="utf-8-sig").splitlines()
    ]
    records, stamp = [], "2025-06-10T08:00:00.000Z"
    for line in lines:
        record = shipped(line)
        stamp = str(record.get("@timestamp", stamp))
        records.append({"@timestamp": stamp, "message": record["message"]})
    path = tmp_path / "rotated.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run_installed("report", "--format", "json", str(path))
    (stats,) = json.loads(result.stdout)["inputs"]
    assert (stats["lines"], stats["unread"]) == (183, 0)
    assert "date line" not in result.stderr.decode()
    pair = run_installed("report", "--all", "--format", "json", "--tz", "UTC", str(rotated))
    clean = [(u["upn"], u["state"], u["expected_recovery"]) for u in json.loads(pair.stdout)["users"]]
    assert [(upn, state, due) for upn, state, _, _, due in answers(str(path))[0]] == clean


def test_json_whose_items_hold_no_line_is_refused_naming_the_fields(tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text('{"level": "info"}\n{"count": 1}\n', encoding="utf-8")
    result = run_installed("check", str(path))
    assert (result.returncode, result.stderr.decode()) == (
        2, f"logsync: error: {path}: JSON whose items hold no log line (no field `_raw`, `rawdata`, "
        "`message`, `msg`, `value`, `line`, `text`, `log`, `original`)\n",
    )


def test_a_shipper_s_export_with_a_silence_says_it_as_the_log_does(tmp_path: Path) -> None:
    """A shipper's export (every line with its time: a run of the log's lines, no excerpt) with
    2 hours of lines missing: stderr said nothing, where the log so cut says lines may be left
    out there or the connector stalled (`summary` reports the stall in both)."""
    lines = DEMO[:40] + DEMO[199:]
    path = tmp_path / "cut.jsonl"
    path.write_text("".join(json.dumps(shipped(line)) + "\n" for line in lines), encoding="utf-8")
    plain = tmp_path / "cut.log"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    note = (
        "logsync: the connector was not heard from {} to {} (2h 00m with no cycle, then cycles "
        "again): lines may be left out there (an excerpt in pieces?), or it stalled; users whose "
        "failure or retry may be there are pending"
    )
    shipped_lines = run_installed("summary", str(path)).stderr.decode().splitlines()
    plain_lines = run_installed("summary", str(plain)).stderr.decode().splitlines()
    assert shipped_lines[0] == note.format("2026-11-24T15:35:04.470+00:00", "2026-11-24T17:35:04.558+00:00")
    assert plain_lines[0] == note.format("2026-11-24T07:35:04.470-08:00", "2026-11-24T09:35:04.558-08:00")


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
def test_events_of_an_export_newest_first_are_in_time_order(tmp_path: Path, fmt: str) -> None:
    """`events` of a JSON export sorted newest first said "time goes back (logs pasted
    together?); events are in file order", where `report` reads it in reverse, as the log."""
    path = tmp_path / "newest.jsonl"
    path.write_text("".join(json.dumps({"_raw": line}) + "\n" for line in reversed(DEMO)), encoding="utf-8")
    result = run_installed("events", "--format", fmt, str(path))
    assert result.stderr.decode().splitlines() == [
        f"logsync: {path}: its records are newest first (an export sorted so): they were read in reverse"
    ]
    log = run_installed("events", "--format", fmt, str(SAMPLES / "CloudUserSync.log"))
    def kinds_and_times(out: bytes) -> list[tuple[str, str]]:
        if fmt == "csv":
            return [tuple(row.split(",")[:2]) for row in out.decode().splitlines()[1:]]  # type: ignore[misc]
        return [(e["kind"], e["time"]) for e in map(json.loads, out.decode().splitlines())]
    assert kinds_and_times(result.stdout) == kinds_and_times(log.stdout)
    assert len(kinds_and_times(log.stdout)) == 3041


@pytest.mark.parametrize("source", ["the log", "a JSON export"])
def test_events_of_a_fifo_reads_all_of_it(tmp_path: Path, source: str) -> None:
    """`logsync events <(cat CloudUserSync.log)`: looking at a FIFO's first bytes (whether it is
    an export read whole) took them from the reading: every event was lost ("empty input")."""
    import os
    import threading

    data = (SAMPLES / "CloudUserSync.log").read_bytes()
    if source == "a JSON export":
        data = "".join(json.dumps({"_raw": line}) + "\n" for line in DEMO).encode()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    result = run_installed("events", str(fifo))
    writer.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3041


def test_a_shipper_s_times_without_an_offset_are_a_run_of_the_log_s_lines(tmp_path: Path) -> None:
    """`@timestamp` in ISO 8601 with no offset (`2026-11-24T14:59:55.211`): a tool's lines, a
    run of the log's, as with an offset; they were taken for lines someone chose, the interval
    not measured (`default`, 300 s where the log's cycles show 300.037 s)."""
    path = tmp_path / "local.jsonl"
    records = [shipped(line) for line in DEMO]
    for record in records:
        if "@timestamp" in record:
            record["@timestamp"] = record["@timestamp"].rstrip("Z")
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    summary = json.loads(run_installed("summary", "--format", "json", "--source-tz", "UTC", str(path)).stdout)
    assert (summary["interval_s"], summary["interval_basis"]) == (300.037, "observed")
    result = run_installed("report", "--all", "--format", "json", "--tz", "UTC", "--source-tz", "UTC", str(path))
    users = [(u["upn"], u["state"], u["failures"], u["synced_at"], u["expected_recovery"]) for u in json.loads(result.stdout)["users"]]
    assert users == CLEAN[0]


def test_json_that_would_break_a_reading_is_one_line_or_kept(tmp_path: Path) -> None:
    """A lone surrogate (`\\ud800`) in a line, JSON nested too deep for Python's reader, and a
    line with U+2028 inside a string: tracebacks (exit 70), or one line read as two."""
    lone = tmp_path / "lone.jsonl"
    lone.write_text(json.dumps({"_raw": DEMO[0]}) + "\n" + json.dumps({"_raw": "a \ud800"}) + "\n")
    result = run_installed("events", "--kind", "unparsed", "--format", "csv", str(lone))
    assert (result.returncode, result.stdout.decode().splitlines()[1].split(",")[3]) == (0, "2")
    deep = tmp_path / "deep.json"
    deep.write_text("[" + '{"a":[' * 100_000)
    result = run_installed("check", str(deep))
    assert result.returncode == 2
    assert result.stderr.decode().startswith(f"logsync: error: {deep}: JSON that cannot be read (maximum recursion")
    assert len(result.stderr.splitlines()) == 1
    separated = tmp_path / "separated.jsonl"
    lines = [json.dumps({"_raw": line}, ensure_ascii=False) for line in DEMO]
    lines[5] = json.dumps({"_raw": DEMO[5], "note": "a\u2028b\u0085c"}, ensure_ascii=False)
    separated.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "\u2028" in separated.read_text(encoding="utf-8")
    assert answers(str(separated)) == CLEAN
