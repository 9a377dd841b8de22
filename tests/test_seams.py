"""The runs of one input read each as a piece of it (`logsync.seams`): a file pasted together
in the wrong order is read once, a piece at a time, never held in memory, and answers exactly
as the plain reading through events does (`analyze(fast=False)`, which holds the runs and
tells shared records apart record by record)."""

from __future__ import annotations

import os
import re
from datetime import timedelta, timezone, tzinfo
from itertools import accumulate
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logsync import analyze
from logsync.analysis import Analysis
from logsync.bulk import how_to_read
from logsync.pipeline import ReadOptions
from logsync.seams import Piece
from logsync.tracker.model import UserState

from .conftest import SAMPLES

DEMO = SAMPLES / "CloudUserSync.log"
LINES = DEMO.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
"""The demo log's lines, without its byte-order mark (3,041, each ending in CRLF)."""


def as_plainly(path: Path) -> Analysis:
    """The reading of events that holds each run: the reference the pieces are held to."""
    return analyze([str(path)], fast=False)


def same_answers(pieces: Analysis, plain: Analysis) -> None:
    assert pieces.users == plain.users
    assert (pieces.as_of, pieces.duplicates, pieces.runs) == (plain.as_of, plain.duplicates, plain.runs)
    assert [stats.fields() for stats in pieces.inputs] == [stats.fields() for stats in plain.inputs]
    assert pieces.result.connector == plain.result.connector


def answer(user: UserState) -> tuple[object, ...]:
    """What a user's answer holds, apart from where its failure is (input and line)."""
    return (user.upn, user.state, user.reason, user.failures, user.requests, user.instants)


def write(path: Path, *parts: list[bytes]) -> Path:
    path.write_bytes(b"".join(line for part in parts for line in part))
    return path


