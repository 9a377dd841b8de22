"""The order of a pasted input's dates of numbers: month/day/year as SMS logs and US locales
write them, or day/month/year (a British or European locale's copy), told by a date that reads
one way only, or by the change of date between two records in turn (`day_first`); and the time
a stamp shows in that order (`stamp_time`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import chain

from ..errors import InputError
from ..patterns import deferred
from ..sources import InputStats, display_name
from ..times import FIRST_YEAR, LAST_YEAR, bias_zone, plain_meridiem, timeless
from .common import ParseContext

WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
"""A weekday before a date (`Sun 9/14/2014`, `Sunday, 14/09/2014`)."""
Dated = Callable[[str], "tuple[tuple[str, str, str, str] | None, re.Match[str] | None]"]
"""A line's copied row, else its match as a date line (`paste._dated`)."""

_NUMBERS_DAY_RE = deferred(r"\s*" + WEEKDAY + r"(\d{1,2})([/.-])(\d{1,2})[/.-]\d{2,4}")
"""A date of numbers whose first two may be month and day either way (`11/12/2026`)."""


class OtherOrder(ValueError):
    """A date of numbers that only reads in the other order than the input's others."""


@lru_cache(maxsize=4096)
def stamp_time(text: str, day_first: bool = False) -> datetime:
    """The time a pasted stamp shows. A date of numbers is month/day/year as SMS logs and US
    locales write it, or day/month/year where the input's dates are (`day_first`, see
    `day_first`); with dots it is always day.month.year (the German form). A date that begins
    with its year reads one way only."""
    from dateutil import parser as date_parser  # only pasted text needs it: not at startup

    numbers = _NUMBERS_DAY_RE.match(text)
    if numbers is not None:
        day_first = day_first or numbers[2] == "."
        if int(numbers[3] if day_first else numbers[1]) > 12:
            raise OtherOrder(
                f"date in another order than the input's ({_ORDERS[day_first]})"
                if numbers[2] != "."
                else "no date (day.month.year)"
            )
    value: datetime = date_parser.parse(
        plain_meridiem(text.strip().replace(",", ".")), dayfirst=numbers is not None and day_first
    )
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"date out of range (years {FIRST_YEAR} to {LAST_YEAR})")
    offset = value.utcoffset()
    if offset is not None:  # (ISO 8601's `Z`, `-08:00`: one zone object per offset, as a bias)
        value = value.replace(tzinfo=bias_zone(-(offset // timedelta(minutes=1))))
    return value


def one_kind(time: datetime, line_no: int, stats: InputStats) -> None:
    """Refuse a time with a UTC offset among times with none, or the other way round: which
    instant each is of the other kind cannot say (`InputError`)."""
    first = stats.first_time
    if first is not None and not timeless(first) and (first.tzinfo is None) != (
        time.tzinfo is None
    ):
        has, lacks = ("a", "none") if time.tzinfo is not None else ("no", "one")
        raise InputError(
            display_name(stats.path),
            f"line {line_no}'s time has {has} UTC offset where the times before it have {lacks}: "
            "which instant each is, the other cannot say; give the lines of one kind",
        )


_ORDERS = {False: "month/day/year", True: "day/month/year"}
_WEEKDAYS = frozenset(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))


def day_first(
    lines: Iterator[str], ctx: ParseContext, dated: Dated, most: int
) -> tuple[bool, Iterator[str]]:
    """Whether the input writes its dates of numbers day first (`13/12/2026`: a British or
    European locale's copy), told by the first date that reads only one way; dates that read
    both ways before it wait for it (the input is read up to it, at most `most` lines, or
    up to a date that begins with its year). Decided once for an input read in pieces
    (`ctx.day_first`: a followed log), and said in its notes. With the lines read to tell,
    then the rest."""
    if ctx.day_first is not None:
        return ctx.day_first, lines
    read: list[str] = []
    seen = ""  # the first date that reads both ways
    last = date = ""  # the stamp before and its date, where that reads both ways
    for line in lines:
        read.append(line)
        head = line.lstrip()[:1]
        if not (head.isdigit() or "\t" in line or "(0x" in line or line.lstrip()[:3] in _WEEKDAYS):
            continue
        row, found = dated(line)
        stamp = row[2] if row else found.group(1) if found else None
        if stamp is None:
            continue
        numbers = _NUMBERS_DAY_RE.match(stamp)
        if numbers is None:
            break  # (a date that begins with its year)
        if numbers[2] == ".":
            continue
        seen = seen or numbers[0].strip()
        told = None
        if int(numbers[1]) > 12 or int(numbers[3]) > 12:
            told, shown = int(numbers[1]) > 12, numbers[0].strip()
        elif last and date != numbers[0].strip():
            told, shown = _next_day(last, stamp), f"the change from {last} to {stamp.strip()}"
        if told is not None:
            ctx.day_first = told
            if told:
                ctx.stats.notes.append(f"its dates are read day/month/year, as {shown} shows")
            return told, chain(read, lines)
        last, date = stamp.strip(), numbers[0].strip()
        if len(read) >= most:
            break
    if seen:  # (read month first: so are the pieces that follow)
        ctx.day_first = False
        ctx.stats.notes.append(
            f"its dates could be month/day or day/month ({seen}; none of its first dates says "
            "which): they are read month/day/year, as SMS logs write them"
        )
    return False, chain(read, lines)


def _next_day(before: str, after: str) -> bool | None:
    """Whether two stamps in turn whose dates differ (both read either way) are less than a day
    apart read day first (True) or month first (False), as records in turn are (either way: an
    export may be newest first); None where both or neither are (an excerpt that leaves days
    out)."""
    near = []
    for day_first in (False, True):
        try:
            gap = stamp_time(after, day_first) - stamp_time(before, day_first)
        except ValueError:
            return None
        near.append(abs(gap) < timedelta(days=1))
    return near[1] if near[0] != near[1] else None
