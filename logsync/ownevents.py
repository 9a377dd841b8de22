"""logsync's own `events --format csv` and `--format text`, given back as input (`logsync events
--format csv log > events.csv`, passed on in a ticket): each row is written back as the
SMS-trace record it shows (see `own_events_text`). They were refused: the CSV as "no
CloudUserSync records found", the text with a false reason ("15 lines are cut off at 200
columns"). `--format ndjson` and `json` are parsed by `jsonexports`, and their events told
(`json_events`) and written back so too: read as a shipper's JSON, an unparsed line became a
message at the time of the record before it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .csvcells import csv_rows
from .exports import utf8_head
from .mail import whole_text
from .patterns import deferred, deferred_bytes

CSV_HEADER = b"kind,time,source,line,component,thread,severity,text,"
"""The start of `events --format csv`'s header (`render.machine.EVENT_COLUMNS`)."""
_TEXT_RE = deferred_bytes(
    rb"\A(?:\xef\xbb\xbf)?(?:\d{4}-\d\d-\d\dT[^\t\r\n]*|-)\t[a-z_]+\t[^\t\r\n]*:\d+\t"
    rb"[^\t\r\n]*\t[^\t\r\n]*\t(?:info|warning|error)\t"
)
"""The first line of `events --format text`: time, kind, source:line, component, thread,
severity and text, tab-separated."""


_BREAK = "\\n"
"""A line break in an event's text, as `events` writes it (`safety.visible`)."""
_SEPARATORS = (",", ";", "\t")
"""The separators of such a CSV: its own, and those a spreadsheet saves it with (`;` where a
comma is the decimal mark, a tab as "Unicode Text")."""


def is_own_events(head: bytes) -> bool:
    """Whether an input's first bytes are `events --format csv` or `text` (UTF-8 or UTF-16)."""
    head = utf8_head(head).removeprefix(b"\xef\xbb\xbf")
    return _separator(_header(head.decode("utf-8", "replace"))) is not None or (
        b"\t" in head and _TEXT_RE.match(head) is not None
    )


def _separator(body: str) -> str | None:
    """The separator of an events CSV whose header `body` begins with (see `_SEPARATORS` and
    `_header`), if it is one: it names the columns of `events` up to `text` (each maybe quoted,
    as a spreadsheet or PowerShell's `Export-Csv` saves it; the columns after it maybe left
    out)."""
    line = body.split("\n", 1)[0]
    for separator in _SEPARATORS:
        if _names(line.split(separator))[: len(_COLUMNS)] == _COLUMNS:
            return separator
    return None


def _names(cells: list[str]) -> list[str]:
    """A header's column names, without the spaces and quotes around them."""
    return [name.strip().strip('"') for name in cells]


def _header(text: str) -> str:
    """`text` from its header: after the `#TYPE` line PowerShell 5's `Export-Csv` writes."""
    return text.split("\n", 1)[-1] if text.startswith("#TYPE") else text


_COLUMNS = CSV_HEADER.decode().split(",")[:-1]
_FIELDS = frozenset(_COLUMNS)
"""The fields of every event `events --format ndjson` and `json` write (its CSV's columns)."""


Written = tuple[str, str, str, str, str]
"""An event as `events` wrote it: its kind, time, component, thread and text (`""` or `-` for
none); an unparsed one's text, its line as it was."""
_WRITTEN = ("kind", "time", "component", "thread", "text")


def own_events_text(blocks: Iterable[bytes], shown: str, told: list[str] | None = None) -> bytes:
    """The lines of such an input (see `is_own_events`), as UTF-8: each event's record as the
    log wrote it, in SMS trace (its message, component, time, UTC offset and thread; a line
    break, shown `\\n`, written `~` again), its unparsed lines as they were; where an event
    lacks what SMS trace needs (a line pasted with no thread, a time with no offset), each
    event's time, then its text, as an excerpt's lines are read."""
    text = whole_text(blocks, shown, "events output larger than {} MB", told)
    body = _header(text)
    separator = _separator(body)
    head: list[str] = []  # (a blank line for each line before the rows: their numbers kept)
    if separator is not None:
        import io

        head = [""] * (1 + (body is not text))
        rows = csv_rows(io.StringIO(body, newline=""), separator)
        names = _names(next(rows))
        k, t, c, th, x = (names.index(name) for name in _WRITTEN)
        events: list[Written] = [  # (a row without those cells: an unparsed line, as it was)
            (_cell(row[k]), _cell(row[t]), _cell(row[c]), _cell(row[th]), _cell(row[x]))
            if len(row) > x
            else ("unparsed", "", "", "", separator.join(row))
            for row in rows
        ]
    else:
        cells = (line.split("\t", 6) for line in text.splitlines())
        events = [(row[1], row[0], row[3], row[4], row[6]) for row in cells if len(row) > 6]
    return "".join(f"{line}\n" for line in [*head, *events_lines(events)]).encode()


