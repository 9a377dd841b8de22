"""Where the runs of one input begin, found before it is read: files pasted together in the
wrong order (`type CloudUserSync.log CloudUserSync.lo_ > all.log`) hold runs whose time goes
back at their seams. The samples of a file's times (`bulk.how_to_read`) show between which two
places time goes back; only the bytes between those places are looked at to find each seam's
record. Each run is then read as a piece of the file of its own, merged by time with the
others, so that an input of runs is read once and never held in memory."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import pairwise
from typing import BinaryIO, NamedTuple, TypeVar

from .formats import ROTATION_MARKER, ParseContext, Record
from .formats.sms import record_at, records_in
from .merge import RUN_DISORDER_US, RunSpan
from .patterns import deferred_bytes
from .stats import InputStats, Skipped
from .times import micros


class Piece(NamedTuple):
    """One run of an input: the bytes from `start` to `end` (None: to the input's end)."""

    start: int
    """The offset of the run's first line (the first record of the run)."""
    end: int | None
    first_line: int
    """The number of that line in the input."""
    first: int
    """The instant of the run's first record (microseconds, see `times.micros`)."""
    last: int
    """The instant of its last record."""
    rotated: bool
    """Whether it ends with the rotation marker: the older half of a rotated log, renamed,
    not copied, so its records all count where they meet the next run's."""
    skipped: int = 0
    """Records before `start` that it begins with, left out: they repeat the end of the run
    before it in time (see `shared_starts`); each is a whole line."""
    skipped_connector: int = 0
    """Of those, the connector's records."""
    skipped_first: datetime | None = None
    """The time of the first of those."""
    skipped_bom: bool = False
    """Whether those begin the input with its byte-order mark (its encoding is told by it)."""
    skipped_fallback: int = 0
    """Of those, the lines that are not UTF-8 (read as cp1252)."""
    copies: bool = False
    """Its records are all copies of another run's (the bytes an earlier export ends with,
    see `overlaps`): read for its counts only, each record counted once in all."""
    continues: bool = False
    """It is the rest of the run whose first records are the piece of copies before it: the
    two are one run (see `overlaps.shared_bytes`)."""


def piece_spans(pieces: Sequence[Piece]) -> list[RunSpan]:
    """The spans of the runs of an input read as pieces of it."""
    return [RunSpan(run.first / 1e6, run.last / 1e6, run.first_line) for run in _runs(pieces)]


def record_by_record(pieces: Mapping[str, list[Piece]]) -> dict[str, list[Piece]]:
    """The pieces to read inputs in where shared records are told apart one by one (as events):
    a run read as its copies and the rest (`Piece.copies`) is read as the one run it is there,
    where its copies count as the copies they are; an input that is one such run is read
    whole."""
    runs = {name: _runs(cut) for name, cut in pieces.items()}
    whole = [name for name, cut in pieces.items() if cut[0].copies and len(runs[name]) == 1]
    return {name: kept for name, kept in runs.items() if name not in whole}


def _runs(pieces: Sequence[Piece]) -> list[Piece]:
    """The runs that these pieces of an input are: a piece of copies and the rest that
    continues it (`Piece.continues`) joined again."""
    runs: list[Piece] = []
    for piece in pieces:
        if piece.continues:
            runs[-1] = runs[-1]._replace(end=piece.end, last=piece.last, rotated=piece.rotated)
        else:
            runs.append(piece._replace(copies=False))
    return runs


def skipped_by(pieces: list[Piece]) -> Skipped:
    """The records that the pieces of one input leave out at their starts."""
    return Skipped(
        sum(p.skipped for p in pieces),
        sum(p.skipped_connector for p in pieces),
        tuple(p.skipped_first for p in pieces if p.skipped_first is not None),
        any(p.skipped_bom for p in pieces),
        sum(p.skipped_fallback for p in pieces),
    )


T = TypeVar("T")


def read_pieces(
    stats: InputStats, pieces: list[Piece], read: Callable[[InputStats, Piece], T]
) -> tuple[list[T], tuple[InputStats, list[InputStats], Skipped]]:
    """The readings of each piece of an input (`read` of its own stats and the piece), and
    what `stats.joining` makes the input's stats of: theirs and what they skipped."""
    own = [InputStats(path=stats.path) for _ in pieces]
    for piece_stats in own:
        piece_stats.sibling = stats.sibling
    readings = [read(piece_stats, piece) for piece_stats, piece in zip(own, pieces, strict=True)]
    return readings, (stats, own, skipped_by(pieces))


class Sample(NamedTuple):
    """Where a sample was read (`sampling._sampled`) and the instant of its record."""

    place: int
    """The offset the sample was read from: its record is the first whole one at or after it."""
    end: int
    """The offset where the bytes read for it end: its record ends before it."""
    instant: int


SCAN_FLOOR = 1 << 22
"""Bytes between samples that go back that are looked through for seams in any input; past
it, no more than a quarter of the input (else its pieces are not worth the scan)."""


def pieces(
    handle: BinaryIO,
    samples: list[Sample],
    rotated: bool,
    source_tz: object,
    near: Sequence[int] = (),
) -> list[Piece] | None:
    """The runs of a seekable UTF-8 (or cp1252) SMS-trace input whose `samples` go back in
    time, as pieces of it, in file order (the last one `rotated` where the input ends with the
    rotation marker); None if no seam is found between the samples that go back (a record of
    the seam that the scan cannot place), or if the bytes between them are more than
    `SCAN_FLOOR` and a quarter of the input: it is read whole, as events. The bytes `NEAR`
    either side of each line in `near` are looked through as well, whatever the samples show
    (where a reading found time going back that the samples missed: see `analysis.analyze`);
    a seam there that the scan cannot place is a seam not found."""
    ranges = [
        (before.place, after.end)
        for before, after in pairwise(samples)
        if after.instant < before.instant - RUN_DISORDER_US
    ]
    if sum(end - start for start, end in ranges) > max(SCAN_FLOOR, samples[-1].end // 4):
        return None  # many runs, or lines too long for samples inside: read whole, held
    size = samples[-1].end
    ranges += [(max(0, at - NEAR), min(size, at + NEAR)) for at in line_offsets(handle, near)]
    seams: dict[int, tuple[int, int, bool]] = {}  # offset -> (instant, instant before, rotated)
    for start, end in ranges:
        found = _seams(handle, start, end, source_tz)
        if not found:
            return None
        seams.update(found)
    offsets = sorted(seams)
    lines = line_numbers(handle, offsets)
    starts = [0, *offsets]
    firsts = [samples[0].instant, *(seams[offset][0] for offset in offsets)]
    lasts = [*(seams[offset][1] for offset in offsets), samples[-1].instant]
    ends = [*(seams[offset][2] for offset in offsets), rotated]
    return [
        Piece(
            start=start,
            end=starts[index + 1] if index + 1 < len(starts) else None,
            first_line=1 if index == 0 else lines[index - 1],
            first=firsts[index],
            last=lasts[index],
            rotated=ends[index],
        )
        for index, start in enumerate(starts)
    ]


NEAR = 1 << 16
"""Bytes looked through either side of a line where a reading found time going back."""


def ends_rotated(tail: bytes) -> bool:
    """Whether the rotation marker follows the last record of these last bytes of an input."""
    lines = tail.decode("latin-1").replace("\r", "\n").split("\n")
    for line in reversed(lines):
        if line.strip() == ROTATION_MARKER:
            return True
        if any(True for _ in records_in("\n" + line + "\n")):
            return False
    return False


def _seams(
    handle: BinaryIO, start: int, end: int, source_tz: object
) -> dict[int, tuple[int, int, bool]]:
    """The seams among the whole lines of the bytes from `start` to `end`: the offset of each
    record whose time goes back by more than the disorder of threads from the record before
    it, with its instant, the instant of that record, and whether the rotation marker stands
    between the two. The first line is taken for cut unless it starts the input."""
    ctx = ParseContext(InputStats(""), source_tz)  # type: ignore[arg-type]
    found: dict[int, tuple[int, int, bool]] = {}
    last: int | None = None
    marker = False  # whether the rotation marker stands after the last record so far
    for base, text in _whole_lines(handle, start, end):
        position = 0
        for match in records_in(text):
            item = record_at(match, ctx)
            if type(item) is not Record or item.time.tzinfo is None:
                continue
            marker = marker or _holds_marker(text[position : match.start()])
            instant = micros(item.time)
            if last is not None and instant < last - RUN_DISORDER_US:
                found[base + match.start() + 1] = (instant, last, marker)
            last, marker, position = instant, False, match.end()
        marker = marker or _holds_marker(text[position:])
    return found


def _holds_marker(text: str) -> bool:
    """Whether one of the lines of this text is the rotation marker."""
    return ROTATION_MARKER in text and any(
        line.strip() == ROTATION_MARKER for line in text.split("\n")
    )


_BLOCK = 1 << 20
"""Bytes read at a time where seams are looked for."""


def _whole_lines(handle: BinaryIO, start: int, end: int) -> Iterator[tuple[int, str]]:
    """The whole lines of the bytes from `start` to `end`, a block at a time, one character
    per byte and every line break `\\n` (a lone CR breaks a line as LF does: the decoder folds
    both): (the offset of the text's first character, the text between a leading and a final
    `\\n`, the leading one standing for the byte before its first line). The first line is
    taken for cut unless it starts the input."""
    handle.seek(start)
    held, held_at = "", start  # a line not complete yet, and where it starts
    position = start
    cut = start != 0
    while position < end:
        data = handle.read(min(_BLOCK, end - position))
        if not data:
            break
        position += len(data)
        text, at = held + data.decode("latin-1").replace("\r", "\n"), held_at
        if cut:
            after = text.find("\n") + 1
            if not after:  # all of it is the cut line
                held, held_at = "", position
                continue
            text, at, cut = text[after:], at + after, False
        stop = text.rfind("\n") + 1
        held, held_at = text[stop:], at + stop
        if stop:
            yield at - 1, "\n" + text[:stop]


def line_numbers(handle: BinaryIO, offsets: list[int]) -> list[int]:
    """The number of the line at each offset (in order), counting line breaks as the decoder
    does: LF, CRLF and a lone CR each end one line."""
    handle.seek(0)
    numbers = []
    breaks = 0
    position = 0
    carried_cr = False
    for offset in offsets:
        while position < offset:
            block = handle.read(min(_BLOCK, offset - position))
            if not block:
                break
            breaks += _breaks(block)
            if carried_cr and block.startswith(b"\n"):
                breaks -= 1  # (a CRLF cut between two blocks)
            carried_cr = block.endswith(b"\r")
            position += len(block)
        numbers.append(breaks + 1)
    return numbers


def line_offsets(handle: BinaryIO, lines: Sequence[int]) -> list[int]:
    """Where each of these lines (numbered from 1, in order) begins, its line breaks counted as
    `line_numbers` counts them; past the input's last line, its size."""
    handle.seek(0)
    offsets: list[int] = []
    pending = list(reversed(lines))  # (the next one last)
    breaks = line_start = base = 0  # (`base`: the offset of `data`)
    held = b""  # a CR that ends a block: it may begin a CRLF
    while pending and pending[-1] <= breaks + 1:
        offsets.append(line_start)
        pending.pop()
    while pending:
        read = handle.read(_BLOCK)
        data, held = held + read, b""
        if not read:
            offsets += [base + len(data)] * len(pending)
            break
        if data.endswith(b"\r"):
            data, held = data[:-1], b"\r"
        count = _breaks(data)
        if breaks + count + 1 < pending[-1]:
            breaks, base = breaks + count, base + len(data)
            continue
        for found in _BREAK_RE.finditer(data):
            breaks, line_start = breaks + 1, base + found.end()
            while pending and pending[-1] <= breaks + 1:
                offsets.append(line_start)
                pending.pop()
            if not pending:
                break
        base += len(data)
    return offsets


_BREAK_RE = deferred_bytes(rb"\r\n|\r|\n")


def _breaks(data: bytes) -> int:
    """The line breaks in these bytes: LF, CRLF and a lone CR each end one line."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


class Line(NamedTuple):
    """A line of a piece: where it starts and ends (after its break), and its record's key as
    `pipeline.EventStream` tells shared records apart (None: not a record with a time)."""

    start: int
    end: int
    key: tuple[int, int | None, str, str] | None
    time: datetime | None = None
    bom: bool = False
    """Whether it starts with the byte-order mark."""
    fallback: bool = False
    """Whether it holds bytes that are not UTF-8 (the decoder reads such a line as cp1252)."""


def _utf8(raw: str) -> bool:
    """Whether a line read one character per byte is valid UTF-8."""
    try:
        raw.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")
"""A line and its break: LF, CRLF or a lone CR, as the decoder reads them."""


def lines_at(
    handle: BinaryIO, start: int, end: int, source_tz: object, whole_first: bool, final: bool
) -> list[Line]:
    """The whole lines of the bytes from `start` to `end` (the first one taken for cut unless
    `whole_first`; a last one without a break of its own where `final`, the input's end),
    each with its record's key."""
    handle.seek(start)
    text = handle.read(end - start).decode("latin-1")
    ctx = ParseContext(InputStats(""), source_tz)  # type: ignore[arg-type]
    found = [(match.start(), match.end()) for match in _LINE_RE.finditer(text)]
    if found and not whole_first:
        del found[0]
    elif not whole_first:
        return []
    last = found[-1][1] if found else 0
    if final and last < len(text):
        found.append((last, len(text)))
    lines = []
    for line_start, line_end in found:
        raw = text[line_start:line_end].rstrip("\r\n")
        bom = raw.startswith(_BOM)
        key = time = None
        for match in records_in("\n" + raw.removeprefix(_BOM) + "\n"):
            item = record_at(match, ctx)
            if type(item) is Record and item.time.tzinfo is not None:
                key = (micros(item.time), item.thread, item.component, item.message)
                time = item.time
        fallback = not raw.isascii() and not _utf8(raw)
        lines.append(Line(start + line_start, start + line_end, key, time, bom, fallback))
    return lines


def begins_with_record(head: bytes) -> bool:
    """Whether the first line of an input's first bytes (past its byte-order mark) is a record
    with a time: a line that is none comes before every record of the inputs where they are
    merged (a line without a time goes with the record before it, and there is none)."""
    line = head.decode("latin-1").removeprefix(_BOM).split("\n", 1)[0].rstrip("\r")
    ctx = ParseContext(InputStats(""), None)
    return any(type(record_at(match, ctx)) is Record for match in records_in(f"\n{line}\n"))


_BOM = "\xef\xbb\xbf"
"""The UTF-8 byte-order mark, read as latin-1 (a file pasted after another starts with it)."""
