"""The fast path from inputs to the tracker: tracked records go in as rows, never as Events.

`analyze` without an observer or a followed user only needs the records of the tracked kinds.
For SMS-trace text whose lines are all records, those are picked out of each chunk with one
`findall` (records of other kinds are never built), their times come from caches of days,
clocks and fractions, and their meaning from a cache of messages; a line number is worked out
only for the kinds whose line is kept (restarts and failures).

Proving that every line of a chunk is a record is a large part of the work. For a large regular
file, on a machine with a second CPU, a helper process (`helper.Helper`) proves every chunk and
reads the rows of every other one, which it sends packed (marshal, with a table of meanings);
each chunk is used only once its proof has arrived. Any chunk that holds a line that is no record
is parsed the plain way instead, so the result is exactly that of the plain path (tests compare
the two).
"""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from . import events as catalogue
from .formats import ParseContext, Record, sms
from .helper import helped_chunks
from .pipeline import ReadOptions, ensure_records, open_input, parse_input
from .sources import InputStats, Progress
from .times import bias_zone
from .tracker import Row, micros

LOCATED_KINDS = frozenset(
    {
        "component_started",
        "processing_started",
        "status_message",
        "user_add_failed",
        "sync_started",
        "add_totals",
    }
)
"""Kinds whose line number the tracker keeps (restarts, a user's last failure, the cycle and
totals lines that evidence an unreconciled cycle)."""

_CACHE_LIMIT = 1 << 14
_TABLE_LIMIT = 1 << 12
"""Meanings the helper sends before both ends start their tables afresh (a few ms each time)."""
HELPER_SHARE = (1, 2)
"""The helper reads the rows of 1 chunk in 2 (and proves them all). Measured on the 1M-line
bench log: with a larger share the helper is the one that is late."""
_UNSEEN: Any = object()
SECONDS = {f"{second:02d}": second * 1_000_000 for second in range(60)}
"""A proved trailer's seconds (two digits, 00 to 59) in microseconds."""


def input_rows(
    name: str,
    options: ReadOptions,
    stats: InputStats,
    kinds: frozenset[str],
    progress: Progress | None = None,
) -> Iterator[list[Row]]:
    """The rows of one input's events of `kinds`, in file order, a chunk's worth at a time."""
    fmt, chunks = open_input(name, options, stats, progress)
    if fmt is None:
        ensure_records(name, stats)
        return
    if fmt != "sms-trace":
        yield from _event_rows(parse_input(name, fmt, chunks, options, stats, kinds))
        return
    reader = _RowReader(name, kinds, ParseContext(stats, options.source_tz))
    for text, first_line, done in helped_chunks(name, chunks, stats, reader.helper_work, _every):
        sms.count_connector(text, stats)
        counts = sms.count_records(text) if done is None else _counts(done[1])
        if counts is not None:
            records, blank = counts
            stats.records += records
            stats.record_lines += records
            stats.blank += blank
            yield reader.unpack(done[0]) if done and done[0] else reader.rows(text, first_line)
            sms.note_last_time(text, reader.ctx)
        else:
            yield reader.plain_rows(text, first_line)
    ensure_records(name, stats)


def _counts(proof: tuple[int, ...]) -> tuple[int, int] | None:
    return (proof[0], proof[1]) if len(proof) == 2 else None


def _every(index: int) -> bool:
    return True


def _event_rows(events: Iterator[catalogue.Event]) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for event in events:
        if event.time is not None:
            batch.append(_row(event))
            if len(batch) >= 4096:
                yield batch
                batch = []
    if batch:
        yield batch


def _row(event: catalogue.Event) -> Row:
    time = event.time
    if time is None:
        raise ValueError("an unparsed line has no row")
    return (micros(time), time.tzinfo, event.kind, event.data, event.source, event.line)


