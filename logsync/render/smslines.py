"""The `events` lines of SMS-trace chunks, written without a Record or an Event (see
`render.ndjson`): the native writer's, or put together from cached pieces."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from .. import accel
from .. import events as catalogue
from ..bounds import Bound
from ..chunks import SECONDS, RowReader
from ..formats import ParseContext, Record, remarks, sms
from ..merge import RUN_DISORDER_US
from ..selection import Filters
from ..times import bias_zone, fixed_offset, iso, micros
from .eventlines import LineForm

_CACHE_LIMIT = 1 << 16
_MESSAGES_HELD = 1 << 14
"""Messages whose lines' pieces are held (then forgotten, all at once): a log's messages
repeat where few users are notified again and again (8,466 distinct of 1M lines of the
steady state), and each is new where every user is (220,230 of 1M lines)."""


def seen(events: Iterator[catalogue.Event], jumps: Jumps) -> Iterator[catalogue.Event]:
    """The events, their times noted in `jumps` (every record's, whatever is written)."""
    for event in events:
        if event.time is not None:
            jumps.see(micros(event.time), event.line)
        yield event


class Jumps:
    """Where the input's time first goes back by more than `RUN_DISORDER` (the event stream's
    rule, `merge.keyed_events`, on every record, whatever is written), in microseconds."""

    def __init__(self) -> None:
        self.line: int | None = None
        """The line of the first record whose time goes back; None: none does."""
        self.last: int | None = None
        """The instant of the last record read (written or not)."""

    def see(self, us: int, line: int) -> None:
        if self.line is None and self.last is not None and us < self.last - RUN_DISORDER_US:
            self.line = line
        self.last = us

    def saw(self, last: int | None, line: int) -> None:
        """What a chunk written whole showed: its last instant, and its first jump (0: none)."""
        if line and self.line is None:
            self.line = line
        self.last = last


class SmsLines:
    """The `events` lines (in one `LineForm`) of SMS-trace chunks."""

    def __init__(
        self,
        source: str,
        kinds: frozenset[str] | None,
        ctx: ParseContext,
        form: LineForm,
        jumps: Jumps | None = None,
        filters: Filters | None = None,
    ) -> None:
        self.source = source
        self.jumps = jumps if jumps is not None else Jumps()
        self.filters = filters if filters is not None else Filters()
        self.kinds = kinds
        self.ctx = ctx
        self.form = form
        self._messages: dict[str, tuple[str, str, str] | None] = {}
        """Message -> (head, after the time, tail) of its lines; None: not written (a kind or
        user not wanted)."""
        self._days: dict[str, str | None] = {}
        self._clocks: dict[str, str] = {}
        self._fractions: dict[str, str] = {}
        self._offsets: dict[str, str | None] = {}
        self._components: dict[str, str] = {}
        self._threads: dict[str, str] = {}
        self._minutes: dict[tuple[str, str, str], int] = {}
        """(date, hour:minute, bias) -> the instant of that minute, in microseconds."""
        self._native = accel.native
        self._config: tuple[object, ...] | None = None

    def _native_config(self) -> tuple[object, ...]:
        """What the native writer needs to write the lines `_fast` writes (see _scan.c)."""
        if self._config is None:
            self._config = (
                self._messages,
                self._message,
                self._components,
                self._component,
                self._offset(""),
                self.form.after_line,
                self.form.after_component,
                self.form.after_thread,
            )
        return self._config

    def lines(self, text: str, first_line: int) -> str:
        written = self._written(text, first_line)
        if written is None:
            return self._plain(text, first_line)
        lines, records = written
        self._counted(text, records)
        return lines

    def _counted(self, text: str, records: int, blank: int = 0) -> None:
        """Count a chunk of only records (and `blank` lines) in the input's stats."""
        stats = self.ctx.stats
        stats.records += records
        stats.record_lines += records
        stats.blank += blank
        sms.note_times(text, self.ctx)

    def bounded_lines(
        self, text: str, first_line: int, checkers: list[tuple[Bound, RowReader]]
    ) -> str:
        """The lines of a chunk inside the bounds: a chunk whose records all lie on the
        kept side of each bound is written whole, one with none is read for its times only,
        and one that a bound cuts (or that holds lines that are no record) the plain way."""
        inside = True
        scanned = None
        for bound, checker in checkers:
            scanned = checker.scan_after(text, first_line, self.jumps.last)
            if scanned is None:
                return self._plain(text, first_line)
            records, left_out = scanned[1], scanned[3]
            kept = left_out if not bound.upper else records - left_out
            if kept != records and kept != 0:
                return self._plain(text, first_line)
            if kept == 0 and records:
                inside = False
        assert scanned is not None
        records = scanned[1]
        if not inside and self.filters.wants is None:
            # read for its counts and times only (the jumps of every record, as written)
            self._counted(text, records, scanned[2])
            self.jumps.saw(scanned[4], scanned[5])
            self.filters.keep = False
            return ""
        lines = self.lines(text, first_line)
        if records:
            self.filters.keep = inside
        return lines if inside else ""

    def _written(self, text: str, first_line: int) -> tuple[str, int] | None:
        """(JSON lines, records) of a chunk whose lines are all records, else None: by the
        native writer if it takes the chunk, else from `_fast`."""
        if self._native is not None:
            jumps = self.jumps
            native = self._native.ndjson_lines(text, first_line, self._native_config(), jumps.last)
            if native is not None:
                lines, records, last, jump = native
                jumps.saw(last, jump)
                return lines, records
        if remarks.marked_lines(text):  # (`--> Failed …`: read the plain way, see there)
            return None
        records = sms.RECORD_PARTS_RE.findall(text)
        if len(records) != text.count("\n") - 1 or sms.glued_in(text, records):
            return None
        fast = self._fast(records, first_line)
        return None if fast is None else (fast, len(records))

    def _fast(self, records: list[tuple[str, ...]], first_line: int) -> str | None:
        """The chunk's JSON lines, or None if some record needs the plain way."""
        messages = self._messages
        days = self._days
        clocks = self._clocks
        fractions = self._fractions
        offsets = self._offsets
        components = self._components
        threads = self._threads
        form = self.form
        after_line, after_component, after_thread = (
            form.after_line,
            form.after_component,
            form.after_thread,
        )
        minutes = self._minutes
        jump, last = self.jumps.line, self.jumps.last
        out: list[str] = []
        append = out.append
        for line, (message, component, date, clock, second, fraction, bias, thread) in enumerate(
            records, first_line
        ):
            day = days.get(date)  # first: a record of no wanted kind may still be no record
            if day is None:
                day = self._day(date)
                if day is None:
                    return None
            offset = offsets.get(bias)
            if offset is None:
                offset = self._offset(bias)
                if offset is None:
                    return None
            minute = minutes.get((date, clock, bias))
            if minute is None:
                minute = self._minute(date, clock, bias)
            us = minute + SECONDS[second] + sms.micro(fraction or None)
            if jump is None and last is not None and us < last - RUN_DISORDER_US:
                jump = line  # (every record counts, written or not)
            last = us
            parts = messages.get(message)
            if parts is None:
                if message in messages:
                    continue
                parts = self._message(message)
                if parts is None:
                    continue
            hour_minute = clocks.get(clock) or self._clock(clock)
            decimals = fractions.get(fraction)
            if decimals is None:
                decimals = self._fraction(fraction)
            name = components.get(component) or self._component(component)
            number = threads.get(thread) or self._thread(thread)
            append(
                f"{parts[0]}{day}{hour_minute}:{second}{decimals}{offset}{parts[1]}{line}"
                f"{after_line}{name}{after_component}{number}{after_thread}{parts[2]}"
            )
        self.jumps.line, self.jumps.last = jump, last
        if out:
            out.append("")
        return "\n".join(out)

    def _plain(self, text: str, first_line: int) -> str:
        encode = self.form.encode
        out = []
        events = (
            catalogue.from_record(item, self.source)
            if isinstance(item, Record)
            else catalogue.from_unparsed(item, self.source)
            for item in sms.parse_text(text, first_line, self.ctx)
        )
        for event in self.filters.kept(seen(events, self.jumps)):
            out.append(encode(event))
        if out:
            out.append("")
        return "\n".join(out)

    # -- cache misses -------------------------------------------------------------------------

    def _message(self, message: str) -> tuple[str, str, str] | None:
        text, kind, data, severity = catalogue.meaning(message.rstrip(" \t"))
        parts: tuple[str, str, str] | None = None
        named = self.filters.names(data)  # (notes the user, whatever the kind)
        if (self.kinds is None or kind in self.kinds) and named:
            parts = self.form.parts(kind, severity, text, data)
        if len(self._messages) >= _MESSAGES_HELD:
            self._messages.clear()
        self._messages[message] = parts
        return parts

    def _day(self, date: str) -> str | None:
        if len(self._days) >= _CACHE_LIMIT:
            self._days.clear()
        if not sms.usable_day(date):
            return None  # no such day (or out of range): the plain way says so
        month, day, year = (int(part) for part in date.split("-"))
        value = f"{year:04d}-{month:02d}-{day:02d}T"
        self._days[date] = value
        return value

    def _minute(self, date: str, clock: str, bias: str) -> int:
        """The instant of a record's minute (its day and offset are known good)."""
        month, day, year = (int(part) for part in date.split("-"))
        hour, minute = (int(part) for part in clock.split(":"))
        local = micros(datetime(year, month, day, hour, minute))
        offset = fixed_offset(bias_zone(int(bias)) if bias else self.ctx.source_tz)
        value = local - (offset[0] if offset is not None else 0)
        if len(self._minutes) >= _CACHE_LIMIT:
            self._minutes.clear()
        self._minutes[date, clock, bias] = value
        return value

    def _clock(self, clock: str) -> str:
        hour, minute = clock.split(":")
        value = self._clocks[clock] = f"{int(hour):02d}:{minute}"
        return value

    def _fraction(self, fraction: str) -> str:
        """As `iso` writes it: nothing for whole seconds, else milli- or microseconds."""
        stamp = iso(datetime(2000, 1, 1, microsecond=sms.micro(fraction or None)))
        value = stamp[19:] if stamp is not None else ""
        if len(self._fractions) < _CACHE_LIMIT:
            self._fractions[fraction] = value
        return value

    def _offset(self, bias: str) -> str | None:
        """The UTC offset as ISO writes it; None for a zone with daylight saving."""
        fixed = fixed_offset(bias_zone(int(bias)) if bias else self.ctx.source_tz)
        if fixed is None:
            return None
        value = self._offsets[bias] = fixed[1]
        return value

    def _component(self, component: str) -> str:
        value = self.form.component(component)
        if len(self._components) < _CACHE_LIMIT:
            self._components[component] = value
        return value

    def _thread(self, thread: str) -> str:
        value = str(int(thread))
        if len(self._threads) < _CACHE_LIMIT:
            self._threads[thread] = value
        return value

