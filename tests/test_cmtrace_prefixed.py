"""A CMTrace log with something put before each of its lines: a search's file name and line
number (`grep -n`, `Select-String`, `findstr`), or a Markdown list's mark or number. It was
refused ("no CloudUserSync records found"), where the same on SMS-trace lines is read: a
search's numbers were known only before an SMS-trace record, and a prefix was never looked for
before CMTrace's (`formats.copies.numbered`, `formats.prefixes.prefix_shape`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SAMPLES, run_installed

CMTRACE_TEXT = (SAMPLES / "cmtrace" / "CloudUserSync.log").read_text(encoding="utf-16")
FORMS: dict[str, Callable[[int, str], str]] = {
    "grep -n": lambda number, line: f"{number}:{line}",
    "Select-String": lambda number, line: f"C:\\Logs\\CloudUserSync.log:{number}:{line}",
    "findstr": lambda number, line: f"CloudUserSync.log:{line}",
    "cat -n": lambda number, line: f"{number:6d}\t{line}",
    "bullets": lambda number, line: f"- {line}",
    "numbered": lambda number, line: f"{number}. {line}",
}


def answers(path: Path, pure: str) -> tuple[list[tuple[object, ...]], int, int]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    users = [(u["upn"], u["state"], u["recovered_at"]) for u in document["users"]]
    return users, document["summary"]["cycles"], document["inputs"][0]["unparsed"]


def written(tmp_path: Path, text: str, form: str) -> Path:
    path = tmp_path / f"{form.replace(' ', '-')}.txt"
    lines = text.replace("\r\n", "\n").splitlines()
    path.write_text("".join(FORMS[form](n, line) + "\n" for n, line in enumerate(lines, 1)))
    return path


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("form", list(FORMS))
def test_a_cmtrace_log_with_a_prefix_before_each_line_gives_the_answers_of_the_log(
    tmp_path: Path, form: str, pure: str
) -> None:
    clean = tmp_path / "clean.log"
    clean.write_text(CMTRACE_TEXT, encoding="utf-16")
    expected = answers(clean, pure)
    assert expected == ([("scott@contoso.com", "recovered", "2014-09-15T10:24:12-04:00")], 3, 0)
    assert answers(written(tmp_path, CMTRACE_TEXT, form), pure) == expected


@pytest.mark.parametrize("form", ["grep -n", "bullets"])
def test_a_record_spanning_lines_keeps_its_lines_under_the_prefix(
    tmp_path: Path, form: str
) -> None:
    """A message of two lines (CMTrace keeps a record's line breaks): its second line carries
    the prefix too, and the record is read whole, as in the log."""
    spanning = CMTRACE_TEXT.replace(
        "<![LOG[Starting user delta sync",
        "<![LOG[Settings read:\r\nsync every 5 minutes]LOG]!><time=\"10:23:50.000+240\" "
        'date="9-14-2014" component="SMS_CLOUD_USERSYNC" context="" type="1" thread="5616" '
        'file="cloudusersync.cpp:100">\r\n<![LOG[Starting user delta sync',
        1,
    )
    path = written(tmp_path, spanning, form)
    result = run_installed("events", "--format", "ndjson", str(path))
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["kind"], e["text"]) for e in events[:2]] == [
        ("message", "Settings read:\nsync every 5 minutes"),
        ("sync_started", "Starting user delta sync, raise failure status messages = True"),
    ]
    assert len(events) == 11 and all(e["kind"] != "unparsed" for e in events)


def test_spaces_before_one_record_are_no_prefix_of_every_line(tmp_path: Path) -> None:
    """One record's line indented: spaces alone are no prefix, so a stack trace's own
    indentation (`   at …`, a message's later line) is kept, as in the log."""
    lines = CMTRACE_TEXT.replace("\r\n", "\n").splitlines(keepends=True)
    lines[3] = "  " + lines[3]
    lines[4] = lines[4].replace(
        "<![LOG[", "<![LOG[Exception while sending status message:\n"
        "System.TimeoutException: The operation has timed out.\n"
        "   at CloudUserSync.Status.Send()]LOG]!><time=\"10:23:54.020+240\" date=\"9-14-2014\" "
        'component="SMS_CLOUD_USERSYNC" context="" type="2" thread="5616" file="x.cpp:1">\n'
        "<![LOG[", 1,
    )
    path = tmp_path / "indented.log"
    path.write_text("".join(lines))
    result = run_installed("events", "--format", "ndjson", str(path))
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert (
        "Exception while sending status message:\nSystem.TimeoutException: The operation has "
        "timed out.\n   at CloudUserSync.Status.Send()"
    ) in texts