class _RowReader:
    """Rows of the wanted kinds from SMS-trace chunks."""

    def __init__(self, source: str, kinds: frozenset[str], ctx: ParseContext) -> None:
        self.source = source
        self.kinds = kinds
        self.ctx = ctx
        self.pattern = sms.row_pattern(catalogue.message_starts(kinds - {"unparsed"}))
        self._meanings: dict[str, tuple[str, Any] | None] = {}
        self._days: dict[str, tuple[int, tzinfo | None] | None] = {}
        """Date and bias -> (instant of its midnight, zone); None when the zone has no fixed
        offset (`--source-tz` with daylight saving), so each minute is worked out on its own."""
        self._clocks: dict[str, int] = {}
        self._fractions: dict[str, int] = {}
        # packing rows in the helper, unpacking them in the parent
        self._zone_ids: dict[int, int] = {}
        self._meaning_ids: dict[str | int, int] = {}
        self._kept: list[Any] = []
        self._zone_table: list[tzinfo | None] = []
        self._meaning_table: list[tuple[str, Any]] = []

    def rows(self, text: str, first_line: int) -> list[Row]:
        """The rows of a chunk whose lines are all records (or blank)."""
        meanings = self._meanings
        days = self._days
        clocks = self._clocks
        fractions = self._fractions
        source = self.source
        out: list[Row] = []
        append = out.append
        cursor = 0
        line = first_line  # the line that follows text[cursor], a `\n`
        located = False
        for message, date, clock, second, fraction, bias in self.pattern.findall(text):
            meaning = meanings.get(message)
            if meaning is None:
                if message in meanings:
                    continue
                meaning = self._meaning(message)
                if meaning is None:
                    continue
            kind, data = meaning
            day = days.get(date + bias, _UNSEEN)
            if day is _UNSEEN:
                day = self._day(date, bias)
            offset = fractions.get(fraction)
            if offset is None:
                offset = self._fraction(fraction)
            if day is None:
                us, zone = self._minute(date + " " + clock, bias)
                us += SECONDS[second]
            else:
                since_midnight = clocks.get(clock)
                if since_midnight is None:
                    since_midnight = self._clock(clock)
                us = day[0] + since_midnight + SECONDS[second]
                zone = day[1]
            if kind in LOCATED_KINDS:
                # the first line of this message after the last located one
                start = _line_start(text, message, cursor + 1 if located else 0)
                line += text.count("\n", cursor, start)
                cursor = start
                located = True
                append((us + offset, zone, kind, data, source, line))
            else:
                append((us + offset, zone, kind, data, source, 0))
        return out

    # -- the helper's share: proofs of every chunk, and the rows of most ----------------------

    def helper_work(self, index: int, text: str, first_line: int) -> tuple[bytes, tuple[int, ...]]:
        """In the helper: (packed rows or nothing, (records, blank lines) or nothing)."""
        counts = sms.count_records(text)
        if counts is None:
            return b"", ()  # the parent parses this chunk the plain way
        if index % HELPER_SHARE[1] >= HELPER_SHARE[0]:
            return b"", counts  # the parent reads this chunk's rows itself
        zones, meanings = self._zone_ids, self._meaning_ids
        restart = len(meanings) > _TABLE_LIMIT
        if restart:  # both ends start their tables afresh: memory stays bounded
            zones.clear()
            meanings.clear()
            self._kept.clear()
        new_zones: list[int | str | None] = []
        new_meanings: list[tuple[str, Any]] = []
        packed = []
        for us, zone, kind, data, _, line in self.rows(text, first_line):
            zone_id = zones.get(id(zone))
            if zone_id is None:
                zone_id = zones[id(zone)] = len(zones)
                new_zones.append(self._zone_spec(zone))
                self._kept.append(zone)
            key = kind if data is None else id(data)  # payloads are shared, one per message
            meaning_id = meanings.get(key)
            if meaning_id is None:
                meaning_id = meanings[key] = len(meanings)
                new_meanings.append((kind, data))
                self._kept.append(data)  # so that no other object takes its id
            packed.append((us, zone_id, meaning_id, line))
        fresh = pickle.dumps(new_meanings) if new_meanings else b""
        return marshal.dumps((restart, new_zones, fresh, packed)), counts

    def unpack(self, payload: bytes) -> list[Row]:
        """In the parent: the rows the helper packed."""
        restart, new_zones, fresh, packed = marshal.loads(payload)
        if restart:
            self._zone_table.clear()
            self._meaning_table.clear()
        self._zone_table.extend(self._zone_of(spec) for spec in new_zones)
        if fresh:
            self._meaning_table.extend(pickle.loads(fresh))  # written by our own forked helper
        zones, meanings, source = self._zone_table, self._meaning_table, self.source
        return [(us, zones[z], *meanings[m], source, line) for us, z, m, line in packed]

    def _zone_spec(self, zone: tzinfo | None) -> int | str | None:
        """A zone as marshal can carry it: a bias, `source` (--source-tz) or None (naive)."""
        if zone is None:
            return None
        if zone is self.ctx.source_tz:
            return "source"
        offset = zone.utcoffset(None)
        if offset is None:
            raise ValueError(f"{zone!r} has no fixed offset")
        return -(offset // timedelta(minutes=1))

    def _zone_of(self, spec: int | str | None) -> tzinfo | None:
        if spec is None:
            return None
        if spec == "source":
            return self.ctx.source_tz
        return bias_zone(int(spec))

    def plain_rows(self, text: str, first_line: int) -> list[Row]:
        """The rows of a chunk that holds lines that are no record: parsed the plain way."""
        rows = []
        for item in sms.parse_text(text, first_line, self.ctx):
            if isinstance(item, Record):
                event = catalogue.from_record(item, self.source)
                if event.kind in self.kinds:
                    rows.append(_row(event))
        return rows

    def _meaning(self, message: str) -> tuple[str, Any] | None:
        kind, data = catalogue.classify(catalogue.decode_text(message.rstrip(" \t")))
        found = (kind, data) if kind in self.kinds else None
        if len(self._meanings) >= _CACHE_LIMIT:
            self._meanings.clear()
        self._meanings[message] = found
        return found

    def _day(self, date: str, bias: str) -> tuple[int, tzinfo | None] | None:
        zone = bias_zone(int(bias)) if bias else self.ctx.source_tz
        if zone is None or isinstance(zone, timezone):
            month, day, year = date.split("-")
            midnight = datetime(int(year), int(month), int(day), tzinfo=zone)
            found: tuple[int, tzinfo | None] | None = (micros(midnight), zone)
        else:
            found = None
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
