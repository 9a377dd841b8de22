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


def messages_in(text: str) -> list[str]:
    """The messages a line of message text holds: the text itself, or, where the catalogue
    knows its message but does not read all of it (see `events.read_plainly`) and a known
    message begins after a space there, the messages a reflow ran together, each one read to
    its end but maybe the last."""
    parts = []
    while not read_plainly(text) and classify(text)[0] != "message":
        cut = _next_start(text)
        if cut is None:
            break
        parts.append(text[:cut].rstrip())
        text = text[cut:]
    parts.append(text)
    return parts


def _next_start(text: str) -> int | None:
    """Where the next message begins in a text whose own one the catalogue reads to there."""
    for gap in _GAP_RE.finditer(text):
        rest = text[gap.end() :]
        begins = begins_message(rest) or classify(rest)[0] != "message" or _cut_short(rest)
        if begins and read_plainly(text[: gap.start()]):
            return gap.end()
    return None


def _cut_short(text: str) -> bool:
    """Whether a text is the start of a message the catalogue knows, cut short before what
    tells it (`Total received users to add from`, `Total`): `MESSAGE_START` long, or whole
    words of it."""
    text = " ".join(text.split())
    return any(
        phrase.startswith(text) and (len(text) >= MESSAGE_START or phrase[len(text) :][:1] == " ")
        for phrase in phrase_starts()
    )

