"""How the pieces of a wrapped record join (see `aspasted`): where a wrapper would have
broken a line, which ways two pieces may have been one (with a space between or without),
and the record a run of pieces was."""

from __future__ import annotations

from itertools import pairwise, product

from ..meridiem import LEADING_MARK
from ..patterns import deferred
from . import copies, paste, together, wholes

MAX_TRIED = 3
"""Breaks that may be either tried both ways, the last of a record's (an SMS-trace trailer
wrapped at 70 columns has two; a break with one way, inside a trailer, costs no try)."""
SLACK = 4
"""Columns the width read from the text may be off by (quoting added or taken after wrapping)."""
TRAILER_REACH = 120
"""Characters before a break that are looked at to tell whether it falls inside a trailer."""



def broken(piece: str, following: str, width: int, escaped: bool = False) -> bool:
    """Whether a wrapper `width` wide would have broken the line after `piece`: the next word
    did not fit (or the piece fills the line: a word cut). Of a text `escaped` as HTML, the
    words are measured as escaped (wrapped so, they are wider than the text's lines now)."""
    measure = copies.columns if escaped else len
    word = "".join(following.split(None, 1)[:1])  # (the next line's first word, if any)
    return measure(piece.rstrip(" \t")) + 1 + measure(word) > width - SLACK


_DATE_END_RE = deferred(r"<\d{1,2}-\d{1,2}-\d{4}$")
_THREAD_END_RE = deferred(r"<thread=\d+$")


def in_trailer(left: str, right: str) -> bool:
    """Whether a break falls inside an SMS-trace trailer where it held no space: in its `$$<`,
    or `left` (the text before the break) has the trailer's start and not its end, and the
    break is not at one of its two spaces, which the wrapper dropped (after its date,
    `<11-25-2026|09:10:12`; before its thread's hex, `<thread=5616|(0x`)."""
    if left.endswith("$") and right.startswith("$<"):
        return True  # (`$|$<`)
    if left.endswith("$$") and right.startswith("<"):
        return True
    start = left.rfind("$$<")
    trailer = left[start:]
    if start < 0 or ")>" in trailer or not right or right[0].isspace():
        return False
    if _DATE_END_RE.search(trailer):
        return not right[0].isdigit()
    return right[0] != "(" or _THREAD_END_RE.search(trailer) is None


def separators(left: str, right: str, cut: bool) -> tuple[str, ...]:
    """How the text before a break (`left`, the pieces before it) and the next piece may have
    been one line, the likeliest first: a space kept at the end of a piece (or the start of the
    next) is the break itself; a word cut at a hyphen, or a text `cut` at the width, joins
    without one, as does a break inside a trailer but at its spaces; else the wrapper dropped
    a space (or cut a word longer than a line)."""
    if paste.STAMP_RE.match(left):  # (an excerpt's date, its message wrapped to the next line)
        return (" " * max(0, 2 - len(left) + len(left.rstrip(" \t"))),)
    if left.endswith((" ", "\t")) or right.startswith((" ", "\t")):
        return ("", " ")
    if in_trailer(left, right):
        return ("",)  # (inside an SMS-trace trailer, where it holds no space: `$$|<SMS`)
    if cut or (len(left) >= 2 and left[-1] == "-" and left[-2].isalnum()):
        return ("", " ")
    return (" ", "")


def joined(pieces: list[str], whole_by: str, cut: bool = False) -> tuple[int, str] | None:
    """(index of the first piece, the record) that the last of these wrapped pieces ends, or
    None. The record whose message the catalogue knows is taken first: pieces before it (a line
    of the reply around the log, as wide as the wrapping) are no part of it."""
    found = None
    # a piece that begins a message the catalogue knows begins a record: no piece before it
    # is part of it (lines cut off at a width, not wrapped: `cut -c1-120`, a console's copy)
    starts = [
        index - 1 if paste.STAMP_RE.match(pieces[index - 1]) else index  # (after its date)
        for index in range(1, len(pieces))
        if together.begins_message(pieces[index]) or wholes.known(pieces[index])
    ]
    for first in range(max(starts, default=0), len(pieces) - 1):
        line = join(pieces[first:], whole_by, cut)
        if line is not None:
            if wholes.known(line):
                return first, line
            if found is None:
                found = first, line
    return found


