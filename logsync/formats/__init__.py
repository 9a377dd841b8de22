"""On-disk log formats: one small module each, a shared record shape, and detection."""

from __future__ import annotations

from ..errors import InputError
from ..records import Item, Record, Unparsed
from .common import (
    ROTATION_MARKER,
    ParseContext,
    Parser,
    framed,
    is_blank,
    non_record,
    physical_lines,
    unparsed_problem,
)

__all__ = [
    "FORMAT_NAMES",
    "ROTATION_MARKER",
    "Item",
    "ParseContext",
    "Parser",
    "Record",
    "Unparsed",
    "detect",
    "framed",
    "is_blank",
    "non_record",
    "parser_for",
    "physical_lines",
    "unparsed_problem",
]


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

    if sms_votes and _quoted(sample.split("\n")[:-1][:max_lines]):
        return "paste"

    stats = InputStats("sample")
    try:
        for _ in cmtrace.parse(iter(["\n".join(lines) + "\n"]), ParseContext(stats)):
            pass
    except InputError:  # (CMTrace records a reflow ran together: the input's reading says so)
        return "cmtrace"
    votes = {
        "sms-trace": sms_votes,
        "cmtrace": stats.record_lines,
        "paste": sum(1 for line in lines if paste.looks_like(line)),
    }
    best = max(FORMAT_NAMES, key=lambda name: votes[name])
    return best if votes[best] else None


def _quoted(lines: list[str]) -> bool:
    """Whether a log's lines (SMS trace) come with messages of it quoted with no time, as in a
    ticket: one before the log's first line, or two in a row among them (one alone there is a
    line of the log cut short, as by a crash). The last line, with no line break after it, is
    left out: the sample's end, or a log copied while it was written, cut mid-line."""
    from . import paste, sms

    logged = False
    run = 0
    for line in lines:
        if is_blank(line):
            continue
        if "$$<" not in line and paste.is_message(line):
            run += 1
            if run == 2 or not logged:
                return True
            continue
        run = 0
        logged = logged or sms.looks_like(line)
    return False
