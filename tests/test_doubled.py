"""An input whose lines are each written twice in a row (a log shipper that read the file twice,
its export sorted by time; a second reader that began later; `awk '{print;print}'`) is refused:
read as it was, the demo log gave ivan pending (he is overdue), 2 restarts, 1,193 cycles for 398
and "7 failed adds that no failure line of the input names"; doubled from line 300 on, 1,104
cycles (found by two testers). A component that writes one line several times is read."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from logsync.doubled import DOUBLED, not_doubled
from logsync.errors import InputError

from .conftest import SAMPLES, run_installed

DEMO = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()


def refusal(where: str) -> str:
    return (
        f"its lines are each written twice in a row, found at {where} (64 lines in a row at least, each "
        "followed by a copy of it): read so, each restart, cycle and notification there would "
        "count twice; give each line once (`uniq` writes it so)"
    )


def doubled(lines: list[str]) -> list[str]:
    return [copy for line in lines for copy in (line, line)]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("command", [["report"], ["check"], ["summary"], ["timeline", "bob"], ["events"]])
def test_the_demo_log_with_every_line_doubled_is_refused(tmp_path: Path, command: list[str], pure: str) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_text("\n".join(doubled(DEMO)) + "\n", encoding="utf-8-sig")  # (awk doubles the BOM's line)
    result = run_installed(*command, str(path), LOGSYNC_PURE=pure)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == f"logsync: error: {path}: {refusal('line 1')}\n"


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        ([DEMO[0], *doubled(DEMO[1:])], "line 2"),  # (all but the first)
        # a second reader from line 301, a piece twice: found at the first window in the pairs
        # (at the start of each 512 KB chunk, and each sixteenth of it, where a pair begins)
        (DEMO[:300] + doubled(DEMO[300:]), "line 487"),
        (DEMO[:1500] + doubled(DEMO[1500:2000]) + DEMO[2000:], "line 1,551"),
        (doubled(DEMO[:40]) + DEMO[40:], "line 1"),  # (its first 40 lines only)
    ],
)
def test_lines_doubled_from_anywhere_in_the_log_are_refused_naming_where(
    tmp_path: Path, lines: list[str], where: str
) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_text("\n".join(lines) + "\n")
    result = run_installed("check", str(path))
    assert (result.returncode, result.stderr.decode()) == (2, f"logsync: error: {path}: {refusal(where)}\n")


def test_doubled_on_stdin_and_packed_is_refused_naming_it(tmp_path: Path) -> None:
    data = ("\n".join(doubled(DEMO)) + "\n").encode()
    piped = run_installed("check", "-", stdin=data)
    assert (piped.returncode, piped.stderr.decode()) == (2, f"logsync: error: stdin: {refusal('line 1')}\n")
    packed = tmp_path / "CloudUserSync.log.gz"
    packed.write_bytes(gzip.compress(data))
    result = run_installed("report", str(packed))
    assert (result.returncode, result.stderr.decode()) == (2, f"logsync: error: {packed}: {refusal('line 1')}\n")


def test_a_sibling_log_doubled_beside_the_connector_s_is_read(tmp_path: Path) -> None:
    """A sibling log's records only tell causes: one doubled does not refuse the folder."""
    folder = tmp_path / "Logs"
    shutil.copytree(SAMPLES / "site-logs", folder)
    siblings = sorted(path for path in folder.iterdir() if path.name != "CloudUserSync.log")
    want = run_installed("check", str(folder))
    for path in siblings:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        path.write_text("\n".join(doubled(lines)) + "\n")
    got = run_installed("check", str(folder))
    assert got.returncode == want.returncode == 1
    assert got.stdout.split(b"\t")[:2] == want.stdout.split(b"\t")[:2] == [b"connector", b"connector_stopped"]
    assert "written twice" not in got.stderr.decode()


LATER = doubled(DEMO[200:240])


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        (DEMO[:80], None),  # (written once)
        (doubled(DEMO[: DOUBLED // 2]), "line 1"),  # (32 lines, in 16 pairs)
        (doubled(DEMO[: DOUBLED // 2])[:-1], None),  # (31)
        (doubled(DEMO[:40])[:-1], "line 1"),  # (the last pair cut)
        ([line for line in DEMO[:40] for _ in (1, 2, 3)], None),  # (each line three times)
        ([*doubled(DEMO[:10]), DEMO[10], *doubled(DEMO[11:25])], None),  # (one line once)
        ([*doubled(DEMO[:20]), DEMO[20], DEMO[20], DEMO[20]], None),  # (a run of 3)
        ([DEMO[0]] * 40, None),  # (one line written 40 times: a component's burst)
        ([x for line in DEMO[:20] for x in (line, line, "  ")], "line 1"),  # (a blank between)
        ([f"\ufeff{DEMO[0]}", DEMO[0], *doubled(DEMO[1:20])], "line 1"),
        ([DEMO[0], *doubled(DEMO[1:20])], "line 2"),
        (DEMO[:200] + LATER, "the record of "),  # (its first line's number not known)
    ],
)
def test_lines_are_doubled_where_a_window_of_them_comes_in_pairs(lines: list[str], where: str | None) -> None:
    first = None if where == "the record of " else 1
    try:
        not_doubled("\n".join(lines) + "\n", "x.log", first)
    except InputError as error:
        assert where is not None
        assert str(error).startswith(f"x.log: its lines are each written twice in a row, found at {where}")
        if first is None:  # (the record of a line of the pairs, by its trailer's time)
            stamps = [line.split("><")[1] for line in LATER]
            assert any(f" found at the record of {stamp} (" in str(error) for stamp in stamps)
    else:
        assert where is None


def test_watch_refuses_a_live_log_with_its_lines_doubled(tmp_path: Path) -> None:
    """`watch` reads its log through the same check as every command (it followed the doubled
    log, bob overdue with 2 failures; found by a reviewer)."""
    import subprocess

    from .conftest import LOGSYNC

    path = tmp_path / "CloudUserSync.log"
    path.write_text("\n".join(doubled(DEMO)) + "\n")
    process = subprocess.run(
        ["timeout", "-s", "INT", "10", LOGSYNC, "watch", "--format", "ndjson", str(path)],
        capture_output=True, timeout=60,
    )
    assert (process.returncode, process.stdout) == (2, b"")
    assert process.stderr.decode() == f"logsync: error: {path}: {refusal('line 1')}\n"


def test_a_doubled_line_with_no_trailer_is_named_by_its_text() -> None:
    lines = [f"line {n} of a note, with no trailer" for n in range(20)]
    with pytest.raises(InputError) as raised:
        not_doubled("\n".join(doubled(lines)) + "\n", "x.log", None)
    assert "found at the line 'line 0 of a note, with no trailer' (40 lines" in str(raised.value)