def join(pieces: list[str], whole_by: str, cut: bool = False) -> str | None:
    """The record that these wrapped pieces were, or None when they were none.

    Each of the last `MAX_TRIED` breaks that may be either is tried both ways, the likelier
    first (see `separators`): inside an SMS-trace trailer its parts are checked; in a message,
    a text too short to show that it was cut (`... added us|ers to Cloud = 0`) makes a known
    message only joined as it was cut. A record that is whole either way is taken the way its
    message is one the catalogue reads to its end, naming a user by a name with no space
    (`reason LicenseLimitReach|ed`, `caro|l@contoso.com`), else the way it knows (`Total
    Successfully ad|ded users`). So a line costs a few tries at most.
    """
    pieces = _outdented(pieces)
    choices = []
    before = ""  # (the text before each break, as far back as a trailer goes)
    for piece, following in pairwise(pieces):
        before = (before + piece)[-TRAILER_REACH:]
        choices.append(separators(before, following, cut))
    tried = 0  # (a break with one way only costs no try)
    for index in reversed(range(len(choices))):
        if len(choices[index]) > 1:
            tried += 1
            if tried > MAX_TRIED:
                choices[index] = choices[index][:1]
    found = []  # (records, but whose message is not read plainly)
    for way in product(*choices):
        parts = [pieces[0]]
        for separator, piece in zip(way, pieces[1:], strict=True):
            parts.append(separator)
            parts.append(piece.lstrip(" \t") if separator else piece)
        line = "".join(parts)
        if wholes.whole(line, whole_by):
            if wholes.read_plainly(line):
                return line
            found.append(line)
    # (else one whose message is known, else one whose trailer is whole, the likelier first)
    return next((line for line in found if wholes.known(line)), found[0] if found else None)


MOST_BETWEEN = 3
"""Lines a record's pieces may be apart by (see `across`): blank lines, or a chat's header."""
_CLOCK = LEADING_MARK + r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp](?:\.\s?)?[Mm]\.?)?"
_SENDER = r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}"
_CHAT_HEADER_RE = deferred(
    rf"\s*(?:{_SENDER},?\s+\[?(?:(?:Yesterday|Today|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?),?\s+)?"
    rf"{_CLOCK}\]?|\[(?:[\w/.,-]+\s+)?{_CLOCK}\]\s*{_SENDER}:?)\s*"
)
"""What a chat puts above each message it shows: its sender and time (`Jane Doe 10:42 AM`,
`Jane Doe, Yesterday 10:42`, `[10:42 AM] Jane Doe`, `[9/16/2014 10:42 AM] Jane Doe:`)."""


def between(line: str) -> bool:
    """Whether a line may stand between two pieces of a record that a chat or a ticket split
    (see `across`): a blank line, or a chat's header (a long paste sent as two messages)."""
    return not line.strip() or _CHAT_HEADER_RE.fullmatch(line) is not None


def across(pending: list[str], line: str, whole_by: str, cut: bool = False) -> str | None:
    """The record that `pending` and `line` make, where lines that stand `between` them split a
    record: the last piece of a record the catalogue then reads to its end (naming a user by a
    name with no space), which is no record by itself
    (`... = bob@con` / `` / `toso.com  $$<...>`, or a name's rest after a whole message line,
    as `wholes.name_cut` tells it); else None."""
    if not line.strip() or line[:1].isspace() or wholes.begins_record(line):
        return None
    if len(pending) == 1 and wholes.whole(pending[0], whole_by):  # (a name cut short only)
        cut_name = _cut_name(pending[0]) and wholes.name_cut(pending[0], line)
        return pending[0] + line.strip() if cut_name else None
    if wholes.whole(line, whole_by) if whole_by == wholes.MESSAGES else wholes.known(line):
        return None
    if whole_by != wholes.MESSAGES and not wholes.ends(line, whole_by):
        return None
    found = joined([*pending, line], whole_by, cut)
    if found is None or found[0] != 0 or not wholes.read_plainly(found[1]):
        return None
    return found[1]


