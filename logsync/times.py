"""Time helpers: bias offsets, ISO output, durations and user-given times."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from . import zonenames
from .clocks import one_instant
from .dateforms import numeric_date, offset_with_a_clock, same_weekday, weekday_words
from .errors import UsageError
from .meridiem import plain_meridiem as plain_meridiem
from .patterns import deferred

UTC = timezone.utc


FIRST_YEAR, LAST_YEAR = 2, 9998
"""Records dated outside these years are not read as records: every computed instant (a due
time, a predicted cycle, an offset applied) then stays within what datetime can hold."""
LONGEST = timedelta(days=366)
"""The longest duration an option takes (`--full-sync-after`, `--interval`)."""


class _NoTimes(tzinfo):
    """The zone of records read from text with no times at all (message lines quoted in a
    ticket): their instants only keep the lines in order and are never shown."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "no times"

    def __repr__(self) -> str:
        return "NO_TIMES"


NO_TIMES = _NoTimes()
NO_TIMES_REASON = "the input has no times"
"""Why every time, timer and due time of such an input is null."""


def timeless(value: datetime | None) -> bool:
    """Whether a time is one of an input with no times (see `NO_TIMES`)."""
    return value is not None and value.tzinfo is NO_TIMES


@lru_cache(maxsize=512)
def bias_zone(bias_minutes: int) -> timezone:
    """The fixed zone of a Windows bias: UTC = local time + bias, so the offset is -bias."""
    if bias_minutes == 0:
        return UTC
    return timezone(timedelta(minutes=-bias_minutes))


def iso(value: datetime | None) -> str | None:
    """ISO 8601 to the precision the value has; naive times stay without an offset."""
    if value is None or value.tzinfo is NO_TIMES:
        return None
    micro = value.microsecond
    spec = "seconds" if not micro else "milliseconds" if micro % 1000 == 0 else "microseconds"
    return value.isoformat(timespec=spec)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE = datetime(1970, 1, 1)
MICROSECOND = timedelta(microseconds=1)
"""One microsecond: `delta // MICROSECOND` is a length in microseconds."""
_FIRST_DAY = (datetime(1, 1, 2) - _EPOCH_NAIVE).days
_LAST_DAY = (datetime(9999, 12, 30) - _EPOCH_NAIVE).days
"""Days (since 1970-01-01) that `moment_iso` writes itself; a day from the ends of what
datetime holds is left to datetime, whatever it does there."""


def micros(value: datetime) -> int:
    """Microseconds since the epoch (naive times as if they were UTC)."""
    if value.tzinfo is None:
        return (value - _EPOCH_NAIVE) // MICROSECOND
    return (value - _EPOCH) // MICROSECOND


def moment_time(us: int, zone: tzinfo | None) -> datetime:
    """The datetime of an instant (microseconds since the epoch; naive times as if they were
    UTC), shown in `zone` (naive when the log has no offsets)."""
    if zone is None:
        return _EPOCH_NAIVE + timedelta(microseconds=us)
    return (_EPOCH + timedelta(microseconds=us)).astimezone(zone)


_FIXED: dict[tzinfo | None, tuple[int, str] | None] = {}
_MINUTES: dict[int, str] = {}
_DATES: dict[int, str] = {}
_TWO = [f"{n:02d}" for n in range(60)]


def moment_iso(us: int, zone: tzinfo | None) -> str:
    """`iso(moment_time(us, zone))`, written straight from the microseconds for naive times
    and fixed offsets (no datetime is made); other zones go through datetime."""
    try:
        fixed = _FIXED[zone]
    except KeyError:
        fixed = _FIXED[zone] = fixed_offset(zone)
    if fixed is None:
        return iso(moment_time(us, zone))  # type: ignore[return-value]
    offset, suffix = fixed
    minute, rest = divmod(us + offset, 60_000_000)
    start = _MINUTES.get(minute)
    if start is None:
        days, minutes = divmod(minute, 1440)
        date = _DATES.get(days)
        if date is None:
            if not _FIRST_DAY <= days <= _LAST_DAY:
                return iso(moment_time(us, zone))  # type: ignore[return-value]
            if len(_DATES) >= 4096:
                _DATES.clear()
            date = _DATES[days] = (_EPOCH_NAIVE + timedelta(days=days)).date().isoformat() + "T"
        if len(_MINUTES) >= 4096:
            _MINUTES.clear()
        start = _MINUTES[minute] = f"{date}{_TWO[minutes // 60]}:{_TWO[minutes % 60]}:"
    seconds, micro = divmod(rest, 1_000_000)
    if not micro:
        return start + _TWO[seconds] + suffix
    if micro % 1000:
        return f"{start}{_TWO[seconds]}.{micro:06d}{suffix}"
    return f"{start}{_TWO[seconds]}.{micro // 1000:03d}{suffix}"


