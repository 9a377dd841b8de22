"""A log's lines exported as JSON: JSON lines from a log shipper or a search tool (`{"message":
…}`, Splunk's `{"result": {"_raw": …}}`, ECS's `{"event": {"original": …}}`), an array of
objects (Log Analytics' `RawData`) or of strings, and PowerShell's `ConvertTo-Json` (an object a
line, `value`; or the whole log in one object, `Get-Content -Raw`). The input is the text of
each item's field of the line, an item a line (see `json_line`); the other fields are no part
of the log."""

from __future__ import annotations

import json  # (loaded by every command already: the JSON outputs, the safety of log text)
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

from .errors import InputError
from .exports import utf8_head
from .mail import whole_text
from .ownevents import events_lines, json_events
from .patterns import deferred_bytes
from .records import ROTATION_MARKER

TEXT_KEYS = ("_raw", "rawdata", "message", "msg", "value", "line", "text", "log", "original")
"""The names (in any case) of the field that holds the log's line, the first one present
first, in the object or else in an object inside it: Splunk's `_raw`, Log Analytics' `RawData`,
a shipper's `message` (Filebeat, Fluent Bit's `log`, ECS's `event.original`), PowerShell 5's
`value` (`Get-Content … | ConvertTo-Json`)."""
TIME_KEYS = ("@timestamp", "timegenerated", "_time", "timestamp", "time", "datetime")
"""The names (in any case) of the field that holds a line's time, where the line has none: an
ISO 8601 time, or seconds (milli-, micro-, nanoseconds) since 1970 in UTC."""
DEPTH = 2
"""How deep in objects inside an item its fields are looked for (`result._raw`)."""
_JSON_HEAD_RE = deferred_bytes(
    rb'\A(?:\xef\xbb\xbf)?\s*(?:\[\s*(?:"|\{\s*")|\{\s*"(?:[^"\\\r\n]|\\.){1,200}"\s*:)'
)
_OWN_TIME = ("$$<", "<![LOG[")
"""What a line that carries its own time holds (SMS trace's trailer, CMTrace's opening)."""


def is_json_export(head: bytes) -> bool:
    """Whether an input's first bytes are a JSON export of a log's lines: an array of strings or
    of objects, or an object (`{"name": …`: JSON lines, or one object). No log begins so
    (`[snip]`, `[12:00] …`, `{0x15F0}` do not)."""
    return _JSON_HEAD_RE.match(utf8_head(head)) is not None


def json_text(blocks: Iterable[bytes], shown: str, told: list[str] | None = None) -> bytes:
    """The log's lines of a JSON export (see `is_json_export`), as UTF-8, an item a line (see
    `json_line`): an array's items, one object's, or each line's of JSON lines. A line of JSON
    lines that is no JSON is kept as it is: it is no record, and said so, never dropped. An
    export none of whose items holds a line is refused, naming the fields looked for."""
    text = whole_text(blocks, shown, "JSON export larger than {} MB", told)
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if text.lstrip().startswith("[") or isinstance(exc, RecursionError):
            raise InputError(shown, f"JSON that cannot be read ({exc})") from exc
        whole = None  # (JSON lines: "Extra data" after the first)
    found: list[tuple[object, str | None]] = []  # (each item, and its line)
    if whole is not None:
        found = [(item, _line_of(item)) for item in (whole if isinstance(whole, list) else [whole])]
    else:
        for line in text.removesuffix("\n").split("\n"):  # (U+2028 may be inside a string)
            try:
                item = json.loads(line) if line.strip() else ""
            except (ValueError, RecursionError):
                item = line
            found.append((item, _line_of(item)))
    own = json_events([item for item, _ in found])
    if own is not None:  # (logsync's own `events --format ndjson` or `json`: see `ownevents`)
        head = [""] if isinstance(whole, list) else []  # (`json`'s `[`: an event a line after it)
        joined = "".join(f"{line}\n" for line in [*head, *events_lines(own, "\n")])
        return joined.encode("utf-8", "backslashreplace")
    if found and all(line is None for _, line in found):
        keys = ", ".join(f"`{key}`" for key in TEXT_KEYS)
        raise InputError(shown, f"JSON whose items hold no log line (no field {keys})")
    texts = (_written(item, line) for item, line in found)
    joined = "".join(text if text.endswith("\n") else f"{text}\n" for text in texts)
    return joined.encode("utf-8", "backslashreplace")  # (`\ud800` alone: shown, as written)


def json_line(item: object) -> str:
    """The log's line an item of a JSON export holds (see `_line_of`); anything else written as
    JSON: no record, and said so."""
    return _written(item, _line_of(item))


def _written(item: object, line: str | None) -> str:
    return json.dumps(item, ensure_ascii=False) if line is None else line


def _line_of(item: object) -> str | None:
    """A string; or an object's field of the line (`TEXT_KEYS`), after its time (`TIME_KEYS`)
    where the line has no time of its own (a shipper's message without its trailer); None for
    anything else."""
    if isinstance(item, str):
        return item
    if not isinstance(item, Mapping):
        return None
    text = _field(item, TEXT_KEYS, DEPTH)
    if not isinstance(text, str):
        return None
    if text.strip() == ROTATION_MARKER or any(mark in text for mark in _OWN_TIME):
        return text
    when = _time(_field(item, TIME_KEYS, DEPTH, numbers=True))
    return text if when is None else f"{when} {text}"


def _field(
    item: Mapping[object, object], keys: tuple[str, ...], depth: int, numbers: bool = False
) -> object:
    """The first of `keys` (in any case) that `item` holds as a string (or a number, with
    `numbers`), or else that an object inside it holds, `depth` deep; None where none does."""
    fields = {str(key).lower(): value for key, value in item.items()}
    kinds: tuple[type, ...] = (str, int, float) if numbers else (str,)
    for key in keys:
        value = fields.get(key)
        if isinstance(value, kinds) and not isinstance(value, bool):
            return value
    if depth > 1:
        for value in fields.values():
            if isinstance(value, Mapping):
                found = _field(value, keys, depth - 1, numbers)
                if found is not None:
                    return found
    return None


_EPOCH_UNITS = ((1e17, 1e9), (1e14, 1e6), (1e11, 1e3), (1e8, 1.0))
"""(least value, units a second) of a time as a number since 1970: nano-, micro-, milliseconds
or seconds (a number below 1e8 is no time of now)."""


def _time(value: object) -> str | None:
    """An item's time as its line is read after it: an ISO 8601 text as it is; a number since
    1970 as ISO 8601 in UTC (to the microsecond); None for anything else."""
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, (int, float)):
        return None
    for least, per_second in _EPOCH_UNITS:
        if value >= least:
            try:
                when = datetime.fromtimestamp(value / per_second, timezone.utc)
            except (OverflowError, OSError, ValueError):
                return None
            return when.isoformat(timespec="microseconds")
    return None
