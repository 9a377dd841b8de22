"""CMTrace's copied rows as a spreadsheet saves them (pasted into Excel, then saved as CSV): each
row's columns separated by commas (or, where a comma is the decimal mark, semicolons), a field
that holds one quoted (`"Total received users to add from SCCM = 0, Total …"`)."""

from __future__ import annotations

import re

from ..csvcells import csv_rows
from ..patterns import deferred

CSV_END_RE = deferred(r'([,;])"?\d+\s?\(0x[0-9A-Fa-f]+\)"?[ \t]*$')
"""A row's last column saved as CSV: its separator, then the thread (`5616 (0x15F0)`)."""


def row(line: str, stamp: re.Pattern[str]) -> tuple[str, str, str, str] | None:
    """A row saved as CSV: its message, component, date and time (which `stamp` matches), and
    thread; None for another line."""
    end = CSV_END_RE.search(line)
    if end is None:
        return None
    import csv  # (for such a copy only: it costs every command's start)

    try:
        fields = next(csv_rows([line], end.group(1)))
    except (csv.Error, StopIteration):
        return None
    if len(fields) < 4 or not stamp.match(fields[-2]):
        return None
    return end.group(1).join(fields[:-3]), fields[-3].strip(), fields[-2], fields[-1].strip()
