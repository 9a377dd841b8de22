"""Messages that a reflow ran together on one line: `fmt`, or a mail client that joins the
lines of a paragraph, puts an excerpt's records one after another with a space between
(`... reason UserNotFound Total received users to add from SCCM = 1, ...`). Each one is split
off where the catalogue reads the message before it to its end and another one begins."""

from __future__ import annotations

import re
from functools import lru_cache

from ..events import CATALOGUE, classify, message_starts, phrase_starts, read_plainly

MESSAGE_START = 12
"""Characters of a message's start that tell it (shorter starts, `User`, may be any word)."""
_GAP_RE = re.compile(r"\s+(?=\S)")


@lru_cache(maxsize=1)
def _message_start() -> re.Pattern[str]:
    """The start of every message the catalogue knows (see `events.message_starts`)."""
    kinds = {entry.kind for entry in CATALOGUE} - {"message", "unparsed"}
    return re.compile("(?:" + message_starts(kinds) + ")")


def begins_message(piece: str) -> bool:
    """Whether a piece begins with the first words of a message the catalogue knows."""
    match = _message_start().match(piece.lstrip("~ \t"))
    return match is not None and match.end() >= MESSAGE_START


MAX_MESSAGE = 1024
"""Characters of one message at most: a longer run is not split further (linear time)."""
WINDOW = 256
"""Characters after a space looked at to tell whether a message begins there."""
_DATED_RE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[ T]\d{1,2}:\d\d")
"""A date and time where an excerpt's dated line begins (see `paste.STAMP`)."""


def messages_in(text: str) -> list[str]:
    """The messages a line of message text holds: the text itself, or, where the catalogue
    knows its message but does not read all of it (see `events.read_plainly`) and a known
    message (or a date: an excerpt's next line) begins after a space there, the messages a
    reflow ran together, each one read to its end but maybe the last. Each place is looked
    at once, within `WINDOW` and `MAX_MESSAGE` characters: linear in the line's length."""
    if read_plainly(text) or classify(text)[0] == "message":
        return [text]
    parts = []
    start = 0
    for gap in _GAP_RE.finditer(text):
        if gap.start() - start > MAX_MESSAGE:
            break  # (no message is this long: the rest stays with it)
        rest = text[gap.end() : gap.end() + WINDOW]
        begins = (
            begins_message(rest)
            or _DATED_RE.match(rest) is not None
            or classify(rest)[0] != "message"
            or (len(text) - gap.end() < WINDOW and cut_short(rest))
        )
        if begins and read_plainly(text[start : gap.start()]):
            parts.append(text[start : gap.start()])
            start = gap.end()
    parts.append(text[start:])
    return parts


def open_tail(line: str) -> str | None:
    """The last of the messages a reflow ran together on a line of message text, where others
    come before it (the end of the line, not read to its end yet: the next piece may go on
    with it), or None."""
    parts = messages_in(line)
    return parts[-1] if len(parts) > 1 else None


def dated_after_first(parts: list[str]) -> bool:
    """Whether a message run together after another begins with a date (an excerpt's dated
    lines that a reflow joined)."""
    return any(_DATED_RE.match(part) for part in parts[1:])


def cut_short(text: str) -> bool:
    """Whether a text is the start of a message the catalogue knows, cut short before what
    tells it (`Total received users to add from`, `Total`): `MESSAGE_START` long, or whole
    words of it."""
    text = " ".join(text.split())
    return any(
        phrase.startswith(text) and (len(text) >= MESSAGE_START or phrase[len(text) :][:1] == " ")
        for phrase in phrase_starts()
    )

