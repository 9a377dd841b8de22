"""What makes a record of pasted text whole, once its lines are put back together (see
`aspasted`): an SMS-trace record with its trailer, a row copied from CMTrace with its columns
(`paste`), or a message the catalogue knows."""

from __future__ import annotations

import re

from .. import events
from ..patterns import deferred
from . import paste, remarks, sms, together
from .common import GAP_MARKS
from .together import begins_message

TRACE, ROWS, MESSAGES = "trace", "rows", ""
"""What makes a record of pasted text whole: its SMS-trace trailer, the thread at the end of a
copied row (CMTrace's columns, see `paste`), or a message the catalogue knows."""
ROW_END_RE = deferred(r"\d+\s?\(0x[0-9A-Fa-f]+\)[ \t]*$")
"""A copied row's end: its thread (`5616 (0x15F0)`)."""

DATE_PREFIX_RE = deferred(r"\s*" + paste.STAMP + r"(?:\s{2,}|\t)")
"""A pasted excerpt's date line up to its message (see `paste`)."""


TRAILER_PART_RE = deferred(r"\$\$<|><|<thread=|\(0x[0-9A-Fa-f]+\)>[ \t]*$")
"""A part of an SMS-trace trailer that a wrapping leaves on a line of its own: its start, the
seam of two of its fields (`><`, also where a `fold` cut the component's name), the thread."""


_HEX_THREAD, _LINE_END = r"\((?:0x)?[0-9A-Fa-f]+\)", r">[ \t]*$"
"""A trailer's thread in hex (`(0x15F0)`, which a wrapping may leave on a line of its own), and
the trailer's end at a line's."""
TRAILER_END_RE = deferred(r"(?:thread=\d+|" + _HEX_THREAD + ")" + _LINE_END)
"""A trailer's end: its thread (`thread=5616 (0x15F0)>`, `thread=5616>`), or the rest of it
after a wrapping (`(0x15F0)>`)."""
WRAPPED_PIECE_RE = deferred(
    r"[ \t]*(?:\$\$<|\d{1,2}:\d\d:\d\d(?:\.\d+)?(?:[+-]\d+)?><|" + _HEX_THREAD + _LINE_END + ")"
)
"""A line that begins inside an SMS-trace trailer: the rest of a record that a wrapping broke
at one of the trailer's spaces (before its start, its time, or its thread's number)."""


def wrapped_piece(line: str) -> bool:
    """Whether a line is the rest of a record wrapped in its trailer (see `WRAPPED_PIECE_RE`):
    nothing a tool put before each line comes before it."""
    return WRAPPED_PIECE_RE.match(line) is not None


def mode(lines: list[str]) -> str:
    """What makes a record of these lines whole: SMS trace where a fourth hold a trailer, or a
    part of one where trailers are there (a record wrapped narrow spans four lines or more, of
    which its trailer's parts take two or three), rows where a fourth end with a row's thread."""
    if sum(1 for line in lines if "$$<" in line) * 4 > len(lines):
        return TRACE
    if any("$$" in line for line in lines):
        parts = sum(1 for line in lines if TRAILER_PART_RE.search(line) and "<![LOG[" not in line)
        if parts * 4 > len(lines):
            return TRACE
    rows = sum(1 for line in lines if ROW_END_RE.search(line)) * 4 > len(lines)
    return ROWS if rows else MESSAGES


def ends(line: str, whole_by: str) -> bool:
    """Whether a piece ends a record: a trailer's end, or a row's thread."""
    # (of a row, the end of its thread: a wrapping may have left the start above, `(0x15` too)
    return line.rstrip(" \t").endswith(")" if whole_by == ROWS else ">")


