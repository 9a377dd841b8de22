"""Hostile and broken input (SPEC §6): terminal safety, clear errors, linear time, fuzzing."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logsync.errors import InputError
from logsync.pipeline import EventStream
from logsync.safety import tab_joined, visible

from .conftest import LOGSYNC, SAMPLES, handling_signals, run_installed, without_log_end_note
from .logtext import Log, sms_line

HOSTILE = (
    "\x1b]0;pwned\x07\x1b[2J\x9b31m[bold red]evil[/][link=http://x]y[/link]\u202eoi@contoso.com"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [LOGSYNC, *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def hostile_log(tmp_path: Path) -> str:
    log = Log()
    log.cycle("2014-09-14 10:00:00", (HOSTILE,), {HOSTILE: "User\x1b[2JNotFound"})
    log.cycle("2014-09-14 10:05:00", ("ok@contoso.com",))
    return log.write(tmp_path / "CloudUserSync.log")


HOSTILE_REASON = "User\x1b[5mNot\u2066Found\x85"
HOSTILE_COMPONENT = "SMS\x1b]8;;http://x\x07\u202eCOMP"
HOSTILE_MESSAGE = "Sync \x9b2J\x1b[1;1H[red]fake[/red] \u200fdone\x00"
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a person's terminal raw: C0 (but line feed and tab), DEL, C1, bidi."""


def every_field_hostile(tmp_path: Path) -> tuple[str, str]:
    """A log whose UPN, reason, component, message and file name all carry controls."""
    log = Log()
    log.cycle("2014-09-14 10:00:00", (HOSTILE,), {HOSTILE: HOSTILE_REASON})
    log.cycle("2014-09-14 10:05:00", ("ok@contoso.com",))
    log.lines.append(sms_line(datetime(2014, 9, 14, 10, 6), HOSTILE_MESSAGE, component=HOSTILE_COMPONENT))
    log.lines.append(sms_line(datetime(2014, 9, 14, 10, 7), "User delta sync failed \x1b[2J"))
    folder = tmp_path / "dir\x1b[31m\u202e"
    folder.mkdir()
    return log.write(folder / "CloudUserSync.log"), HOSTILE


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "table", "--all"],
        ["report", "--format", "text", "--all"],
        ["report", "--format", "table", "--restart-at", "2014-09-14 10:30"],
        ["events", "--format", "table"],
        ["events", "--format", "text"],
        ["timeline", HOSTILE, "--format", "table"],
        ["timeline", HOSTILE, "--format", "text"],
        ["summary", "--format", "table"],
        ["summary", "--format", "text"],
        ["check"],
        ["check", "--format", "text", "--fail-on", "failed,pending"],
    ],
)
def test_no_control_character_from_the_log_reaches_human_output(
    args: list[str], tmp_path: Path
) -> None:
    """Every field (UPN, reason, component, message, source path) with colour off, byte for
    byte: nothing to strip, so a hostile sequence cannot hide among rich's colours."""
    path, _ = every_field_hostile(tmp_path)
    result = run(*args, "--color", "never", path) if args[0] != "check" else run(*args, path)
    assert result.returncode in (0, 1), result.stderr
    for stream in (result.stdout, result.stderr):
        text = stream.decode("utf-8")
        assert FORBIDDEN.search(text) is None, FORBIDDEN.findall(text)
    shown = re.sub(r"[\s│┃]", "", result.stdout.decode())  # tables may wrap long cells
    if args[0] in ("report", "timeline", "check"):
        # a table folds the long UPN among other cells: look for its pieces
        for piece in ("\\x1b]0;pwned\\x07", "\\x9b31m", "[link=http://x]", "\\u202eoi"):
            assert piece in shown
    if args[0] == "events":
        assert "SMS\\x1b]8;;http://x\\x07\\u202eCOMP" in shown or args[2] == "table"
        assert "Sync\\x9b2J\\x1b[1;1H[red]fake[/red]\\u200fdone\\x00" in shown
    if args[0] in ("events", "timeline", "summary"):
        assert "dir\\x1b[31m\\u202e" in shown


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "table", "--color", "always", "--all"],
        ["events", "--format", "table", "--color", "always"],
        ["timeline", HOSTILE, "--format", "table", "--color", "always"],
        ["summary", "--format", "table", "--color", "always"],
    ],
)
def test_with_colour_only_rich_s_own_sgr_sequences_appear(args: list[str], tmp_path: Path) -> None:
    path, _ = every_field_hostile(tmp_path)
    text = run(*args, path).stdout.decode("utf-8")
    own = re.compile(r"\x1b\[(?:[0-9]{1,3}(?:;[0-9]{1,3})*)?m")
    # the log's own `ESC[5m`, `ESC[31m` and `ESC[2J` are shown as text, never emitted
    assert "\x1b[5m" not in text and "\x1b[31m\u202e" not in text
    assert FORBIDDEN.search(own.sub("", text)) is None


