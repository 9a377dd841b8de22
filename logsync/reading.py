"""The reading of inputs, for every command: as rows for every caller that judges them
(`analysis.analyze`, and the logs `watch` reads whole before it follows one: `whole_rows`);
as events for `events` (`events_reading`: its runs one after another, or merged record by
record), with the runs it places before it writes (`placed_runs`).

How to read the inputs is decided from samples of their times before the first row
(`bulk.how_to_read`); an input whose records are newest first is read whole as rows, and in
reverse (`bulk.newest_rows`). Where a reading finds time going back that the samples missed, the
seam is looked for near that line and the reading starts over, a run at a time (at most
`MOST_MISSED` times an input); runs that cannot be placed so are read as events, which tell
shared records apart one by one (`pipeline.EventStream`)."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import NamedTuple

from .bulk import (
    Reading,
    RowSpec,
    event_rows,
    how_to_read,
    merged_rows,
    read_for_counts,
    rotated_ends,
)
from .memory import fewer_collections
from .merge import BackwardJump, RunSpan, events_in_order
from .pipeline import EventStream, ReadOptions, read_input
from .sampling import PEEK
from .seams import Piece, piece_spans, record_by_record, skipped_by
from .sources import STDIN, InputStats, Progress, read_whole, siblings_among
from .times import instant_key
from .tracker import Row
from .unpacked import copy_of, packed

MOST_MISSED = 8
"""Runs that the samples of one input miss, found one reading at a time, before the input is
read as events instead (each run found reads it again)."""

Feed = Callable[[Iterator[list[Row]], Sequence[InputStats]], None]
"""What takes the rows of a reading, in batches merged by time, with the stats of the inputs
(filled in as they are read)."""


class Read(NamedTuple):
    """What a reading of the inputs found (`read_rows`)."""

    inputs: list[InputStats]
    duplicates: int
    """Records found in more than one input or run, counted once (the copies left out)."""
    split: dict[str, int]
    """The inputs read as runs (files pasted together), with their number of runs."""
    runs: dict[str, list[RunSpan]]
    """Of those, the span of each run, in file order."""
    ends: Mapping[str, int]
    """The last instant of each input read whole that ends with the rotation marker (see
    `bulk.Reading.ends`)."""


def read_rows(
    names: Sequence[str],
    options: ReadOptions,
    start: Callable[[], tuple[RowSpec, Feed]],
    progress: Progress | None = None,
    fast: bool = True,
    siblings: Collection[str] = (),
) -> Read:
    """Read the inputs once into what `start` gives: it is called before each reading (the
    rows wanted, and what takes them) and again where the reading starts over from the
    inputs' first records (a run the samples missed: what was fed before must be forgotten).
    `progress` is shown for the first reading only. `fast=False` reads through events, the
    plain path that the tests hold the rows against. `siblings` are read as sibling logs
    whatever they are read beside (only their records about the connector)."""
    reading = (
        how_to_read(names, options)
        if fast
        else Reading(rows=False, split={}, ends=rotated_ends(names, options))
    )
    split, pieces = reading.split, dict(reading.pieces)
    options = options._replace(after=reading.after)
    missed: dict[str, list[int]] = {}  # lines where time went back that samples missed
    merged: set[str] = set()  # inputs newest first whose time goes back once reversed
    while True:
        wanted, feed = start()
        newest = reading.newest - merged
        try:
            if reading.rows and split.keys() <= pieces.keys() | newest:
                with fewer_collections():
                    inputs, batches, copies_read = merged_rows(
                        names, options, wanted, progress, pieces, siblings, newest
                    )
                    feed(batches, inputs)
                # records read as copies of another input's (see `overlaps`)
                duplicates = sum(stats.records for stats in copies_read)
                split.update(dict.fromkeys(newest, 1))  # (one run, read in reverse)
                runs = {
                    name: piece_spans(pieces[name]) if name in pieces else whole_span(inputs, name)
                    for name in split
                }
                break
            given = record_by_record(pieces)
            stream = EventStream(
                names, options, kinds=None, progress=progress, judged=wanted.wanted,
                split=split, pieces=given, ends=reading.ends,
            )
            for stats in stream.inputs:
                stats.sibling = stats.sibling or stats.path in siblings
            feed(event_rows(stream.in_order(), wanted), stream.inputs)
            inputs, duplicates, runs = stream.inputs, stream.duplicates, stream.spans
            pieces = given
            break
        except BackwardJump as jump:
            progress = None
            if jump.name in newest:  # (runs newest first: merged as the event stream merges)
                merged.add(jump.name)
                continue
            jump = _placed(jump, options)
            if fast and (_noted(missed, jump) or _read_as_stream(jump.name)):
                # a run the samples missed (or the runs of a packed input read as a stream):
                # its seams looked for near the lines where time went back as well, then each
                # run read as a piece of the input (unpacked)
                reading = how_to_read(names, options, unpack=True, missed=missed)
                options = options._replace(after=reading.after)
                split, pieces = dict(reading.split), dict(reading.pieces)
                if jump.name in pieces:
                    continue
            # runs that cannot be placed so (text pasted, CMTrace, UTF-16): read again as
            # runs, merged by time, records in two runs told apart by thread and text
            split[jump.name] = 0
            pieces.pop(jump.name, None)
    # records that the pieces of an input left out at their starts, as copies (see `seams`)
    duplicates += sum(skipped_by(cut).records for cut in pieces.values())
    return Read(inputs, duplicates, split, runs, reading.ends)


def whole_span(inputs: Sequence[InputStats], name: str) -> list[RunSpan]:
    """The span of an input read as one run (newest first, in reverse); its line, the last."""
    stats = next(stats for stats in inputs if stats.path == name)
    if stats.first_time is None or stats.last_time is None:
        return []
    return [RunSpan(instant_key(stats.first_time), instant_key(stats.last_time), stats.lines)]


def _read_as_stream(name: str) -> bool:
    """Whether a packed input was read as a stream (alone: not unpacked to be sampled)."""
    return packed(name) and copy_of(name, make=False) is None


def _noted(missed: dict[str, list[int]], jump: BackwardJump) -> bool:
    """Note in `missed` the line where a reading found time going back that the samples
    missed, where its run can be looked for there: a line known, not looked for before, with
    fewer than `MOST_MISSED` such lines noted for the input."""
    lines = missed.get(jump.name, [])
    if not jump.line or jump.line in lines or len(lines) >= MOST_MISSED:
        return False
    missed[jump.name] = sorted([*lines, jump.line])
    return True


def whole_rows(
    name: str, options: ReadOptions, stats: InputStats, spec: RowSpec
) -> tuple[list[list[Row]], int]:
    """All the rows `spec` wants of one input, in time order, and its number of runs: an input
    whose time goes back (files pasted together) is read as its runs merged by time, as
    `analyze` reads it; `stats` is filled in (a sibling log if it says so). For the inputs read
    whole before a live log is followed (its rotated `.lo_`, the sibling logs), which are a
    log's worth at most."""
    batches: list[list[Row]] = []

    def start() -> tuple[RowSpec, Feed]:
        batches.clear()
        return spec, lambda rows, _: batches.extend(rows)

    read = read_rows([name], options, start, siblings=[name] if stats.sibling else ())
    stats.take(read.inputs[0])
    return batches, read.split.get(name) or 1