def whole(line: str, whole_by: str) -> bool:
    """Whether a line is a record by itself: an SMS-trace record, a copied row (`ROWS`), or
    (`MESSAGES`) a message the catalogue knows (of a pasted excerpt or of lines with no time)."""
    if sms.looks_like(line):
        return True
    if whole_by == ROWS:  # (with all of its thread: a tab may be left before a wrapped thread)
        return paste.copied_row(line) is not None and ROW_END_RE.search(line) is not None
    if whole_by == TRACE or "$$<" in line:
        return False  # (a message, or the start of a trailer: whole only with all of it)
    return known(line)


def known(line: str) -> bool:
    """Whether the line's message (after an excerpt's date, before a trailer) is one the
    catalogue knows."""
    return _kind(line) != "message"


def ends_with_name(line: str) -> bool:
    """Whether the line's message ends with a user's name or a reason (`... user to add =
    bob@contoso.com`, `reason UserNotFound`): one word, which a word of the next line goes on
    only where a cut split it (`scott@cont|oso.com`), never after a space (`Cheers`); but for
    a redaction placeholder left open (`<UPN of User|Account>`)."""
    if line.count("<") > line.count(">") or line.count("[") > line.count("]"):
        return False
    return _kind(line) in ("user_add_requested", "user_add_failed")


def name_cut(line: str, following: str) -> bool:
    """Whether the next line is the rest of the user's name the line ends with, cut where the
    line was as wide as the text (`... = carol.smith@contoso.onmic|rosoft.com`): one word of
    what a domain holds, with a dot inside or in lower case (a word of the reply, `Thanks.`,
    is neither), or, where the name is broken or cut before its `@` (at a hyphen, or wider
    than the text), the rest of the name with its `@`, that leaves a name with a dot after its
    `@`."""
    word = following.strip()
    if following[:1].isspace() or word.lower() in GAP_MARKS:
        return False
    if "@" not in line.rsplit(None, 1)[-1]:  # (broken at its hyphen, or cut before its `@`)
        if not _AFTER_HYPHEN_RE.fullmatch(word):
            return False
    elif not _DOMAIN_RE.fullmatch(word) or ("." not in word[:-1] and word != word.lower()):
        return False
    if _kind(line) != "user_add_requested":
        return False
    name = line.rsplit(None, 1)[-1] + word
    return "@" in name and "." in name.rsplit("@", 1)[1].strip(".")


_DOMAIN_RE = re.compile(r"[A-Za-z0-9.-]*[A-Za-z0-9]")
"""What the rest of a user's name cut after its `@` may be: letters, digits, dots, hyphens."""
_AFTER_HYPHEN_RE = re.compile(r"[A-Za-z0-9._'+-]*@[A-Za-z0-9.-]*[A-Za-z0-9.]")
"""The rest of a user's name broken at a hyphen before its `@` (`Bob.Smith-|Jones@contoso.com`,
by a wrapper that breaks at hyphens), or cut before it where the name is wider than the text
(`christopher.montgomery.welling|ton@subsidiary.europe.contoso.|com`): the rest of its first
part, its `@` and domain, or the domain's start up to a dot (its rest on the next line)."""


def read_plainly(line: str) -> bool:
    """Whether the line's message is one the catalogue knows, read to its end, naming a user by
    a name with no space (see `events.read_plainly`)."""
    return events.read_plainly(_message(line))


def begins_at(line: str, piece: str) -> bool:
    """Whether one of the records a reflow ran together on a line (but its first) begins with
    `piece`: a record's start, not a piece of the one before it."""
    return any(part.startswith(piece) for part in _messages(line)[1:])


def read_plainly_of(line: str) -> int:
    """How many of the messages a reflow ran together on a line (see `together`) the catalogue
    reads to their ends."""
    return sum(map(events.read_plainly, _messages(line)))


def open_end(line: str, whole_by: str) -> bool:
    """Whether a line of message text (`MESSAGES`) ends with a message the catalogue does not
    read to its end (see `events.read_plainly`): cut short, or with the start of another that
    a reflow ran on after it (`... reason UserNotFound Total received`), of those a reflow
    ran together (see `together`)."""
    if whole_by != MESSAGES:
        return False
    return not events.read_plainly(_messages(line)[-1])


