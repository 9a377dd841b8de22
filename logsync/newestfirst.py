"""Inputs whose records are newest first (Splunk's and Log Analytics' exports, `tac`), read as
rows: whole, and in reverse, as their events are (`merge.split_event_runs`)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from . import events as catalogue
from .chunks import RowReader, event_rows
from .formats import ParseContext, sms
from .merge import NEWEST_FIRST, RUN_DISORDER_US, BackwardJump
from .pipeline import ReadOptions, ensure_records, open_input, parse_input
from .rowspec import RowSpec, after_start_left_out
from .sources import InputStats, Progress
from .times import moment_time
from .tracker import Row


def newest_rows(
    name: str, options: ReadOptions, stats: InputStats, spec: RowSpec, progress: Progress | None
) -> Iterator[list[Row]]:
    """The rows `spec` wants of an input whose records are newest first (Splunk's and Log
    Analytics' exports, `tac`), in time order: every record read whole as a row and reversed,
    as the events of such an input are (`merge.split_event_runs`), then bounded by the cutoff
    (which counts every record it leaves out) and picked. Raises `BackwardJump` where time
    still goes back beyond the disorder of threads (runs the event stream merges)."""
    every = RowSpec(_EVERY, spec.located, lambda _: True)
    rows = [row for batch in _file_order(name, options, stats, every, progress) for row in batch]
    rows.reverse()
    keys = [row[0] for row in rows]
    if any(later < earlier - RUN_DISORDER_US for earlier, later in pairwise(keys)):
        raise BackwardJump(name, 0)
    stats.notes.append(NEWEST_FIRST)
    if rows:  # (its first record in time order, and its last: see `merge.run_span`)
        stats.first_time, stats.last_time = moment_time(*rows[0][:2]), moment_time(*rows[-1][:2])
    cutoff, kinds, messages = spec.cutoff, spec.wanted, spec.messages
    if cutoff is not None:
        kept = cutoff.kept(rows)
        if len(kept) < len(rows):
            for row in rows:
                if not cutoff.keeps(row[0], row[1]):
                    cutoff.leaves_out(row[0], row[1])
        rows = kept
    picked = [
        row for row in rows
        if row[2] in kinds and (row[2] != "message" or (messages is not None and messages(row[3])))
    ]
    picked = after_start_left_out(picked, spec.openings)
    for at in range(0, len(picked), 4096):
        yield picked[at : at + 4096]


def _file_order(
    name: str, options: ReadOptions, stats: InputStats, spec: RowSpec, progress: Progress | None
) -> Iterator[list[Row]]:
    """The rows `spec` wants of one input in file order, whichever way its time goes."""
    fmt, chunks = open_input(name, options, stats, progress)
    if fmt is None:
        ensure_records(name, stats)
        return
    if fmt != "sms-trace":
        yield from event_rows(parse_input(name, fmt, chunks, options, stats), spec)
        return
    ctx = ParseContext(stats, options.source_tz)
    ctx.previous = options.after.get(name)
    reader = RowReader(name, spec, ctx, one_run=False)
    for text, first_line in sms.numbered_chunks(chunks, stats, 1, reader.counted):
        yield reader.chunk_rows(text, first_line)
    ensure_records(name, stats)


_EVERY = frozenset(catalogue.KINDS) - {"unparsed"}
"""Every kind of record (`newest_rows` reads every record, for the cutoff to count them)."""