def test_csv_is_escaped_wherever_it_goes(tmp_path: Path) -> None:
    """A CSV file written now is shown on a terminal later (`cat report.csv`): its control
    characters are escapes, piped or not (found by a newcomer: ESC, BEL and C1 bytes)."""
    path = hostile_log(tmp_path)
    piped = run("report", "--format", "csv", path)
    assert HOSTILE.encode() not in piped.stdout
    assert visible(HOSTILE).encode() in piped.stdout
    assert all(b >= 0x20 or b == 0x0A for b in piped.stdout)
    events = run("events", "--format", "csv", path).stdout
    assert all(b >= 0x20 or b == 0x0A for b in events)
    assert visible(HOSTILE).encode() in events


def test_json_and_ndjson_carry_the_exact_text_and_stay_valid(tmp_path: Path) -> None:
    path = hostile_log(tmp_path)
    document = json.loads(run("report", "--format", "json", path).stdout)
    assert document["users"][0]["upn"] == HOSTILE
    assert document["users"][0]["reason"] == "User\x1b[2JNotFound"
    lines = run("events", "--format", "ndjson", path).stdout.decode().splitlines()
    failed = [json.loads(line) for line in lines if '"user_add_failed"' in line]
    assert failed[0]["upn"] == HOSTILE
    assert all(ch.isascii() and (ch >= " ") for line in lines for ch in line)


def test_error_lines_escape_the_path() -> None:
    result = run("report", "no\x1b[2Jsuch.log")
    assert result.returncode == 2
    assert result.stderr == b"logsync: error: no\\x1b[2Jsuch.log: no such file or directory\n"


def test_visible() -> None:
    assert visible("a\x00b\x1bc\x9bd\u202ee\tf") == "a\\x00b\\x1bc\\x9bd\\u202ee\\tf"


FORMULA_LOG = (
    "Starting user delta sync, raise failure status messages = True  "
    "$$<SMS_CLOUD_USERSYNC><11-20-2026 17:01:00.000-60><thread=5616 (0x15F0)>\n"
    'NotifyAccountAddition - SCCM user to add = =HYPERLINK("http://x/?"&A1)@contoso.com  '
    "$$<SMS_CLOUD_USERSYNC><11-20-2026 17:01:00.000-60><thread=5616 (0x15F0)>\n"
    'Failed to add user =HYPERLINK("http://x/?"&A1)@contoso.com; reason UserNotFound  '
    "$$<SMS_CLOUD_USERSYNC><11-20-2026 17:01:00.100-60><thread=5616 (0x15F0)>\n"
    "NotifyAccountAddition - SCCM user to add = -bob@contoso.com  "
    "$$<SMS_CLOUD_USERSYNC><11-20-2026 17:01:00.200-60><thread=5616 (0x15F0)>\n"
    "Failed to add user -bob@contoso.com; reason +Other  "
    "$$<SMS_CLOUD_USERSYNC><11-20-2026 17:01:00.300-60><thread=5616 (0x15F0)>\n"
)
"""Users whose names a spreadsheet would take for formulas, and a reason too."""


