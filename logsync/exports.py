"""A log's lines exported from a search tool as CSV (Splunk's `_raw` column, Log Analytics'
`RawData`, beside the time, the host, the source) or as JSON (see `is_json_export`). The input
is the text of that column or field, a row a line (a line that the export quoted, with the
commas and quotes it holds, as it was); the other columns are no part of the log. Such an export
is often newest first: it is read as any input is (see `merge.newest_first`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import InputError
from .mail import UTF16_BOMS, whole_text
from .patterns import deferred_bytes

RAW_COLUMNS = ("_raw", "rawdata")
"""The names (in any case) of the column that holds the log's line."""
_HEADER_RE = re.compile(
    rb'\A(?:\xef\xbb\xbf)?(?:[^\r\n]*?,)?"?(?:'
    + "|".join(map(re.escape, RAW_COLUMNS)).encode()
    + rb')"?(?:,|\r?\n)',
    re.IGNORECASE,
)


def is_raw_export(head: bytes) -> bool:
    """Whether an input's first bytes are such an export's: its first line, a CSV header, names
    the column of the log's line (see `RAW_COLUMNS`); UTF-8, or UTF-16 after its BOM."""
    return _HEADER_RE.match(utf8_head(head)) is not None


def utf8_head(head: bytes) -> bytes:
    """An input's first 4 KiB as UTF-8: UTF-16 after its BOM (PowerShell 5 writes it) decoded."""
    head = head[: 1 << 12]
    if head[:2] in UTF16_BOMS:
        return head.decode("utf-16", "ignore").encode()
    return head


def raw_text(blocks: Iterable[bytes], shown: str) -> bytes:
    """The log's lines of such an export (see `is_raw_export`), as UTF-8, a row a line."""
    import csv  # (imported for such an export: it costs every command's start)
    import io

    text = whole_text(blocks, shown, "CSV export larger than {} MB")
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(rows, [])]
    column = next(i for i, name in enumerate(header) if name in RAW_COLUMNS)
    lines = (row[column] for row in rows if len(row) > column)
    return "".join(f"{line}\n" for line in lines).encode()


# -- JSON: a search tool's or a log shipper's export, PowerShell's `ConvertTo-Json` -----------

TEXT_KEYS = ("_raw", "rawdata", "message", "msg", "value", "line", "text", "log")
"""The names (in any case) of the field that holds the log's line, the first one present
first: Splunk's `_raw`, Log Analytics' `RawData`, a shipper's `message` (Filebeat, Fluent Bit's
`log`), PowerShell 5's `value` (`Get-Content … | ConvertTo-Json`)."""
TIME_KEYS = ("@timestamp", "timegenerated", "_time", "timestamp", "time", "datetime")
"""The names (in any case) of the field that holds a line's time, where the line has none."""
_JSON_HEAD_RE = deferred_bytes(rb'\A(?:\xef\xbb\xbf)?\s*(?:\[\s*(?:"|\{\s*")|\{\s*")')
_OWN_TIME = ("$$<", "<![LOG[")
"""What a line that carries its own time holds (SMS trace's trailer, CMTrace's opening)."""


def is_json_export(head: bytes) -> bool:
    """Whether an input's first bytes are a JSON export of a log's lines: an array of strings or
    of objects, or JSON lines, one object a line (its first line a whole object). No log begins
    so (`[snip]`, `[12:00] …` do not)."""
    head = utf8_head(head)
    if _JSON_HEAD_RE.match(head) is None:
        return False
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        return True
    import json  # (imported for such an export: it costs every command's start)

    first = start.split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:  # (an object over several lines, or one cut off: not JSON lines)
        return False


def json_text(blocks: Iterable[bytes], shown: str) -> bytes:
    """The log's lines of a JSON export (see `is_json_export`), as UTF-8, an item a line (see
    `json_line`). A line of JSON lines that is no JSON is kept as it is: it is no record, and
    said so, never dropped."""
    import json

    text = whole_text(blocks, shown, "JSON export larger than {} MB")
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except ValueError as exc:
            raise InputError(shown, f"a JSON array that cannot be read ({exc})") from exc
        lines = [json_line(item) for item in (items if isinstance(items, list) else [items])]
    else:
        lines = []
        for line in text.splitlines():
            try:
                lines.append(json_line(json.loads(line)) if line.strip() else "")
            except ValueError:
                lines.append(line)
    return "".join(f"{line}\n" for line in lines).encode()


def json_line(item: object) -> str:
    """The log's line an item of a JSON export holds: a string; or an object's text field (see
    `TEXT_KEYS`), after the object's time (`TIME_KEYS`) where the text has no time of its own
    (a shipper's message without its trailer). Anything else is written as JSON: no record,
    and said so."""
    import json

    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        fields = {str(key).lower(): value for key, value in item.items()}
        text = next((fields[k] for k in TEXT_KEYS if isinstance(fields.get(k), str)), None)
        if text is not None:
            when = next((fields[k] for k in TIME_KEYS if isinstance(fields.get(k), str)), None)
            if when is not None and not any(mark in text for mark in _OWN_TIME):
                return f"{when.strip()} {text}"
            return str(text)
    return json.dumps(item, ensure_ascii=False)
