"""Inputs to one time-ordered event stream: detect each file's format, parse, classify, merge."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import tzinfo
from functools import lru_cache
from itertools import chain
from types import MappingProxyType
from typing import NamedTuple

from . import events as catalogue
from .errors import InputError, NoRecordsError, UsageError
from .events import CONNECTOR, Event
from .formats import ParseContext, Record, cuts, detect, parser_for
from .formats.aspasted import MIN_WIDTH, TOO_NARROW, Pasting, pasting, too_narrow, undone, why_none
from .formats.common import CUT_OFF
from .formats.sms import candidate_pattern
from .merge import (
    RUN_DISORDER,
    BackwardJump,
    Copies,
    RunSpan,
    in_batches,
    keyed_events,
    merge_batches,
    rotated_run,
    run_end,
    run_span,
    run_span_of,
    split_event_runs,
)
from .seams import Piece, piece_spans, read_pieces
from .sources import (
    InputStats,
    Progress,
    display_name,
    expand_paths,
    mark_siblings,
    text_chunks,
)
from .stats import Parts, joining
from .times import timeless

DETECT_SAMPLE = 1 << 16
"""Characters at the start of an input that format detection looks at."""
LONG_LINE = DETECT_SAMPLE // 4
"""Lines longer than this are left out of the sample (see `detection_sample`), as long as the
text held to find others stays under `MAX_LONG` characters."""
MAX_LONG = 1 << 22
MAX_PADDING = 1 << 26
"""Text held to find a sample past NUL padding at a log's start (a crash's, after rotation)."""


class ReadOptions(NamedTuple):
    """How inputs are read."""

    input_format: str | None = None
    """Force a format (`sms-trace`, `cmtrace`, `paste`) instead of detecting it per file."""
    source_tz: tzinfo | None = None
    """Zone of times that carry no UTC offset."""
    after: Mapping[str, int] = MappingProxyType({})
    """Of inputs that begin in an hour `source_tz`'s clock shows twice, where another input
    ends: that input's last instant, the record their first is read after (see
    `bulk.how_to_read` and `formats.common.in_order`)."""


@lru_cache(maxsize=16)
def _candidates(kinds: frozenset[str]) -> re.Pattern[str] | None:
    """The SMS-trace pattern of the records that may be of these kinds."""
    starts = catalogue.message_starts(kinds, highlighted=True)
    return candidate_pattern(starts) if starts else None


def open_input(
    name: str,
    options: ReadOptions,
    stats: InputStats,
    progress: Progress | None = None,
    piece: Piece | None = None,
) -> tuple[str | None, Iterator[str]]:
    """(format, all text chunks) of one input, or of one `piece` of it (a run, see `seams`);
    the format is None for an empty input."""
    span = None if piece is None else (piece.start, piece.end)
    chunks = text_chunks(name, stats, progress=progress, piece=span)
    if piece is not None:  # a run of an SMS-trace input as written (see `bulk.how_to_read`)
        stats.format = "sms-trace"
        return stats.format, chunks
    head: list[str] = []
    size = held = 0
    for chunk in chunks:
        head.append(chunk)
        held += len(chunk)
        size += len(chunk) - chunk.count("\0")  # (NUL padding, a crash's, tells nothing)
        if size >= DETECT_SAMPLE and (
            size >= MAX_LONG or len(detection_sample(head)) >= DETECT_SAMPLE
        ):
            break
        if held >= MAX_PADDING:
            break
    if not head:
        stats.format = "empty"
        return None, chunks
    sample = detection_sample(head)
    head, chunks = undone(head, chunks, sample, name, stats)  # e-mail quoting, hard wrapping
    sample = detection_sample(head)
    detected = detect(sample)
    fmt = options.input_format or detected
    if detected is not None and detected != fmt:  # (`--input-format` names another)
        stats.detected = detected
    if fmt is None:
        if cuts.tags_taken(sample):
            raise InputError(display_name(name), cuts.TAGS_TAKEN)
        if sample.strip() and CUT_OFF not in sample:  # (lines cut off: see `ensure_records`)
            why_none(sample, stats)  # (where the text shows why: see `aspasted.why_none`)
            raise NoRecordsError(display_name(name), stats.mail)
        fmt = "sms-trace"  # blank so far: its parser accounts for every line, whatever follows
    stats.format = fmt
    stats.narrow = (too_narrow(sample) or 0) if fmt == "paste" else 0  # (see `ensure_connector`)
    return fmt, chain(head, chunks)


def detection_sample(head: Sequence[str]) -> str:
    """The text at an input's start that its format is told from: `DETECT_SAMPLE` characters
    at most, of whole lines but for the last, without NUL padding and without lines longer
    than `LONG_LINE` (a message of tens of kilobytes, or junk, tells nothing of the format and
    would fill the sample), unless the text holds no other line."""
    text = "".join(head).replace("\0", "")
    half = LONG_LINE // 2  # (a longer line holds a whole block of `half` with no line break)
    blocks = range(0, min(len(text), DETECT_SAMPLE), half)
    if all("\n" in text[at : at + half] for at in blocks) or "\n" not in text[:-1]:
        return text[:DETECT_SAMPLE]
    *whole, last = text.split("\n")
    kept = [line for line in whole if len(line) <= LONG_LINE]
    if not kept:
        return text[:DETECT_SAMPLE]
    return "\n".join(kept + [last] * (len(last) <= LONG_LINE))[:DETECT_SAMPLE]


def followed_format(sample: str, options: ReadOptions) -> tuple[Pasting | None, str | None]:
    """How a followed log that starts with `sample` was pasted (None: as written), and its
    format (None: none known yet), as `open_input` decides them for an input read whole."""
    found = pasting(sample)
    if found is not None:
        sample = "\n".join(found.undo(iter(sample.split("\n"))))
    return found, options.input_format or detect(sample)


def read_input(
    name: str,
    options: ReadOptions,
    stats: InputStats,
    kinds: Collection[str] | None = None,
    fast: bool = True,
    progress: Progress | None = None,
    piece: Piece | None = None,
) -> Iterator[Event]:
    """The events of one input (or of one `piece` of it) in file order; `kinds` filters them
    (None keeps all).

    With `fast`, an SMS-trace input whose lines are all records skips the records that cannot
    be of a wanted kind without building them; the events that come out are the same.
    """
    fmt, chunks = open_input(name, options, stats, progress, piece)
    if fmt is None:
        ensure_records(name, stats)
        return
    first = 1 if piece is None else piece.first_line
    yield from parse_input(name, fmt, chunks, options, stats, kinds, fast, first)


def parse_input(
    name: str,
    fmt: str,
    chunks: Iterator[str],
    options: ReadOptions,
    stats: InputStats,
    kinds: Collection[str] | None = None,
    fast: bool = True,
    first_line: int = 1,
) -> Iterator[Event]:
    """The events of an input's text chunks in format `fmt`, whose first line is `first_line`;
    see `read_input`."""
    wanted = None if kinds is None else frozenset(kinds)
    candidates = None
    if fast and fmt == "sms-trace" and wanted is not None and "message" not in wanted:
        candidates = _candidates(wanted - {"unparsed"})
    ctx = ParseContext(stats, options.source_tz, candidates, first_line)
    ctx.previous = options.after.get(name) if first_line == 1 else None
    from_record = catalogue.from_record
    attribute = fmt != "sms-trace"  # the SMS-trace parser counts the connector's trailers
    sibling = stats.sibling  # of a sibling log, only the records about the connector
    for item in parser_for(fmt)(chunks, ctx):
        if type(item) is Record:
            event = from_record(item, name)
            if attribute and is_connector(event):
                stats.connector_records += 1
            if sibling and not catalogue.about_connector(event.kind, event.text):
                continue
            if wanted is None or event.kind in wanted:
                yield event
        elif sibling:
            continue
        elif wanted is None or "unparsed" in wanted:
            yield catalogue.from_unparsed(item, name)  # type: ignore[arg-type]
    ensure_records(name, stats)


_OR_NARROW = ", or wrapped too narrow to be put back together"


def _under_dates(stats: InputStats) -> bool:
    """Whether lines cut off may be pieces of an excerpt's lines wrapped under their dates,
    narrower than they are put back together from (see `aspasted.MIN_MESSAGES_WIDTH`)."""
    dated = stats.format == "paste" and stats.first_time is not None
    dated = dated and not timeless(stats.first_time)
    return dated and stats.cut_off_width <= MIN_WIDTH


def ensure_records(name: str, stats: InputStats) -> None:
    """An input without records is nothing to judge: say what it holds rather than report
    nothing (an empty input, blank lines, or lines of no known format). Pasted text whose
    lines were cut off at its width is refused whatever is left: a user whose failure, or
    whose cycle's totals, was cut off would be judged by the lines that are whole."""
    if stats.cut_off:
        lines = "1 line is" if stats.cut_off == 1 else f"{stats.cut_off:,} lines are"
        raise InputError(
            display_name(name),
            f"{'' if stats.records else 'no whole record: '}{lines} cut off at "
            f"{stats.cut_off_width} columns (their ends lost, as by `cut -c` or a console's "
            f"copy{_OR_NARROW if _under_dates(stats) else ''}); paste them whole",
        )
    if stats.records:
        return
    if stats.unparsed and stats.detected:
        raise InputError(
            display_name(name),
            f"no {stats.format} records (--input-format {stats.format}): it reads as "
            f"{stats.detected}; leave --input-format out",
        )
    if stats.unparsed:
        raise NoRecordsError(display_name(name), stats.mail)
    if stats.blank:
        blank = "1 blank line" if stats.blank == 1 else f"{stats.blank:,} blank lines"
        raise InputError(display_name(name), f"no log records, only {blank}")
    raise InputError(display_name(name), "empty input: no log lines")


