"""What every format's parser shares: the parse context, and how a line that is no record is
accounted for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from ..records import Item, Unparsed

if TYPE_CHECKING:
    from ..sources import InputStats


class ParseContext:
    """What a format parser needs beyond the text."""

    __slots__ = ("candidates", "first_line", "minutes", "source_tz", "stats")

    def __init__(
        self,
        stats: InputStats,
        source_tz: tzinfo | None = None,
        candidates: re.Pattern[str] | None = None,
        first_line: int = 1,
    ) -> None:
        self.stats = stats
        self.first_line = first_line
        """The number of the text's first line in its input (a piece of it, see `seams`)."""
        self.source_tz = source_tz
        self.candidates = candidates
        """For SMS trace: when set, records outside this pattern may be skipped (fast path)."""
        self.minutes: dict[str, datetime | None] = {}
        """Decoded record minutes (date, hour, minute and bias), the parsers' cache."""


Parser = Callable[[Iterator[str], ParseContext], Iterator[Item]]


ROTATION_MARKER = "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>"
"""The last line of a log that was full and renamed to `.lo_`."""


ROTATION_PROBLEM = "rotation marker"

GAP_LINE = "--"
"""What `grep -C` (`-A`, `-B`) writes between groups of lines that are not next to each other:
the input is an excerpt, and lines are left out there."""
GAP_PROBLEM = "lines left out (grep's `--`)"


def unparsed_problem(raw: str) -> str:
    """A short reason why a non-blank line is no record."""
    if raw.strip("\0") == "":
        return "NUL padding"
    if "\0" in raw or sum(1 for ch in raw[:256] if ord(ch) < 32 and ch != "\t") > 4:
        return "binary data"
    if "$$<" in raw:
        return "damaged SMS trace record"
    if "<![LOG[" in raw or "]LOG]!>" in raw:
        return "damaged CMTrace record"
    if raw.strip() == ROTATION_MARKER:
        return ROTATION_PROBLEM
    if raw.rstrip() == GAP_LINE:
        return GAP_PROBLEM
    return "not a log record"


def framed(chunk: str) -> str:
    """A text chunk between a leading and a final `\\n`: the form the chunk parsers read."""
    return "\n" + chunk if chunk.endswith("\n") else "\n" + chunk + "\n"


def physical_lines(chunks: Iterator[str]) -> Iterator[str]:
    """The lines of break-folded text chunks (each chunk but the last ends with a line break)."""
    for chunk in chunks:
        lines = chunk.split("\n")
        if chunk.endswith("\n"):
            lines.pop()
        yield from lines


def non_record(
    raw: str, line: int, stats: InputStats, problem: str | None = None
) -> Iterator[Unparsed]:
    """Account for a line that is no record: a blank line, or an `unparsed` one."""
    if is_blank(raw):
        stats.blank += 1
        return
    stats.unparsed += 1
    problem = problem or unparsed_problem(raw)
    if problem == ROTATION_PROBLEM:
        stats.markers += 1
    elif problem == GAP_PROBLEM:
        stats.gaps += 1
        stats.gap_open = True
    yield Unparsed(line, raw, problem)


def is_blank(line: str) -> bool:
    return not line.strip(" \t\f\v")
