"""What a copy of a log added to its records' lines. The quotes of a spreadsheet's CSV around
a line that holds a comma (`records_unquoted`): taken off. A remark after a record's trailer on
a few lines (`<-- this is the user`, a chat's ` (edited)`): taken off, and stderr says so (the
record is read). The next record, which a reflow ran together with it (`fmt`, a mail client
that joins lines): refused (`wholes.run_together`, `aspasted.undone`): its lines cannot be
told apart."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..sources import InputStats

AFTER_RE = re.compile(r"\)>[ \t]+(?!\$\$<)(\S.*)")
"""A record's thread (`(0x15F0)>`), then text on its line."""
SHOWN = 40
"""Characters of a remark that its note shows."""


def remarked(lines: list[str], record: Callable[[str], bool]) -> bool:
    """Whether some of these lines (not run together) hold a remark after their record's
    trailer (`record` tells a record's line)."""
    return any(_remark(line, record) is not None for line in lines)


def unremarked(
    lines: Iterator[str], stats: InputStats | None, record: Callable[[str], bool]
) -> Iterator[str]:
    """The lines without the remarks after their records' trailers, counted in `stats`."""
    for line in lines:
        found = _remark(line, record)
        if found is not None:
            line = line[: found.start() + 2]
            if stats is not None:
                _count(stats, found[1])
        yield line


def _remark(line: str, record: Callable[[str], bool]) -> re.Match[str] | None:
    """The remark after a line's record (its match of `AFTER_RE`), if it holds one: text after
    the trailer that holds no other trailer, on a line whose text up to it is a record."""
    found = AFTER_RE.search(line)
    if found is None or "$$<" in found[1] or not record(line[: found.start() + 2]):
        return None
    return found


def records_unremarked(text: str, stats: InputStats, record: Callable[[str], bool]) -> str:
    """SMS-trace text (a chunk between `\n`s) with the remarks after the trailers of its
    records' lines taken off (`record` tells a record's line), counted in `stats`: a chunk
    whose lines are all records holds none, and is returned at once."""
    if ")> " not in text and ")>\t" not in text:
        return text

    def taken(found: re.Match[str]) -> str:
        if "$$<" in found[2] or not record(found[1]):
            return found[0]
        _count(stats, found[2])
        return found[1]

    return _LINE_REMARK_RE.sub(taken, text)


def records_unquoted(text: str, record: Callable[[str], bool]) -> str:
    """SMS-trace text (a chunk between `\n`s) with the lines of records that a spreadsheet
    quoted, saving the log's lines as one column of CSV (a line that holds a comma or a quote:
    `"Total received users to add from SCCM = 1, Total …  $$<…>"`), as they were."""
    if '\n"' not in text:
        return text

    def unquoted(found: re.Match[str]) -> str:
        line = found[1].replace('""', '"')
        return line if record(line) else found[0]

    return _QUOTED_LINE_RE.sub(unquoted, text)


_QUOTED_LINE_RE = re.compile(r'(?<=\n)"((?:[^"\n]|"")*\$\$<(?:[^"\n]|"")*)"[ \t]*(?=\n)')
_LINE_REMARK_RE = re.compile(r"(?<=\n)([^\n]*\)>)[ \t]+(\S[^\n]*)(?=\n)")


def cmtrace_unremarked(line: str, stats: InputStats) -> str:
    """A CMTrace line that ends a record (`]LOG]!><… file="…">`) without the remark after it,
    counted in `stats`; other lines as they are."""
    found = _CMTRACE_REMARK_RE.search(line)
    if found is None or "<![LOG[" in found[1]:
        return line
    _count(stats, found[1])
    return line[: found.start(1)].rstrip(" \t")


_CMTRACE_REMARK_RE = re.compile(r'\]LOG\]!><[^<>]*">[ \t]+(\S.*)')


def _count(stats: InputStats, remark: str) -> None:
    stats.remarked += 1
    stats.remark = stats.remark or remark.strip()


def note(stats: InputStats) -> str | None:
    """What stderr says of an input's remarks (None: it held none)."""
    if not stats.remarked:
        return None
    first = stats.remark
    shown = first if len(first) <= SHOWN else first[: SHOWN - 1] + "…"
    held = "1 line holds" if stats.remarked == 1 else f"{stats.remarked} lines hold"
    return (
        f"{held} text after its record's trailer (`{shown}`: a remark added to the copy), "
        "read without it"
    )
