"""A mark a copy put before a record or a message to point at it (`--> Failed to add user …`,
`==> `, `→ `; `formats.remarks.unmarked`): the line is read without it, and stderr says so.

The record was a message of no known kind: bob's failure was lost in the log (bob `pending`, a
failed add that no failure line names), and in SPEC §1's excerpt scott was `synced` where he
waited a day and recovered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logsync.formats import remarks, sms
from logsync.sources import InputStats

from .conftest import SAMPLES, run_installed

TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")


def demo_lines() -> list[str]:
    return (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()


def written(path: Path, text: str) -> Path:
    path.write_bytes(text.encode())
    return path


def answers(path: Path, pure: str) -> tuple[list[tuple[str, str, str | None, str | None]], dict[str, int]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    (source,) = document["inputs"]
    counts = {name: source[name] for name in ("lines", "records", "unparsed")}
    users = [(u["upn"], u["state"], u["expected_recovery"], u["recovered_at"]) for u in document["users"]]
    return users, counts


def note(path: Path, mark: str, lines: int = 1) -> str:
    held = "1 line holds" if lines == 1 else f"{lines} lines hold"
    return f"logsync: {path}: {held} a remark added to the copy (`{mark}`), read without it"


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize(("line", "mark"), [(47, "--> "), (2441, "--> "), (2441, "==>\t"), (2441, "  -> "), (2441, "\u2192 ")])
def test_a_mark_before_a_record_of_the_log_is_taken_off(
    tmp_path: Path, line: int, mark: str, ending: str, pure: str
) -> None:
    """Line 47 is carol's failure (in the lines a pasted text is told by), line 2441 bob's."""
    lines = demo_lines()
    assert lines[line - 1].startswith("Failed to add user")
    clean = answers(written(tmp_path / "clean.log", ending.join(lines) + ending), pure)
    original = lines[line - 1]
    lines[line - 1] = mark + original
    path = written(tmp_path / "marked.log", ending.join(lines) + ending)
    assert answers(path, pure) == clean
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.returncode == 1
    assert check.stderr.decode().splitlines()[0] == note(path, mark.strip())
    assert check.stdout.decode().splitlines()[-1].startswith("FAIL: 5 users (3 waiting, 1 overdue, 1 failed)")
    events = run_installed("events", "--format", "ndjson", str(path), LOGSYNC_PURE=pure)
    (failure,) = [e for e in map(json.loads, events.stdout.decode().splitlines()) if e["line"] == line]
    assert (failure["kind"], failure["text"]) == ("user_add_failed", original.split("  $$<")[0])


SCOTT_RECOVERED = [("scott@contoso.com", "recovered", None, "2014-09-15T10:24:12")]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("                       Failed", "                   --> Failed"),  # (under its date)
        ("AM  NotifyAccountAddition", "AM  ==> NotifyAccountAddition"),  # (after its date)
        ("9/14/2014", "--> 9/14/2014"),  # (before its date)
    ],
)
def test_a_mark_in_spec_s_excerpt_is_taken_off(tmp_path: Path, old: str, new: str, pure: str) -> None:
    clean = answers(written(tmp_path / "clean.txt", TICKET), pure)
    assert clean[0] == SCOTT_RECOVERED
    path = written(tmp_path / "marked.txt", TICKET.replace(old, new, 1))
    assert answers(path, pure) == clean
    check = run_installed("check", "--fail-on", "waiting", str(path), LOGSYNC_PURE=pure)
    assert check.stderr.decode().splitlines()[0] == note(path, new.split()[-2] if new[0] != "-" else "-->")


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_mark_in_lines_with_no_time_is_taken_off(tmp_path: Path, pure: str) -> None:
    """The blog post's form (SPEC §2): message lines with no time, two of them marked."""
    text = (
        "NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
        "--> Failed to add user scott@contoso.com; reason UserNotFound\n"
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0\n"
        "  => NotifyAccountAddition - SCCM user to add = amy@contoso.com\n"
    )
    path = written(tmp_path / "quoted.txt", text)
    clean = answers(written(tmp_path / "clean.txt", text.replace("--> ", "").replace("  => ", "")), pure)
    assert [user[:2] for user in clean[0]] == [("scott@contoso.com", "waiting"), ("amy@contoso.com", "pending")]
    assert answers(path, pure) == clean
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.stderr.decode().splitlines()[0] == note(path, "-->", 2)


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("--> Failed to add user a@b.com; reason UserNotFound", "Failed to add user a@b.com; reason UserNotFound"),
        ("  ---> Failed to add user a@b.com; reason UserNotFound", "  Failed to add user a@b.com; reason UserNotFound"),
        ("=>\tFailed to add user a@b.com; reason UserNotFound", "Failed to add user a@b.com; reason UserNotFound"),
        ("\u27a1  Failed to add user a@b.com; reason UserNotFound", "Failed to add user a@b.com; reason UserNotFound"),
        ("----> Failed to add user a@b.com; reason UserNotFound", None),
        ("====> Failed to add user a@b.com; reason UserNotFound", None),
        ("-->Failed to add user a@b.com; reason UserNotFound", None),
        ("-- > Failed to add user a@b.com; reason UserNotFound", None),
        ("> Failed to add user a@b.com; reason UserNotFound", None),
        ("--> see the failure below", None),
        ("x --> Failed to add user a@b.com; reason UserNotFound", None),
    ],
)
def test_which_marks_are_taken_off(line: str, read: str | None) -> None:
    stats = InputStats("x")
    known = lambda text: text.startswith("Failed to add user")  # noqa: E731
    assert remarks.unmarked(line, known, stats) == (read or line)
    assert stats.remarked == (1 if read else 0)


@pytest.mark.parametrize(
    ("line", "marked"),
    [("--> x", True), ("\t==> x", True), ("-> x", True), ("\u25b6 x", True), ("----> x", False),
     ("-->x", False), ("a --> x", False), ("=> ", False), ("=>", False), ("=> $x", True)],
)
def test_which_chunks_are_read_the_plain_way(line: str, marked: bool) -> None:
    """The native scanner declines the same ASCII lines (`marked` in `_scan.c`): the answers of
    both paths above are equal."""
    assert remarks.marked_lines(f"\n{line}\n") is marked
    record = f"{line}  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:08.462+480><thread=5616 (0x15F0)>"
    assert sms.looks_like(record)
    assert (sms.split_records(f"\n{record}\n") is None) is remarks.marked_lines(f"\n{record}\n")


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_mark_before_a_cmtrace_record_is_taken_off(tmp_path: Path, pure: str) -> None:
    """scott's failure, marked in CMTrace's text (saved as UTF-8): it was a line that is no
    record, and scott was `synced`."""
    text = (SAMPLES / "cmtrace" / "CloudUserSync.log").read_text(encoding="utf-16")
    clean = answers(written(tmp_path / "clean.log", text), pure)
    assert [user[:2] for user in clean[0]] == [("scott@contoso.com", "recovered")]
    lines = text.split("\n")
    (failure,) = [k for k, line in enumerate(lines) if "Failed to add user scott" in line]
    lines[failure] = "--> " + lines[failure]
    path = written(tmp_path / "marked.log", "\n".join(lines))
    assert answers(path, pure) == clean
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.stderr.decode().splitlines()[0] == note(path, "-->")