CONNECTOR_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "processing_stopping",
        "certificate_wait",
        "sync_started",
        "user_add_requested",
        "user_add_failed",
        "add_totals",
        "remove_totals",
        "users_removed",
        "sync_summary",
    }
)
"""Kinds only the connector logs: a record of one without a component is the connector's."""


def is_connector(event: Event) -> bool:
    """A record of SMS_CLOUD_USERSYNC, or of its words where the format names no component."""
    if event.component:
        return event.component.upper() == CONNECTOR
    return event.kind in CONNECTOR_KINDS


def ensure_connector(inputs: Sequence[InputStats]) -> None:
    """A command that judges the connector needs its records in at least one input."""
    if any(stats.connector_records for stats in inputs):
        return
    if len(inputs) == 1 and inputs[0].narrow:  # (message lines wrapped too narrow)
        raise InputError(display_name(inputs[0].path), TOO_NARROW.format(inputs[0].narrow))
    names = ", ".join(display_name(stats.path) for stats in inputs)
    components = list(dict.fromkeys(s.last_component for s in inputs if s.last_component))
    if len(inputs) == 1 and components:
        holds = f" (it is a log of {components[0]})"
    elif components:
        holds = f" (logs of {', '.join(components)})"
    else:
        holds = ""
    raise UsageError(f"{names}: no {CONNECTOR} records{holds}")


