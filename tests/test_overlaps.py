"""Exports of one log that overlap (`logsync.overlaps`): a later export that begins with the
bytes an earlier one ends with, or one that is a part of another, is read once, as rows, its
shared bytes for their counts only; the answers are those of the reading that tells every
record apart (`analyze(fast=False)`), and each input is read once."""

from __future__ import annotations

import codecs
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logsync import analyze, overlaps
from logsync.bulk import how_to_read
from logsync.pipeline import ReadOptions

from .test_logs_people_have import reads_of
from .test_seams import BOM, LINES, MARKER, same_answers, write

CUT_AT = {"a.log": (0, 2000), "b.log": (1200, 3041)}


def exports(folder: Path, *spans: tuple[int, int], bom: bool = False) -> list[str]:
    """The demo log's lines from each span, one export each (`x0.log`, `x1.log`, ...)."""
    return [
        str(write(folder / f"x{index}.log", [BOM] if bom and start == 0 else [], LINES[start:end]))
        for index, (start, end) in enumerate(spans)
    ]


def pieces(names: list[str]) -> dict[str, list[tuple[int, int | None, int, bool]]]:
    """(start, end, first line, copies) of the pieces each input is read in, by its index."""
    reading = how_to_read(names, ReadOptions())
    assert reading.rows
    return {
        os.path.basename(name): [(p.start, p.end, p.first_line, p.copies) for p in runs]
        for name, runs in reading.pieces.items()
    }


def size(start: int, end: int) -> int:
    return len(b"".join(LINES[start:end]))


def read_once(names: list[str], monkeypatch: pytest.MonkeyPatch, duplicates: int) -> None:
    """Read each input once, with the answers of the reading that tells records apart."""
    plain = analyze(names, fast=False)
    counts = reads_of(monkeypatch)
    read = analyze(names)
    assert counts == dict.fromkeys(names, 1)
    same_answers(read, plain)
    assert read.duplicates == duplicates


@pytest.mark.parametrize("reverse", [False, True], ids=["in time order", "newest first"])
def test_a_later_export_that_begins_inside_an_earlier_one_is_read_past_what_they_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reverse: bool
) -> None:
    """Lines 1 to 2,000 and 1,201 to 3,041: the second begins with the 800 lines the first
    ends with, read for their counts only; its own lines go on from its line 801."""
    names = exports(tmp_path, (0, 2000), (1200, 3041))
    assert pieces(names) == {
        "x1.log": [(0, size(1200, 2000), 1, True), (size(1200, 2000), None, 801, False)]
    }
    read_once(names[::-1] if reverse else names, monkeypatch, 800)


def test_an_export_that_is_a_part_of_another_is_read_for_its_counts_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = exports(tmp_path, (0, 3041), (700, 1900), bom=True)
    assert pieces(names) == {"x1.log": [(0, None, 1, True)]}
    read_once(names, monkeypatch, 1200)


def test_an_export_that_the_other_begins_with_is_the_other_s_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log exported at 1,500 lines, and again whole (both with the log's byte-order mark):
    the whole one's first 1,500 lines are copies of the first (by name, of two that begin
    alike, the first is read)."""
    names = exports(tmp_path, (0, 1500), (0, 3041), bom=True)
    cut = len(BOM) + size(0, 1500)
    assert pieces(names) == {"x1.log": [(0, cut, 1, True), (cut, None, 1501, False)]}
    read_once(names, monkeypatch, 1500)


def test_three_exports_each_beginning_inside_the_one_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = exports(tmp_path, (0, 1500), (1000, 2500), (2000, 3041), (1200, 2200))
    assert pieces(names) == {
        "x1.log": [(0, size(1000, 1500), 1, True), (size(1000, 1500), None, 501, False)],
        "x2.log": [(0, size(2000, 2500), 1, True), (size(2000, 2500), None, 501, False)],
        "x3.log": [(0, None, 1, True)],
    }
    read_once(names, monkeypatch, 500 + 500 + 1000)


def test_a_line_written_many_times_where_an_export_ends_counts_as_often_as_one_export_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bob's failure (line 941) written five times in its millisecond; the first export ends
    after the third, the second begins at line 500 and holds all five: as `EventStream`
    counts a record, as often as the one input that holds it most often (five times)."""
    burst = [LINES[940]] * 5
    first = write(tmp_path / "a.log", LINES[:940], burst[:3])
    second = write(tmp_path / "b.log", LINES[499:940], burst, LINES[941:])
    names = [str(first), str(second)]
    cut = size(499, 940) + 3 * len(LINES[940])
    assert pieces(names) == {"b.log": [(0, cut, 1, True), (cut, None, 445, False)]}
    read_once(names, monkeypatch, 441 + 3)  # (3 of the five are copies: two count again)


