"""A log's lines exported from a search tool as CSV (Splunk's `_raw` column, Log Analytics'
`RawData`, beside the time, the host, the source) or as JSON (see `jsonexports`). The input
is the text of that column or field, a row a line (a line that the export quoted, with the
commas and quotes it holds, as it was); the other columns are no part of the log. Such an export
is often newest first: it is read as any input is (see `merge.newest_first`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .csvcells import csv_rows
from .mail import UTF16_BOMS, whole_text

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


def raw_text(blocks: Iterable[bytes], shown: str, told: list[str] | None = None) -> bytes:
    """The log's lines of such an export (see `is_raw_export`), as UTF-8, a row a line: its
    header a blank line, so that each row keeps its line's number (evidence names the export's
    own line); a row without that column, its cells as they are (no record)."""
    import io

    text = whole_text(blocks, shown, "CSV export larger than {} MB", told)
    rows = csv_rows(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(rows, [])]
    column = next(i for i, name in enumerate(header) if name in RAW_COLUMNS)
    lines = (row[column] if len(row) > column else ",".join(row) for row in rows)
    return "".join(f"{line}\n" for line in ["", *lines]).encode()
