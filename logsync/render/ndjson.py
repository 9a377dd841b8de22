"""`events` of one input, straight from SMS-trace text to its lines: JSON (`ndjson`, and the
`json` array), CSV or tab-separated text (`render.eventlines` holds each form's pieces).

For a chunk whose lines are all records, the native writer (`logsync._scan.ndjson_lines`, see
`accel`) proves that and writes the lines in one pass. Without it, or for a chunk it declines,
one `findall` both proves that and splits every record; each line is then put together from
cached pieces: the kind, severity, text and fields of each distinct message, the ISO date of
each day, the offset of each bias. Either way no Record or Event is built. A chunk with any
other line (blank, damaged, an impossible date, a zone with daylight saving) goes the plain
way, through the form's own encoder. The bytes that come out are the same either way, and the
same as the printers write from the event stream (tests compare them). `--since`, `--until`
and `--user` (`selection.Filters`) are applied on the way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import IO

from ..bounds import Bound, Cutoff
from ..bulk import read_for_counts
from ..chunks import RowReader
from ..formats import ParseContext, sms
from ..pipeline import ReadOptions, ensure_records, open_input, parse_input
from ..rowspec import RowSpec
from ..seams import Piece
from ..selection import Filters
from ..sources import InputStats, Progress
from . import Display
from .eventlines import CsvForm, JsonArray, LineForm, TextForm
from .smslines import Jumps, SmsLines, seen

FORMS = ("ndjson", "json", "csv", "text")
"""The `events` formats written here (the table is for people, and goes through the stream)."""

def write_runs_events(
    runs: Sequence[tuple[str, InputStats, Piece | None]],
    options: ReadOptions,
    out: IO[str],
    display: Display,
    form: str = "ndjson",
    kinds: Collection[str] | None = None,
    progress: Progress | None = None,
    filters: Filters | None = None,
) -> list[Jumps]:
    """Write the events (`kinds` only, if given) that `filters` keeps of runs (inputs, or
    pieces of them: see `seams`) that meet at most at their ends (`bulk.Reading.sequence`),
    one after another, which is their merge by time, in `form` (one of `FORMS`; CSV and text
    show control characters as escapes). What comes back tells, of each run, where its time
    first goes back, as the event stream notes it."""
    filters = filters if filters is not None else Filters()
    filters.kinds = None if kinds is None else frozenset(kinds)
    header = _form(form, runs[0][0], display).header
    elements = JsonArray(out) if form == "json" else None
    begun = False  # (nothing is written before the first input is found readable)
    found: list[Jumps] = []
    for name, stats, piece in runs:
        jumps = Jumps()
        found.append(jumps)
        pieces = _form(form, name, display)
        chunks = _event_chunks(name, options, stats, pieces, kinds, progress, jumps, filters, piece)
        for text in chunks:
            if not begun:
                out.write(header if elements is None else "[")
                begun = True
            if elements is None:
                out.write(text)
            else:
                elements.write(text)
    if not begun:
        out.write(header if elements is None else "[")
    if elements is not None:
        elements.close()
    return found


def _form(form: str, name: str, display: Display) -> LineForm:
    if form == "csv":
        return CsvForm(name, display)
    return TextForm(name, display) if form == "text" else LineForm(name, display)


def _event_chunks(
    name: str,
    options: ReadOptions,
    stats: InputStats,
    form: LineForm,
    kinds: Collection[str] | None,
    progress: Progress | None,
    jumps: Jumps,
    filters: Filters,
    piece: Piece | None = None,
) -> Iterator[str]:
    """The lines of one input (or of one `piece` of it), a chunk at a time (each line ending
    with a break); none of a piece of copies (`Piece.copies`), read for its counts only."""
    if piece is not None and piece.copies:
        read_for_counts(name, options, stats, piece)
        return
    fmt, chunks = open_input(name, options, stats, progress, piece)
    first = 1 if piece is None else piece.first_line
    if fmt is None:
        ensure_records(name, stats)
        return
    wanted = None if kinds is None else frozenset(kinds)
    if fmt != "sms-trace" or form.display.tz is not None:
        encode = form.encode
        batch: list[str] = []
        events = parse_input(name, fmt, chunks, options, stats, None, first_line=first)
        for event in filters.kept(seen(events, jumps)):
            batch.append(encode(event))
            if len(batch) >= 512:
                batch.append("")
                yield "\n".join(batch)
                batch = []
        if batch:
            batch.append("")
            yield "\n".join(batch)
        return
    ctx = ParseContext(stats, options.source_tz)
    writer = SmsLines(name, wanted, ctx, form, jumps, filters)
    checkers = _checkers(filters, name, options)
    for text, first_line in sms.numbered_chunks(chunks, stats, first):
        if checkers:
            yield writer.bounded_lines(text, first_line, checkers)
            continue
        yield writer.lines(text, first_line)
    if piece is None:  # (a piece's records may all be in other pieces, or left out as copies)
        ensure_records(name, stats)


def _checkers(filters: Filters, name: str, options: ReadOptions) -> list[tuple[Bound, RowReader]]:
    """A reader per bound that counts a chunk's records on each side of it, without rows:
    a cutoff a microsecond before the bound (`us < U` is `us <= U - 1`)."""
    found = []
    for bound in filters.bounds:
        cutoff = Cutoff(bound.when, bound.option)
        cutoff.instant -= 1
        cutoff.local -= 1
        spec = RowSpec(kinds=frozenset(), located=frozenset(), cutoff=cutoff)
        ctx = ParseContext(InputStats(name), options.source_tz)
        found.append((bound, RowReader(name, spec, ctx, one_run=False)))
    return found