def runs_on(line: str, following: str, cut: bool = False) -> bool:
    """Whether the next line of message text goes on with the last message of a line the
    catalogue reads whole already, before the records a reflow ran on after it (`fmt`: `... as
    thread ID 5616` then `(0x15F0).  CCloudUserSync::Process - ...`): the message with the next
    line's first words is read to its end too, and a message begins after them. A reply's line
    (`Thanks, Bob`) begins none, or leaves the message not read to its end. In a text `cut`
    inside its words (`fold`), the next line is the rest of the message where the message
    with it, as cut, is read to its end (`... ID 56` then `16 (0x15F0).`)."""
    if following[:1].isspace() or begins_record(following):
        return False
    head = _messages(line)[-1]
    if cut:
        return len(following.split()) > 1 and events.read_plainly(head + following.rstrip())
    parts = together.messages_in(head + " " + following.strip())
    return len(parts) > 1 and len(parts[0]) > len(head) and events.read_plainly(parts[0])


def begins_record(line: str) -> bool:
    """Whether a line begins a record: a date, or a message the catalogue knows."""
    dated = DATE_PREFIX_RE.match(line) or paste.STAMP_RE.match(line)
    return dated is not None or begins_message(line) or known(line)



def _kind(line: str) -> str:
    """The catalogue's kind of the line's message (after an excerpt's date, before a
    trailer)."""
    return events.classify(_message(line).strip())[0]


def _messages(line: str) -> list[str]:
    """The messages a reflow ran together on a line (see `together.messages_in`)."""
    return together.messages_in(_message(line).strip())


def _message(line: str) -> str:
    """The line's message: after an excerpt's date, before a trailer."""
    match = DATE_PREFIX_RE.match(line)
    body = line[match.end() :] if match else line
    trailer = body.rfind("$$<")
    return body if trailer < 0 else body[:trailer]


def record_start(line: str, whole_by: str) -> bool:
    """Whether a line is a record by itself or begins a message the catalogue knows: where a
    record begins, not a piece of the one before it."""
    return whole(line, whole_by) or begins_message(line)


def run_together(lines: list[str]) -> bool:
    """Whether SMS-trace lines with text after a trailer were reflowed: that text begins a
    record or holds a trailer, the line after it begins no record (the rest of a message), a
    trailer goes on to the next line (wrapped), or more than half the lines that hold a trailer
    go on after it. (A remark is added to a line as it was, before a record: see `remarks`.)"""
    lines = [line for line in lines if line.strip()]
    after = [(i, found[1]) for i, found in enumerate(map(remarks.AFTER_RE.search, lines)) if found]
    if not after:
        return False
    for i, text in after:
        following = lines[i + 1] if i + 1 < len(lines) else None
        if "$$<" in text or begins_record(text):
            return True
        if following is not None and not begins_record(following):
            return True
    trailers = [line[line.rindex("$$<") :] for line in lines if "$$<" in line]
    return len(after) * 2 > len(trailers) or any(")>" not in trailer for trailer in trailers)


def checked(lines: list[str], whole_by: str) -> bool:
    """Whether the records of these lines show that they are whole, so that they may be put
    back together from narrow pieces: SMS trace or rows (their ends), message lines of which a
    fifth begin with a date (a date begins a record), or none does (the blog post's quotes,
    short lines that may each be whole, joined only where the catalogue then reads a record to
    its end). Not an excerpt with fewer dates: its lines indented under a date keep a third of
    the width a wrapper kept to."""
    if whole_by != MESSAGES:
        return True
    dated = sum(1 for line in lines if DATED_RE.match(line))
    return dated * 5 >= len(lines) or not dated


DATED_RE = deferred(r"\s*" + paste.STAMP + r"(?:\s{2,}|\t|\s*$)")
"""A dated line's start: its date (and time) then its message, or the line's end (wrapped)."""
