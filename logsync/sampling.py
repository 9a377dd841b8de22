"""Samples of an input's times, read before it is read (`bulk.how_to_read`): the instants of
its first and last records and of a record at places evenly inside it, a few KiB each, so that
its span and the places where its time goes back (files pasted together) are known before the
first row reaches the tracker."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from typing import BinaryIO, NamedTuple

from . import seams
from .archives import STDIN, packed_as
from .decoding import sniff_encoding
from .formats import ParseContext, Record, sms
from .merge import RUN_DISORDER_US, jumps_back, newest_first
from .pipeline import ReadOptions, followed_format
from .seams import Piece, Sample
from .sources import InputStats
from .stdin import stdin_copy
from .times import micros
from .unpacked import copy_of

PEEK = 1 << 16
"""Bytes read at each end of a file to tell its span (`how_to_read`)."""

SAMPLES = 32
"""Places inside a file (besides its two ends) where `how_to_read` reads one record's time."""

SAMPLE = 1 << 11
"""Bytes read at each of those places: enough for a whole line of the connector's."""


class Sampled(NamedTuple):
    """What the samples of an input tell (see `input_samples`)."""

    times: list[int]
    """The instants of its first record, of the first whole record at each of `SAMPLES`
    places evenly inside it, and of its last record, in file order (a place where no whole
    record is read is left out)."""
    pieces: list[Piece] | None = None
    """Where those go back in time (or a reading found it going back): its runs, to be read each
    on its own (see `seams`); None where they do not, or where its seams cannot be placed (see
    `seams.pieces`)."""
    head: bytes = b""
    """Its first bytes, to tell whether it is pasted (see `written`); empty: it is UTF-16."""
    rotated: bool = False
    """Whether it ends with the rotation marker: an older half, whatever its name (`runs`)."""
    newest_first: bool = False
    """Whether its records are newest first (`merge.newest_first`), told from every record of
    a file small enough to be read whole here, else from the samples."""

    def written(self, options: ReadOptions) -> bool:
        """Whether it is SMS trace as the connector writes it, not pasted (see `_as_written`):
        only then are the copies it begins with told from its own lines (see `seams`)."""
        return bool(self.head) and _as_written(self.head, options)

    def runs(self, name: str) -> list[Piece]:
        """Its runs as pieces: the whole input `name` where its time does not go back. (A whole
        input is an older half if it is named `.lo_`, whatever it ends with, or ends with the
        rotation marker, as `pipeline.EventStream` reads it with `Reading.ends`.)"""
        if self.pieces:
            return self.pieces
        times, half = self.times, self.rotated or name.lower().endswith(".lo_")
        return [Piece(0, None, 1, min(times), max(times), half)]


def input_samples(
    name: str,
    options: ReadOptions,
    stdin: bool = True,
    unpack: bool = True,
    near: Sequence[int] = (),
) -> Sampled | None:
    """What the samples of an SMS-trace input's times tell; None when they cannot be read so
    cheaply (a FIFO or a device, another format or pasted text, no offsets; a packed input
    unless `unpack`, then sampled in its unpacked copy, see `unpacked`). stdin is read to its
    end first, into the copy that the reading then reads (see `stdin.stdin_copy`); not with
    `stdin` False (for output that streams as stdin comes: `tail -f log | logsync events`).
    Its runs are looked for near the lines `near` as well (see `seams.pieces`)."""
    if name == STDIN and not stdin:
        return None
    path = copy_of(name, unpack) or name  # (packed: its unpacked copy, stdin's from its own)
    previous = options.after.get(name)  # (see `bulk.how_to_read`)
    found = _sampled_at(path, options, previous, near)
    if found is None or found.head or found.pieces or not (near or jumps_back(found.times, None)):
        return found
    # UTF-16 whose time goes back: its runs are placed in its copy, its text as UTF-8
    copy = copy_of(name, text=True)
    return found if copy is None or copy == path else _sampled_at(copy, options, previous, near)


def _sampled_at(
    path: str, options: ReadOptions, previous: int | None, near: Sequence[int]
) -> Sampled | None:
    """`input_samples` of a file (or of stdin's copy) where it lies."""
    if path == STDIN:
        return _sampled(stdin_copy(), options, previous, near)
    if not os.path.isfile(path):
        return None  # (a FIFO or a device is read once, by the reading: never peeked at)
    try:
        with open(path, "rb") as handle:
            return _sampled(handle, options, previous, near)
    except OSError:
        return None  # (the reading says what is wrong)