def _cut_name(line: str) -> bool:
    """Whether the name a line ends with is no whole address: its domain holds no dot inside
    (`scott@c`, `bob@con`), or it ends with a dot or a hyphen (`scott@contoso.`)."""
    local, at, domain = line.rsplit(None, 1)[-1].rpartition("@")
    return line.endswith((".", "-")) or (bool(at and local) and "." not in domain.strip("."))


def split_apart(sample: str, whole_by: str, cut: bool = False) -> bool:
    """Whether the sample, read as it stands, holds a record that blank lines split (see
    `across`): a sign of pasting where no line was wrapped (a long paste sent as two chat
    messages)."""
    pending, apart = "", 0
    for line in sample.split("\n")[:-1]:
        if not line.strip():
            apart += 1
            continue
        if pending and 0 < apart <= MOST_BETWEEN and across([pending], line, whole_by, cut):
            return True
        pending, apart = line, 0
    return False


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def same_indent(line: str, following: str) -> bool:
    """Whether the next line is indented as the line is, two columns at least: an excerpt's
    lines under their date, which a wrapper such as `fmt` keeps on each piece of a line it
    breaks (no space that a cut left at the start of a piece)."""
    indent = _indent(line)
    return len(indent) >= 2 and _indent(following) == indent


def _outdented(pieces: list[str]) -> list[str]:
    """The pieces, those after the first without the indentation the first has (see
    `same_indent`)."""
    first = pieces[0]
    width = len(_indent(first))
    return [first] + [
        piece[width:] if same_indent(first, piece) else piece for piece in pieces[1:]
    ]


def trailer_cuts(lines: list[str]) -> int:
    """How many breaks between these lines fall inside an SMS-trace trailer where it held no
    space (`$$<SMS_CL|OUD`, `<11-2|4-2026`, `(0|x15F0`; see `in_trailer`), no space kept at
    either side: a wrapper that breaks at spaces makes none (but in a word longer than a line)."""
    if len(lines) < 2:
        return 0
    return sum(
        1
        for before, piece, following in zip(["", *lines[:-2]], lines[:-1], lines[1:], strict=True)
        if piece[-1:] not in (" ", "\t")
        and following[:1] not in (" ", "\t", "")
        and in_trailer(before[-TRAILER_REACH:] + piece, following)
    )


def tabs_shown(line: str) -> str:
    """The line with the tabs of its indentation as the spaces they show (every 8 columns)."""
    text = line.lstrip(" \t")
    return line[: len(line) - len(text)].expandtabs(8) + text


def indentation(lines: list[str]) -> str:
    """The indentation that every line begins with (a column of it is enough: an excerpt's own
    under its date, two columns and more, is told apart from a piece's only once it is off)."""
    first = lines[0] if lines else ""
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    for line in lines[1:]:
        while indent and not line.startswith(indent):
            indent = indent[:-1]
    return indent


def names_cut(lines: list[str], narrowest: int) -> bool:
    """Whether a user's name is cut at the width of the widest lines (wider than `narrowest`),
    its rest alone on the next line (`... = christopher.wellington@europe.conto|so.com`): a
    text that `fold -w` cut only where its lines were longest, those that end with a name.
    Twice at least, or once where the name put back is named whole in another line (a word
    of a reply after a line that ends with a name is no rest of it)."""
    widest = max(map(len, lines), default=0)
    if widest <= narrowest:
        return False
    cut = [
        line.rsplit(None, 1)[-1] + following.strip()
        for line, following in pairwise(lines)
        if len(line) == widest and wholes.name_cut(line, following)
    ]
    return len(cut) >= 2 or any(name in line for name in cut for line in lines)
