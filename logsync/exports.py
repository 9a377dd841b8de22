"""A log's lines exported from a search tool as CSV: Splunk's `_raw` column, Log Analytics'
`RawData` (beside the time, the host, the source). The input is the text of that column, a row
a line (a line that the export quoted, with the commas and quotes it holds, as it was); the
other columns are no part of the log. Such an export is often newest first: it is read as any
input is (see `merge.newest_first`)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from .mail import whole_text

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
    the column of the log's line (see `RAW_COLUMNS`)."""
    return _HEADER_RE.match(head[: 1 << 12]) is not None


def raw_text(blocks: Iterable[bytes], shown: str) -> bytes:
    """The log's lines of such an export (see `is_raw_export`), as UTF-8, a row a line."""
    text = whole_text(blocks, shown, "CSV export larger than {} MB")
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(rows, [])]
    column = next(i for i, name in enumerate(header) if name in RAW_COLUMNS)
    lines = (row[column] for row in rows if len(row) > column)
    return "".join(f"{line}\n" for line in lines).encode()