def fixed_offset(zone: tzinfo | None) -> tuple[int, str] | None:
    """(UTC offset in microseconds, as ISO writes it) of a fixed-offset zone; (0, "") for naive
    times (None); None for a zone with daylight saving."""
    if zone is None:
        return 0, ""
    if not isinstance(zone, timezone):
        return None
    offset = zone.utcoffset(None)
    return offset // MICROSECOND, datetime(2000, 1, 1, tzinfo=zone).isoformat()[19:]


def instant_key(value: datetime) -> float:
    """A sort key for merging: aware times by instant, naive ones as if they were UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


_DURATION_RE = deferred(r"(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)", re.IGNORECASE)
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_duration(text: str, option: str) -> timedelta:
    """Parse `24h`, `5m`, `1h30m`, `90s`, `1.5d` or `500ms` into a positive timedelta.

    Every number needs its unit: a bare `24` could mean hours or seconds, so it is refused.
    """
    raw = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        if float(raw) == 0:
            raise UsageError(f"{option}: {text!r} must be a positive duration")
        raise UsageError(f"{option}: {text!r} has no unit (write it as {raw}h, {raw}m or {raw}s)")
    pos = 0
    seconds = 0.0
    for match in _DURATION_RE.finditer(raw):
        if raw[pos : match.start()].strip():
            break
        seconds += float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
        pos = match.end()
    if pos == 0 or raw[pos:].strip():
        raise UsageError(f"{option}: cannot read {text!r} as a duration (try 24h, 5m, 90s)")
    if seconds <= 0:
        raise UsageError(f"{option}: {text!r} must be a positive duration")
    if seconds > LONGEST.total_seconds():
        raise UsageError(f"{option}: {text!r} is longer than {LONGEST.days} days")
    return timedelta(seconds=seconds)


_OFFSET_RE = deferred(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_ABBREVIATION_RE = deferred(r"[A-Z]{2,5}(?:\d{1,2}(?:[A-Z]{3,4})?)?")
"""Zone abbreviations (EST, CEST, GMT0BST): several zones share each, so none is guessed."""
_US_RULES = frozenset({"EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT"})
"""tzdata's names of the United States' zones by their rules: each is one zone, no guess."""
UTC_NAMES = frozenset({"UTC", "Z", "GMT", "UCT", "ZULU"})
_NAMED_ZONES = (
    "an offset such as -05:00, an IANA name such as America/New_York or a Windows name such as "
    "Eastern Standard Time"
)
ZONE_FORMS = f"UTC, local, {_NAMED_ZONES}"
"""What a ZONE option takes, for --help and errors."""
_ABBREVIATED = f"reads as a zone abbreviation, which names no one zone: give {_NAMED_ZONES}"


def _unknown(name: str) -> str:
    return f"unknown time zone {name!r} (give {ZONE_FORMS})"


def parse_zone(name: str, option: str) -> tzinfo:
    """`UTC`, `local`, a fixed offset like `+02:00` or `UTC-5`, an IANA zone name or a Windows
    zone name, in any case. An abbreviation (`EST`) is refused: several zones share each."""
    key = name.strip()
    if not key:
        raise UsageError(f"{option}: an empty zone (an unset variable?): give {ZONE_FORMS}")
    if key.upper() in UTC_NAMES:
        return UTC
    if key.lower() == "local":
        from dateutil import tz as date_tz  # imported when needed: it costs startup time

        local: tzinfo = date_tz.tzlocal()
        return local
    fixed = _OFFSET_RE.fullmatch(key)
    if fixed:
        hours, minutes = int(fixed.group(2)), int(fixed.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise UsageError(f"{option}: {name!r} is no UTC offset")
        sign = -1 if fixed.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    iana = zonenames.windows_zone(key)
    if iana is not None:
        key = iana
    elif key.upper() in _US_RULES:
        key = key.upper()
    elif _ABBREVIATION_RE.fullmatch(key.upper()):
        # in any case (est, Cet, gb): only a zone that tzdata spells otherwise (Japan) is one;
        # a word that is neither (foo) is an unknown zone
        spelled = zonenames.iana_spelling(key)
        if (spelled is None and zonenames.abbreviation(key)) or (
            spelled is not None and _ABBREVIATION_RE.fullmatch(spelled)
        ):
            raise UsageError(f"{option}: {name!r} {_ABBREVIATED}")
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(key)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        pass
    # zone names are case-insensitive for people: europe/berlin is Europe/Berlin
    spelled = zonenames.iana_spelling(key)
    if spelled is None:
        raise UsageError(f"{option}: {_unknown(name)}")
    return ZoneInfo(spelled)


class WallClock(datetime):
    """A time read from the local wall clock (`now`, `now-2h`): a log without UTC offsets reads
    it as local time."""


class Now(WallClock):
    """`now` itself: the judgement is as of the wall clock."""


def wall_clock() -> datetime:
    """The local wall clock, with its UTC offset (the one place logsync reads the clock)."""
    return datetime.now().astimezone()


WHEN_FORMS = (
    "now, a time relative to it (now-2h, now-1d), an ISO 8601 time (2026-11-24T12:00:00-08:00) "
    "or a common form ('2026-11-24 12:00', '11/24/2026 12:00 PM': slash dates are month/day/"
    "year), with a date, optionally followed by an offset or a zone name (America/New_York, "
    "Eastern Standard Time, UTC); without either it is read in --source-tz if given, else in "
    "the log's"
)
"""What a WHEN option takes, for --help."""

_TIME_IN_ZONE_RE = deferred(
    r"(?P<when>.*?\d[.:\d]*(?:\s*[AP]\.?M\.?(?![A-Z]))?)\s*"
    r"(?P<zone>(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?|(?:" + "|".join(sorted(_US_RULES)) + r")\b"
    r"|[A-Z][A-Z_/+\-. ]*|[A-Z][A-Z_]*/[A-Z0-9_/+\-]+)",
    re.IGNORECASE,
)
"""A time (with AM or PM) followed by a zone, with or without a space: `UTC+2` (which dateutil
would read the POSIX way, as UTC-2), or a name (`Eastern Standard Time`, or an IANA name with
digits after its area: `Etc/GMT+5`; a `T10` or `h30` after a date is no zone)."""
_MERIDIEMS = frozenset({"AM", "PM", "A", "P"})
_BARE_STEP_RE = deferred(r"([+-])\s*(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)[a-z]*", re.IGNORECASE)
_RELATIVE_RE = deferred(r"now\s*(?P<sign>[+-])\s*(?P<duration>.+)", re.IGNORECASE)
"""`now-2h`, `now - 1d`, `now+30m`: a time relative to the wall clock."""


def parse_when(text: str, option: str, zone: tzinfo | None = None) -> datetime:
    """A user-given time, read whole or refused: `now` (the wall clock, to the millisecond), ISO
    8601, or a common form with a date, optionally an offset or a zone name logsync knows.
    Naive results get `zone` if given."""
    raw = " ".join(text.split())
    if not raw:
        raise UsageError(f"{option}: an empty time: give now or a date and time ({_EXAMPLE})")
    if raw.lower() == "now":
        return _clock(Now)
    bare = _BARE_STEP_RE.fullmatch(raw)
    if bare is not None:
        sign, number, unit = bare.groups()
        raise UsageError(
            f"{option}: {text!r} is a length of time, not a time: write now{sign}{number}"
            f"{unit.lower()} for a time relative to now"
        )
    relative = _RELATIVE_RE.fullmatch(raw)
    if relative is not None:
        step = parse_duration(relative.group("duration"), f"{option} {text!r}")
        moved = _clock(datetime) + (step if relative.group("sign") == "+" else -step)
        return WallClock(*moved.timetuple()[:6], moved.microsecond, tzinfo=moved.tzinfo)
    raw = _plain_form(raw, text, option)
    named: tzinfo | None = None
    body = raw
    split = _TIME_IN_ZONE_RE.fullmatch(raw)
    if split is not None and split.group("zone").replace(".", "").upper() not in _MERIDIEMS:
        named = parse_zone(split.group("zone"), f"{option} {text!r}")
        body = split.group("when")
    body = numeric_date(body, text, option)
    offset_with_a_clock(body, text, option)
    value = _read_time(weekday_words(body), text, option)
    if named is not None:
        if value.tzinfo is not None:
            raise UsageError(f"{option}: {text!r} has both an offset and a zone name")
        value = one_instant(value.replace(tzinfo=named), option, repr(text), split.group("zone"))  # type: ignore[union-attr]
    same_weekday(body, value, text, option)
    if value.tzinfo is None and zone is not None:
        value = value.replace(tzinfo=zone)
    if not (FIRST_YEAR <= value.year <= LAST_YEAR and FIRST_YEAR <= _utc_year(value) <= LAST_YEAR):
        raise UsageError(
            f"{option}: {text!r} is outside the years logsync reads ({FIRST_YEAR} to {LAST_YEAR})"
        )
    return value


_UTC_OFFSET_RE = deferred(
    r"(?<![A-Za-z/])(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?(?![\d:])", re.IGNORECASE
)
_UTC_WORD_RE = deferred(r"(?<![A-Za-z/])(?:UTC|GMT|UCT|Z|ZULU)(?![A-Za-z/])", re.IGNORECASE)
"""A UTC name on its own (not a part of an IANA name such as Etc/GMT+5, read the POSIX way)."""
_NUMERIC_OFFSET_RE = deferred(r"(?<![\w:])[+-]\d{2}:?\d{2}(?![\w:])")


def _plain_form(raw: str, text: str, option: str) -> str:
    """A time as the readers below take it: `P.M.` as PM, `GMT+1` or `UTC -05:00` as the offset
    it names (+01:00, -05:00: the reading of `UTC+2` in ISO and SMS logs, never the POSIX one),
    `utc` as UTC; a UTC name beside an offset of another kind (`12:00 Z +0100`) is refused
    rather than one of the two silently dropped."""
    raw = plain_meridiem(raw)

    def offset(found: re.Match[str]) -> str:
        sign, hours, minutes = found.groups()
        return f"{sign}{int(hours):02d}:{minutes or '00'}"

    raw = _UTC_OFFSET_RE.sub(offset, raw)
    words = [found.group() for found in _UTC_WORD_RE.finditer(raw)]
    if words and _NUMERIC_OFFSET_RE.search(raw):
        raise UsageError(f"{option}: {text!r} has both an offset and a zone name ({words[0]})")
    return _UTC_WORD_RE.sub("UTC", raw)


def _utc_year(value: datetime) -> int:
    """The year of the instant in UTC (of the time itself when it has no offset; 0 or 10000
    beyond what datetime holds)."""
    if value.utcoffset() is None:
        return value.year
    try:
        return value.astimezone(UTC).year
    except OverflowError:
        return 0 if value.year == 1 else 10000


def _clock(kind: type[datetime]) -> datetime:
    """The wall clock to the millisecond, the precision of the log's times."""
    clock = wall_clock()
    return kind(*clock.timetuple()[:6], clock.microsecond // 1000 * 1000, tzinfo=clock.tzinfo)


_EXAMPLE = "for example 2026-11-25T12:00 or '11/25/2026 12:00 PM'"
_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 2, 2))
"""Two different defaults: a part missing from a time takes each, so the results differ."""


