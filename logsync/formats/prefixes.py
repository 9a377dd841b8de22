"""What a tool or a person puts before every line of a log it shows, beside a search's names and
numbers (`copies`) and e-mail quoting (`quoting`): a Markdown list's bullet or number (`- `,
`1. `), a terminal's or a ticket's timestamp (`[2026-11-25 16:00:01] `), a host or a level.

Such a prefix is told by where the connector's words begin: only a line whose message the
catalogue knows once the prefix is off, and does not know with it, shows a prefix (before
CMTrace's records, by where a record begins: `<![LOG[`, after something that is not spaces).
The prefix is taken off where nearly every line carries one of one shape (its numbers and its
spaces aside), so a word of a message is never taken for one, nor an excerpt's date for a
prefix (its message is known with it), nor a time before a message with no trailer (its
own)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .. import events
from ..patterns import deferred
from . import paste, wholes
from .common import gap_mark, is_blank

MAX_PREFIX = 128
"""A prefix is at most this many characters."""

_PIECE_RE = re.compile(r"\d+|\b[AaPp][Mm]\b|[A-Za-z]+|[ \t]+|.", re.DOTALL)
"""The pieces of a prefix's shape: a number (any), a clock's AM or PM (either), a word (any,
where the prefix has a mark or a digit besides: `[INFO] `, `[ERROR] `; else itself: a word
alone before a message may be the start of one), a run of spaces (any), or one other character
(itself)."""


HEAD_LINES = 50
"""Lines of a text's start that tell whether it is prefixed (see `prefixed`)."""


def prefixed(sample: str) -> bool:
    """Whether the text that starts with `sample` carries a prefix before each line: told from
    its first lines (a look at a log's start, as every log read from disk costs)."""
    lines = sample.split("\n", HEAD_LINES)[:HEAD_LINES]
    starts = _starts()
    if all(line.lstrip("\ufeff")[:4] in starts or is_blank(line) for line in lines[:-1]):
        return False  # (each line begins with a message: a log as written, the usual case)
    return prefix_shape(lines) is not None


def prefix_shape(lines: list[str]) -> re.Pattern[str] | None:
    """The shape of the prefix that four in five of these lines (but `grep -C`'s `--` and
    other marks of lines left out, and the rests of records wrapped after it was put before
    each line) carry, told by the lines whose message is known only after it; None where they
    carry none. Of CMTrace's records (whose message may span lines), the prefix is what comes
    before a record's start (`<![LOG[`), on four in five lines."""
    lines = [line for line in lines if not (is_blank(line) or gap_mark(line))]
    if any("<![LOG[" in line for line in lines):
        starts = [line[:at] for line in lines if 0 < (at := line.find("<![LOG[")) <= MAX_PREFIX]
        starts = [start for start in starts if start.strip(" \t")]
    else:
        lines = _record_starts(lines)
        starts = [line[:start] for line in lines if (start := _message_start(line)) is not None]
    shapes = Counter(map(_pattern, starts))
    if not shapes:
        return None
    shape = shapes.most_common(1)[0][0]
    if any(map(_SELECTED_MARK_RE.search, starts)):  # (its spaces may hold the mark: see `_pattern`)
        shape = shape.replace(_SPACES, rf"{_SPACES}(?:>{_SPACES})?")
    found = re.compile(shape)
    carried = sum(1 for line in lines if found.match(line))
    return found if carried * 5 >= len(lines) * 4 else None


def _record_starts(lines: list[str]) -> list[str]:
    """The lines but the rests of SMS-trace records wrapped before their trailer's end: of each
    run of lines with no trailer's end that a line with one closes, all but the first."""
    starts: list[str] = []
    opened = False  # (a record's first line seen, its trailer's end not yet)
    for at, line in enumerate(lines):
        ends = wholes.TRAILER_END_RE.search(line) is not None
        if not opened:
            starts.append(line)
        ahead = lines[at + 1 : at + 4]
        opened = not ends and (opened or any(map(wholes.TRAILER_END_RE.search, ahead)))
    return starts


def unprefixed(line: str, prefix: re.Pattern[str]) -> str:
    """The line without the prefix it starts with (a line without one, or the rest of a record
    wrapped in its trailer, as it is: `15:55:04.911+480><thread=…` after `2:…<11-25-2026`)."""
    match = None if wholes.wrapped_piece(line) else prefix.match(line)
    return line[match.end() :] if match else line