def test_no_csv_cell_from_a_log_is_a_spreadsheet_formula(tmp_path: Path) -> None:
    """A name in Active Directory is text anyone with rights to create users writes: opened in
    a spreadsheet, `=HYPERLINK(…)@contoso.com` in a CSV cell was a formula. Cells that begin
    with `=`, `+`, `@` or `-` (before anything but a digit) begin with `'` (`report` and
    `events`, read natively and in pure Python)."""
    path = tmp_path / "CloudUserSync.log"
    path.write_text(FORMULA_LOG)
    rows = list(csv.reader(run("report", "--all", "-f", "csv", str(path)).stdout.decode().splitlines()))
    assert [row[:3] for row in rows[1:]] == [
        ["'=HYPERLINK(\"http://x/?\"&A1)@contoso.com", "waiting", "UserNotFound"],
        ["'-bob@contoso.com", "failed", "'+Other"],
    ]
    for pure in ("0", "1"):
        events = run("events", "-f", "csv", str(path), env={"LOGSYNC_PURE": pure}).stdout.decode()
        cells = [(row[0], row[8], row[9]) for row in csv.reader(events.splitlines()[1:])]
        assert cells == [
            ("sync_started", "", ""),
            ("user_add_requested", "'=HYPERLINK(\"http://x/?\"&A1)@contoso.com", ""),
            ("user_add_failed", "'=HYPERLINK(\"http://x/?\"&A1)@contoso.com", "UserNotFound"),
            ("user_add_requested", "'-bob@contoso.com", ""),
            ("user_add_failed", "'-bob@contoso.com", "'+Other"),
        ]


@pytest.mark.parametrize(
    ("text", "cell"),
    [("-5", "-5"), ("-", "-"), ("", ""), ("a=b", "a=b"), ("@x", "'@x"), ("-x", "'-x"), ("+", "'+")],
)
def test_a_csv_cell_is_quoted_only_where_it_would_be_a_formula(text: str, cell: str) -> None:
    from logsync.safety import csv_text

    assert csv_text(text) == cell


# -- broken files ----------------------------------------------------------------------------


def test_crash_debris_is_unparsed_and_the_rest_still_analysed(tmp_path: Path) -> None:
    good = (SAMPLES / "spec-case" / "CloudUserSync.log").read_bytes()
    lines = good.split(b"\r\n")
    debris = [
        *lines[:20],
        b"\0" * 4096,  # NUL padding after a crash
        b"caf\xe9 \xff\xfe broken bytes",  # invalid UTF-8
        *lines[20:-1],
        b"Failed to add user x@contoso.com; reason UserNotFound  $$<SMS_CLOUD_USERSYNC><09-15-20",
    ]
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"\r\n".join(debris))
    document = json.loads(run("report", "--all", "--format", "json", str(path)).stdout)
    (source,) = document["inputs"]
    assert (source["lines"], source["records"], source["unparsed"]) == (1738, 1736, 2)
    # the last line, cut in its trailer as the crash cut it, is read at the time of the record
    # before it (`formats.cutshort.cut_short`): x failed, though when exactly is not known
    assert [(u["upn"], u["state"], u["first_failure"]) for u in document["users"]] == [
        ("x@contoso.com", "waiting", "2014-09-15T10:24:12.425-04:00"),
        ("scott@contoso.com", "recovered", "2014-09-14T10:23:54-04:00"),
    ]
    problems = [
        (e["line"], e["problem"])
        for e in map(json.loads, run("events", "-k", "unparsed", str(path)).stdout.splitlines())
    ]
    assert problems == [(21, "NUL padding"), (22, "not a log record")]


def _cut_before_the_next(cut: int, nul: int) -> bytes:
    """The demo log with bob's failure (line 2441) cut `cut` bytes before its line's end, `nul`
    NULs after it (a crash's: the file's space taken, then not written), and Mallory's
    request, the next record, written on after them on the same line."""
    lines = (SAMPLES / "CloudUserSync.log").read_bytes().split(b"\r\n")
    assert lines[2440].startswith(b"Failed to add user bob@contoso.com; reason UserNotFound")
    lines[2440:2442] = [lines[2440][:-cut] + b"\0" * nul + lines[2441]]
    return b"\r\n".join(lines)