def _read_time(body: str, text: str, option: str) -> datetime:
    """The date and time of `body` (ISO 8601 or a common form) with its offset, if any."""
    try:
        return datetime.fromisoformat(body)
    except ValueError:
        pass
    import warnings

    from dateutil import parser as date_parser  # imported when needed, like tz above

    def offset_only(name: str | None, offset: int | None) -> tzinfo | None:
        if name is not None and (name.upper() not in UTC_NAMES or offset):
            abbreviated = zonenames.abbreviation(name) or not name.isalpha()
            raise _Unread(f"{name!r} {_ABBREVIATED}" if abbreviated else _unknown(name))
        if name is None and offset is None:
            return None
        return UTC if not offset else timezone(timedelta(seconds=offset))

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            values: list[datetime] = [
                date_parser.parse(body, default=default, tzinfos=offset_only)
                for default in _DEFAULTS
            ]
    except _Unread as exc:
        raise UsageError(f"{option}: {text!r}: {exc}") from None
    except (ValueError, OverflowError, Warning):
        message = f"{option}: cannot read {text!r} as a date and time ({_EXAMPLE})"
        raise UsageError(message) from None
    first, second = values
    if first.date() != second.date():
        raise UsageError(f"{option}: {text!r} has no full date (day, month and year): {_EXAMPLE}")
    return first


class _Unread(Exception):
    """Why a time could not be read whole."""


YEAR_DAYS = 365.2425
"""The Gregorian calendar's mean year, in days."""


def human_duration(seconds: float) -> str:
    """`3h 12m`, `58m`, `45s`, `2d 4h`: the two largest units."""
    total = int(abs(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if total >= YEAR_DAYS * 86400:  # years of the calendar's mean length (leap days counted)
        years = int(total / (YEAR_DAYS * 86400))
        days = int((total - years * YEAR_DAYS * 86400) // 86400)
        return f"{years}y {days}d" if days else f"{years}y"
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{secs}s"
