"""SMS-trace lines joined with a space (`paste -d' ' - - -`, a chat client or mail that lost
the line breaks): each line ends with a trailer, as a log's does, and was read as one record
whose message held the records before it. Users went missing or were judged from a few of
their lines (heidi with no first failure; cycles 599.674 s apart; stalls of 21 hours). Such
text is refused, as a reflow (`fmt`) of the log is, naming why."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import SAMPLES, run_installed

LINES = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
RUN_TOGETHER = (
    "SMS-trace records run together by a reflow (`fmt`, a mail client that joins lines: "
    "`...)> Failed to add user ...`), so its lines cannot be told apart: paste the log's lines "
    "as they are, or attach the log\n"
)


def joined(lines: list[str], per_line: int) -> str:
    """`paste -d' '` with `per_line` dashes: that many lines on each, joined by a space."""
    groups = [lines[k : k + per_line] for k in range(0, len(lines), per_line)]
    return "".join(" ".join(group) + "\n" for group in groups)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("command", ["report", "check", "summary", "events"])
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("two.txt", joined(LINES, 2)),
        ("seven.txt", joined(LINES, 7)),
        ("excerpt.txt", joined(LINES[2429:2470], 41)),  # (`paste -sd' '`: on one line)
        ("whole.txt", " ".join(LINES)),  # (longer than a sample, with no line break)
    ],
)
def test_records_joined_on_a_line_are_refused(
    tmp_path: Path, name: str, text: str, command: str, pure: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run_installed(command, str(path), LOGSYNC_PURE=pure)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == f"logsync: error: {path}: {RUN_TOGETHER}"


@pytest.mark.parametrize("pure", ["", "1"])
def test_one_record_a_line_is_read(tmp_path: Path, pure: str) -> None:
    """(The same lines, one a line: the excerpt is read.)"""
    path = tmp_path / "excerpt.txt"
    path.write_text(joined(LINES[2429:2470], 1), encoding="utf-8")
    result = run_installed("report", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0 and b"bob@contoso.com" in result.stdout
