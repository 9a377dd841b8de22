"""CMTrace, the XML-ish format of newer ConfigMgr components.

    <![LOG[message]LOG]!><time="14:24:33.329+420" date="06-26-2015" component="X" context=""
        type="1" thread="1256" file="a.cpp:12">

A message may span several physical lines; the record ends at `]LOG]!><...>`, whose attributes
are on its last line as written. Pasted into a mail and hard-wrapped (at 70 to 100 columns, at
spaces or cut every N characters as `fold -w` does), a record's attributes span lines too: then
its pieces are joined as the wrapper broke them, the message's as its attributes'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache

from ..errors import InputError
from ..events import read_plainly
from ..records import Item, Record, Unparsed
from ..sources import InputStats, display_name
from ..times import FIRST_YEAR, LAST_YEAR, bias_zone
from . import remarks
from .aspasted import MIN_WIDTH
from .common import ParseContext, in_order, is_blank, non_record, physical_lines, record_after

_OPEN = "<![LOG["
_CLOSE = "]LOG]!><"
_ATTRS_RE = re.compile(r'(\w+)="([^"]*)"')
_TIME_RE = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?([+-]\d{1,4})?$")
_DATE_RE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})$")
_SEVERITY = {"0": "info", "1": "info", "2": "warning", "3": "error"}
MAX_RECORD_LINES = 5000
"""A record still open after this many lines is treated as damaged, so memory stays bounded."""


def _opens(line: str) -> bool:
    return line.lstrip().startswith(_OPEN)


@lru_cache(maxsize=2048)
def _date(text: str) -> tuple[int, int, int] | None:
    match = _DATE_RE.match(text)
    if not match or not FIRST_YEAR <= int(match.group(3)) <= LAST_YEAR:
        return None
    return int(match.group(3)), int(match.group(1)), int(match.group(2))


def _decode(
    attrs: dict[str, str], ctx: ParseContext
) -> tuple[datetime, str | None, int | None, str]:
    ymd = _date(attrs.get("date", ""))
    clock = _TIME_RE.match(attrs.get("time", ""))
    if ymd is None or clock is None:
        raise ValueError("no date or time")
    hour, minute, second, fraction, bias = clock.groups()
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    zone = bias_zone(int(bias)) if bias else ctx.source_tz
    time = datetime(*ymd, int(hour), int(minute), int(second), micro, tzinfo=zone)
    if ctx.shifts:  # (an hour of --source-tz's clock comes twice)
        time = in_order(time, ctx)
    thread_text = attrs.get("thread", "").split(" ")[0]
    thread = int(thread_text) if thread_text.isdigit() else None
    return time, _SEVERITY.get(attrs.get("type", "")), thread, attrs.get("component", "")


def _close(lines: list[str], first: int, ctx: ParseContext) -> Item | None:
    """The record made of `lines` if its last line closes it, else None."""
    last = lines[-1]
    if _CLOSE not in last or not last.rstrip().endswith(">"):
        return _wrapped(lines, first, ctx)
    record = _record("\n".join(lines).lstrip(), first, ctx)
    return record or Unparsed(first, "\n".join(lines), "invalid CMTrace date or time")


RUN_TOGETHER = (
    "CMTrace records run together on line {} by a reflow (`fmt`, a mail client that joins "
    "lines: `...\"> <![LOG[Failed to add user ...`), each with its message: paste the log's "
    "lines as they are, or attach the log"
)


def _record(full: str, first: int, ctx: ParseContext) -> Record | None:
    """The record a whole record's text is (`<![LOG[…]LOG]!><…>`), or None where its attributes
    give no time. Records a reflow ran together are refused (`InputError`): one message
    would hold them all, and the last one's time."""
    end = full.rfind(_CLOSE)
    if end < 0:
        return None
    if full.find(_CLOSE) != end and full.find(_OPEN, len(_OPEN)) >= 0:
        raise InputError(display_name(ctx.stats.path), RUN_TOGETHER.format(first))
    attrs = dict(_ATTRS_RE.findall(full, end + len(_CLOSE)))
    try:
        time, severity, thread, component = _decode(attrs, ctx)
    except (ValueError, OverflowError):
        return None
    return Record(first, time, component, thread, severity, full[len(_OPEN) : end])


def _wrapped(lines: list[str], first: int, ctx: ParseContext) -> Record | None:
    """The record that hard-wrapped `lines` were, if they end one (its attributes end with
    `">`), else None: pieces cut at one width (all but the last as wide) are joined as they are,
    else with the space the wrapper dropped (or kept at a piece's end); the other way where
    that gives no time."""
    if len(lines) < 2 or not lines[-1].rstrip().endswith('">'):
        return None
    cut = len({len(piece) for piece in lines[:-1]}) == 1 and len(lines[0]) >= MIN_WIDTH
    found = None
    for joins_cut in (cut, not cut):
        full = lines[0].lstrip()
        for piece in lines[1:]:
            spaced = not joins_cut and not (full.endswith(" ") or piece.startswith(" "))
            full += " " + piece if spaced else piece
        record = _record(full, first, ctx)
        # (the way its message is one the catalogue reads to its end, naming a user by a
        # name with no space: `reason User|NotFound`, `scott@|contoso.com` cut narrower)
        if record is not None and read_plainly(record.message):
            return record
        found = found or record
    return found


def parse(chunks: Iterator[str], ctx: ParseContext) -> Iterator[Item]:
    stats = ctx.stats
    line_no = 0
    open_lines: list[str] = []
    open_first = 0
    for line in physical_lines(chunks):
        line_no += 1
        if _CLOSE in line and not line.endswith(">"):  # (`<-- this one` after it: see there)
            line = remarks.cmtrace_unremarked(line, stats)
        if not open_lines:  # (`--> <![LOG[Failed …`: see there)
            line = remarks.unmarked(line, _opens, stats, indent=False)
        if open_lines and _opens(line):
            yield from _damaged(open_lines, open_first, stats)
            open_lines = []
        if not open_lines:
            if is_blank(line):
                stats.blank += 1
                continue
            if not _opens(line):
                gaps = stats.gaps
                yield from non_record(line, line_no, stats)
                if stats.gaps and not gaps:  # (the input's first place that leaves lines out)
                    stats.gap_start = stats.last_time
                continue
            open_first = line_no
        open_lines.append(line)
        item = _close(open_lines, open_first, ctx)
        if item is not None:
            if type(item) is Record:
                stats.records += 1
                if stats.gap_open or stats.ruled:
                    record_after(stats, stats.last_time, item.time)
                stats.saw(item.time, item.component)
                stats.record_lines += len(open_lines)
            else:
                stats.unparsed += len(open_lines)
            yield item
            open_lines = []
        elif len(open_lines) >= MAX_RECORD_LINES:
            yield from _damaged(open_lines, open_first, stats)
            open_lines = []
    if open_lines:
        yield from _damaged(open_lines, open_first, stats)
    stats.lines = line_no


def _damaged(lines: list[str], first: int, stats: InputStats) -> Iterator[Unparsed]:
    """An unterminated record: each of its lines is accounted for as unparsed."""
    for offset, raw in enumerate(lines):
        yield from non_record(raw, first + offset, stats, "unterminated CMTrace record")