def placed_runs(
    names: Sequence[str], options: ReadOptions, how: Reading
) -> tuple[Reading, dict[tuple[str, int], InputStats]] | None:
    """`how`, where no piece of an input it reads as runs holds runs the samples missed; else
    the reading with their seams looked for near the lines where a piece's time goes back, as
    `read_rows` looks for them (at most `MOST_MISSED` times an input); None where they cannot
    be placed so. The pieces are read for their instants only, before anything is written
    (`events` writes as it reads: a run found later could not be merged back); what each
    piece of copies held comes back with the reading, by input and offset (read once)."""
    missed: dict[str, list[int]] = {}
    while True:
        counted: dict[tuple[str, int], InputStats] = {}
        jump = _inside(how, options._replace(after=how.after), counted)
        if jump is None:
            return how, counted
        if not _noted(missed, jump):
            return None
        how = how_to_read(names, options, stdin=False, unpack=True, missed=missed)
        if jump.name not in how.pieces:
            return None


def _inside(
    how: Reading, options: ReadOptions, counted: dict[tuple[str, int], InputStats]
) -> BackwardJump | None:
    """Where time first goes back inside a piece of the inputs read as runs, if it does; what
    each piece of copies held is noted in `counted`."""
    try:
        for name in how.split:
            for piece in how.pieces.get(name, ()):
                stats = InputStats(name)
                read_for_counts(name, options, stats, piece)
                if piece.copies:
                    counted[name, piece.start] = stats
    except BackwardJump as jump:
        return jump
    return None


class EventsReading(NamedTuple):
    """How `events` reads its inputs (`events_reading`): its runs one after another, each read
    straight from its text by the printers (`render.pages.InSequence`), or merged record by
    record by the event stream (`stream`)."""

    runs: tuple[tuple[str, Piece | None], ...] | None
    """Each run in time order: its input, and the piece of it (None: the whole input); None
    where the runs must be merged (`stream`)."""
    how: Reading
    """The reading they are of (with the seams of runs placed: see `placed_runs`)."""
    options: ReadOptions
    counted: dict[tuple[str, int], InputStats]
    """What each piece of copies held, by input and offset (read before anything is written:
    they write nothing)."""

    @property
    def skipped(self) -> int:
        """The records that the pieces of the inputs leave out at their starts, as copies."""
        return sum(skipped_by(cut).records for cut in self.how.pieces.values())

    def stream(self, names: Sequence[str], progress: Progress | None) -> EventStream:
        """The events of the inputs merged record by record (where `runs` is None)."""
        how = self.how
        return EventStream(names, self.options, progress=progress, split=how.split, ends=how.ends)


