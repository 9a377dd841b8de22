"""What a copy of a log added to its records' lines. The quotes of a spreadsheet's CSV around
a line that holds a comma (`records_unquoted`): taken off. A remark after a record's trailer on
a few lines (`<-- this is the user`, a chat's ` (edited)`), after a pasted request's UPN, or a
mark before a record (`--> `): taken off, and stderr says so (the record is read). The next
record, which a reflow ran together with it (`fmt`, a mail client that joins lines): refused
(`wholes.run_together`, `aspasted.undone`): its lines cannot be told apart."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..patterns import deferred, words
from ..sources import InputStats

AFTER_RE = deferred(r"\)>[ \t]+(?!\$\$<)(\S.*)")
"""A record's thread (`(0x15F0)>`), then text on its line (see `wholes.run_together`)."""
SHOWN = 40
"""Characters of a remark that its note shows."""


def unremarked(line: str, record: Callable[[str], bool], stats: InputStats | None = None) -> str:
    """A record's line (`record` tells one) without the remark after its trailer, counted in
    `stats` where given: text after the line's last `)>` that holds no other trailer. Other
    lines as they are."""
    found = _REMARK_RE.match(line)
    if found is None or "$$<" in found[2] or not record(found[1]):
        return line
    if stats is not None:
        _count(stats, found[2])
    return found[1]


_REMARK_RE = deferred(r"(.*\)>)[ \t]+(\S.*)")


def records_unremarked(text: str, stats: InputStats, record: Callable[[str], bool]) -> str:
    """SMS-trace text (a chunk between `\n`s) with each record's line `unremarked`: a chunk
    whose lines are all records holds no remark, and is returned at once."""
    if ")> " not in text and ")>\t" not in text:
        return text
    return "\n".join(unremarked(line, record, stats) for line in text.split("\n"))


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


_QUOTED_LINE_RE = deferred(r'(?<=\n)"((?:[^"\n]|"")*\$\$<(?:[^"\n]|"")*)"[ \t]*(?=\n)')


def cmtrace_unremarked(line: str, stats: InputStats) -> str:
    """A CMTrace line that ends a record (`]LOG]!><… file="…">`) without the remark after it,
    counted in `stats`; other lines as they are."""
    found = _CMTRACE_REMARK_RE.search(line)
    if found is None or "<![LOG[" in found[1]:
        return line
    _count(stats, found[1])
    return line[: found.start(1)].rstrip(" \t")


_CMTRACE_REMARK_RE = deferred(r'\]LOG\]!><[^<>]*">[ \t]+(\S.*)')


def upn_unremarked(message: str, stats: InputStats) -> str:
    """A pasted request's message without a remark after its UPN (`... = scott@contoso.com
    <-- first try`), counted in `stats`: a UPN holds no space, so the text after the address
    that begins its value (one `@`) is no part of it. A name that is no address (`= John
    Smith`, `= <UPN of User Account>`) is left as it is: it is tracked as no UPN."""
    found = _UPN_REMARK_RE.fullmatch(message)
    if found is None:
        return message
    _count(stats, found[2])
    return found[1]


_UPN_REMARK_RE = deferred(
    r"([ \t]*" + words("NotifyAccountAddition - SCCM user to add") + r" *= *[^\s@]+@[^\s@]+)"
    r"[ \t]+(\S.*)"
)


def unmarked(
    line: str, begins: Callable[[str], bool], stats: InputStats | None = None, indent: bool = True
) -> str:
    """A line without the mark a copy put before its record or message to point at it (`-->
    Failed to add user …`, `==> `, `→ `), counted in `stats` where given: the mark and the
    spaces after it are taken off where what follows begins one (`begins`); the line's
    indentation is kept where `indent` (a pasted excerpt's lines are indented under their
    date; a log's record begins its line). Other lines as they are."""
    found = _MARK_RE.match(line)
    if found is None or not begins(line[found.end() :]):
        return line
    if stats is not None:
        _count(stats, found[2])
    return (found[1] if indent else "") + line[found.end() :]


_MARK_RE_SOURCE = (
    r"([ \t]*)(-{1,3}>|={1,3}>|[\u2192\u21d2\u25ba\u25b6\u279c\u27a1])[ \t]+(?=[^\s$]|\$(?!\$<))"
)
_MARK_RE = deferred(_MARK_RE_SOURCE)
MARKS = ("->", "=>", "\u2192", "\u21d2", "\u25ba", "\u25b6", "\u279c", "\u27a1")
"""What a text holds where a line of it may begin with a mark (`_MARK_RE`)."""


def marked_lines(text: str) -> bool:
    """Whether a chunk (text between `\n`s) holds a line that begins with a mark (`_MARK_RE`):
    it is read the plain way, which takes the mark off (`records_unmarked`), as the native
    scanner and writer decline it (`marked` in `_scan.c`)."""
    return any(mark in text for mark in MARKS) and _MARKED_LINE_RE.search(text) is not None


_MARKED_LINE_RE = deferred(r"\n" + _MARK_RE_SOURCE)


def records_unmarked(text: str, stats: InputStats, record: Callable[[str], bool]) -> str:
    """SMS-trace text (a chunk between `\n`s) with each record's line `unmarked`; a chunk with
    no mark in it is returned at once. (The native scanner declines a chunk with a line that
    begins with `-->` or `==>`: see `marked` in `_scan.c`.)"""
    if not any(mark in text for mark in MARKS):
        return text
    return "\n".join(unmarked(line, record, stats, False) for line in text.split("\n"))


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
        f"{held} a remark added to the copy (`{shown}`), read without it"
    )