def never_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail where an input would be read whole and split into runs held in memory."""
    from logsync import pipeline

    def held(*_: object) -> None:
        raise AssertionError("an input read whole and held as runs")

    monkeypatch.setattr(pipeline, "split_event_runs", held)


def read_in_pieces(path: Path, monkeypatch: pytest.MonkeyPatch, source_tz: tzinfo | None = None) -> Analysis:
    """The analysis of a file of runs, never held in memory, after checking that it answers
    as the plain reading does."""
    plain = analyze([str(path)], fast=False, source_tz=source_tz)
    never_held(monkeypatch)
    read = analyze([str(path)], source_tz=source_tz)
    same_answers(read, plain)
    return read


def pieces_of(path: Path, source_tz: tzinfo | None = None) -> list[tuple[int, int, int, bool]]:
    """(start, first line, records skipped, rotated) of each piece `how_to_read` finds."""
    reading = how_to_read([str(path)], ReadOptions(source_tz=source_tz))
    return [(p.start, p.first_line, p.skipped, p.rotated) for p in reading.pieces.get(str(path), [])]


MARKER = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
BOM = b"\xef\xbb\xbf"


def lone_cr(lines: list[bytes]) -> list[bytes]:
    return [line.rstrip(b"\r\n") + b"\r" for line in lines]


def no_such_day(line: bytes) -> bytes:
    return re.sub(rb"<\d\d-\d\d-2026", b"<02-30-2026", line)


SHAPES: dict[str, tuple[list[bytes], bool, list[tuple[int, int, int, bool]]]] = {
    # (the file's lines, read as rows, its pieces); lines 1545 to 1548 are within half a second
    "the last line first": (LINES[1:] + LINES[:1], True, [(0, 1, 0, False), (414407, 3041, 0, False)]),
    "a seam after the first line": ([LINES[1549], *LINES[:1549]], True, [(0, 1, 0, False), (136, 2, 0, False)]),
    "nothing but copies before the seam": (
        LINES[1545:1548] + LINES[:1548], False, [(0, 1, 0, False), (427, 4, 0, False)]
    ),
    "a byte-order mark before each half": (
        [BOM, *LINES[1544:], BOM, *LINES[:1548]], True, [(566, 5, 4, False), (204027, 1498, 0, False)]
    ),
    "a blank line at the seam": (
        [*LINES[1544:], b"\r\n", *LINES[:1548]], True, [(563, 5, 4, False), (204026, 1499, 0, False)]
    ),
    "a blank line first": (
        [b"\n", *LINES[1544:], *LINES[:1548]], False, [(0, 1, 0, False), (204025, 1499, 0, False)]
    ),
    "no such day before the seam": (
        [*LINES[1544:-1], no_such_day(LINES[-1]), *LINES[:1548]],
        True,
        [(563, 5, 4, False), (204024, 1498, 0, False)],
    ),
    "lone CRs, three runs": (
        lone_cr(LINES[2000:] + LINES[1000:2000] + LINES[:1000]),
        True,
        [(0, 1, 0, False), (140796, 1042, 0, False), (276171, 2042, 0, False)],
    ),
    "lone CRs, copies at the seam": (
        lone_cr(LINES[1544:] + LINES[:1548]), True, [(559, 5, 4, False), (202527, 1498, 0, False)]
    ),
    "the marker between runs": (
        [*LINES[2000:], *LINES[1000:2000], MARKER, *LINES[:1000]],
        True,
        [(0, 1, 0, False), (141837, 1042, 0, True), (278260, 2043, 0, False)],
    ),
    "a record after the marker": (
        [*LINES[1550:], *LINES[:1549], MARKER, LINES[1549]],
        True,
        [(0, 1, 0, False), (203186, 1492, 0, False)],
    ),
    "lone CRs, the marker at the end": (
        lone_cr([LINES[1549], *LINES[1550:], *LINES[:1550], MARKER]),
        True,
        [(0, 1, 0, False), (201830, 1493, 0, True)],
    ),
    "copies, then an older half": (
        [*LINES[1544:], *LINES[1000:1548], *LINES[:1000], MARKER],
        True,
        [(563, 5, 4, False), (204024, 1498, 0, False), (278775, 2046, 0, True)],
    ),
    # an older half that begins with copies of the end of the run before it in time: those
    # are copies (only the run that begins where a half ends continues it)
    "the later run the older half": (
        [*LINES[1000:], MARKER, *LINES[:1003]], True, [(436, 4, 3, True), (278260, 2043, 0, False)]
    ),
    "a run the samples miss": (
        LINES[1550:] + LINES[:800] + LINES[100:105] + LINES[800:1550],
        True,
        [(0, 1, 0, False), (203186, 1492, 0, False)],
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_pieces_of_each_shape_answer_as_the_plain_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    lines, rows, expected = SHAPES[shape]
    path = write(tmp_path / "all.log", lines)
    reading = how_to_read([str(path)], ReadOptions())
    assert (reading.rows, pieces_of(path)) == (rows, expected)
    if shape == "a run the samples miss":  # the reading finds it, and reads the file again
        same_answers(analyze([str(path)]), as_plainly(path))
    else:
        read_in_pieces(path, monkeypatch)


def test_times_without_an_offset_are_pieced_in_the_source_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [line.replace(b"+480>", b">") for line in LINES[1544:] + LINES[:1548]]
    path = write(tmp_path / "all.log", lines)
    zone = timezone(timedelta(hours=-8))
    assert pieces_of(path) == []  # (no instants without a zone)
    assert pieces_of(path, zone) == [(547, 5, 4, False), (198036, 1498, 0, False)]
    assert read_in_pieces(path, monkeypatch, zone).duplicates == 4


@pytest.mark.parametrize(
    ("ends", "bom"),
    [("\r\n", False), ("\n", False), ("\r", False), ("\r\n", True), ("\n", True)],
    ids=["CRLF", "LF", "CR", "CRLF, a mark at the seam", "LF, a mark at the seam"],
)
def test_a_seam_is_placed_on_the_line_the_decoder_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ends: str, bom: bool
) -> None:
    """The later half first (`type b.log a.log`, each copy with its byte-order mark or not),
    in every kind of line end: the second piece begins at the first line of the earlier half,
    line 1492, and every user's failure line is the one the plain reading gives."""
    lines = [line.rstrip(b"\r\n") + ends.encode() for line in LINES]
    mark = [b"\xef\xbb\xbf"] if bom else []
    path = write(tmp_path / "all.log", mark, lines[1550:], mark, lines[:1550])
    offset = len(mark[0] if bom else b"") + sum(map(len, lines[1550:]))
    assert pieces_of(path) == [(0, 1, 0, False), (offset, 1492, 0, False)]
    read = read_in_pieces(path, monkeypatch)
    assert read.runs == ((str(path), 2),)
    moved = {  # a line of the demo log is 1,491 lines further on if in the earlier half
        u.upn: u.failure_line + 1491 if u.failure_line <= 1550 else u.failure_line - 1550
        for u in analyze([str(DEMO)]).users
        if u.failure_line
    }
    assert {u.upn: u.failure_line for u in read.users if u.failure_line} == moved
    assert len(moved) == 6
    assert {u.upn: u.moments for u in read.users} == {u.upn: u.moments for u in analyze([str(DEMO)]).users}


