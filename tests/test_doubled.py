"""An input whose every line is written twice in a row (a log shipper that read the file twice,
its export sorted by time; `awk '{print;print}'`) is refused: read as it was, the demo log gave
ivan pending (he is overdue), 2 restarts, 1,193 cycles for 398 and "7 failed adds that no failure
line of the input names" (found by a tester). A component that writes one line several times,
or a piece of a log pasted twice, is read as it is."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from logsync.doubled import DOUBLED, HEAD_LINES, not_doubled
from logsync.errors import InputError

from .conftest import SAMPLES, run_installed

DEMO = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
REFUSAL = (
    "every line is written twice in a row (each of its first 100 lines is followed by a copy of "
    "it): read so, each restart, cycle and notification would count twice; give each line once "
    "(`uniq` writes it so)"
)


def doubled(lines: list[str]) -> str:
    return "".join(f"{line}\n{line}\n" for line in lines)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("command", [["report"], ["check"], ["summary"], ["timeline", "bob"], ["events"]])
def test_the_demo_log_with_every_line_doubled_is_refused(tmp_path: Path, command: list[str], pure: str) -> None:
    path = tmp_path / "CloudUserSync.log"
    path.write_text(doubled(DEMO), encoding="utf-8-sig")  # (awk doubles the BOM's line too)
    result = run_installed(*command, str(path), LOGSYNC_PURE=pure)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == f"logsync: error: {path}: {REFUSAL}\n"


def test_doubled_on_stdin_and_packed_is_refused_naming_it(tmp_path: Path) -> None:
    data = doubled(DEMO).encode()
    piped = run_installed("check", "-", stdin=data)
    assert (piped.returncode, piped.stderr.decode()) == (2, f"logsync: error: stdin: {REFUSAL}\n")
    packed = tmp_path / "CloudUserSync.log.gz"
    packed.write_bytes(gzip.compress(data))
    result = run_installed("report", str(packed))
    assert (result.returncode, result.stderr.decode()) == (2, f"logsync: error: {packed}: {REFUSAL}\n")


def test_a_piece_of_the_log_doubled_inside_it_is_read() -> None:
    """Lines 1,501 to 2,000 pasted twice (each line twice): the first lines are written once,
    the input is read (its states are the log's; its cycles there count twice)."""
    lines = DEMO[:1500] + [line for line in DEMO[1500:2000] for _ in (1, 2)] + DEMO[2000:]
    not_doubled("\n".join(lines) + "\n", "x.log")


@pytest.mark.parametrize(
    ("lines", "refused"),
    [
        (DEMO[:40], False),  # (written once)
        ([line for line in DEMO[: DOUBLED // 2] for _ in (1, 2)], True),  # (16 lines, in 8 pairs)
        ([line for line in DEMO[: DOUBLED // 2] for _ in (1, 2)][:-1], False),  # (15)
        ([line for line in DEMO[:40] for _ in (1, 2)][:-1], True),  # (the last pair cut: 79)
        ([line for line in DEMO[:40] for _ in (1, 2, 3)], False),  # (each line three times)
        ([*[line for line in DEMO[:40] for _ in (1, 2)][:30], DEMO[40], *DEMO[41:60]], False),
        ([line for line in DEMO[:20] for _ in (1, 2)] + [DEMO[20]] * 3, False),  # (a run of 3)
        ([DEMO[0]] * 40, False),  # (one line written 40 times: a component's burst)
        ([x for line in DEMO[:20] for x in (line, line, "  ")], True),  # (a blank between)
        ([f"\ufeff{DEMO[0]}", DEMO[0], *[line for line in DEMO[1:20] for _ in (1, 2)]], True),
        # the first `HEAD_LINES` lines are looked at: the pairs may end after them
        ([line for line in DEMO[: HEAD_LINES // 2] for _ in (1, 2)] + DEMO[100:200], True),
        ([line for line in DEMO[: HEAD_LINES // 2 - 1] for _ in (1, 2)] + DEMO[100:200], False),
    ],
)
def test_an_input_is_doubled_where_its_first_lines_come_in_pairs(lines: list[str], refused: bool) -> None:
    try:
        not_doubled("\n".join(lines) + "\n", "x.log")
    except InputError as error:
        assert refused
        assert str(error).startswith("x.log: every line is written twice in a row (each of its first ")
    else:
        assert not refused