def _message_start(line: str) -> int | None:
    """Where a known message (or an excerpt's date before one) begins on a line whose message
    is none the catalogue knows, after a prefix of some character that is no space, `~` or
    letter or digit before it; None where it begins at the line's start, or nowhere. Of a row
    copied from CMTrace's list or saved from a spreadsheet (`"message","component",…`), in its
    message (its opening quote is no prefix)."""
    row = paste.copied_row(line) if "$$<" not in line else None
    if row is not None and not line.startswith(row[0]):
        return None  # (a row saved as CSV, its message quoted: the quote is no prefix)
    trailer = len(row[0]) if row is not None else line.rfind("$$<")  # (where its message ends)
    message = line if trailer < 0 else line[:trailer]
    known = wholes.known if trailer < 0 else _known_message  # (a record's message: no date)
    if known(line if trailer < 0 else message):
        return None
    starts = _starts()
    for start in range(1, min(len(message), MAX_PREFIX + 1)):
        if message[start - 1].isalnum() or not (
            message[start].isdigit()
            or message[start : start + 4] in starts
            or message[start : start + 3] in _DATE_WORDS
        ):
            continue  # (a message or a date begins at a word, after a prefix's mark or space)
        if known(line[start:] if trailer < 0 else message[start:]):
            prefix = line[:start]
            # (a message with no trailer: a time before it may be its own, `10:23:54 AM  ...`)
            timed = trailer < 0 and _TIMED_RE.search(prefix) is not None
            return start if prefix.strip(" \t~") and not timed else None
    return None


def hides_a_message(message: str) -> bool:
    """Whether an SMS-trace record's message, none the catalogue knows, is one it knows after
    something put before it, however long (at a word of its first `HIDDEN_WITHIN` characters):
    a prefix not taken off (of two shapes, or longer than `MAX_PREFIX`)."""
    starts = _starts()
    return any(
        message[start : start + 4] in starts
        and not message[start - 1].isalnum()
        and _known_message(message[start:])
        for start in range(1, min(len(message), HIDDEN_WITHIN))
    )


HIDDEN_WITHIN = 512
"""How far into a message `hides_a_message` looks for one the catalogue knows."""


_TIMED_RE = deferred(r"\d[:/.-]\d")
"""A clock's or a date's digits (`10:23`, `9/14`, `2014-09`)."""


def _known_message(message: str) -> bool:
    """Whether an SMS-trace record's message is one the catalogue knows."""
    return events.classify(message.strip())[0] != "message"


@lru_cache(maxsize=1)
def _starts() -> frozenset[str]:
    """The first four characters of each message the catalogue knows."""
    return frozenset(start[:4] for start in events.phrase_starts())


_DATE_WORDS = frozenset((
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
))
"""The words a pasted excerpt's date may begin with (`Sun 9/14/2014`, `Sep 14, 2014`)."""


_SELECTED_MARK_RE = deferred(r"(?<=[ \t])>(?=[ \t])")
"""A `>` between spaces: the mark `Select-String -Context` puts before a line it found."""
_SPACES = r"[ \t]+"


def _pattern(prefix: str) -> str:
    """A regex of the prefix's shape (see `_PIECE_RE`); spaces before it are any (numbers
    aligned right: `  9. `, ` 10. `, `100. `)."""
    marked = any(not (c.isalpha() or c.isspace()) for c in prefix)
    pieces: list[str] = [r"[ \t]*"]
    # (`Select-String -Context`'s `>` between spaces, under a bullet: `- > C:\…` where it found
    # the line, `-   C:\…` where it shows context, is one shape)
    for piece in _PIECE_RE.findall(_SELECTED_MARK_RE.sub("  ", prefix.lstrip(" \t"))):
        if piece.isdecimal():
            pieces.append(r"\d+")
        elif piece.lower() in ("am", "pm"):
            pieces.append("[AaPp][Mm]")
        elif piece.isalpha() and piece.isascii() and marked:
            pieces.append("[A-Za-z]+")
        elif piece.isspace():
            pieces.append(_SPACES)
        else:
            pieces.append(re.escape(piece))
    return "".join(pieces)
