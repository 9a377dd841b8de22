"""The fast path from inputs to the tracker: tracked records go in as rows, never as Events.

`analyze` without an observer or a followed user only needs the records of the tracked kinds.
SMS-trace text is read a chunk at a time by `chunks.RowReader` (the native scanner or pure
Python); other formats go the plain way, through events made rows (`chunks.event_rows`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import ExitStack
from datetime import tzinfo
from itertools import pairwise
from types import MappingProxyType
from typing import BinaryIO, NamedTuple

from . import events as catalogue
from . import overlaps, seams
from .archives import STDIN
from .chunks import RowReader, event_rows
from .formats import ParseContext, Record, parser_for, sms
from .merge import (
    NEWEST_FIRST,
    RUN_DISORDER_US,
    BackwardJump,
    events_in_order,
    jumps_back,
    merge_batches,
    mergeable,
)
from .pipeline import (
    ReadOptions,
    ensure_records,
    is_connector,
    open_input,
    parse_input,
)
from .rowspec import LOCATED_KINDS, RowSpec, after_start_left_out
from .sampling import Sampled, input_samples
from .seams import Piece
from .sources import InputStats, Progress, mark_siblings, siblings_among
from .stats import Parts, joining
from .stdin import stdin_copy
from .times import fixed_offset, micros, moment_time
from .tracker import Row
from .unpacked import copy_of

__all__ = [
    "LOCATED_KINDS",
    "RowSpec",
    "event_rows",
    "input_rows",
    "merged_rows",
    "text_rows",
]

def input_rows(
    name: str,
    options: ReadOptions,
    stats: InputStats,
    spec: RowSpec,
    progress: Progress | None = None,
    piece: Piece | None = None,
    one_run: bool = True,
) -> Iterator[list[Row]]:
    """The rows `spec` wants of one input (or of one `piece` of it, a run: see `seams`), in
    file order, a chunk's worth at a time. With `one_run`, raises `BackwardJump` where its time
    goes back: the chunk reader sees every SMS-trace record's instant; the rows of other formats
    are checked as they come."""
    fmt, chunks = open_input(name, options, stats, progress, piece)
    first = 1 if piece is None else piece.first_line
    if fmt is None:
        ensure_records(name, stats)
        return
    if fmt != "sms-trace" or stats.sibling:
        # every event (the cutoff counts the records it leaves out, and every record's time
        # places the run); of a sibling log, the records about the connector it wants (picked
        # from candidate lines: a site's sitecomp.log is large)
        sibling = stats.sibling and spec.cutoff is None
        events = parse_input(
            name, fmt, chunks, options, stats, spec.wanted if sibling else None, first_line=first
        )
        whole = None if stats.sibling else stats
        yield from event_rows(events_in_order(events, name, whole) if one_run else events, spec)
        return
    ctx = ParseContext(stats, options.source_tz)
    ctx.previous = options.after.get(name) if piece is None else None  # (see `how_to_read`)
    wanted = COUNTED if piece is not None and piece.copies else spec
    reader = RowReader(name, wanted, ctx, one_run=one_run)
    for text, first_line in sms.numbered_chunks(chunks, stats, first, reader.counted):
        yield reader.chunk_rows(text, first_line)
    if piece is None:  # (a piece's records may all be in other pieces, or left out as copies)
        ensure_records(name, stats)


def newest_rows(
    name: str, options: ReadOptions, stats: InputStats, spec: RowSpec, progress: Progress | None
) -> Iterator[list[Row]]:
    """The rows `spec` wants of an input whose records are newest first (Splunk's and Log
    Analytics' exports, `tac`), in time order: every record read whole as a row and reversed,
    as the events of such an input are (`merge.split_event_runs`), then bounded by the cutoff
    (which counts every record it leaves out) and picked. Raises `BackwardJump` where time
    still goes back beyond the disorder of threads (runs the event stream merges)."""
    every = RowSpec(_EVERY, spec.located, lambda _: True)
    rows = [row for batch in input_rows(name, options, stats, every, progress, one_run=False)
            for row in batch]
    rows.reverse()
    if any(later[0] < earlier[0] - RUN_DISORDER_US for earlier, later in pairwise(rows)):
        raise BackwardJump(name, 0)
    stats.notes.append(NEWEST_FIRST)
    if rows:  # (its first record in time order, and its last: see `merge.run_span`)
        stats.first_time, stats.last_time = moment_time(*rows[0][:2]), moment_time(*rows[-1][:2])
    cutoff, kinds, messages = spec.cutoff, spec.wanted, spec.messages
    picked = []
    for row in rows:
        if cutoff is not None and not cutoff.keeps(row[0], row[1]):
            cutoff.leaves_out(row[0], row[1])
        elif row[2] in kinds and (row[2] != "message" or (messages and messages(row[3]))):
            picked.append(row)
    picked = after_start_left_out(picked, spec.openings)
    for at in range(0, len(picked), 4096):
        yield picked[at : at + 4096]


_EVERY = frozenset(catalogue.KINDS) - {"unparsed"}
"""Every kind of record (`newest_rows` reads every record, for the cutoff to count them)."""
COUNTED = RowSpec(kinds=frozenset(), located=frozenset())
"""What is wanted of a piece of copies (`Piece.copies`): no row, its counts only."""


def read_for_counts(
    name: str, options: ReadOptions, stats: InputStats, piece: Piece | None = None
) -> None:
    """Read a piece of an input (or the whole of it) for its counts only, into `stats` (a piece
    of copies, see `Piece.copies`; the runs inside a piece or a small input, see
    `reading.placed_runs` and `reading.small_runs`)."""
    deque(input_rows(name, options, stats, COUNTED, piece=piece), maxlen=0)


class Reading(NamedTuple):
    """How `analyze` reads its inputs, decided before the first row (see `how_to_read`)."""

    rows: bool
    """As rows (no two inputs can share a record), else as events, which tell them apart."""
    split: dict[str, int]
    """The inputs to read as runs from the start (their number of runs is noted there)."""
    pieces: Mapping[str, list[Piece]] = MappingProxyType({})
    """Of those, the ones whose runs are read each as a piece of the input (see `seams`);
    the others are read whole and held, and split into runs as they are read."""
    ends: Mapping[str, int] = MappingProxyType({})
    """The last instant of each older half read whole (a `.lo_`, or an input ending with the
    rotation marker): the run that begins there continues it (`pipeline.EventStream`)."""
    sequence: tuple[tuple[str, Piece], ...] | None = None
    """Every run of the inputs (an input, or a piece of one) in time order, where each meets
    the next at most at their ends and shares no record with it: read one after another, they
    are the inputs merged by time, but within two seconds of a seam (`events` writes them so).
    None where runs overlap further, or an input cannot be sampled."""
    after: Mapping[str, int] = MappingProxyType({})
    """`ReadOptions.after` of the inputs: read with it."""
    newest: frozenset[str] = frozenset()
    """Of the inputs read as runs, those whose records are newest first (an export sorted so):
    read whole, and in reverse (`newest_rows`), where no other input may share their records."""


def how_to_read(
    names: Sequence[str],
    options: ReadOptions,
    stdin: bool = True,
    unpack: bool | None = None,
    missed: Mapping[str, Sequence[int]] = MappingProxyType({}),
) -> Reading:
    """How to read the inputs, told from samples of each one's times (its two ends and places
    inside it, see `sampling.input_samples`), read once.

    Two inputs may share records (overlapping exports, an excerpt beside its log) unless one of
    them is a sibling log or a `.lo_` (renamed, not copied: its records all count, see
    `pipeline.EventStream`), or their spans are apart by more than the disorder of threads; a
    span that cannot be sampled may meet any. Where two may, the inputs are read as events,
    which tell shared records apart by thread, component and text; else as rows. An input
    where time goes back between two samples by more than the disorder of threads is read as
    runs from the start (files pasted together in the wrong order), each run a piece of the
    input where its seam is found (see `seams`), as if it were an input of its own: its runs
    may share records too (a file pasted twice). A run the samples miss is found by the
    reading as it goes. stdin is sampled unless `stdin` is False (see `input_samples`); a packed
    input is unpacked to be sampled if `unpack` (by default, beside other inputs: alone, it is
    read as a stream, and unpacked only once its time is found going back). `missed` holds the
    lines of inputs where a reading found time going back that the samples missed: their runs
    are looked for there as well (see `seams.pieces`)."""
    unpack = len(names) > 1 if unpack is None else unpack

    def samples(name: str) -> Sampled | None:
        return input_samples(name, options, stdin, unpack, missed.get(name, ()))

    sampled = [(name, samples(name)) for name in names]
    after = _after(sampled, options.source_tz)
    if after:  # (sampled again, their first records read after the input that ends there)
        options = options._replace(after=after)
        sampled = [
            (name, samples(name) if name in after else found)
            for name, found in sampled
        ]
    back = [
        name
        for name, found in sampled
        if found is not None
        and (name in missed or jumps_back(found.times, None) or found.newest_first)
    ]
    cut = {  # (an input newest first is read whole, and in reverse: see `split_event_runs`)
        name: found.pieces
        for name, found in sampled
        if found is not None and found.pieces and not found.newest_first
    }
    siblings = siblings_among(names)
    plain = [(name, found) for name, found in sampled if name not in siblings]
    pieces: Mapping[str, list[Piece]] | None = cut
    if any(found is None or (name in back and name not in cut) for name, found in plain):
        share = len(plain) > 1  # a span that cannot be sampled (or cut) may meet any
    else:
        runs = [(name, piece) for name, found in plain for piece in found.runs(name)]  # type: ignore[union-attr]
        if not _meet([(piece.first, piece.last) for _, piece in runs]):
            share = False
        elif not all(found.written(options) for _, found in plain):  # type: ignore[union-attr]
            share = True  # pasted text: its copies are told record by record, as events
        else:
            pieces = _apart(runs, cut, options)
            share = pieces is None
    split = {name: len(cut[name]) if name in cut else 0 for name in back}
    kept = cut if pieces is None else pieces
    ends = _ends(sampled)
    sequence = None if share else _sequence(sampled, back, kept)
    newest = frozenset(
        name for name, found in plain if found is not None and found.newest_first and name in back
    )
    return Reading(not share, split, kept, ends, sequence, MappingProxyType(after), newest)


def _after(sampled: list[tuple[str, Sampled | None]], zone: tzinfo | None) -> dict[str, int]:
    """`ReadOptions.after`: of the inputs whose first record's time comes twice in `zone` (the
    hour its clock is set back, read the first time by the samples), those read the second
    time after another input's end: where the first would go back from that end by more than
    the disorder of threads and the second would not (a `.log` begun as its `.lo_` ended)."""
    if zone is None or fixed_offset(zone) is not None:
        return {}
    ends = [(name, found.times[-1]) for name, found in sampled if found is not None]
    after = {}
    for name, found in sampled:
        if found is None:
            continue
        first = found.times[0]
        again = micros(moment_time(first, zone).replace(fold=1))
        before = [
            end for other, end in ends if other != name and first < end - RUN_DISORDER_US <= again
        ]
        if before:
            after[name] = max(before)
    return after


def _ends(sampled: list[tuple[str, Sampled | None]]) -> dict[str, int]:
    """`Reading.ends` of the inputs sampled."""
    whole = [(name, found) for name, found in sampled if found is not None and not found.pieces]
    return {name: found.times[-1] for name, found in whole if found.runs(name)[0].rotated}


def rotated_ends(names: Sequence[str], options: ReadOptions) -> dict[str, int]:
    """`Reading.ends` of inputs read without `how_to_read` (the plain reading)."""
    return _ends([(name, input_samples(name, options)) for name in names])


def _sequence(
    sampled: list[tuple[str, Sampled | None]], back: list[str], pieces: Mapping[str, list[Piece]]
) -> tuple[tuple[str, Piece], ...] | None:
    """`Reading.sequence` of inputs that share no record but their pieces of copies (see
    `how_to_read`), which are in it to be read for their counts only."""
    if any(found is None or (name in back and name not in pieces) for name, found in sampled):
        return None
    runs = sorted(
        (
            (name, piece)
            for name, found in sampled
            for piece in pieces.get(name) or found.runs(name)  # type: ignore[union-attr]
        ),
        key=lambda run: run[1].first,
    )
    window = 2 * RUN_DISORDER_US
    own = [run for run in runs if not run[1].copies]  # (copies are read for their counts)
    for (_, earlier), (_, later) in pairwise(own):
        if earlier.last > later.first + window or later.last < earlier.last:
            return None  # one goes further into the other than threads' disorder
    head = runs[0][0], runs[0][1].start, runs[0][1].copies
    for name, found in sampled:  # (a first line that is no record comes before all: merged)
        if head != (name, 0, False) and not seams.begins_with_record(found.head):  # type: ignore[union-attr]
            return None
    return tuple(runs)


def _apart(
    runs: list[tuple[str, Piece]], cut: dict[str, list[Piece]], options: ReadOptions
) -> dict[str, list[Piece]] | None:
    """The pieces to read the inputs in, where no two of these runs (of one input or several)
    share a record once each leaves out the copies it begins with (see
    `overlaps.shared_starts`): the inputs `cut` into runs, the inputs read whole from past
    their first records, and the runs that begin with the bytes an earlier one ends with (or
    are a part of it: an export pasted after another), read past them; None where two runs may
    share records further on."""
    with ExitStack() as opened:
        handles: dict[str, tuple[BinaryIO, int]] = {}
        for name, _ in runs:
            if name not in handles:
                path = copy_of(name, make=False) or name
                handle = stdin_copy() if path == STDIN else opened.enter_context(open(path, "rb"))
                handles[name] = handle, handle.seek(0, 2)
        found = overlaps.shared_starts(
            [overlaps.Run(name, *handles[name], piece) for name, piece in runs],
            options.source_tz,
        )
    if found is None:
        return None
    pieces: dict[str, list[Piece]] = {}
    for (name, _), own in zip(runs, found, strict=True):
        pieces.setdefault(name, []).extend(own)
    return {
        name: kept
        for name, kept in pieces.items()
        if name in cut or kept[0].skipped or kept[0].copies
    }


def _meet(spans: list[tuple[int, int]]) -> bool:
    """Whether any two of these spans (first and last instants) come within the disorder of
    threads of each other."""
    window = 2 * RUN_DISORDER_US
    return any(
        a[0] <= b[1] + window and b[0] <= a[1] + window
        for index, a in enumerate(spans)
        for b in spans[index + 1 :]
    )


class Merged(NamedTuple):
    """The inputs read as rows (`merged_rows`)."""

    inputs: list[InputStats]
    """What each input held, filled in as it is read."""
    batches: Iterator[list[Row]]
    """The rows wanted of all of them, merged by instant."""
    copies: list[InputStats]
    """What each piece of copies held (`Piece.copies`): its records count in another input's,
    once the batches are read."""


def merged_rows(
    names: Sequence[str],
    options: ReadOptions,
    spec: RowSpec,
    progress: Progress | None = None,
    pieces: Mapping[str, list[Piece]] | None = None,
    siblings: Collection[str] = (),
    newest: Collection[str] = (),
) -> Merged:
    """The rows `spec` wants of the inputs, merged by instant, for inputs that share no record
    but those their pieces leave out (see `how_to_read`); an input in `pieces` is read as its
    runs, each a piece of it merged as an input of its own; `siblings` are read as sibling
    logs whatever they are read beside; `newest` whole and in reverse (`newest_rows`). Raises
    `BackwardJump` when an input's time goes back (it holds several runs the samples missed)."""
    pieces = pieces or {}
    inputs = [InputStats(path=name) for name in names]
    mark_siblings(inputs)
    for stats in inputs:
        stats.sibling = stats.sibling or stats.path in siblings
    streams = []
    parts: Parts = []
    sources: list[str] = []
    copies: list[InputStats] = []
    for name, stats in zip(names, inputs, strict=True):
        if name in newest:
            streams.append(newest_rows(name, options, stats, spec, progress))
            sources.append(name)
            continue
        if name not in pieces:
            streams.append(input_rows(name, options, stats, spec, progress))
            sources.append(name)
            continue
        readings, part = seams.read_pieces(
            stats,
            pieces[name],
            lambda own, piece: input_rows(name, options, own, spec, progress, piece),  # noqa: B023
        )
        streams += readings
        sources += [name] * len(readings)
        parts.append(part)
        copies += [own for piece, own in zip(pieces[name], part[1], strict=True) if piece.copies]
    if len(streams) == 1:
        return Merged(inputs, streams[0], copies)
    awareness: dict[bool, str] = {}
    checked = [
        mergeable(stream, name, awareness) for stream, name in zip(streams, sources, strict=True)
    ]
    merged = merge_batches(checked, sources)
    return Merged(inputs, joining(merged, parts) if parts else merged, copies)


