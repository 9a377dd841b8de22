"""SMS trace, the format of CloudUserSync.log and most site-server logs.

    message[~...]  $$<component><MM-DD-YYYY HH:MM:SS.mmm+BIAS><thread=DEC (0xHEX)>

One record per physical line. UTC = local time + bias (minutes), per record. Chunks are parsed
with one regex pass each; the trailer is anchored at the end of the line, so a message holding
`$$<` itself cannot confuse it, and a hostile line costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from operator import itemgetter

from ..patterns import deferred
from ..records import Item, Record, Unparsed
from ..sources import InputStats
from ..times import FIRST_YEAR, LAST_YEAR, bias_zone
from . import remarks
from .common import ParseContext, framed, in_order, non_record, record_after
from .cutshort import CUT_TRAILER_RE, PARTIAL_TRAILER_RE, after_padding, cut_short
from .cutshort import GLUED_PROBLEM as GLUED_PROBLEM
from .cutshort import is_glued as is_glued

_DATE = r"(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])-\d{4}"
_CLOCK = r"(?:[01]?\d|2[0-3]):[0-5]\d"
_DATE_MINUTE = "(" + _DATE + " " + _CLOCK + ")"
_SECOND = r":([0-5]\d)(?:\.(\d{1,7}))?"
_BIAS = r"([+-](?:14[0-3]\d|1[0-3]\d\d|\d{1,3}))?"
"""A bias is at most 1439 minutes (a UTC offset is less than a day)."""
_THREAD = r"><thread=(\d{1,10})(?: ?\((?:0x)?[0-9A-Fa-f]{1,16}\))?>"
TRAILER = r"\$\$<([^<>\n]*)><" + _DATE_MINUTE + _SECOND + _BIAS + _THREAD
"""The record trailer; groups: component, date and minute, second, fraction, bias, thread.
Digits are ASCII digits: compile with re.ASCII."""

_RECORD_RE = re.compile(r"\n([^\n]*)" + TRAILER + r"(?=\n)", re.ASCII)
RECORD_PARTS_RE = re.compile(
    r"\n([^\n]*)\$\$<([^<>\n]*)><(" + _DATE + ") (" + _CLOCK + ")" + _SECOND + _BIAS + _THREAD
    + r"(?=\n)",
    re.ASCII,
)
"""Every record of a chunk, with the date and the hour and minute apart; groups: message,
component, date, hour and minute, second, fraction, bias, thread."""
# Counts records without building them; captures only dates that may not exist (days 29 to
# 31, and the years 0000, 0001 and 9999, which are out of range).
_COUNT_RE = re.compile(
    r"\$\$<[^<>\n]*><(?:(?:0?[1-9]|1[0-2])-(?:0?[1-9]|1\d|2[0-8])-(?!0000|0001|9999)\d{4}"
    r"|((?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])-\d{4}))"
    r" (?:[01]?\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,7})?"
    r"(?:[+-](?:14[0-3]\d|1[0-3]\d\d|\d{1,3}))?"
    r"><thread=\d{1,10}(?: ?\((?:0x)?[0-9A-Fa-f]{1,16}\))?>(?=\n)",
    re.ASCII,
)
_BLANK_RE = re.compile(r"\n(?=[ \t\f\v]*\n)")
_MICRO: dict[str | None, int] = {None: 0, "": 0}
_DATE_GROUP = itemgetter(1)


def candidate_pattern(message_start: str) -> re.Pattern[str]:
    """A record pattern that only matches messages starting with `message_start` (a regex)."""
    return re.compile(
        r"\n(?=[~ \t]*(?:" + message_start + r"))([^\n]*)" + TRAILER + r"(?=\n)", re.ASCII
    )


def row_pattern(message_start: str) -> re.Pattern[str]:
    """Records whose message starts with `message_start` (a regex), for chunks proved to hold
    only records (`count_records`): so the trailer need not be checked again, only split.

    Groups: the message up to the trailer (trailing spaces kept), date, hour and minute, second,
    fraction, bias (the last two empty when absent).
    """
    return re.compile(
        r"\n([~ \t]*(?:" + message_start + r")[^\n]*)\$\$<[^<>\n]*>"
        r"<([^ >\n]+) ([^:>\n]+:[^:>\n]+):([0-9]+)(?:\.([0-9]+))?([+-][0-9]+)?>"
    )


RECORD_SPLIT = re.compile(
    r"\n([^$\n]*(?:\$(?!\$<)[^$\n]*)*)\$\$<[^<>\n]*><(" + _DATE + ") (" + _CLOCK + ")" + _SECOND
    + _BIAS + r"><thread=\d{1,10}(?: ?\((?:0x)?[0-9A-Fa-f]{1,16}\))?>(?=\n)",
    re.ASCII,
)
"""The usual record, whose message holds no `$$<`, proved and split in one pass: its trailer is
checked as `count_records` checks it, and the message is not found by looking back from the
line's end for the last `$$<` (as `row_pattern("")` must). Groups as
`row_pattern`'s. A record whose message holds `$$<` is not matched: a chunk whose records and
blank lines then fall short of its lines is proved by `count_records` and split by
`row_pattern("")` (see `split_records`)."""


def split_records(text: str) -> tuple[list[tuple[str, ...]], int] | None:
    """(the groups of `row_pattern("")` of every record, blank lines) of a chunk whose every line
    is one of those (a record on a day that exists), else None."""
    if remarks.marked_lines(text):  # (`--> Failed …`: read the plain way, see there)
        return None
    found = RECORD_SPLIT.findall(text)
    lines = text.count("\n") - 1
    blank = 0 if len(found) == lines else len(_BLANK_RE.findall(text))
    if len(found) + blank != lines:
        counts = count_records(text)
        if counts is None:
            return None
        rows = row_pattern("").findall(text)
        return None if glued_in(text, rows) else (rows, counts[1])
    if "\0" in text and glued_in(text, found):  # (`RECORD_SPLIT` holds no `$$<` in a message)
        return None
    if not all(map(usable_day, set(map(_DATE_GROUP, found)))):
        return None
    return found, blank


def glued(match: re.Match[str]) -> tuple[str, re.Match[str]]:
    """Of a record line whose message holds a trailer's start or NUL (`_RECORD_RE`'s match):
    the record cut short before the next (up to the NUL padding after it, else the end of its
    trailer's start), and the match of the next record alone."""
    message = match.group(1)
    start = after_padding(message)
    if start is not None:
        cut = message[: message.index("\0")]
    else:
        *_, last = CUT_TRAILER_RE.finditer(message)
        inner = last.start()
        partial = PARTIAL_TRAILER_RE.match(message, inner)
        start = partial.end() if partial else inner + 3
        if message[start - 1 : start].isupper() and message[start : start + 1].islower():
            start -= 1  # (a component's name cut short: `SMS_CLOUD_U` + `NotifyAccount…`)
        cut = message[:start]
    line = match.string[match.start() : match.end()]
    again = _RECORD_RE.match("\n" + message[start:] + line[1 + len(message) :] + "\n")
    assert again is not None  # (the same trailer ends it)
    return cut, again


def glued_in(text: str, records: Sequence[Sequence[str]]) -> bool:
    """Whether a chunk whose records are `records` (matches of a record pattern whose first
    group is the message, one for each) holds one cut short before the next on its line (see
    `glued`)."""
    if not _may_be_glued(text, len(records)):  # (the usual chunk: quick)
        return False
    return any(is_glued(record[0]) for record in records)


def _may_be_glued(text: str, records: int) -> bool:
    """Whether a chunk of `records` records may hold one cut short before the next on its
    line: NUL in it, or a `$$<` that is no record's trailer."""
    return "\0" in text or text.count("$$<") != records


def looks_like(line: str) -> bool:
    return _RECORD_RE.match("\n" + line + "\n") is not None


def minute(stamp: str, bias: str | None, ctx: ParseContext) -> datetime | None:
    """The record's minute as a datetime (cached per input), or None if that day does not exist."""
    key = stamp if bias is None else stamp + bias
    try:
        return ctx.minutes[key]
    except KeyError:
        pass
    date, clock = stamp.split(" ")
    month, day, year = date.split("-")
    hour, minute = clock.split(":")
    zone = bias_zone(int(bias)) if bias is not None else ctx.source_tz
    try:
        value: datetime | None = datetime(
            int(year), int(month), int(day), int(hour), int(minute), tzinfo=zone
        )
    except ValueError:
        value = None
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        value = None  # out of range: as if no such day
    if len(ctx.minutes) > 4096:
        ctx.minutes.clear()
    ctx.minutes[key] = value
    return value


def micro(fraction: str | None) -> int:
    micro = _MICRO.get(fraction)
    if micro is None:
        micro = int(fraction[:6].ljust(6, "0"))  # type: ignore[index]
        if len(fraction) <= 3:  # type: ignore[arg-type]
            _MICRO[fraction] = micro
    return micro


@lru_cache(maxsize=1024)
def usable_day(date: str) -> bool:
    """Whether a record may be dated so: the day exists, in the years logsync reads."""
    month, day, year = date.split("-")
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return False
    try:
        datetime(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def date_problem(year: str) -> str:
    """Why a record's date is none: out of the years logsync reads, or no such day."""
    if year.isdigit() and not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return f"date out of range (years {FIRST_YEAR} to {LAST_YEAR})"
    return "invalid date"


def numbered_chunks(
    chunks: Iterator[str],
    stats: InputStats,
    first: int = 1,
    counted: Callable[[], tuple[int, int] | None] | None = None,
) -> Iterator[tuple[str, int]]:
    """Each chunk framed between line breaks, with the number of its first line (the first
    chunk's is `first`: a piece of an input, see `seams`); counts the connector's records as it
    goes and the lines read at the end (every reader of SMS-trace chunks walks them this way).
    `counted`: the lines of the chunk just read and the connector's trailers in them, where its
    reader counted them (else None: they are counted here)."""
    first_line = first
    for chunk in chunks:
        text = framed(chunk)
        yield text, first_line
        found = counted() if counted is not None else None
        if found is None:
            count_connector(text, stats)
            first_line += text.count("\n") - 1
        else:
            first_line += found[0]
            stats.connector_records += found[1]
    stats.lines = first_line - first


def parse(chunks: Iterator[str], ctx: ParseContext) -> Iterator[Item]:
    for text, first_line in numbered_chunks(chunks, ctx.stats, ctx.first_line):
        if ctx.candidates is not None and _only_records(text, ctx):
            note_times(text, ctx)
            yield from _candidates(ctx.candidates, text, first_line, ctx)
        else:
            yield from parse_text(text, first_line, ctx)


def _only_records(text: str, ctx: ParseContext) -> bool:
    """Count the chunk's records and blanks without parsing them, if every line is one of those."""
    counts = count_records(text)
    if counts is None or _may_be_glued(text, counts[0]):  # (see `glued`)
        return False
    ctx.stats.records += counts[0]
    ctx.stats.record_lines += counts[0]
    ctx.stats.blank += counts[1]
    return True


def count_records(text: str) -> tuple[int, int] | None:
    """(records, blank lines) of a chunk whose every line is one of those, else None.

    `text` is a chunk between a leading and a final `\\n`. Nothing is built: one `findall`
    proves the trailers, and only dates whose day may not exist (29 to 31) are looked at.
    """
    n_blank = len(_BLANK_RE.findall(text))
    stamps = _COUNT_RE.findall(text)
    if n_blank + len(stamps) != text.count("\n") - 1:
        return None
    if not all(usable_day(date) for date in set(stamps) if date):
        return None
    return len(stamps), n_blank


CONNECTOR_TRAILER = "$$<SMS_CLOUD_USERSYNC><"


def count_connector(text: str, stats: InputStats) -> None:
    """Count the chunk's records of the connector (every path counts them this same way)."""
    stats.connector_records += connector_trailers(text)


def connector_trailers(text: str) -> int:
    """The connector's trailers in a chunk: its records, as every path counts them (the
    native scanner counts them as it reads each line, to the same number)."""
    return text.count(CONNECTOR_TRAILER)


def note_times(text: str, ctx: ParseContext) -> None:
    """Keep the time of the input's first record (from its first chunk with one), and the time
    and component of the chunk's last record (the fast path builds no other records)."""
    stats = ctx.stats
    if stats.first_time is None or stats.gap_open or stats.ruled:  # (closed at the next record)
        for found in _RECORD_RE.finditer(text):
            item = _record(found, 0, ctx, step=False)
            if type(item) is Record:  # else an impossible date: no record, look further on
                if stats.first_time is None:
                    stats.first_time = item.time
                record_after(stats, stats.last_time, item.time)
                break
    end = len(text) - 1
    while end > 0:
        start = text.rfind("\n", 0, end)
        match = _RECORD_RE.match(text, start)
        if match:
            item = _record(match, 0, ctx, step=False)
            if type(item) is Record:  # else an impossible date: no record, look further up
                stats.saw(item.time, item.component)
                return
        end = start


def records_in(text: str) -> Iterator[re.Match[str]]:
    """The matches of every record line of a chunk (text between a leading and a final
    `\\n`), for `record_at`."""
    return _RECORD_RE.finditer(text)


def record_at(match: re.Match[str], ctx: ParseContext) -> Item:
    """The record of a match of `records_in` (line 0), or an unparsed line where its date does
    not exist."""
    return _record(match, 0, ctx)


def _record(match: re.Match[str], line: int, ctx: ParseContext, step: bool = True) -> Item:
    message, component, stamp, second, fraction, bias, thread = match.groups()
    base = minute(stamp, bias, ctx)
    if base is None:
        return Unparsed(line, match.group()[1:], date_problem(stamp.split(" ")[0][-4:]))
    time = base.replace(second=int(second), microsecond=micro(fraction))
    if ctx.shifts:  # (an hour of --source-tz's clock comes twice)
        time = in_order(time, ctx, step)
    return Record(line, time, component, int(thread), None, message.rstrip(" \t"))


def _candidates(
    pattern: re.Pattern[str], text: str, first_line: int, ctx: ParseContext
) -> Iterator[Item]:
    index = 0
    pos = 0
    for match in pattern.finditer(text):
        start = match.start()
        index += text.count("\n", pos, start)
        pos = start
        yield _record(match, first_line + index, ctx)


_PADDED_RE = deferred(r"(?<=>)[ \t]+(?=\n)")
"""Spaces or tabs after a line's last `>` (a record's trailer), before its break."""


def parse_text(text: str, first_line: int, ctx: ParseContext) -> Iterator[Item]:
    """Every record and non-record line of a chunk (text between a leading and a final `\\n`)."""
    stats = ctx.stats
    if " \n" in text or "\t\n" in text:  # (blanks after a trailer: an editor's, a copy's)
        text = _PADDED_RE.sub("", text)
    text = remarks.records_unquoted(text, looks_like)  # (saved as CSV: see there)
    text = remarks.records_unremarked(text, stats, looks_like)  # (`<-- this one`: see there)
    text = remarks.records_unmarked(text, stats, looks_like)  # (`--> Failed …`: see there)
    records = 0
    first: Record | None = None
    last: Record | None = None
    index = 0  # line index (0-based in the chunk) of the line after text[prev_end]
    prev_end = 0
    for match in _RECORD_RE.finditer(text):
        start = match.start()
        if start != prev_end:
            gaps = stats.gaps
            for offset, raw in enumerate(text[prev_end + 1 : start].split("\n")):
                line = first_line + index + offset
                short = cut_short(raw, line, last, stats)
                records += short is not None
                yield from (short,) if short else non_record(raw, line, stats)
            index += text.count("\n", prev_end, start)
            if stats.gaps and not gaps:  # (the input's first gap: grep's `--`)
                stats.gap_start = last.time if last is not None else stats.last_time
        whole = match
        if is_glued(match.group(1)):  # (a record cut short before it on its line)
            cut, whole = glued(match)
            yield from non_record(cut, first_line + index, stats, GLUED_PROBLEM)
        item = _record(whole, first_line + index, ctx)
        if type(item) is Record:
            records += 1
            if stats.gap_open or stats.ruled:
                record_after(stats, stats.last_time if last is None else last.time, item.time)
            last = item
            if first is None:
                first = item
                if stats.first_time is None:
                    stats.first_time = item.time
        else:
            stats.unparsed += 1  # (a record's shape with a bad date: never the marker)
        yield item
        index += 1
        prev_end = match.end()
    end = len(text) - 1
    if end > prev_end:
        gaps = stats.gaps
        for offset, raw in enumerate(text[prev_end + 1 : end].split("\n")):
            line = first_line + index + offset
            short = cut_short(raw, line, last, stats)
            records += short is not None
            yield from (short,) if short else non_record(raw, line, stats)
        if stats.gaps and not gaps:
            stats.gap_start = last.time if last is not None else stats.last_time
    stats.records += records
    stats.record_lines += records
    if last is not None:
        stats.saw(last.time, last.component)


def line_start(text: str, message: str, cursor: int) -> int:
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
