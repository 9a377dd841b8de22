"""Names of time zones as people give them: Windows names, IANA names in any case, and the
abbreviations that several zones share (refused, see `times.parse_zone`)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache


def windows_zone(name: str) -> str | None:
    """The IANA zone of a Windows time zone name (`Pacific Standard Time`, in any case), from the
    CLDR mapping that tzlocal ships; None when it is no Windows name."""
    from tzlocal.windows_tz import win_tz  # imported when needed: a table of 140 names

    wanted = " ".join(name.split()).lower()
    for windows, iana in win_tz.items():
        if windows.lower() == wanted:
            return iana
    return None


def iana_spelling(name: str) -> str | None:
    """The IANA zone name that `name` spells in any case (None: no zone)."""
    from zoneinfo import available_timezones

    return {zone.lower(): zone for zone in available_timezones()}.get(name.lower())


def abbreviation(word: str) -> bool:
    """Whether a word is a zone abbreviation (`EST`, `cest`, `GMT0BST`, `SGT`): one that a zone
    of the tz database shows in winter or summer, in any case; or written in capitals, as
    people write abbreviations (the database shows `+08` for Singapore now); or the POSIX form
    of a zone rule. Another word (`foo`) is no zone at all."""
    upper = word.upper()
    return upper in _abbreviations() or word.isupper() or any(c.isdigit() for c in upper)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """The abbreviations the zones of the tz database show this year (read on the path of an
    error only: every zone is opened)."""
    from zoneinfo import ZoneInfo, available_timezones

    year = datetime.now().year
    shown: set[str] = set()
    for name in available_timezones():
        zone = ZoneInfo(name)
        shown.update(datetime(year, month, 1, tzinfo=zone).tzname() or "" for month in (1, 7))
    return frozenset(name.upper() for name in shown if name.isalpha())
