"""The fast path from inputs to the tracker: tracked records go in as rows, never as Events.

`analyze` without an observer or a followed user only needs the records of the tracked kinds.
SMS-trace text is read a chunk at a time by `chunks.RowReader` (the native scanner or pure
Python); other formats go the plain way, through events made rows (`chunks.event_rows`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from . import events as catalogue
from .chunks import LOCATED_KINDS, RowReader, RowSpec, event_rows
from .formats import ParseContext, Record, parser_for, sms
from .merge import BackwardJump, distinct_rows, merge_batches, mergeable, rows_in_order
from .pipeline import (
    EventStream,
    ReadOptions,
    ensure_records,
    is_connector,
    open_input,
    parse_input,
)
from .sources import InputStats, Progress, mark_siblings
from .tracker import Row

__all__ = [
    "LOCATED_KINDS",
    "RowSpec",
    "event_rows",
    "fewer_collections",
    "input_rows",
    "merged_rows",
    "text_rows",
    "whole_rows",
]


def input_rows(
    name: str,
    options: ReadOptions,
    stats: InputStats,
    spec: RowSpec,
    progress: Progress | None = None,
) -> Iterator[list[Row]]:
    """The rows `spec` wants of one input, in file order, a chunk's worth at a time. Raises
    `BackwardJump` where its time goes back: the chunk reader sees every SMS-trace record's
    instant; the rows of other formats are checked as they come."""
    fmt, chunks = open_input(name, options, stats, progress)
    if fmt is None:
        ensure_records(name, stats)
        return
    if fmt != "sms-trace" or stats.sibling:
        # every event (the cutoff counts the records it leaves out); of a sibling log, the
        # records about the connector, picked from the events
        kinds = None if spec.cutoff is not None else spec.wanted
        events = parse_input(name, fmt, chunks, options, stats, kinds)
        yield from rows_in_order(event_rows(events, spec), name)
        return
    reader = RowReader(name, spec, ParseContext(stats, options.source_tz))
    for text, first_line in sms.numbered_chunks(chunks, stats):
        yield reader.chunk_rows(text, first_line)
    ensure_records(name, stats)


def merged_rows(
    names: Sequence[str],
    options: ReadOptions,
    spec: RowSpec,
    progress: Progress | None = None,
) -> tuple[list[InputStats], Iterator[list[Row]]]:
    """What each input held (filled in as it is read) and the rows `spec` wants of all of them,
    merged by instant. Raises `merge.Overlap` when two inputs hold a row of the same instant,
    kind and fields (the plain path then tells the records apart by their thread, component
    and text), and `BackwardJump` when an input's time goes back (it holds several runs)."""
    inputs = [InputStats(path=name) for name in names]
    mark_siblings(inputs)
    streams = [
        input_rows(name, options, stats, spec, progress)
        for name, stats in zip(names, inputs, strict=True)
    ]
    if len(streams) == 1:
        return inputs, streams[0]
    awareness: dict[bool, str] = {}
    checked = [
        mergeable(stream, name, awareness) for stream, name in zip(streams, names, strict=True)
    ]
    return inputs, distinct_rows(merge_batches(checked, names))


def whole_rows(
    name: str, options: ReadOptions, stats: InputStats, spec: RowSpec
) -> tuple[list[list[Row]], int]:
    """All the rows `spec` wants of one input, in time order, and its number of runs: an input
    whose time goes back (files pasted together) is read as its runs merged by time, as
    `analyze` reads it. For the inputs read whole before a live log is followed (its rotated
    `.lo_`, the sibling logs), which are a log's worth at most."""
    try:
        return list(input_rows(name, options, stats, spec)), 1
    except BackwardJump:
        pass
    split = {name: 0}
    stream = EventStream([name], options, kinds=None, judged=spec.wanted, split=split)
    stream.inputs[0].sibling = stats.sibling
    batches = list(event_rows(stream.in_order(), spec))
    for field, value in stream.inputs[0].fields().items():
        setattr(stats, field, value)
    return batches, split[name]


def text_rows(
    source: str, fmt: str, options: ReadOptions, stats: InputStats, spec: RowSpec
) -> Callable[[str, int], list[Row]]:
    """A reader of one source's text a piece at a time (a followed live log): given complete
    lines framed between line breaks and the number of the first, their rows; it counts them in
    `stats` as `input_rows` does."""
    ctx = ParseContext(stats, options.source_tz)
    if fmt == "sms-trace":
        reader = RowReader(source, spec, ctx, one_run=False)

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


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while rows are fed: they make no cycles
    (reference counting frees them) and every collection walks all users kept so far."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
