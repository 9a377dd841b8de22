"""The fast path from inputs to the tracker: tracked records go in as rows, never as Events.

`analyze` without an observer or a followed user only needs the records of the tracked kinds.
For SMS-trace text whose lines are all records, each chunk is read in one pass that proves
every line is a record and returns the rows of the tracked kinds: by the native scanner
(`logsync._scan`, see `accel`) when it is built, else in pure Python, where one `findall` picks
out the records of the wanted kinds, their times come from caches of days, clocks and
fractions, and their meaning from a cache of messages. A line number is worked out only for the
kinds whose line is kept (restarts and failures).

A chunk that holds a line that is no record (or that the native scanner declines) is parsed the
plain way instead, so the result is exactly that of the plain path (tests compare the paths).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import timezone, tzinfo
from typing import Any, NamedTuple

from . import accel
from . import events as catalogue
from .bounds import Cutoff
from .formats import ParseContext, Record, parser_for, sms
from .merge import distinct_rows, merge_batches, mergeable, rows_in_order
from .pipeline import ReadOptions, ensure_records, is_connector, open_input, parse_input
from .sources import InputStats, Progress, mark_siblings
from .times import bias_zone, fixed_offset, micros
from .tracker import Row

LOCATED_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "processing_stopping",
        "certificate_wait",
        "status_message",
        "user_add_failed",
        "sync_started",
        "add_totals",
        "certificate_failed",
        "no_intune_subscription",
    }
)
"""Kinds whose line number the tracker keeps (restarts, stops, certificate waits and their
causes in sibling logs that evidence the connector's state, a user's last failure, the cycle
and totals lines that evidence an unreconciled cycle or a stall)."""


class RowSpec(NamedTuple):
    """Which rows a reading wants."""

    kinds: frozenset[str]
    """Kinds of the catalogue; `message` rows are those `messages` picks."""
    located: frozenset[str] = LOCATED_KINDS
    """Kinds whose rows carry their line number (the others have 0)."""
    messages: Callable[[str], bool] | None = None
    """Which messages of no known kind become `message` rows, with their text as the payload
    (the health summary's evidence of failing syncs); None: none."""
    cutoff: Cutoff | None = None

    @property
    def wanted(self) -> frozenset[str]:
        """The kinds of the rows: `message` exactly when some messages are picked."""
        return self.kinds | {"message"} if self.messages is not None else self.kinds - {"message"}


_CACHE_LIMIT = 1 << 14
_UNSEEN: Any = object()
SECONDS = {f"{second:02d}": second * 1_000_000 for second in range(60)}
"""A proved trailer's seconds (two digits, 00 to 59) in microseconds."""


def input_rows(
    name: str,
    options: ReadOptions,
    stats: InputStats,
    spec: RowSpec,
    progress: Progress | None = None,
) -> Iterator[list[Row]]:
    """The rows `spec` wants of one input, in file order, a chunk's worth at a time."""
    fmt, chunks = open_input(name, options, stats, progress)
    if fmt is None:
        ensure_records(name, stats)
        return
    if fmt != "sms-trace" or stats.sibling:
        # every event (the cutoff counts the records it leaves out); of a sibling log, the
        # records about the connector, picked from the events
        kinds = None if spec.cutoff is not None else spec.wanted
        yield from event_rows(parse_input(name, fmt, chunks, options, stats, kinds), spec)
        return
    reader = _RowReader(name, spec, ParseContext(stats, options.source_tz))
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
        rows_in_order(input_rows(name, options, stats, spec, progress), name)
        for name, stats in zip(names, inputs, strict=True)
    ]
    if len(streams) == 1:
        return inputs, streams[0]
    awareness: dict[bool, str] = {}
    checked = [
        mergeable(stream, name, awareness) for stream, name in zip(streams, names, strict=True)
    ]
    return inputs, distinct_rows(merge_batches(checked, names))


def text_rows(
    source: str, fmt: str, options: ReadOptions, stats: InputStats, spec: RowSpec
) -> Callable[[str, int], list[Row]]:
    """A reader of one source's text a piece at a time (a followed live log): given complete
    lines framed between line breaks and the number of the first, their rows; it counts them in
    `stats` as `input_rows` does."""
    ctx = ParseContext(stats, options.source_tz)
    if fmt == "sms-trace":
        reader = _RowReader(source, spec, ctx)

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


