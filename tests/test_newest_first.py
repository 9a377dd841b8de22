"""An export whose records are newest first (Splunk's and Log Analytics' order; `tac`): read in
reverse, and said. It was read as 411 runs merged by time, each cycle in reverse within its
second: all five users that the log shows stuck or synced came out `pending`, beside "6 failed
adds that no failure line names"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from logsync.merge import newest_first

from .conftest import SAMPLES, run_installed

DEMO = SAMPLES / "CloudUserSync.log"


def numbered_out(text: bytes, name: str) -> str:
    """A command's output without the input's name and line numbers (the reversed file's
    lines are numbered from its end)."""
    return re.sub(r'"line":\d+', '"line":0', text.decode().replace(name, "LOG"))


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_log_newest_first_gives_the_answers_of_the_log(tmp_path: Path, pure: str) -> None:
    lines = DEMO.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\r\n")[:-1]
    reversed_log = tmp_path / "export.log"
    reversed_log.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(reversed(lines)) + b"\r\n")
    for command in (["report", "--all"], ["summary"], ["timeline", "bob@contoso.com"]):
        got = run_installed(*command, "--format", "json", str(reversed_log), LOGSYNC_PURE=pure)
        want = run_installed(*command, "--format", "json", str(DEMO), LOGSYNC_PURE=pure)
        assert numbered_out(got.stdout, str(reversed_log)) == numbered_out(want.stdout, str(DEMO))
    check = run_installed("check", str(reversed_log), LOGSYNC_PURE=pure)
    assert check.returncode == 1
    assert check.stdout == run_installed("check", str(DEMO), LOGSYNC_PURE=pure).stdout
    assert check.stderr.decode().splitlines()[0] == (
        f"logsync: {reversed_log}: its records are newest first (an export sorted so): they "
        "were read in reverse"
    )
    events = run_installed("events", "--format", "ndjson", str(reversed_log), LOGSYNC_PURE=pure)
    first, *_, last = map(json.loads, events.stdout.decode().splitlines())
    assert (first["line"], first["kind"], last["line"]) == (3041, "component_started", 1)


@pytest.mark.parametrize(
    ("keys", "newest"),
    [
        ([4, 3, 2, 1], True),  # (three changes, all back)
        ([3, 2, 1], False),  # (two: too few to tell)
        ([3, 3, 2, 2, 1, 1, 0], True),  # (equal instants are no change)
        ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 2], True),  # (nine back, one forward)
        ([9, 8, 7, 6, 5, 4, 3, 2, 1, 2], False),  # (eight back, one forward)
        ([5, 6, 7, 1, 2, 3], False),  # (halves pasted in the wrong order)
        ([], False),
    ],
)
def test_which_inputs_are_newest_first(keys: list[int], newest: bool) -> None:
    assert newest_first(keys) is newest


@pytest.mark.parametrize(
    ("keys", "newest"),
    [
        # (reversed, with the threads' disorder going forward: three of eleven changes)
        ([90, 80, 81, 70, 60, 61, 50, 40, 41, 30, 20, 10], True),
        ([90, 80, 81, 70, 60, 61, 50, 40, 51, 30, 20, 10], False),  # (forward by 11: no disorder)
        ([90, 80, 81, 70, 60, 61, 50, 40, 50, 30, 20, 10], True),  # (forward by 10: within it)
        ([90, 89, 88, 87], True),  # (every change within it: each tells, as with none)
        ([90, 80, 70, 71, 72, 73, 74], False),  # (two long changes: every change tells)
        ([100, 50, 45, 0], True),  # (two long changes back and one within: every change tells)
        ([10, 20, 30, 40, 31, 32, 33], False),  # (in order, a piece a little back)
    ],
)
def test_changes_within_the_threads_disorder_are_none(keys: list[int], newest: bool) -> None:
    assert newest_first(keys, 10) is newest


def test_a_short_log_reversed_with_its_threads_disorder(tmp_path: Path) -> None:
    """The lab's site logs with their CloudUserSync.log reversed (20 lines, `tac`): 3 of its 19
    changes go forward where its threads wrote a little out of order (`.427` then `.429`), so
    it was read as 14 runs merged by time, and the wait for the certificate began a minute late
    (20:15:12.428)."""
    folder = tmp_path / "site-logs"
    folder.mkdir()
    for path in (SAMPLES / "site-logs").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    cloud = folder / "CloudUserSync.log"
    lines = cloud.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
    assert len(lines) == 20
    cloud.write_bytes(b"".join(reversed(lines)))
    for pure in ("", "1"):
        got = run_installed("report", "--format", "json", str(folder), LOGSYNC_PURE=pure)
        assert got.stderr.decode().splitlines()[0] == (
            f"logsync: {cloud}: its records are newest first (an export sorted so): they were "
            "read in reverse"
        )
        connector = json.loads(got.stdout)["connector"]
        assert (connector["state"], connector["since"]) == (
            "stopped", "2023-02-26T20:19:12.431-08:00"
        )
        assert "after waiting for its certificate since 2023-02-26T20:14:12.427-08:00:" in (
            connector["text"]
        )
        events = run_installed("events", "--format", "ndjson", str(cloud), LOGSYNC_PURE=pure)
        assert events.stderr.decode().splitlines()[0] == (
            f"logsync: {cloud}: its records are newest first (an export sorted so): they were "
            "read in reverse"
        )
        lines = [json.loads(event)["line"] for event in events.stdout.decode().splitlines()]
        assert lines == list(range(20, 0, -1))  # (the log's order: its lines from the last)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("first", "last"),
    [
        (2701, 2750),  # (bob and heidi held back: they were `recovered`, and `check` passed)
        (2280, 2399),  # (ivan overdue: he was `recovered`)
        (2079, 2083),  # (a cycle's notifications within one second: they were `pending`)
    ],
)
def test_an_excerpt_newest_first_gives_the_answers_of_the_excerpt(
    tmp_path: Path, first: int, last: int, pure: str
) -> None:
    """An export small enough to be read whole when sampled: its two ends alone did not show
    it newest first, so it was read as a run a cycle, each cycle back to front."""
    lines = DEMO.read_text(encoding="utf-8-sig").splitlines()[first - 1 : last]
    clean, newest = tmp_path / "clean.log", tmp_path / "export.log"
    clean.write_text("\n".join(lines) + "\n")
    newest.write_text("\n".join(reversed(lines)) + "\n")
    want = run_installed("check", str(clean), LOGSYNC_PURE=pure)
    got = run_installed("check", str(newest), LOGSYNC_PURE=pure)
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout) and want.returncode == 1
    assert got.stderr.decode().splitlines()[0] == (
        f"logsync: {newest}: its records are newest first (an export sorted so): they were read "
        "in reverse"
    )