def _sampled(
    handle: BinaryIO, options: ReadOptions, previous: int | None, near: Sequence[int] = ()
) -> Sampled | None:
    """`input_samples` of an open, seekable input, whose first record comes after a record at
    the instant `previous` (None: none known)."""
    head = handle.read(PEEK)
    encoding, _ = sniff_encoding(head)
    width = 2 if encoding.startswith("utf-16") else 1  # (a UTF-16 sample starts on a character)
    size = handle.seek(0, 2)
    inside = []
    if size > 2 * PEEK:
        step = (size - 2 * PEEK) // (SAMPLES + 1)
        for place in range(1, SAMPLES + 1):
            offset = (PEEK + place * step) // width * width
            handle.seek(offset)
            inside.append((offset, handle.read(SAMPLE)))
    tail_at = handle.seek(max(0, size - PEEK))  # (UTF-16: an even size, an even place)
    tail = handle.read(PEEK)
    if packed_as(head) is not None:
        return None
    codec = "utf-8" if width == 1 else encoding
    first = _time_in(head, codec, options, True, False, previous)
    if first is None:
        return None
    samples = [Sample(0, len(head), first)]
    for offset, block in inside:  # (each read after the one before it: see `in_order`)
        found = _time_in(block, codec, options, True, True, samples[-1].instant)
        if found is not None:
            samples.append(Sample(offset, offset + len(block), found))
    last = _time_in(tail, codec, options, False, size > PEEK, samples[-1].instant)
    if last is None:
        return None
    samples.append(Sample(tail_at, size, last))
    times = [sample.instant for sample in samples]
    rotated = seams.ends_rotated(tail)
    newest = newest_first(times, RUN_DISORDER_US)
    if size <= 2 * PEEK:  # (small: every record tells whether it is newest first)
        whole = head if size <= PEEK else _read_all(handle)  # (`head` is all of a file so small)
        newest = newest_first(_every_time(whole, codec, options), RUN_DISORDER_US)
    sampled = Sampled(times, None, head if width == 1 else b"", rotated, newest)
    if not (near or jumps_back(times, None)) or not sampled.written(options):
        return sampled
    return sampled._replace(pieces=seams.pieces(handle, samples, rotated, options.source_tz, near))


def _as_written(head: bytes, options: ReadOptions) -> bool:
    """Whether an input that starts with `head` is SMS trace as the connector writes it (not
    pasted: its pieces are read as such, see `pipeline.open_input`)."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pasted, fmt = followed_format(text[: text.rfind("\n") + 1], options)
    return pasted is None and fmt == "sms-trace"


def _read_all(handle: BinaryIO) -> bytes:
    handle.seek(0)
    return handle.read()


def _every_time(block: bytes, codec: str, options: ReadOptions) -> list[int]:
    """The instants of every record of a whole file's bytes, in file order (those with an
    offset)."""
    framed = "\n" + "\n".join(_decoded_lines(block, codec)) + "\n"
    times = _record_times(framed, ParseContext(InputStats(""), options.source_tz))
    return [micros(time) for time in times if time.tzinfo is not None]


def _decoded_lines(block: bytes, codec: str) -> list[str]:
    """A block's lines, as decoded (a line cut at either end of it is kept)."""
    text = block.decode(codec, "replace").lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _record_times(framed: str, ctx: ParseContext) -> list[datetime]:
    """The times of the records of framed text, each read after the one before it."""
    records = (sms.record_at(found, ctx) for found in sms.records_in(framed))
    return [item.time for item in records if type(item) is Record]


def _time_in(
    block: bytes,
    codec: str,
    options: ReadOptions,
    first: bool,
    cut_start: bool,
    previous: int | None = None,
) -> int | None:
    """The instant of the first (or last) whole record of a block of a file, if it has an
    offset, read after a record at the instant `previous` (see `formats.common.in_order`); the
    block's last line, and with `cut_start` its first, may be cut: left out."""
    lines = _decoded_lines(block, codec)
    whole = lines[1 if cut_start else 0 : -1 if first else None]
    stats = InputStats("")
    ctx = ParseContext(stats, options.source_tz)
    ctx.previous = previous
    framed = "\n" + "\n".join(whole) + "\n"
    if ctx.shifts:  # each record read after the one before it: the last may be in a repeated hour
        times = _record_times(framed, ctx)
        time = (times[0] if first else times[-1]) if times else None
    else:
        sms.note_times(framed, ctx)
        time = stats.first_time if first else stats.last_time
    if time is None or time.tzinfo is None:
        return None
    return micros(time)