class EventStream:
    """All inputs' events, merged by instant; `inputs` fills in as the stream is read."""

    def __init__(
        self,
        names: Sequence[str],
        options: ReadOptions | None = None,
        kinds: Collection[str] | None = None,
        fast: bool = True,
        progress: Progress | None = None,
        judged: Collection[str] | None = None,
        split: dict[str, int] | None = None,
        pieces: Mapping[str, list[Piece]] | None = None,
        ends: Mapping[str, int] | None = None,
    ) -> None:
        self.names = expand_paths(names, stdin_is_pipe=False)
        self.ends = ends or {}
        """The instant of the last record of each `.lo_` read whole, where known (see `_once`)."""
        self.split = split if split is not None else {}
        """Inputs merged as their runs (see `split_runs`): their number of runs is noted here."""
        self.pieces = pieces or {}
        """Of those, the ones whose runs are read each as a piece of it (see `seams`); the
        others are read whole, held, and split into runs."""
        self._halves: dict[int, float | None] = {}
        self.spans: dict[str, list[RunSpan]] = {}
        """Of each input read as its runs: their spans, in file order (see `merge.RunSpan`)."""
        self.jumps: list[tuple[str, int]] = []
        """(input, line) of each record whose time goes back (read in file order)."""
        options = options or ReadOptions()
        self.judged = judged
        """The kinds whose order matters (see `_keyed`); None: every kind."""
        self.options = options
        self.kinds = kinds
        self.fast = fast
        self.progress = progress
        self.inputs = [InputStats(path=name) for name in self.names]
        mark_siblings(self.inputs)
        self.duplicates = 0
        """Records found in more than one input, counted once (the others left out)."""

    def __iter__(self) -> Iterator[Event]:
        """The events merged by instant; an input whose time goes back is read in file order
        (its jumps noted in `jumps`) unless it is in `split`."""
        return self._events(strict=False)

    def in_order(self) -> Iterator[Event]:
        """The events merged by instant; raises `BackwardJump` at the first input not in
        `split` whose time goes back."""
        return self._events(strict=True)

    def _events(self, strict: bool) -> Iterator[Event]:
        streams: list[Iterator[Event]] = []
        names: list[str] = []
        halves: dict[int, float | None] = {}  # older halves of rotated logs: their ends
        parts: Parts = []
        for name, stats in zip(self.names, self.inputs, strict=True):
            if name in self.pieces:
                cut = self.pieces[name]
                ends = ((i, piece.last / 1e6) for i, piece in enumerate(cut) if piece.rotated)
                halves.update((len(streams) + i, end) for i, end in ends)
                readings, part = read_pieces(
                    stats,
                    cut,
                    lambda own, piece: read_input(
                        name, self.options, own, self.kinds, self.fast, self.progress, piece  # noqa: B023
                    ),
                )
                streams += readings
                names += [name] * len(readings)
                if name in self.split:
                    self.split[name] = len(cut)
                    self.spans[name] = piece_spans(cut)
                parts.append(part)
                continue
            events = read_input(name, self.options, stats, self.kinds, self.fast, self.progress)
            if name in self.split:
                runs = split_event_runs(events, stats.notes)
                self.split[name] = len(runs)
                self.spans[name] = [span for span in map(run_span_of, runs) if span is not None]
                run_span(stats, runs)
                held = ((i, run_end(run)) for i, run in enumerate(runs) if rotated_run(run))
                halves.update((len(streams) + i, end) for i, end in held)
                streams += [iter(run) for run in runs]
                names += [name] * len(runs)
            else:
                end = self.ends.get(name)  # (an older half; None: a `.lo_` not sampled)
                if end is not None or name.lower().endswith(".lo_"):
                    halves[len(streams)] = None if end is None else end / 1e6
                streams.append(events)
                names.append(name)
        self._halves = halves
        awareness: dict[bool, str] = {}
        keyed = [
            keyed_events(stream, name, awareness, self.judged, self._jumped(name, strict), origin)
            for origin, (stream, name) in enumerate(zip(streams, names, strict=True))
        ]
        if len(keyed) == 1:
            return (event for _, event, _ in keyed[0])
        merged = merge_batches([in_batches(stream) for stream in keyed], names)
        events = self._once(chain.from_iterable(merged))
        return joining(events, parts) if parts else events

    def _jumped(self, name: str, strict: bool) -> Callable[[int], None]:
        def jumped(line: int) -> None:
            if strict:
                raise BackwardJump(name, line)
            self.jumps.append((name, line))

        return jumped

    def _once(self, merged: Iterator[tuple[float, Event, int]]) -> Iterator[Event]:
        """The merged events, where a record found in two inputs or two runs of one input (the
        same instant, thread, component and text: overlapping exports, pasted excerpts) counts
        as `merge.Copies` says, as many times as the one run that holds it most often. Records
        on both sides of a rotation's seam all count: the older half (a `.lo_`, or a run that
        ends with the rotation marker) was renamed, not copied, so a component that wrote one
        line many times in a millisecond as the log rotated wrote each of them (the lab's
        SMSProv.lo_/.log). The run that begins where such a half ends is counted with it, as
        one run; another copy of the half is a copy (`type a.lo_ a.lo_ a.log`). A `.lo_` read
        whole whose end is not known before it is read (not in `ends`) is never taken for a
        copy."""
        ends = {origin: end for origin, end in self._halves.items() if end is not None}
        whole = self._halves.keys() - ends.keys()
        sides: dict[int, int] = {}  # per run: the run whose counts its records add to
        continued: set[int] = set()
        copies = Copies()
        seen: deque[tuple[float, tuple[object, ...]]] = deque()  # (instant, record), in order
        latest = float("-inf")
        for key, event, origin in merged:
            if event.time is not None and origin not in whole:
                side = sides.get(origin)
                if side is None:  # the run's first record
                    side = sides[origin] = _side(origin, key, ends, sides, continued)
                # the records of the last seconds: threads write a little out of order
                latest = max(latest, key)
                while seen and seen[0][0] < latest - 2 * RUN_DISORDER:
                    copies.forget(seen.popleft()[1])
                record = (key, event.thread, event.component, event.text)
                if not copies.known(record):
                    seen.append((key, record))
                if copies.copy(record, side):
                    self.duplicates += 1
                    continue
            yield event


def _side(
    origin: int, first: float, ends: Mapping[int, float], sides: dict[int, int], continued: set[int]
) -> int:
    """The run whose records count together with those of run `origin`, which begins at
    `first`: that of the older half that ends there (within the disorder of threads), if no
    other run continues that half yet (noted in `continued`); else its own."""
    for half, end in ends.items():
        near = abs(first - end) <= 2 * RUN_DISORDER
        if near and half != origin and half in sides and half not in continued:
            continued.add(half)
            return sides[half]
    return origin