def test_halves_that_repeat_lines_at_their_seam_leave_the_copies_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two excerpts that share four lines (1545 to 1548, within half a second), the later one
    first: the piece of the earlier one is read whole, and the later one's first four lines,
    copies of the other's last, are left out: 4 duplicates, 3,045 lines, as the plain reading
    counts them."""
    path = write(tmp_path / "all.log", LINES[1544:], LINES[:1548])
    seam = sum(map(len, LINES[1544:]))
    assert pieces_of(path) == [(sum(map(len, LINES[1544:1548])), 5, 4, False), (seam, 1498, 0, False)]
    read = read_in_pieces(path, monkeypatch)
    assert (read.duplicates, read.inputs[0].lines, read.inputs[0].records) == (4, 3045, 3045)
    assert {u.upn: u.moments for u in read.users} == {u.upn: u.moments for u in analyze([str(DEMO)]).users}


OWN = LINES[1549].replace(b"04.548", b"04.549")
"""Line 1550 of the demo log a millisecond later: a record of its own."""


@pytest.mark.parametrize(
    ("parts", "duplicates"),
    [
        # the later excerpt begins with a line of its own, then a copy of the other's last line
        (([OWN, LINES[1549]], LINES[1550:], LINES[:1550]), 1),
        # the later run holds five lines of the earlier one's middle pasted again in its own
        ((LINES[1000:2000], LINES[:1000], LINES[1500:1505], LINES[2000:]), 5),
    ],
    ids=["a copy after a line of its own", "copies inside a run"],
)
def test_records_shared_beyond_a_piece_s_first_lines_are_told_apart_by_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: tuple[list[bytes], ...], duplicates: int
) -> None:
    """Shared records that are not a copy at a piece's start: the pieces are read as events,
    which tell them apart wherever they are, still a piece at a time."""
    path = write(tmp_path / "all.log", *parts)
    reading = how_to_read([str(path)], ReadOptions())
    assert (reading.rows, [p.skipped for p in reading.pieces[str(path)]]) == (False, [0, 0])
    assert read_in_pieces(path, monkeypatch).duplicates == duplicates


def test_a_line_written_many_times_at_the_seam_counts_as_often_as_one_run_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shape of the lab's SMSProv.lo_/.log seam, without the rotation marker: the earlier
    run ends with a line written twice, the later begins with it three times. The plain
    reading keeps as many copies as the one run that holds it most often (3): the piece
    leaves out its first two."""
    last = LINES[1549]
    path = write(tmp_path / "all.log", [last] * 3, LINES[1550:], LINES[:1550], [last])
    assert [skipped for _, _, skipped, _ in pieces_of(path)] == [2, 0]
    read = read_in_pieces(path, monkeypatch)
    assert (read.duplicates, read.inputs[0].records) == (2, 3045)


