"""logsync's own `events --format csv` and `--format text`, given back as input (`logsync events
--format csv log > events.csv`, passed on in a ticket): each row is a record's time and its
message, read as the lines of an excerpt are (`2026-11-24T07:05:04.659-08:00 Total received
…`). They were refused: the CSV as "no CloudUserSync records found", the text with a false
reason ("15 lines are cut off at 200 columns"). `--format ndjson` and `json` are read as JSON
exports (`jsonexports`)."""

from __future__ import annotations

from collections.abc import Iterable

from .exports import utf8_head
from .mail import whole_text
from .patterns import deferred_bytes

CSV_HEADER = b"kind,time,source,line,component,thread,severity,text,"
"""The start of `events --format csv`'s header (`render.machine.EVENT_COLUMNS`)."""
_TEXT_RE = deferred_bytes(
    rb"\A(?:\xef\xbb\xbf)?(?:\d{4}-\d\d-\d\dT[^\t\r\n]*|-)\t[a-z_]+\t[^\t\r\n]*:\d+\t"
    rb"[^\t\r\n]*\t[^\t\r\n]*\t(?:info|warning|error)\t"
)
"""The first line of `events --format text`: time, kind, source:line, component, thread,
severity and text, tab-separated."""


def is_own_events(head: bytes) -> bool:
    """Whether an input's first bytes are `events --format csv` or `text` (UTF-8 or UTF-16)."""
    head = utf8_head(head)
    return head.removeprefix(b"\xef\xbb\xbf").startswith(CSV_HEADER) or (
        b"\t" in head and _TEXT_RE.match(head) is not None
    )


def own_events_text(blocks: Iterable[bytes], shown: str) -> bytes:
    """The lines of such an input (see `is_own_events`), as UTF-8: a row's time, then its text
    (a row with no time, its text alone)."""
    text = whole_text(blocks, shown, "events output larger than {} MB")
    if text.startswith(CSV_HEADER.decode()):
        import csv  # (imported for such an input: it costs every command's start)
        import io

        rows = csv.reader(io.StringIO(text, newline=""))
        next(rows)
        pairs = ((row[1], row[7]) for row in rows if len(row) > 7)
    else:
        cells = (line.split("\t", 6) for line in text.splitlines())
        pairs = ((row[0], row[6]) for row in cells if len(row) > 6)
    return "".join(
        f"{when} {line}\n" if when not in ("", "-") else f"{line}\n" for when, line in pairs
    ).encode()
