"""Rows of SMS-trace chunks: the reader that proves a chunk's lines are all records and returns
the rows of the wanted kinds, by the native scanner (`logsync._scan`, see `accel`) when it is
built, else in pure Python, where one `findall` proves and splits every record
(`sms.split_records`), their times come from caches of days, clocks and fractions, and their
meaning from a cache of messages (`usermeaning` reads users' lines). A line number is worked out
only for the kinds whose line is kept (restarts and failures): in a chunk with no blank line,
from the record's place in it. A chunk that holds a line that is no record (or that the native
scanner declines) is parsed the plain way instead, so the result is exactly that of the plain
path (tests compare the paths). Either way the instant of every record is seen: where time goes
back by more than the disorder of threads, the input holds several runs (`BackwardJump`), and
the latest record, not the last, ends the input."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import timezone, tzinfo
from itertools import compress, repeat
from operator import add, is_, is_not, itemgetter, mul
from typing import Any

from . import accel
from . import events as catalogue
from .formats import ParseContext, Record, sms
from .formats.common import in_order
from .merge import BackwardJump, goes_back, latest_of
from .rowspec import RowSpec, after_start_left_out, left_out_at, openings_after_start
from .times import bias_zone, fixed_offset, micros, moment_time
from .tracker import Row
from .usermeaning import UNREAD, user_meaning

_CACHE_LIMIT = 1 << 14
_US = itemgetter(0)
_ZONE = itemgetter(1)
_KIND = itemgetter(0)
_DATA = itemgetter(1)
_UNSEEN: Any = object()
SECONDS = {f"{second:02d}": second * 1_000_000 for second in range(60)}
"""A proved trailer's seconds (two digits, 00 to 59) in microseconds."""


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
            cutoff.leaves_out(us, zone)
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


