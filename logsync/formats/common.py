"""What every format's parser shares: the parse context, and how a line that is no record is
accounted for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from ..clocks import not_one_time
from ..patterns import deferred
from ..records import ROTATION_MARKER as ROTATION_MARKER
from ..records import Item, Unparsed
from ..times import fixed_offset, micros

if TYPE_CHECKING:
    from ..sources import InputStats


class ParseContext:
    """What a format parser needs beyond the text."""

    __slots__ = (
        "candidates",
        "day_first",
        "first_line",
        "hours",
        "minutes",
        "previous",
        "shifts",
        "source_tz",
        "stats",
    )

    def __init__(
        self,
        stats: InputStats,
        source_tz: tzinfo | None = None,
        candidates: re.Pattern[str] | None = None,
        first_line: int = 1,
    ) -> None:
        self.stats = stats
        self.first_line = first_line
        """The number of the text's first line in its input (a piece of it, see `seams`)."""
        self.source_tz = source_tz
        self.candidates = candidates
        """For SMS trace: when set, records outside this pattern may be skipped (fast path)."""
        self.minutes: dict[str, datetime | None] = {}
        """Decoded record minutes (date, hour, minute and bias), the parsers' cache."""
        self.shifts = source_tz is not None and fixed_offset(source_tz) is None
        """Whether `source_tz` has daylight saving: an hour of its clock comes twice a year."""
        self.previous: datetime | int | None = None
        """The time (or instant) of the last record read in `source_tz` (see `in_order`)."""
        self.hours: dict[int, bool] = {}
        """Whether some time of an hour (its ordinal) comes twice or never (see `in_order`)."""
        self.day_first: bool | None = None
        """Pasted text: whether its dates of numbers are day first, once known (`paste`)."""


RUN_DISORDER = 1.0
"""How many seconds time may step back between two records of one input without starting a
run: the threads of one process write a little out of order (the lab's CloudUserSync.log has
.429 then .427 on one thread); files pasted together in the wrong order go back hours."""
RUN_DISORDER_US = int(RUN_DISORDER * 1_000_000)
"""`RUN_DISORDER` in microseconds, as rows count time."""


def in_order(time: datetime, ctx: ParseContext, step: bool = True) -> datetime:
    """A record's time read in `--source-tz`, a zone with daylight saving (`ctx.shifts`), as
    the record after the one read before it in the input: where the clock was set back, the
    hour that comes twice is read the second time where the first would go back from that
    record by more than the disorder of threads, and the second would not: a log in order
    passes through it first in summer time, then in winter time (SPEC §2). `step`: the record
    is the next one read in order (else one looked at out of turn: `sms.note_times`). A time
    with its own offset (a bias) is read as written, and is the record before the next."""
    if time.tzinfo is not ctx.source_tz:
        if step:
            ctx.previous = time
        return time
    hour = time.toordinal() * 24 + time.hour
    changes = ctx.hours.get(hour)
    if changes is None:  # (clocks change on a quarter hour, for half an hour or more)
        starts = [time.replace(minute=minute, second=0, microsecond=0) for minute in _QUARTERS]
        changes = ctx.hours[hour] = any(map(not_one_time, starts))
    if changes and not_one_time(time):
        later, previous = time.replace(fold=1), ctx.previous
        if previous is None:  # its first record: nothing before it to read it after
            if step and micros(later) > micros(time):
                ctx.stats.notes.append(_begins_twice(time))
        else:
            if isinstance(previous, datetime):
                previous = micros(previous)
            if micros(time) < previous - RUN_DISORDER_US <= micros(later):
                time = later  # (a time the clock skips: `later` is sooner, never taken)
    if step:
        ctx.previous = time
    return time


def _begins_twice(time: datetime) -> str:
    """What to say of an input whose first record is in the hour its zone's clock shows twice."""
    again = time.replace(fold=1)
    return (
        f"it begins in the hour {time.tzinfo}'s clock shows twice "
        f"({time.replace(tzinfo=None).isoformat(timespec='seconds')}): read as the first, "
        f"{time.isoformat()[-6:]}; if the clock was set back already ({again.isoformat()[-6:]}), "
        "its times up to the change are an hour early (the log before it, given too, would tell)"
    )


_QUARTERS = (0, 15, 30, 45)


Parser = Callable[[Iterator[str], ParseContext], Iterator[Item]]


ROTATION_PROBLEM = "rotation marker"

GAP_LINE = "--"
"""What `grep -C` (`-A`, `-B`) writes between groups of lines that are not next to each other:
the input is an excerpt, and lines are left out there."""
GAP_MARKS = frozenset((GAP_LINE, "...", "\u2026", "[...]", "[\u2026]", "(...)", "<...>", "snip",
                       "[snip]", "<snip>", "[snipped]"))
"""Lines that say lines are left out there: grep's, and those people write where they cut lines
from an excerpt or a log (a line of `...`, `[snip]`; the connector writes none: every record
has a trailer)."""
SIGNATURE_LINE = "-- "
"""The line before an e-mail's signature (RFC 3676: two dashes and a space): no gap mark."""
GAP_PROBLEM = "lines left out (grep's `--`, `...`)"


def gap_mark(line: str) -> bool:
    """Whether a line says lines are left out there (see `GAP_MARKS`, `_CUT_WORDS_RE`)."""
    if line.rstrip("\r") == SIGNATURE_LINE:
        return False
    mark = line.strip().lower()
    return mark in GAP_MARKS or (len(mark) <= 48 and _CUT_WORDS_RE.fullmatch(mark) is not None)


