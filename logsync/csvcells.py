"""CSV read from inputs (a search tool's export, logsync's own events, a sheet's rows, an export
of Azure AD users): a cell may hold a whole log line, longer than the `csv` module reads by
default (128 KiB: a dump in a message refused the export with a traceback)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import _csv

FIELD_LIMIT = (1 << 31) - 1
"""The longest cell read (the largest a C long holds on every platform)."""


def csv_rows(lines: Iterable[str], delimiter: str = ",") -> _csv.Reader:
    """`csv.reader` of `lines`, its cells as long as they come."""
    import csv  # (imported for such an input: it costs every command's start)

    csv.field_size_limit(FIELD_LIMIT)
    return csv.reader(lines, delimiter=delimiter)