BOB = "Failed to add user bob@contoso.com; reason "


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("cut", "nul", "kept"),
    [
        (30, 2048, BOB + "UserNotFound  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:08."),
        (30, 0, BOB + "UserNotFound  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:08."),  # (its break lost)
        (60, 0, BOB + "UserNotFound  $$<SMS_CLOUD_"),  # (in the component's name)
        (80, 16, BOB + "UserNot"),  # (before its trailer: the NULs end it)
    ],
)
def test_a_record_cut_short_before_the_next_on_its_line_is_one_unparsed_line(
    tmp_path: Path, cut: int, nul: int, kept: str, pure: str
) -> None:
    """Read as one record, the two were bob's failure at Mallory's time (09:10:12.073, not
    09:10:08.462), and Mallory's request was lost, with nothing said. The record cut short is
    an `unparsed` line, and the next is read from where it begins (after a trailer cut short,
    or the NUL padding after it); the counts of the cycle say the rest (bob's failure and
    Mallory's add are not in the input: both pending)."""
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(_cut_before_the_next(cut, nul))
    events = run_installed("events", "--format", "ndjson", str(path), LOGSYNC_PURE=pure)
    assert [
        (e["kind"], e["text"]) for e in map(json.loads, events.stdout.decode().splitlines()) if e["line"] == 2441
    ] == [
        ("unparsed", kept),
        ("user_add_requested", "NotifyAccountAddition - SCCM user to add = Mallory.Admin@Contoso.com"),
    ]
    report = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    document = json.loads(report.stdout)
    (source,) = document["inputs"]
    assert (source["lines"], source["records"], source["unparsed"]) == (3040, 3040, 1)
    assert [(u["upn"], u["state"]) for u in document["users"]][4:7] == [
        ("bob@contoso.com", "pending"), ("frank@contoso.com", "pending"), ("Mallory.Admin@Contoso.com", "pending")
    ]
    assert "1 line is no record and not judged" in report.stderr.decode()


@pytest.mark.parametrize("padding", [1 << 16, 300_000])
def test_nul_padding_at_a_log_s_start_is_one_unparsed_line(tmp_path: Path, padding: int) -> None:
    """A crash soon after the log rotated leaves NULs where its first lines were to go: 64 KB
    or more of them, the whole of what the format is told from, made the input "no
    CloudUserSync records found" (a folder with such a log beside a good `.lo_`: refused)."""
    good = (SAMPLES / "spec-case" / "CloudUserSync.log").read_bytes()
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"\0" * padding + b"\r\n" + good)
    document = json.loads(run("report", "--all", "--format", "json", str(path)).stdout)
    (source,) = document["inputs"]
    assert (source["lines"], source["records"], source["unparsed"]) == (1736, 1735, 1)
    assert [u["state"] for u in document["users"]] == ["recovered"]