RULE_PROBLEM = "a rule (`---`): between two records, it marks lines left out there"
_RULE_RE = deferred(r"[ \t]*([-=*_])(?:[ \t]?\1){2,}[ \t\r]*")
"""A line of three dashes, equals signs, stars or underscores or more (`---`, `* * *`): a
rule, which someone put between two pieces of a log they pasted (see `non_record`)."""


def record_after(stats: InputStats, before: datetime | None, time: datetime) -> None:
    """A record at `time` (`before`: the time of the record before it; None: none) closes the
    place where lines of no record before it said lines are left out: a gap mark's, or a
    rule's that came after a record (`InputStats.ruled`). A rule between two pieces of a log
    marks lines left out there, as a gap mark does (a log writes none; a rule before the first
    record or after the last frames a paste, and marks nothing)."""
    if not (stats.gap_open or stats.ruled):
        return
    if stats.ruled:  # (the place is counted here: a record came after it)
        stats.ruled = False
        if not stats.gaps:
            stats.gap_start = before
        stats.gaps += 1
    stats.gap_end, stats.gap_open = time, False


_CUT_WORDS_RE = re.compile(
    r"[-=.*_~\[\](){}<> \u2026]*(?:(?:8<|>8|\u2702|\u2704|snip(?:ped)?|cut(?: here)?|truncated|"
    r"trimmed|omitted|(?:\d+ )?(?:more )?(?:lines?|records?|entries) "
    r"(?:removed|omitted|skipped|cut|trimmed))[-=.*_~\[\](){}<> \u2026]*)+"
)
"""A line of scissors (`-- 8< --`, `8<--- cut here ---`, `✂`) or of words that say lines were
cut there (`--snip--`, `[truncated]`, `(12 lines removed)`), between dashes, dots or brackets:
a gap mark too. A line of dashes or stars alone (`---`, `***`) is a rule, which says nothing of
lines left out."""
CUT_OFF = "\ufdd0"
"""Put after a line of pasted text whose end was cut off at the text's width (`cut -c1-72`, a
console's copy): its record is not read (a Unicode noncharacter, kept for internal use)."""
CUT_OFF_PROBLEM = "cut off at the text's width (its end lost)"


def unparsed_problem(raw: str) -> str:
    """A short reason why a non-blank line is no record."""
    if raw.strip("\0") == "":
        return "NUL padding"
    if "\0" in raw or sum(1 for ch in raw[:256] if ord(ch) < 32 and ch != "\t") > 4:
        return "binary data"
    if "$$<" in raw:
        return "damaged SMS trace record"
    if "<![LOG[" in raw or "]LOG]!>" in raw:
        return "damaged CMTrace record"
    if raw.strip() == ROTATION_MARKER:
        return ROTATION_PROBLEM
    if gap_mark(raw):
        return GAP_PROBLEM
    return _NO_RECORD


_NO_RECORD = "not a log record"


def framed(chunk: str) -> str:
    """A text chunk between a leading and a final `\\n`: the form the chunk parsers read."""
    return "\n" + chunk if chunk.endswith("\n") else "\n" + chunk + "\n"


def physical_lines(chunks: Iterator[str]) -> Iterator[str]:
    """The lines of break-folded text chunks (each chunk but the last ends with a line break)."""
    for chunk in chunks:
        lines = chunk.split("\n")
        if chunk.endswith("\n"):
            lines.pop()
        yield from lines


def line_chunks(lines: Iterator[str], size: int = 1 << 16) -> Iterator[str]:
    """Lines as text chunks that end at line breaks (the last one too): `physical_lines`
    undone."""
    batch: list[str] = []
    length = 0
    for line in lines:
        batch.append(line)
        length += len(line) + 1
        if length >= size:
            yield "\n".join(batch) + "\n"
            batch, length = [], 0
    if batch:
        yield "\n".join(batch) + "\n"


def non_record(
    raw: str, line: int, stats: InputStats, problem: str | None = None
) -> Iterator[Unparsed]:
    """Account for a line that is no record: a blank line, or an `unparsed` one."""
    if is_blank(raw):
        stats.blank += 1
        return
    stats.unparsed += 1
    if raw.endswith(CUT_OFF):  # (see `aspasted.Pasting.cut_off`: no record, whatever is left)
        raw, problem = raw.removesuffix(CUT_OFF), CUT_OFF_PROBLEM
        stats.cut_off += 1
        stats.cut_off_width = max(stats.cut_off_width, len(raw))
    problem = problem or unparsed_problem(raw)
    if problem == ROTATION_PROBLEM:
        stats.markers += 1
    elif problem == GAP_PROBLEM:
        stats.gaps += 1
        if stats.ruled:  # (a rule just before it: the same place)
            stats.rules, stats.ruled = stats.rules + 1, False
        stats.gap_open = True
    elif problem == _NO_RECORD and len(raw) <= 120 and _RULE_RE.fullmatch(raw) is not None:
        problem = RULE_PROBLEM
        if stats.gap_open or stats.ruled:  # (beside a mark, or a rule: the same place)
            stats.rules += 1
        else:
            stats.ruled = stats.first_time is not None  # (see `record_after`)
    yield Unparsed(line, raw, problem)


def is_blank(line: str) -> bool:
    return not line.strip(" \t\f\v")