def text_rows(
    source: str,
    fmt: str,
    options: ReadOptions,
    stats: InputStats,
    spec: RowSpec,
    on_jump: Callable[[int], None] | None = None,
) -> Callable[[str, int], list[Row]]:
    """A reader of one source's text a piece at a time (a followed live log): given complete
    lines framed between line breaks and the number of the first, their rows; it counts them in
    `stats` as `input_rows` does. Read in file order: `on_jump` is told where SMS-trace time
    goes back (the line, or 0)."""
    ctx = ParseContext(stats, options.source_tz)
    if fmt == "sms-trace":
        reader = RowReader(source, spec, ctx, one_run=False, on_jump=on_jump)

        def sms_rows(text: str, first_line: int) -> list[Row]:
            sms.count_connector(text, stats)
            stats.lines += text.count("\n") - 1
            return reader.chunk_rows(text, first_line)

        return sms_rows
    parse = parser_for(fmt)

    def other_rows(text: str, first_line: int) -> list[Row]:
        lines = stats.lines
        events = []
        for item in parse(iter([text[1:]]), ctx):
            if type(item) is Record:
                moved = item._replace(line=item.line + first_line - 1)
                event = catalogue.from_record(moved, source)
                if is_connector(event):
                    stats.connector_records += 1
                events.append(event)
        stats.lines = lines + text.count("\n") - 1  # (the parser counts the piece's own lines)
        return [row for batch in event_rows(iter(events), spec) for row in batch]

    return other_rows
