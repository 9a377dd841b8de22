"""The dates people type on the command line, read as the logs read theirs: numbers in the order
their separator says (slashes month/day/year as SMS logs write them, dots day.month.year), and a
weekday beside a date that must be the date's."""

from __future__ import annotations

import re
from datetime import datetime

from .errors import UsageError
from .patterns import deferred

_NUMERIC_DATE_RE = deferred(r"(?<![\d.:/-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-])")
"""A date of numbers with the year last (`11/25/2026`, `25.11.2026`, `11-25-26`)."""


def numeric_date(body: str, text: str, option: str) -> str:
    """A date of numbers as the logs read it: with slashes or dashes month/day/year, as SMS
    logs write them (`26/11/2026`, which reads only day-first, is refused: a day-first reading
    is never guessed); with dots day.month.year, as the locales that write them do (made ISO
    here; `11.25.2026` is refused)."""
    found = _NUMERIC_DATE_RE.search(body)
    if found is None:
        return body
    first, second = int(found.group(1)), int(found.group(3))
    year = found.group(4) if len(found.group(4)) == 4 else f"20{found.group(4)}"
    if found.group(2) == ".":
        if second > 12 and 1 <= first <= 12:
            raise UsageError(
                f"{option}: {text!r} reads only month-first; dates with dots are day.month.year: "
                f"write the ISO form {year}-{first:02d}-{second:02d}"
            )
        return f"{body[: found.start()]}{year}-{second:02d}-{first:02d}{body[found.end() :]}"
    if first > 12 and 1 <= second <= 12:
        raise UsageError(
            f"{option}: {text!r} reads only day-first; dates of numbers are month/day/year, as "
            f"SMS logs write them: write the ISO form {year}-{second:02d}-{first:02d}"
        )
    return body


def offset_with_a_clock(body: str, text: str, option: str) -> None:
    """Refuse a date followed by an offset with no time of day (`26 Nov 2026 -08:00`): dateutil
    reads the offset as the time, 08:00 with no offset, a judgement eight hours and an offset
    away from the one meant."""
    found = _BARE_OFFSET_RE.fullmatch(body)
    if found is not None and not _CLOCK_RE.search(found.group(1)):
        raise UsageError(
            f"{option}: {text!r} has an offset but no time of day: give one "
            f"(for example {found.group(1).strip()} 00:00 {found.group(2)})"
        )


def weekday_words(body: str) -> str:
    """`body` with the weekdays written with four letters or more that dateutil cannot read
    (`Tues`, `Weds`, `Thur`, `Thurs`, with or without a dot) written with the three it can."""
    return _LONG_WEEKDAY_RE.sub(lambda found: found.group(1)[:3], body)


def same_weekday(body: str, value: datetime, text: str, option: str) -> None:
    """Refuse a time whose weekday is not its date's (`Mon 11/25/2026`: a Wednesday): which of
    the two was meant, the time cannot say."""
    found = _WEEKDAY_RE.search(body)
    if found is not None and _WEEKDAYS.index(found.group(1).lower()) != value.weekday():
        raise UsageError(
            f"{option}: {text!r} says {found.group(0)}, but {value.date().isoformat()} is a "
            f"{value.strftime('%A')}: correct the date, or leave the weekday out"
        )


_BARE_OFFSET_RE = deferred(r"(.*\d)\s+([+-]\d{1,2}(?::?\d\d)?)")
_CLOCK_RE = deferred(r"\d:\d\d|\d\s*[AaPp]\.?[Mm]\b|T\d")
_LONG_WEEKDAY_RE = deferred(r"(?<![A-Za-z])(tues|weds|thurs?)\.?(?![A-Za-z])", re.IGNORECASE)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_RE = deferred(
    r"(?<![A-Za-z])(mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday|s|rs?)?\.?"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
