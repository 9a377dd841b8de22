"""Hostile and broken input (SPEC §6): terminal safety, clear errors, linear time, fuzzing."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logsync.errors import InputError
from logsync.pipeline import EventStream
from logsync.safety import visible

from .conftest import SAMPLES
from .logtext import Log

HOSTILE = (
    "\x1b]0;pwned\x07\x1b[2J\x9b31m[bold red]evil[/][link=http://x]y[/link]\u202eoi@contoso.com"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "logsync", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def hostile_log(tmp_path: Path) -> str:
    log = Log()
    log.cycle("2014-09-14 10:00:00", (HOSTILE,), {HOSTILE: "User\x1b[5mNotFound"})
    log.cycle("2014-09-14 10:05:00", ("ok@contoso.com",))
    return log.write(tmp_path / "CloudUserSync.log")


def assert_terminal_safe(output: bytes) -> str:
    text = output.decode("utf-8")
    rest = SGR.sub("", text)  # rich's own colours are the only escape sequences allowed
    assert "\x1b" not in rest and "\x07" not in rest and "\x9b" not in rest and "\u202e" not in rest
    return rest


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "table", "--color", "always", "--all"],
        ["report", "--format", "text"],
        ["events", "--format", "table", "--color", "always"],
        ["events", "--format", "text"],
        ["timeline", HOSTILE, "--format", "table", "--color", "always"],
        ["timeline", HOSTILE, "--format", "text"],
        ["check"],
    ],
)
def test_human_output_shows_controls_and_markup_literally(args: list[str], tmp_path: Path) -> None:
    result = run(*args, hostile_log(tmp_path), env={"FORCE_COLOR": "1"})
    assert result.returncode in (0, 1)
    shown = assert_terminal_safe(result.stdout)
    if args[0] != "check":
        assert (
            "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m[bold red]evil[/][link=http://x]y[/link]\\u202eoi"
            in shown
        )


def test_csv_on_a_terminal_is_escaped_but_piped_csv_is_exact(tmp_path: Path) -> None:
    import io

    from logsync.render.machine import write_csv

    piped = run("report", "--format", "csv", hostile_log(tmp_path))
    assert HOSTILE.encode() in piped.stdout
    terminal = io.StringIO()
    write_csv(["upn"], [[HOSTILE]], terminal, safe=True)
    assert terminal.getvalue() == "upn\n" + visible(HOSTILE) + "\n"


def test_json_and_ndjson_carry_the_exact_text_and_stay_valid(tmp_path: Path) -> None:
    path = hostile_log(tmp_path)
    document = json.loads(run("report", "--format", "json", path).stdout)
    assert document["users"][0]["upn"] == HOSTILE
    assert document["users"][0]["reason"] == "User\x1b[5mNotFound"
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
    assert (source["lines"], source["records"], source["unparsed"]) == (1738, 1735, 3)
    assert [u["state"] for u in document["users"]] == ["recovered"]
    problems = [
        (e["line"], e["problem"])
        for e in map(json.loads, run("events", "-k", "unparsed", str(path)).stdout.splitlines())
    ]
    assert problems == [
        (21, "NUL padding"),
        (22, "not a log record"),
        (1738, "damaged SMS trace record"),
    ]


def test_a_20_mb_line_without_newline_and_a_crafted_marker_line_cost_linear_time(
    tmp_path: Path,
) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@contoso.com",), {"a@contoso.com": "UserNotFound"})
    crafted = "  $$<" * 24_000 + "<thread=1>"
    path = tmp_path / "CloudUserSync.log"
    path.write_text(log.text() + crafted + "\n" + "x" * 20_000_000, encoding="utf-8")
    started = time.monotonic()
    # a quadratic pass over these lines would not finish within the timeout
    result = run("report", "--format", "json", str(path))
    assert time.monotonic() - started < 110
    document = json.loads(result.stdout)
    assert document["inputs"][0]["unparsed"] == 2
    assert [u["upn"] for u in document["users"]] == ["a@contoso.com"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 64, "no CloudUserSync records found in {path}"),
        (
            "\ufeff=== Verbose logging started: 9/14/2014  10:23:54  Build type: SHIP UNICODE 5.00.10011.00  ===\r\n"
            "MSI (c) (A4:B8) [10:23:54:123]: Resetting cached policy values\r\n".encode("utf-16"),
            "no CloudUserSync records found in {path}",
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


def test_missing_unreadable_and_empty_directory(tmp_path: Path) -> None:
    assert run("report", str(tmp_path)).stderr.decode() == (
        f"logsync: error: {tmp_path}: no CloudUserSync.log or CloudUserSync.lo_ in this directory\n"
    )
    locked = tmp_path / "locked.log"
    locked.write_text("x")
    locked.chmod(0)
    if os.geteuid() != 0:  # root reads anything
        result = run("report", str(locked))
        assert (result.returncode, result.stderr.decode()) == (
            2,
            f"logsync: error: {locked}: permission denied\n",
        )


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
        f"'{sys.executable}' -m logsync events '{big}' | head -1",
        shell=True,
        capture_output=True,
        timeout=120,
    )
    assert pipeline.stderr == b""
    assert json.loads(pipeline.stdout)["line"] == 1


def test_ctrl_c_ends_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "logsync", "events", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    process.stdin.write((SAMPLES / "spec-case" / "CloudUserSync.log").read_bytes()[:4000])
    process.stdin.flush()
    time.sleep(1.0)
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
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.log"
    path.write_bytes(data)
    with contextlib.suppress(InputError):  # "no records found", "corrupt gzip data": exit 2
        _accounted(path)


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
