"""On-disk log formats: one small module each, a shared record shape, and detection."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..sources import InputStats


class Record(NamedTuple):
    """One log record, before the message catalogue gives it meaning."""

    line: int
    """1-based number of its first physical line."""
    time: datetime
    component: str
    thread: int | None
    severity: str | None
    """From the format itself (CMTrace `type`); None when only the text can tell."""
    message: str
    """The raw message, `~` line breaks kept."""


class Unparsed(NamedTuple):
    """A physical line that is no record."""

    line: int
    raw: str
    problem: str


Item = Record | Unparsed


class ParseContext:
    """What a format parser needs beyond the text."""

    __slots__ = ("candidates", "minutes", "source_tz", "stats")

    def __init__(
        self,
        stats: InputStats,
        source_tz: tzinfo | None = None,
        candidates: re.Pattern[str] | None = None,
    ) -> None:
        self.stats = stats
        self.source_tz = source_tz
        self.candidates = candidates
        """For SMS trace: when set, records outside this pattern may be skipped (fast path)."""
        self.minutes: dict[str, datetime | None] = {}
        """Decoded record minutes (date, hour, minute and bias), the parsers' cache."""


Parser = Callable[[Iterator[str], ParseContext], Iterator[Item]]


ROTATION_MARKER = "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>"
"""The last line of a log that was full and renamed to `.lo_`."""


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
        return "rotation marker"
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
    yield Unparsed(line, raw, problem or unparsed_problem(raw))


def is_blank(line: str) -> bool:
    return not line.strip(" \t\f\v")


FORMAT_NAMES = ("sms-trace", "cmtrace", "paste")


def parser_for(name: str) -> Parser:
    from . import cmtrace, paste, sms

    return {"sms-trace": sms.parse, "cmtrace": cmtrace.parse, "paste": paste.parse}[name]


def detect(sample: str, max_lines: int = 200) -> str | None:
    """The format whose records most of a sample's lines are, or None when no line is one.

    SMS trace and pasted lines are judged one by one; CMTrace by parsing the sample, since its
    records may span lines.
    """
    from . import sms

    lines = [line for line in sample.split("\n") if not is_blank(line)][:max_lines]
    if not lines:
        return None
    sms_votes = sum(1 for line in lines if sms.looks_like(line))
    if sms_votes == len(lines):
        return "sms-trace"  # no format can get more votes, and SMS trace wins a tie
    from ..sources import InputStats
    from . import cmtrace, paste

    stats = InputStats("sample")
    for _ in cmtrace.parse(iter(["\n".join(lines) + "\n"]), ParseContext(stats)):
        pass
    votes = {
        "sms-trace": sms_votes,
        "cmtrace": stats.record_lines,
        "paste": sum(1 for line in lines if paste.looks_like(line)),
    }
    best = max(FORMAT_NAMES, key=lambda name: votes[name])
    return best if votes[best] else None
