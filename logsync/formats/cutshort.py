"""Records cut short: a crash's (its end lost, NUL padding after it, or its line break lost)
with the next record written after it on its line (`is_glued`, and `sms.glued`, which takes them
apart), and a record whose trailer was cut at the end of its line (`cut_short`: the log copied
while the connector wrote it, or cut there): its message whole, its time not."""

from __future__ import annotations

from ..patterns import deferred
from ..records import Record
from ..sources import InputStats

GLUED_PROBLEM = "cut short, the next record written after it on its line"
"""The `unparsed` problem of a record cut short (a crash's: its end lost, NUL padding after it,
or its line break lost), with the next record written after it on the same line (a record
whole before it, but for its line break, is one too: which of its fields is whole, and where
the next begins, only the trailer says)."""
PARTIAL_TRAILER_RE = deferred(
    r"\$\$<[A-Z0-9_]*(?:><[0-9-]*(?: [0-9:.]*(?:[+-][0-9]*)?)?"
    r"(?:><t?h?r?e?a?d?=?[0-9]*(?: ?\(?(?:0x)?[0-9A-Fa-f]*\)?)?>?)?)?"
)
"""A trailer cut short: its start, as much of its fields as the record kept."""


def is_glued(message: str) -> bool:
    """Whether a record's message holds a record cut short before it (see `glued`): a trailer's
    start (with a component's first character), or NUL and then text."""
    if "$$<" in message and CUT_TRAILER_RE.search(message):
        return True
    return after_padding(message) is not None


def after_padding(message: str) -> int | None:
    """Where the text after a message's last NUL begins, where text follows it (the next record
    written after NUL padding); else None."""
    if "\0" not in message:
        return None
    start = message.rindex("\0") + 1
    return start if message[start:].strip(" \t") else None


CUT_TRAILER_RE = deferred(r"\$\$<[A-Z0-9_]")
"""A trailer's start in a message: `$$<` and a component's first character (`$$<text>` in a
message is none)."""


def cut_short(raw: str, line: int, before: Record | None, stats: InputStats) -> Record | None:
    """A line that is a record cut short in its trailer (`Failed to add user bob@contoso.com;
    reason UserNotFound  $$<SMS_CLOUD_U`, or only its `>` lost), where its message is one the
    catalogue knows and a record comes before it (`before` in its chunk, else the input's last
    so far): read at that record's time, component and thread, a lower bound (the connector
    wrote it after, within the same cycle), and noted on the input (its first). Else None: the
    line is no record."""
    time = before.time if before is not None else stats.last_time
    if time is None:
        return None
    stripped = raw.rstrip(" \t")
    at = raw.rfind("$$<")
    if at > 0:
        partial = PARTIAL_TRAILER_RE.fullmatch(stripped, at)
        if partial is None or _WHOLE_TRAILER_RE.search(partial[0]):
            return None  # (no trailer's start, or a whole one: a record with an impossible date)
        message = raw[:at].rstrip(" \t")
    elif stripped.endswith("$") or stripped != raw:
        message = stripped.rstrip("$").rstrip(" \t")  # (cut in `  $$<`, the trailer's start)
    else:
        return None  # (a message cut short, or no record: its end is not known)
    from ..events import classify  # (the catalogue reads records)

    # (a cycle's start is minutes after the record before it, not within its cycle: read at
    # that time, it would be a cycle off the schedule, and move every time computed from it)
    if not message or classify(message)[0] in _NOT_WITHIN:
        return None
    if not any(note.endswith(CUT_SHORT_NOTE) for note in stats.notes):
        stats.notes.append(f"line {line} {CUT_SHORT_NOTE}")
    if before is None:
        return Record(line, time, stats.last_component, None, None, message)
    return Record(line, time, before.component, before.thread, None, message)


_NOT_WITHIN = frozenset({"message", "sync_started"})
"""Kinds of record read as no record where cut short: no known message, or a cycle's start."""
_WHOLE_TRAILER_RE = deferred(r"><thread=[0-9]+(?: ?\((?:0x)?[0-9A-Fa-f]+\))?>$")
CUT_SHORT_NOTE = (
    "is a record cut short in its trailer (the log copied while it was written?): read at "
    "the time of the record before it"
)
