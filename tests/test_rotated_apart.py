"""A rotated log (it ends with the rotation marker) whose next file is not among the inputs:
`copy CloudUserSync*.log` of a site server that keeps history files takes a history file and the
live log, and not the `.lo_` written between them. The hours between were judged a stall of the
connector (`connector_stalled`, `past_stall`). A log is renamed while the connector writes it,
and the next file goes on at once: where the next records come later, the file between is not
given, and its lines are left out there (not a stall; the cycles of each file are in a row)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from logsync.sources import InputStats
from logsync.stats import FOLLOWED_US, left_out, rotated_apart
from logsync.times import micros

from .conftest import SAMPLES, run_installed

LINES = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
MARKER = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
HISTORY = "CloudUserSync-20261124-153010.log"


def folder(tmp_path: Path, next_line: int, marker: bool = True) -> Path:
    """A history file of the demo log's first 1,000 lines (with the marker), and the live log
    from line `next_line` on."""
    path = tmp_path / "Logs"
    path.mkdir()
    (path / HISTORY).write_bytes(b"".join(LINES[:1000]) + (MARKER if marker else b""))
    (path / "CloudUserSync.log").write_bytes(b"".join(LINES[next_line - 1 :]))
    return path


def users(*args: str, pure: str = "") -> list[tuple[str, str, str | None]]:
    result = run_installed("report", "--all", "--format", "json", *args, LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["users"]
    return [(u["upn"], u["state"], u["expected_recovery"]) for u in found]


def findings(path: Path, pure: str) -> tuple[list[str], str]:
    result = run_installed("summary", "--format", "json", str(path), LOGSYNC_PURE=pure)
    document = json.loads(result.stdout)
    codes = [f["code"] for f in document["findings"]] + [a["code"] for a in document["advice"]]
    return codes, result.stderr.decode()


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_history_file_and_the_live_log_leave_out_the_file_between(tmp_path: Path, pure: str) -> None:
    path = folder(tmp_path, 2001)
    codes, stderr = findings(path, pure)
    assert "connector_stalled" not in codes and "past_stall" not in codes
    assert (
        f"logsync: {path / HISTORY}: it ends with the rotation marker at "
        "2026-11-24T17:55:04.743-08:00, and the next record of the inputs is at "
        "2026-11-25T04:20:05.179-08:00: the log written between (the CloudUserSync.lo_ of then) "
        "is not given, and its lines are left out there\n"
    ) in stderr
    # the users' answers are the whole log's (the cycles of each file are in a row)
    assert users(str(path), pure=pure) == users(str(SAMPLES / "CloudUserSync.log"), pure=pure)
    check = run_installed("check", "--fail-on", "connector", str(path), LOGSYNC_PURE=pure)
    assert check.returncode == 0


@pytest.mark.parametrize("pure", ["", "1"])
def test_without_the_marker_the_silence_is_a_stall_still(tmp_path: Path, pure: str) -> None:
    """(Two files that do not say one was renamed: nothing says lines are left out.)"""
    codes, stderr = findings(folder(tmp_path, 2001, marker=False), pure)
    assert "connector_stalled" in codes and "past_stall" in codes
    assert "rotation marker" not in stderr


@pytest.mark.parametrize("pure", ["", "1"])
def test_the_next_file_going_on_at_once_leaves_nothing_out(tmp_path: Path, pure: str) -> None:
    path = folder(tmp_path, 1001)
    _, stderr = findings(path, pure)
    assert "rotation marker" not in stderr and "left out" not in stderr
    assert users(str(path), pure=pure) == users(str(SAMPLES / "CloudUserSync.log"), pure=pure)
    _, stderr = findings(SAMPLES / "rotated", pure)
    assert "rotation marker" not in stderr


PST = timezone(timedelta(hours=-8))
END = datetime(2026, 11, 24, 17, 55, 4, tzinfo=PST)


def stats(path: str, first: datetime, last: datetime) -> InputStats:
    found = InputStats(path)
    found.first_time, found.last_time = first, last
    return found


@pytest.mark.parametrize(
    ("later", "apart"),
    [
        (timedelta(microseconds=FOLLOWED_US), False),
        (timedelta(microseconds=FOLLOWED_US + 1), True),
        (timedelta(hours=10), True),
    ],
)
def test_how_soon_the_next_records_follow(later: timedelta, apart: bool) -> None:
    rotated = stats("a.log", END - timedelta(hours=8), END)
    live = stats("b.log", END + later, END + later + timedelta(hours=5))
    found = rotated_apart([rotated, live], {"a.log": micros(END)})
    assert [(place.stats.path, place.end, place.next_time) for place in found] == (
        [("a.log", micros(END), END + later)] if apart else []
    )
    assert bool(rotated.notes) is apart
    assert left_out([rotated, live], found) == ((micros(END), micros(END + later)) if apart else None)


def test_an_input_that_goes_on_across_the_end_leaves_nothing_out() -> None:
    rotated = stats("a.log", END - timedelta(hours=8), END)
    export = stats("export.log", END - timedelta(hours=1), END + timedelta(hours=12))
    live = stats("b.log", END + timedelta(hours=10), END + timedelta(hours=15))
    assert rotated_apart([rotated, export, live], {"a.log": micros(END)}) == []
    # (an input that ends there too does not go on: the file after it is not given)
    copy = stats("copy.log", END - timedelta(hours=1), END)
    found = rotated_apart([rotated, copy, live], {"a.log": micros(END)})
    assert [(place.stats.path, place.next_time) for place in found] == [("a.log", live.first_time)]
    # (not rotated: no end given)
    assert rotated_apart([rotated, live], {}) == []
    # (a sibling log is no record of the connector's to go on with)
    live.sibling = True
    assert rotated_apart([rotated, live], {"a.log": micros(END)}) == []
