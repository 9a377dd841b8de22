"""Rows of SMS-trace chunks: the reader that proves a chunk's lines are all records and returns
the rows of the wanted kinds, by the native scanner (`logsync._scan`, see `accel`) when it is
built, else in pure Python, where one `findall` picks out the records of the wanted kinds, their
times come from caches of days, clocks and fractions, and their meaning from a cache of messages.
A line number is worked out only for the kinds whose line is kept (restarts and failures). A
chunk that holds a line that is no record (or that the native scanner declines) is parsed the
plain way instead, so the result is exactly that of the plain path (tests compare the paths).
Either way the instant of every record is seen: where time goes back by more than the disorder
of threads, the input holds several runs (`BackwardJump`), and the latest record, not the last,
ends the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timezone, tzinfo
from typing import Any, NamedTuple

from . import accel
from . import events as catalogue
from .bounds import Cutoff
from .formats import ParseContext, Record, sms
from .merge import RUN_DISORDER_US, BackwardJump
from .times import bias_zone, fixed_offset, micros, moment_time
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


class RowReader:
    """Rows of the wanted kinds from SMS-trace chunks."""

    def __init__(
        self, source: str, spec: RowSpec, ctx: ParseContext, one_run: bool = True
    ) -> None:
        self.source = source
        self.one_run = one_run
        """Whether time going back raises `BackwardJump` (a file read whole); a followed live
        log is read on in file order (its clock may be set back)."""
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
        self._last: int | None = None
        """The instant of the input's last record read so far (in file order)."""
        self._latest: tuple[int, tzinfo | None] | None = None
        """The latest record read so far: its instant and zone."""

    def chunk_rows(self, text: str, first_line: int) -> list[Row]:
        """The rows of a chunk (framed between line breaks), counted in the input's stats.
        Raises `BackwardJump` where time goes back by more than the disorder of threads (the
        input holds several runs), whatever the kind of the records around the jump."""
        scanned = self.scan(text, first_line)
        if scanned is None:
            return self.plain_rows(text, first_line)
        rows, records, blank, left_out, last, jump, latest = scanned
        if jump and self.one_run:
            raise BackwardJump(self.source)
        self._last = last
        if latest is not None:
            self._later(*latest)
        stats = self.ctx.stats
        stats.records += records
        stats.record_lines += records
        stats.blank += blank
        if left_out:
            assert self.spec.cutoff is not None
            self.spec.cutoff.left_out += left_out
        sms.note_times(text, self.ctx)
        self._note_latest()
        return rows

    def scan(self, text: str, first_line: int) -> Scanned | None:
        """(rows, records, blank lines, records left out, the instant of the last record, the
        line where time first goes back by more than the disorder of threads or 0, the latest
        record's instant and zone) of a chunk whose lines are all records or blank, else None.
        The native scanner reads the chunks it can; the others are read here."""
        if self._native is not None:
            scanned = self._native.scan_rows(text, first_line, self._config, self._last)
            if scanned is not None:
                return native_scanned(scanned, self.ctx.source_tz)
        counts = sms.count_records(text)
        if counts is None:
            return None
        times, last, jump = self._timeline(text, first_line)
        latest = max(times, key=_instant) if times else None
        rows = self.rows(text, first_line)
        cutoff = self.spec.cutoff
        if cutoff is None:
            return rows, counts[0], counts[1], 0, last, jump, latest
        keeps = cutoff.keeps
        left_out = sum(1 for us, zone in times if not keeps(us, zone))
        return cutoff.kept(rows), counts[0], counts[1], left_out, last, jump, latest

    def _timeline(
        self, text: str, first_line: int
    ) -> tuple[list[tuple[int, tzinfo | None]], int | None, int]:
        """The instant and zone of every record of a proved chunk, the instant of its last
        record (else the one before the chunk), and the line where time first goes back (0:
        nowhere)."""
        times = list(self._times(text))
        last, back = _goes_back(times, self._last)
        if back is None:
            return times, last, 0
        where = [found.start() for found in _TIMES_RE.finditer(text)][back]  # (at its `\n`)
        return times, last, first_line + text.count("\n", 0, where)

    def _in_time(self, times: list[tuple[int, tzinfo | None]]) -> None:
        """Note the instants of a chunk's records, in file order (see `chunk_rows`)."""
        last, back = _goes_back(times, self._last)
        if back is not None and self.one_run:
            raise BackwardJump(self.source)
        self._last = last
        if times:
            self._later(*max(times, key=_instant))

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
        parsed = sms.parse_text(text, first_line, self.ctx)
        records = [item for item in parsed if isinstance(item, Record)]
        self._in_time([(micros(record.time), record.time.tzinfo) for record in records])
        self._note_latest()
        events = (catalogue.from_record(record, self.source) for record in records)
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
    r"\n[^\n]*\$\$<[^<>\n]*><([^ >\n]+) ([^:>\n]+:[^:>\n]+):([0-9]+)(?:\.([0-9]+))?"
    r"([+-][0-9]+)?>"
)
"""The time of every record of a chunk proved to hold only records (see `sms.row_pattern`):
the last trailer of each line (a message may hold `$$<` text of its own)."""


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


def _instant(moment: tuple[int, tzinfo | None]) -> int:
    return moment[0]


def _goes_back(
    times: list[tuple[int, tzinfo | None]], last: int | None
) -> tuple[int | None, int | None]:
    """(the instant of the last of `times`, else `last`; the index of the first whose time goes
    back by more than the disorder of threads from the one before it, or None)."""
    for index, (us, _) in enumerate(times):
        if last is not None and us < last - RUN_DISORDER_US:
            return times[-1][0], index
        last = us
    return last, None


Scanned = tuple[list[Row], int, int, int, "int | None", int, "tuple[int, tzinfo | None] | None"]
"""What `_RowReader.scan` makes of a chunk (see there)."""


def native_scanned(scanned: tuple[Any, ...], source_tz: tzinfo | None) -> Scanned:
    """The native scanner's answer with `last` given, its latest record's bias made a zone as
    the pure reader gives it."""
    rows, records, blank, left_out, last, jump, latest = scanned
    if latest is not None:
        us, bias = latest
        latest = (us, bias_zone(bias) if bias is not None else source_tz)
    return rows, records, blank, left_out, last, jump, latest