def json_events(items: list[object]) -> list[Written] | None:
    """Items of JSON that are logsync's own events (`events --format ndjson` or `json`: each
    object with the columns of its CSV up to `text`), as `events` wrote them; None where any
    object is not. An unparsed one's line is its `raw` text, as it was; so is a line of JSON
    lines that is no JSON (a note of stderr saved with them: `2>&1`)."""
    if not any(isinstance(item, Mapping) for item in items):
        return None
    own: list[Written] = []
    for item in items:
        if isinstance(item, str):
            own.append(("unparsed", "", "", "", item))
            continue
        if not isinstance(item, Mapping) or not item.keys() >= _FIELDS:
            return None
        kind, when, component, thread = (item[name] for name in _WRITTEN[:4])
        text = item.get("raw") if kind == "unparsed" else item["text"]
        if not (isinstance(kind, str) and isinstance(text, str) and isinstance(component, str)):
            return None
        number = str(thread) if isinstance(thread, int) and not isinstance(thread, bool) else ""
        own.append((kind, when if isinstance(when, str) else "", component, number, text))
    return own


def events_lines(events: list[Written], breaks: str = _BREAK) -> list[str]:
    """The log's lines of events as `events` wrote them (`breaks`: how a line break in a
    message is written, `\\n` in CSV and text, itself in JSON): each its SMS-trace record;
    where one lacks what SMS trace needs, each after its time, as an excerpt's lines are."""
    lines = [_written(*event, breaks) for event in events]
    if events and lines[-1] is None and events[-1][2] not in ("", "-") and None not in lines[:-1]:
        # the last line, a record cut short in its trailer (its thread lost): cut so again
        lines[-1] = f"{events[-1][4].replace(breaks, '~')}  $$<{events[-1][2]}><"
    if None in lines:  # (one that SMS trace cannot hold: each read after its time, a break
        # in its message written as in CSV: one line each)
        texts = ((when, text.replace(breaks, _BREAK)) for _, when, *_, text in events)
        return [f"{when} {text}" if when not in ("", "-") else text for when, text in texts]
    return [line for line in lines if line is not None]  # (all of them)


def _cell(value: str) -> str:
    """A CSV cell's text without the `'` that keeps a spreadsheet from reading it as a formula
    (`safety.csv_text`)."""
    quoted = value[:1] == "'" and (
        value[1:2] in ("=", "+", "@") or (value[1:2] == "-" and not value[2:3].isdigit())
    )
    return value[1:] if quoted else value


def _written(
    kind: str, when: str, component: str, thread: str, text: str, breaks: str = _BREAK
) -> str | None:
    """An event's line of SMS trace (an unparsed line as it was); None where it lacks what SMS
    trace needs."""
    if kind == "unparsed":
        return text
    found = _TIME_RE.fullmatch(when)
    if found is None or not _THREAD_RE.fullmatch(thread) or component in ("", "-"):
        return None
    date, clock, fraction, offset = found.groups()
    east = 0 if offset == "Z" else (int(offset[1:3]) * 60 + int(offset[4:6])) * int(offset[0] + "1")
    bias = -east  # (SMS trace writes minutes west of UTC)
    stamp = f"{date[5:7]}-{date[8:10]}-{date[:4]} {clock}.{fraction or '000'}{bias:+d}"
    message = text.replace(breaks, "~")  # (`~` breaks a message's lines: see `events`)
    return f"{message}  $$<{component}><{stamp}><thread={thread} (0x{int(thread):X})>"


_THREAD_RE = deferred(r"[0-9]+")
"""A thread's number, in ASCII digits (`str.isdigit` takes `²`, which `int` refuses)."""
_TIME_RE = deferred(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d{1,7}))?(Z|[+-]\d\d:\d\d)")
"""An event's time, with its UTC offset (ISO 8601, as `events` writes it)."""