def event_rows(events: Iterator[catalogue.Event], spec: RowSpec) -> Iterator[list[Row]]:
    """The rows `spec` wants of events (an adapter: the rows the readers give), in batches."""
    kinds, messages, cutoff = spec.wanted, spec.messages, spec.cutoff
    batch: list[Row] = []
    for event in events:
        time = event.time
        if time is None:
            continue
        us, zone = micros(time), time.tzinfo
        if cutoff is not None and not cutoff.keeps(us, zone):
            cutoff.left_out += 1
            continue
        kind = event.kind
        if kind not in kinds:
            continue
        data = event.data
        if kind == "message":
            if messages is None or not messages(event.text):
                continue
            data = event.text
        batch.append((us, zone, kind, data, event.source, event.line))
        if len(batch) >= 4096:
            yield batch
            batch = []
    if batch:
        yield batch


class _RowReader:
    """Rows of the wanted kinds from SMS-trace chunks."""

    def __init__(self, source: str, spec: RowSpec, ctx: ParseContext) -> None:
        self.source = source
        self.spec = spec
        self.kinds = spec.wanted
        self.ctx = ctx
        self._pattern: re.Pattern[str] | None = None
        self._meanings: dict[str, tuple[str, Any] | None] = {}
        self._days: dict[str, tuple[int, tzinfo | None] | None] = {}
        """Date and bias -> (instant of its midnight, zone); None when the zone has no fixed
        offset (`--source-tz` with daylight saving), so each minute is worked out on its own."""
        self._clocks: dict[str, int] = {}
        self._fractions: dict[str, int] = {}
        self._native = accel.native
        self._config = self._native_config(self.kinds) if self._native is not None else None

    def chunk_rows(self, text: str, first_line: int) -> list[Row]:
        """The rows of a chunk (framed between line breaks), counted in the input's stats."""
        scanned = self.scan(text, first_line)
        if scanned is None:
            return self.plain_rows(text, first_line)
        rows, records, blank, left_out = scanned
        stats = self.ctx.stats
        stats.records += records
        stats.record_lines += records
        stats.blank += blank
        if left_out:
            assert self.spec.cutoff is not None
            self.spec.cutoff.left_out += left_out
        sms.note_times(text, self.ctx)
        return rows

    def scan(self, text: str, first_line: int) -> tuple[list[Row], int, int, int] | None:
        """(rows, records, blank lines, records left out) of a chunk whose lines are all
        records or blank, else None. The native scanner reads the chunks it can; the others
        are read here."""
        if self._native is not None:
            scanned: tuple[list[Row], int, int, int] | None
            scanned = self._native.scan_rows(text, first_line, self._config)
            if scanned is not None:
                return scanned
        counts = sms.count_records(text)
        if counts is None:
            return None
        rows = self.rows(text, first_line)
        cutoff = self.spec.cutoff
        if cutoff is None:
            return rows, counts[0], counts[1], 0
        keeps = cutoff.keeps
        left_out = sum(1 for us, zone in self._times(text) if not keeps(us, zone))
        return cutoff.kept(rows), counts[0], counts[1], left_out

    def pattern(self) -> re.Pattern[str]:
        """The pure reader's pattern (compiled when first needed: the native scanner has none)."""
        if self._pattern is None:
            self._pattern = sms.row_pattern(catalogue.message_starts(self.kinds - {"unparsed"}))
        return self._pattern

    def _native_config(self, kinds: frozenset[str]) -> tuple[Any, ...]:
        """What the native scanner needs to give the rows `rows` gives (see _scan.c)."""
        source_tz = self.ctx.source_tz
        fixed = fixed_offset(source_tz)  # None: daylight saving, read here minute by minute
        requested = "user_add_requested" in kinds
        failed = "user_add_failed" in kinds
        cutoff = self.spec.cutoff
        return (
            self.source,
            catalogue.literal_starts(kinds),
            self._meanings,
            self._meaning,
            self.spec.located,
            bias_zone,
            source_tz,
            None if fixed is None else fixed[0],
            "user_add_requested" if requested else None,
            catalogue.UserAddRequested,
            "user_add_failed" if failed else None,
            catalogue.UserAddFailed,
            None if cutoff is None else cutoff.native(),
        )

    def rows(self, text: str, first_line: int) -> list[Row]:
        """The rows of a chunk whose lines are all records (or blank)."""
        meanings = self._meanings
        time = self._time
        source = self.source
        out: list[Row] = []
        append = out.append
        cursor = 0
        line = first_line  # the line that follows text[cursor], a `\n`
        located = False
        located_kinds = self.spec.located
        for message, date, clock, second, fraction, bias in self.pattern().findall(text):
            meaning = meanings.get(message)
            if meaning is None:
                if message in meanings:
                    continue
                meaning = self._meaning(message)
                if meaning is None:
                    continue
            kind, data = meaning
            us, zone = time(date, clock, second, fraction, bias)
            if kind in located_kinds:
                # the first line of this message after the last located one
                start = _line_start(text, message, cursor + 1 if located else 0)
                line += text.count("\n", cursor, start)
                cursor = start
                located = True
                append((us, zone, kind, data, source, line))
            else:
                append((us, zone, kind, data, source, 0))
        return out

    def _time(
        self, date: str, clock: str, second: str, fraction: str, bias: str
    ) -> tuple[int, tzinfo | None]:
        """A proved trailer's instant and zone, from the caches of days, clocks and fractions."""
        day = self._days.get(date + bias, _UNSEEN)
        if day is _UNSEEN:
            day = self._day(date, bias)
        offset = self._fractions.get(fraction)
        if offset is None:
            offset = self._fraction(fraction)
        if day is None:
            us, zone = self._minute(date + " " + clock, bias)
            return us + SECONDS[second] + offset, zone
        since_midnight = self._clocks.get(clock)
        if since_midnight is None:
            since_midnight = self._clock(clock)
        return day[0] + since_midnight + SECONDS[second] + offset, day[1]

    def _times(self, text: str) -> Iterator[tuple[int, tzinfo | None]]:
        """The instant and zone of every record of a proved chunk."""
        for date, clock, second, fraction, bias in _TIMES_RE.findall(text):
            yield self._time(date, clock, second, fraction, bias)

    def plain_rows(self, text: str, first_line: int) -> list[Row]:
        """The rows of a chunk that holds lines that are no record: parsed the plain way."""
        events = (
            catalogue.from_record(item, self.source)
            for item in sms.parse_text(text, first_line, self.ctx)
            if isinstance(item, Record)
        )
        return [row for batch in event_rows(events, self.spec) for row in batch]

    def _meaning(self, message: str) -> tuple[str, Any] | None:
        text = catalogue.decode_text(message.rstrip(" \t"))
        kind, data = catalogue.classify(text)
        found: tuple[str, Any] | None = None
        if kind == "message":
            messages = self.spec.messages
            if messages is not None and messages(text):
                found = (kind, text)
        elif kind in self.kinds:
            found = (kind, data)
        if len(self._meanings) >= _CACHE_LIMIT:
            self._meanings.clear()
        self._meanings[message] = found
        return found

    def _day(self, date: str, bias: str) -> tuple[int, tzinfo | None] | None:
        """(instant of the day's midnight, zone), decoded by `sms.minute` like every record of
        the pure path; None when the zone has no fixed offset (each minute on its own)."""
        midnight = self._minute(date + " 0:00", bias)
        zone = midnight[1]
        found = midnight if zone is None or isinstance(zone, timezone) else None
        if len(self._days) >= _CACHE_LIMIT:
            self._days.clear()
        self._days[date + bias] = found
        return found

    def _minute(self, minute: str, bias: str) -> tuple[int, tzinfo | None]:
        value = sms.minute(minute, bias or None, self.ctx)
        if value is None:  # a proved chunk has no impossible dates
            raise AssertionError(f"{self.source}: no such day {minute!r}")
        return micros(value), value.tzinfo

    def _clock(self, clock: str) -> int:
        hour, minute = clock.split(":")
        value = (int(hour) * 60 + int(minute)) * 60_000_000
        self._clocks[clock] = value
        return value

    def _fraction(self, fraction: str) -> int:
        value = sms.micro(fraction or None)
        if len(self._fractions) < _CACHE_LIMIT:
            self._fractions[fraction] = value
        return value


_TIMES_RE = re.compile(
    r"\$\$<[^<>\n]*><([^ >\n]+) ([^:>\n]+:[^:>\n]+):([0-9]+)(?:\.([0-9]+))?([+-][0-9]+)?>"
)
"""The time of every record of a chunk proved to hold only records (see `sms.row_pattern`)."""


def _line_start(text: str, message: str, cursor: int) -> int:
    """Where the first line with this record's message begins (at its `\\n`), from `cursor`.

    The message runs up to the record's last `$$<`, so a longer message that merely starts the
    same way is skipped.
    """
    needle = "\n" + message + "$$<"
    start = text.find(needle, cursor)
    while start >= 0:
        end = text.find("\n", start + 1)
        if text.rfind("$$<", start, end) == start + len(message) + 1:
            return start
        start = text.find(needle, start + 1)
    raise AssertionError("a row's own line must be in its chunk")