def test_an_older_half_that_ends_with_the_rotation_marker_keeps_every_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.lo_` pasted after its `.log`: renamed, not copied, so the line written on both sides
    of the seam counts on both."""
    last = LINES[1549]
    marker = [b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"]
    path = write(tmp_path / "all.log", [last], LINES[1550:], LINES[:1550], marker)
    seam = len(last) + sum(map(len, LINES[1550:]))
    assert pieces_of(path) == [(0, 1, 0, False), (seam, 1493, 0, True)]
    read = read_in_pieces(path, monkeypatch)
    assert (read.duplicates, read.inputs[0].records, read.inputs[0].unparsed) == (0, 3042, 1)


def test_a_run_inside_the_span_of_another_is_read_as_events_still_a_piece_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines 1,001 to 2,000, then the rest of the log: the second run's span holds the first,
    which shares none of its records (nothing to read as copies)."""
    path = write(tmp_path / "all.log", LINES[1000:2000], LINES[:1000], LINES[2000:])
    reading = how_to_read([str(path)], ReadOptions())
    assert (reading.rows, len(reading.pieces[str(path)])) == (False, 2)
    assert read_in_pieces(path, monkeypatch).duplicates == 0


# the slices of the demo log's lines pasted one after another; the pieces they are read in:
# (where each begins: the slice and the lines into it; its first line; copies; continues)
SHARED: dict[str, tuple[list[tuple[int, int]], list[tuple[int, int, int, bool, bool]]]] = {
    "the same log twice": ([(0, 3041), (0, 3041)], [(0, 0, 1, False, False), (1, 0, 3042, True, False)]),
    "three times": (
        [(0, 3041)] * 3,
        [(0, 0, 1, False, False), (1, 0, 3042, True, False), (2, 0, 6083, True, False)],
    ),
    "an export, then a longer one": (
        [(0, 1000), (0, 2000)],
        [(0, 0, 1, False, False), (1, 0, 1001, True, False), (1, 1000, 2001, False, True)],
    ),
    "an export, then a shorter one": (
        [(0, 2000), (0, 1000)],
        [(0, 0, 1, False, False), (1, 0, 2001, True, False)],
    ),
    "halves that overlap by five lines": (
        [(1545, 3041), (0, 1550)],
        [(0, 0, 1, True, False), (0, 5, 6, False, True), (1, 0, 1497, False, False)],
    ),
    "lines of the middle again at the end": (
        [(0, 3041), (1000, 1500)],
        [(0, 0, 1, False, False), (1, 0, 3042, True, False)],
    ),
}


@pytest.mark.parametrize("bom", [False, True], ids=["", "with the log's byte-order mark"])
@pytest.mark.parametrize("shape", list(SHARED))
def test_runs_that_share_bytes_are_read_as_rows_past_their_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str, bom: bool
) -> None:
    """A log pasted after itself (`type a.log a.log`, each copy with the byte-order mark the
    log begins with), or exports of it pasted together: a run that begins with the bytes
    another ends with, or is wholly made of its bytes, is read as rows, its copies for their
    counts only, as the plain reading counts them (before, the input was read as events)."""
    spans, expected = SHARED[shape]
    parts = [[BOM] * (bom and start == 0) + LINES[start:end] for start, end in spans]
    path = write(tmp_path / "all.log", *parts)
    at = [0, *accumulate(len(b"".join(part)) for part in parts)]

    def offset(part: int, lines: int) -> int:
        return at[part] + (len(b"".join(parts[part][: lines + (parts[part][0] == BOM)])) if lines else 0)

    starts = [offset(part, lines) for part, lines, *_ in expected]
    reading = how_to_read([str(path)], ReadOptions())
    assert reading.rows
    found = [(p.start, p.end, p.first_line, p.copies, p.continues) for p in reading.pieces[str(path)]]
    assert found == [
        (start, end, line, copies, continues)
        for start, end, (_, _, line, copies, continues) in zip(starts, [*starts[1:], None], expected, strict=True)
    ]
    plain = as_plainly(path)
    no_events(monkeypatch)
    read = analyze([str(path)])
    same_answers(read, plain)
    lines = [line for start, end in spans for line in range(start, end)]
    assert read.duplicates == len(lines) - len(set(lines))  # (each of the log's lines once)
    assert read.runs == ((str(path), len(spans)),)
    clean = write(tmp_path / "clean.log", LINES[min(lines) : max(lines) + 1])
    assert [answer(user) for user in read.users] == [answer(user) for user in analyze([str(clean)]).users]


@pytest.mark.parametrize(
    "parts",
    [
        (slice(1550, None), slice(None, 1550)),
        # a run of ten lines between samples, inside the second run: only the reading sees it
        (slice(1550, None), slice(None, 1500), slice(200, 210), slice(1500, 1550)),
    ],
    ids=["halves swapped", "a run the samples miss inside a run they see"],
)
def test_events_of_a_file_pasted_in_the_wrong_order_list_each_record_once_in_time_order(
    tmp_path: Path, parts: tuple[slice, ...]
) -> None:
    """`events` streams as it reads: a run found inside a piece could not be merged back into
    what is written already, so the pieces are read for their instants first, and the seam of
    a run found so is looked for near its line, as `report` looks for it: the runs are still
    written one after another, never merged record by record nor held."""
    from typer.testing import CliRunner

    from logsync import pipeline
    from logsync.cli import app

    path = write(tmp_path / "all.log", *(LINES[part] for part in parts))
    clean = CliRunner().invoke(app, ["events", "--format", "csv", str(DEMO)])
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(pipeline, "EventStream", None)
        patched.setattr(pipeline, "split_event_runs", None)
        pasted = CliRunner().invoke(app, ["events", "--format", "csv", str(path)])
    assert pasted.exit_code == clean.exit_code == 0
    rows = [line.split(",", 4)[4] for line in pasted.stdout.splitlines()[1:]]
    assert rows == [line.split(",", 4)[4] for line in clean.stdout.splitlines()[1:]]
    assert len(rows) == 3041
    assert "merged by time" in pasted.stderr and "file order" not in pasted.stderr


@settings(max_examples=int(os.environ.get("LOGSYNC_FUZZ_EXAMPLES", "12")), deadline=None)
@given(data=st.data())
def test_pieces_of_the_demo_log_in_any_order_answer_as_the_plain_reading(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """The demo log cut at any lines into two to four pieces, each repeating up to three lines
    of the one before it, pasted in any order into one file, or given as files of their own:
    they read as the plain reading does."""
    cuts = sorted(data.draw(st.sets(st.integers(1, len(LINES) - 1), min_size=1, max_size=3)))
    bounds = list(zip([0, *cuts], [*cuts, len(LINES)], strict=True))
    parts = [
        LINES[max(0, start - data.draw(st.integers(0, 3))) : end] for start, end in bounds
    ]
    order = data.draw(st.permutations(parts))
    folder = tmp_path_factory.mktemp("pieces")
    if data.draw(st.booleans()):
        names = [str(write(folder / "all.log", *order))]
    else:
        names = [str(write(folder / f"{index}.log", part)) for index, part in enumerate(order)]
    same_answers(analyze(names), analyze(names, fast=False))


def test_an_input_whose_samples_mostly_go_back_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo log cut into ten runs pasted last first: every gap between samples goes back.
    Looking through more than a quarter of an input (past `SCAN_FLOOR`) for its seams costs
    more than it saves: it is read whole, held, as the plain reading reads it."""
    from logsync import seams

    runs = [LINES[start : start + 305] for start in range(0, len(LINES), 305)]
    path = write(tmp_path / "all.log", *reversed(runs))
    assert len(pieces_of(path)) == 10
    monkeypatch.setattr(seams, "SCAN_FLOOR", 100_000)  # (the demo log is 415 KB)
    assert pieces_of(path) == []
    assert how_to_read([str(path)], ReadOptions()).split == {str(path): 0}
    read = analyze([str(path)])
    same_answers(read, as_plainly(path))
    assert read.runs == ((str(path), 10),)


def test_a_byte_of_another_code_page_in_a_later_piece_is_counted_for_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Line 101 holds a cp1252 byte: its piece reads it so, and the input says so, as the
    plain reading does."""
    odd = LINES[100].replace(b"- ", b"- \xe9 ", 1)
    path = write(tmp_path / "all.log", LINES[1550:], LINES[:100], [odd], LINES[101:1550])
    assert pieces_of(path) == [(0, 1, 0, False), (203186, 1492, 0, False)]
    stats = read_in_pieces(path, monkeypatch).inputs[0]
    assert (stats.encoding, stats.fallback_lines) == ("utf-8+cp1252", 1)


@pytest.mark.parametrize(("given", "cut"), [(None, True), ("sms-trace", True), ("cmtrace", False)])
def test_an_input_read_in_another_format_than_sms_trace_is_not_cut_into_pieces(
    tmp_path: Path, given: str | None, cut: bool
) -> None:
    path = write(tmp_path / "all.log", LINES[1550:], LINES[:1550])
    reading = how_to_read([str(path)], ReadOptions(input_format=given))
    assert [(p.start, p.first_line) for p in reading.pieces.get(str(path), [])] == (
        [(0, 1), (203186, 1492)] if cut else []
    )


@pytest.mark.parametrize("shape", list(SHAPES))
def test_seams_found_a_few_bytes_at_a_time_are_those_found_a_block_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    """Seams and line numbers are found a block at a time: with 97-byte blocks, every line
    break (a CRLF among them) and record falls across some block's end."""
    from logsync import seams

    path = write(tmp_path / "all.log", SHAPES[shape][0])
    expected = pieces_of(path)
    monkeypatch.setattr(seams, "_BLOCK", 97)
    assert pieces_of(path) == expected


def _two(folder: Path, first: list[bytes], second: list[bytes], names: tuple[str, str]) -> list[str]:
    return [str(write(folder / name, lines)) for name, lines in zip(names, (first, second), strict=True)]


@pytest.mark.parametrize(
    ("quoting", "rows"),
    [(b"", True), (b"> ", False), (b"12:", False)],
    ids=["as written", "quoted", "numbered by grep -n"],
)
def test_a_pasted_excerpt_that_meets_the_log_is_told_apart_record_by_record(
    tmp_path: Path, quoting: bytes, rows: bool
) -> None:
    """The log to line 2444, and an excerpt from line 2442 on: three shared lines. As written,
    the excerpt is read from past them; quoted (or numbered), its lines are no copies of the
    log's as they stand, so the two are read as events, which tell the records apart."""
    excerpt = [quoting + line for line in LINES[2441:]]
    names = _two(tmp_path, LINES[:2444], excerpt, ("CloudUserSync.log", "ticket.txt"))
    reading = how_to_read(names, ReadOptions())
    assert (reading.rows, [p.skipped for runs in reading.pieces.values() for p in runs]) == (
        (True, [3]) if rows else (False, [])
    )
    read, plain = analyze(names), analyze(names, fast=False)
    same_answers(read, plain)
    assert (read.duplicates, read.result.connector.state) == (3, "running")
    assert {u.upn: u.state for u in read.users}["ivan@contoso.com"] == "overdue"


def test_a_history_file_that_ends_with_the_marker_is_an_older_half_both_ways(
    tmp_path: Path,
) -> None:
    """A history file that ends with the rotation marker was renamed, as a `.lo_` is: the three
    lines it shares with the start of the `.log` were written on both sides of the seam, and
    all count, in both readings (its end is sampled: `Reading.ends`)."""
    first = [*LINES[:1487], MARKER]
    names = _two(tmp_path, first, LINES[1484:], ("CloudUserSync-20261124.log", "CloudUserSync.log"))
    assert how_to_read(names, ReadOptions()).ends.keys() == {names[0]}
    read, plain = analyze(names), analyze(names, fast=False)
    same_answers(read, plain)
    assert (read.duplicates, sum(s.records for s in read.inputs)) == (0, 3044)


def test_a_cp1252_byte_in_the_copies_left_out_is_counted_for_its_input(tmp_path: Path) -> None:
    odd = LINES[1485].replace(b"cloud", b"cloud\xe9", 1)
    names = _two(tmp_path, [*LINES[:1485], odd, LINES[1486]], [odd, *LINES[1486:]], ("a.log", "b.log"))
    assert [p.skipped for runs in how_to_read(names, ReadOptions()).pieces.values() for p in runs] == [2]
    read, plain = analyze(names), analyze(names, fast=False)
    same_answers(read, plain)
    assert [(s.encoding, s.fallback_lines) for s in read.inputs] == [("utf-8+cp1252", 1), ("utf-8+cp1252", 1)]


@pytest.mark.parametrize(
    "order",
    [("half", "half", "newer"), ("newer", "half", "half"), ("half", "newer", "half")],
    ids=lambda order: " ".join(order),
)
def test_an_older_half_pasted_twice_counts_once_and_its_seam_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: tuple[str, ...]
) -> None:
    """`type CloudUserSync.lo_ CloudUserSync.lo_ CloudUserSync.log > all.log`: the older half
    is renamed, not copied, so its records all count where they meet the newer half's; but a
    second copy of it is a copy, whatever it ends with. Its 1,500 records count once."""
    parts = {"half": [*LINES[:1500], MARKER], "newer": LINES[1500:]}
    path = write(tmp_path / "all.log", *(parts[name] for name in order))
    read = read_in_pieces(path, monkeypatch)
    clean = analyze([str(DEMO)])
    assert [answer(user) for user in read.users] == [answer(user) for user in clean.users]
    assert (read.duplicates, read.result.cycles, len(read.result.restarts)) == (1500, 398, 1)
    assert read.result.unnamed_failures == 0


def test_an_older_half_pasted_twice_still_keeps_the_line_written_on_both_sides_of_its_seam(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The half's last line written again first in the newer half (as the connector wrote one
    line on both sides of a rotation), and the half pasted twice: the second copy of the half
    counts once (its 1,500 records are duplicates), the line at the seam twice."""
    half = [*LINES[:1500], MARKER]
    newer = [LINES[1499], *LINES[1500:]]
    path = write(tmp_path / "all.log", half, half, newer)
    read = read_in_pieces(path, monkeypatch)
    assert (read.duplicates, sum(s.records for s in read.inputs)) == (1500, 1500 + 1500 + 1542)


# -- runs that the samples miss, found by the reading -----------------------------------------


def test_lines_are_found_where_the_decoder_counts_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """LF, CRLF and a lone CR each end one line, a CRLF cut between two blocks too; a line past
    the end is at the input's size."""
    import io

    from logsync import seams

    monkeypatch.setattr(seams, "_BLOCK", 4)
    data = b"ab\r\ncd\re\n\nfg\r\nh"  # lines begin at 0, 4, 7, 9, 10, 14
    assert seams.line_offsets(io.BytesIO(data), [1, 2, 3, 4, 5, 6, 7, 9]) == [0, 4, 7, 9, 10, 14, 15, 15]
    assert seams.line_offsets(io.BytesIO(data), [3]) == [7]
    assert seams.line_offsets(io.BytesIO(b""), [1, 2]) == [0, 0]


@given(st.lists(st.sampled_from([b"a", b"bc", b"\n", b"\r", b"\r\n"]), max_size=40), st.integers(1, 8))
def test_the_offset_of_a_line_is_where_line_numbers_places_it(parts: list[bytes], block: int) -> None:
    import io

    from logsync import seams

    data = b"".join(parts)
    starts = [0] + [found.end() for found in re.finditer(rb"\r\n|\r|\n", data)]
    original = seams._BLOCK
    seams._BLOCK = block
    try:
        assert seams.line_offsets(io.BytesIO(data), range(1, len(starts) + 2)) == [*starts, len(data)]
        assert seams.line_numbers(io.BytesIO(data), starts) == list(range(1, len(starts) + 1))
    finally:
        seams._BLOCK = original


def no_events(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail where `analyze` would read its inputs as events."""
    from logsync import reading

    def events(*_: object, **__: object) -> None:
        raise AssertionError("read as events")

    monkeypatch.setattr(reading, "EventStream", events)


def test_a_run_the_samples_miss_that_repeats_the_end_before_it_is_read_as_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo log with eight lines after line 1500 pasted again (a screen copied twice): no
    sample falls between the two copies. The reading finds time going back at line 1501; its
    seam is looked for there, and the second run is read as rows from past its eight copies,
    as the plain reading counts them (before, the input was read again as events, held)."""
    path = write(tmp_path / "all.log", LINES[:1500], LINES[1492:])
    assert how_to_read([str(path)], ReadOptions()).split == {}
    plain = as_plainly(path)
    no_events(monkeypatch)
    read = analyze([str(path)])
    same_answers(read, plain)
    assert (read.runs, read.duplicates) == (((str(path), 2),), 8)
    demo = analyze([str(DEMO)])
    assert [answer(user) for user in read.users] == [answer(user) for user in demo.users]


def test_runs_the_samples_miss_that_share_records_are_read_a_piece_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines 201 to 205 pasted again after line 1500: the second run begins with five lines of
    the first one's middle, then goes on past its end. The copies are read for their counts
    only and the rest as rows (before, as events: 9.3 s for a million lines, now 1.8 s)."""
    path = write(tmp_path / "all.log", LINES[:1500], LINES[200:205], LINES[1500:])
    assert how_to_read([str(path)], ReadOptions()).split == {}
    plain = as_plainly(path)
    no_events(monkeypatch)
    read = analyze([str(path)])
    same_answers(read, plain)
    assert (read.runs, read.duplicates) == (((str(path), 2),), 5)
    assert [answer(user) for user in read.users] == [answer(user) for user in analyze([str(DEMO)]).users]


def test_the_middle_s_copies_and_the_rest_are_the_pieces_of_the_run(tmp_path: Path) -> None:
    """Lines 201 to 400 pasted again after line 1500, the rest beginning with a copy of the
    first run's last three lines: the copies of the middle, then the rest past the three,
    which are left out as where two runs meet."""
    path = write(tmp_path / "all.log", LINES[:1500], LINES[200:400], LINES[1497:])
    missed = {str(path): [1501]}
    found = how_to_read([str(path)], ReadOptions(), missed=missed).pieces[str(path)]
    one, middle = len(b"".join(LINES[:1500])), len(b"".join(LINES[200:400]))
    rest = one + middle + len(b"".join(LINES[1497:1500]))
    assert [(p.start, p.first_line, p.copies, p.continues, p.skipped) for p in found] == [
        (0, 1, False, False, 0),
        (one, 1501, True, False, 0),
        (rest, 1704, False, True, 3),
    ]
    assert analyze([str(path)]).duplicates == 203


ZED = LINES[1551].replace(b"carol", b"zed").replace(b"04.896", b"04.600")
"""A notification between lines 1550 and 1551 of the demo log (23:40:04.548 and .685)."""


@pytest.mark.parametrize(
    ("parts", "seam"),
    [
        # the rest of the second export begins with a copy of the first one's last three lines,
        # a third of a second before its copies end
        ((LINES[:2979], LINES[512:2979], LINES[2976:]), 1),
        # the halves swapped, the later one beginning with two lines the earlier ends with,
        # then a notification between them
        ((LINES[1549:1551], [ZED], LINES[1551:], LINES[:1551]), 3),
    ],
    ids=["after a share", "after a meet"],
)
def test_a_rest_that_goes_back_from_its_copies_is_read_as_events(
    tmp_path: Path, parts: tuple[list[bytes], ...], seam: int
) -> None:
    """Found by a sweep of pasted slices: a run's rest that begins before the copies it comes
    after end is merged after them by the plain reading (a run is merged in its own order),
    so a removal line came after a notification there and opened a cycle; read as a run of its
    own, it came before (ivan `overdue` where the plain reading says `pending`). Such runs are
    read as events."""
    path = write(tmp_path / "all.log", *parts)
    runs = {str(path): [sum(map(len, parts[:seam])) + 1]}  # (the line the second run begins at)
    assert not how_to_read([str(path)], ReadOptions(), missed=runs).rows
    read, plain = analyze([str(path)]), as_plainly(path)
    same_answers(read, plain)
    assert read.result.cycles == plain.result.cycles


def test_runs_the_samples_miss_are_looked_for_at_most_eight_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each run found reads the input again: past `MOST_MISSED` of them, the input is read
    whole as events, held, with the same answers. Nine places where eight lines are pasted
    again, each seam looked for alone (`NEAR` narrowed): with nine allowed, the runs are read
    a piece at a time; with eight, the ninth is read whole."""
    from logsync import reading, seams

    parts = []
    for start in range(300, 2800, 300):
        parts += [LINES[start - 300 : start], LINES[start - 8 : start]]
    path = write(tmp_path / "all.log", *parts, LINES[2700:])
    assert how_to_read([str(path)], ReadOptions()).split == {}
    plain = as_plainly(path)
    assert (plain.runs, plain.duplicates) == (((str(path), 10),), 72)
    monkeypatch.setattr(seams, "NEAR", 4096)
    monkeypatch.setattr(reading, "MOST_MISSED", 9)
    with monkeypatch.context() as inside:
        never_held(inside)
        same_answers(analyze([str(path)]), plain)
    monkeypatch.setattr(reading, "MOST_MISSED", 8)
    with monkeypatch.context() as inside:
        never_held(inside)
        with pytest.raises(AssertionError, match="held as runs"):
            analyze([str(path)])
    same_answers(analyze([str(path)]), plain)


def test_a_run_read_as_its_copies_and_the_rest_is_one_run_where_the_inputs_are_read_as_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export of 1,000 lines pasted before one of 2,000 (its second run read as its copies
    and the rest), beside another day's log holding a run the samples miss that is not looked
    for (`MOST_MISSED` 0): both are read as events then, the pasted export as its two runs,
    not three pieces, its copies told apart as the plain reading tells them."""
    from logsync import pipeline, reading

    pasted = write(tmp_path / "all.log", LINES[:1000], LINES[:2000])
    day = (SAMPLES / "restart-day" / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    other = write(tmp_path / "other.log", day[:300], day[290:295], day[300:])
    names = [str(pasted), str(other)]
    assert [p.continues for p in how_to_read(names, ReadOptions()).pieces[str(pasted)]] == [False, False, True]
    plain = analyze(names, fast=False)
    monkeypatch.setattr(reading, "MOST_MISSED", 0)
    read: list[dict[str, list[Piece]]] = []
    stream = pipeline.EventStream

    def spied(*args: object, **kwargs: Any) -> pipeline.EventStream:
        read.append(kwargs["pieces"])
        return stream(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "EventStream", spied)
    found = analyze(names)
    same_answers(found, plain)
    assert (found.runs, found.duplicates) == (((str(pasted), 2), (str(other), 2)), 1005)
    size = len(b"".join(LINES[:1000]))
    assert [(p.start, p.end, p.first_line, p.copies) for p in read[-1][str(pasted)]] == [
        (0, size, 1, False),
        (size, None, 1001, False),
    ]


def test_the_records_a_rest_leaves_out_are_counted_once_where_the_inputs_are_read_as_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines 201 to 400 pasted again after line 1500, the rest beginning with a copy of the
    first run's last three lines (its pieces leave those three out), beside another day's log
    holding a run the samples miss that is not looked for (`MOST_MISSED` 0): both are read as
    events, the pasted run whole, which count the three as copies themselves; they are not
    counted again as records the pieces left out (208: 203 and the other log's 5, as the
    plain reading counts them)."""
    from logsync import reading

    pasted = write(tmp_path / "all.log", LINES[:1500], LINES[200:400], LINES[1497:])
    day = (SAMPLES / "restart-day" / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    other = write(tmp_path / "other.log", day[:300], day[290:295], day[300:])
    names = [str(pasted), str(other)]
    assert [p.skipped for p in how_to_read(names, ReadOptions()).pieces[str(pasted)]] == [0, 0, 3]
    plain = analyze(names, fast=False)
    assert plain.duplicates == 208
    monkeypatch.setattr(reading, "MOST_MISSED", 0)
    found = analyze(names)
    assert found.users == plain.users
    assert (found.as_of, sorted(found.runs)) == (plain.as_of, sorted(plain.runs))
    assert (found.runs, found.duplicates) == (((str(pasted), 2), (str(other), 2)), 208)


@settings(max_examples=int(os.environ.get("LOGSYNC_FUZZ_EXAMPLES", "12")), deadline=None)
@given(data=st.data())
def test_earlier_lines_pasted_again_anywhere_answer_as_the_plain_reading(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """The demo log with earlier lines pasted again at one to three places (a few lines, a
    screen, up to the place itself: a share of the run's end), the log going on from the place
    or up to three lines before it: read as the plain reading reads it, whichever way."""
    places = sorted(data.draw(st.sets(st.integers(50, len(LINES) - 50), min_size=1, max_size=3)))
    parts, start = [], 0
    for place in places:
        first = data.draw(st.integers(0, place - 1))
        size = data.draw(st.sampled_from([1, 2, 5, 20, 200, 1000, place]))
        parts += [LINES[start:place], LINES[first : min(place, first + size)]]
        start = max(start, place - data.draw(st.integers(0, 3)))
    path = write(tmp_path_factory.mktemp("again") / "all.log", *parts, LINES[start:])
    same_answers(analyze([str(path)]), analyze([str(path)], fast=False))


def test_an_older_half_of_one_record_that_the_next_run_repeats_is_read(tmp_path: Path) -> None:
    """Found by a sweep: the demo log's last line and the rotation marker, then the whole log
    (an older half of one record pasted before its log, whose end it repeats). The half's
    piece holds no record once its copy is left out: that is no input without records (it
    was "no CloudUserSync records found")."""
    path = write(tmp_path / "CloudUserSync.log", [LINES[3040], MARKER], LINES)
    assert [(p.first_line, p.skipped, p.rotated) for p in how_to_read([str(path)], ReadOptions()).pieces[str(path)]] == [
        (2, 1, True),
        (3, 0, False),
    ]
    read = analyze([str(path)])
    same_answers(read, as_plainly(path))
    assert (read.runs, read.duplicates, read.inputs[0].records) == (((str(path), 2),), 1, 3042)


@pytest.mark.parametrize(("most", "placed"), [(8, True), (7, False)])
def test_events_places_at_most_eight_runs_inside_a_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, most: int, placed: bool
) -> None:
    """The bound of `reading.placed_runs` (from a mutation run): lines 2,901 to 3,041, then
    the rest of the log with eight lines pasted again at nine places, each seam looked for
    alone (`NEAR` narrowed). The samples see two seams (three runs); with eight more allowed,
    the eight they miss are placed, with seven it is left to the stream."""
    from logsync import reading, seams

    parts = [LINES[2900:]]
    for start in range(300, 2800, 300):
        parts += [LINES[start - 300 : start], LINES[start - 8 : start]]
    path = write(tmp_path / "all.log", *parts, LINES[2700:2900])
    how = how_to_read([str(path)], ReadOptions(), stdin=False)
    assert how.split == {str(path): 3}
    monkeypatch.setattr(seams, "NEAR", 4096)
    monkeypatch.setattr(reading, "MOST_MISSED", most)
    found = reading.placed_runs([str(path)], ReadOptions(), how)
    assert (found is not None) is placed
    if found is not None:
        assert found[0].split == {str(path): 11}