def events_reading(names: Sequence[str], options: ReadOptions, written: bool) -> EventsReading:
    """How `events` reads the inputs. Inputs whose samples show time going back (files pasted
    together) are read as their runs merged by time, a record in two runs once, as every
    command reads them (a packed input sampled in its unpacked copy, stdin given from a file as
    that file); a pipe is not sampled: its events stream as it comes (`tail -f log | logsync
    events`). Where the format is one the printers write straight from the text
    (`written`), one input (not one read whole to be decoded: an export, newest first maybe),
    or runs that meet at most at their ends, are read one run after another (see
    `in_sequence`); else the inputs are merged by the event stream."""
    sampled = how_to_read(names, options, stdin=_stdin_is_a_file(names), unpack=True)
    how = small_runs(names, options, sampled)
    options = options._replace(after=how.after)
    whole = [name for name in names if name not in how.split and read_whole(name)]
    if whole:  # (its lines, decoded, may be newest first, or runs: read as runs, merged)
        how = how._replace(split={**how.split, **dict.fromkeys(whole, 0)})
    if written and len(names) == 1 and not how.split:
        return EventsReading(((names[0], None),), how, options, {})  # (whatever its format)
    ordered = in_sequence(names, how, options) if written else None
    if ordered is None:
        return EventsReading(None, how, options, {})
    runs, how, counted = ordered
    return EventsReading(runs, how, options._replace(after=how.after), counted)


def _stdin_is_a_file(names: Sequence[str]) -> bool:
    """Whether stdin is among the inputs as a file (`< log`), not a pipe: sampled, its runs
    are merged as a file's are; a pipe's events stream as it comes."""
    import stat

    if STDIN not in names:
        return False
    try:
        return stat.S_ISREG(os.fstat(0).st_mode)
    except OSError:
        return False


def small_runs(names: Sequence[str], options: ReadOptions, how: Reading) -> Reading:
    """`how`, where no input too small to be sampled inside (`sampling.PEEK` at each end: its
    first and last times only) holds runs; else the reading with their seams looked for where
    time goes back, found by reading each such input once for its counts (a few thousand lines
    at most). `events` writes as it reads: a run found then could not be merged back; the
    other commands look for it where their reading finds it (`read_rows`)."""
    missed: dict[str, list[int]] = {}
    for name in names:
        if name in how.split or not _small(name):
            continue
        try:
            read_for_counts(name, options._replace(after=how.after), InputStats(name))
        except BackwardJump as jump:
            line = _placed(jump, options._replace(after=how.after)).line
            if line:
                missed[name] = [line]
    if not missed:
        return how
    found = how_to_read(names, options, stdin=False, unpack=True, missed=missed)
    return found if missed.keys() <= found.split.keys() else how


def _small(name: str) -> bool:
    """Whether an input is a file too small to be sampled inside: its text is read at once."""
    return not packed(name) and os.path.isfile(name) and os.path.getsize(name) <= 2 * PEEK


def _placed(jump: BackwardJump, options: ReadOptions) -> BackwardJump:
    """`jump`, with the line where time goes back found where the reading did not say (a small
    input is read as one block: `chunks.RowReader` knows the block, not the line), by reading
    the input's records one by one (a few thousand at most)."""
    if jump.line or not _small(jump.name):
        return jump
    try:
        events = read_input(jump.name, options, InputStats(jump.name))
        deque(events_in_order(events, jump.name, None), maxlen=0)
    except BackwardJump as found:
        return found
    return jump


def in_sequence(
    names: Sequence[str], how: Reading, options: ReadOptions
) -> tuple[tuple[tuple[str, Piece | None], ...], Reading, dict[tuple[str, int], InputStats]] | None:
    """The runs of the inputs to write one after another (`bulk.Reading.sequence`), each
    input read whole (None) unless it is read as pieces, the reading they are of (where a
    piece holds runs the samples missed, with their seams placed: `placed_runs`), and what
    each piece of copies held (read first: see `_counted`); None where they must be merged,
    where such runs cannot be placed or copies hold lines that are no record (the event
    stream merges them), or where sibling logs are read beside the connector's (only their
    records about it are written)."""
    if how.sequence is None or siblings_among(names):
        return None
    placed = placed_runs(names, options, how)
    if placed is None:
        return None
    found, counted = placed
    sequence = found.sequence
    if sequence is None or not _counted(found, options._replace(after=found.after), counted):
        return None
    runs = tuple((name, piece if name in found.pieces else None) for name, piece in sequence)
    return runs, found, counted


def _counted(
    how: Reading, options: ReadOptions, counted: dict[tuple[str, int], InputStats]
) -> bool:
    """Whether each piece of copies in the sequence holds records and blank lines only: the
    event stream writes a line that is neither of each copy, where it leaves out the copied
    records. What each holds is noted in `counted`, by input and offset (those read already
    are not read again)."""
    for name, piece in how.sequence or ():
        if piece.copies:
            stats = counted.get((name, piece.start))
            if stats is None:
                stats = counted[name, piece.start] = InputStats(name)
                read_for_counts(name, options, stats, piece)
            if stats.lines > stats.records + stats.blank:
                return False
    return True