def test_the_first_line_is_tried_at_each_place_the_earlier_export_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Line 1,200 written three times in the first export, once in the second, which begins
    with it: only from its third place do the bytes go on alike."""
    again = LINES[1199]
    first = write(tmp_path / "a.log", LINES[:1200], [again, again], LINES[1200:1800])
    second = write(tmp_path / "b.log", LINES[1199:])
    names = [str(first), str(second)]
    assert pieces(names) == {"b.log": [(0, size(1199, 1800), 1, True), (size(1199, 1800), None, 602, False)]}
    read_once(names, monkeypatch, 601)
    monkeypatch.setattr(overlaps, "_TRIED", 2)  # (the third place is past those tried)
    assert not how_to_read(names, ReadOptions()).rows


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ([*LINES[:2000]], [line.replace(b"\r\n", b"\n") for line in LINES[1200:]]),
        ([*LINES[:1999], LINES[1999].rstrip(b"\r\n")], [*LINES[1200:]]),
        ([*LINES], [*LINES[700:1899], LINES[1899][:40]]),
        ([*LINES[:1500], MARKER], [*LINES[1000:1500], MARKER, *LINES[1500:]]),
    ],
    ids=[
        "line breaks of another kind",
        "the earlier one ends inside a line",
        "a part cut inside a line",
        "past an older half's end",
    ],
)
def test_exports_that_share_no_bytes_as_they_stand_are_told_apart_record_by_record(
    tmp_path: Path, first: list[bytes], second: list[bytes]
) -> None:
    names = [str(write(tmp_path / "a.log", first)), str(write(tmp_path / "b.log", second))]
    assert not how_to_read(names, ReadOptions()).rows
    same_answers(analyze(names), analyze(names, fast=False))


@pytest.mark.parametrize("form", ["ndjson", "json", "csv", "text"])
def test_events_of_exports_that_overlap_are_those_of_the_stream_each_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    """`events` writes the runs one after another, each export's pieces of copies read for
    their counts only: the same lines, notes and exit code as the event stream, which tells
    every record apart (and took 11× the time on 300,000 lines sharing 100,000)."""
    from typer.testing import CliRunner

    from logsync import bulk, pipeline
    from logsync.cli import app

    names = exports(tmp_path, (0, 2000), (1200, 3041), (1500, 2500))
    runner = CliRunner()
    counts = reads_of(monkeypatch)
    stream = pipeline.EventStream
    with monkeypatch.context() as no_stream:
        no_stream.setattr(pipeline, "EventStream", None)  # (written straight from the text)
        fast = runner.invoke(app, ["events", "--format", form, "--since", "2026-11-24T20:00-08:00", *names])
    assert counts == dict.fromkeys(names, 1)
    assert pipeline.EventStream is stream
    monkeypatch.setattr(bulk, "_sequence", lambda *_: None)  # (the event stream)
    plain = runner.invoke(app, ["events", "--format", form, "--since", "2026-11-24T20:00-08:00", *names])
    assert (fast.exit_code, fast.stdout, fast.stderr) == (plain.exit_code, plain.stdout, plain.stderr)
    assert fast.stderr.startswith("logsync: 1,800 records found in more than one input or run")


JUNK = b"some junk\r\n"
BURST = [LINES[940]]


def utf16(lines: list[bytes]) -> bytes:
    return codecs.BOM_UTF16_LE + b"".join(lines).decode().encode("utf-16-le")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ([*LINES[:1999], LINES[1999][:-1]], [*LINES[1200:]]),
        ([*LINES[:2000]], [*LINES[1200:2000], *LINES[1900:1910]]),
        ([*LINES[:2000], b"\r\n"], [b"\r\n", *LINES[1200:]]),
        ([*LINES[:30], JUNK, *LINES[30:2000]], [JUNK, *LINES[30:1600]]),
        ([JUNK, *LINES[:2000]], [*LINES[1200:]]),
    ],
    ids=[
        "the earlier one ends with a lone CR",
        "a run that goes back after the shared bytes",
        "the shared bytes a blank line",
        "the later one begins with a line that is no record",
        "the earlier one begins with a line that is no record",
    ],
)
def test_exports_whose_shared_bytes_would_read_otherwise_are_told_apart_record_by_record(
    tmp_path: Path, first: list[bytes], second: list[bytes]
) -> None:
    """Found by review, each a wrong answer before: a CRLF cut in two (every line number of
    the rest one too high); a pasted run that goes back, read as new records past the shared
    bytes (3 cycles too many); one shared blank line taken for the share ("no log records");
    a line that is no record first, which `EventStream` merges before every record (the
    shared records were credited to the other input)."""
    names = [str(write(tmp_path / "a.log", first)), str(write(tmp_path / "b.log", second))]
    assert not how_to_read(names, ReadOptions()).rows
    same_answers(analyze(names), analyze(names, fast=False))


@pytest.mark.parametrize(("start", "end"), [(876, 878), (880, 882)])
def test_an_export_that_begins_where_an_older_half_ends_counts_with_the_half(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: int, end: int
) -> None:
    """From the review: a `.lo_` of lines 807 to 884, and an export of lines from its last
    cycle (within a second of its end). `EventStream` counts the run that begins where an older
    half ends with the half (the rotation wrote both sides), so every record counts, though
    the export's bytes are all the half's: it is not read as copies, and `events` lists both."""
    from typer.testing import CliRunner

    from logsync import bulk
    from logsync.cli import app

    half = write(tmp_path / "CloudUserSync.lo_", LINES[806:884])
    export = write(tmp_path / "export.log", LINES[start:end])
    names = [str(half), str(export)]
    assert not how_to_read(names, ReadOptions()).pieces  # (no copies)
    read = analyze(names)
    same_answers(read, analyze(names, fast=False))
    assert read.duplicates == 0
    events = CliRunner().invoke(app, ["events", "--format", "text", *names])
    monkeypatch.setattr(bulk, "_sequence", lambda *_: None)
    assert events.stdout == CliRunner().invoke(app, ["events", "--format", "text", *names]).stdout
    assert len(events.stdout.splitlines()) == (884 - 806) + (end - start)  # (every record)


def test_an_older_half_inside_an_export_still_begins_the_run_counted_with_it(tmp_path: Path) -> None:
    """From the review: a `.lo_` of lines 1,452 to 1,791 inside an export of lines 1,421 to
    1,857, and an export of line 1,791 alone (where the half ends). The half's records are all
    copies of the first export's, but the run that begins where it ends still counts with it:
    line 1,791 counts twice, as `EventStream` counts it."""
    half = write(tmp_path / "CloudUserSync.lo_", LINES[1451:1791])
    wide = write(tmp_path / "x.log", LINES[1420:1857])
    last = write(tmp_path / "y.log", LINES[1790:1791])
    names = [str(last), str(wide), str(half)]
    read, plain = analyze(names), analyze(names, fast=False)
    same_answers(read, plain)
    assert read.duplicates == 340


def test_a_run_the_samples_missed_is_read_with_the_exports_record_by_record(tmp_path: Path) -> None:
    """From the review: the first export holds a run its samples miss (lines 101 to 103 again
    after line 300), and ends inside a line written five times in its millisecond that the
    second holds whole. Read again as events when the run shows, the second export is read
    whole (not as its copies and the rest): the line counts five times, as it does there."""
    first = write(tmp_path / "a.log", LINES[:300], LINES[100:103], LINES[300:940], BURST * 3)
    second = write(tmp_path / "b.log", LINES[499:940], BURST * 5, LINES[941:])
    names = [str(first), str(second)]
    assert pieces(names)["b.log"][0][3]  # (read as its copies and the rest, until the run shows)
    read, plain = analyze(names), analyze(names, fast=False)
    same_answers(read, plain)
    assert (read.duplicates, read.result.cycles) == (447, 402)


def test_an_encoding_the_rest_changes_to_is_named_for_the_input(tmp_path: Path) -> None:
    """From the review: the second export goes on in UTF-16 (a file saved so, pasted after
    it): its encoding names both, as when it is read whole."""
    first = write(tmp_path / "a.log", LINES[:2000])
    second = tmp_path / "b.log"
    second.write_bytes(b"".join(LINES[1200:2100]) + utf16(LINES[2100:2110]))
    names = [str(first), str(second)]
    assert pieces(names)["b.log"][1][3] is False
    read = analyze(names)
    same_answers(read, analyze(names, fast=False))
    assert read.inputs[1].encoding == "utf-8+utf-16-le"


def test_times_without_an_offset_in_a_zone_with_daylight_saving_are_read_whole(
    tmp_path: Path,
) -> None:
    """From the review: times without an offset across the night the clock goes back, in
    America/New_York. Where the rest of the second export begins inside the hour said twice,
    only the records before it tell which of the two it is: the exports are read whole, as
    events (before, the rest was read an hour early: 41 cycles too many)."""
    from zoneinfo import ZoneInfo

    def record(time: datetime, message: str) -> bytes:
        return f"{message}  $$<SMS_CLOUD_USERSYNC><{time:%m-%d-%Y %H:%M:%S}.000><thread=5616 (0x15F0)>\r\n".encode()

    lines = []
    for start, stop in ((datetime(2026, 11, 1, 0, 0), datetime(2026, 11, 1, 2, 0)), (datetime(2026, 11, 1, 1, 0), datetime(2026, 11, 1, 2, 30))):
        time = start
        while time < stop:
            lines.append(record(time, "Starting user delta sync, raise failure status messages = True"))
            lines.append(record(time + timedelta(seconds=2), "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0"))
            time += timedelta(minutes=1)
    again = [index for index, line in enumerate(lines) if b"01:10:00" in line][1]
    names = [str(write(tmp_path / "e.log", lines[: again + 20])), str(write(tmp_path / "f.log", lines[60:]))]
    zone = ZoneInfo("America/New_York")
    assert not how_to_read(names, ReadOptions(source_tz=zone)).rows
    read, plain = analyze(names, source_tz=zone), analyze(names, source_tz=zone, fast=False)
    same_answers(read, plain)
    assert read.result.cycles == 210


@settings(max_examples=int(os.environ.get("LOGSYNC_FUZZ_EXAMPLES", "12")), deadline=None)
@given(
    spans=st.lists(
        st.tuples(st.integers(0, 3000), st.integers(20, 3041)).map(
            lambda span: (span[0], min(3041, span[0] + span[1]))
        ),
        min_size=2,
        max_size=4,
    ),
    order=st.randoms(use_true_random=False),
)
def test_exports_cut_anywhere_from_one_log_answer_as_the_reading_that_tells_records_apart(
    tmp_path_factory: pytest.TempPathFactory, spans: list[tuple[int, int]], order: object
) -> None:
    """Any slices of the demo log, given in any order: however they overlap (apart, meeting,
    one inside another, one going on past another), the answers are those of the reading
    that tells every record apart."""
    folder = tmp_path_factory.mktemp("exports")
    names = exports(folder, *spans)
    order.shuffle(names)  # type: ignore[attr-defined]
    same_answers(analyze(names), analyze(names, fast=False))


@settings(max_examples=int(os.environ.get("LOGSYNC_FUZZ_EXAMPLES", "12")), deadline=None)
@given(
    spans=st.lists(
        st.tuples(st.sampled_from([0, 0, 1000, 1500]) | st.integers(0, 3000), st.integers(20, 3041)).map(
            lambda span: (span[0], min(3041, span[0] + span[1]))
        ),
        min_size=2,
        max_size=4,
    ),
    bom=st.booleans(),
)
def test_slices_pasted_into_one_file_answer_as_the_reading_that_tells_records_apart(
    tmp_path_factory: pytest.TempPathFactory, spans: list[tuple[int, int]], bom: bool
) -> None:
    """The same slices pasted one after another into one file (`type a.log b.log > all.log`,
    a slice from the log's first line with its byte-order mark if `bom`): its runs, however
    they share bytes, answer as the reading that tells every record apart."""
    folder = tmp_path_factory.mktemp("pasted")
    path = write(folder / "all.log", *([BOM] * (bom and start == 0) + LINES[start:end] for start, end in spans))
    same_answers(analyze([str(path)]), analyze([str(path)], fast=False))


def test_the_spans_of_a_run_read_as_its_copies_and_the_rest_are_the_run_s() -> None:
    from logsync.merge import RunSpan
    from logsync.seams import Piece, piece_spans

    run = Piece(0, 100, 1, 5_000_000, 9_000_000, False)
    copies = Piece(100, 150, 20, 1_000_000, 3_000_000, False, copies=True)
    rest = Piece(150, None, 30, 3_000_000, 7_000_000, True, continues=True)
    assert piece_spans([run, copies, rest]) == [RunSpan(5.0, 9.0, 1), RunSpan(1.0, 7.0, 20)]
    assert piece_spans([run, copies]) == [RunSpan(5.0, 9.0, 1), RunSpan(1.0, 3.0, 20)]


def test_an_export_whose_rest_goes_back_from_its_copies_is_told_apart_record_by_record(
    tmp_path: Path,
) -> None:
    """From a review: lines 2,269 to 2,820, and an export of the same lines then the log from
    line 2,818 on (its rest begins with a copy of the first one's last three lines, a third of
    a second before they end). Read as a run of its own, the rest was merged before those
    lines, where the plain reading keeps it after them: a removal line came before a
    notification, and ivan was `overdue` where the plain reading says `pending`."""
    names = [
        str(write(tmp_path / "a.log", LINES[2268:2820])),
        str(write(tmp_path / "b.log", LINES[2268:2820], LINES[2817:])),
    ]
    assert not how_to_read(names, ReadOptions()).rows
    read, plain = analyze(names), analyze(names, fast=False)
    same_answers(read, plain)
    assert [(u.upn, u.state, u.pending_reason) for u in read.users if u.upn.startswith("ivan")] == [
        ("ivan@contoso.com", "pending", "retry_unseen")
    ]


def record(seconds: float, text: str) -> bytes:
    """A record of the connector `seconds` after 2026-11-24 08:00 (UTC-8)."""
    when = datetime(2026, 11, 24, 8) + timedelta(seconds=seconds)
    stamp = f"{when:%m-%d-%Y %H:%M:%S}.{when.microsecond // 1000:03d}+480"
    return f"{text}  $$<SMS_CLOUD_USERSYNC><{stamp}><thread=5616 (0x15F0)>\r\n".encode()


def test_a_record_before_the_shared_bytes_and_in_the_rest_counts_as_the_plain_reading_counts_it(
    tmp_path: Path,
) -> None:
    """From a review: the first export holds `Twice` 0.9 s out of order before the three lines
    the second begins with; the second goes back 0.9 s after them, to a record of its own and
    `Twice` again. The plain reading counts `Twice` as often as the one export that holds it
    most often (once): 4 copies, as both readings now count (the rows counted it twice)."""
    twice = record(0.9, "Twice")
    shared = [record(0.0, "At"), record(1.0, "B"), record(2.1, "C")]
    first = [record(-3600 + 10 * n, f"Head {n}") for n in range(3)] + [twice, *shared]
    second = [*shared, record(1.2, "R1"), twice] + [record(3 + 10 * n, f"Tail {n}") for n in range(3)]
    names = [str(write(tmp_path / "a.log", first)), str(write(tmp_path / "b.log", second))]
    read, plain = analyze(names, require_connector=False), analyze(names, fast=False, require_connector=False)
    same_answers(read, plain)
    assert read.duplicates == 4


def test_a_later_export_with_the_byte_order_mark_the_earlier_has_not_is_read_past_what_they_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a mutation run: the first export without the log's byte-order mark, the second
    (lines 1,201 on) with it: its first line is looked for past the mark."""
    first = write(tmp_path / "a.log", LINES[:2000])
    second = write(tmp_path / "b.log", [BOM], LINES[1200:])
    names = [str(first), str(second)]
    cut = len(BOM) + size(1200, 2000)
    assert pieces(names) == {"b.log": [(0, cut, 1, True), (cut, None, 801, False)]}
    read_once(names, monkeypatch, 800)


def test_the_middle_s_copies_are_looked_for_at_the_place_that_shares_most(tmp_path: Path) -> None:
    """From a mutation run: line 941 written four times in the first run (three times after
    line 940, once after line 1,500); the second run begins with it and lines 942 to 960: of
    the places the line is at, the last shares them all."""
    burst = [LINES[940]]
    path = write(tmp_path / "all.log", LINES[:940], burst * 3, LINES[941:1500], burst, LINES[941:960], LINES[1500:])
    found = how_to_read([str(path)], ReadOptions(), missed={str(path): [1504]}).pieces[str(path)]
    start = size(0, 940) + 3 * len(LINES[940]) + size(941, 1500)
    assert [(p.start, p.end, p.first_line, p.copies) for p in found] == [
        (0, start, 1, False),
        (start, start + len(LINES[940]) + size(941, 960), 1503, True),
        (start + len(LINES[940]) + size(941, 960), None, 1523, False),
    ]


def test_lines_of_an_older_half_s_middle_pasted_again_are_told_apart_record_by_record(
    tmp_path: Path,
) -> None:
    """From a mutation run: a `.lo_` of lines 807 to 884, and an export of lines 821 to 830
    then 882 to 900 (past the half's end, where the run that begins there counts with it):
    not read as the middle's copies and the rest."""
    half = write(tmp_path / "CloudUserSync.lo_", LINES[806:884])
    export = write(tmp_path / "export.log", LINES[820:830], LINES[881:900])
    names = [str(half), str(export)]
    assert not how_to_read(names, ReadOptions()).rows
    same_answers(analyze(names), analyze(names, fast=False))


def test_bytes_that_differ_only_in_the_last_of_a_block_are_not_the_same() -> None:
    from io import BytesIO

    from logsync.samebytes import same_bytes_at

    assert same_bytes_at(BytesIO(b"xabc"), 1, BytesIO(b"abc"), 0, 3)
    assert not same_bytes_at(BytesIO(b"xabc"), 1, BytesIO(b"abd"), 0, 3)
    one = BytesIO(b"abcabd")  # (one handle, read at two places)
    assert not same_bytes_at(one, 0, one, 3, 3)
    assert same_bytes_at(one, 0, one, 3, 2)


@pytest.mark.parametrize(("apart", "rows"), [(3.0, False), (3.001, True)])
def test_the_middle_s_copies_are_read_so_only_three_disorders_before_the_rest(
    tmp_path: Path, apart: float, rows: bool
) -> None:
    """The boundary of `_middle`: a line of the first run's middle, `apart` seconds before the
    rest of the second run, pasted again at the second run's start. Three times the disorder of
    threads (one second) apart or less, a record of the copies could be one of the rest's: the
    runs are read record by record."""
    first = [record(-3600 + 10 * n, f"Head {n}") for n in range(3)]
    first += [record(-apart, "Middle"), record(-0.5, "End")]
    second = [record(-apart, "Middle"), record(0.0, "Rest 1"), record(1.0, "Rest 2")]
    path = write(tmp_path / "all.log", first, second)
    reading = how_to_read([str(path)], ReadOptions(), missed={str(path): [6]})
    assert reading.rows is rows
    if rows:
        assert [(p.first_line, p.copies, p.continues) for p in reading.pieces[str(path)]] == [
            (1, False, False), (6, True, False), (7, False, True),
        ]


@pytest.mark.parametrize("near", [1 << 16, 300, 1])
def test_the_end_of_the_copies_is_read_further_where_its_first_bytes_tell_too_little(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, near: int
) -> None:
    """Lines 1 to 2,000 and 1,201 to 3,041: whether the rest begins after the copies' latest
    record is read from their last bytes (`_NEAR`), and further where those hold no record or
    less than the disorder of threads (a line or two): the same pieces whatever it reads first."""
    monkeypatch.setattr(overlaps, "_NEAR", near)
    names = exports(tmp_path, (0, 2000), (1200, 3041))
    assert pieces(names) == {
        "x1.log": [(0, size(1200, 2000), 1, True), (size(1200, 2000), None, 801, False)]
    }