@pytest.mark.parametrize(
    ("first", "records", "unparsed"),
    [
        (  # a record whose message holds 70,000 characters (a dump of a payload)
            "CCloudUserSync::Process - " + "x" * 70_000 + "  $$<SMS_CLOUD_USERSYNC>"
            "<02-26-2023 19:53:40.000+480><thread=5616 (0x15F0)>",
            1736,
            0,
        ),
        ("\u2588" * 70_000, 1735, 1),  # junk: one line that is no record
    ],
)
def test_a_first_line_longer_than_the_format_sample_leaves_the_format_to_the_lines_after(
    tmp_path: Path, first: str, records: int, unparsed: int
) -> None:
    """The format was told from the first 64K characters alone: a first line longer than
    that made a log of 1,735 records "no CloudUserSync records found" (exit 2)."""
    good = (SAMPLES / "spec-case" / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    path = tmp_path / "CloudUserSync.log"
    path.write_text(first + "\r\n" + good, encoding="utf-8")
    document = json.loads(run("report", "--all", "--format", "json", str(path)).stdout)
    (source,) = document["inputs"]
    assert (source["format"], source["lines"]) == ("sms-trace", 1736)
    assert (source["records"], source["unparsed"]) == (records, unparsed)
    assert [u["state"] for u in document["users"]] == ["recovered"]


@pytest.mark.timeout(240)  # generous: a quadratic pass would take hours, so it fails, not hangs
def test_a_20_mb_line_without_newline_and_a_crafted_marker_line_cost_linear_time(
    tmp_path: Path,
) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@contoso.com",), {"a@contoso.com": "UserNotFound"})
    crafted = "  $$<" * 24_000 + "<thread=1>"
    path = tmp_path / "CloudUserSync.log"
    path.write_text(log.text() + crafted + "\n" + "x" * 20_000_000, encoding="utf-8")
    result = run("report", "--format", "json", str(path))
    document = json.loads(result.stdout)
    assert document["inputs"][0]["unparsed"] == 2
    assert [u["upn"] for u in document["users"]] == ["a@contoso.com"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 64, "{path}: no CloudUserSync records found"),
        (
            "\ufeff=== Verbose logging started: 9/14/2014  10:23:54  Build type: SHIP UNICODE 5.00.10011.00  ===\r\n"
            "MSI (c) (A4:B8) [10:23:54:123]: Resetting cached policy values\r\n".encode("utf-16"),
            "{path}: no CloudUserSync records found",
        ),
    ],
)
def test_unrecognisable_files_exit_2_naming_the_file(
    content: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(content)
    result = run("report", str(path))
    assert result.returncode == 2
    assert result.stderr.decode().startswith("logsync: error: " + message.format(path=path))
    assert len(result.stderr.decode().splitlines()) == 1


def test_missing_and_empty_directory(tmp_path: Path) -> None:
    assert run("report", str(tmp_path)).stderr.decode() == (
        f"logsync: error: {tmp_path}: no CloudUserSync.log or CloudUserSync.lo_ in this directory\n"
    )


def test_unreadable_input_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads anything, so unreadability is simulated where the program asks for it."""
    from typer.testing import CliRunner

    from logsync.cli import app

    locked = tmp_path / "locked.log"
    locked.write_text("x")
    monkeypatch.setattr("logsync.sources.os.access", lambda path, mode: False)
    result = CliRunner().invoke(app, ["report", str(locked)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"logsync: error: {locked}: permission denied\n",
    )
    monkeypatch.undo()

    def refuse(name: str, mode: str = "r") -> object:
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr("logsync.sharing.open", refuse, raising=False)
    result = CliRunner().invoke(app, ["report", str(locked)])
    assert (result.exit_code, result.stderr) == (2, f"logsync: error: {locked}: Permission denied\n")


def test_a_fifo_without_a_writer_is_read_like_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "CloudUserSync.log"
    os.mkfifo(fifo)
    data = (SAMPLES / "spec-case" / "CloudUserSync.log").read_bytes()
    process = subprocess.Popen(
        [LOGSYNC, "check", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with open(fifo, "wb") as writer:
        writer.write(data)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, without_log_end_note(err)) == (0, b"")
    assert out == b"ok: no waiting, overdue or failed user as of 2014-09-15T10:24:12.425-04:00\n"


@pytest.mark.parametrize("command", ["report", "check", "summary", "events"])
def test_an_empty_file_is_an_input_error_not_an_all_clear(tmp_path: Path, command: str) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"")
    result = run(command, str(path))
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        2,
        b"",
        f"logsync: error: {path}: empty input: no log lines\n",
    )


def test_blank_lines_only_are_no_records(tmp_path: Path) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_bytes(b"\r\n  \r\n\t\r\n")
    result = run("check", str(path))
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        2,
        b"",
        f"logsync: error: {path}: no log records, only 3 blank lines\n",
    )


@pytest.mark.parametrize("command", ["report", "check", "summary", "events"])
def test_empty_stdin_is_an_input_error(command: str) -> None:
    """`zcat missing.gz | logsync check`: gzip fails, logsync reads nothing."""
    result = run(command, "-", stdin=b"")
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        2,
        b"",
        "logsync: error: stdin: empty input: no log lines\n",
    )


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.log"
    big.write_bytes((SAMPLES / "CloudUserSync.log").read_bytes() * 20)
    pipeline = subprocess.run(
        f"'{LOGSYNC}' events '{big}' | head -1",
        shell=True,
        capture_output=True,
        timeout=120,
    )
    assert pipeline.stderr == b""
    assert json.loads(pipeline.stdout)["line"] == 1


@pytest.mark.parametrize("waited", [0.0, 1.0], ids=["as-it-starts", "reading"])
def test_ctrl_c_ends_quietly(waited: float) -> None:
    """Ctrl-C ends with 130 and nothing on stderr, whether it comes as the command loads its
    modules (before, that was a traceback and exit 1: a gate's "findings") or while it reads."""
    import time

    process = subprocess.Popen(
        [LOGSYNC, "events", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    process.stdin.write((SAMPLES / "spec-case" / "CloudUserSync.log").read_bytes()[:4000])
    process.stdin.flush()
    handling_signals(process)
    time.sleep(waited)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err == b""


# -- fuzzing ---------------------------------------------------------------------------------

RECORD = "NotifyAccountAddition - SCCM user to add = u{0}@contoso.com  $$<SMS_CLOUD_USERSYNC><09-14-2014 10:{0:02d}:00.000+240><thread=5616 (0x15F0)>"
JUNK = st.sampled_from(
    [
        "",
        "   ",
        "\0\0\0\0",
        "<![LOG[half",
        "x  $$<C><13-45-2014 99:99:99.000+240><thread=1>",
        "garbage $$< ><",
        "~~~",
    ]
)


def _accounted(path: Path) -> tuple[list, object]:
    stream = EventStream([str(path)])
    events = list(stream)
    stats = stream.inputs[0]
    assert stats.record_lines + stats.unparsed + stats.blank == stats.lines
    return events, stats


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(st.integers(0, 59).map(lambda n: RECORD.format(n).encode()), st.binary(max_size=120)),
        max_size=30,
    ),
    st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_arbitrary_bytes_between_records_are_all_accounted_for(
    tmp_path: Path, pieces: list[bytes], newline: bytes
) -> None:
    """Random bytes among real records: every line is a record, blank or unparsed, and every
    record line that the junk did not touch is read (the assertions run on every example)."""
    first = RECORD.format(7).encode()  # a record first: the input is a log, not gzip or UTF-16
    path = tmp_path / "fuzz.log"
    path.write_bytes(newline.join([first, *pieces]))
    events, stats = _accounted(path)
    intact = 1 + sum(1 for piece in pieces if piece.startswith(b"NotifyAccountAddition"))
    assert stats.records >= intact
    assert sum(1 for e in events if e.kind == "user_add_requested") >= intact
    assert stats.records + stats.unparsed >= 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.one_of(st.integers(0, 59).map(RECORD.format), JUNK), min_size=1, max_size=40),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_mixes_of_valid_and_broken_records_are_all_accounted_for(
    tmp_path: Path, lines: list[str], newline: str
) -> None:
    path = tmp_path / "mix.log"
    path.write_text(newline.join(lines), encoding="utf-8", newline="")
    valid = sum(1 for line in lines if line.startswith("NotifyAccountAddition"))
    try:
        events, stats = _accounted(path)
    except InputError:
        assert valid == 0
        return
    assert stats.records == valid
    assert sum(1 for e in events if e.kind == "user_add_requested") == valid


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (["a\tb"], "a\\tb"),
        (["a\tb", "c"], "a\\tb\tc"),
        (["a\t\tb", "c"], "a\\t\\tb\tc"),
    ],
)
def test_a_tab_inside_a_field_is_escaped_so_only_separators_are_tabs(fields: list[str], line: str) -> None:
    """A tab-separated line has exactly one tab between fields: a field's own tabs are shown
    as escapes, however many fields there are."""
    assert tab_joined(fields) == line


def test_a_remark_s_escape_sequences_reach_stderr_escaped(tmp_path: Path) -> None:
    """A remark added after a record (`<-- …`) is quoted by stderr's note: its escape
    sequences (an OSC title, a colour, a bell) are shown as escapes, never written raw."""
    lines = (SAMPLES / "CloudUserSync.log").read_bytes().split(b"\r\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(b"Failed to add user bob"))
    lines[at] += b"  <-- \x1b[31mRED\x1b]0;pwned\x07 this one"
    path = tmp_path / "remark.txt"
    path.write_bytes(b"\r\n".join(lines))
    result = run("report", str(path))
    assert result.returncode == 0
    assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr
    assert without_log_end_note(result.stderr).decode() == (
        f"logsync: {path}: 1 line holds a remark added to the copy "
        "(`<-- \\x1b[31mRED\\x1b]0;pwned\\x07 this one`), read without it\n"
    )
