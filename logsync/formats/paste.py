"""Text copied out of CMTrace/OneTrace into tickets: no UTC offset anywhere.

Two shapes, freely mixed:

* copied rows, tab-separated: `message<TAB>component<TAB>date time<TAB>thread`;
* excerpts: a line holding a date and time (any common locale form), optionally followed by two
  spaces and a message, then indented message lines that share that time.

Times are naive local times unless `--source-tz` names their zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache

from ..times import FIRST_YEAR, LAST_YEAR
from . import Item, ParseContext, Record, Unparsed, is_blank, physical_lines, unparsed_problem

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,7})?)?(?:\s?[AaPp]\.?[Mm]\.?)?"
_DAY = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})"
_STAMP = _DAY + r"[ T]" + _CLOCK
_STAMP_RE = re.compile(r"\s*" + _STAMP + r"\s*$")
_DATE_LINE_RE = re.compile(r"\s*(" + _STAMP + r")(?:(?:\s{2,}|\t)(\S.*))?$")


@lru_cache(maxsize=4096)
def _stamp(text: str) -> datetime:
    from dateutil import parser as date_parser  # only pasted text needs it: not at startup

    value: datetime = date_parser.parse(text.strip().replace(",", "."))
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"date out of range (years {FIRST_YEAR} to {LAST_YEAR})")
    return value


def _row(line: str) -> tuple[str, str, str, str] | None:
    parts = line.split("\t")
    if len(parts) < 4 or not _STAMP_RE.match(parts[-2]):
        return None
    return "\t".join(parts[:-3]), parts[-3].strip(), parts[-2], parts[-1].strip()


def looks_like(line: str) -> bool:
    return _row(line) is not None or _DATE_LINE_RE.match(line) is not None


def _thread(text: str) -> int | None:
    head = text.split(" ")[0]
    return int(head) if head.isdigit() else None


def parse(chunks: Iterator[str], ctx: ParseContext) -> Iterator[Item]:
    stats = ctx.stats
    zone = ctx.source_tz
    line_no = 0
    current: datetime | None = None
    for line in physical_lines(chunks):
        line_no += 1
        if is_blank(line):
            stats.blank += 1
            continue
        row = _row(line)
        dated = None if row else _DATE_LINE_RE.match(line)
        try:
            if row:
                time = _stamp(row[2])
            elif dated:
                time = _stamp(dated.group(1))
        except (ValueError, OverflowError):
            stats.unparsed += 1
            yield Unparsed(line_no, line, "unreadable date")
            continue
        if row or dated:
            if zone is not None:
                time = time.replace(tzinfo=zone)
            if row:
                stats.records += 1
                stats.record_lines += 1
                record = Record(line_no, time, row[1], _thread(row[3]), None, row[0].strip())
                stats.saw(record.time, record.component)
                yield record
                continue
            current = time
            stats.record_lines += 1
            if dated and dated.group(2):
                stats.records += 1
                record = Record(line_no, time, "", None, None, dated.group(2).strip())
                stats.saw(record.time)
                yield record
            continue
        if current is None:
            stats.unparsed += 1
            yield Unparsed(line_no, line, unparsed_problem(line))
            continue
        stats.records += 1
        stats.record_lines += 1
        record = Record(line_no, current, "", None, None, line.strip())
        stats.saw(record.time)
        yield record
    stats.lines = line_no
