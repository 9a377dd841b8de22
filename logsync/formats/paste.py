"""Text copied out of CMTrace/OneTrace into tickets: no UTC offset anywhere.

Two shapes, freely mixed:

* copied rows, tab-separated: `message<TAB>component<TAB>date time<TAB>thread` (or with the
  tabs turned into spaces, as mail and chat programs paste them);
* excerpts: a line holding a date and time (any common locale form), optionally followed by two
  spaces and a message, then indented message lines that share that time (after a blank line,
  a line at the margin that is no message the catalogue knows begins text around the excerpt,
  not records, up to the next time).

Times are naive local times unless `--source-tz` names their zone.

Message lines with no time at all (how a blog post or a ticket quotes the log) are read in
order when the whole input holds no time: each line the message catalogue knows becomes a
record dated `NO_TIMES`, whose instants only keep the lines in order; its times are never
shown. Where some lines carry times, the known messages before the first of them are such
records too (an excerpt that begins under a date line it leaves out): they came before that
time, by how much is unknown (see `tracker.users.failed_before`). A known message with no time
after lines with times cannot be placed: the input is refused. Lines of an SMS-trace log among
pasted ones (quoted lines above the log's own) are read with their own times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from ..errors import InputError, UsageError
from ..meridiem import LEADING_MARK
from ..patterns import deferred
from ..records import ROTATION_MARKER, Item, Record, Unparsed
from ..sources import InputStats, display_name
from ..times import NO_TIMES, NO_TIMES_REASON, iso, timeless
from . import remarks, sheets, sms, twice
from .common import (
    CUT_OFF,
    ParseContext,
    in_order,
    is_blank,
    non_record,
    physical_lines,
    unparsed_problem,
)
from .dayorder import WEEKDAY as _WEEKDAY
from .dayorder import OtherOrder as OtherOrder
from .dayorder import day_first as dates_day_first
from .dayorder import one_kind, stamp_time
from .together import begins_message, cut_short, dated_after_first, messages_in

_CLOCK = (
    LEADING_MARK + r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,7})?(?:Z|[+-]\d{2}:?\d{2}(?!\d))?)?"
    r"(?:\s?[AaPp](?:\.\s?)?[Mm]\.?)?"
)
"""A time of day (`10:24:12 AM`, `14:10:04.449`), and the UTC offset ISO 8601 puts right after
its seconds where a tool wrote one (`Z`, `-08:00`: a shipper's export; not after minutes alone:
`10:00-11:00` is a range of times)."""
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DAY = (
    _WEEKDAY
    + r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    + r"|\d{1,2}[- ]" + _MONTH + r"[- ,]\s*\d{4}|" + _MONTH + r" \d{1,2},? \d{4})"
)
"""A date as locales and tools copy it: numbers (year first, or month and day either way),
`14-Sep-2014`, `Sep 14, 2014`, optionally after its weekday (`Sun 9/14/2014`)."""
STAMP = _DAY + r"[ T]" + _CLOCK
"""A date and time of a pasted excerpt or copied row (also `aspasted`'s)."""
STAMP_RE = deferred(r"\s*" + STAMP + r"\s*$")
"""A date and time alone (a row's column, or a date whose message went on the next line)."""
_DATE_LINE_RE = deferred(r"\s*(" + STAMP + r")(?:(?:\s{2,}|\t)(\S.*))?$")
_DECORATED_RE = deferred(
    r"\s*(?:#{1,6}[ \t]+)?(?:\*\*|__|[*_\[(]|`+)?[ \t]*(" + STAMP
    + r")[ \t]*(?:\*\*|__|[*_\])]|`+)?[ \t]*:?[ \t]*()$"
)
"""A date line alone that a ticket set off (`**11/25/2026 2:30:04 PM**`, `### …`, `[…]`, `…:`)."""
_DATE_LIKE_RE = deferred(
    r"[\s*_`#>\[(]*(?:" + _DAY + r"|\d{1,2}:\d{2}(?!\d)|" + _WEEKDAY + r"(?:" + _MONTH
    + r"\s+\d{1,2}(?!\d)|\d{1,2}[- ]" + _MONTH + r"|\d{1,2}/\d{1,2}(?![\d/])))"
)
"""A line that begins with a date or a time (after such marks): a date line, read or not
(also a date with no year: `Nov 25 2:30:04 PM`, `25-Nov`, `11/25 2:30 PM`)."""
_ONE_SPACE_RE = deferred(r"\s*(" + STAMP + r") (\S.*)$")
"""A date line whose spaces a web page or a ticket made one (HTML shows a run of spaces as one):
read where a message the catalogue knows follows, or begins with words that tell it (one space
is also a sentence's)."""


_SPACED_ROW_RE = deferred(
    r"\s*(\S(?:.*?\S)?)\s+([A-Za-z][\w.-]*)\s+(" + STAMP + r")\s+(\d+\s?\(0x[0-9A-Fa-f]+\))\s*$"
)
"""A copied row whose tabs became spaces (pasted into a mail, a chat or a ticket): the
component, the date and time and the thread (`5616 (0x15F0)`) at its end tell the columns.
(The message ends at a character that is no space: its split from the component is tried once
per run of spaces, in linear time.)"""


_THREAD_RE = deferred(r"\s*\d+\s?\(0x[0-9A-Fa-f]+\)\s*")
"""A copied row's thread column (`5616 (0x15F0)`)."""


def copied_row(line: str) -> tuple[str, str, str, str] | None:
    """A copied row's message, component, date and time, and thread; None for another line."""
    parts = line.split("\t")
    if len(parts) >= 4 and STAMP_RE.match(parts[-2]):
        return "\t".join(parts[:-3]), parts[-3].strip(), parts[-2], parts[-1].strip()
    for extra in (1, 2):  # (columns after the thread: OneTrace's Source and Type)
        end = len(parts) - extra
        if end >= 4 and _THREAD_RE.fullmatch(parts[end - 1]) and STAMP_RE.match(parts[end - 2]):
            message = "\t".join(parts[: end - 3])
            return message, parts[end - 3].strip(), parts[end - 2], parts[end - 1].strip()
    if "(0x" not in line:  # (a quick no for every other line)
        return None
    spaced = _SPACED_ROW_RE.match(line)
    if spaced is not None:
        return spaced[1], spaced[2], spaced[3], spaced[4]
    return sheets.row(line, STAMP_RE)  # (saved from a spreadsheet as CSV)


def _dated(line: str) -> tuple[tuple[str, str, str, str] | None, re.Match[str] | None]:
    """A line's copied row (`copied_row`), else its match as a date line of an excerpt (each None
    for a line that is not one)."""
    row = copied_row(line)
    if row:
        return row, None
    found = _DATE_LINE_RE.match(line)
    spaced = _ONE_SPACE_RE.match(line) if found is None else None
    if spaced and (begins_message(spaced[2]) or is_message(spaced[2])):  # (`UserDeltaSync:-`)
        return None, spaced
    return None, found or _DECORATED_RE.match(line)


def looks_like(line: str) -> bool:
    """Whether a line is pasted text: a copied row, a date line of an excerpt, or a message
    line with no time (never a line with a trailer of a log, even a broken one: an SMS-trace
    log copied while it was written ends in a record cut off mid-time)."""
    return (
        _dated(line) != (None, None)
        or ("$$<" not in line and "]LOG]!>" not in line and is_message(line))
    )


_UPN_RE = deferred(r"(?![.#]+@)(?![^@]*(?:\.\.|##|\u2026))[^\s@<>\[\]*]+@[^\s@<>\[\]*]+")
"""A UPN: a name and a domain, with no space, placeholder's bracket or redaction's star, nor
a name that dots, hashes or an ellipsis mask (`...@contoso.com`, `s...t@contoso.com`,
`#####@contoso.com`: redacted)."""


_MASKED_RE = deferred(r"(?i)x{3,}@.*|.*@x{2,}(?:\.\w+)*")  # (`xxx@xxx`, `bob@xxx.com`)
_PLACEHOLDER_RE = deferred(  # (`user@domain.com`, `jane.doe@contoso.com`: see `placeholder`)
    r"(?i)(?:user(?:name)?|upn|someone|redacted|anonymous|first(?:name)?\.last(?:name)?|"
    r"(?:john|jane)\.doe)@.*"
)


def redacted(name: str) -> bool:
    """Whether a user name is no UPN: a redaction placeholder (`<UPN of User Account>`, `***`,
    `[redacted]`, `xxx@xxx`), a name with spaces or without `@`. Such a user is tracked, but no
    advice about UPN suffixes or Azure AD is built on its name."""
    return _UPN_RE.fullmatch(name) is None or _MASKED_RE.fullmatch(name) is not None


def placeholder(name: str) -> bool:
    """Whether a user name is no UPN, or a name a ticket puts for any user: named twice in one
    cycle, several users' (`tracker.openings`); its suffix is read as any UPN's."""
    return redacted(name) or _PLACEHOLDER_RE.fullmatch(name) is not None


def is_message(line: str) -> bool:
    """Whether a line with no time is a message the catalogue knows (of the connector), also
    one a ticket highlighted alone (`- Failed to add user …`: `decoration.unhighlighted`)."""
    from ..events import classify  # (the catalogue reads records of these formats)

    return classify(line.strip(), highlighted=True)[0] != "message"


def ensure_times(inputs: Sequence[InputStats], option: str | None = None) -> None:
    """An input with no times is judged by the order of its lines alone: it cannot be merged by
    time with other inputs, nor judged as of a time (`option`, such as `--now`). Nor can one
    whose first records have no time be merged: they come before its first time, by how much
    is unknown (see `_timeless`)."""
    untimed = [stats for stats in inputs if timeless(stats.last_time) or stats.untimed_head]
    if not untimed:
        return
    first = untimed[0]
    name = display_name(first.path)
    if len(inputs) > 1:
        other = next(display_name(s.path) for s in inputs if s is not first)
        why = NO_TIMES_REASON
        if first.untimed_head:
            head = f"{first.untimed_head} records have" if first.untimed_head > 1 else "record has"
            why = f"its first {head} no time (before {iso(first.first_time)})"
        raise UsageError(
            f"{name}: {why}, so it cannot be merged by time with {other}; give it alone"
        )
    if option is not None and not first.untimed_head:
        raise judged_at_a_time(option, name)


def judged_at_a_time(option: str, name: str) -> UsageError:
    """The error of a time option (`--now`, `--since`, …) given for an input with no times."""
    return UsageError(
        f"{option}: {name} has no times (its lines are judged in their order); "
        f"give it without {option}"
    )


NO_TIMES_START = datetime(2000, 1, 1, tzinfo=NO_TIMES)
"""The instant of line 0 of an input with no times; line N is N microseconds later."""
BEFORE_TIMES_START = NO_TIMES_START - timedelta(days=1)
"""The same for the records before an input's first time (see `before_times`)."""


def before_times(time: datetime) -> bool:
    """Whether a time with none (`timeless`) is of a record before its input's first time."""
    return time < NO_TIMES_START


MAX_HELD = 100_000
"""Lines with no time held while the input may still show a time; past this many the input is
read as one with no times (memory stays bounded)."""


def _timeless(
    held: list[tuple[int, str]], ctx: ParseContext, before: bool = False
) -> Iterator[Item]:
    """Held lines with no time: the known messages are records, in order. Of an input with no
    times; or, `before`, lines that come before the first time of an input with times (an
    excerpt that begins under a date line it leaves out): they are before that time, by how
    much is unknown, so the input's span begins at its first time."""
    stats = ctx.stats
    for line_no, line in held:
        if line.endswith(CUT_OFF):
            yield from non_record(line, line_no, stats)  # (cut off: see there)
            continue
        if not is_message(line):
            quoted_inside(line_no, line, stats)
            stats.unparsed += 1
            yield Unparsed(line_no, line, unparsed_problem(line))
            continue
        stats.record_lines += 1
        time = (BEFORE_TIMES_START if before else NO_TIMES_START) + timedelta(microseconds=line_no)
        for record in _records(line_no, time, line, stats):
            stats.untimed_head += before  # (before the first time: its span begins there)
            if not before:
                stats.saw(record.time)
            yield record


def _untimed(
    held: list[tuple[int, str]], ctx: ParseContext, unread: int | None = None
) -> Iterator[Item]:
    """Held lines of an input with times: before its first time, records (`_timeless`); after
    it (between two times, or after the last) no record: when it was logged is unknown (after
    `unread`, a line that begins with a date or time that is not read as a date line)."""
    if ctx.stats.first_time is None:
        yield from _timeless(held, ctx, before=True)
        return
    for line_no, line in held:
        if line.endswith(CUT_OFF):
            yield from non_record(line, line_no, ctx.stats)  # (cut off: see there)
            continue
        if is_message(line):  # (a message the catalogue knows: the answers would hang on it)
            under = unread is not None and unread < line_no
            raise InputError(
                display_name(ctx.stats.path),
                f"line {line_no} is a message of the connector under line {unread}, which "
                "begins with a date or time that is not read as a date line: when it was "
                "logged is unknown, so nothing can be judged with it; give that date and time "
                "alone on its line (as `11/25/2026 2:30:04 PM`)"
                if under
                else f"line {line_no} is a message of the connector with no time, after lines "
                "with times: when it was logged is unknown, so nothing can be judged with it; "
                "give it with its time (its line of the log), or the lines with no time apart",
            )
        quoted_inside(line_no, line, ctx.stats)
        yield from non_record(line, line_no, ctx.stats)


def _records(line_no: int, time: datetime, text: str, stats: InputStats) -> Iterator[Record]:
    """The records of a line of message text, all at its time: one, or those a reflow ran
    together on the line (see `together`), each counted."""
    text = remarks.unmarked(text, is_message, stats)  # (`--> Failed …`: see there)
    quoted_inside(line_no, text, stats, record=True)
    messages = messages_in(text.strip())
    if dated_after_first(messages):  # (its time is on the line: taken apart, it would be lost)
        raise InputError(
            display_name(stats.path),
            f"line {line_no} holds dated lines of an excerpt run together (a reflow joined "
            "them): paste the excerpt as it was, one dated line per line",
        )
    for message in messages:
        stats.records += 1
        yield Record(line_no, time, "", None, None, remarks.upn_unremarked(message, stats))


_QUOTED_INSIDE_RE = deferred(r"[ \t](?:(?:[>|]|[:#](?=[ \t]|$))[ \t]*)+(?=\S|$)")
"""Quote marks inside a line (`... carol@contoso.com > 11/24/2026 ...`, or `|`, `:`, `#`):
where a record begins after them, or the line ends, quoted lines a reflow ran together (`fmt`
after `> `, `| `, `: ` or `# `)."""
_DAY_RE = deferred(_DAY + r"\b")
"""A date (its time may be on the next line)."""


def quoted_inside(line_no: int, text: str, stats: InputStats, record: bool = False) -> None:
    """Refuse a line that holds lines of a quoted excerpt run together, quote marks and all:
    a record's start (or its start cut short) after a `>` inside it, or (of a `record`'s line:
    `... = carol@contoso.com >`) the line's end; `Administration >` is no record (`InputError`)."""
    for inside in _QUOTED_INSIDE_RE.finditer(text):
        rest = text[inside.end() :]
        if (record and not rest) or _DAY_RE.match(rest) or begins_message(rest) or cut_short(rest):
            raise InputError(
                display_name(stats.path),
                f"line {line_no} holds lines of a quoted excerpt run together, quote marks and "
                "all (a reflow joined them after they were quoted): paste the excerpt as it "
                "was quoted, one line per line",
            )


def _begins(text: str) -> bool:
    """Whether a line of text begins with a message the catalogue knows or an excerpt's date
    (after a mark a copy put before it: see `remarks.unmarked`)."""
    return _dated(text)[1] is not None or is_message(text) or sms.looks_like(text)


def _thread(text: str) -> int | None:
    head = text.split(" ")[0]
    return int(head) if head.isdigit() else None


def parse(chunks: Iterator[str], ctx: ParseContext) -> Iterator[Item]:
    return twice.once(_parse(chunks, ctx), ctx.stats)  # (copies that meet at one instant)


def _parse(chunks: Iterator[str], ctx: ParseContext) -> Iterator[Item]:
    stats = ctx.stats
    zone = ctx.source_tz
    line_no = 0
    current: datetime | None = None
    held: list[tuple[int, str]] = []  # lines before any time: records only if none comes
    timeless = False
    day_first, lines = dates_day_first(physical_lines(chunks), ctx, _dated, MAX_HELD)
    blank = outside = bare = False  # (the line before is blank; text around the excerpt)
    unread: int | None = None  # (the last line with a date or time not read as a date line)
    said = False
    for marked in lines:
        line_no += 1
        marked = remarks.unmarked(marked, _begins, stats)  # (`--> Failed …`: see there)
        if is_blank(marked):
            stats.blank += 1
            blank = True
            continue
        after_blank, blank = blank, False
        if timeless:
            yield from _timeless([(line_no, marked)], ctx)
            continue
        line = marked.removesuffix(CUT_OFF)  # (a line cut off at the width: no record)
        if "$$<" in line and sms.looks_like(line):  # a line of the log itself, with its time
            yield from _untimed(held, ctx, unread)
            held, current, outside = [], None, False  # (it dates no line after it)
            records = stats.records
            yield from sms.parse_text(f"\n{line}\n", line_no, ctx)
            stats.rows += stats.records - records  # (a run of the log's lines)
            continue
        row, dated = _dated(line)
        if not (row or dated) and _DATE_LIKE_RE.match(line) and not is_message(line):
            # a date line not read as one (`… PM PST`, a time alone): it dates the lines under
            # it, which no line above dates (`unread`)
            if not said:  # (said once: the lines under it are read with no time)
                said = True
                stats.notes.append(
                    f"line {line_no} begins with a date or time that is not read as a date line "
                    f"({line.strip()[:60]!r}): give dates as `11/25/2026 2:30:04 PM`"
                )
            current, outside, unread = None, False, line_no
            stats.unparsed += 1
            yield Unparsed(line_no, line, "a date or time not read as a date line")
            continue
        try:
            if row:
                time = stamp_time(row[2], day_first)
            elif dated:
                time = stamp_time(dated.group(1), day_first)
        except (ValueError, OverflowError) as error:
            stats.unparsed += 1
            why = str(error) if type(error) is OtherOrder else "unreadable date"
            yield Unparsed(line_no, line, why)
            continue
        if held and (row or dated):
            yield from _untimed(held, ctx, unread)
            held = []
        if row or dated:
            own = time.tzinfo is not None or bool(dated and re.search(r"\dT\d", dated.group(1)))
            outside, unread = False, None  # (own: a tool's line: its offset, ISO 8601's `T`)
            if zone is not None and time.tzinfo is None:
                time = time.replace(tzinfo=zone)
                if ctx.shifts:  # (an hour of --source-tz's clock comes twice)
                    time = in_order(time, ctx)
            one_kind(time, line_no, stats)
            if row:
                stats.records += 1
                stats.rows += 1
                stats.record_lines += 1
                record = Record(line_no, time, row[1], _thread(row[3]), None, row[0].strip())
                stats.saw(record.time, record.component)
                yield record
                continue
            current, bare = time, not (dated and dated.group(2))  # (also of a line cut off)
            if dated and dated.group(2) and line != marked:
                yield from non_record(marked, line_no, stats)  # (cut off)
                continue
            stats.record_lines += 1
            if dated and dated.group(2):
                for record in _records(line_no, time, dated.group(2), stats):
                    stats.rows += own  # (a tool's line, each with its offset: as a copied row)
                    stats.saw(record.time)
                    yield record
            continue
        loose = outside or (after_blank and bare)  # (`bare`: under a date alone on its line)
        if current is None or (loose and line[:1].strip() and is_message(line)):
            # before any time, after a line of the log itself, the text around an excerpt, or a
            # blank line under a date alone: a known message at the margin is dated by none
            current = None
            held.append((line_no, marked))
            if len(held) >= MAX_HELD:
                timeless = stats.first_time is None
                yield from _timeless(held, ctx) if timeless else _untimed(held, ctx, unread)
                held = []
            continue
        if (after_blank or outside) and not line[:1].isspace() and not is_message(line):
            # the lines a time dates are indented under it, with no blank line between; one
            # at the margin after a blank line, that the catalogue does not know, begins the
            # text around an excerpt (a reply's "Thanks,"), up to the next time
            outside = True
            quoted_inside(line_no, line, stats)
            stats.unparsed += 1
            yield Unparsed(line_no, line, unparsed_problem(line))
            continue
        if line != marked or line.strip() == ROTATION_MARKER:  # (cut off; a rotated log's end)
            yield from non_record(marked, line_no, stats)
            continue
        stats.record_lines += 1
        for record in _records(line_no, current, line, stats):
            stats.saw(record.time)
            yield record
    if held:
        yield from (
            _untimed(held, ctx, unread) if stats.first_time is not None else _timeless(held, ctx)
        )
    stats.lines = line_no
