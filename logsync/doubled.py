"""An input whose lines are each written twice in a row: a log shipper that read the file twice
(a Splunk export of both copies, sorted by time; a second reader that began later), a copy that
doubled each line. Read as it is, each record counts twice: a restart's lines make two
restarts, each cycle two cycles, and a user's state follows from the doubled rules. A component
may write one line several times (the lab's SMSProv.log), and a piece of a log may be pasted
twice into a ticket, but no log writes `DOUBLED` lines in a row each exactly twice: such an
input is refused. Each chunk of text is looked at in `PLACES` windows of `WINDOW` lines."""

from __future__ import annotations

from itertools import groupby

from .errors import InputError
from .patterns import deferred
from .safety import visible

WINDOW = 64
"""Lines looked at in each window."""
DOUBLED = 32
"""Lines at least (blank ones aside) of a window, all in runs of two equal lines (the first and
the last run may be cut by the window), that tell an input doubled."""
PLACES = 16
"""Windows in each chunk: at its start, and evenly inside it."""
_REACH = WINDOW * 256
"""Characters of a chunk a window is cut from (a line of the connector's is some 150 long)."""


def not_doubled(text: str, shown: str, first_line: int | None) -> None:
    """Refuse an input a chunk of whose text (`text`, whole lines) holds a window of lines each
    written twice in a row (see above); `first_line` is the number of the chunk's first line
    where it is known (the input's first chunk), to name where they begin."""
    for place in range(PLACES):
        at = 0 if not place else text.find("\n", len(text) * place // PLACES) + 1
        if not at and place:
            return
        if not _paired_head(text, at):
            continue  # (most windows: told at once)
        lines = text[at : at + _REACH].split("\n", WINDOW)[:WINDOW]
        kept = [_plain(line) for line in lines if line.strip()]
        runs = [sum(1 for _ in run) for _, run in groupby(kept)]
        if len(kept) >= DOUBLED and max(runs) == 2 and all(run == 2 for run in runs[1:-1]):
            cut = runs[0] == 1  # (a first line alone: the copy of one before, or written once)
            where = (
                f"line {first_line + text.count(chr(10), 0, at) + cut:,}"
                if first_line is not None
                else _record_of(kept[cut])
            )
            raise InputError(
                shown,
                f"its lines are each written twice in a row, found at {where} ({len(kept):,} "
                "lines in a row at least, each followed by a copy of it): read so, each restart, "
                "cycle and notification there would count twice; give each line once (`uniq` "
                "writes it so)",
            )


def _paired_head(text: str, at: int) -> bool:
    """Whether of the three lines from `at` the first two, or the last two, are equal (as a
    window of lines each written twice begins; blank lines aside, which the window leaves out)."""
    one = text.find("\n", at)
    two = text.find("\n", one + 1) if one >= 0 else -1
    three = text.find("\n", two + 1) if two >= 0 else -1
    if three < 0:
        return False
    cut = (text[at:one], text[one + 1 : two], text[two + 1 : three])
    first, second, third = map(_plain, cut)
    return first == second or second == third or not (first and second and third)


def _plain(line: str) -> str:
    """A line as its copy is compared with it: without a BOM before it, spaces after it."""
    return line.lstrip("\ufeff").rstrip()


def _record_of(line: str) -> str:
    """A line where the number of its line is not known (after the input's first chunk): the
    record of its trailer's time, else its first characters."""
    found = _TRAILER_TIME_RE.search(line)
    if found is not None:
        return f"the record of {found[1]}"
    return f"the line {visible(repr(line[:80]))}"


_TRAILER_TIME_RE = deferred(r"\$\$<[^<>]*><(\d\d-\d\d-\d{4} \d\d:\d\d:\d\d(?:\.\d+)?[+-]\d+)>")
"""An SMS-trace record's time and bias, as its trailer writes them."""