class RowReader:
    """Rows of the wanted kinds from SMS-trace chunks."""

    def __init__(
        self,
        source: str,
        spec: RowSpec,
        ctx: ParseContext,
        one_run: bool = True,
        on_jump: Callable[[int], None] | None = None,
    ) -> None:
        self.source = source
        self.one_run = one_run
        """Whether time going back raises `BackwardJump` (a file read whole); a followed live
        log is read on in file order (its clock may be set back), `on_jump` told the line."""
        self.on_jump = on_jump
        self.spec = spec
        self.kinds = spec.wanted
        self._users = ("user_add_requested" in self.kinds, "user_add_failed" in self.kinds)
        self.ctx = ctx
        self._pattern: re.Pattern[str] | None = None
        self._starts: re.Pattern[str] | None = None
        self._meanings: dict[str, tuple[str, Any] | None] = {}
        self._days: dict[str, tuple[int, tzinfo | None] | None] = {}
        """Date and bias -> (instant of its midnight, zone); None when the zone has no fixed
        offset (`--source-tz` with daylight saving), so each minute is worked out on its own."""
        self._clocks: dict[str, int] = {}
        self._fractions: dict[str, int] = {}
        self._native = accel.native
        self._config = self._native_config(self.kinds) if self._native is not None else None
        self._last: int | None = None
        """The instant of the input's last record read so far (in file order)."""
        self._latest: tuple[int, tzinfo | None] | None = None
        """The latest record read so far: its instant and zone."""
        self._counted: tuple[int, int] | None = None  # (see `counted`)

    def chunk_rows(self, text: str, first_line: int) -> list[Row]:
        """The rows of a chunk (framed between line breaks), counted in the input's stats.
        Raises `BackwardJump` where time goes back by more than the disorder of threads (the
        input holds several runs), whatever the kind of the records around the jump."""
        scanned = self.scan(text, first_line)
        if scanned is None:
            self._counted = None
            return self.plain_rows(text, first_line)
        rows, records, blank, left_out, last, jump, latest, connector, out = scanned
        self._counted = (records + blank, connector)
        if jump:
            self._went_back(jump)
        self._last = last
        if self.ctx.shifts and last is not None:  # (the record before the next, see `in_order`)
            self.ctx.previous = last
        if latest is not None:
            self._later(*latest)
        stats = self.ctx.stats
        stats.records += records
        stats.record_lines += records
        stats.blank += blank
        if left_out:
            assert self.spec.cutoff is not None
            self.spec.cutoff.left_out += left_out
            if out is not None:  # (the earliest of them whose instant is known)
                self.spec.cutoff.note_out(*out)
        sms.note_times(text, self.ctx)
        self._note_latest()
        return rows

    def counted(self) -> tuple[int, int] | None:
        """The lines of the last chunk read (each a record or a blank line) and the connector's
        trailers in them, where its scan counted them, else None (see `sms.numbered_chunks`)."""
        return self._counted

    def scan(self, text: str, first_line: int) -> Scanned | None:
        """(rows, records, blank lines, records left out, the instant of the last record, the
        line where time first goes back by more than the disorder of threads or 0, the latest
        record's instant and zone, the connector's trailers as `sms.count_connector` counts
        them, the earliest record left out whose instant is known, with its zone) of a chunk
        whose lines are all records or blank, else None. The native scanner
        reads the chunks it can; the others are read here."""
        if self._native is not None:
            scanned = self._native.scan_rows(text, first_line, self._config, self._last)
            if scanned is not None:
                return native_scanned(scanned, self.ctx.source_tz)
        split = sms.split_records(text)
        if split is None:
            return None
        found, blank = split
        rows, keys, zones = self.rows(text, found, first_line, blank == 0)
        last, back = goes_back(keys, self._last)
        jump = 0 if back is None else self._line_of(text, first_line, back)
        latest = latest_of(keys, zones)
        connector = sms.connector_trailers(text)
        cutoff = self.spec.cutoff
        left_out, out = 0, None
        if cutoff is not None:  # (the rows of openings after a start are left out after it)
            keeps = cutoff.keeps
            beyond = [(us, z) for us, z in zip(keys, zones, strict=True) if not keeps(us, z)]
            left_out = len(beyond)
            known = [moment for moment in beyond if moment[1] is not None]
            out = min(known, key=itemgetter(0)) if known else None
            rows = after_start_left_out(cutoff.kept(rows), self.spec.openings)
        return rows, len(found), blank, left_out, last, jump, latest, connector, out

    def scan_after(self, text: str, first_line: int, last: int | None) -> Scanned | None:
        """`scan` of a chunk that follows a record at the instant `last` (None: no record):
        where its time goes back is found from there. Nothing is counted in the stats."""
        self._last = last
        return self.scan(text, first_line)

    def _line_of(self, text: str, first_line: int, index: int) -> int:
        """The line of a proved chunk's record number `index` (where time goes back)."""
        where = [found.start() for found in self.pattern().finditer(text)][index]  # (its `\n`)
        return first_line + text.count("\n", 0, where)

    def _in_time(self, times: list[tuple[int, tzinfo | None]]) -> None:
        """Note the instants of a chunk's records, in file order (see `chunk_rows`)."""
        keys = [moment[0] for moment in times]
        last, back = goes_back(keys, self._last)
        if back is not None:
            self._went_back(0)
        self._last = last
        latest = latest_of(keys, [moment[1] for moment in times])
        if latest is not None:
            self._later(*latest)

    def _went_back(self, line: int) -> None:
        """Time goes back at `line` (0: somewhere in the chunk)."""
        if self.one_run:
            raise BackwardJump(self.source, line)
        if self.on_jump is not None:
            self.on_jump(line)

    def _later(self, us: int, zone: tzinfo | None) -> None:
        if self._latest is None or us > self._latest[0]:
            self._latest = (us, zone)

    def _note_latest(self) -> None:
        """The input's last record is its latest (a record after it may be a few milliseconds
        earlier)."""
        stats, latest = self.ctx.stats, self._latest
        if latest is not None and (stats.last_time is None or micros(stats.last_time) < latest[0]):
            stats.last_time = moment_time(*latest)

    def pattern(self) -> re.Pattern[str]:
        """The pure reader's pattern (compiled when first needed: the native scanner has none)."""
        if self._pattern is None:
            self._pattern = sms.row_pattern("")  # every record: each one's time is seen
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
            self.spec.openings,
        )

    def rows(
        self, text: str, found: list[tuple[str, ...]], first_line: int, lines_known: bool
    ) -> tuple[list[Row], list[int], list[tzinfo | None]]:
        """The rows of a chunk whose lines are all records (or blank), from the groups of its
        records (`sms.split_records`); and of every record, in file order, its instant and its
        zone. `lines_known`: the chunk has no blank line, so record number i is on line
        `first_line + i`; else the line of each located row is looked for in `text`.

        The columns of the matches are worked on whole (`map` over the caches, at the speed of
        C): only the messages not seen yet are looked at one by one (and, in a chunk with blank
        lines, the rows whose line is kept)."""
        if not found:
            return [], [], []
        messages, dates, clocks, seconds, fractions, biases = zip(*found, strict=True)
        instants, zones = self._instants(found, dates, clocks, seconds, fractions, biases)
        meanings = self._meanings
        known = list(map(meanings.get, messages, repeat(_UNSEEN)))
        if _UNSEEN in known:  # messages not seen yet, each classified once
            for index in compress(range(len(known)), map(is_, known, repeat(_UNSEEN))):
                meaning = meanings.get(messages[index], _UNSEEN)  # (met earlier in this chunk)
                known[index] = self._meaning(messages[index]) if meaning is _UNSEEN else meaning
        picked = list(compress(range(len(known)), map(is_not, known, repeat(None))))
        meant: list[Any] = list(map(known.__getitem__, picked))
        kinds = list(map(_KIND, meant))
        openings = self.spec.openings
        if openings is not None and self.spec.cutoff is None:  # (else left out after the cut)
            places = openings_after_start(kinds, openings)
            if places:
                picked, meant, kinds = (left_out_at(x, places) for x in (picked, meant, kinds))
        located = self.spec.located
        if lines_known:  # a located row's line is first_line + its index, the others' 0
            lines: Iterable[int] = map(
                mul, map(add, picked, repeat(first_line)), map(located.__contains__, kinds)
            )
        else:
            lines = self._lines(text, first_line, [messages[i] for i in picked], kinds)
        out = list(
            zip(
                map(instants.__getitem__, picked),
                map(zones.__getitem__, picked),
                kinds,
                map(_DATA, meant),
                repeat(self.source),
                lines,
            )
        )
        return out, instants, zones

    def _lines(
        self, text: str, first_line: int, messages: list[str], kinds: list[str]
    ) -> list[int]:
        """The line of each row of a chunk that holds blank lines: of a located kind, the first
        line with its message after the last located row's; else 0."""
        located_kinds = self.spec.located
        lines = []
        cursor = 0
        line = first_line  # the line that follows text[cursor], a `\n`
        located = False
        for message, kind in zip(messages, kinds, strict=True):
            if kind not in located_kinds:
                lines.append(0)
                continue
            start = sms.line_start(text, message, cursor + 1 if located else 0)
            line += text.count("\n", cursor, start)
            cursor = start
            located = True
            lines.append(line)
        return lines

    def _instants(
        self,
        found: list[tuple[str, ...]],
        dates: tuple[str, ...],
        clocks: tuple[str, ...],
        seconds: tuple[str, ...],
        fractions: tuple[str, ...],
        biases: tuple[str, ...],
    ) -> tuple[list[int], list[tzinfo | None]]:
        """The instant and zone of every record of a chunk, from the caches of days, clocks and
        fractions applied to the columns whole; the few values not cached yet are worked out
        one by one."""
        day_keys = list(map(add, dates, biases))
        days: list[Any] = list(map(self._days.get, day_keys, repeat(_UNSEEN)))
        clock_us: list[Any] = list(map(self._clocks.get, clocks))
        offsets: list[Any] = list(map(self._fractions.get, fractions))
        if _UNSEEN in days:
            for index in compress(range(len(days)), map(is_, days, repeat(_UNSEEN))):
                day = self._days.get(day_keys[index], _UNSEEN)
                days[index] = self._day(dates[index], biases[index]) if day is _UNSEEN else day
        if None in days:  # a zone with daylight saving: each minute on its own
            moments = [self._time(*record[1:]) for record in found]
            return [moment[0] for moment in moments], [moment[1] for moment in moments]
        if None in clock_us:
            for index in compress(range(len(clock_us)), map(is_, clock_us, repeat(None))):
                clock_us[index] = self._clocks.get(clocks[index]) or self._clock(clocks[index])
        if None in offsets:
            for index in compress(range(len(offsets)), map(is_, offsets, repeat(None))):
                offset = self._fractions.get(fractions[index])
                offsets[index] = self._fraction(fractions[index]) if offset is None else offset
        since_midnight = map(add, clock_us, map(SECONDS.__getitem__, seconds))
        instants = list(map(add, map(add, map(_US, days), since_midnight), offsets))
        return instants, list(map(_ZONE, days))

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
            us += SECONDS[second] + offset
        else:
            since_midnight = self._clocks.get(clock)
            if since_midnight is None:
                since_midnight = self._clock(clock)
            us, zone = day[0] + since_midnight + SECONDS[second] + offset, day[1]
        if self.ctx.shifts:  # (an hour of --source-tz's clock comes twice)
            us = micros(in_order(moment_time(us, zone), self.ctx))
        return us, zone

    def plain_rows(self, text: str, first_line: int) -> list[Row]:
        """The rows of a chunk that holds lines that are no record: parsed the plain way."""
        parsed = sms.parse_text(text, first_line, self.ctx)
        records = [item for item in parsed if isinstance(item, Record)]
        self._in_time([(micros(record.time), record.time.tzinfo) for record in records])
        self._note_latest()
        events = (catalogue.from_record(record, self.source) for record in records)
        return [row for batch in event_rows(events, self.spec) for row in batch]

    def _meaning(self, message: str) -> tuple[str, Any] | None:
        found = user_meaning(message, *self._users)  # (a user's, in its usual form)
        if found is UNREAD:
            found = None
            if self._starts is None:
                starts = catalogue.message_starts(self.kinds - {"unparsed"}, highlighted=True)
                wanted = self.kinds - {"unparsed"} or self.spec.messages is not None
                # (no kind wanted, as when only records are counted: no message is classified)
                self._starts = re.compile(r"[~ \t]*(?:" + starts + ")" if wanted else "(?!)")
            if not self._starts.match(message):  # no kind wanted starts so: not classified
                kind, data, text = "", None, ""
            else:
                text = catalogue.decode_text(message.rstrip(" \t"))
                kind, data = catalogue.classify(text, highlighted=True)
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


_Seen = tuple[int, tzinfo | None] | None
Scanned = tuple[list[Row], int, int, int, int | None, int, _Seen, int, _Seen]
"""What `_RowReader.scan` makes of a chunk (see there)."""


def native_scanned(scanned: tuple[Any, ...], source_tz: tzinfo | None) -> Scanned:
    """The native scanner's answer with `last` given, its latest record's bias made a zone as
    the pure reader gives it."""
    rows, records, blank, left_out, last, jump, latest, connector, out = scanned
    if latest is not None:
        us, bias = latest
        latest = (us, bias_zone(bias) if bias is not None else source_tz)
    if out is not None:
        us, bias = out
        out = (us, bias_zone(bias) if bias is not None else source_tz)
    return rows, records, blank, left_out, last, jump, latest, connector, out
